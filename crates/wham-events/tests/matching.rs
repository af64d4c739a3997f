//! Rule expansion and its error messages.

use wham_events::{MatchError, catalog, glob_matches, split_rule};

fn rules(rule: &str) -> Vec<String> {
    catalog()
        .match_rule(&split_rule(rule))
        .unwrap_or_else(|e| panic!("{rule}: {e:?}"))
        .iter()
        .map(|m| m.rule_name())
        .collect()
}

fn error(rule: &str) -> MatchError {
    match catalog().match_rule(&split_rule(rule)) {
        Ok(m) => panic!("{rule} matched {} events", m.len()),
        Err(e) => e,
    }
}

#[test]
fn split() {
    assert_eq!(
        split_rule("wasm::br_if:before"),
        [Some("wasm"), None, Some("br_if"), Some("before")]
    );
    assert_eq!(
        split_rule(":opcode:call:"),
        [None, Some("opcode"), Some("call"), None]
    );
    assert_eq!(
        split_rule("wasm:opcode:call(arg0: i32):before"),
        [
            Some("wasm"),
            Some("opcode"),
            Some("call(arg0: i32)"),
            Some("before")
        ]
    );
    assert_eq!(split_rule(""), [None]);
}

#[test]
fn globs() {
    assert!(glob_matches("*load*|*store*", "i64.load32_u"));
    assert!(glob_matches("*LOAD*", "i64.load32_u"));
    assert!(!glob_matches("*atomic_rmw*", "i32.atomic.rmw.add"));
    assert!(glob_matches("*call_indirect", "return_call_indirect"));
    assert!(glob_matches("i32.[a-c]*", "i32.add"));
    assert!(!glob_matches("i32.[!a-c]*", "i32.add"));
}

#[test]
fn suffix_glob_matches_if_and_br_if() {
    assert_eq!(
        rules("wasm::*if:before"),
        ["wasm:opcode:if:before", "wasm:opcode:br_if:before"]
    );
}

#[test]
fn alternation_over_loads_and_stores() {
    let got = rules("wasm:opcode:*load*|*store*:before");
    assert!(got.contains(&"wasm:opcode:i32.load:before".to_string()));
    assert!(got.contains(&"wasm:opcode:i64.store32:before".to_string()));
    assert!(got.contains(&"wasm:opcode:v128.load8_lane:before".to_string()));
    assert!(got.contains(&"wasm:opcode:i32.atomic.store8:before".to_string()));
    assert!(
        got.iter()
            .all(|r| r.contains("load") || r.contains("store"))
    );
    assert!(got.iter().all(|r| r.ends_with(":before")));
}

#[test]
fn empty_parts_are_wildcards() {
    assert_eq!(
        rules(":opcode:call:"),
        [
            "wasm:opcode:call:before",
            "wasm:opcode:call:after",
            "wasm:opcode:call:alt"
        ]
    );
    let all_alt = rules("wasm:::alt");
    assert!(all_alt.len() > 500);
    assert!(all_alt.iter().all(|r| r.ends_with(":alt")));
}

#[test]
fn three_and_two_part_rules() {
    assert_eq!(rules("wasm:func:*"), ["wasm:func:entry", "wasm:func:exit"]);
    assert_eq!(rules("wasm:block:end"), ["wasm:block:end"]);
    assert_eq!(rules("wasm:begin"), ["wasm:begin"]);
    assert_eq!(
        rules("wasm:*"),
        ["wasm:begin", "wasm:end", "wasm:trap", "wasm:report"]
    );
    // Only the mode-less events of a 3-part glob.
    assert_eq!(
        rules("wasm:*:*"),
        [
            "wasm:func:entry",
            "wasm:func:exit",
            "wasm:block:start",
            "wasm:block:end"
        ]
    );
}

#[test]
fn modes_of_special_opcodes() {
    assert_eq!(
        rules("wasm:opcode:br:*"),
        [
            "wasm:opcode:br:before",
            "wasm:opcode:br:alt",
            "wasm:opcode:br:at_target"
        ]
    );
    assert_eq!(rules("wasm:opcode:unreachable:*").len(), 2);
    assert_eq!(rules("wasm:opcode:block:*").len(), 5);
}

#[test]
fn unknown_parts_suggest() {
    let e = error("wasmm:opcode:call:before");
    assert_eq!(e.part, 0);
    assert!(e.message.contains("wasmm"), "{e:?}");
    assert_eq!(e.help.as_deref(), Some("did you mean `wasm`?"));

    let e = error("wasm:opcodes:call:before");
    assert_eq!(e.part, 1);
    assert_eq!(e.help.as_deref(), Some("did you mean `opcode`?"));

    let e = error("wasm:opcode:br_iff:before");
    assert_eq!(e.part, 2);
    assert_eq!(e.message, "no event of `wasm:opcode` matches `br_iff`");
    assert_eq!(e.help.as_deref(), Some("did you mean `br_if`?"));

    let e = error("wasm:opcode:*atomic_rmw*:before");
    assert_eq!(e.part, 2);
    assert!(e.help.unwrap().contains("`*atomic.rmw*`"));

    let e = error("wasm:opcode:zzzzzzzz:before");
    assert_eq!(e.help, None);
}

#[test]
fn mode_errors() {
    let e = error("wasm:opcode:unreachable:after");
    assert_eq!(e.part, 3);
    assert_eq!(e.message, "`unreachable` has no mode `after`");
    assert_eq!(e.help.as_deref(), Some("allowed modes: before, alt"));

    let e = error("wasm:opcode:br_if:befor");
    assert_eq!(
        e.help.as_deref(),
        Some("did you mean `before`? allowed modes: before, after, alt, at_target")
    );

    let e = error("wasm:opcode:i32.*:entry");
    assert_eq!(e.part, 3);
    assert!(e.message.starts_with("none of the"), "{e:?}");

    let e = error("wasm:func:entry:before");
    assert_eq!(e.part, 3);
    assert_eq!(e.message, "`wasm:func:entry` takes no mode");

    let e = error("wasm:opcode:call");
    assert_eq!(e.part, 2);
    assert_eq!(
        e.message,
        "`wasm:opcode:call` needs a mode: one of before, after, alt"
    );
    assert_eq!(e.help.as_deref(), Some("e.g. `wasm:opcode:call:before`"));
}

#[test]
fn event_count_errors() {
    let e = error("wasm:opcode");
    assert_eq!(e.part, 1);
    assert_eq!(e.message, "`wasm:opcode` needs an event");
    assert!(
        e.help
            .unwrap()
            .contains("e.g. `wasm:opcode:unreachable:before`")
    );

    let e = error("wasm:func");
    assert!(e.help.unwrap().contains("entry, exit"));

    let e = error("wasm:begin:x");
    assert_eq!(e.part, 2);
    assert_eq!(e.message, "`wasm:begin` has no events");

    let e = error("wasm");
    assert_eq!(e.part, 0);
    let e = error("wasm:opcode:call:before:x");
    assert_eq!(e.part, 4);
}

#[test]
fn hostile_input_does_not_panic() {
    for rule in [
        "",
        ":",
        "::::",
        ":::::::",
        "[",
        "wasm:[:",
        "wasm:opcode:[!:]",
        "((:))",
        "wasm:opcode:***:*?*",
        "wasm:opcode:\u{1F600}:before",
        "|||:|:|:|",
    ] {
        let _ = catalog().match_rule(&split_rule(rule));
        let _ = wham_events::describe(rule, true, true);
    }
}
