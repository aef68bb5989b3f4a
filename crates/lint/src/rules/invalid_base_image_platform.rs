//! BuildKit `InvalidBaseImagePlatform`: the base image is not published for the platform the
//! stage is built for.
//!
//! **What** — a FROM of an image whose platforms are known
//! ([`LintOptions::base_image_platforms`](crate::LintOptions); on the command line
//! `--base-image-platform REF=PLATFORM,…` or `--base-image ARCHIVE`) and do not include the
//! stage's platform: its `--platform` value (global ARGs expanded; `$BUILDPLATFORM` and
//! `$TARGETPLATFORM` are `linux/amd64`), else the target platform, `linux/amd64`. References
//! are compared in full (`alpine` is `docker.io/library/alpine:latest`); a FROM pinned by tag
//! and digest also matches an entry for the tag. As in BuildKit, only the OS and architecture
//! count (`linux/arm/v6` serves a `linux/arm/v7` stage), and the message names the platform
//! BuildKit would pull: the image's only platform, or the one containerd's matcher falls back
//! to (`linux/386` for `linux/amd64`, 32-bit `linux/arm` for `linux/arm64`); when there is
//! neither, BuildKit cannot resolve the image at all, and the message lists what it has.
//! BuildKit runs this check at build time, after pulling, for the stages the target needs;
//! layerlab checks every stage, but only images it has been told about: without platforms
//! for an image (the default), its FROM is not checked.
//!
//! **Why** — the stage runs under emulation (slowly, and not at all on a builder without
//! QEMU), or the image meant for one platform ships the base image's binaries for another.
//!
//! **Bad** — `FROM arm64v8/alpine:3.20` (published for `linux/arm64` only) in a `linux/amd64`
//! build · **Good** — `FROM alpine:3.20` (an index with both platforms)
//!
//! **Fix** — none: choose an image (or tag) published for the platform, or build the stage for
//! the image's platform with `--platform` if that is what you meant.

use layerlab_syntax::builtin_args::platform_arg;
use layerlab_syntax::shell::Lex;

use crate::buildkit::{go_quote, normalized_reference, platform_flag, resolve_base, GlobalArgs};
use crate::platform::Platform;
use crate::{Category, Context, Level, Rule, RuleMeta, StageBase};

pub struct InvalidBaseImagePlatform;

static META: RuleMeta = RuleMeta {
    code: "InvalidBaseImagePlatform",
    aliases: &[],
    level: Level::Warning,
    category: Category::Correctness,
    summary: "Base image platform does not match expected target platform",
    // The examples are linted with `arm64v8/alpine:3.20` known as linux/arm64 only and
    // `alpine:3.20` as linux/amd64 and linux/arm64 (tests/rule_examples.rs).
    bad: "FROM arm64v8/alpine:3.20\n",
    good: "FROM alpine:3.20\n",
    fixable: false,
};

impl Rule for InvalidBaseImagePlatform {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        let known = &cx.options.base_image_platforms;
        if known.is_empty() {
            return;
        }
        let Some(target) = platform_arg("TARGETPLATFORM").and_then(Platform::parse) else {
            return;
        };
        let globals = GlobalArgs::new(cx);
        let lex = Lex::new(cx.parse.dockerfile.escape);
        for stage in &cx.stages {
            if !matches!(resolve_base(cx, stage, &globals), StageBase::Image(_)) {
                continue;
            }
            let Some(instruction) = cx.instructions.get(stage.from) else {
                continue;
            };
            let Some(word) = instruction.args.first() else {
                continue;
            };
            // A variable without a default comes from `--build-arg`: unknown here.
            let Some(image) = expand(&lex, &word.value, &globals.env) else {
                continue;
            };
            let Some(available) = platforms_of(known, &image) else {
                continue;
            };
            let expected = match platform_flag(instruction) {
                Some((value, _)) => {
                    match expand(&lex, value, &globals.env).and_then(|v| Platform::parse(&v)) {
                        Some(platform) => platform,
                        None => continue,
                    }
                }
                None => target.clone(),
            };
            if let Some(actual) = pulled_instead(&expected, &available) {
                cx.report(
                    &META,
                    word.span,
                    format!(
                        "Base image {image} was pulled with platform {}, expected {} for current build",
                        go_quote(&actual),
                        go_quote(&expected.format_all())
                    ),
                );
            }
        }
    }
}

/// `word` expanded with the global scope; `None` on an error or an undeclared variable.
fn expand(lex: &Lex, word: &str, env: &[(String, String)]) -> Option<String> {
    let expansion = lex.process_word_with_matches(word, &env).ok()?;
    expansion.unmatched.is_empty().then_some(expansion.result)
}

/// The platforms known for `image` (every entry naming it, parsed, without repeats); `None`
/// when there is none. A reference with both a tag and a digest falls back to the tag's
/// entries.
fn platforms_of(known: &[(String, Vec<String>)], image: &str) -> Option<Vec<Platform>> {
    let key =
        |reference: &str| normalized_reference(reference).unwrap_or_else(|| reference.to_owned());
    let lookup = |wanted: &str| {
        let mut found: Vec<Platform> = Vec::new();
        for (reference, platforms) in known {
            if key(reference) != wanted {
                continue;
            }
            for platform in platforms.iter().filter_map(|p| Platform::parse(p)) {
                if !found.contains(&platform) {
                    found.push(platform);
                }
            }
        }
        (!found.is_empty()).then_some(found)
    };
    let wanted = key(image);
    lookup(&wanted).or_else(|| {
        let (tagged, _) = wanted.split_once('@')?;
        let last_slash = tagged.rfind('/').map_or(0, |i| i + 1);
        tagged[last_slash..]
            .contains(':')
            .then(|| lookup(tagged))
            .flatten()
    })
}

/// The platform BuildKit pulls for a stage built for `expected` from an image that has
/// `available`, when its OS or architecture differs from `expected`'s (`None` when one of
/// them matches). containerd's `platforms.Only` also accepts what the platform can run
/// (`linux/386` on `linux/amd64`; `arm/v8` down to `arm/v5` on `arm64`); a single-platform
/// image is pulled whatever its platform; otherwise nothing matches (BuildKit stops with "no
/// match for platform in manifest") and the list of platforms stands for what was found.
fn pulled_instead(expected: &Platform, available: &[Platform]) -> Option<String> {
    if available
        .iter()
        .any(|p| p.os == expected.os && p.arch == expected.arch)
    {
        return None;
    }
    let same_os = |arch: &str, variant: Option<&str>| {
        available.iter().find(|p| {
            p.os == expected.os && p.arch == arch && variant.is_none_or(|v| p.variant == v)
        })
    };
    let fallback = match expected.arch.as_str() {
        "amd64" => same_os("386", None),
        "arm64" => ["v8", "v7", "v6", "v5"]
            .iter()
            .find_map(|v| same_os("arm", Some(v))),
        _ => None,
    };
    let pulled = fallback.or(match available {
        [only] => Some(only),
        _ => None,
    });
    Some(match pulled {
        Some(platform) => platform.format_all(),
        None => format!(
            "[{}]",
            available
                .iter()
                .map(Platform::format_all)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn platforms(list: &[&str]) -> Vec<Platform> {
        list.iter().filter_map(|p| Platform::parse(p)).collect()
    }

    #[test]
    fn pulls_what_containerd_would() {
        let amd64 = Platform::parse("linux/amd64").unwrap();
        let arm64 = Platform::parse("linux/arm64").unwrap();
        let arm_v7 = Platform::parse("linux/arm/v7").unwrap();
        assert_eq!(
            pulled_instead(&amd64, &platforms(&["linux/amd64/v3"])),
            None
        );
        assert_eq!(pulled_instead(&arm_v7, &platforms(&["linux/arm/v6"])), None);
        assert_eq!(
            pulled_instead(&amd64, &platforms(&["linux/arm64/v8"])).as_deref(),
            Some("linux/arm64")
        );
        assert_eq!(
            pulled_instead(&amd64, &platforms(&["linux/arm64", "linux/386"])).as_deref(),
            Some("linux/386")
        );
        assert_eq!(
            pulled_instead(
                &arm64,
                &platforms(&["linux/amd64", "linux/arm/v6", "linux/arm/v7"])
            )
            .as_deref(),
            Some("linux/arm/v7")
        );
        assert_eq!(
            pulled_instead(&arm64, &platforms(&["linux/amd64", "linux/s390x"])).as_deref(),
            Some("[linux/amd64, linux/s390x]")
        );
    }

    #[test]
    fn finds_images_by_their_full_name() {
        let known = vec![
            (
                "docker.io/library/alpine:latest".to_owned(),
                vec!["linux/arm64".to_owned()],
            ),
            ("alpine:3.20".to_owned(), vec!["linux/amd64".to_owned()]),
            (
                "alpine:3.20".to_owned(),
                vec!["linux/arm64".to_owned(), "bad/*".to_owned()],
            ),
            ("nothing:1".to_owned(), vec!["*".to_owned()]),
        ];
        let of = |image: &str| {
            platforms_of(&known, image)
                .map(|ps| ps.iter().map(Platform::format_all).collect::<Vec<_>>())
        };
        assert_eq!(of("alpine"), Some(vec!["linux/arm64".to_owned()]));
        assert_eq!(
            of("docker.io/library/alpine:3.20"),
            Some(vec!["linux/amd64".to_owned(), "linux/arm64".to_owned()])
        );
        let pinned =
            "alpine:3.20@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        assert_eq!(of(pinned).map(|p| p.len()), Some(2));
        assert_eq!(of("alpine:3.21"), None);
        assert_eq!(of("nothing:1"), None);
    }
}
