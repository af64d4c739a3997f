(module
  (func (export "_start") (local $i i32)
    i32.const 0
    local.set $i
    loop $l
      local.get $i
      i32.const 1
      i32.add
      local.tee $i
      i32.const 3
      i32.lt_u
      br_if $l
    end
    local.get $i
    drop))
