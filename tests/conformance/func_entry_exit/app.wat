(module
  (func $leaf (param i32) (result i32)
    local.get 0
    i32.eqz
    if i32.const 7 return end
    local.get 0)
  (func $loop3 (local i32)
    block
      loop
        local.get 0 i32.const 1 i32.add local.tee 0
        i32.const 3 i32.eq
        br_if 1
        br 0
      end
    end)
  (func $early (param i32)
    local.get 0
    br_if 0
    nop)
  (func (export "_start")
    (drop (call $leaf (i32.const 0)))
    (drop (call $leaf (i32.const 5)))
    call $loop3
    (call $early (i32.const 1))
    (call $early (i32.const 0))))
