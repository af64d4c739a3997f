(module (func (export "_start") nop nop nop nop))
