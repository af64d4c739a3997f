// Calls to WASI functions, by name: count them, read their parameters by
// name, see their errno after, and deny writes to stderr (fd 2) with an
// `alt` that returns EBADF (8) instead of calling.
report var writes: u32;
report var denied: u32;
report var errors: u32;
wasi:call:fd_write:before {
    report unshared var at_site: u32;
    at_site++;
    writes++;
}
wasi:call:fd_write:after { if (errno != 0) { errors++; } }
wasi:call:fd_write:alt / fd == 2 / { denied++; return 8; }
