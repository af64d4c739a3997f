(module
  (func $alpha_one i32.const 1 drop i32.const 5 drop)
  (func $beta i32.const 9 drop)
  (func $alpha_two i32.const 0 drop i32.const 3 drop)
  (func (export "_start") call $alpha_one call $beta call $alpha_two call $alpha_two))
