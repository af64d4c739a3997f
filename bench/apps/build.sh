#!/usr/bin/env bash
# Rebuilds the bench's own programs (checked in, so the bench needs no C
# toolchain). Needs Debian's clang lld wasi-libc libclang-rt-dev-wasm32.
set -euo pipefail
cd "$(dirname "$0")"
for src in *.c; do
  name="${src%.c}"
  clang --target=wasm32-wasi -O2 -c "$src" -o "/tmp/$name.o"
  clang --target=wasm32-wasi -O2 "/tmp/$name.o" -o "$name.wasm"
  echo "built $name.wasm"
done
