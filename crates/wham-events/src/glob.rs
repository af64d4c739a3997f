//! Rule-part patterns: case-insensitive Unix globs (`*`, `?`, `[abc]`,
//! `[!abc]`, `[a-z]`) with top-level `|` alternation. Dots are ordinary
//! characters, so `*.load` matches `i32.load`.

/// Whether `name` matches `pattern`.
pub fn glob_matches(pattern: &str, name: &str) -> bool {
    let name: Vec<char> = name.chars().flat_map(char::to_lowercase).collect();
    pattern.split('|').any(|alt| {
        let alt: Vec<char> = alt.chars().flat_map(char::to_lowercase).collect();
        matches_at(&alt, &name)
    })
}

/// Why `pattern` is not a valid glob, if it is not: a `[` class that is
/// never closed.
pub fn pattern_error(pattern: &str) -> Option<String> {
    let pat: Vec<char> = pattern.chars().collect();
    let mut i = 0;
    while i < pat.len() {
        if pat[i] != '[' {
            i += 1;
            continue;
        }
        // Parsed as the matcher parses it.
        match class(&pat[i..], '\0') {
            Some((_, len)) => i += len,
            None => return Some("a `[` class is not closed with `]`".to_string()),
        }
    }
    None
}

/// Whether a part contains glob syntax (so suggestions make no sense).
pub(crate) fn is_glob(pattern: &str) -> bool {
    pattern.contains(['*', '?', '[', '|'])
}

/// Iterative matcher with single-star backtracking: linear for typical
/// patterns, no recursion depth to blow up on hostile input.
fn matches_at(pat: &[char], name: &[char]) -> bool {
    let (mut p, mut n) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while n < name.len() {
        if p < pat.len() {
            match pat[p] {
                '*' => {
                    star = Some((p, n));
                    p += 1;
                    continue;
                }
                '?' => {
                    p += 1;
                    n += 1;
                    continue;
                }
                '[' => {
                    if let Some((hit, len)) = class(&pat[p..], name[n]) {
                        if hit {
                            p += len;
                            n += 1;
                            continue;
                        }
                    } else if name[n] == '[' {
                        // An unclosed `[` is an ordinary character.
                        p += 1;
                        n += 1;
                        continue;
                    }
                }
                c if c == name[n] => {
                    p += 1;
                    n += 1;
                    continue;
                }
                _ => {}
            }
        }
        match star {
            Some((sp, sn)) => {
                p = sp + 1;
                n = sn + 1;
                star = Some((sp, sn + 1));
            }
            None => return false,
        }
    }
    pat[p..].iter().all(|c| *c == '*')
}

/// Matches `c` against the class at the start of `pat` (`[...]`).
/// Returns (matched, pattern length), or `None` if the class is unclosed.
fn class(pat: &[char], c: char) -> Option<(bool, usize)> {
    let mut i = 1;
    let negated = matches!(pat.get(i), Some('!'));
    if negated {
        i += 1;
    }
    let mut hit = false;
    let mut first = true;
    loop {
        let cur = *pat.get(i)?;
        // `]` right after `[` or `[!` is a member, as in Unix globs.
        if cur == ']' && !first {
            return Some((hit != negated, i + 1));
        }
        first = false;
        if pat.get(i + 1) == Some(&'-') && pat.get(i + 2).is_some_and(|e| *e != ']') {
            let end = pat[i + 2];
            hit |= cur <= c && c <= end;
            i += 3;
        } else {
            hit |= cur == c;
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::glob_matches as m;

    #[test]
    fn basics() {
        assert!(m("br_if", "br_if"));
        assert!(m("BR_IF", "br_if"));
        assert!(m("*if", "br_if"));
        assert!(m("*if", "if"));
        assert!(!m("*if", "i32.lt_s"));
        assert!(m("i32.*", "i32.load"));
        assert!(!m("i32.*", "i64.load"));
        assert!(m("i3?.add", "i32.add"));
        assert!(m("i[36][24].add", "i64.add"));
        assert!(!m("i[!3]2.add", "i32.add"));
        assert!(m("i[0-9]*.add", "i32.add"));
        assert!(m("*load*|*store*", "i32.store8"));
        assert!(m("call|return_call", "return_call"));
        assert!(!m("call|return_call", "call_indirect"));
        assert!(m("*", ""));
        assert!(!m("", "a"));
        assert!(m("[ab", "[ab"));
        assert!(m("[]]", "]"));
        assert!(m("*a*b*c", "xxaxxbxxc"));
        assert!(!m("*a*b*c", "xxaxxbxxcd"));
    }
}
