(module
  (func (export "_start") (local i32)
    nop
    block
      loop
        nop
        local.get 0 i32.const 1 i32.add local.tee 0
        i32.const 4 i32.lt_u
        br_if 0
      end
    end))
