#!/usr/bin/env bash
# Builds a real program of more than a megabyte for the bench: SQLite (its
# public-domain amalgamation, taken from the npm registry's better-sqlite3
# package, which ships it) with our driver (driver.c: inserts, an index,
# queries, all in memory), for wasm32-wasi. Not needed by the tests; the
# result, sqlite.wasm, is not checked in.
#   bash bench/apps/sqlite/build.sh
#   cargo run --release -p wham-bench -- --kernels none --app sqlite=bench/apps/sqlite/sqlite.wasm,60000
# Needs npm and Debian's clang lld wasi-libc libclang-rt-dev-wasm32.
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent better-sqlite3@12 >/dev/null && tar -xzf better-sqlite3-*.tgz package/deps/sqlite3)
src="$tmp/package/deps/sqlite3"
flags="-O2 -DSQLITE_THREADSAFE=0 -DSQLITE_OMIT_LOAD_EXTENSION -DSQLITE_OMIT_WAL -DSQLITE_OMIT_SHARED_CACHE -D_WASI_EMULATED_MMAN -D_WASI_EMULATED_GETPID"
clang --target=wasm32-wasi $flags -I"$src" -c "$src/sqlite3.c" -o "$tmp/sqlite3.o"
clang --target=wasm32-wasi -O2 -I"$src" -c driver.c -o "$tmp/driver.o"
clang --target=wasm32-wasi -O2 "$tmp/driver.o" "$tmp/sqlite3.o" -lwasi-emulated-mman -lwasi-emulated-getpid -o sqlite.wasm
echo "built $(pwd)/sqlite.wasm ($(wc -c < sqlite.wasm) bytes)"
