//! The classic builder's rules (`buildkit-semantics.md` §3.13, §4.2): parent chain, full config
//! comparison, the first miss busts the stage, every stage up to the target.
#![allow(clippy::unwrap_used)]

mod support;

use layerlab_buildsim::Status::*;
use support::*;

#[test]
fn the_first_miss_busts_the_rest_of_the_stage() {
    let r = node().changed("src/a.js").legacy().run();
    // LABEL is a cache step too, and misses after the first miss.
    expect(&r, &[(6, Cached), (7, Rebuilt), (8, Rebuilt), (9, Rebuilt)]);
    assert_eq!(reason(&r, 7), "content of src/a.js changed");
    assert!(reason(&r, 8).starts_with("the classic builder stopped using the cache at line 7"));
    assert!(r.step(8).unwrap().op);
}

#[test]
fn a_metadata_change_busts_every_later_step() {
    let prev = NODE.replace("LABEL build=${V}", "LABEL build=old");
    let r = node().previous(&prev).legacy().run();
    expect(&r, &[(7, Cached), (8, Rebuilt), (9, Rebuilt)]);
    assert_eq!(
        reason(&r, 8),
        "instruction changed: was `LABEL build=old` (line 8)"
    );
    assert!(r
        .advice
        .iter()
        .any(|a| a.code == "cache/legacy-metadata-early" && a.line == 8));
    // The same change with BuildKit rebuilds nothing.
    let r = node().previous(&prev).run();
    assert_eq!(r.summary.rebuilt, 0, "{}", table(&r));
}

#[test]
fn a_build_arg_change_misses_at_the_first_run_in_scope() {
    let r = node()
        .previous_args(&[("V", "1")])
        .args(&[("V", "2")])
        .legacy()
        .run();
    expect(&r, &[(3, Cached), (5, Cached), (6, Rebuilt), (7, Rebuilt)]);
    assert_eq!(
        reason(&r, 6),
        "build arg V changed from 1 to 2: the classic builder prefixes RUN with the build args in scope (`|1 V=2`)"
    );
    assert!(r
        .advice
        .iter()
        .any(|a| a.code == "cache/arg-scope" && a.line == 6));
}

#[test]
fn an_arg_default_change_misses_at_the_arg() {
    let df = "FROM alpine\nARG V=1\nRUN echo $V\n";
    let r = case(df)
        .previous("FROM alpine\nARG V=0\nRUN echo $V\n")
        .legacy()
        .run();
    expect(&r, &[(2, Rebuilt), (3, Rebuilt)]);
    assert_eq!(reason(&r, 2), "instruction changed: was `ARG V=0` (line 2)");
}

#[test]
fn every_stage_up_to_the_target_is_built() {
    let df = "FROM alpine AS unused\nRUN one\nFROM alpine AS app\nRUN two\nFROM alpine AS later\nRUN three\n";
    let r = case(df).target("app").legacy().run();
    expect(&r, &[(2, Cached), (4, Cached), (6, Skipped)]);
    assert_eq!(
        reason(&r, 6),
        "the classic builder builds the stages up to the target `app`, none after it"
    );
    // BuildKit skips the unused stage.
    let r = case(df).target("app").run();
    expect(&r, &[(2, Skipped), (4, Cached), (6, Skipped)]);
}

#[test]
fn a_rebuilt_parent_stage_gives_every_child_step_a_new_parent() {
    let df = "FROM alpine AS base\nCOPY a /a\nFROM base\nRUN uses-base\n";
    let r = case(df).files(&[("a", "1")]).changed("a").legacy().run();
    expect(&r, &[(2, Rebuilt), (3, Rebuilt), (4, Rebuilt)]);
    assert_eq!(
        reason(&r, 4),
        "its parent image is new (the stage it starts from rebuilt)"
    );
}

#[test]
fn copy_from_is_content_based_in_the_classic_builder_too() {
    let df = "FROM alpine AS assets\nCOPY config/ /conf/\nCOPY static/ /static/\nFROM scratch\nCOPY --from=assets /conf /conf\n";
    let r = case(df)
        .files(&[("config/a", "1"), ("static/b", "2")])
        .changed("static/b")
        .legacy()
        .run();
    expect(&r, &[(3, Rebuilt), (5, Cached)]);
}

#[test]
fn buildkit_only_flags_are_errors() {
    let df = "FROM alpine\nRUN --mount=type=cache,target=/c true\nCOPY --chmod=755 a /a\n";
    let r = case(df).files(&[("a", "1")]).legacy().run();
    assert!(r.has_errors());
    assert!(r
        .diagnostics
        .iter()
        .any(|n| n.line == Some(2) && n.message.contains("--mount option requires BuildKit")));
    assert!(r
        .diagnostics
        .iter()
        .any(|n| n.line == Some(3) && n.message.contains("--chmod")));
}

#[test]
fn undeclared_proxy_args_stay_out_of_the_key() {
    let df = "FROM alpine\nRUN apk add curl\n";
    let r = case(df)
        .args(&[("http_proxy", "http://p:3128")])
        .previous_args(&[])
        .legacy()
        .run();
    expect(&r, &[(2, Cached)]);
}

#[test]
fn no_cache_rebuilds_everything() {
    let r = node().no_cache().legacy().run();
    expect(&r, &[(3, Rebuilt), (4, Rebuilt), (9, Rebuilt)]);
}

#[test]
fn history_is_written_as_the_classic_builder_writes_it() {
    let df = "FROM alpine\nARG V=1\nENV A=b\nRUN make\nWORKDIR /app\nCOPY a /dest\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n";
    let r = case(df).files(&[("a", "1")]).legacy().run();
    let h: Vec<(&str, bool)> = r
        .history
        .iter()
        .filter(|h| !h.base)
        .map(|h| (h.created_by.as_str(), h.empty_layer))
        .collect();
    assert_eq!(h[0], ("/bin/sh -c #(nop)  ARG V=1", true));
    assert_eq!(h[1], ("/bin/sh -c #(nop)  ENV A=b", true));
    assert_eq!(h[2], ("|1 V=1 /bin/sh -c make", false));
    assert_eq!(h[3], ("/bin/sh -c #(nop) WORKDIR /app", false));
    assert!(h[4].0.starts_with("/bin/sh -c #(nop) COPY file:") && h[4].0.ends_with(" in /dest "));
    assert_eq!(
        h[5],
        (
            "/bin/sh -c #(nop)  CMD [\"nginx\" \"-g\" \"daemon off;\"]",
            true
        )
    );
}

#[test]
fn the_classic_builder_uses_the_local_image_of_a_tag() {
    let r = node().changed("src/a.js").legacy().run();
    // FROM is not a cache step for the classic builder, and no step waits on the tag.
    assert_eq!(status(&r, 2), Cached);
    assert!(r.steps.iter().all(|s| s.depends_on_tags.is_empty()));
    assert!(r.moving_tags.is_empty());
    assert!(
        r.diagnostics.iter().any(|n| n
            .message
            .starts_with("the classic builder uses the local image of a tag")),
        "{}",
        table(&r)
    );
    let quiet = node().legacy().assume_tags_unchanged().run();
    assert!(!quiet
        .diagnostics
        .iter()
        .any(|n| n.message.contains("local image")));
}
