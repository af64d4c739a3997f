//! `wham info`: a plain-text description of everything a rule matches.

use std::fmt::Write;

use crate::matching::split_rule;
use crate::{BoundFn, BoundVar, Event, EventMatch, MatchError, OpcodeInfo, ValueKind, WasmType};

/// Describes the events `rule` matches: rule names, modes and docs, opcode
/// facts, and with `show_vars` / `show_fns` the bound variables and
/// functions (provider-, package- and core-level ones once each).
pub fn describe(rule: &str, show_vars: bool, show_fns: bool) -> Result<String, MatchError> {
    let parts = split_rule(rule);
    let cat = crate::catalog();
    let matches = cat.match_rule(&parts)?;
    let mut out = String::new();
    if show_vars || show_fns {
        out.push_str("core: in scope in every probe\n");
        section(&mut out, show_vars, &cat.core_vars, show_fns, &cat.core_fns);
    }
    let mut last_provider = "";
    let mut last_package = "";
    let mut i = 0;
    while i < matches.len() {
        let m = matches[i];
        if m.provider.name != last_provider {
            last_provider = &m.provider.name;
            last_package = "";
            let _ = writeln!(out, "\n{} — {}", m.provider.name, m.provider.doc);
            section(
                &mut out,
                show_vars,
                &m.provider.vars,
                show_fns,
                &m.provider.fns,
            );
        }
        if m.package.name != last_package {
            last_package = &m.package.name;
            let _ = writeln!(
                out,
                "\n{}:{} — {}",
                m.provider.name, m.package.name, m.package.doc
            );
            section(
                &mut out,
                show_vars,
                &m.package.vars,
                show_fns,
                &m.package.fns,
            );
        }
        // Consecutive matches of one event differ only in the mode.
        let group = matches[i..]
            .iter()
            .take_while(|n| same_event(n, &m))
            .count();
        if let Some(event) = m.event {
            describe_event(&mut out, &matches[i..i + group], event, show_vars, show_fns);
        }
        i += group;
    }
    Ok(out.trim_start_matches('\n').to_string())
}

fn same_event(a: &EventMatch<'_>, b: &EventMatch<'_>) -> bool {
    std::ptr::eq(a.package, b.package)
        && match (a.event, b.event) {
            (Some(x), Some(y)) => std::ptr::eq(x, y),
            (None, None) => true,
            _ => false,
        }
}

fn describe_event(
    out: &mut String,
    group: &[EventMatch<'_>],
    event: &Event,
    show_vars: bool,
    show_fns: bool,
) {
    let m = group[0];
    let _ = writeln!(
        out,
        "\n{}:{}:{} — {}",
        m.provider.name, m.package.name, event.name, event.doc
    );
    if let Some(op) = &event.opcode {
        opcode_facts(out, op);
    }
    let modes: Vec<_> = group.iter().filter_map(|g| g.mode).collect();
    if !modes.is_empty() {
        out.push_str("  modes:\n");
        let width = modes.iter().map(|m| m.name.len()).max().unwrap_or(0);
        for mode in modes {
            let _ = writeln!(out, "    {:width$}  — {}", mode.name, mode.doc);
        }
    }
    section(out, show_vars, &event.vars, show_fns, &event.fns);
}

fn opcode_facts(out: &mut String, op: &OpcodeInfo) {
    let _ = writeln!(
        out,
        "  opcode 0x{:02X}, category {} ({}), proposal {}",
        op.bytecode,
        op.category.name(),
        op.category.id(),
        op.proposal
    );
    if op.operands.is_none() && op.results.is_none() {
        out.push_str("  signature: depends on the site\n");
    } else {
        let _ = writeln!(
            out,
            "  signature: {} -> {}",
            types(op.operands.as_deref()),
            types(op.results.as_deref())
        );
    }
    if let Some(mem) = op.mem {
        let _ = writeln!(
            out,
            "  memory access: {} byte{}, {}, address in arg{}",
            mem.size,
            if mem.size == 1 { "" } else { "s" },
            if mem.is_write { "writes" } else { "reads" },
            mem.addr_arg
        );
    }
}

fn types(tys: Option<&[WasmType]>) -> String {
    match tys {
        None => "(depends on the site)".to_string(),
        Some(tys) => {
            let names: Vec<String> = tys.iter().map(ToString::to_string).collect();
            format!("[{}]", names.join(", "))
        }
    }
}

fn section(out: &mut String, show_vars: bool, vars: &[BoundVar], show_fns: bool, fns: &[BoundFn]) {
    if show_vars && !vars.is_empty() {
        out.push_str("  variables:\n");
        let lines: Vec<(String, String)> = vars.iter().map(var_line).collect();
        columns(out, &lines);
    }
    if show_fns && !fns.is_empty() {
        // Signatures vary too much in length to align their docs.
        out.push_str("  functions:\n");
        for f in fns {
            let (left, right) = fn_line(f);
            let _ = writeln!(out, "    {left}  {right}");
        }
    }
}

/// Writes (left, right) pairs with the right column aligned.
fn columns(out: &mut String, lines: &[(String, String)]) {
    let width = lines
        .iter()
        .map(|(l, _)| l.chars().count())
        .max()
        .unwrap_or(0);
    for (left, right) in lines {
        let pad = width - left.chars().count();
        let _ = writeln!(out, "    {left}{}  {right}", " ".repeat(pad));
    }
}

fn kind(k: ValueKind) -> &'static str {
    match k {
        ValueKind::Static => "static",
        ValueKind::Dynamic => "dynamic",
    }
}

fn var_line(v: &BoundVar) -> (String, String) {
    let name = if v.family {
        format!("{}N", v.name)
    } else {
        v.name.clone()
    };
    let mut flags = vec![kind(v.kind).to_string()];
    if v.assignable {
        flags.push("assignable".to_string());
    }
    if !v.only_in_modes.is_empty() {
        flags.push(format!("{} only", v.only_in_modes.join("/")));
    }
    if v.engine_only {
        flags.push("engine only".to_string());
    }
    let mut right = format!("({})", flags.join(", "));
    if let Some(d) = &v.derived {
        let _ = write!(right, "  = {d}");
    }
    let _ = write!(right, "  — {}", v.doc);
    (format!("{name}: {}", v.ty), right)
}

fn fn_line(f: &BoundFn) -> (String, String) {
    let params: Vec<String> = f.params.iter().map(|(n, t)| format!("{n}: {t}")).collect();
    (
        format!("{}({}) -> {}", f.name, params.join(", "), f.ret),
        format!("({})  — {}", kind(f.kind), f.doc),
    )
}
