//! Well-known secret token shapes in file contents. The scanner calls [`token_kind`] on every
//! regular file up to 1 MiB, so it is one pass over the bytes with a table of the bytes a
//! token can start with, and a short check at each candidate; no regex engine.

/// Bytes a recognised token can start with: `-` (PEM), `A` (AKIA/ASIA, `AWS_SECRET…`),
/// `a` (`aws_secret…`), `g` (GitHub), `x` (Slack).
const START: [bool; 256] = {
    let mut table = [false; 256];
    table[b'-' as usize] = true;
    table[b'A' as usize] = true;
    table[b'a' as usize] = true;
    table[b'g' as usize] = true;
    table[b'x' as usize] = true;
    table
};

/// Every kind [`token_kind`] names.
pub const TOKEN_KINDS: &[&str] = &[
    "private-key",
    "aws-access-key-id",
    "aws-secret-access-key",
    "github-token",
    "slack-token",
];

/// The kind of the first secret-looking token in `content`, if any:
/// - `private-key`: a PEM header `-----BEGIN … PRIVATE KEY…-----` (RSA, EC, OPENSSH,
///   ENCRYPTED, PGP …);
/// - `aws-access-key-id`: `AKIA`/`ASIA` and 16 upper-case letters or digits, standing alone;
/// - `aws-secret-access-key`: `aws_secret_access_key` (any case) followed by `=` or `:` and a
///   value;
/// - `github-token`: `ghp_`/`gho_`/`ghu_`/`ghs_`/`ghr_` and 36 more token characters, or
///   `github_pat_` and 22 or more;
/// - `slack-token`: `xoxb-`, `xoxp-`, `xoxa-`, `xoxr-` or `xoxs-` and 10 or more token characters.
pub fn token_kind(content: &[u8]) -> Option<&'static str> {
    let mut index = 0;
    while let Some(offset) = content
        .get(index..)
        .and_then(|rest| rest.iter().position(|&byte| START[usize::from(byte)]))
    {
        index += offset;
        let rest = content.get(index..).unwrap_or_default();
        let before = index.checked_sub(1).and_then(|i| content.get(i)).copied();
        index += 1;
        // Most candidates fail on the second byte, before any real check.
        let &[first, second, ..] = rest else {
            continue;
        };
        if !plausible_pair(first, second) {
            continue;
        }
        let kind = match first {
            b'-' => private_key(rest),
            b'A' => aws_access_key_id(rest, before).or_else(|| aws_secret_access_key(rest)),
            b'a' => aws_secret_access_key(rest),
            b'g' => github_token(rest, before),
            _ => slack_token(rest, before),
        };
        if kind.is_some() {
            return kind;
        }
    }
    None
}

/// The first two bytes of a token: `--`, `AK`/`AS`/`AW`, `aw`, `gh`/`gi`, `xo`.
fn plausible_pair(first: u8, second: u8) -> bool {
    matches!(
        (first, second),
        (b'-', b'-')
            | (b'A', b'K' | b'S' | b'W')
            | (b'a', b'w')
            | (b'g', b'h' | b'i')
            | (b'x', b'o')
    )
}

/// `-----BEGIN ` then, within the same (short) line, `PRIVATE KEY`.
fn private_key(rest: &[u8]) -> Option<&'static str> {
    let header = rest.strip_prefix(b"-----BEGIN ")?;
    let line_end = header
        .iter()
        .take(64)
        .position(|&b| b == b'\n' || b == b'-')
        .unwrap_or(header.len().min(64));
    let line = header.get(..line_end)?;
    contains(line, b"PRIVATE KEY").then_some("private-key")
}

fn aws_access_key_id(rest: &[u8], before: Option<u8>) -> Option<&'static str> {
    if !(rest.starts_with(b"AKIA") || rest.starts_with(b"ASIA"))
        || before.is_some_and(is_upper_alnum)
    {
        return None;
    }
    let body = rest.get(4..20)?;
    let after = rest.get(20).copied();
    (body.iter().all(|&b| is_upper_alnum(b)) && !after.is_some_and(is_upper_alnum))
        .then_some("aws-access-key-id")
}

fn aws_secret_access_key(rest: &[u8]) -> Option<&'static str> {
    const NAME: &[u8] = b"aws_secret_access_key";
    let name = rest.get(..NAME.len())?;
    if !name.eq_ignore_ascii_case(NAME) {
        return None;
    }
    // `aws_secret_access_key = value`, `AWS_SECRET_ACCESS_KEY: "value"`, `…="value"`.
    let mut tail = rest
        .get(NAME.len()..)?
        .iter()
        .copied()
        .skip_while(|&b| b == b' ' || b == b'\t' || b == b'"');
    if !matches!(tail.next(), Some(b'=' | b':')) {
        return None;
    }
    let value_len = tail
        .skip_while(|&b| b == b' ' || b == b'\t' || b == b'"' || b == b'\'')
        .take_while(|&b| b.is_ascii_alphanumeric() || b == b'/' || b == b'+')
        .take(40)
        .count();
    (value_len >= 16).then_some("aws-secret-access-key")
}

fn github_token(rest: &[u8], before: Option<u8>) -> Option<&'static str> {
    if before.is_some_and(is_token_char) {
        return None;
    }
    let (body, needed) = if let Some(body) = rest.strip_prefix(b"github_pat_") {
        (body, 22)
    } else if rest.len() > 4
        && rest.starts_with(b"gh")
        && matches!(rest.get(2), Some(b'p' | b'o' | b'u' | b's' | b'r'))
        && rest.get(3) == Some(&b'_')
    {
        (rest.get(4..)?, 36)
    } else {
        return None;
    };
    let run = body
        .iter()
        .take(needed)
        .take_while(|&&b| is_token_char(b))
        .count();
    (run == needed).then_some("github-token")
}

fn slack_token(rest: &[u8], before: Option<u8>) -> Option<&'static str> {
    if before.is_some_and(is_token_char)
        || !rest.starts_with(b"xox")
        || !matches!(rest.get(3), Some(b'a' | b'b' | b'p' | b'r' | b's'))
        || rest.get(4) != Some(&b'-')
    {
        return None;
    }
    let body = rest.get(5..)?;
    let run = body
        .iter()
        .take(10)
        .take_while(|&&b| b.is_ascii_alphanumeric() || b == b'-')
        .count();
    (run == 10).then_some("slack-token")
}

fn is_upper_alnum(byte: u8) -> bool {
    byte.is_ascii_uppercase() || byte.is_ascii_digit()
}

fn is_token_char(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_each_token_kind() {
        let cases: [(&[u8], &str); 9] = [
            (b"-----BEGIN RSA PRIVATE KEY-----\nMIIE", "private-key"),
            (b"x\n-----BEGIN OPENSSH PRIVATE KEY-----\n", "private-key"),
            (b"-----BEGIN PGP PRIVATE KEY BLOCK-----", "private-key"),
            (
                b"AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n",
                "aws-access-key-id",
            ),
            (
                b"aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                "aws-secret-access-key",
            ),
            (
                b"export AWS_SECRET_ACCESS_KEY=\"wJalrXUtnFEMI/K7MDENG/bPxRfiCY\"",
                "aws-secret-access-key",
            ),
            (
                b"token: ghp_0123456789abcdefghijABCDEFGHIJ012345",
                "github-token",
            ),
            (b"github_pat_11ABCDEFG0123456789_abcdefghij", "github-token"),
            (b"SLACK=xoxb-1234567890-abcdef", "slack-token"),
        ];
        for (content, kind) in cases {
            assert!(TOKEN_KINDS.contains(&kind), "{kind} is listed");
            assert_eq!(
                token_kind(content),
                Some(kind),
                "{}",
                String::from_utf8_lossy(content)
            );
        }
    }

    #[test]
    fn ignores_lookalikes() {
        let cases: [&[u8]; 9] = [
            b"-----BEGIN CERTIFICATE-----\nMIIB",
            b"-----BEGIN PUBLIC KEY-----",
            b"AKIA too short",
            b"XAKIAIOSFODNN7EXAMPLE",
            b"AKIAIOSFODNN7EXAMPLEX",
            b"aws_secret_access_key is documented here",
            b"ghp_short",
            b"xoxb-short",
            b"",
        ];
        for content in cases {
            assert_eq!(
                token_kind(content),
                None,
                "{}",
                String::from_utf8_lossy(content)
            );
        }
    }

    #[test]
    fn tolerates_binary_and_truncated_input() {
        let mut binary: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
        binary.extend_from_slice(b"-----BEGIN ");
        assert_eq!(token_kind(&binary), None);
        assert_eq!(token_kind(b"AKIA"), None);
        assert_eq!(token_kind(b"aws_secret_access_key"), None);
        assert_eq!(token_kind(b"github_pat_"), None);
        assert_eq!(token_kind(b"xoxb-"), None);
    }
}
