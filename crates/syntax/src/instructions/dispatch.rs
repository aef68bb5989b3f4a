//! Dispatch-time checks (`dockerfile2llb`): the values BuildKit validates only after
//! variable expansion, checked here when the value is one expansion leaves unchanged.

use std::net::IpAddr;

use super::golang::{atoi, needs_expansion, parse_uint, to_upper};
use super::parse::Copy;
use super::{CODE_FLAG, CODE_VALUE};
use crate::Diagnostic;

/// `dispatchCopy`'s checks on `--chmod`, `--checksum` and the sources.
pub(crate) fn copy(c: &Copy<'_>, escape: char) -> Option<Diagnostic> {
    if let Some(chmod) = c.chmod.filter(|u| !u.value.is_empty()) {
        if !needs_expansion(chmod.value, escape) {
            if let Some(message) = chmod_error(chmod.value) {
                return Some(Diagnostic::error(CODE_FLAG, message, chmod.flag.span));
            }
        }
    }
    let checksum = c
        .checksum
        .filter(|u| !u.value.is_empty() && !needs_expansion(u.value, escape));
    if let Some(checksum) = checksum {
        // Only ADD has the flag.
        if c.sources.len() != 1 {
            return Some(Diagnostic::error(
                CODE_FLAG,
                "checksum can't be specified for multiple sources",
                checksum.flag.span,
            ));
        }
        if let Some(source) = c.sources.first() {
            if !needs_expansion(&source.value, escape)
                && !is_http_source(&source.value)
                && !is_git_source(&source.value)
            {
                return Some(Diagnostic::error(
                    CODE_FLAG,
                    "checksum requires HTTP(S) or Git sources",
                    checksum.flag.span,
                ));
            }
        }
    }
    for source in &c.sources {
        if needs_expansion(&source.value, escape) {
            continue;
        }
        if is_git_source(&source.value) {
            if !c.add {
                return Some(Diagnostic::error(
                    CODE_VALUE,
                    "source can't be a git ref for COPY",
                    source.span,
                ));
            }
        } else if is_http_source(&source.value) {
            if !c.add {
                return Some(Diagnostic::error(
                    CODE_VALUE,
                    "source can't be a URL for COPY",
                    source.span,
                ));
            }
            if let Some(checksum) = checksum {
                if let Err(message) = validate_digest(checksum.value) {
                    return Some(Diagnostic::error(CODE_FLAG, message, checksum.flag.span));
                }
            }
        }
    }
    None
}

/// The error BuildKit gives for a `--chmod` value, if any.
fn chmod_error(chmod: &str) -> Option<String> {
    let non_octal = || {
        format!(
            "invalid chmod parameter: '{chmod}'. it should be octal string and between 0 and 07777"
        )
    };
    if let Some(mode) = parse_uint(chmod, 8, 32) {
        return (mode > 0o7777).then(non_octal);
    }
    match symbolic_mode(chmod.as_bytes()) {
        ModeParse::Ok | ModeParse::Panics => None,
        ModeParse::NumError => Some(non_octal()),
        ModeParse::Syntax => Some("invalid syntax".to_owned()),
    }
}

enum ModeParse {
    Ok,
    /// `strconv.ParseInt` failed on a value starting with a digit.
    NumError,
    /// `mode.ErrSyntax`.
    Syntax,
    /// `dchapes-mode` indexes past the end of the string: no message to reproduce.
    Panics,
}

/// `github.com/tonistiigi/dchapes-mode.Parse`, reduced to its outcome.
fn symbolic_mode(mut s: &[u8]) -> ModeParse {
    let Some(&first) = s.first() else {
        return ModeParse::Syntax;
    };
    if first.is_ascii_digit() {
        // Reached only when `ParseUint(s, 8, 32)` failed, so `ParseInt(s, 8, 16)` fails too.
        return ModeParse::NumError;
    }
    loop {
        // Who.
        loop {
            match s.first() {
                None => return ModeParse::Panics,
                Some(b'a' | b'u' | b'g' | b'o') => s = &s[1..],
                Some(_) => break,
            }
        }
        loop {
            // Op.
            let Some(&op) = s.first() else {
                return ModeParse::Panics;
            };
            s = &s[1..];
            if !matches!(op, b'+' | b'-' | b'=') {
                return ModeParse::Syntax;
            }
            // Permissions.
            while let Some(b'r' | b's' | b't' | b'w' | b'X' | b'x' | b'u' | b'g' | b'o') = s.first()
            {
                s = &s[1..];
            }
            match s.first() {
                None => return ModeParse::Ok,
                Some(b',') => {
                    s = &s[1..];
                    break;
                }
                Some(_) => {}
            }
        }
    }
}

/// `isHTTPSource`.
pub(crate) fn is_http_source(src: &str) -> bool {
    (src.starts_with("http://") || src.starts_with("https://")) && !is_git_source(src)
}

/// `isGitSource` (`dfgitutil.ParseGitRef` succeeding), for the common forms: `ssh://`,
/// `git://`, `http(s)://…/x.git`, and `user@host:path`. Query options are not validated.
pub(crate) fn is_git_source(src: &str) -> bool {
    if src.starts_with("./") || src.starts_with("../") {
        return false;
    }
    let scheme_len = src
        .bytes()
        .position(|b| !b.is_ascii_alphanumeric())
        .unwrap_or(src.len());
    if scheme_len > 0 && src[scheme_len..].starts_with("://") {
        let scheme = src[..scheme_len].to_ascii_lowercase();
        let rest = &src[scheme_len + 3..];
        return match scheme.as_str() {
            "ssh" | "git" => true,
            "http" | "https" => {
                let end = rest.find(['?', '#']).unwrap_or(rest.len());
                let path_start = rest[..end].find('/').unwrap_or(end);
                rest[path_start..end].ends_with(".git")
            }
            _ => false,
        };
    }
    // `^([a-zA-Z0-9-_]+)@([a-zA-Z0-9-.]+):(.*)`: an SCP-like address with a user.
    let Some((user, rest)) = src.split_once('@') else {
        return false;
    };
    let Some((host, _)) = rest.split_once(':') else {
        return false;
    };
    !user.is_empty()
        && user
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        && !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
}

/// `digest.Parse` (`opencontainers/go-digest`).
fn validate_digest(s: &str) -> Result<(), &'static str> {
    const FORMAT: &str = "invalid checksum digest format";
    let Some(i) = s.find(':').filter(|&i| i > 0 && i + 1 < s.len()) else {
        return Err(FORMAT);
    };
    let (algorithm, encoded) = (&s[..i], &s[i + 1..]);
    let size = match algorithm {
        "sha256" => 32,
        "sha384" => 48,
        "sha512" => 64,
        _ => {
            // `^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$`
            let algorithm_ok = algorithm.split(['.', '+', '_', '-']).all(|part| {
                !part.is_empty()
                    && part
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            });
            let encoded_ok = encoded
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'=' | b'_' | b'-'));
            return Err(if algorithm_ok && encoded_ok {
                "unsupported digest algorithm"
            } else {
                FORMAT
            });
        }
    };
    if encoded.len() != size * 2 {
        return Err("invalid checksum digest length");
    }
    if !encoded
        .bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return Err(FORMAT);
    }
    Ok(())
}

/// `parsePortSpec` (`convert_expose.go`) for one word.
pub(crate) fn port_spec_error(raw: &str) -> Option<String> {
    let parts: Vec<&str> = raw.split(':').collect();
    let (ip, host_port, container_port) = match parts.as_slice() {
        [c] => (String::new(), "", *c),
        [h, c] => (String::new(), *h, *c),
        [i, h, c] => ((*i).to_owned(), *h, *c),
        [rest @ .., h, c] => (rest.join(":"), *h, *c),
        [] => return None,
    };
    let (port, proto) = container_port
        .split_once('/')
        .unwrap_or((container_port, ""));
    if port.is_empty() {
        return Some(format!("no port specified: {container_port}<empty>"));
    }
    let proto = crate::go_quote::to_lower(proto);
    if !matches!(proto.as_str(), "" | "tcp" | "udp" | "sctp") {
        return Some(format!("invalid proto: {proto}"));
    }
    let mut ip = ip.as_str();
    if ip.starts_with('[') {
        match ip.strip_prefix('[').and_then(|i| i.strip_suffix(']')) {
            Some(inner) => ip = inner,
            // `net.SplitHostPort`'s own errors: not reproduced.
            None => return None,
        }
    }
    if !ip.is_empty() && ip.parse::<IpAddr>().is_err() {
        return Some(format!("invalid IP address: {ip}"));
    }
    let Some((start, end)) = port_range(port) else {
        return Some(format!("invalid containerPort: {port}"));
    };
    if !host_port.is_empty() {
        let Some((host_start, host_end)) = port_range(host_port) else {
            return Some(format!("invalid hostPort: {host_port}"));
        };
        if end - start != host_end.wrapping_sub(host_start) && end != start {
            return Some(format!(
                "invalid ranges specified for container and host Ports: {port} and {host_port}"
            ));
        }
    }
    None
}

/// `parsePortRange`: `8000` or `8000-8010`.
fn port_range(ports: &str) -> Option<(u64, u64)> {
    if !ports.contains('-') {
        let port = parse_uint(ports, 10, 16)?;
        return Some((port, port));
    }
    let (start, end) = ports.split_once('-')?;
    if end.contains('-') {
        return None;
    }
    let start = parse_uint(start, 10, 16)?;
    let end = parse_uint(end, 10, 16)?;
    (end >= start).then_some((start, end))
}

/// `moby/sys/signal.ParseSignal` on Linux.
pub(crate) fn signal_error(raw: &str) -> Option<String> {
    const NAMES: [&str; 35] = [
        "ABRT", "ALRM", "BUS", "CHLD", "CLD", "CONT", "FPE", "HUP", "ILL", "INT", "IO", "IOT",
        "KILL", "PIPE", "POLL", "PROF", "PWR", "QUIT", "SEGV", "STKFLT", "STOP", "SYS", "TERM",
        "TRAP", "TSTP", "TTIN", "TTOU", "URG", "USR1", "USR2", "VTALRM", "WINCH", "XCPU", "XFSZ",
        "RTMIN",
    ];
    let invalid = || Some(format!("invalid signal: {raw}"));
    if let Some(number) = atoi(raw) {
        return if number == 0 { invalid() } else { None };
    }
    let upper = to_upper(raw);
    let name = upper.strip_prefix("SIG").unwrap_or(&upper);
    if NAMES.contains(&name) || name == "RTMAX" {
        return None;
    }
    let realtime = |prefix: &str, max: u8| {
        name.strip_prefix(prefix)
            .is_some_and(|n| (1..=max).any(|i| n == i.to_string()))
    };
    if realtime("RTMIN+", 15) || realtime("RTMAX-", 14) {
        return None;
    }
    invalid()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chmod_values() {
        assert_eq!(chmod_error("755"), None);
        assert_eq!(chmod_error("0644"), None);
        assert_eq!(chmod_error("7777"), None);
        assert!(chmod_error("10000").is_some_and(|m| m.contains("'10000'")));
        assert!(chmod_error("64a").is_some_and(|m| m.contains("'64a'")));
        assert_eq!(chmod_error("u+x"), None);
        assert_eq!(chmod_error("u=rwx,go=rx"), None);
        assert_eq!(chmod_error("+x"), None);
        assert_eq!(chmod_error("abc").as_deref(), Some("invalid syntax"));
        assert_eq!(chmod_error("u+xq").as_deref(), Some("invalid syntax"));
        assert_eq!(chmod_error("u"), None, "panics in BuildKit");
    }

    #[test]
    fn sources() {
        assert!(is_git_source("git@github.com:moby/buildkit.git"));
        assert!(is_git_source(
            "https://github.com/moby/buildkit.git#v0.10.1"
        ));
        assert!(is_git_source("ssh://git@host/x"));
        assert!(!is_git_source("https://example.com/file.tar.gz"));
        assert!(!is_git_source("src/"));
        assert!(!is_git_source("user@host"));
        assert!(is_http_source("https://example.com/file.tar.gz"));
        assert!(!is_http_source("https://example.com/repo.git"));
    }

    #[test]
    fn digests() {
        let ok = format!("sha256:{}", "a".repeat(64));
        assert_eq!(validate_digest(&ok), Ok(()));
        assert_eq!(
            validate_digest("sha256:abc"),
            Err("invalid checksum digest length")
        );
        assert_eq!(
            validate_digest("md5:abc"),
            Err("unsupported digest algorithm")
        );
        assert_eq!(
            validate_digest("nocolon"),
            Err("invalid checksum digest format")
        );
        let upper = format!("sha256:{}", "A".repeat(64));
        assert_eq!(
            validate_digest(&upper),
            Err("invalid checksum digest format")
        );
    }

    #[test]
    fn ports() {
        for ok in [
            "80",
            "80/tcp",
            "8000-8010/udp",
            "53/UDP",
            "127.0.0.1:80:80",
            "[::1]:80:80",
            "8080:80",
        ] {
            assert_eq!(port_spec_error(ok), None, "{ok}");
        }
        assert_eq!(
            port_spec_error("abc").as_deref(),
            Some("invalid containerPort: abc")
        );
        assert_eq!(
            port_spec_error("80/xyz").as_deref(),
            Some("invalid proto: xyz")
        );
        assert_eq!(
            port_spec_error("/tcp").as_deref(),
            Some("no port specified: /tcp<empty>")
        );
        assert_eq!(
            port_spec_error("70000").as_deref(),
            Some("invalid containerPort: 70000")
        );
        assert_eq!(
            port_spec_error("x:80").as_deref(),
            Some("invalid hostPort: x")
        );
        assert_eq!(
            port_spec_error("1.2.3:80:80").as_deref(),
            Some("invalid IP address: 1.2.3")
        );
    }

    #[test]
    fn signals() {
        for ok in [
            "SIGTERM",
            "term",
            "9",
            "SIGRTMIN+3",
            "RTMAX-2",
            "SIGWINCH",
            "-5",
        ] {
            assert_eq!(signal_error(ok), None, "{ok}");
        }
        assert_eq!(signal_error("0").as_deref(), Some("invalid signal: 0"));
        assert_eq!(
            signal_error("SIGFOO").as_deref(),
            Some("invalid signal: SIGFOO")
        );
        assert_eq!(
            signal_error("RTMIN+16").as_deref(),
            Some("invalid signal: RTMIN+16")
        );
    }
}
