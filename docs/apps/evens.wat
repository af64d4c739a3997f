;; evens(n) counts the even numbers among n, n-1, ..., 1: a loop inside a
;; block, left by br_if when n reaches 0, with an if/else in its body.
;; _start calls evens(5).
(module
  (func $evens (param $n i32) (result i32)
    (local $count i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (if (i32.and (local.get $n) (i32.const 1))
          (then nop)
          (else (local.set $count (i32.add (local.get $count) (i32.const 1)))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $count))
  (func $_start (export "_start")
    (drop (call $evens (i32.const 5)))))
