;; apply(c, x) calls the function in table slot slot(c) on x: slot 0 holds
;; $double, slot 1 $square. slot(c) chooses with br_table: 0 for c = 0,
;; 1 for c = 1, and 0 for anything else (the default label).
;; _start computes apply(0, 3), apply(1, 3) and apply(7, 3).
(module
  (type $unary (func (param i32) (result i32)))
  (table 2 funcref)
  (elem (i32.const 0) $double $square)
  (func $double (param $x i32) (result i32)
    (i32.add (local.get $x) (local.get $x)))
  (func $square (param $x i32) (result i32)
    (i32.mul (local.get $x) (local.get $x)))
  (func $slot (param $c i32) (result i32)
    (block $other
      (block $one
        (block $zero
          (br_table $zero $one $other (local.get $c)))
        (return (i32.const 0)))
      (return (i32.const 1)))
    (i32.const 0))
  (func $apply (param $c i32) (param $x i32) (result i32)
    (call_indirect (type $unary) (local.get $x) (call $slot (local.get $c))))
  (func $_start (export "_start")
    (drop (call $apply (i32.const 0) (i32.const 3)))
    (drop (call $apply (i32.const 1) (i32.const 3)))
    (drop (call $apply (i32.const 7) (i32.const 3)))))
