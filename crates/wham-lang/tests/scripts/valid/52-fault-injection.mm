// covers: a complete tool: fault injection with alt probes, a typed call bound, a global map written at start and a user function
var fail_rate: map<str, u32>;
var calls_seen: u32;

fail_rate["read"] = 10;
fail_rate["write"] = 100;

fn should_fail(n: u32, every: u32) -> bool {
    return every != 0 && n % every == 0;
}

wasm:opcode:call(res0: i32):after / target_fn_type == "import" / {
    calls_seen++;
    if (should_fail(calls_seen, fail_rate[target_fn_name])) {
        res0 = -1;
    }
}
wasm:opcode:i32.div_s:alt {
    if (arg0 == 0) {
        return 0;
    }
    return arg1 / arg0;
}
