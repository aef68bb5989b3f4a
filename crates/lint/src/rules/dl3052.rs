//! DL3052: label is not a valid URL (active with a `label-schema`).
//!
//! **What** — a label the schema types `url` whose value is not an absolute URI (RFC 3986: a
//! scheme, then valid characters and percent-escapes; `https://example.com/x`, `mailto:a@b.c`).
//! A value that comes from a variable is not checked.
//!
//! **Why** — URL labels (`org.opencontainers.image.url`, `.source`) are followed by tools and
//! people; `example.com` without a scheme is not a link.
//!
//! **Bad** — `LABEL org.opencontainers.image.url=example.com` ·
//! **Good** — `LABEL org.opencontainers.image.url=https://example.com`
//!
//! **Fix** — none: the scheme is a guess.

use super::dl_support::check_typed_labels;
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Dl3052;

static META: RuleMeta = RuleMeta {
    code: "DL3052",
    aliases: &[],
    level: Level::Warning,
    category: Category::Correctness,
    summary: "Label is not a valid URL",
    bad: "FROM alpine:3.20\nLABEL org.opencontainers.image.url=example.com\n",
    good: "FROM alpine:3.20\nLABEL org.opencontainers.image.url=https://example.com\n",
    fixable: false,
};

fn is_unreserved(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_' | b'~')
}

fn is_sub_delim(c: u8) -> bool {
    matches!(
        c,
        b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'='
    )
}

/// Every byte is `allowed` or part of a valid `%XX` escape.
fn valid_chars(text: &str, allowed: impl Fn(u8) -> bool) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&c) = bytes.get(i) {
        if c == b'%' {
            let hex = |j: usize| bytes.get(j).is_some_and(u8::is_ascii_hexdigit);
            if !(hex(i + 1) && hex(i + 2)) {
                return false;
            }
            i += 3;
        } else if allowed(c) {
            i += 1;
        } else {
            return false;
        }
    }
    true
}

fn is_pchar(c: u8) -> bool {
    is_unreserved(c) || is_sub_delim(c) || c == b':' || c == b'@'
}

fn valid_authority(authority: &str) -> bool {
    let (userinfo, host_port) = match authority.rsplit_once('@') {
        Some((userinfo, rest)) => (Some(userinfo), rest),
        None => (None, authority),
    };
    if let Some(userinfo) = userinfo {
        if !valid_chars(userinfo, |c| {
            is_unreserved(c) || is_sub_delim(c) || c == b':'
        }) {
            return false;
        }
    }
    let (host_ok, port) = if let Some(rest) = host_port.strip_prefix('[') {
        let Some((literal, after)) = rest.split_once(']') else {
            return false;
        };
        let ok = !literal.is_empty()
            && literal.bytes().all(|c| {
                c.is_ascii_hexdigit()
                    || matches!(c, b':' | b'.' | b'v' | b'V')
                    || is_unreserved(c)
                    || is_sub_delim(c)
            });
        match after {
            "" => (ok, None),
            _ => match after.strip_prefix(':') {
                Some(port) => (ok, Some(port)),
                None => return false,
            },
        }
    } else {
        match host_port.split_once(':') {
            Some((host, port)) => (
                valid_chars(host, |c| is_unreserved(c) || is_sub_delim(c)),
                Some(port),
            ),
            None => (
                valid_chars(host_port, |c| is_unreserved(c) || is_sub_delim(c)),
                None,
            ),
        }
    };
    host_ok && port.is_none_or(|p| p.bytes().all(|c| c.is_ascii_digit()))
}

/// Whether `text` is an absolute URI (RFC 3986 `URI`).
pub(crate) fn is_uri(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once(':') else {
        return false;
    };
    let scheme_ok = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.'));
    if !scheme_ok {
        return false;
    }
    let (rest, fragment) = match rest.split_once('#') {
        Some((rest, fragment)) => (rest, Some(fragment)),
        None => (rest, None),
    };
    let (hier, query) = match rest.split_once('?') {
        Some((hier, query)) => (hier, Some(query)),
        None => (rest, None),
    };
    let tail_ok = |part: Option<&str>| {
        part.is_none_or(|p| valid_chars(p, |c| is_pchar(c) || c == b'/' || c == b'?'))
    };
    if !(tail_ok(query) && tail_ok(fragment)) {
        return false;
    }
    let path = match hier.strip_prefix("//") {
        Some(after) => {
            let end = after.find('/').unwrap_or(after.len());
            let (authority, path) = after.split_at(end);
            if !valid_authority(authority) {
                return false;
            }
            path
        }
        None => hier,
    };
    valid_chars(path, |c| is_pchar(c) || c == b'/')
}

impl Rule for Dl3052 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        check_typed_labels(cx, &META, "url", is_uri, |name| {
            format!("Label `{name}` is not a valid URL")
        });
    }
}

#[cfg(test)]
mod tests {
    use super::is_uri;

    #[test]
    fn accepts_absolute_uris_only() {
        for ok in [
            "https://x.com",
            "http://x",
            "mailto:a@b.c",
            "ftp://x/y",
            "https://x.com/%20",
            "x:y",
            "https://x.com/a?b=c#d",
            "https://[::1]:80/",
            "git+ssh://git@x.com/a.git",
            "urn:isbn:123",
            "https://user:pw@x.com",
            "http://",
            "https:",
        ] {
            assert!(is_uri(ok), "{ok}");
        }
        for bad in [
            "example.com",
            "https://x.com/a b",
            "https://x.com/%zz",
            "1http://x",
            "https://x.com:abc/",
            "//x.com",
            "/path",
            "https://x.com/é",
            "https://x.com/a|b",
            "https://x.com/{a}",
            "h_t://x",
            "https://x.com/a`b",
            "https://x.com/a\"b",
            "https://x.com/<a>",
            "https://x.com/a%",
            "https://x.com:80:90/",
            "",
        ] {
            assert!(!is_uri(bad), "{bad}");
        }
    }
}
