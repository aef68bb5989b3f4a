//! DL3058: label is not a valid email address (active with a `label-schema`).
//!
//! **What** — a label the schema types `email` whose value is not an RFC 5322 address
//! (`local@domain`: a dot-atom or quoted local part, a host name or `[literal]` domain,
//! comments allowed around it). `Jane <jane@example.com>` is a display name plus address, not
//! an address, and is reported. A value that comes from a variable is not checked.
//!
//! **Why** — contact labels are read by tooling that sends mail or links to it.
//!
//! **Bad** — `LABEL maintainer.email=jane-at-example.com` ·
//! **Good** — `LABEL maintainer.email=jane@example.com`
//!
//! **Fix** — none: the address is not known.

use super::dl_support::check_typed_labels;
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Dl3058;

static META: RuleMeta = RuleMeta {
    code: "DL3058",
    aliases: &[],
    level: Level::Warning,
    category: Category::Correctness,
    summary: "Label is not a valid email format - must conform to RFC5322",
    bad: "FROM alpine:3.20\nLABEL maintainer.email=jane-at-example.com\n",
    good: "FROM alpine:3.20\nLABEL maintainer.email=jane@example.com\n",
    fixable: false,
};

fn is_atext(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-/=?^_`{|}~".contains(&b)
}

fn is_dot_atom(text: &str) -> bool {
    text.split('.')
        .all(|atom| !atom.is_empty() && atom.bytes().all(is_atext))
}

fn is_quoted_string(text: &str) -> bool {
    let Some(inner) = text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) else {
        return false;
    };
    let bytes = inner.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' => {
                if bytes
                    .get(i + 1)
                    .is_none_or(|n| !n.is_ascii() || n.is_ascii_control() && *n != b'\t')
                {
                    return false;
                }
                i += 2;
            }
            b'"' => return false,
            b if b.is_ascii_graphic() || b == b' ' || b == b'\t' => i += 1,
            _ => return false,
        }
    }
    true
}

fn is_domain(text: &str) -> bool {
    if let Some(literal) = text.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
        return literal
            .bytes()
            .all(|b| b.is_ascii_graphic() && !matches!(b, b'[' | b']' | b'\\'));
    }
    let text = text.strip_suffix('.').unwrap_or(text);
    !text.is_empty()
        && text.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

/// Drops comments (`(…)`, nested) and white space around an address.
fn strip_cfws(mut text: &str) -> Option<&str> {
    fn comment_end(text: &str) -> Option<usize> {
        let mut depth = 0usize;
        for (i, c) in text.char_indices() {
            match c {
                '(' => depth += 1,
                ')' => {
                    depth = depth.checked_sub(1)?;
                    if depth == 0 {
                        return Some(i + 1);
                    }
                }
                _ => {}
            }
        }
        None
    }
    loop {
        let trimmed = text.trim_start();
        if trimmed.starts_with('(') {
            text = trimmed.get(comment_end(trimmed)?..)?;
        } else {
            text = trimmed;
            break;
        }
    }
    loop {
        let trimmed = text.trim_end();
        if trimmed.ends_with(')') {
            let open = trimmed.rfind('(')?;
            text = trimmed.get(..open)?;
        } else {
            return Some(trimmed);
        }
    }
}

/// Whether `text` is an RFC 5322 `addr-spec`.
pub(crate) fn is_email(text: &str) -> bool {
    let Some(address) = strip_cfws(text) else {
        return false;
    };
    let Some((local, domain)) = address.rsplit_once('@') else {
        return false;
    };
    (is_dot_atom(local) || is_quoted_string(local)) && is_domain(domain)
}

impl Rule for Dl3058 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        check_typed_labels(cx, &META, "email", is_email, |name| {
            format!("Label `{name}` is not a valid email format - must conform to RFC5322")
        });
    }
}

#[cfg(test)]
mod tests {
    use super::is_email;

    #[test]
    fn accepts_addr_specs() {
        for ok in [
            "a@b.co",
            "a@b",
            "a.b@c.d",
            "a+tag@x.io",
            "\"quoted\"@x.io",
            "a@[127.0.0.1]",
            "a@x.io.",
            "user@localhost",
            "a!#%&*+/=?^_{}|~@x.io",
            "a@x.io (comment)",
            "(c)a@x.io",
        ] {
            assert!(is_email(ok), "{ok}");
        }
        for bad in [
            "Jane <jane@x.com>",
            "a@@b",
            "@b",
            "a@",
            "a b@c.d",
            "a..b@x.io",
            ".a@x.io",
            "a.@x.io",
            "a@-x.io",
            "x@y-.io",
            "a@x_y.io",
            "a@x..io",
            "ü@x.io",
            "a@ü.io",
            "",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }
}
