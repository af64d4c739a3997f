(module
  (func $boom nop unreachable)
  (func (export "_start") nop (call $boom) nop))
