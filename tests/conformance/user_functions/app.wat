(module (func (export "_start") i32.const 2 drop i32.const 3 drop i32.const -1 drop))
