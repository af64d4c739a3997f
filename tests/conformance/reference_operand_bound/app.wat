(module
  (func $target)
  (elem declare func $target)
  (func $main (export "_start")
    (local $f funcref) (local $i i32)
    (local.set $f (ref.func $target))
    (local.set $i (i32.const 1))))
