//! `resolved_fid` through tables: what cannot be followed is refused with
//! the reason (conformance case `resolved_fid_table_writes` covers the
//! tables the program writes).

fn refusal(script: &str, wat: &str) -> String {
    let checked = wham_lang::compile(script).0.expect("the script compiles");
    let app = wat::parse_str(wat).expect("valid text");
    match wham_rewrite::instrument(&checked, &app, &Default::default()) {
        Err(wham_rewrite::Error::Script(items)) => items
            .into_iter()
            .map(|u| u.what)
            .collect::<Vec<_>>()
            .join("; "),
        Ok(_) => panic!("instrumented, but the table is the host's"),
        Err(e) => panic!("not a script error: {e}"),
    }
}

#[test]
fn a_table_the_host_can_write_is_named_as_the_reason() {
    let why = refusal(
        "wasm:opcode:call_indirect:before { report unshared var r: i32; r = resolved_fid; }",
        r#"(module (type $v (func)) (table $t (export "tab") 2 funcref)
             (elem (table $t) (i32.const 0) func $a) (func $a)
             (func (export "_start") (call_indirect $t (type $v) (i32.const 0))))"#,
    );
    assert!(why.contains("the host can change"), "{why}");
}
