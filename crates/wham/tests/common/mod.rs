//! Helpers the test files of this crate share.

/// A rewritten report as the engine target prints it: `probe_id` without
/// the mode, as whamm's engine target spells it (`3_wasm:opcode:br_if`).
pub fn engine_spelling(report: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    for line in report.lines() {
        let mut cols: Vec<&str> = line.split(", ").collect();
        // id (maybe `(a; b)`), id_type, name, whamm_type, wasm_type,
        // script_id, fname, fid, pc, probe_id, value: find probe_id as
        // the column after `pc` that holds `<n>_<rule>`.
        let at = cols.iter().position(|c| {
            c.split_once('_')
                .is_some_and(|(n, rule)| n.parse::<u32>().is_ok() && rule.contains(':'))
        });
        let fixed;
        if let Some(i) = at {
            let (n, rule) = cols[i].split_once('_').expect("checked");
            let parts: Vec<&str> = rule.split(':').collect();
            let rule = if parts.len() == 4 {
                parts[..3].join(":")
            } else {
                rule.to_string()
            };
            fixed = format!("{n}_{rule}");
            cols[i] = &fixed;
        }
        out.push(cols.join(", "));
    }
    out.join("\n") + "\n"
}

#[test]
fn engine_spelling_drops_the_mode() {
    let row = "0, memaddr, n, u32, i32, script0, f, 0, 5, 2_wasm:opcode:br_if:before, 3";
    assert_eq!(
        engine_spelling(row),
        "0, memaddr, n, u32, i32, script0, f, 0, 5, 2_wasm:opcode:br_if, 3\n"
    );
    let row = "0, memaddr, n, u32, i32, script0, f, 0, 1, 1_wasm:func:exit:<no-mode>, 3";
    assert!(engine_spelling(row).contains(", 1_wasm:func:exit, 3"));
}
