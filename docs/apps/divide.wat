;; div(a, b) divides with i32.div_s; _start computes div(10, 2) and then
;; div(1, 0), which traps.
(module
  (func $div (param $a i32) (param $b i32) (result i32)
    (i32.div_s (local.get $a) (local.get $b)))
  (func $_start (export "_start")
    (drop (call $div (i32.const 10) (i32.const 2)))
    (drop (call $div (i32.const 1) (i32.const 0)))))
