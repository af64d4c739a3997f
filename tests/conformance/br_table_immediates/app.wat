(module
  (func $main (export "_start")
    (block (block (block
      (br_table 0 1 2 (i32.const 1)))))))
