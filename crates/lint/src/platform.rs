//! Platform specifiers as containerd reads and writes them (`platforms.Parse`, `Normalize`,
//! `FormatAll`): `os[(osversion)][/arch[/variant]]`, with the aliases folded (`aarch64` →
//! `arm64`, `x86_64` → `amd64`, `macos` → `darwin`) and the default variants BuildKit drops
//! or adds (`arm64/v8` → `arm64`, `arm` → `arm/v7`).

/// A parsed, normalised platform.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Platform {
    pub os: String,
    pub os_version: String,
    pub arch: String,
    pub variant: String,
}

impl Platform {
    /// containerd's `platforms.Parse` then `platforms.Normalize`. A bare OS gets the
    /// architecture of the `linux/amd64` build a static linter assumes; `None` for what
    /// containerd rejects (wildcards, empty or invalid parts, more than three parts, a lone
    /// word that is neither a known OS nor a known architecture).
    pub fn parse(specifier: &str) -> Option<Platform> {
        if specifier.contains('*') {
            return None;
        }
        let parts: Vec<&str> = specifier.split('/').collect();
        let first = parts.first()?;
        // `os(version)` is accepted in the first part.
        let (os_part, os_version) = match first.split_once('(') {
            Some((os, rest)) if rest.ends_with(')') => {
                let version = &rest[..rest.len() - 1];
                if !version.bytes().all(valid_byte) {
                    return None;
                }
                (os, version)
            }
            _ => (*first, ""),
        };
        let valid = |part: &str| !part.is_empty() && part.bytes().all(valid_byte);
        if !valid(os_part) || !parts[1..].iter().all(|p| valid(p)) {
            return None;
        }
        let os = normalize_os(os_part);
        let (arch, variant) = match parts.len() {
            1 if KNOWN_OS.contains(&os.as_str()) => ("amd64".to_owned(), String::new()),
            1 => {
                let (arch, variant) = normalize_arch(parts[0], "");
                if !KNOWN_ARCH.contains(&arch.as_str()) {
                    return None;
                }
                return Some(Platform {
                    os: "linux".to_owned(),
                    os_version: String::new(),
                    arch,
                    variant,
                });
            }
            2 => normalize_arch(parts[1], ""),
            3 => normalize_arch(parts[1], parts[2]),
            _ => return None,
        };
        Some(Platform {
            os,
            os_version: os_version.to_owned(),
            arch,
            variant,
        })
    }

    /// containerd's `platforms.FormatAll`: `os[(osversion)]/arch[/variant]`.
    pub fn format_all(&self) -> String {
        let mut out = self.os.clone();
        if !self.os_version.is_empty() {
            out.push('(');
            out.push_str(&self.os_version);
            out.push(')');
        }
        for part in [&self.arch, &self.variant] {
            if !part.is_empty() {
                out.push('/');
                out.push_str(part);
            }
        }
        out
    }
}

/// `os/arch[/variant]` normalised as BuildKit prints it (`linux/aarch64` → `linux/arm64`,
/// `linux/arm` → `linux/arm/v7`); `None` when containerd would not parse `specifier`.
pub fn normalize_platform(specifier: &str) -> Option<String> {
    Platform::parse(specifier).map(|p| p.format_all())
}

/// containerd's `specifierRe` (`^[A-Za-z0-9_.-]+$`), byte by byte.
fn valid_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-')
}

const KNOWN_OS: [&str; 17] = [
    "aix",
    "android",
    "darwin",
    "dragonfly",
    "freebsd",
    "hurd",
    "illumos",
    "ios",
    "js",
    "linux",
    "nacl",
    "netbsd",
    "openbsd",
    "plan9",
    "solaris",
    "windows",
    "zos",
];

const KNOWN_ARCH: [&str; 24] = [
    "386",
    "amd64",
    "amd64p32",
    "arm",
    "armbe",
    "arm64",
    "arm64be",
    "ppc64",
    "ppc64le",
    "loong64",
    "mips",
    "mipsle",
    "mips64",
    "mips64le",
    "mips64p32",
    "mips64p32le",
    "ppc",
    "riscv",
    "riscv64",
    "s390",
    "s390x",
    "sparc",
    "sparc64",
    "wasm",
];

fn normalize_os(os: &str) -> String {
    let os = os.to_lowercase();
    if os == "macos" {
        "darwin".to_owned()
    } else {
        os
    }
}

/// containerd's `normalizeArch`: aliases folded, default variants made explicit (`arm` is
/// `arm/v7`) or dropped (`arm64/v8` is `arm64`, `amd64/v1` is `amd64`).
fn normalize_arch(arch: &str, variant: &str) -> (String, String) {
    let arch = arch.to_lowercase();
    let variant = variant.to_lowercase();
    match arch.as_str() {
        "i386" => ("386".to_owned(), String::new()),
        "x86_64" | "x86-64" | "amd64" => {
            let variant = if variant == "v1" {
                String::new()
            } else {
                variant
            };
            ("amd64".to_owned(), variant)
        }
        "aarch64" | "arm64" => {
            let variant = match variant.as_str() {
                "8" | "v8" | "v8.0" => String::new(),
                "9" | "9.0" | "v9.0" => "v9".to_owned(),
                v if v.starts_with(|c: char| c.is_ascii_digit()) => format!("v{v}"),
                _ => variant,
            };
            ("arm64".to_owned(), variant)
        }
        "armhf" => ("arm".to_owned(), "v7".to_owned()),
        "armel" => ("arm".to_owned(), "v6".to_owned()),
        "arm" => {
            let variant = match variant.as_str() {
                "" | "7" => "v7".to_owned(),
                "5" | "6" | "8" => format!("v{variant}"),
                _ => variant,
            };
            ("arm".to_owned(), variant)
        }
        _ => (arch, variant),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_like_containerd() {
        for (input, want) in [
            ("linux/amd64", "linux/amd64"),
            ("linux/x86_64", "linux/amd64"),
            ("linux/amd64/v1", "linux/amd64"),
            ("linux/amd64/v3", "linux/amd64/v3"),
            ("linux/arm64/v8", "linux/arm64"),
            ("linux/aarch64", "linux/arm64"),
            ("linux/arm", "linux/arm/v7"),
            ("linux/arm/6", "linux/arm/v6"),
            ("linux/armhf", "linux/arm/v7"),
            ("Linux/i386", "linux/386"),
            ("arm64", "linux/arm64"),
            ("windows", "windows/amd64"),
            ("windows(10.0.17763)/amd64", "windows(10.0.17763)/amd64"),
            ("macos/arm64", "darwin/arm64"),
        ] {
            assert_eq!(normalize_platform(input).as_deref(), Some(want), "{input}");
        }
        for bad in [
            "",
            "linux/",
            "linux/*",
            "nonsense",
            "a/b/c/d",
            "linux/am d64",
        ] {
            assert_eq!(normalize_platform(bad), None, "{bad}");
        }
    }
}
