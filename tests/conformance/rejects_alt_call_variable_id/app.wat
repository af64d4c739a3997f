(module
  (func $main (export "_start") call $work)
  (func $work)
  (func $other))
