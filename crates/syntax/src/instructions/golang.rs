//! Small pieces of Go's standard library whose exact behaviour shows in BuildKit's messages:
//! `strconv.ParseBool`/`ParseUint`/`ParseInt`/`Atoi`, `strings.ToUpper`, and the agext
//! Levenshtein distance behind `util/suggest`.

use crate::go_quote::{quote, to_lower};

/// Go's `strconv.ParseBool`.
pub(crate) fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// Go's `strconv.ParseUint(s, base, bits)` for an explicit base (no sign, no prefix, no
/// underscores); `None` on any error.
pub(crate) fn parse_uint(s: &str, base: u32, bits: u32) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    let max = if bits >= 64 {
        u64::MAX
    } else {
        (1u64 << bits) - 1
    };
    let mut n: u64 = 0;
    for c in s.chars() {
        let digit = u64::from(c.to_digit(base)?);
        n = n.checked_mul(u64::from(base))?.checked_add(digit)?;
        if n > max {
            return None;
        }
    }
    Some(n)
}

/// Why `strconv.ParseInt` failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NumError {
    Syntax,
    Range,
}

/// Go's `strconv.ParseInt(s, 10, bits)`.
pub(crate) fn parse_int(s: &str, bits: u32) -> Result<i64, NumError> {
    let (negative, digits) = match s.as_bytes().first() {
        Some(b'+') => (false, &s[1..]),
        Some(b'-') => (true, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(NumError::Syntax);
    }
    let mut magnitude: u128 = 0;
    for b in digits.bytes() {
        magnitude = magnitude * 10 + u128::from(b - b'0');
        if magnitude > u128::from(u64::MAX) {
            return Err(NumError::Range);
        }
    }
    let cutoff = 1u128 << (bits.clamp(1, 64) - 1);
    if (!negative && magnitude >= cutoff) || (negative && magnitude > cutoff) {
        return Err(NumError::Range);
    }
    let value = i128::try_from(magnitude).map_err(|_| NumError::Range)?;
    let value = if negative { -value } else { value };
    i64::try_from(value).map_err(|_| NumError::Range)
}

/// The text of Go's `*strconv.NumError` for `strconv.ParseInt`.
pub(crate) fn parse_int_error(s: &str, error: NumError) -> String {
    let reason = match error {
        NumError::Syntax => "invalid syntax",
        NumError::Range => "value out of range",
    };
    format!("strconv.ParseInt: parsing {}: {reason}", quote(s))
}

/// Go's `strconv.Atoi` on a 64-bit platform.
pub(crate) fn atoi(s: &str) -> Option<i64> {
    parse_int(s, 64).ok()
}

/// Go's `strings.ToUpper`, rune by rune with the simple case mapping.
pub(crate) fn to_upper(s: &str) -> String {
    s.chars()
        .map(|c| {
            let mut upper = c.to_uppercase();
            match (upper.next(), upper.next()) {
                (Some(u), None) => u,
                _ => c,
            }
        })
        .collect()
}

/// Whether BuildKit's word expansion (`ProcessWord`) could change `word`: a variable
/// reference, a quote or the escape token. Words for which this is false expand to
/// themselves, so their value can be checked before dispatch.
pub(crate) fn needs_expansion(word: &str, escape: char) -> bool {
    let mut chars = word.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' || c == '"' || c == escape {
            return true;
        }
        if c == '$' {
            if let Some(&next) = chars.peek() {
                if next.is_alphanumeric() || next == '_' || next == '{' || "@*#?$!-".contains(next)
                {
                    return true;
                }
            }
        }
    }
    false
}

/// `github.com/agext/levenshtein.Distance(a, b, nil)`: unit costs, on runes.
pub(crate) fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

/// `util/suggest.WrapError`: the closest option within edit distance 2, cased like the
/// input when matching case-insensitively. Ties go to the first option in `options`
/// (BuildKit iterates a Go map for some lists, so its choice between equally close options
/// is random; callers pass such lists sorted).
pub(crate) fn suggest(value: &str, options: &[&str], case_sensitive: bool) -> Option<String> {
    let fold = |s: &str| {
        if case_sensitive {
            s.to_owned()
        } else {
            to_lower(s)
        }
    };
    let folded = fold(value);
    let folded_chars = folded.chars().count();
    let mut best: Option<String> = None;
    let mut min_distance = 3;
    for option in options {
        let option = fold(option);
        if option == folded {
            // An exact match means the error was about something else.
            return None;
        }
        // The distance is at least the difference in length: skip what cannot be close
        // (an "unknown instruction" can be a whole stray line).
        if folded_chars.abs_diff(option.chars().count()) >= min_distance {
            continue;
        }
        let distance = levenshtein(&folded, &option);
        if distance < min_distance {
            min_distance = distance;
            best = Some(if case_sensitive {
                option
            } else if value == to_lower(value) {
                to_lower(&option)
            } else if value == to_upper(value) {
                to_upper(&option)
            } else {
                option
            });
        }
    }
    best
}

/// `message` plus ` (did you mean X?)` when an option is close to `value`.
pub(crate) fn with_suggestion(
    message: String,
    value: &str,
    options: &[&str],
    case_sensitive: bool,
) -> String {
    match suggest(value, options, case_sensitive) {
        Some(m) => format!("{message} (did you mean {m}?)"),
        None => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_like_go() {
        assert_eq!(parse_uint("0755", 8, 32), Some(0o755));
        assert_eq!(parse_uint("8", 8, 32), None);
        assert_eq!(parse_uint("+1", 10, 32), None);
        assert_eq!(parse_uint("4294967296", 10, 32), None);
        assert_eq!(parse_int("-3", 32), Ok(-3));
        assert_eq!(parse_int("2147483648", 32), Err(NumError::Range));
        assert_eq!(parse_int("-2147483648", 32), Ok(-2_147_483_648));
        assert_eq!(parse_int("x", 32), Err(NumError::Syntax));
        assert_eq!(parse_int("", 32), Err(NumError::Syntax));
        assert_eq!(atoi("+7"), Some(7));
        assert_eq!(atoi("1_0"), None);
        assert_eq!(
            parse_int_error("abc", NumError::Syntax),
            r#"strconv.ParseInt: parsing "abc": invalid syntax"#
        );
    }

    #[test]
    fn suggestions_like_buildkit() {
        let names = ["ADD", "ARG", "COPY", "FROM", "RUN"];
        assert_eq!(suggest("FORM", &names, false).as_deref(), Some("FROM"));
        assert_eq!(suggest("form", &names, false).as_deref(), Some("from"));
        assert_eq!(suggest("Form", &names, false).as_deref(), Some("from"));
        assert_eq!(suggest("run", &names, false), None);
        assert_eq!(suggest("XXXXXXXX", &names, false), None);
        assert_eq!(
            suggest("chonw", &["chmod", "chown"], true).as_deref(),
            Some("chown")
        );
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("", "abc"), 3);
    }

    #[test]
    fn expansion_detection() {
        assert!(needs_expansion("$FOO", '\\'));
        assert!(needs_expansion("${FOO}", '\\'));
        assert!(needs_expansion("a'b'", '\\'));
        assert!(needs_expansion("a\\b", '\\'));
        assert!(!needs_expansion("a\\b", '`'));
        assert!(!needs_expansion("a$", '\\'));
        assert!(!needs_expansion("a$.b", '\\'));
        assert!(!needs_expansion("build", '\\'));
    }
}
