;; sum(n) adds n, n-1, ..., 1 in a loop; _start calls sum(3) and sum(4).
;; The comments give each instruction's pc and opidx.
(module
  (func $sum (param $n i32) (result i32)
    (local $total i32)        ;; pc  opidx
    loop $again               ;;  3   0
      local.get $total        ;;  5   1
      local.get $n            ;;  7   2
      i32.add                 ;;  9   3
      local.set $total        ;; 10   4
      local.get $n            ;; 12   5
      i32.const 1             ;; 14   6
      i32.sub                 ;; 16   7
      local.set $n            ;; 17   8
      local.get $n            ;; 19   9
      br_if $again            ;; 21  10
    end                       ;; 23  11
    local.get $total)         ;; 24  12, and the final end at 26 (13)
  (func $_start (export "_start")
    i32.const 3               ;;  1   0
    call $sum                 ;;  3   1
    drop                      ;;  5   2
    i32.const 4               ;;  6   3
    call $sum                 ;;  8   4
    drop))                    ;; 10   5, and the final end at 11 (6)
