#!/usr/bin/env bash
# Installs what building and testing wham needs on a fresh machine.
# The Rust toolchain's own components; Node 24 for the second-engine tests
# is installed by scripts/install-node.sh. The C test programs are checked
# in built, so no C toolchain is needed (tests/apps/c/build.sh rebuilds
# them with Debian's clang, lld, wasi-libc and libclang-rt-dev-wasm32).
set -euo pipefail
if ! command -v cargo >/dev/null 2>&1; then
  echo "error: cargo is not installed; install Rust 1.95 (rustup) first" >&2
  exit 1
fi
# rustfmt and clippy are needed by .ci/run; rustup installs them if missing.
if command -v rustup >/dev/null 2>&1; then
  rustup component add rustfmt clippy >/dev/null 2>&1 || true
fi
