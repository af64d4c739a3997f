//! Corner cases of `alt` on whole constructs: what is refused is refused
//! with a message, and what is woven validates.

fn instrument(script: &str, wat: &str) -> Result<Vec<u8>, String> {
    let checked = wham_lang::compile(script).0.expect("the script compiles");
    let app = wat_to_wasm(wat);
    match wham_rewrite::instrument(&checked, &app, &Default::default()) {
        Ok(out) => Ok(out.bytes),
        Err(wham_rewrite::Error::Script(items)) => Err(items
            .into_iter()
            .map(|u| u.what)
            .collect::<Vec<_>>()
            .join("; ")),
        Err(e) => panic!("not a script error: {e}"),
    }
}

fn wat_to_wasm(wat: &str) -> Vec<u8> {
    wat::parse_str(wat).expect("valid text")
}

#[test]
fn a_skipped_construct_ends_where_a_delegate_closes_its_try() {
    // `delegate` closes the `try` without an `end`: skipping the block must
    // stop at the block's own `end`, not run on to the function's.
    let out = instrument(
        "wasm:opcode:block:alt { }",
        r#"(module (func (export "_start") block try delegate 0 end nop))"#,
    );
    assert!(out.is_ok(), "{out:?}");
}

#[test]
fn a_construct_with_a_non_nullable_reference_result_is_refused() {
    let err = instrument(
        "wasm:opcode:block:alt { }",
        r#"(module (type $s (struct))
             (func (export "_start") (block (result (ref $s)) struct.new $s) drop))"#,
    )
    .expect_err("no value to stand for the block");
    assert!(err.contains("non-nullable reference"), "{err}");
}

#[test]
fn a_run_time_alt_on_a_construct_with_labels_it_cannot_move_is_refused() {
    let err = instrument(
        "var k: u32; wasm:opcode:block:alt / k > 1 / { }",
        r#"(module (func (export "_start") (param anyref)
             (block (drop (block (result anyref) (br_on_null 1 (local.get 0)))))))"#,
    )
    .expect_err("br_on_null inside");
    assert!(err.contains("br_on_null"), "{err}");
}

#[test]
fn dup_at_names_a_memory_of_the_program() {
    let err = instrument(
        "wasm:opcode:memory.fill:after { dup_at(3, 0); }",
        r#"(module (memory 1) (func (export "_start")
             (memory.fill (i32.const 0) (i32.const 1) (i32.const 2))))"#,
    )
    .expect_err("no memory 3");
    assert!(err.contains("no such memory"), "{err}");
}
