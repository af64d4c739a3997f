//! Decoding of literal text: integers, floats and string escapes.

/// Parse integer digits (with `_` separators) in `radix`. `None` if there
/// are no digits or the value does not fit in 64 bits (unsigned).
pub fn parse_int(digits: &str, radix: u32) -> Option<i128> {
    let clean: String = digits.chars().filter(|&c| c != '_').collect();
    if clean.is_empty() {
        return None;
    }
    let v = u64::from_str_radix(&clean, radix).ok()?;
    Some(v as i128)
}

/// Parse a decimal float (`1.5`, `1.`, `3e10`, `1_000.5`).
pub fn parse_float(text: &str) -> Option<f64> {
    let clean: String = text.chars().filter(|&c| c != '_').collect();
    let clean = clean.strip_suffix('.').unwrap_or(&clean);
    clean.parse().ok()
}

/// Decode one escape sequence at the start of `s` (which starts with `\`).
/// Returns the bytes it stands for and how many bytes of `s` it used, or an
/// error message and how many bytes to skip.
pub fn unescape(s: &str) -> Result<(Vec<u8>, usize), (String, usize)> {
    let b = s.as_bytes();
    let Some(&c) = b.get(1) else {
        return Err(("unfinished escape at end of input".into(), 1));
    };
    let simple = |byte: u8| Ok((vec![byte], 2));
    match c {
        b'n' => simple(b'\n'),
        b'r' => simple(b'\r'),
        b't' => simple(b'\t'),
        b'"' => simple(b'"'),
        b'\'' => simple(b'\''),
        b'\\' => simple(b'\\'),
        b'0' => simple(0),
        b'x' => {
            let hex = s
                .get(2..4)
                .filter(|h| h.bytes().all(|c| c.is_ascii_hexdigit()));
            match hex {
                Some(h) => Ok((vec![u8::from_str_radix(h, 16).unwrap_or(0)], 4)),
                None => Err((
                    "`\\x` must be followed by exactly two hex digits".into(),
                    2 + s[2..]
                        .bytes()
                        .take(2)
                        .take_while(|c| c.is_ascii_hexdigit())
                        .count(),
                )),
            }
        }
        b'u' => {
            if b.get(2) != Some(&b'{') {
                return Err(("`\\u` must be followed by `{hex digits}`".into(), 2));
            }
            let Some(close) = s[3..].find('}') else {
                return Err(("unterminated `\\u{...}` escape".into(), 3));
            };
            let hex = &s[3..3 + close];
            let used = 3 + close + 1;
            if hex.is_empty() || hex.len() > 6 || !hex.bytes().all(|c| c.is_ascii_hexdigit()) {
                return Err(("`\\u{...}` needs 1 to 6 hex digits".into(), used));
            }
            let code = u32::from_str_radix(hex, 16).unwrap_or(u32::MAX);
            match char::from_u32(code) {
                Some(ch) => {
                    let mut buf = [0u8; 4];
                    Ok((ch.encode_utf8(&mut buf).as_bytes().to_vec(), used))
                }
                None => Err((
                    format!("`\\u{{{hex}}}` is not a Unicode scalar value"),
                    used,
                )),
            }
        }
        _ => {
            let ch = s[1..].chars().next().unwrap_or('?');
            Err((
                format!("unknown escape `\\{}`", ch.escape_default()),
                1 + ch.len_utf8(),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ints() {
        assert_eq!(parse_int("1_000", 10), Some(1000));
        assert_eq!(parse_int("ff", 16), Some(255));
        assert_eq!(parse_int("101", 2), Some(5));
        assert_eq!(
            parse_int("18446744073709551615", 10),
            Some(u64::MAX as i128)
        );
        assert_eq!(parse_int("18446744073709551616", 10), None);
        assert_eq!(parse_int("_", 10), None);
    }

    #[test]
    fn floats() {
        assert_eq!(parse_float("1."), Some(1.0));
        assert_eq!(parse_float("1.2E-3"), Some(0.0012));
        assert_eq!(parse_float("1_0.5"), Some(10.5));
    }

    #[test]
    fn escapes() {
        assert_eq!(unescape("\\n"), Ok((vec![b'\n'], 2)));
        assert_eq!(unescape("\\x41z"), Ok((vec![0x41], 4)));
        assert_eq!(unescape("\\u{1F600}"), Ok(("😀".as_bytes().to_vec(), 9)));
        assert!(unescape("\\x4").is_err());
        assert!(unescape("\\q").is_err());
        assert!(unescape("\\u{D800}").is_err());
        assert!(unescape("\\u{110000}").is_err());
    }
}
