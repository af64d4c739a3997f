;; A user library: small functions the script calls when probes are set up.
(module
  (func (export "seven") (result i32) i32.const 7)
  (func (export "twice") (param i32) (result i32)
    local.get 0
    i32.const 2
    i32.mul))
