#!/usr/bin/env bash
# Rebuilds the bench's own programs (checked in, so the bench needs no C
# toolchain), the way the test programs are built.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
exec bash "$here/../../tests/apps/c/build.sh" "$here"
