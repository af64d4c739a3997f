//! `wham run` at a terminal: the report is a CSV of a row per site, most
//! of them often zero, which a person cannot read on a screen. There the
//! run writes the exact CSV to a file (`wham-report.csv`) and prints a
//! summary: per variable, how many sites, how many not zero, the top ones
//! by value with function names; global variables with their values.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// `--report-format`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ReportFormat {
    /// A summary at a terminal (the CSV to a file), the CSV otherwise.
    #[default]
    Auto,
    /// The CSV, exactly as whamm prints it.
    Csv,
    /// A summary, the CSV to `wham-report.csv`.
    Summary,
}

/// Where the full CSV goes when a summary is printed.
pub const CSV_FILE: &str = "wham-report.csv";

/// Sites shown per variable.
const TOP: usize = 10;

/// A run whose report is summarized: the directory the program writes
/// the report into (visible to it as its first preopen).
pub struct Summarized {
    dir: PathBuf,
}

/// Whether to summarize, and if so, set `options` up so the report goes
/// to a file of ours (`WHAM_REPORT` names it, as a user could).
pub fn arrange(
    format: ReportFormat,
    report_to: &str,
    options: &mut wham_host::RunOptions,
) -> Result<Option<Summarized>, String> {
    let summarize = match format {
        ReportFormat::Csv => false,
        ReportFormat::Summary => true,
        ReportFormat::Auto => {
            report_to == "stdout"
                && std::env::var_os(wham_rewrite::REPORT_ENV_VAR).is_none()
                && std::io::stdout().is_terminal()
        }
    };
    if !summarize {
        return Ok(None);
    }
    let dir = std::env::temp_dir().join(format!("wham-report-{}", std::process::id()));
    std::fs::create_dir_all(&dir)
        .map_err(|e| format!("cannot make a directory for the report: {e}"))?;
    // The report is created in the first directory the program sees.
    options
        .dirs
        .insert(0, (dir.clone(), "/.wham-report".into()));
    options
        .env
        .push((wham_rewrite::REPORT_ENV_VAR.into(), "report.csv".into()));
    Ok(Some(Summarized { dir }))
}

impl Drop for Summarized {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Summarized {
    /// Keep the CSV as `wham-report.csv` and print the summary.
    pub fn finish(self) {
        let Ok(csv) = std::fs::read_to_string(self.dir.join("report.csv")) else {
            eprintln!("note: the program wrote no report");
            return;
        };
        let kept = match std::fs::write(CSV_FILE, &csv) {
            Ok(()) => PathBuf::from(CSV_FILE),
            Err(_) => {
                let fallback = std::env::temp_dir().join(CSV_FILE);
                match std::fs::write(&fallback, &csv) {
                    Ok(()) => fallback,
                    Err(e) => {
                        eprintln!("error: cannot keep the report: {e}");
                        print!("{csv}");
                        return;
                    }
                }
            }
        };
        print!("{}", summary(&csv, &kept));
    }
}

/// One row of the report.
struct Row<'a> {
    kind: &'a str,
    name: &'a str,
    ty: &'a str,
    fname: &'a str,
    fid: &'a str,
    pc: &'a str,
    probe: &'a str,
    value: &'a str,
}

fn rows(csv: &str) -> Vec<Row<'_>> {
    csv.lines()
        .skip_while(|l| !l.starts_with("id, id_type"))
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.splitn(11, ", ").collect();
            (f.len() == 11).then(|| Row {
                kind: f[1],
                name: f[2],
                ty: f[3],
                fname: f[6],
                fid: f[7],
                pc: f[8],
                probe: f[9],
                value: f[10],
            })
        })
        .collect()
}

/// Whether a value reads as nothing happened.
fn is_zero(v: &str) -> bool {
    matches!(v, "0" | "false" | "0.0" | "" | "\"\"" | "empty map")
}

/// How big a value is, for ranking (non-numbers rank by nothing).
fn magnitude(v: &str) -> f64 {
    match v {
        "true" => 1.0,
        _ => v.parse::<f64>().unwrap_or(0.0),
    }
}

/// The summary text for `csv`, kept in `kept`.
pub fn summary(csv: &str, kept: &Path) -> String {
    let all = rows(csv);
    let mut out = String::new();
    let nonzero = all.iter().filter(|r| !is_zero(r.value)).count();
    out.push_str(&format!(
        "report: {} row{}, {nonzero} not zero; the full CSV is in {}\n",
        all.len(),
        if all.len() == 1 { "" } else { "s" },
        kept.display()
    ));
    // Variables in the order they first appear.
    let mut names: Vec<(&str, &str, &str)> = Vec::new();
    for r in &all {
        if !names.iter().any(|(n, k, _)| *n == r.name && *k == r.kind) {
            names.push((r.name, r.kind, r.ty));
        }
    }
    for (name, kind, ty) in names {
        let mine: Vec<&Row<'_>> = all
            .iter()
            .filter(|r| r.name == name && r.kind == kind)
            .collect();
        if kind == "global_id" {
            for r in &mine {
                out.push_str(&format!("\n{name} ({ty}) = {}\n", r.value));
            }
            continue;
        }
        let mut live: Vec<&Row<'_>> = mine.iter().copied().filter(|r| !is_zero(r.value)).collect();
        live.sort_by(|a, b| magnitude(b.value).total_cmp(&magnitude(a.value)));
        out.push_str(&format!(
            "\n{name} ({ty}): {} of {} site{} not zero{}\n",
            live.len(),
            mine.len(),
            if mine.len() == 1 { "" } else { "s" },
            if live.len() > TOP {
                format!("; the top {TOP}:")
            } else {
                String::new()
            }
        ));
        for r in live.iter().take(TOP) {
            let place = match r.fname {
                "" => format!("fid {}", r.fid),
                f => format!("{f} (fid {})", r.fid),
            };
            let probe = r.probe.split_once('_').map_or(r.probe, |(_, p)| p);
            out.push_str(&format!(
                "  {:>14}  {place}, pc {}, {probe}\n",
                r.value, r.pc
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const CSV: &str = "\
================================= REPORT CSV FLUSH ====================================
id, id_type, name, whamm_type, wasm_type, script_id, fname, fid, pc, probe_id, value(s)
100, memaddr, taken, u32, i32, script0, sort, 3, 26, 8_wasm:opcode:br_if:before, 5
104, memaddr, taken, u32, i32, script0, #4, 4, 9, 8_wasm:opcode:br_if:before, 0
108, memaddr, taken, u32, i32, script0, main, 5, 40, 8_wasm:opcode:br_if:before, 12
2, global_id, total, u64, i64, script0, , , , , 17
";

    #[test]
    fn a_summary_ranks_sites_names_functions_and_skips_zeros() {
        let s = summary(CSV, Path::new("wham-report.csv"));
        assert_eq!(
            s,
            "report: 4 rows, 3 not zero; the full CSV is in wham-report.csv\n\
             \ntaken (u32): 2 of 3 sites not zero\n\
             \x20             12  main (fid 5), pc 40, wasm:opcode:br_if:before\n\
             \x20              5  sort (fid 3), pc 26, wasm:opcode:br_if:before\n\
             \ntotal (u64) = 17\n"
        );
    }
}
