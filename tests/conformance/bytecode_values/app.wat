(module
  (memory 1)
  (func (export "_start")
    nop
    (drop (i32.add (i32.const 1) (i32.const 2)))
    (memory.copy (i32.const 0) (i32.const 8) (i32.const 4))
    (drop (i32.trunc_sat_f32_s (f32.const 1.5)))
    (drop (i32.extend8_s (i32.const 255)))
    (drop (memory.size))
    (drop (i8x16.relaxed_swizzle (v128.const i64x2 0 0) (v128.const i64x2 0 0)))))
