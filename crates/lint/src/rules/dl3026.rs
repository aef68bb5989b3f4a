//! DL3026: use only an allowed registry in the FROM image (active with `trustedRegistries`).
//!
//! **What** — with trusted registries configured: an image in `FROM`, `COPY --from=<image>`
//! or `RUN --mount=…,from=<image>` whose registry is not allowed. A name without a registry
//! (`alpine`, `library/alpine`) is Docker Hub and is allowed by `docker.io` or
//! `hub.docker.com`. Patterns: `*` allows everything, `*.example.com` any subdomain (not
//! `example.com` itself), `example*` any registry starting so. Stage names, stage indexes and
//! `scratch` are not images. A FROM image built from global ARGs is checked after expanding
//! their defaults; when they have none it is checked only if its registry is written out
//! (`quay.io/team/${APP}`). hadolint instead takes `$REGISTRY/app` for a Docker Hub image,
//! misses the registry an ARG default names, and takes a numeric `--from` index for an image.
//!
//! **Why** — a policy that images come only from vetted registries (a mirror, a private
//! registry) is only as good as its enforcement.
//!
//! **Bad** — `FROM gcr.io/distroless/static:nonroot` when only `docker.io` is trusted ·
//! **Good** — `FROM alpine:3.20`
//!
//! **Fix** — none: the mirror's name is not known.

use layerlab_syntax::{Keyword, Span, Word};

use super::dl_support::{csv_field_span, flag_value_span, is_number};
use crate::image_ref::expand_image;
use crate::{Category, Context, Level, Rule, RuleMeta, StageBase};

pub struct Dl3026;

static META: RuleMeta = RuleMeta {
    code: "DL3026",
    aliases: &[],
    level: Level::Error,
    category: Category::Security,
    summary: "Use only an allowed registry in the FROM image",
    bad: "FROM gcr.io/distroless/static:nonroot\n",
    good: "FROM alpine:3.20\n",
    fixable: false,
};

/// The registry of an image reference; `None` for Docker Hub names without one.
fn registry(image: &str) -> Option<&str> {
    let (first, _rest) = image.split_once('/')?;
    (first.contains(['.', ':']) || first == "localhost").then_some(first)
}

fn matches(pattern: &str, registry: &str) -> bool {
    let pattern = pattern.to_ascii_lowercase();
    let registry = registry.to_ascii_lowercase();
    if pattern == "*" {
        true
    } else if let Some(suffix) = pattern.strip_prefix('*') {
        registry.ends_with(suffix)
    } else if let Some(prefix) = pattern.strip_suffix('*') {
        registry.starts_with(prefix)
    } else {
        pattern == registry
    }
}

fn allowed(trusted: &[String], image: &str) -> bool {
    match registry(image) {
        Some(registry) => trusted.iter().any(|p| matches(p, registry)),
        None => trusted
            .iter()
            .any(|p| matches(p, "docker.io") || matches(p, "hub.docker.com")),
    }
}

fn is_stage_name(cx: &Context<'_>, name: &str) -> bool {
    let lower = name.to_lowercase();
    lower == "scratch" || cx.stages.iter().any(|s| s.name.as_deref() == Some(&lower))
}

/// The span of the registry part of an image word, or the whole word.
fn registry_span(cx: &Context<'_>, word: &Word, image: &str) -> Span {
    match registry(image) {
        Some(registry) if cx.slice(word.span).starts_with(registry) => {
            Span::new(word.span.start, word.span.start + registry.len())
        }
        _ => word.span,
    }
}

impl Rule for Dl3026 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        let trusted = &cx.options.trusted_registries;
        if trusted.is_empty() {
            return;
        }
        let message = |image: &str| {
            format!(
                "Use only an allowed registry in the FROM image: `{}` is not trusted",
                registry(image).unwrap_or("docker.io")
            )
        };
        for stage in &cx.stages {
            let StageBase::Image(image) = &stage.base else {
                continue;
            };
            let Some(word) = cx.instructions.get(stage.from).and_then(|i| i.args.first()) else {
                continue;
            };
            // When a variable is unknown, a registry written out in full is still checked.
            let Some(expanded) = expand_image(cx, image).or_else(|| {
                registry(image)
                    .is_some_and(|r| !r.contains('$'))
                    .then(|| image.clone())
            }) else {
                continue;
            };
            let earlier_stage = cx
                .stages
                .get(..stage.index)
                .unwrap_or_default()
                .iter()
                .any(|s| s.name.as_deref() == Some(&expanded.to_lowercase()));
            if earlier_stage || expanded.eq_ignore_ascii_case("scratch") {
                continue;
            }
            if !allowed(trusted, &expanded) {
                cx.report(
                    &META,
                    registry_span(cx, word, &expanded),
                    message(&expanded),
                );
            }
        }
        for instruction in cx.instructions {
            for flag in &instruction.flags {
                let (image, span) = match (instruction.kind, flag.name()) {
                    (Keyword::Copy, "from") => {
                        let Some(value) = flag.value() else { continue };
                        (value.to_owned(), flag_value_span(cx, flag))
                    }
                    (Keyword::Run, "mount") => {
                        let Some(value) = flag.value() else { continue };
                        let from = value.split(',').find_map(|field| {
                            field
                                .split_once('=')
                                .filter(|(k, _)| k.trim().eq_ignore_ascii_case("from"))
                                .map(|(_, v)| v.trim_matches(['"', '\'']).to_owned())
                        });
                        let Some(from) = from else { continue };
                        (from, csv_field_span(cx, flag, "from"))
                    }
                    _ => continue,
                };
                if image.is_empty()
                    || image.contains('$')
                    || is_number(&image)
                    || is_stage_name(cx, &image)
                {
                    continue;
                }
                if !allowed(trusted, &image) {
                    let span = match registry(&image) {
                        Some(r) if cx.slice(span).starts_with(r) => {
                            Span::new(span.start, span.start + r.len())
                        }
                        _ => span,
                    };
                    cx.report(&META, span, message(&image));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_patterns_like_hadolint() {
        let trusted = |p: &str| vec![p.to_owned()];
        assert!(allowed(&trusted("docker.io"), "alpine:3"));
        assert!(allowed(&trusted("docker.io"), "docker.io/library/alpine:3"));
        assert!(!allowed(
            &trusted("hub.docker.com"),
            "docker.io/library/alpine:3"
        ));
        assert!(allowed(&trusted("hub.docker.com"), "library/alpine:3"));
        assert!(allowed(&trusted("*.gcr.io"), "eu.gcr.io/x:1"));
        assert!(!allowed(&trusted("*.gcr.io"), "gcr.io/x:1"));
        assert!(allowed(&trusted("quay*"), "quay.io/x:1"));
        assert!(allowed(&trusted("*"), "anything.example/x"));
        assert!(allowed(&trusted("localhost:5000"), "localhost:5000/x"));
    }
}
