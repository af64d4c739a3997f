(module
  (func $nested (param $n i32) (result i32)
    (local $i i32) (local $j i32) (local $acc i32)
    loop $outer
      i32.const 0
      local.set $j
      loop $inner
        local.get $acc
        i32.const 1
        i32.add
        local.set $acc
        local.get $j
        i32.const 1
        i32.add
        local.tee $j
        i32.const 2
        i32.lt_u
        br_if $inner
      end
      local.get $i
      i32.const 1
      i32.add
      local.tee $i
      local.get $n
      i32.lt_u
      br_if $outer
    end
    local.get $acc)
  (func (export "_start") (drop (call $nested (i32.const 3)))))
