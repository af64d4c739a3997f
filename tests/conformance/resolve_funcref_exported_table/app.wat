;; An exported table (the host could write it too): slots 0-1 from an
;; active segment, slot 2 set by the program, slot 3 never written. The
;; program reads slots 0 and 1 with table.get, then calls through 0-2.
(module
  (type $v (func (result i32)))
  (table $t (export "tab") 4 funcref)
  (elem (table $t) (i32.const 0) func $a $b)
  (elem declare func $c)
  (func $a (result i32) (i32.const 1))
  (func $b (result i32) (i32.const 2))
  (func $c (result i32) (i32.const 3))
  (func (export "_start") (local $i i32)
    (table.set $t (i32.const 2) (ref.func $c))
    (drop (table.get $t (i32.const 0)))
    (drop (table.get $t (i32.const 1)))
    (loop $next
      (drop (call_indirect $t (type $v) (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $i) (i32.const 3))))))
