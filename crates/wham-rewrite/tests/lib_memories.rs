//! `memid(lib)`: the library's memory is imported and the program's own
//! memories move up (conformance case `memid_user_library` runs one);
//! libraries without a memory are refused with the reason.

use wham_rewrite::{Error, Options, UserLib};

fn lib(wat: &str) -> UserLib {
    UserLib {
        name: "buf".into(),
        module: "buf".into(),
        bytes: wat::parse_str(wat).expect("valid text"),
    }
}

fn instrument(script: &str, app: &str, libs: Vec<UserLib>) -> Result<Vec<u8>, String> {
    let checked = wham_lang::compile(script).0.expect("the script compiles");
    let app = wat::parse_str(app).expect("valid text");
    let options = Options {
        libs,
        ..Default::default()
    };
    match wham_rewrite::instrument(&checked, &app, &options) {
        Ok(out) => Ok(out.bytes),
        Err(Error::Script(items)) => Err(items
            .into_iter()
            .map(|u| u.what)
            .collect::<Vec<_>>()
            .join("; ")),
        Err(e) => panic!("not a script error: {e}"),
    }
}

const SCRIPT: &str = "use buf;
    report var ids: (u32, u32, u32);
    wasm:opcode:i32.load:before { ids = (memid(buf), APP_MEMID, memory); }";

#[test]
fn a_library_without_a_memory_is_named_as_the_reason() {
    let err = instrument(
        SCRIPT,
        r#"(module (memory 1) (func (export "_start") (drop (i32.load (i32.const 0)))))"#,
        vec![lib("(module (func (export \"f\")))")],
    )
    .expect_err("no memory to import");
    assert!(err.contains("exports no memory named `memory`"), "{err}");
}

#[test]
fn a_library_without_a_module_is_named_as_the_reason() {
    let err = instrument(
        SCRIPT,
        r#"(module (memory 1) (func (export "_start") (drop (i32.load (i32.const 0)))))"#,
        Vec::new(),
    )
    .expect_err("no module given");
    assert!(err.contains("--user-libs buf="), "{err}");
}

/// The memory each `i32.load` of the output reads, and the imports' kinds.
fn loads_and_imports(bytes: &[u8]) -> (Vec<u32>, Vec<String>) {
    let (mut loads, mut imports) = (Vec::new(), Vec::new());
    for p in wasmparser::Parser::new(0).parse_all(bytes) {
        match p.unwrap() {
            wasmparser::Payload::ImportSection(r) => {
                for i in r.into_imports() {
                    let i = i.unwrap();
                    imports.push(format!("{}.{}", i.module, i.name));
                }
            }
            wasmparser::Payload::CodeSectionEntry(body) => {
                let mut ops = body.get_operators_reader().unwrap();
                while !ops.eof() {
                    if let wasmparser::Operator::I32Load { memarg } = ops.read().unwrap() {
                        loads.push(memarg.memory);
                    }
                }
            }
            _ => {}
        }
    }
    (loads, imports)
}

#[test]
fn the_library_memory_comes_after_imported_memories_and_before_defined_ones() {
    // Memory 0 is imported and stays; memory 1 is defined and becomes 2.
    let app = r#"(module (import "env" "shared" (memory 1)) (memory 1)
        (func $uninstrumented (result i32) (i32.add (i32.load 0 (i32.const 0)) (i32.load 1 (i32.const 0))))
        (func (export "_start") (drop (call $uninstrumented))))"#;
    let out = instrument(
        "use buf; report var id: u32 = memid(buf);
         wasm:opcode:call:before { id = memid(buf); }",
        app,
        vec![lib(r#"(module (memory (export "memory") 2))"#)],
    )
    .expect("instrumented");
    let (loads, imports) = loads_and_imports(&out);
    // The app's function comes first; the rest is wham's, in memory 3.
    assert_eq!(
        loads[..2],
        [0, 2],
        "a function without probes is renumbered too"
    );
    assert!(loads[2..].iter().all(|m| *m == 3), "{loads:?}");
    assert!(imports.contains(&"buf.memory".to_string()), "{imports:?}");
}
