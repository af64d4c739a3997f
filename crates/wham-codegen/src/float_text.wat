;; Floats as text, the way Rust's `{:+e}` prints them (the original's report
;; format): sign, the shortest digits that read back as the same value, and
;; a decimal exponent: `+1.5e0`, `-3.4028235e38`, `+0e0`, `+inf`, `NaN`.
;;
;; The digits come from the free-format algorithm of Steele & White as
;; refined by Burger & Dybvig ("Printing floating-point numbers quickly and
;; accurately", 1996), on exact big integers, so every value prints
;; correctly, denormals included. It only runs when a report prints, so it
;; favours being short and obviously right over speed.
;;
;; This module is not used as it is: `float_text.rs` copies its functions
;; into the instrumented module. Memory 0 becomes the instrumentation
;; memory and every load/store offset is moved to a scratch area reserved
;; there; `global.get $scratch` becomes that area's address; `$put_bytes`
;; becomes the runtime's output function.
;;
;; Scratch layout (bytes from the area's start): five big integers of 40
;; 32-bit limbs, little-endian (1280 bits: enough for 2^1131, the largest
;; intermediate of any f64), then the digits, then the text.
;;   R 0, S 160, M+ 320, M- 480, T 640, digits 800 (24), K 824, text 832 (48)
(module
  (import "rt" "put_bytes" (func $put_bytes (param i32 i32)))
  (memory 1)
  (global $scratch i32 (i32.const 0))

  (func $bn_zero (param $a i32)
    (local $i i32)
    (loop $next
      (i32.store (i32.add (local.get $a) (local.get $i)) (i32.const 0))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br_if $next (i32.lt_u (local.get $i) (i32.const 160)))))

  (func $bn_set (param $a i32) (param $v i64)
    (call $bn_zero (local.get $a))
    (i64.store (local.get $a) (local.get $v)))

  (func $bn_copy (param $dst i32) (param $src i32)
    (local $i i32)
    (loop $next
      (i32.store (i32.add (local.get $dst) (local.get $i))
                 (i32.load (i32.add (local.get $src) (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br_if $next (i32.lt_u (local.get $i) (i32.const 160)))))

  ;; a *= m, for m < 2^32 (limb * m + carry always fits in 64 bits)
  (func $bn_mul_small (param $a i32) (param $m i64)
    (local $i i32) (local $at i32) (local $p i64)
    (loop $next
      (local.set $at (i32.add (local.get $a) (local.get $i)))
      (local.set $p (i64.add (i64.mul (i64.load32_u (local.get $at)) (local.get $m))
                             (i64.shr_u (local.get $p) (i64.const 32))))
      (i32.store (local.get $at) (i32.wrap_i64 (local.get $p)))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br_if $next (i32.lt_u (local.get $i) (i32.const 160)))))

  ;; a *= 2^n
  (func $bn_shl (param $a i32) (param $n i32)
    (block $done
      (loop $next
        (br_if $done (i32.lt_u (local.get $n) (i32.const 31)))
        (call $bn_mul_small (local.get $a) (i64.const 0x80000000))
        (local.set $n (i32.sub (local.get $n) (i32.const 31)))
        (br $next)))
    (call $bn_mul_small (local.get $a)
      (i64.shl (i64.const 1) (i64.extend_i32_u (local.get $n)))))

  ;; a *= 10^n
  (func $bn_mul_pow10 (param $a i32) (param $n i32)
    (block $done
      (loop $next
        (br_if $done (i32.lt_u (local.get $n) (i32.const 9)))
        (call $bn_mul_small (local.get $a) (i64.const 1000000000))
        (local.set $n (i32.sub (local.get $n) (i32.const 9)))
        (br $next)))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (call $bn_mul_small (local.get $a) (i64.const 10))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next))))

  ;; -1, 0 or 1 as a <, = or > b
  (func $bn_cmp (param $a i32) (param $b i32) (result i32)
    (local $i i32) (local $x i32) (local $y i32)
    (local.set $i (i32.const 156))
    (loop $next
      (local.set $x (i32.load (i32.add (local.get $a) (local.get $i))))
      (local.set $y (i32.load (i32.add (local.get $b) (local.get $i))))
      (if (i32.ne (local.get $x) (local.get $y))
        (then
          (return (select (i32.const 1) (i32.const -1)
                          (i32.gt_u (local.get $x) (local.get $y))))))
      (local.set $i (i32.sub (local.get $i) (i32.const 4)))
      (br_if $next (i32.ge_s (local.get $i) (i32.const 0))))
    (i32.const 0))

  ;; dst = a + b
  (func $bn_add (param $dst i32) (param $a i32) (param $b i32)
    (local $i i32) (local $sum i64)
    (loop $next
      (local.set $sum
        (i64.add (i64.add (i64.load32_u (i32.add (local.get $a) (local.get $i)))
                          (i64.load32_u (i32.add (local.get $b) (local.get $i))))
                 (i64.shr_u (local.get $sum) (i64.const 32))))
      (i32.store (i32.add (local.get $dst) (local.get $i)) (i32.wrap_i64 (local.get $sum)))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br_if $next (i32.lt_u (local.get $i) (i32.const 160)))))

  ;; a -= b, for a >= b
  (func $bn_sub (param $a i32) (param $b i32)
    (local $i i32) (local $at i32) (local $diff i64)
    (loop $next
      (local.set $at (i32.add (local.get $a) (local.get $i)))
      (local.set $diff
        (i64.sub (i64.sub (i64.load32_u (local.get $at))
                          (i64.load32_u (i32.add (local.get $b) (local.get $i))))
                 (i64.shr_u (local.get $diff) (i64.const 63))))
      (i32.store (local.get $at) (i32.wrap_i64 (local.get $diff)))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br_if $next (i32.lt_u (local.get $i) (i32.const 160)))))

  ;; Whether x reaches the upper bound S: x >= S when the bounds are
  ;; inclusive (an even mantissa: round-to-even reads the bound back as the
  ;; value), x > S otherwise.
  (func $reaches_s (param $x i32) (param $inclusive i32) (result i32)
    (i32.gt_s (call $bn_cmp (local.get $x) (i32.const 160))
              (i32.sub (i32.const 0) (local.get $inclusive))))

  ;; The shortest digits that read back as mant * 2^e (mant > 0), into
  ;; the digits area (0..9 each); returns how many, and leaves at K the
  ;; decimal exponent k: the value is 0.d1d2... * 10^k. `lower_closer`:
  ;; the next smaller float is half as far away as the next larger one
  ;; (mant is a power of two above the smallest exponent).
  (func $shortest (param $mant i64) (param $e i32) (param $lower_closer i32) (result i32)
    (local $even i32) (local $k i32) (local $n i32) (local $d i32)
    (local $low i32) (local $high i32)
    (local.set $even (i64.eqz (i64.and (local.get $mant) (i64.const 1))))
    ;; value = R/S; the neighbours' midpoints are (R - M-)/S and (R + M+)/S
    (call $bn_set (i32.const 0) (local.get $mant))
    (if (i32.ge_s (local.get $e) (i32.const 0))
      (then
        (call $bn_shl (i32.const 0) (local.get $e))
        (call $bn_set (i32.const 320) (i64.const 1))
        (call $bn_shl (i32.const 320) (local.get $e))
        (call $bn_copy (i32.const 480) (i32.const 320))
        (call $bn_set (i32.const 160) (i64.const 2))
        (call $bn_mul_small (i32.const 0) (i64.const 2))
        (if (local.get $lower_closer)
          (then
            (call $bn_mul_small (i32.const 0) (i64.const 2))
            (call $bn_mul_small (i32.const 160) (i64.const 2))
            (call $bn_mul_small (i32.const 320) (i64.const 2)))))
      (else
        (call $bn_set (i32.const 160) (i64.const 1))
        (call $bn_shl (i32.const 160) (i32.sub (i32.const 1) (local.get $e)))
        (call $bn_set (i32.const 320) (i64.const 1))
        (call $bn_set (i32.const 480) (i64.const 1))
        (call $bn_mul_small (i32.const 0) (i64.const 2))
        (if (local.get $lower_closer)
          (then
            (call $bn_mul_small (i32.const 0) (i64.const 2))
            (call $bn_mul_small (i32.const 160) (i64.const 2))
            (call $bn_mul_small (i32.const 320) (i64.const 2))))))
    ;; k from the binary exponent: ceil(log10(2^(top bit))) never exceeds
    ;; the true k, which the loop below then reaches
    (local.set $k
      (i32.trunc_f64_s
        (f64.ceil
          (f64.sub
            (f64.mul
              (f64.convert_i32_s
                (i32.add (local.get $e)
                         (i32.sub (i32.const 63) (i32.wrap_i64 (i64.clz (local.get $mant))))))
              (f64.const 0.30102999566398119521))
            (f64.const 1e-10)))))
    (if (i32.ge_s (local.get $k) (i32.const 0))
      (then (call $bn_mul_pow10 (i32.const 160) (local.get $k)))
      (else
        (call $bn_mul_pow10 (i32.const 0) (i32.sub (i32.const 0) (local.get $k)))
        (call $bn_mul_pow10 (i32.const 320) (i32.sub (i32.const 0) (local.get $k)))
        (call $bn_mul_pow10 (i32.const 480) (i32.sub (i32.const 0) (local.get $k)))))
    (block $scaled
      (loop $raise
        (call $bn_add (i32.const 640) (i32.const 0) (i32.const 320))
        (br_if $scaled (i32.eqz (call $reaches_s (i32.const 640) (local.get $even))))
        (call $bn_mul_small (i32.const 160) (i64.const 10))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $raise)))
    ;; one digit per round until the rest is inside the rounding interval
    (loop $digit
      (call $bn_mul_small (i32.const 0) (i64.const 10))
      (call $bn_mul_small (i32.const 320) (i64.const 10))
      (call $bn_mul_small (i32.const 480) (i64.const 10))
      (local.set $d (i32.const 0))
      (block $divided
        (loop $subtract
          (br_if $divided (i32.lt_s (call $bn_cmp (i32.const 0) (i32.const 160)) (i32.const 0)))
          (call $bn_sub (i32.const 0) (i32.const 160))
          (local.set $d (i32.add (local.get $d) (i32.const 1)))
          (br $subtract)))
      ;; low: stopping here reads back (R < M-, or <= when inclusive);
      ;; high: rounding this digit up reads back
      (local.set $low (i32.lt_s (call $bn_cmp (i32.const 0) (i32.const 480)) (local.get $even)))
      (call $bn_add (i32.const 640) (i32.const 0) (i32.const 320))
      (local.set $high (call $reaches_s (i32.const 640) (local.get $even)))
      (if (i32.eqz (i32.or (local.get $low) (local.get $high)))
        (then
          (i32.store8 offset=800 (local.get $n) (local.get $d))
          (local.set $n (i32.add (local.get $n) (i32.const 1)))
          (br $digit))))
    ;; both would do: the nearer one, up on a tie (2R >= S)
    (if (i32.and (local.get $low) (local.get $high))
      (then
        (call $bn_add (i32.const 640) (i32.const 0) (i32.const 0))
        (local.set $high (i32.ge_s (call $bn_cmp (i32.const 640) (i32.const 160)) (i32.const 0)))))
    (i32.store8 offset=800 (local.get $n) (i32.add (local.get $d) (local.get $high)))
    (i32.store offset=824 (i32.const 0) (local.get $k))
    (i32.add (local.get $n) (i32.const 1)))

  ;; Text of sign, mant * 2^e (0 for zero) and the exponent, written out.
  (func $put_scientific (param $negative i32) (param $mant i64) (param $e i32)
                        (param $lower_closer i32)
    (local $n i32) (local $i i32) (local $p i32) (local $exp i32)
    (i32.store8 offset=832 (i32.const 0)
      (select (i32.const 45) (i32.const 43) (local.get $negative)))
    (if (i64.eqz (local.get $mant))
      (then
        (i32.store8 offset=800 (i32.const 0) (i32.const 0))
        (i32.store offset=824 (i32.const 0) (i32.const 1))
        (local.set $n (i32.const 1)))
      (else
        (local.set $n (call $shortest (local.get $mant) (local.get $e) (local.get $lower_closer)))))
    (i32.store8 offset=833 (i32.const 0)
      (i32.add (i32.load8_u offset=800 (i32.const 0)) (i32.const 48)))
    (local.set $p (i32.const 2))
    (if (i32.gt_u (local.get $n) (i32.const 1))
      (then
        (i32.store8 offset=832 (local.get $p) (i32.const 46))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (local.set $i (i32.const 1))
        (loop $next
          (i32.store8 offset=832 (local.get $p)
            (i32.add (i32.load8_u offset=800 (local.get $i)) (i32.const 48)))
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $next (i32.lt_u (local.get $i) (local.get $n))))))
    (i32.store8 offset=832 (local.get $p) (i32.const 101))
    (local.set $p (i32.add (local.get $p) (i32.const 1)))
    ;; 0.d1d2... * 10^k is d1.d2... * 10^(k-1)
    (local.set $exp (i32.sub (i32.load offset=824 (i32.const 0)) (i32.const 1)))
    (if (i32.lt_s (local.get $exp) (i32.const 0))
      (then
        (i32.store8 offset=832 (local.get $p) (i32.const 45))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (local.set $exp (i32.sub (i32.const 0) (local.get $exp)))))
    (if (i32.ge_u (local.get $exp) (i32.const 100))
      (then
        (i32.store8 offset=832 (local.get $p)
          (i32.add (i32.div_u (local.get $exp) (i32.const 100)) (i32.const 48)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))))
    (if (i32.ge_u (local.get $exp) (i32.const 10))
      (then
        (i32.store8 offset=832 (local.get $p)
          (i32.add (i32.rem_u (i32.div_u (local.get $exp) (i32.const 10)) (i32.const 10))
                   (i32.const 48)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))))
    (i32.store8 offset=832 (local.get $p)
      (i32.add (i32.rem_u (local.get $exp) (i32.const 10)) (i32.const 48)))
    (local.set $p (i32.add (local.get $p) (i32.const 1)))
    (call $put_bytes (i32.add (global.get $scratch) (i32.const 832)) (local.get $p)))

  ;; `+inf`, `-inf` or `NaN` (Rust prints NaN without a sign)
  (func $put_special (param $negative i32) (param $nan i32)
    (if (local.get $nan)
      (then
        (i32.store offset=832 (i32.const 0) (i32.const 0x004e614e))
        (call $put_bytes (i32.add (global.get $scratch) (i32.const 832)) (i32.const 3))
        (return)))
    (i32.store offset=832 (i32.const 0)
      (select (i32.const 0x666e692d) (i32.const 0x666e692b) (local.get $negative)))
    (call $put_bytes (i32.add (global.get $scratch) (i32.const 832)) (i32.const 4)))

  (func $put_f64 (export "put_f64") (param $v f64)
    (local $bits i64) (local $biased i32) (local $frac i64) (local $negative i32)
    (local.set $bits (i64.reinterpret_f64 (local.get $v)))
    (local.set $negative (i64.lt_s (local.get $bits) (i64.const 0)))
    (local.set $biased (i32.wrap_i64 (i64.and (i64.shr_u (local.get $bits) (i64.const 52))
                                              (i64.const 0x7ff))))
    (local.set $frac (i64.and (local.get $bits) (i64.const 0xfffffffffffff)))
    (if (i32.eq (local.get $biased) (i32.const 0x7ff))
      (then
        (call $put_special (local.get $negative) (i64.ne (local.get $frac) (i64.const 0)))
        (return)))
    (if (i32.eqz (local.get $biased))
      (then
        (call $put_scientific (local.get $negative) (local.get $frac) (i32.const -1074)
                              (i32.const 0))
        (return)))
    (call $put_scientific (local.get $negative)
      (i64.or (local.get $frac) (i64.const 0x10000000000000))
      (i32.sub (local.get $biased) (i32.const 1075))
      (i32.and (i64.eqz (local.get $frac)) (i32.gt_u (local.get $biased) (i32.const 1)))))

  (func $put_f32 (export "put_f32") (param $v f32)
    (local $bits i32) (local $biased i32) (local $frac i32) (local $negative i32)
    (local.set $bits (i32.reinterpret_f32 (local.get $v)))
    (local.set $negative (i32.lt_s (local.get $bits) (i32.const 0)))
    (local.set $biased (i32.and (i32.shr_u (local.get $bits) (i32.const 23)) (i32.const 0xff)))
    (local.set $frac (i32.and (local.get $bits) (i32.const 0x7fffff)))
    (if (i32.eq (local.get $biased) (i32.const 0xff))
      (then
        (call $put_special (local.get $negative) (i32.ne (local.get $frac) (i32.const 0)))
        (return)))
    (if (i32.eqz (local.get $biased))
      (then
        (call $put_scientific (local.get $negative) (i64.extend_i32_u (local.get $frac))
                              (i32.const -149) (i32.const 0))
        (return)))
    (call $put_scientific (local.get $negative)
      (i64.extend_i32_u (i32.or (local.get $frac) (i32.const 0x800000)))
      (i32.sub (local.get $biased) (i32.const 150))
      (i32.and (i32.eqz (local.get $frac)) (i32.gt_u (local.get $biased) (i32.const 1))))))
