//! What the engine lets in, checked before anything runs: a monitor
//! imports only what the engine provides, and a program imports nothing
//! of the monitor's or the engine's.

use wasmparser::{Parser, Payload};

/// The engine libraries and the functions each provides.
const ENGINE_LIBRARIES: [(&str, &[&str]); 2] = [
    (wham_rewrite::HOST_MODULE, &["app_mem_size", "app_read"]),
    (wham_rewrite::DYNINSTR_MODULE, &["remove_probe"]),
];

const WASI: &str = "wasi_snapshot_preview1";

/// The monitor's imports, each from WASI, an engine library or one of
/// `libs` (the libraries given beside it).
pub fn monitor(bytes: &[u8], libs: &[&str]) -> Result<(), String> {
    for (module, name) in imports(bytes) {
        let provided = module == WASI
            || libs.contains(&module.as_str())
            || ENGINE_LIBRARIES
                .iter()
                .any(|(m, names)| *m == module && names.contains(&name.as_str()));
        if !provided {
            let libs = match libs {
                [] => String::new(),
                _ => format!(", the libraries given beside it ({})", libs.join(", ")),
            };
            return Err(format!(
                "it imports `{module}`.`{name}`, which the engine does not provide \
                 (it provides {WASI}, {} and {}{libs})",
                ENGINE_LIBRARIES[0].0, ENGINE_LIBRARIES[1].0
            ));
        }
    }
    Ok(())
}

/// The program's imports: none may name the monitor, its libraries or the
/// engine's own modules, whose state is the monitor's.
pub fn app(bytes: &[u8], libs: &[&str]) -> Result<(), String> {
    for (module, name) in imports(bytes) {
        let reserved = module == crate::MONITOR
            || module.starts_with("wham:")
            || module.starts_with("whamm:")
            || libs.contains(&module.as_str());
        if reserved {
            return Err(format!(
                "it imports `{module}`.`{name}`, which belongs to the monitor or the engine; \
                 a program may not reach monitor state"
            ));
        }
    }
    Ok(())
}

/// `(module, name)` of every import. A module that does not parse is
/// left to the later stages, which say why in their own words.
fn imports(bytes: &[u8]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for payload in Parser::new(0).parse_all(bytes) {
        let Ok(payload) = payload else { break };
        if let Payload::ImportSection(r) = payload {
            for imp in r.into_imports() {
                let Ok(imp) = imp else { break };
                out.push((imp.module.to_string(), imp.name.to_string()));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wat(text: &str) -> Vec<u8> {
        wat::parse_str(text).unwrap()
    }

    #[test]
    fn a_monitor_may_import_wasi_engine_libraries_and_its_own_libraries() {
        let m = wat(r#"(module
            (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
            (import "whamm:dyninstr" "remove_probe" (func (param i32)))
            (import "wham:host" "app_read" (func (param i32 i32 i32) (result i32)))
            (import "mylib" "anything" (func)))"#);
        assert_eq!(monitor(&m, &["mylib"]), Ok(()));
        let err = monitor(&m, &[]).unwrap_err();
        assert!(err.contains("`mylib`.`anything`"), "{err}");
    }

    #[test]
    fn a_monitor_importing_the_program_or_unknown_engine_functions_is_refused() {
        let m = wat(r#"(module (import "env" "memory" (memory 1)))"#);
        assert!(monitor(&m, &[]).unwrap_err().contains("`env`.`memory`"));
        let m = wat(r#"(module (import "wham:host" "app_write" (func)))"#);
        assert!(
            monitor(&m, &[])
                .unwrap_err()
                .contains("`wham:host`.`app_write`")
        );
    }

    #[test]
    fn a_program_importing_monitor_state_is_refused() {
        for module in [crate::MONITOR, "wham:host", "whamm:dyninstr", "mylib"] {
            let a = wat(&format!(r#"(module (import "{module}" "x" (global i32)))"#));
            let err = app(&a, &["mylib"]).unwrap_err();
            assert!(err.contains(&format!("`{module}`.`x`")), "{err}");
        }
        let a = wat(r#"(module (import "env" "f" (func)))"#);
        assert_eq!(app(&a, &["mylib"]), Ok(()));
    }
}
