// C: the largest argument and result of any call to fib (whatever shape
// the compiler gave the recursion, they are n and fib(n)).
report var max_arg: u32;
report var max_result: u32;
wasm:opcode:call(arg0: i32, res0: i32):after / target_fn_name == "fib" / {
    if ((arg0 as u32) > max_arg) { max_arg = arg0 as u32; }
    if ((res0 as u32) > max_result) { max_result = res0 as u32; }
}
