(module
  (func (export "_start") (local v128)
    (local.set 0 (v128.const i32x4 1 2 3 4))
    (local.set 0 (i32x4.add (local.get 0) (local.get 0)))
    (local.set 0 (i32x4.add (local.get 0) (local.get 0)))
    (drop (i32x4.extract_lane 2 (local.get 0)))))
