//! Monitors that `wham monitor` writes for scripts within what the Wizard
//! engine offers ask Wizard only for what it supplies, in the grammar it
//! parses (`wham_engine::wizard`), so they load and fire there too.

/// Scripts of the classic tools, written against Wizard's feature set:
/// `before` probes, bounds, per-site state, predicates, maps, strings.
const SCRIPTS: &[(&str, &str)] = &[
    ("icount", "var n: u64; wasm:opcode:*:before { n++; }"),
    (
        "branches",
        "wasm:opcode:br_if:before { report var taken: u32; report var not_taken: u32;
            if (arg0 != 0) { taken++; } else { not_taken++; } }",
    ),
    (
        "calls by name",
        r#"report var calls: map<u32, u32>;
        wasm:opcode:call:before / fname != "main" / { calls[imm0]++; }"#,
    ),
    (
        "blocks",
        "wasm:block:end { report var runs: u32; report var size: u32 = instr_count; runs++; }",
    ),
    (
        "entries",
        "wasm:func:entry { report var entered: u32; entered++; }
         wasm:func:exit { report var left: u32; left++; }",
    ),
    (
        "memory",
        "report var bytes: map<u32, u32>;
         wasm:opcode:i32.load|i32.store:before { bytes[fid] = bytes[fid] + (offset as u32); }",
    ),
    (
        "typed operands",
        "wasm:opcode:local.set(arg0: i64):before { report var big: u32; if (arg0 > 1000) { big++; } }",
    ),
    (
        "generic",
        "wasm:opcode:local.tee<T: int>(arg0: T):before { report var last: T; last = arg0; }",
    ),
    // Event constants (`category_*`, `opname`) and `addr` are not among
    // Wizard's values: the monitor must not ask for them.
    (
        "instruction mix",
        "report var by_id: map<u32, u32>; report var by_name: map<str, u32>;
         wasm:opcode:*:before { by_id[category_id]++; by_name[category_name]++; }",
    ),
    (
        "memory tracing",
        "report var accesses: map<(i32, bool), u32>;
         wasm:opcode:i32.store:before { accesses[(addr as i32, true)]++; }
         wasm:opcode:i32.load:before / opname == \"i32.load\" / { accesses[(addr as i32, false)]++; }",
    ),
];

fn export_names(module: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    for payload in wasmparser::Parser::new(0).parse_all(module) {
        if let Ok(wasmparser::Payload::ExportSection(exports)) = payload {
            out.extend(exports.into_iter().flatten().map(|e| e.name.to_string()));
        }
    }
    out
}

#[test]
fn monitors_of_wizard_level_scripts_fit_wizard() {
    for (tool, src) in SCRIPTS {
        let (checked, diags) = wham_lang::compile(src);
        let checked =
            checked.unwrap_or_else(|| panic!("{tool}: {}", diags.render_plain("s.mm", src)));
        let monitor = wham_engine::build(&checked, &Default::default())
            .unwrap_or_else(|e| panic!("{tool}: {e}"));
        let names = export_names(&monitor.bytes);
        let probes: Vec<_> = names
            .iter()
            .filter_map(|n| wham_engine::wizard::check_export(n).map(|r| (n, r)))
            .collect();
        assert!(!probes.is_empty(), "{tool}: no probe exports");
        for (name, result) in probes {
            assert_eq!(result, Ok(()), "{tool}: `{name}`");
        }
        assert!(
            names.iter().any(|n| n == "wasm:exit"),
            "{tool}: no `wasm:exit`"
        );
    }
}

#[test]
fn monitors_using_wham_only_features_say_so() {
    // `after` and assigned operands exist on wham's engine only.
    for src in [
        "wasm:opcode:call:after { report var done: u32; done++; }",
        "wasm:opcode:i32.add:before { arg0 = 1; }",
    ] {
        let (checked, _) = wham_lang::compile(src);
        let monitor = wham_engine::build(&checked.expect("compiles"), &Default::default()).unwrap();
        let refused = export_names(&monitor.bytes)
            .iter()
            .filter_map(|n| wham_engine::wizard::check_export(n))
            .any(|r| r.is_err());
        assert!(refused, "{src}");
    }
}
