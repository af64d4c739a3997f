#!/usr/bin/env bash
# Installs what building and testing wham needs on a fresh machine.
# Today that is only the Rust toolchain's own components; later stages add
# Debian packages (clang for C test programs) and Node for a second engine.
set -euo pipefail
if ! command -v cargo >/dev/null 2>&1; then
  echo "error: cargo is not installed; install Rust 1.95 (rustup) first" >&2
  exit 1
fi
# rustfmt and clippy are needed by .ci/run; rustup installs them if missing.
if command -v rustup >/dev/null 2>&1; then
  rustup component add rustfmt clippy >/dev/null 2>&1 || true
fi
