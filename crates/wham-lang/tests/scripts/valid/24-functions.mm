// covers: user functions: parameters of several types, result types, no result type, bare `return;`, returns on every if/elif/else path, calls from probes, predicates and other functions, use before definition
var logged: u32;

fn is_hot(count: u32, threshold: u32) -> bool {
    return count >= threshold;
}

fn bucket(v: i64) -> u8 {
    if (v < 0) {
        return 0;
    } elif (v < 100) {
        return 1;
    } else {
        return 2;
    }
}

fn nothing(flag: bool) {
    if (flag) {
        return;
    }
}

fn scaled(x: f64, s: str) -> f64 {
    if (s == "half") {
        return x / 2.0;
    }
    return x * double_it(1.0);
}

wasm:opcode:i64.add:before / is_hot(fid, 2) / {
    unshared var n: u32;
    n++;
    if (is_hot(n, 1_000)) {
        nothing(bucket(arg0) == 2);
        logged = logged + (bucket(arg1) as u32);
    }
    var r: f64 = scaled(arg0 as f64, fname);
    if (r > 0.0) {
        logged++;
    }
}

fn double_it(x: f64) -> f64 {
    return x + x;
}
