//! The opcode events against wasmparser itself: coverage, opcode numbers
//! (decoded back), names, and signatures (checked by the validator).

use std::collections::{HashMap, HashSet};

use wasm_encoder::{
    CodeSection, CompositeInnerType, CompositeType, ConstExpr, ContType, DataCountSection,
    DataSection, ElementSection, Elements, ExportKind, ExportSection, FieldType, FuncType,
    Function, FunctionSection, GlobalSection, GlobalType, HeapType, MemorySection, MemoryType,
    Module, RefType, StorageType, SubType, TableSection, TableType, TagKind, TagSection, TagType,
    TypeSection, ValType,
};
use wasmparser::{BinaryReader, OperatorsReader, Validator, WasmFeatures};
use wham_events::{Event, WasmType, catalog, sample_encoding};

/// (proposal, variant, arity annotation) straight from wasmparser.
struct Op {
    proposal: &'static str,
    variant: &'static str,
    arity: &'static str,
}

macro_rules! list_ops {
    ($( @$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*) )*) => {
        const OPS: &[Op] = &[$(Op {
            proposal: stringify!($proposal),
            variant: stringify!($op),
            arity: stringify!($($ann)*),
        },)*];
    };
}
wasmparser::for_each_operator!(list_ops);

fn arity(op: &Op) -> Option<(usize, usize)> {
    let (pops, pushes) = op.arity.strip_prefix("arity")?.split_once("->")?;
    Some((pops.trim().parse().ok()?, pushes.trim().parse().ok()?))
}

fn opcode_events() -> Vec<&'static Event> {
    catalog().providers[0]
        .packages
        .iter()
        .find(|p| p.name == "opcode")
        .expect("opcode package")
        .events
        .iter()
        .collect()
}

fn event(name: &str) -> &'static Event {
    opcode_events()
        .into_iter()
        .find(|e| e.name == name)
        .unwrap_or_else(|| panic!("no event {name}"))
}

fn variant_of(op: &wasmparser::Operator<'_>) -> String {
    format!("{op:?}")
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect()
}

/// Opcode bytes of a catalog bytecode, encoded here independently.
fn opcode_bytes(code: u32) -> Vec<u8> {
    if code < 0x100 {
        return vec![code as u8];
    }
    let (prefix, mut sub) = if code <= 0xFFFF {
        (code >> 8, code & 0xFF)
    } else {
        (code >> 16, code & 0xFFFF)
    };
    let mut out = vec![prefix as u8];
    loop {
        let byte = (sub & 0x7F) as u8;
        sub >>= 7;
        if sub == 0 {
            out.push(byte);
            return out;
        }
        out.push(byte | 0x80);
    }
}

/// Decodes `bytes` (with filler) as one instruction, inside an `if` or a
/// `try` frame when the instruction needs one.
fn decodes_to(bytes: &[u8]) -> Vec<String> {
    let mut found = Vec::new();
    for filler in [&[][..], &[0x01, 0x7F][..]] {
        for preamble in [&[][..], &[0x04, 0x40][..], &[0x06, 0x40][..]] {
            let mut buf = preamble.to_vec();
            buf.extend_from_slice(bytes);
            buf.extend_from_slice(filler);
            buf.resize(buf.len() + 40, 0);
            let mut reader = OperatorsReader::new(BinaryReader::new(&buf, 0));
            if !preamble.is_empty() && reader.read().is_err() {
                continue;
            }
            if let Ok(op) = reader.read() {
                found.push(variant_of(&op));
                break;
            }
        }
    }
    found
}

#[test]
fn every_operator_has_exactly_one_event() {
    let events = opcode_events();
    assert_eq!(events.len(), OPS.len());
    for op in OPS {
        let matching: Vec<_> = events
            .iter()
            .filter(|e| e.opcode.as_ref().unwrap().variant == op.variant)
            .collect();
        assert_eq!(matching.len(), 1, "{}", op.variant);
        let info = matching[0].opcode.as_ref().unwrap();
        assert_eq!(info.proposal, op.proposal, "{}", op.variant);
        assert_ne!(info.bytecode, u32::MAX, "{} has no bytecode", op.variant);
    }
}

#[test]
fn every_bytecode_decodes_back_to_its_operator() {
    for e in opcode_events() {
        let info = e.opcode.as_ref().unwrap();
        let decoded = decodes_to(&opcode_bytes(info.bytecode));
        assert!(
            decoded.iter().any(|v| v == info.variant),
            "{} ({:#X}) decodes to {decoded:?}",
            e.name,
            info.bytecode
        );
        let sample = sample_encoding(&e.name).expect("sample");
        assert!(
            sample.starts_with(&opcode_bytes(info.bytecode)),
            "{}",
            e.name
        );
        assert!(
            decodes_to(sample).iter().any(|v| v == info.variant),
            "{}",
            e.name
        );
    }
}

#[test]
fn bytecodes_are_unique_except_select_t() {
    let mut seen: HashMap<u32, &str> = HashMap::new();
    for e in opcode_events() {
        let code = e.opcode.as_ref().unwrap().bytecode;
        if let Some(prev) = seen.insert(code, &e.name) {
            // `select t*`: one opcode, two variants by type count.
            assert_eq!(code, 0x1C, "{prev} and {} share {code:#X}", e.name);
        }
    }
}

#[test]
fn names_are_unique_wat_mnemonics() {
    let mut seen = HashSet::new();
    for e in opcode_events() {
        assert!(seen.insert(e.name.as_str()), "duplicate {}", e.name);
        assert!(
            e.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.'),
            "{}",
            e.name
        );
        assert!(!e.doc.is_empty() && !e.doc.contains('\n'), "{}", e.name);
        assert!(!e.modes.is_empty(), "{}", e.name);
        for v in &e.vars {
            assert!(!v.doc.is_empty(), "{}.{}", e.name, v.name);
        }
    }
}

#[test]
fn counts_agree_with_wasmparser_arity() {
    for op in OPS {
        let Some((pops, pushes)) = arity(op) else {
            continue;
        };
        let e = opcode_events()
            .into_iter()
            .find(|e| e.opcode.as_ref().unwrap().variant == op.variant)
            .unwrap();
        let info = e.opcode.as_ref().unwrap();
        if let Some(ops) = &info.operands {
            assert_eq!(ops.len(), pops, "operands of {}", e.name);
        }
        if let Some(res) = &info.results {
            assert_eq!(res.len(), pushes, "results of {}", e.name);
        }
    }
}

#[test]
fn numeric_families_have_fixed_signatures() {
    for e in opcode_events() {
        let info = e.opcode.as_ref().unwrap();
        let numeric = matches!(
            info.proposal,
            "simd" | "relaxed_simd" | "threads" | "sign_extension" | "saturating_float_to_int"
        ) || e.name.starts_with("i32.")
            || e.name.starts_with("i64.")
            || e.name.starts_with("f32.")
            || e.name.starts_with("f64.");
        if numeric {
            assert!(info.operands.is_some(), "{}", e.name);
            assert!(info.results.is_some(), "{}", e.name);
        }
    }
}

#[test]
fn spot_checks() {
    let cases = [
        ("unreachable", 0x00),
        ("i32.load8_s", 0x2C),
        ("br_if", 0x0D),
        ("memory.init", 0xFC08),
        ("struct.new", 0xFB00),
        ("memory.atomic.notify", 0xFE00),
        ("v128.const", 0xFD0C),
        ("i32x4.extract_lane", 0xFD1B),
        ("i64.atomic.rmw32.cmpxchg_u", 0xFE4E),
        ("i8x16.relaxed_swizzle", 0xFD0100),
        ("try_table", 0x1F),
        ("ref.test", 0xFB14),
        ("ref.cast_null", 0xFB17),
        ("typed_select", 0x1C),
    ];
    for (name, code) in cases {
        assert_eq!(
            event(name).opcode.as_ref().unwrap().bytecode,
            code,
            "{name}"
        );
    }
    let v128 = event("v128.const").opcode.as_ref().unwrap();
    assert_eq!(v128.results.as_deref(), Some(&[WasmType::V128][..]));
    assert_eq!(v128.imms[0].ty, wham_events::Ty::V128);
    let lane = event("i32x4.extract_lane").opcode.as_ref().unwrap();
    assert_eq!(lane.operands.as_deref(), Some(&[WasmType::V128][..]));
    assert_eq!(lane.results.as_deref(), Some(&[WasmType::I32][..]));
    assert_eq!(lane.imms[0].name, "imm0");
    assert_eq!(lane.imms[0].field, "lane");
}

// ---- signatures against the validator ----

const FEATURES_SKIPPED: &[(&str, &str)] = &[
    (
        "shared_everything_threads",
        "needs shared tables and types; counts are checked above",
    ),
    (
        "custom_descriptors",
        "needs descriptor types; counts are checked above",
    ),
];
/// Instructions valid only in a context the generated function lacks.
const CONTEXT_SKIPPED: &[&str] = &["rethrow"];

/// What type 0 is in the test module: immediates are all zero, so this
/// decides what a type immediate refers to.
#[derive(Clone, Copy, Debug)]
enum Type0 {
    Func,
    Struct,
    ArrayI8,
    ArrayFuncref,
    Cont,
}

fn subtype(inner: CompositeInnerType) -> SubType {
    SubType {
        is_final: true,
        supertype_idx: None,
        composite_type: CompositeType {
            inner,
            shared: false,
            descriptor: None,
            describes: None,
        },
    }
}

fn to_val(wt: WasmType, refs: RefType) -> ValType {
    match wt {
        WasmType::I32 => ValType::I32,
        WasmType::I64 => ValType::I64,
        WasmType::F32 => ValType::F32,
        WasmType::F64 => ValType::F64,
        WasmType::V128 => ValType::V128,
        WasmType::Funcref => ValType::Ref(RefType::FUNCREF),
        WasmType::Ref => ValType::Ref(refs),
    }
}

/// A module whose function 0 runs `local.get 0..n; <instr>; end` with the
/// operands as params and the results as results.
fn module(type0: Type0, params: &[ValType], results: &[ValType], instr: &[u8]) -> Vec<u8> {
    let mut types = TypeSection::new();
    let empty = || CompositeInnerType::Func(FuncType::new([], []));
    let first = match type0 {
        Type0::Func => vec![subtype(empty())],
        Type0::Struct => vec![subtype(CompositeInnerType::Struct(
            wasm_encoder::StructType {
                fields: vec![FieldType {
                    element_type: StorageType::I8,
                    mutable: true,
                }]
                .into(),
            },
        ))],
        Type0::ArrayI8 => vec![subtype(CompositeInnerType::Array(wasm_encoder::ArrayType(
            FieldType {
                element_type: StorageType::I8,
                mutable: true,
            },
        )))],
        Type0::ArrayFuncref => vec![subtype(CompositeInnerType::Array(wasm_encoder::ArrayType(
            FieldType {
                element_type: StorageType::Val(ValType::Ref(RefType::FUNCREF)),
                mutable: true,
            },
        )))],
        Type0::Cont => vec![
            subtype(CompositeInnerType::Cont(ContType(1))),
            subtype(empty()),
        ],
    };
    let count = first.len() as u32;
    types.ty().rec(first);
    types.ty().function([], []); // the tag's type
    types
        .ty()
        .function(params.iter().copied(), results.iter().copied());
    let (tag_ty, fn_ty) = (count, count + 1);

    let mut funcs = FunctionSection::new();
    funcs.function(fn_ty);
    let mut tables = TableSection::new();
    tables.table(TableType {
        element_type: RefType::FUNCREF,
        table64: false,
        minimum: 1,
        maximum: None,
        shared: false,
    });
    let mut memories = MemorySection::new();
    memories.memory(MemoryType {
        minimum: 1,
        maximum: Some(1),
        memory64: false,
        shared: false,
        page_size_log2: None,
    });
    let mut tags = TagSection::new();
    tags.tag(TagType {
        kind: TagKind::Exception,
        func_type_idx: tag_ty,
    });
    let mut globals = GlobalSection::new();
    globals.global(
        GlobalType {
            val_type: ValType::I32,
            mutable: true,
            shared: false,
        },
        &ConstExpr::i32_const(0),
    );
    let mut exports = ExportSection::new();
    exports.export("f", ExportKind::Func, 0);
    let mut elems = ElementSection::new();
    elems.passive(Elements::Functions(vec![0].into()));
    let mut code = CodeSection::new();
    let mut body = Function::new([]);
    for i in 0..params.len() as u32 {
        body.instructions().local_get(i);
    }
    body.raw(instr.iter().copied());
    body.instructions().end();
    code.function(&body);
    let mut data = DataSection::new();
    data.passive([0u8; 4]);

    let mut m = Module::new();
    m.section(&types)
        .section(&funcs)
        .section(&tables)
        .section(&memories)
        .section(&tags)
        .section(&globals)
        .section(&exports)
        .section(&elems)
        .section(&DataCountSection { count: 1 })
        .section(&code)
        .section(&data);
    m.finish()
}

fn validates(bytes: &[u8]) -> Result<(), String> {
    Validator::new_with_features(WasmFeatures::all())
        .validate_all(bytes)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// The sample instruction with atomic alignment raised to the natural one
/// (the validator insists on it; plain accesses accept 0).
fn instruction(e: &Event) -> Vec<u8> {
    let info = e.opcode.as_ref().unwrap();
    let mut bytes = sample_encoding(&e.name).unwrap().to_vec();
    if let Some(mem) = info.mem {
        let at = opcode_bytes(info.bytecode).len();
        bytes[at] = mem.size.trailing_zeros() as u8;
    }
    bytes
}

#[test]
fn fixed_signatures_validate() {
    let concrete = |i: u32| RefType {
        nullable: true,
        heap_type: HeapType::Concrete(i),
    };
    let refs = [
        RefType::FUNCREF,
        RefType::EXTERNREF,
        RefType::ANYREF,
        RefType::EQREF,
        RefType::I31REF,
        RefType::EXNREF,
        concrete(0),
        concrete(1),
    ];
    let type0s = [
        Type0::Func,
        Type0::Struct,
        Type0::ArrayI8,
        Type0::ArrayFuncref,
        Type0::Cont,
    ];
    let mut checked = 0;
    for e in opcode_events() {
        let info = e.opcode.as_ref().unwrap();
        let (Some(operands), Some(results)) = (&info.operands, &info.results) else {
            continue;
        };
        if FEATURES_SKIPPED.iter().any(|(p, _)| *p == info.proposal)
            || CONTEXT_SKIPPED.contains(&e.name.as_str())
        {
            continue;
        }
        let has_ref = operands.iter().chain(results).any(|t| *t == WasmType::Ref);
        let (ref_choices, type_choices) = if has_ref {
            (&refs[..], &type0s[..])
        } else {
            (&refs[..1], &type0s[..1])
        };
        let instr = instruction(e);
        let mut last_err = String::new();
        let ok = type_choices.iter().any(|t0| {
            ref_choices.iter().any(|op_ref| {
                ref_choices.iter().any(|res_ref| {
                    let params: Vec<_> = operands.iter().map(|t| to_val(*t, *op_ref)).collect();
                    let rets: Vec<_> = results.iter().map(|t| to_val(*t, *res_ref)).collect();
                    match validates(&module(*t0, &params, &rets, &instr)) {
                        Ok(()) => true,
                        Err(err) => {
                            last_err = err;
                            false
                        }
                    }
                })
            })
        });
        assert!(ok, "{}: {operands:?} -> {results:?}: {last_err}", e.name);
        checked += 1;
    }
    assert!(checked > 400, "only {checked} signatures checked");
}

#[test]
fn validator_rejects_wrong_signatures() {
    // Negative controls: the harness must be able to fail.
    let add = instruction(event("i32.add"));
    assert!(
        validates(&module(
            Type0::Func,
            &[ValType::I32, ValType::I32],
            &[ValType::I32],
            &add
        ))
        .is_ok()
    );
    assert!(
        validates(&module(
            Type0::Func,
            &[ValType::I64, ValType::I32],
            &[ValType::I32],
            &add
        ))
        .is_err()
    );
    assert!(validates(&module(Type0::Func, &[ValType::I32], &[ValType::I32], &add)).is_err());
    let store = instruction(event("i64.atomic.rmw32.cmpxchg_u"));
    let (i32_, i64_) = (ValType::I32, ValType::I64);
    assert!(validates(&module(Type0::Func, &[i32_, i64_, i64_], &[i64_], &store)).is_ok());
    assert!(validates(&module(Type0::Func, &[i64_, i32_, i64_], &[i64_], &store)).is_err());
}
