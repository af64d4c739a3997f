//! The `wasi` provider: calls the program makes to WASI preview 1
//! functions, one event per function (`wasi:call:fd_write:before`). Each
//! event is the `call` instruction's event specialised to the function:
//! its operand and result types are fixed, and its parameters can be read
//! by name (`fd`, `iovs`) as well as `argN`. Backends treat such a probe as
//! a `call` probe on the sites that call that import.

use crate::{BoundVar, Event, Package, Provider, Ty, ValueKind::Dynamic, WasmType};

/// The module WASI preview 1 functions are imported from.
pub const WASI_MODULE: &str = "wasi_snapshot_preview1";

use WasmType::{I32 as W32, I64 as W64};

/// A WASI function: (name, parameters, whether it returns an errno).
pub type Function = (&'static str, &'static [(&'static str, WasmType)], bool);

/// Parameters are named as in the WASI preview 1 witx, `in`/`out` of
/// `poll_oneoff` spelled out.
pub const FUNCTIONS: &[Function] = &[
    ("args_get", &[("argv", W32), ("argv_buf", W32)], true),
    (
        "args_sizes_get",
        &[("argc", W32), ("argv_buf_size", W32)],
        true,
    ),
    (
        "environ_get",
        &[("environ", W32), ("environ_buf", W32)],
        true,
    ),
    (
        "environ_sizes_get",
        &[("environc", W32), ("environ_buf_size", W32)],
        true,
    ),
    ("clock_res_get", &[("id", W32), ("resolution", W32)], true),
    (
        "clock_time_get",
        &[("id", W32), ("precision", W64), ("time", W32)],
        true,
    ),
    (
        "fd_advise",
        &[("fd", W32), ("offset", W64), ("len", W64), ("advice", W32)],
        true,
    ),
    (
        "fd_allocate",
        &[("fd", W32), ("offset", W64), ("len", W64)],
        true,
    ),
    ("fd_close", &[("fd", W32)], true),
    ("fd_datasync", &[("fd", W32)], true),
    ("fd_fdstat_get", &[("fd", W32), ("stat", W32)], true),
    ("fd_fdstat_set_flags", &[("fd", W32), ("flags", W32)], true),
    (
        "fd_fdstat_set_rights",
        &[
            ("fd", W32),
            ("fs_rights_base", W64),
            ("fs_rights_inheriting", W64),
        ],
        true,
    ),
    ("fd_filestat_get", &[("fd", W32), ("buf", W32)], true),
    ("fd_filestat_set_size", &[("fd", W32), ("size", W64)], true),
    (
        "fd_filestat_set_times",
        &[
            ("fd", W32),
            ("atim", W64),
            ("mtim", W64),
            ("fst_flags", W32),
        ],
        true,
    ),
    (
        "fd_pread",
        &[
            ("fd", W32),
            ("iovs", W32),
            ("iovs_len", W32),
            ("offset", W64),
            ("nread", W32),
        ],
        true,
    ),
    ("fd_prestat_get", &[("fd", W32), ("buf", W32)], true),
    (
        "fd_prestat_dir_name",
        &[("fd", W32), ("path", W32), ("path_len", W32)],
        true,
    ),
    (
        "fd_pwrite",
        &[
            ("fd", W32),
            ("iovs", W32),
            ("iovs_len", W32),
            ("offset", W64),
            ("nwritten", W32),
        ],
        true,
    ),
    (
        "fd_read",
        &[
            ("fd", W32),
            ("iovs", W32),
            ("iovs_len", W32),
            ("nread", W32),
        ],
        true,
    ),
    (
        "fd_readdir",
        &[
            ("fd", W32),
            ("buf", W32),
            ("buf_len", W32),
            ("cookie", W64),
            ("bufused", W32),
        ],
        true,
    ),
    ("fd_renumber", &[("fd", W32), ("to", W32)], true),
    (
        "fd_seek",
        &[
            ("fd", W32),
            ("offset", W64),
            ("whence", W32),
            ("newoffset", W32),
        ],
        true,
    ),
    ("fd_sync", &[("fd", W32)], true),
    ("fd_tell", &[("fd", W32), ("offset", W32)], true),
    (
        "fd_write",
        &[
            ("fd", W32),
            ("iovs", W32),
            ("iovs_len", W32),
            ("nwritten", W32),
        ],
        true,
    ),
    (
        "path_create_directory",
        &[("fd", W32), ("path", W32), ("path_len", W32)],
        true,
    ),
    (
        "path_filestat_get",
        &[
            ("fd", W32),
            ("flags", W32),
            ("path", W32),
            ("path_len", W32),
            ("buf", W32),
        ],
        true,
    ),
    (
        "path_filestat_set_times",
        &[
            ("fd", W32),
            ("flags", W32),
            ("path", W32),
            ("path_len", W32),
            ("atim", W64),
            ("mtim", W64),
            ("fst_flags", W32),
        ],
        true,
    ),
    (
        "path_link",
        &[
            ("old_fd", W32),
            ("old_flags", W32),
            ("old_path", W32),
            ("old_path_len", W32),
            ("new_fd", W32),
            ("new_path", W32),
            ("new_path_len", W32),
        ],
        true,
    ),
    (
        "path_open",
        &[
            ("fd", W32),
            ("dirflags", W32),
            ("path", W32),
            ("path_len", W32),
            ("oflags", W32),
            ("fs_rights_base", W64),
            ("fs_rights_inheriting", W64),
            ("fdflags", W32),
            ("opened_fd", W32),
        ],
        true,
    ),
    (
        "path_readlink",
        &[
            ("fd", W32),
            ("path", W32),
            ("path_len", W32),
            ("buf", W32),
            ("buf_len", W32),
            ("bufused", W32),
        ],
        true,
    ),
    (
        "path_remove_directory",
        &[("fd", W32), ("path", W32), ("path_len", W32)],
        true,
    ),
    (
        "path_rename",
        &[
            ("fd", W32),
            ("old_path", W32),
            ("old_path_len", W32),
            ("new_fd", W32),
            ("new_path", W32),
            ("new_path_len", W32),
        ],
        true,
    ),
    (
        "path_symlink",
        &[
            ("old_path", W32),
            ("old_path_len", W32),
            ("fd", W32),
            ("new_path", W32),
            ("new_path_len", W32),
        ],
        true,
    ),
    (
        "path_unlink_file",
        &[("fd", W32), ("path", W32), ("path_len", W32)],
        true,
    ),
    (
        "poll_oneoff",
        &[
            ("subscriptions", W32),
            ("events", W32),
            ("nsubscriptions", W32),
            ("nevents", W32),
        ],
        true,
    ),
    ("proc_exit", &[("rval", W32)], false),
    ("proc_raise", &[("sig", W32)], true),
    ("sched_yield", &[], true),
    ("random_get", &[("buf", W32), ("buf_len", W32)], true),
    (
        "sock_accept",
        &[("fd", W32), ("flags", W32), ("fd_out", W32)],
        true,
    ),
    (
        "sock_recv",
        &[
            ("fd", W32),
            ("ri_data", W32),
            ("ri_data_len", W32),
            ("ri_flags", W32),
            ("ro_datalen", W32),
            ("ro_flags", W32),
        ],
        true,
    ),
    (
        "sock_send",
        &[
            ("fd", W32),
            ("si_data", W32),
            ("si_data_len", W32),
            ("si_flags", W32),
            ("so_datalen", W32),
        ],
        true,
    ),
    ("sock_shutdown", &[("fd", W32), ("how", W32)], true),
];

/// The `argN`/`resN` a named value is: (`"arg"` or `"res"`, N).
pub fn named_value(function: &str, name: &str) -> Option<(&'static str, u32)> {
    if name == "errno" {
        return Some(("res", 0));
    }
    param_arg(function, name).map(|n| ("arg", n))
}

/// The `argN` (top of the stack first) a named parameter is.
pub fn param_arg(function: &str, param: &str) -> Option<u32> {
    let (_, params, _) = FUNCTIONS.iter().find(|(n, ..)| *n == function)?;
    let i = params.iter().position(|(p, _)| *p == param)?;
    Some((params.len() - 1 - i) as u32)
}

/// The provider, built from the `call` instruction's event.
pub(crate) fn provider(call: &Event) -> Provider {
    let events = FUNCTIONS
        .iter()
        .map(|(name, params, errno)| {
            let mut e = call.clone();
            e.name = name.to_string();
            e.doc = format!(
                "a call to WASI `{name}`; parameters by name or as argN (the last parameter is arg0){}",
                if *errno { "; res0 is the errno" } else { "" }
            );
            if let Some(o) = &mut e.opcode {
                o.operands = Some(params.iter().map(|(_, t)| *t).collect());
                o.results = Some(if *errno { vec![W32] } else { Vec::new() });
            }
            if !*errno {
                // Never returns: no `after`.
                e.modes.retain(|m| m.name != "after");
            }
            if *errno {
                e.vars.push(
                    BoundVar::new(
                        "errno",
                        Ty::I32,
                        Dynamic,
                        "the call's result, 0 on success (res0; assignable as res0)",
                    )
                    .only_in(&["after"]),
                );
            }
            for (p, t) in params.iter() {
                let ty = if *t == W64 { Ty::U64 } else { Ty::U32 };
                e.vars.push(BoundVar::new(
                    *p,
                    ty,
                    Dynamic,
                    &format!("the `{p}` parameter (read-only; assign argN to change it)"),
                ));
            }
            e
        })
        .collect();
    Provider {
        name: "wasi".to_string(),
        doc: "calls the program makes to WASI preview 1, by function".to_string(),
        packages: vec![Package {
            name: "call".to_string(),
            doc: "a call instruction whose target is a WASI import".to_string(),
            events,
            vars: Vec::new(),
            fns: Vec::new(),
        }],
        vars: Vec::new(),
        fns: Vec::new(),
    }
}
