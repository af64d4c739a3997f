(module
  (func $a nop)
  (func $b call $a call $a)
  (func (export "_start") call $b call $a call $b))
