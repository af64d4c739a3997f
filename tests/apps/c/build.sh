#!/usr/bin/env bash
# Rebuilds the C test programs. The built .wasm files are checked in so the
# tests need no C toolchain; this script is how they were made.
# Needs Debian's clang lld wasi-libc libclang-rt-dev-wasm32.
# Compile and link are separate steps so function names survive in the
# name section.
set -euo pipefail
# With a directory argument, builds the .c files there instead.
cd "${1:-$(dirname "$0")}"
for src in *.c; do
  name="${src%.c}"
  clang --target=wasm32-wasi -O2 -c "$src" -o "/tmp/$name.o"
  clang --target=wasm32-wasi -O2 "/tmp/$name.o" -o "$name.wasm"
  echo "built $name.wasm"
done
