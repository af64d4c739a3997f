(module (func $main (export "_start") (drop (i32.add (i32.const 1) (i32.const 2)))))
