(module (func (export "_start") (drop (i32.add (i32.const 3) (i32.const 4))) (drop (i32.add (i32.const 10) (i32.const -2)))))
