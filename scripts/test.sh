#!/usr/bin/env bash
# The test command from the README: builds everything and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# A second engine for the "runs anywhere" tests (skipped if unavailable).
bash scripts/install-node.sh
# Snapshots are compared, never silently rewritten, in CI and here.
export INSTA_UPDATE=no
cargo test --workspace --all-targets
