//! Go's `time.ParseDuration`, with its exact error texts.

const NANOSECOND: u64 = 1;
const MICROSECOND: u64 = 1_000 * NANOSECOND;
const MILLISECOND: u64 = 1_000 * MICROSECOND;
const SECOND: u64 = 1_000 * MILLISECOND;
const MINUTE: u64 = 60 * SECOND;
const HOUR: u64 = 60 * MINUTE;
const LIMIT: u64 = 1 << 63;

/// One millisecond in nanoseconds: Docker's `container.MinimumDuration`.
pub(crate) const MINIMUM_DURATION: i64 = 1_000_000;

fn unit(name: &str) -> Option<u64> {
    Some(match name {
        "ns" => NANOSECOND,
        "us" | "\u{b5}s" | "\u{3bc}s" => MICROSECOND,
        "ms" => MILLISECOND,
        "s" => SECOND,
        "m" => MINUTE,
        "h" => HOUR,
        _ => return None,
    })
}

/// The `time` package's private `quote`: non-ASCII and control bytes as `\xNN`.
fn time_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        if !c.is_ascii() || c < ' ' {
            let mut buf = [0u8; 4];
            for byte in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("\\x{byte:02x}"));
            }
        } else {
            if c == '"' || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out.push('"');
    out
}

fn invalid(orig: &str) -> String {
    format!("time: invalid duration {}", time_quote(orig))
}

/// Parses a Go duration (`1h30m`, `-1.5s`, `300ms`) into nanoseconds.
pub(crate) fn parse_duration(orig: &str) -> Result<i64, String> {
    let mut s = orig.as_bytes();
    let mut total: u64 = 0;
    let mut negative = false;
    if let Some(&c) = s.first() {
        if c == b'-' || c == b'+' {
            negative = c == b'-';
            s = &s[1..];
        }
    }
    if s == b"0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err(invalid(orig));
    }
    while !s.is_empty() {
        if !(s[0] == b'.' || s[0].is_ascii_digit()) {
            return Err(invalid(orig));
        }
        // Leading integer.
        let mut value: u64 = 0;
        let mut i = 0;
        while i < s.len() && s[i].is_ascii_digit() {
            if value > LIMIT / 10 {
                return Err(invalid(orig));
            }
            value = value * 10 + u64::from(s[i] - b'0');
            if value > LIMIT {
                return Err(invalid(orig));
            }
            i += 1;
        }
        let pre = i > 0;
        s = &s[i..];
        // Fraction.
        let mut fraction: u64 = 0;
        let mut scale: f64 = 1.0;
        let mut post = false;
        if s.first() == Some(&b'.') {
            s = &s[1..];
            let mut i = 0;
            let mut overflow = false;
            while i < s.len() && s[i].is_ascii_digit() {
                if !overflow {
                    if fraction > (LIMIT - 1) / 10 {
                        overflow = true;
                    } else {
                        let next = fraction * 10 + u64::from(s[i] - b'0');
                        if next > LIMIT {
                            overflow = true;
                        } else {
                            fraction = next;
                            scale *= 10.0;
                        }
                    }
                }
                i += 1;
            }
            post = i > 0;
            s = &s[i..];
        }
        if !pre && !post {
            return Err(invalid(orig));
        }
        // Unit.
        let unit_len = s
            .iter()
            .position(|&c| c == b'.' || c.is_ascii_digit())
            .unwrap_or(s.len());
        if unit_len == 0 {
            return Err(format!(
                "time: missing unit in duration {}",
                time_quote(orig)
            ));
        }
        let name = String::from_utf8_lossy(&s[..unit_len]).into_owned();
        s = &s[unit_len..];
        let Some(multiplier) = unit(&name) else {
            return Err(format!(
                "time: unknown unit {} in duration {}",
                time_quote(&name),
                time_quote(orig)
            ));
        };
        if value > LIMIT / multiplier {
            return Err(invalid(orig));
        }
        value *= multiplier;
        if fraction > 0 {
            // Go converts through float64 here; so do we.
            #[allow(
                clippy::cast_precision_loss,
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss
            )]
            let extra = (fraction as f64 * (multiplier as f64 / scale)) as u64;
            value = value.saturating_add(extra);
            if value > LIMIT {
                return Err(invalid(orig));
            }
        }
        total = total.saturating_add(value);
        if total > LIMIT {
            return Err(invalid(orig));
        }
    }
    if negative {
        return Ok(0i64.wrapping_sub_unsigned(total));
    }
    i64::try_from(total).map_err(|_| invalid(orig))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_like_go() {
        assert_eq!(parse_duration("0"), Ok(0));
        assert_eq!(parse_duration("-0"), Ok(0));
        assert_eq!(parse_duration("1h30m"), Ok(90 * 60 * 1_000_000_000));
        assert_eq!(parse_duration("1.5s"), Ok(1_500_000_000));
        assert_eq!(parse_duration(".5ms"), Ok(500_000));
        assert_eq!(parse_duration("-2us"), Ok(-2_000));
        assert_eq!(parse_duration("3µs"), Ok(3_000));
        assert_eq!(parse_duration("3μs"), Ok(3_000));
        assert_eq!(parse_duration("1h1m1s1ms1us1ns"), Ok(3_661_001_001_001));
        assert_eq!(
            parse_duration("2562047h"),
            Ok(2_562_047 * 3_600 * 1_000_000_000)
        );
    }

    #[test]
    fn errors_like_go() {
        assert_eq!(
            parse_duration(""),
            Err(r#"time: invalid duration """#.into())
        );
        assert_eq!(
            parse_duration("1"),
            Err(r#"time: missing unit in duration "1""#.into())
        );
        assert_eq!(
            parse_duration("10x"),
            Err(r#"time: unknown unit "x" in duration "10x""#.into())
        );
        assert_eq!(
            parse_duration("s"),
            Err(r#"time: invalid duration "s""#.into())
        );
        assert_eq!(
            parse_duration(".s"),
            Err(r#"time: invalid duration ".s""#.into())
        );
        assert_eq!(
            parse_duration("3000000h"),
            Err(r#"time: invalid duration "3000000h""#.into())
        );
        assert_eq!(
            parse_duration("1é"),
            Err(r#"time: unknown unit "\xc3\xa9" in duration "1\xc3\xa9""#.into())
        );
        assert_eq!(
            parse_duration("1 s"),
            Err(r#"time: unknown unit " s" in duration "1 s""#.into())
        );
    }
}
