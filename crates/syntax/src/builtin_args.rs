//! The build arguments BuildKit predefines, shared by the linter and the cache simulator.
//!
//! Values are those of a `linux/amd64` build on a `linux/amd64` machine: both sides of a
//! simulated build share the platform, and a static linter has to pick one.

/// The platform ARGs BuildKit defines in the global scope (`defaultArgs` in
/// `dockerfile2llb`). FROM sees them without a declaration; a stage sees them only after
/// `ARG NAME`.
pub const PLATFORM_ARGS: [(&str, &str); 10] = [
    ("BUILDPLATFORM", "linux/amd64"),
    ("BUILDOS", "linux"),
    ("BUILDOSVERSION", ""),
    ("BUILDARCH", "amd64"),
    ("BUILDVARIANT", ""),
    ("TARGETPLATFORM", "linux/amd64"),
    ("TARGETOS", "linux"),
    ("TARGETOSVERSION", ""),
    ("TARGETARCH", "amd64"),
    ("TARGETVARIANT", ""),
];

/// The proxy build arguments Docker predefines: usable without an `ARG`, passed to RUN as
/// `ProxyEnv` and never part of a cache key unless an `ARG` declares them.
pub const PROXY_ARGS: [&str; 10] = [
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "FTP_PROXY",
    "ftp_proxy",
    "NO_PROXY",
    "no_proxy",
    "ALL_PROXY",
    "all_proxy",
];

/// Whether `name` is one of [`PROXY_ARGS`].
pub fn is_proxy_arg(name: &str) -> bool {
    PROXY_ARGS.contains(&name)
}

/// The value of a platform ARG, when `name` is one.
pub fn platform_arg(name: &str) -> Option<&'static str> {
    PLATFORM_ARGS
        .iter()
        .find(|(k, _)| *k == name)
        .map(|(_, v)| *v)
}
