;; One instruction of each encoding width: a plain opcode, a 0xFC-prefixed one.
(module
  (memory 1)
  (func $main (export "_start")
    (local i32)
    i32.const 3
    local.set 0
    i32.const 0
    i32.const 0
    i32.const 8
    memory.fill))
