(module
  (func $a (result i32) i32.const 1)
  (func $b (param i32) (result i32) local.get 0 i32.const 2 i32.mul)
  (func (export "_start")
    call $a drop
    i32.const 5 call $b drop
    call $a call $b drop))
