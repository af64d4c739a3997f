;; A table the program fills as it runs: slot 0 from an active segment,
;; slot 1 by table.set of a ref.func, slots 2-3 by table.fill, slot 4 by
;; table.copy of slot 1, slot 5 by table.init from a passive segment, slot
;; 6 by table.set of a null then of a function; then a call through each.
(module
  (type $v (func (result i32)))
  (table $t 8 funcref)
  (elem (table $t) (i32.const 0) func $a)
  (elem $later func $c)
  (elem declare func $b)
  (func $a (result i32) (i32.const 1))
  (func $b (result i32) (i32.const 2))
  (func $c (result i32) (i32.const 3))
  (func (export "_start") (local $i i32)
    (table.set $t (i32.const 1) (ref.func $b))
    (table.fill $t (i32.const 2) (ref.func $c) (i32.const 2))
    (table.copy $t $t (i32.const 4) (i32.const 1) (i32.const 1))
    (table.init $t $later (i32.const 5) (i32.const 0) (i32.const 1))
    (table.set $t (i32.const 6) (ref.null func))
    (table.set $t (i32.const 6) (ref.func $a))
    (loop $next
      (drop (call_indirect $t (type $v) (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $i) (i32.const 7))))))
