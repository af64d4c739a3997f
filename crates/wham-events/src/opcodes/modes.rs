//! Which modes each opcode event offers.
//!
//! Decided divergence: instructions that never fall through (`br`,
//! `return`, `throw`, ...) have no `after` mode; in the original such a
//! probe could never run.

use crate::Mode;

const BEFORE: Mode = Mode {
    name: "before",
    doc: "runs just before the instruction; its operands are readable as argN and assignable",
    report_name: "before",
};
const AFTER: Mode = Mode {
    name: "after",
    doc: "runs right after the instruction completes; its results are readable as resN and assignable",
    report_name: "after",
};
const ALT: Mode = Mode {
    name: "alt",
    doc: "replaces the instruction; the body consumes its operands and must leave its results",
    report_name: "alt",
};
const BLOCK_AFTER: Mode = Mode {
    name: "after",
    doc: "runs after the whole construct, past its matching `end`",
    report_name: "semantic_after",
};
const BLOCK_ALT: Mode = Mode {
    name: "alt",
    doc: "replaces the whole construct, up to and including its matching `end`",
    report_name: "block_alt",
};
const ENTRY: Mode = Mode {
    name: "entry",
    doc: "runs first thing inside the construct's body",
    report_name: "entry",
};
const EXIT: Mode = Mode {
    name: "exit",
    doc: "runs last thing inside the construct's body, when control reaches its end",
    report_name: "exit",
};
const AT_TARGET: Mode = Mode {
    name: "at_target",
    doc: "runs at the branch destination, only when the branch is taken",
    report_name: "semantic_after",
};

/// Constructs with a body: probes can run inside it (`entry`, `exit`).
const STRUCTURED: &[&str] = &[
    "block",
    "loop",
    "if",
    "else",
    "try_table",
    "try",
    "catch",
    "catch_all",
];
/// Branches: probes can run where the branch lands (`at_target`).
const BRANCHES: &[&str] = &[
    "br",
    "br_if",
    "br_table",
    "br_on_null",
    "br_on_non_null",
    "br_on_cast",
    "br_on_cast_fail",
    "br_on_cast_desc_eq",
    "br_on_cast_desc_eq_fail",
];
/// Instructions after which control never continues in sequence.
const NO_FALLTHROUGH: &[&str] = &[
    "unreachable",
    "br",
    "br_table",
    "return",
    "return_call",
    "return_call_indirect",
    "return_call_ref",
    "throw",
    "throw_ref",
    "rethrow",
];

/// The modes of the opcode named `name`, in their canonical order.
pub(crate) fn modes(name: &str) -> Vec<Mode> {
    if name == "end" {
        return vec![BEFORE, AFTER];
    }
    if STRUCTURED.contains(&name) {
        return vec![BEFORE, BLOCK_AFTER, BLOCK_ALT, ENTRY, EXIT];
    }
    let mut modes = vec![BEFORE];
    if !NO_FALLTHROUGH.contains(&name) {
        modes.push(AFTER);
    }
    modes.push(ALT);
    if BRANCHES.contains(&name) {
        modes.push(AT_TARGET);
    }
    modes
}

/// Whether the opcode can fall through to the next instruction.
pub(crate) fn falls_through(name: &str) -> bool {
    !NO_FALLTHROUGH.contains(&name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(op: &str) -> Vec<&'static str> {
        modes(op).iter().map(|m| m.name).collect()
    }

    #[test]
    fn mode_sets() {
        assert_eq!(names("i32.add"), ["before", "after", "alt"]);
        assert_eq!(names("unreachable"), ["before", "alt"]);
        assert_eq!(names("end"), ["before", "after"]);
        assert_eq!(names("br"), ["before", "alt", "at_target"]);
        assert_eq!(names("br_if"), ["before", "after", "alt", "at_target"]);
        assert_eq!(names("if"), ["before", "after", "alt", "entry", "exit"]);
        assert_eq!(names("return_call"), ["before", "alt"]);
    }
}
