// memcpy copies bytes between memories; here from the app's data to just
// past the range its active data segments cover (passive ones do not
// count), read back with read_str. A second, shorter copy overwrites the
// start of the first. Also the memory's page size in bytes. (The engine
// target rejects memcpy and page_size.)
report var data_start: u32 = active_data_start(APP_MEMID);
report var data_len: u32 = active_data_len(APP_MEMID);
report var page: u32 = page_size(APP_MEMID);
report var copied: str;
report var length: u32;
wasm:opcode:call(arg0: i32, arg1: i32):before {
    var dst: u32 = data_start + data_len;
    memcpy(APP_MEMID, arg1 as u32, APP_MEMID, dst, arg0 as u32);
    memcpy(APP_MEMID, (arg1 + 4) as u32, APP_MEMID, dst, 2);
    copied = read_str(APP_MEMID, dst as i32, arg0 as u32);
    length = copied.len();
}
