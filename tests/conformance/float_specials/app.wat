(module
  (func $main (export "_start")
    (drop (f64.sqrt (f64.const -1)))))
