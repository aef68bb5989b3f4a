//! DL3053: label is not a valid RFC 3339 time (active with a `label-schema`).
//!
//! **What** — a label the schema types `rfc3339` whose value is not a date-time such as
//! `2024-05-01T12:00:00Z`: a real calendar date, `T`, `HH:MM:SS` (second 60 allowed for leap
//! seconds), optional fraction, and `Z` or a `±HH:MM` offset (as hadolint, `t`/`z` and
//! `±HHMM` are accepted too). A value that comes from a variable is not checked.
//!
//! **Why** — `org.opencontainers.image.created` and similar labels are parsed by tools; a date
//! alone or a local time without an offset is ambiguous or rejected.
//!
//! **Bad** — `LABEL org.opencontainers.image.created=2024-05-01` ·
//! **Good** — `LABEL org.opencontainers.image.created=2024-05-01T12:00:00Z`
//!
//! **Fix** — none: the time of day and the offset are not known.

use super::dl_support::check_typed_labels;
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Dl3053;

static META: RuleMeta = RuleMeta {
    code: "DL3053",
    aliases: &[],
    level: Level::Warning,
    category: Category::Correctness,
    summary: "Label is not a valid time format - must conform to RFC3339",
    bad: "FROM alpine:3.20\nLABEL org.opencontainers.image.created=2024-05-01\n",
    good: "FROM alpine:3.20\nLABEL org.opencontainers.image.created=2024-05-01T12:00:00Z\n",
    fixable: false,
};

/// `count` ASCII digits at the start of `text`, as a number, and the rest.
fn digits(text: &str, count: usize) -> Option<(u32, &str)> {
    let head = text.get(..count)?;
    if !head.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((head.parse().ok()?, text.get(count..)?))
}

fn days_in_month(year: u64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        _ => 28,
    }
}

/// Whether `text` is an RFC 3339 date-time (with hadolint's leniencies).
pub(crate) fn is_rfc3339(text: &str) -> bool {
    let year_len = text.bytes().take_while(u8::is_ascii_digit).count();
    if year_len < 4 {
        return false;
    }
    let Some(year) = text.get(..year_len).and_then(|y| y.parse::<u64>().ok()) else {
        return false;
    };
    let rest = text.get(year_len..).unwrap_or_default();
    let parsed = (|| {
        let (month, rest) = digits(rest.strip_prefix('-')?, 2)?;
        let (day, rest) = digits(rest.strip_prefix('-')?, 2)?;
        let rest = rest.strip_prefix(['T', 't'])?;
        let (hour, rest) = digits(rest, 2)?;
        let (minute, rest) = digits(rest.strip_prefix(':')?, 2)?;
        let (second, mut rest) = digits(rest.strip_prefix(':')?, 2)?;
        if let Some(fraction) = rest.strip_prefix('.') {
            rest = fraction.trim_start_matches(|c: char| c.is_ascii_digit());
        }
        let offset_ok = match rest {
            "Z" | "z" => true,
            _ => {
                let sign = rest.strip_prefix(['+', '-'])?;
                let (_, after) = digits(sign, 2)?;
                let after = after.strip_prefix(':').unwrap_or(after);
                digits(after, 2).is_some_and(|(_, end)| end.is_empty())
            }
        };
        let date_ok = (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
        Some(offset_ok && date_ok && hour <= 23 && minute <= 59 && second <= 60)
    })();
    parsed == Some(true)
}

impl Rule for Dl3053 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        check_typed_labels(cx, &META, "rfc3339", is_rfc3339, |name| {
            format!("Label `{name}` is not a valid time format - must conform to RFC3339")
        });
    }
}

#[cfg(test)]
mod tests {
    use super::is_rfc3339;

    #[test]
    fn parses_date_times() {
        for ok in [
            "2024-01-01T00:00:00Z",
            "2024-01-01T00:00:00+02:00",
            "2024-01-01t00:00:00z",
            "2024-01-01T00:00:00.123Z",
            "2024-01-01T00:00:60Z",
            "2024-01-01T00:00:00+0200",
            "2024-01-01T00:00:00.Z",
            "2024-02-29T00:00:00Z",
            "12024-01-01T00:00:00Z",
            "2024-01-01T00:00:00-05:00",
        ] {
            assert!(is_rfc3339(ok), "{ok}");
        }
        for bad in [
            "2024-01-01",
            "2024-01-01 00:00:00Z",
            "2024-13-01T00:00:00Z",
            "2024-02-30T00:00:00Z",
            "2024-01-01T25:00:00Z",
            "2024-01-01T00:00:00",
            "2024-01-01T00:00Z",
            "20240101T000000Z",
            "2023-02-29T00:00:00Z",
            "2024-01-01T00:00:00UTC",
            "2024-01-01T00:00:00+02",
            "2024-1-1T0:0:0Z",
            "2024-01-01T00:00:00+2:00",
            "2024-01-01T23:59:61Z",
            "",
        ] {
            assert!(!is_rfc3339(bad), "{bad}");
        }
    }
}
