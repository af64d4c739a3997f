//! Fixed operand/result types checked by wasmparser's validator: each
//! opcode (zero immediates) in a function whose params are its operands
//! and whose results are its results must validate.

use wasm_encoder::{
    CodeSection, CompositeInnerType, CompositeType, ConstExpr, ContType, DataCountSection,
    DataSection, ElementSection, Elements, ExportKind, ExportSection, FieldType, FuncType,
    Function, FunctionSection, GlobalSection, GlobalType, HeapType, MemorySection, MemoryType,
    Module, RefType, StorageType, SubType, TableSection, TableType, TagKind, TagSection, TagType,
    TypeSection, ValType,
};
use wasmparser::{Validator, WasmFeatures};
use wham_events::{Event, WasmType, sample_encoding};

mod common;
use common::{event, opcode_bytes, opcode_events};

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
    eprintln!("{checked} fixed signatures validated");
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
