(module
  (func $f (param i32) (result i32)
    (local $n i32)
    block $out
      loop $top
        local.get $n
        i32.const 1
        i32.add
        local.set $n
        local.get $n
        local.get 0
        i32.ge_u
        br_if $out
        br $top
      end
    end
    local.get $n
    i32.const 2
    i32.rem_u
    if (result i32)
      i32.const 10
    else
      i32.const 20
    end)
  (func (export "_start")
    (drop (call $f (i32.const 3)))
    (drop (call $f (i32.const 4)))))
