//! Image references as written in FROM, with global ARG defaults expanded where known.

use layerlab_syntax::shell::Lex;
use std::collections::BTreeMap;

use layerlab_syntax::Word;

use crate::{Context, StageBase};

/// A parsed `[registry/]repository[:tag][@digest]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageRef {
    pub name: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

impl ImageRef {
    pub fn parse(reference: &str) -> ImageRef {
        let (rest, digest) = match reference.split_once('@') {
            Some((rest, digest)) => (rest, Some(digest.to_owned())),
            None => (reference, None),
        };
        let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match rest[last_slash..].rfind(':') {
            Some(i) => (
                rest[..last_slash + i].to_owned(),
                Some(rest[last_slash + i + 1..].to_owned()),
            ),
            None => (rest.to_owned(), None),
        };
        ImageRef { name, tag, digest }
    }
}

/// The global ARG defaults (`ARG NAME=default` before the first FROM), unexpanded names only.
pub fn global_arg_defaults(cx: &Context<'_>) -> BTreeMap<String, Option<String>> {
    let lex = Lex::new(cx.parse.dockerfile.escape);
    let mut defaults = BTreeMap::new();
    for arg in cx.global_args() {
        for word in &arg.args {
            match word.value.split_once('=') {
                Some((name, default)) => {
                    let env: BTreeMap<String, String> = defaults
                        .iter()
                        .filter_map(|(k, v): (&String, &Option<String>)| {
                            v.clone().map(|v| (k.clone(), v))
                        })
                        .collect();
                    let value = lex.process_word(default, &env).ok();
                    defaults.insert(name.to_owned(), value);
                }
                None => {
                    defaults.insert(word.value.clone(), None);
                }
            }
        }
    }
    defaults
}

/// Expands a FROM image with the global ARG defaults; `None` when it uses a variable whose
/// value is unknown here (no default: it must come from `--build-arg`).
pub fn expand_image(cx: &Context<'_>, image: &str) -> Option<String> {
    if !image.contains('$') {
        return Some(image.to_owned());
    }
    let defaults = global_arg_defaults(cx);
    let env: BTreeMap<String, String> = defaults
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v)))
        .collect();
    let expansion = Lex::new(cx.parse.dockerfile.escape)
        .process_word_with_matches(image, &env)
        .ok()?;
    expansion.unmatched.is_empty().then_some(expansion.result)
}

/// Every FROM whose base is an external image whose reference is known after expanding global
/// ARG defaults: the image word, the expanded reference, and the stage index.
pub fn external_bases<'a>(cx: &'a Context<'_>) -> Vec<(&'a Word, String, ImageRef)> {
    cx.stages
        .iter()
        .filter_map(|stage| {
            let StageBase::Image(image) = &stage.base else {
                return None;
            };
            let word = cx.instructions.get(stage.from)?.args.first()?;
            let expanded = expand_image(cx, image)?;
            let lower = expanded.to_lowercase();
            let names_stage = cx.stages[..stage.index]
                .iter()
                .any(|s| s.name.as_deref() == Some(&lower));
            if names_stage || lower == "scratch" {
                return None;
            }
            let reference = ImageRef::parse(&expanded);
            Some((word, expanded, reference))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_references() {
        let r = ImageRef::parse("localhost:5000/team/app:1.2@sha256:abc");
        assert_eq!(r.name, "localhost:5000/team/app");
        assert_eq!(r.tag.as_deref(), Some("1.2"));
        assert_eq!(r.digest.as_deref(), Some("sha256:abc"));
        let r = ImageRef::parse("localhost:5000/app");
        assert_eq!(r.tag, None);
    }
}
