//! `resolved_fid` through tables: what cannot be followed is refused with
//! the reason, and a shadow of a table the host can also write comes with
//! a warning (conformance cases `resolved_fid_table_writes` and
//! `resolve_funcref_exported_table` check the values).

fn instrument(script: &str, wat: &str) -> Result<wham_rewrite::Instrumented, String> {
    let checked = wham_lang::compile(script).0.expect("the script compiles");
    let app = wat::parse_str(wat).expect("valid text");
    match wham_rewrite::instrument(&checked, &app, &Default::default()) {
        Err(wham_rewrite::Error::Script(items)) => Err(items
            .into_iter()
            .map(|u| u.what)
            .collect::<Vec<_>>()
            .join("; ")),
        Ok(out) => Ok(out),
        Err(e) => panic!("not a script error: {e}"),
    }
}

const RESOLVE: &str =
    "wasm:opcode:call_indirect:before { report unshared var r: i32; r = resolved_fid; }";

/// Why `script` is refused on a table filled at a run-time offset.
fn refused_at_run_time_offset(script: &str) -> String {
    let app = r#"(module (type $v (func)) (global $base i32 (i32.const 1)) (table $t 4 funcref)
             (elem (table $t) (global.get $base) func $a) (func $a)
             (func (export "_start") (call_indirect $t (type $v) (i32.const 1))))"#;
    let Err(why) = instrument(script, app) else {
        panic!("instrumented, but the table cannot be followed")
    };
    why
}

#[test]
fn a_table_filled_at_run_time_offsets_is_named_as_the_reason() {
    let why = refused_at_run_time_offset(RESOLVE);
    assert!(why.contains("known only at run time"), "{why}");
}

#[test]
fn tables_the_host_can_write_are_shadowed_with_a_warning() {
    for (kind, wat) in [
        (
            "exported",
            r#"(module (type $v (func)) (table $t (export "tab") 2 funcref)
                 (elem (table $t) (i32.const 0) func $a) (func $a)
                 (func (export "_start") (call_indirect $t (type $v) (i32.const 0))))"#,
        ),
        (
            "imported",
            r#"(module (type $v (func)) (import "env" "tab" (table $t 2 funcref))
                 (elem (table $t) (i32.const 0) func $a) (func $a)
                 (func (export "_start") (call_indirect $t (type $v) (i32.const 0))))"#,
        ),
    ] {
        let out = instrument(RESOLVE, wat).expect("instrumented");
        let warned = out
            .warnings
            .iter()
            .any(|w| w.contains(&format!("table 0 is {kind}")) && w.contains("not the host's"));
        assert!(warned, "{kind}: {:?}", out.warnings);
    }
}

#[test]
fn resolve_funcref_is_refused_where_there_is_no_slot_map() {
    let why = refused_at_run_time_offset(
        "wasm:opcode:call_indirect:before { report unshared var r: i32; r = resolve_funcref(target_funcref, arg0); }",
    );
    assert!(why.contains("known only at run time"), "{why}");
}
