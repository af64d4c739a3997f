(module
  (func $spin (param $n i32)
    loop $l
      local.get $n
      i32.const -1
      i32.add
      local.tee $n
      br_if $l
    end)
  (func (export "_start")
    (call $spin (i32.const 300))
    (call $spin (i32.const 2))))
