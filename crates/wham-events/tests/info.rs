//! `wham info` output, as snapshots.

use wham_events::describe;

#[test]
fn i32_load_before_with_vars_and_fns() {
    insta::assert_snapshot!(describe("wasm:opcode:i32.load:before", true, true).unwrap());
}

#[test]
fn br_all_modes() {
    insta::assert_snapshot!(describe("wasm:opcode:br:*", false, false).unwrap());
}

#[test]
fn call_and_func_events_with_vars() {
    insta::assert_snapshot!(describe("wasm:opcode:call:after", true, true).unwrap());
    insta::assert_snapshot!(describe("wasm:block:*", true, false).unwrap());
    insta::assert_snapshot!(describe("wasm:begin", false, false).unwrap());
}

#[test]
fn errors_are_returned() {
    let err = describe("wasm:opcode:br_iff:before", false, false).unwrap_err();
    assert_eq!(err.part, 2);
}
