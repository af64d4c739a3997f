//! Matching rules (`provider:package:event:mode`, each part a glob) against
//! the catalog, and name lookup at a matched event.

use crate::glob::{glob_matches, is_glob};
use crate::{Catalog, Event, EventMatch, MatchError, Package, Provider};

mod lookup;
pub(crate) mod suggest;

/// Splits a rule into its parts at `:` (outside parentheses, so type
/// bounds such as `call(arg0: i32)` stay whole); empty parts are `None`.
pub fn split_rule(rule: &str) -> Vec<Option<&str>> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (i, c) in rule.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ':' if depth <= 0 => {
                parts.push(&rule[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&rule[start..]);
    parts
        .into_iter()
        .map(|p| Some(p.trim()).filter(|p| !p.is_empty()))
        .collect()
}

/// A part's pattern: empty means everything.
fn pat<'a>(parts: &[Option<&'a str>], i: usize) -> &'a str {
    parts
        .get(i)
        .copied()
        .flatten()
        .filter(|p| !p.is_empty())
        .unwrap_or("*")
}

fn err(part: usize, message: String, help: Option<String>) -> MatchError {
    MatchError {
        part,
        message,
        help,
    }
}

/// The rule text as written, for messages (`wasm:opcode:call`).
fn written(parts: &[Option<&str>], upto: usize) -> String {
    parts[..upto.min(parts.len())]
        .iter()
        .map(|p| p.unwrap_or(""))
        .collect::<Vec<_>>()
        .join(":")
}

/// Names in catalog order, deduplicated, for "one of ..." lists.
fn list<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for n in names {
        if !seen.contains(&n) {
            seen.push(n);
        }
    }
    seen.join(", ")
}

impl Catalog {
    /// Expands a rule given as 1-4 parts (`None` = empty part = `*`) into
    /// the (event, mode) pairs it names, in catalog order. Two parts name
    /// event-less packages, three name mode-less events, four name
    /// (event, mode) pairs.
    pub fn match_rule(&self, parts: &[Option<&str>]) -> Result<Vec<EventMatch<'_>>, MatchError> {
        if parts.len() < 2 {
            return Err(err(
                0,
                "a rule needs at least a provider and a package".to_string(),
                Some("e.g. `wasm:begin`, `wasm:func:entry` or `wasm:opcode:call:before`".into()),
            ));
        }
        if parts.len() > 4 {
            return Err(err(
                4,
                "a rule has at most 4 parts: provider:package:event:mode".to_string(),
                None,
            ));
        }
        let providers = self.match_providers(parts)?;
        let packages = match_packages(parts, &providers)?;
        if parts.len() == 2 {
            return two_part(parts, &packages);
        }
        let events = match_events(parts, &packages)?;
        if parts.len() == 3 {
            three_part(parts, &events)
        } else {
            four_part(parts, &events)
        }
    }

    fn match_providers(&self, parts: &[Option<&str>]) -> Result<Vec<&Provider>, MatchError> {
        let p = pat(parts, 0);
        let found: Vec<&Provider> = self
            .providers
            .iter()
            .filter(|pr| glob_matches(p, &pr.name))
            .collect();
        if found.is_empty() {
            let names = self.providers.iter().map(|pr| pr.name.as_str());
            return Err(err(
                0,
                format!("no provider matches `{p}`"),
                suggest::help(p, names, "providers"),
            ));
        }
        Ok(found)
    }
}

type Pkgs<'c> = Vec<(&'c Provider, &'c Package)>;
type Evts<'c> = Vec<(&'c Provider, &'c Package, &'c Event)>;

fn match_packages<'c>(
    parts: &[Option<&str>],
    providers: &[&'c Provider],
) -> Result<Pkgs<'c>, MatchError> {
    let p = pat(parts, 1);
    let found: Pkgs<'c> = providers
        .iter()
        .flat_map(|pr| pr.packages.iter().map(move |pk| (*pr, pk)))
        .filter(|(_, pk)| glob_matches(p, &pk.name))
        .collect();
    if found.is_empty() {
        let names = providers
            .iter()
            .flat_map(|pr| pr.packages.iter().map(|pk| pk.name.as_str()));
        return Err(err(
            1,
            format!("no package of `{}` matches `{p}`", written(parts, 1)),
            suggest::help(p, names, "packages"),
        ));
    }
    Ok(found)
}

fn two_part<'c>(
    parts: &[Option<&str>],
    packages: &Pkgs<'c>,
) -> Result<Vec<EventMatch<'c>>, MatchError> {
    let found: Vec<EventMatch<'c>> = packages
        .iter()
        .filter(|(_, pk)| pk.events.is_empty())
        .map(|(pr, pk)| EventMatch {
            provider: pr,
            package: pk,
            event: None,
            mode: None,
        })
        .collect();
    if found.is_empty() {
        let (pr, pk) = packages[0];
        let example = example_rule(pr, pk);
        return Err(err(
            1,
            format!("`{}` needs an event", written(parts, 2)),
            Some(format!(
                "events of `{}:{}`: {}; e.g. `{example}`",
                pr.name,
                pk.name,
                short_list(pk.events.iter().map(|e| e.name.as_str()))
            )),
        ));
    }
    Ok(found)
}

/// A complete rule for the first event of a package, for help lines.
fn example_rule(pr: &Provider, pk: &Package) -> String {
    match pk.events.first() {
        None => format!("{}:{}", pr.name, pk.name),
        Some(e) => match e.modes.first() {
            None => format!("{}:{}:{}", pr.name, pk.name, e.name),
            Some(m) => format!("{}:{}:{}:{}", pr.name, pk.name, e.name, m.name),
        },
    }
}

/// A list cut short for packages with hundreds of events.
fn short_list<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let names: Vec<&str> = names.collect();
    if names.len() <= 8 {
        names.join(", ")
    } else {
        format!("{}, ... ({} in all)", names[..6].join(", "), names.len())
    }
}

fn match_events<'c>(parts: &[Option<&str>], packages: &Pkgs<'c>) -> Result<Evts<'c>, MatchError> {
    let with_events: Pkgs<'c> = packages
        .iter()
        .copied()
        .filter(|(_, pk)| !pk.events.is_empty())
        .collect();
    if with_events.is_empty() {
        let (pr, pk) = packages[0];
        return Err(err(
            2,
            format!("`{}:{}` has no events", pr.name, pk.name),
            Some(format!(
                "write it as a 2-part rule: `{}:{}`",
                pr.name, pk.name
            )),
        ));
    }
    let p = pat(parts, 2);
    let found: Evts<'c> = with_events
        .iter()
        .flat_map(|(pr, pk)| pk.events.iter().map(move |e| (*pr, *pk, e)))
        .filter(|(_, _, e)| glob_matches(p, &e.name))
        .collect();
    if found.is_empty() {
        let names: Vec<&str> = with_events
            .iter()
            .flat_map(|(_, pk)| pk.events.iter().map(|e| e.name.as_str()))
            .collect();
        let help = suggest::event_help(p, &names);
        return Err(err(
            2,
            format!("no event of `{}` matches `{p}`", written(parts, 2)),
            help,
        ));
    }
    Ok(found)
}

fn three_part<'c>(
    parts: &[Option<&str>],
    events: &Evts<'c>,
) -> Result<Vec<EventMatch<'c>>, MatchError> {
    let found: Vec<EventMatch<'c>> = events
        .iter()
        .filter(|(_, _, e)| e.modes.is_empty())
        .map(|(pr, pk, e)| EventMatch {
            provider: pr,
            package: pk,
            event: Some(e),
            mode: None,
        })
        .collect();
    if found.is_empty() {
        let modes = list(
            events
                .iter()
                .flat_map(|(_, _, e)| e.modes.iter().map(|m| m.name)),
        );
        let first = events[0].2.modes.first().map_or("before", |m| m.name);
        return Err(err(
            2,
            format!("`{}` needs a mode: one of {modes}", written(parts, 3)),
            Some(format!("e.g. `{}:{first}`", written(parts, 3))),
        ));
    }
    Ok(found)
}

fn four_part<'c>(
    parts: &[Option<&str>],
    events: &Evts<'c>,
) -> Result<Vec<EventMatch<'c>>, MatchError> {
    let moded: Evts<'c> = events
        .iter()
        .copied()
        .filter(|(_, _, e)| !e.modes.is_empty())
        .collect();
    if moded.is_empty() {
        let rule = written(parts, 3);
        let what = if events.len() == 1 {
            format!("`{rule}` takes no mode")
        } else {
            format!("the events `{rule}` matches take no mode")
        };
        return Err(err(
            3,
            what,
            Some(format!("write it without one: `{rule}`")),
        ));
    }
    let p = pat(parts, 3);
    let found: Vec<EventMatch<'c>> = moded
        .iter()
        .flat_map(|(pr, pk, e)| {
            e.modes
                .iter()
                .filter(|m| glob_matches(p, m.name))
                .map(move |m| EventMatch {
                    provider: pr,
                    package: pk,
                    event: Some(e),
                    mode: Some(m),
                })
        })
        .collect();
    if found.is_empty() {
        let modes = list(
            moded
                .iter()
                .flat_map(|(_, _, e)| e.modes.iter().map(|m| m.name)),
        );
        let message = if moded.len() == 1 {
            format!("`{}` has no mode `{p}`", moded[0].2.name)
        } else {
            format!(
                "none of the {} events `{}` matches has a mode `{p}`",
                moded.len(),
                pat(parts, 2)
            )
        };
        let close = (!is_glob(p))
            .then(|| suggest::closest(p, modes.split(", ")))
            .flatten();
        let help = match close {
            Some(c) => format!("did you mean `{c}`? allowed modes: {modes}"),
            None => format!("allowed modes: {modes}"),
        };
        return Err(err(3, message, Some(help)));
    }
    Ok(found)
}
