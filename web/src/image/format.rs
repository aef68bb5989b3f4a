//! How the explorer writes numbers: sizes in human units, ratios as percentages, digests short.

/// `1.2 MB`, `532 B`: decimal units, as `docker images` prints them.
pub fn bytes(size: f64) -> String {
    if !size.is_finite() || size < 0.0 {
        return "?".to_owned();
    }
    const UNITS: [&str; 5] = ["kB", "MB", "GB", "TB", "PB"];
    if size < 1000.0 {
        return format!("{size:.0} B");
    }
    let mut value = size;
    let mut unit = "B";
    for next in UNITS {
        if value < 1000.0 {
            break;
        }
        value /= 1000.0;
        unit = next;
    }
    if value < 10.0 {
        format!("{value:.2} {unit}")
    } else if value < 100.0 {
        format!("{value:.1} {unit}")
    } else {
        format!("{value:.0} {unit}")
    }
}

/// A signed size change: `+1.20 MB`, `-532 B`, `0 B`.
pub fn delta(size: f64) -> String {
    if size > 0.0 {
        format!("+{}", bytes(size))
    } else if size < 0.0 {
        format!("-{}", bytes(-size))
    } else {
        "0 B".to_owned()
    }
}

/// `43.49%` from a ratio.
pub fn percent(ratio: f64) -> String {
    if ratio.is_finite() {
        format!("{:.2}%", ratio * 100.0)
    } else {
        "?".to_owned()
    }
}

/// `sha256:faf0b334c659` — the algorithm and the first 12 hex digits.
pub fn short_digest(digest: &str) -> String {
    match digest.split_once(':') {
        Some((algorithm, hex)) => format!("{algorithm}:{}", hex.get(..12).unwrap_or(hex)),
        None => digest.get(..19).unwrap_or(digest).to_owned(),
    }
}

/// `0o4755` as `rwsr-xr-x`.
pub fn mode(mode: u32) -> String {
    let bit = |mask: u32, c: char| if mode & mask != 0 { c } else { '-' };
    let special = |exec: bool, set: bool, on: char, off: char| match (exec, set) {
        (true, true) => on,
        (false, true) => off,
        (true, false) => 'x',
        (false, false) => '-',
    };
    [
        bit(0o400, 'r'),
        bit(0o200, 'w'),
        special(mode & 0o100 != 0, mode & 0o4000 != 0, 's', 'S'),
        bit(0o040, 'r'),
        bit(0o020, 'w'),
        special(mode & 0o010 != 0, mode & 0o2000 != 0, 's', 'S'),
        bit(0o004, 'r'),
        bit(0o002, 'w'),
        special(mode & 0o001 != 0, mode & 0o1000 != 0, 't', 'T'),
    ]
    .into_iter()
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_in_human_units() {
        assert_eq!(bytes(0.0), "0 B");
        assert_eq!(bytes(999.0), "999 B");
        assert_eq!(bytes(1000.0), "1.00 kB");
        assert_eq!(bytes(842_240.0), "842 kB");
        assert_eq!(bytes(1_140_736.0), "1.14 MB");
        assert_eq!(bytes(37_500_000_000.0), "37.5 GB");
        assert_eq!(bytes(-1.0), "?");
        assert_eq!(delta(-2000.0), "-2.00 kB");
        assert_eq!(delta(0.0), "0 B");
    }

    #[test]
    fn ratios_digests_and_modes() {
        assert_eq!(percent(0.434_891_656), "43.49%");
        assert_eq!(
            short_digest("sha256:faf0b334c659764f203f6f52e442d66a"),
            "sha256:faf0b334c659"
        );
        assert_eq!(mode(0o4755), "rwsr-xr-x");
        assert_eq!(mode(0o644), "rw-r--r--");
        assert_eq!(mode(0o1777), "rwxrwxrwt");
    }
}
