//! "Did you mean ...?" help for rule parts that match nothing.

use crate::glob::{glob_matches, is_glob};

/// Edit distance (insertions, deletions, substitutions and swaps of two
/// neighbours, so `br_fi` is one edit from `br_if`), case-insensitive.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().flat_map(char::to_lowercase).collect();
    let b: Vec<char> = b.chars().flat_map(char::to_lowercase).collect();
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    for (i, row) in d.chunks_mut(width).enumerate() {
        row[0] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(width) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1)
                .min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = best;
        }
    }
    d[a.len() * width + b.len()]
}

/// Longer parts are not compared: hostile input stays cheap.
const MAX_SUGGEST_LEN: usize = 64;

/// The name closest to `typed`, if it is close enough to be a typo.
pub fn closest<'a>(typed: &str, names: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let len = typed.chars().count();
    if len > MAX_SUGGEST_LEN {
        return None;
    }
    let limit = if len < 3 { 1 } else { (len / 3).clamp(2, 3) };
    let mut best: Option<(usize, &str)> = None;
    for name in names {
        let d = distance(typed, name);
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, name));
        }
    }
    best.map(|(_, n)| n)
}

/// Help for an unknown provider or package: a close name, else the list.
pub(crate) fn help<'a>(
    typed: &str,
    names: impl Iterator<Item = &'a str> + Clone,
    what: &str,
) -> Option<String> {
    if !is_glob(typed)
        && let Some(c) = closest(typed, names.clone())
    {
        return Some(format!("did you mean `{c}`?"));
    }
    Some(format!("{what}: {}", names.collect::<Vec<_>>().join(", ")))
}

/// Help for an unknown event: a close name, or the dotted spelling
/// (`*atomic_rmw*` → `*atomic.rmw*`), or the list when it is short.
pub(crate) fn event_help(typed: &str, names: &[&str]) -> Option<String> {
    if !is_glob(typed)
        && let Some(c) = closest(typed, names.iter().copied())
    {
        return Some(format!("did you mean `{c}`?"));
    }
    if let Some(fixed) = dotted(typed, names) {
        return Some(format!(
            "event names are WAT mnemonics with dots: try `{fixed}`"
        ));
    }
    (names.len() <= 8).then(|| format!("events: {}", names.join(", ")))
}

/// A spelling of `typed` with one `_` (or all) turned into `.` that
/// matches some name.
fn dotted(typed: &str, names: &[&str]) -> Option<String> {
    if typed.len() > MAX_SUGGEST_LEN {
        return None;
    }
    let hits = |p: &str| names.iter().any(|n| glob_matches(p, n));
    let mut variants = vec![typed.replace('_', ".")];
    for (i, _) in typed.match_indices('_') {
        variants.push(format!("{}.{}", &typed[..i], &typed[i + 1..]));
    }
    variants.into_iter().find(|v| v != typed && hits(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        assert_eq!(distance("br_iff", "br_if"), 1);
        assert_eq!(closest("br_iff", ["br", "br_if", "if"]), Some("br_if"));
        assert_eq!(closest("xyz", ["br", "br_if"]), None);
        assert_eq!(
            dotted("*atomic_rmw*", &["i32.atomic.rmw.add"]).as_deref(),
            Some("*atomic.rmw*")
        );
        assert_eq!(
            dotted("i32_load8_s", &["i32.load8_s"]).as_deref(),
            Some("i32.load8_s")
        );
    }
}
