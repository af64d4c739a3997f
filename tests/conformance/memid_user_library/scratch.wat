;; A user library with a memory of its own: checksum(addr, len) adds up
;; the bytes at addr..addr+len of that memory.
(module
  (memory (export "memory") 1)
  (func (export "checksum") (param $a i32) (param $n i32) (result i32) (local $s i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $s (i32.add (local.get $s) (i32.load8_u (local.get $a))))
        (local.set $a (i32.add (local.get $a) (i32.const 1)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $s)))
