;; Stores and sums of every number type, for generic probes.
(module
  (func $main (export "_start")
    (local i32 i64 f32 f64)
    i32.const 7
    local.set 0
    i64.const -5
    local.set 1
    f32.const 1.5
    local.set 2
    f64.const 2.25
    local.set 3
    i64.const 9
    local.tee 1
    drop
    i32.const 3
    local.tee 0
    drop
    i32.const -2
    local.set 0
    local.get 0
    local.get 0
    i32.add
    drop
    local.get 1
    local.get 1
    i64.add
    drop))
