// error: the initialiser of an unshared variable runs once per site at start-up and cannot use the dynamic value `arg0`
wasm:opcode:call(arg0: i32):before {
    unshared var first_arg: i32 = arg0;
    first_arg++;
}
