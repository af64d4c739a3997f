(module
  (type $t (func (param i32) (result i32)))
  (table 2 funcref)
  (elem (i32.const 0) $double $hop)
  (func $double (type $t) (i32.mul (local.get 0) (i32.const 2)))
  (func $hop (type $t) (return_call $double (i32.add (local.get 0) (i32.const 1))))
  (func $jump (type $t) (return_call_indirect (type $t) (local.get 0) (i32.const 1)))
  (func (export "_start") (drop (call $jump (i32.const 5)))))
