(module
  (func (export "_start") (local $i i32)
    block $done
      loop $l
        local.get $i
        i32.const 1
        i32.add
        local.tee $i
        i32.const 5
        i32.ge_u
        br_if $done
        br $l
      end
    end
    nop))
