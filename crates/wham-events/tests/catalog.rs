//! Bound data of events, looked up the way the checker does.

use wham_events::{EventMatch, Ty, ValueKind, VarLookup, catalog, split_rule};

fn one(rule: &str) -> EventMatch<'static> {
    let m = catalog().match_rule(&split_rule(rule)).expect(rule);
    assert_eq!(m.len(), 1, "{rule}");
    m[0]
}

fn var(rule: &str, name: &str) -> (Ty, ValueKind, Option<String>) {
    match one(rule).find_var(name) {
        VarLookup::Found { var, .. } => (var.ty.clone(), var.kind, var.derived.clone()),
        other => panic!("{rule} {name}: {other:?}"),
    }
}

#[test]
fn structure() {
    let cat = catalog();
    let providers: Vec<_> = cat.providers.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(providers, ["wasm", "wasi"]);
    let wasm = &cat.providers[0];
    let names: Vec<_> = wasm.packages.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        ["opcode", "func", "block", "begin", "end", "trap", "report"]
    );
    let wasi = &cat.providers[1];
    assert_eq!(wasi.packages.len(), 1);
    assert_eq!(
        wasi.packages[0].events.len(),
        wham_events::wasi::FUNCTIONS.len()
    );
    for p in &wasm.packages {
        assert!(!p.doc.is_empty());
        for e in &p.events {
            assert!(!e.doc.is_empty(), "{}", e.name);
        }
    }
    for v in cat.core_vars.iter().chain(&wasm.vars) {
        assert!(!v.doc.is_empty(), "{}", v.name);
    }
    for f in &cat.core_fns {
        assert!(!f.doc.is_empty(), "{}", f.name);
    }
}

/// WASI calls: parameters by name are the argN they are, top of the stack
/// first, with the function's own types.
#[test]
fn wasi_call_events() {
    let rule = "wasi:call:fd_write:before";
    let info = one(rule).event.unwrap().opcode.clone().unwrap();
    assert_eq!(info.operands.unwrap().len(), 4);
    assert_eq!(var(rule, "fd").0, Ty::U32);
    assert_eq!(wham_events::wasi::param_arg("fd_write", "fd"), Some(3));
    assert_eq!(
        wham_events::wasi::param_arg("fd_write", "nwritten"),
        Some(0)
    );
    assert_eq!(var("wasi:call:fd_write:after", "errno").0, Ty::I32);
    assert_eq!(
        var("wasi:call:clock_time_get:before", "precision").0,
        Ty::U64
    );
    // proc_exit never returns: no `after`.
    assert!(
        catalog()
            .match_rule(&split_rule("wasi:call:proc_exit:after"))
            .is_err()
    );
}

#[test]
fn memory_access_vars() {
    let load = "wasm:opcode:i32.load:before";
    assert_eq!(var(load, "arg0").0, Ty::U32);
    assert_eq!(var(load, "addr").2.as_deref(), Some("arg0"));
    assert_eq!(
        var(load, "effective_addr").2.as_deref(),
        Some("addr + offset")
    );
    assert_eq!(var(load, "offset"), (Ty::U64, ValueKind::Static, None));
    let store = "wasm:opcode:i32.store:before";
    assert_eq!(var(store, "addr").2.as_deref(), Some("arg1"));
    assert_eq!(var(store, "arg0").0, Ty::I32);
    assert_eq!(var(store, "arg1").0, Ty::U32);
    let cmpxchg = "wasm:opcode:i32.atomic.rmw.cmpxchg:before";
    assert_eq!(var(cmpxchg, "addr").2.as_deref(), Some("arg2"));
    let info = one(cmpxchg).event.unwrap().opcode.clone().unwrap();
    let mem = info.mem.unwrap();
    assert_eq!((mem.size, mem.is_write, mem.addr_arg), (4, true, 2));
    let wait = one("wasm:opcode:memory.atomic.wait64:before")
        .event
        .unwrap();
    assert_eq!(wait.opcode.as_ref().unwrap().mem.unwrap().size, 8);
    let lane = one("wasm:opcode:v128.load16_lane:before").event.unwrap();
    let mem = lane.opcode.as_ref().unwrap().mem.unwrap();
    assert_eq!((mem.size, mem.is_write, mem.addr_arg), (2, false, 1));
}

#[test]
fn branch_table_vars() {
    let rule = "wasm:opcode:br_table:before";
    assert_eq!(
        var(rule, "targets").0,
        Ty::Map(Box::new(Ty::U32), Box::new(Ty::U32))
    );
    assert_eq!(var(rule, "default_target").1, ValueKind::Static);
    assert_eq!(var(rule, "num_targets").0, Ty::U32);
    assert_eq!(var(rule, "target").1, ValueKind::Dynamic);
    assert_eq!(var(rule, "arg0").0, Ty::U32);
    match one(rule).find_var("imm7") {
        VarLookup::Found { var, index } => {
            assert!(var.family);
            assert_eq!(var.ty, Ty::U32);
            assert_eq!(index, Some(7));
        }
        other => panic!("{other:?}"),
    }
    // The operands under the index depend on the branch target.
    match one(rule).find_var("arg3") {
        VarLookup::Found { var, index } => {
            assert!(var.family);
            assert_eq!(index, Some(3));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn call_families() {
    let call = one("wasm:opcode:call:before");
    for name in ["arg0", "arg12"] {
        match call.find_var(name) {
            VarLookup::Found { var, .. } => {
                assert!(var.family);
                assert_eq!(var.ty, Ty::Unknown);
            }
            other => panic!("{other:?}"),
        }
    }
    assert!(matches!(call.find_var("res0"), VarLookup::WrongMode { .. }));
    let after = one("wasm:opcode:call:after");
    assert!(matches!(after.find_var("res1"), VarLookup::Found { .. }));
    assert_eq!(var("wasm:opcode:call:before", "imm0").0, Ty::U32);
    assert_eq!(var("wasm:opcode:call:before", "target_fn_name").0, Ty::Str);
    assert!(call.find_fn("alt_call_by_id").is_some());
    assert!(call.find_fn("alt_call_by_name").is_some());
    assert!(call.find_fn("drop_args").is_some());
    assert!(call.find_fn("memcpy").is_some());
    assert!(call.find_fn("resolve_funcref").is_none());
    let indirect = one("wasm:opcode:call_indirect:before");
    assert!(indirect.find_fn("resolve_funcref").is_some());
    assert_eq!(var("wasm:opcode:call_indirect:before", "arg0").0, Ty::I32);
    assert_eq!(
        var("wasm:opcode:call_indirect:before", "table_entry_idx")
            .2
            .as_deref(),
        Some("arg0")
    );
    // return_call never falls through: no results, no after.
    let tail = one("wasm:opcode:return_call:before");
    assert!(matches!(
        tail.find_var("res0"),
        VarLookup::OutOfRange { count: 0, .. }
    ));
}

#[test]
fn fixed_counts_and_modes() {
    let add = one("wasm:opcode:i32.add:before");
    match add.find_var("arg2") {
        VarLookup::OutOfRange { family, count } => {
            assert_eq!(family, "arg");
            assert_eq!(count, 2);
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        add.find_var("imm0"),
        VarLookup::OutOfRange { count: 0, .. }
    ));
    match add.find_var("res0") {
        VarLookup::WrongMode { modes, .. } => assert_eq!(modes, ["after"]),
        other => panic!("{other:?}"),
    }
    let grow = one("wasm:opcode:memory.grow:after");
    match grow.find_var("failed") {
        VarLookup::Found { var, .. } => {
            assert_eq!(var.derived.as_deref(), Some("res0 == -1"));
        }
        other => panic!("{other:?}"),
    }
    let before = one("wasm:opcode:memory.grow:before");
    assert!(matches!(
        before.find_var("failed"),
        VarLookup::WrongMode { .. }
    ));
}

#[test]
fn scopes() {
    let entry = one("wasm:func:entry");
    assert!(matches!(entry.find_var("fid"), VarLookup::Found { .. }));
    assert!(matches!(
        entry.find_var("APP_MEMID"),
        VarLookup::Found { .. }
    ));
    match entry.find_var("local3") {
        VarLookup::Found { var, index } => {
            assert_eq!(var.name, "local");
            assert_eq!(index, Some(3));
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(entry.find_var("arg0"), VarLookup::NotFound));
    assert!(matches!(entry.find_var("opname"), VarLookup::NotFound));
    assert!(matches!(entry.find_var("nope"), VarLookup::NotFound));
    match one("wasm:func:entry").find_var("probe_id") {
        VarLookup::Found { var, .. } => assert!(var.engine_only),
        other => panic!("{other:?}"),
    }
    assert_eq!(var("wasm:block:end", "instr_count").0, Ty::U32);
    assert!(matches!(
        one("wasm:block:start").find_var("instr_count"),
        VarLookup::NotFound
    ));
    let begin = one("wasm:begin");
    assert!(begin.event.is_none() && begin.mode.is_none());
    assert!(begin.find_fn("mem_size").is_some());
    let names: Vec<_> = one("wasm:opcode:i32.load:before")
        .vars()
        .iter()
        .map(|v| v.name.as_str())
        .collect();
    assert!(names.contains(&"arg0") && names.contains(&"opname") && names.contains(&"fid"));
    assert!(names.contains(&"APP_MEMID") && !names.contains(&"res0"));
    let fns: Vec<_> = one("wasm:opcode:memory.fill:alt")
        .fns()
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(&fns[..2], ["dup_at", "drop_args"]);
}

#[test]
fn gc_and_ref_vars() {
    assert_eq!(
        var("wasm:opcode:struct.get:before", "tid").2.as_deref(),
        Some("imm0")
    );
    assert_eq!(
        var("wasm:opcode:struct.set:before", "field_idx")
            .2
            .as_deref(),
        Some("imm1")
    );
    assert_eq!(var("wasm:opcode:array.new:before", "tid").0, Ty::U32);
    assert_eq!(
        var("wasm:opcode:ref.func:before", "resolved_fid"),
        (Ty::I32, ValueKind::Static, Some("imm0".to_string()))
    );
    assert_eq!(
        var("wasm:opcode:call_ref:before", "resolved_fid").1,
        ValueKind::Static
    );
}

#[test]
fn rule_names() {
    assert_eq!(
        one("wasm:opcode:br_if:before").rule_name(),
        "wasm:opcode:br_if:before"
    );
    assert_eq!(one("wasm:func:entry").rule_name(), "wasm:func:entry");
    assert_eq!(one("wasm:begin").rule_name(), "wasm:begin");
}
