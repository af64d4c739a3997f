;; Float arithmetic whose results the script reports.
(module
  (func $scale (export "_start")
    (drop (f64.mul (f64.const 1.5) (f64.const 4)))
    (drop (f64.div (f64.const 1) (f64.const 3)))
    (drop (f64.add (f64.const 0.1) (f64.const 0.2)))
    (drop (f32.add (f32.const 0.1) (f32.const 0.2)))
    (drop (f32.sqrt (f32.const 2)))))
