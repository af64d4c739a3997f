//! One-line descriptions of opcode events: a table for the irregular
//! instructions, templates for the numeric and SIMD families.

use super::signature::{conversion_source, is_compare, lane_type, scalar};

const DOCS: &[(&str, &str)] = &[
    ("unreachable", "trap unconditionally"),
    ("nop", "do nothing"),
    ("block", "begin a block; branches to it jump past its end"),
    (
        "loop",
        "begin a loop; branches to it jump back to its start",
    ),
    (
        "if",
        "begin an if block, entered when the condition is non-zero",
    ),
    ("else", "begin the else arm of an if block"),
    ("end", "end a block, loop, if, try or the function body"),
    ("br", "branch unconditionally to an enclosing label"),
    (
        "br_if",
        "branch to an enclosing label when the condition is non-zero",
    ),
    (
        "br_table",
        "branch to the label the index selects from a table, else the default",
    ),
    ("return", "return from the function"),
    ("call", "call a function by index"),
    (
        "call_indirect",
        "call the function a table slot holds, checking its type",
    ),
    ("return_call", "tail-call a function by index"),
    (
        "return_call_indirect",
        "tail-call the function a table slot holds",
    ),
    ("call_ref", "call a typed function reference"),
    ("return_call_ref", "tail-call a typed function reference"),
    ("drop", "discard the top operand"),
    ("select", "pick one of two operands by a condition"),
    (
        "typed_select",
        "pick one of two operands of the given type by a condition",
    ),
    (
        "typed_select_multi",
        "multi-value select (parsed, but not valid Wasm today)",
    ),
    ("local.get", "read a local"),
    ("local.set", "write a local"),
    ("local.tee", "write a local and keep the value"),
    ("global.get", "read a global"),
    ("global.set", "write a global"),
    ("memory.size", "current size of a memory, in pages"),
    (
        "memory.grow",
        "grow a memory by a number of pages; -1 on failure",
    ),
    (
        "memory.init",
        "copy bytes from a passive data segment into memory",
    ),
    ("memory.copy", "copy bytes between (or within) memories"),
    ("memory.fill", "fill a memory range with a byte"),
    ("memory.discard", "discard (zero) a memory range"),
    ("data.drop", "drop a passive data segment"),
    ("table.get", "read a table slot"),
    ("table.set", "write a table slot"),
    ("table.size", "current size of a table"),
    ("table.grow", "grow a table; -1 on failure"),
    ("table.fill", "fill a table range with a reference"),
    (
        "table.init",
        "copy references from an element segment into a table",
    ),
    ("table.copy", "copy references between (or within) tables"),
    ("elem.drop", "drop a passive element segment"),
    ("ref.null", "push a null reference"),
    ("ref.is_null", "test whether a reference is null"),
    ("ref.func", "push a reference to a function"),
    ("ref.eq", "compare two references for identity"),
    (
        "ref.as_non_null",
        "trap if the reference is null, else pass it on",
    ),
    ("ref.test", "test whether a reference has a type"),
    (
        "ref.test_null",
        "test whether a reference is null or has a type",
    ),
    (
        "ref.cast",
        "cast a reference to a type, trapping on failure",
    ),
    (
        "ref.cast_null",
        "cast a nullable reference to a type, trapping on failure",
    ),
    ("ref.i31", "box an i32 as an i31 reference"),
    ("i31.get_s", "unbox an i31 reference, sign-extended"),
    ("i31.get_u", "unbox an i31 reference, zero-extended"),
    (
        "any.convert_extern",
        "convert an external reference to an internal one",
    ),
    (
        "extern.convert_any",
        "convert an internal reference to an external one",
    ),
    ("br_on_null", "branch when the reference is null"),
    ("br_on_non_null", "branch when the reference is not null"),
    ("br_on_cast", "branch when a cast succeeds"),
    ("br_on_cast_fail", "branch when a cast fails"),
    ("struct.new", "allocate a struct from field values"),
    (
        "struct.new_default",
        "allocate a struct with default field values",
    ),
    ("struct.get", "read a struct field"),
    ("struct.get_s", "read a packed struct field, sign-extended"),
    ("struct.get_u", "read a packed struct field, zero-extended"),
    ("struct.set", "write a struct field"),
    ("array.new", "allocate an array filled with one value"),
    ("array.new_default", "allocate an array of default values"),
    (
        "array.new_fixed",
        "allocate an array from a fixed number of operands",
    ),
    ("array.new_data", "allocate an array from a data segment"),
    (
        "array.new_elem",
        "allocate an array from an element segment",
    ),
    ("array.get", "read an array element"),
    ("array.get_s", "read a packed array element, sign-extended"),
    ("array.get_u", "read a packed array element, zero-extended"),
    ("array.set", "write an array element"),
    ("array.len", "length of an array"),
    ("array.fill", "fill an array range with a value"),
    ("array.copy", "copy elements between arrays"),
    ("array.init_data", "copy a data segment into an array"),
    ("array.init_elem", "copy an element segment into an array"),
    (
        "try_table",
        "begin a block whose exceptions are caught by its catch clauses",
    ),
    ("throw", "throw an exception with a tag"),
    ("throw_ref", "rethrow an exception reference"),
    ("try", "begin a legacy try block"),
    ("catch", "begin a legacy catch clause for a tag"),
    ("catch_all", "begin a legacy catch-all clause"),
    ("rethrow", "rethrow the exception a legacy catch caught"),
    (
        "delegate",
        "end a legacy try block, delegating its exceptions outward",
    ),
    ("atomic.fence", "order memory accesses across threads"),
    ("memory.atomic.notify", "wake threads waiting on an address"),
    (
        "memory.atomic.wait32",
        "wait on a 32-bit address until notified or timed out",
    ),
    (
        "memory.atomic.wait64",
        "wait on a 64-bit address until notified or timed out",
    ),
    (
        "cont.new",
        "create a continuation from a function reference",
    ),
    ("cont.bind", "bind some arguments of a continuation"),
    ("suspend", "suspend the current continuation with a tag"),
    ("resume", "resume a continuation"),
    ("resume_throw", "resume a continuation by throwing into it"),
    (
        "resume_throw_ref",
        "resume a continuation by throwing an exception reference into it",
    ),
    ("switch", "switch to another continuation"),
    (
        "i64.add128",
        "add two 128-bit integers given as (low, high) i64 pairs",
    ),
    (
        "i64.sub128",
        "subtract two 128-bit integers given as (low, high) i64 pairs",
    ),
    ("i64.mul_wide_s", "signed 64x64 to 128-bit multiplication"),
    ("i64.mul_wide_u", "unsigned 64x64 to 128-bit multiplication"),
];

/// The one-line description of the opcode named `name`.
pub(crate) fn event_doc(name: &str, proposal: &str) -> String {
    if let Some((_, doc)) = DOCS.iter().find(|(n, _)| *n == name) {
        return (*doc).to_string();
    }
    let (prefix, op) = name.split_once('.').unwrap_or(("", name));
    let family = if scalar(prefix).is_some() {
        scalar_doc(prefix, op)
    } else if prefix == "v128" || lane_type(prefix).is_some() {
        simd_doc(prefix, op)
    } else {
        None
    };
    family.unwrap_or_else(|| format!("the `{name}` instruction ({proposal} proposal)"))
}

fn scalar_doc(t: &str, op: &str) -> Option<String> {
    let (atomic, op) = match op.strip_prefix("atomic.") {
        Some(rest) => ("atomically ", rest),
        None => ("", op),
    };
    if let Some(rmw) = op.strip_prefix("rmw") {
        let (bits, what) = rmw.split_once('.')?;
        let what = what.trim_end_matches("_u");
        return Some(if bits.is_empty() {
            format!("atomic read-modify-write ({what}) of an {t} in memory")
        } else {
            format!("atomic read-modify-write ({what}) of {bits} bits of memory, as {t}")
        });
    }
    if op == "const" {
        return Some(format!("push a constant {t}"));
    }
    if let Some(rest) = op.strip_prefix("load") {
        return Some(match rest.split_once('_') {
            Some((bits, "s")) => format!("{atomic}load {bits} bits, sign-extended to {t}"),
            Some((bits, _)) => format!("{atomic}load {bits} bits, zero-extended to {t}"),
            None => format!("{atomic}load an {t} from memory"),
        });
    }
    if let Some(bits) = op.strip_prefix("store") {
        return Some(if bits.is_empty() {
            format!("{atomic}store an {t} to memory")
        } else {
            format!("{atomic}store the low {bits} bits of an {t} to memory")
        });
    }
    if is_compare(op) {
        return Some(format!("{t} comparison `{op}`, 1 if true else 0"));
    }
    if let Some(src) = conversion_source(op) {
        // `trunc_sat_f32_s` → "trunc_sat": the words before the source type.
        let how: Vec<&str> = op.split('_').take_while(|t| scalar(t).is_none()).collect();
        let how = how.join("_");
        return Some(format!("convert {src} to {t} ({how})"));
    }
    if let Some(bits) = op.strip_prefix("extend").and_then(|b| b.strip_suffix("_s")) {
        return Some(format!("sign-extend the low {bits} bits of an {t}"));
    }
    Some(format!("{t} arithmetic `{op}`"))
}

fn simd_doc(shape: &str, op: &str) -> Option<String> {
    if shape == "v128" {
        if let Some(rest) = op.strip_prefix("load") {
            return Some(format!("load a vector from memory (`load{rest}`)"));
        }
        if let Some(rest) = op.strip_prefix("store") {
            return Some(format!("store a vector to memory (`store{rest}`)"));
        }
        if op == "const" {
            return Some("push a constant v128".to_string());
        }
        return Some(format!("v128 bitwise `{op}`"));
    }
    Some(format!("SIMD {shape} `{op}`"))
}

#[cfg(test)]
mod tests {
    use super::event_doc;

    #[test]
    fn family_docs() {
        assert_eq!(event_doc("i32.load", "mvp"), "load an i32 from memory");
        assert_eq!(
            event_doc("i64.load8_s", "mvp"),
            "load 8 bits, sign-extended to i64"
        );
        assert_eq!(
            event_doc("i64.atomic.rmw32.cmpxchg_u", "threads"),
            "atomic read-modify-write (cmpxchg) of 32 bits of memory, as i64"
        );
        assert_eq!(
            event_doc("f32.convert_i64_u", "mvp"),
            "convert i64 to f32 (convert)"
        );
    }
}
