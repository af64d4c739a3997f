;; $count(n) loops n times, bumping a global each time; the loop leaves
;; through a br_if to the block around it. $value returns a block's value;
;; $sign an if/else's.
(module
  (global $ticks (mut i32) (i32.const 0))
  (func $count (param $n i32)
    (block $done
      (loop $again
        (br_if $done (i32.eqz (local.get $n)))
        (global.set $ticks (i32.add (global.get $ticks) (i32.const 1)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $again))))
  (func $value (result i32)
    (block (result i32) (i32.const 5)))
  (func $sign (param $x i32) (result i32)
    (if (result i32) (i32.lt_s (local.get $x) (i32.const 0))
      (then (i32.const -1))
      (else (i32.const 1))))
  (func (export "_start")
    (call $count (i32.const 3))
    (call $count (i32.const 4))
    (drop (call $value))
    (drop (call $sign (i32.const -5)))))
