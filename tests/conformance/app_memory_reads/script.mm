// Reading the app's memory: a string, the memory's size, a comparison.
// On the engine target the monitor cannot see the app's memory; the
// engine copies the bytes asked for.
report var first: str;
report var pages: u32;
report var same: bool;
report var other: bool;
wasi:call:fd_write:before {
    first = read_str(0, 100, 5);
    pages = mem_size(0);
    same = strcmp((100, 5), "hello");
    other = strcmp((200, 5), "hello");
}
