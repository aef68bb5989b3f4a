//! One test per rule of BuildKit's cache semantics (`buildkit-semantics.md` §3–§4), each with
//! its own small Dockerfile.
#![allow(clippy::unwrap_used)]

mod support;

use layerlab_buildsim::{Digest, Entry, Status::*};
use support::*;

// §3.12: the worked example of the reference, edit by edit.

#[test]
fn editing_a_source_file_misses_the_broad_copy_and_what_follows() {
    let r = node().changed("src/a.js").run();
    expect(
        &r,
        &[
            (2, MayMiss),
            (4, Cached),
            (5, Cached),
            (6, Cached),
            (7, Rebuilt),
            (9, Rebuilt),
        ],
    );
    assert_eq!(reason(&r, 7), "content of src/a.js changed");
    assert_eq!(reason(&r, 9), "parent step rebuilt (line 7)");
    assert_eq!(r.step(9).unwrap().cause_line, Some(7));
}

#[test]
fn editing_the_manifest_misses_from_its_copy_on() {
    let r = node().changed("package.json").run();
    expect(
        &r,
        &[
            (4, Cached),
            (5, Rebuilt),
            (6, Rebuilt),
            (7, Rebuilt),
            (9, Rebuilt),
        ],
    );
    assert_eq!(reason(&r, 5), "content of package.json changed");
}

#[test]
fn an_arg_in_scope_misses_the_first_run_even_if_unused() {
    let r = node()
        .previous_args(&[("V", "1")])
        .args(&[("V", "2")])
        .run();
    expect(
        &r,
        &[
            (2, MayMiss),
            (4, Cached),
            (5, Cached),
            (6, Rebuilt),
            (7, Rebuilt),
            (9, Rebuilt),
        ],
    );
    assert_eq!(
        reason(&r, 6),
        "build-arg V changed from 1 to 2 and this RUN sees it (ARG V, line 3)"
    );
    // The COPY after it misses through its parent (its dest input is a definition key).
    assert_eq!(reason(&r, 7), "parent step rebuilt (line 6)");
}

#[test]
fn a_meta_arg_not_declared_again_in_the_stage_changes_nothing() {
    let df = "ARG V=1\nFROM node:20\nWORKDIR /app\nRUN npm ci\n";
    let r = case(df)
        .previous_args(&[("V", "1")])
        .args(&[("V", "2")])
        .run();
    // Only the tag of `node:20` is uncertain (it would be with any build arg).
    expect(&r, &[(2, MayMiss), (3, Cached), (4, Cached)]);
    assert_eq!(r.summary.rebuilt, 0, "{}", table(&r));
}

#[test]
fn a_meta_arg_only_affects_from() {
    let df = "ARG BASE=node:20\nFROM $BASE\nRUN npm ci\n";
    let r = case(df)
        .args(&[("BASE", "node:22")])
        .previous_args(&[])
        .run();
    expect(&r, &[(2, Rebuilt), (3, Rebuilt)]);
    assert_eq!(
        reason(&r, 2),
        "base image changed from docker.io/library/node:20 to docker.io/library/node:22"
    );
}

#[test]
fn proxy_args_never_bust_unless_declared() {
    let df = "FROM alpine\nRUN apk add curl\n";
    let r = case(df)
        .args(&[("HTTP_PROXY", "http://proxy:3128")])
        .previous_args(&[])
        .run();
    expect(&r, &[(2, Cached)]);
    assert!(r
        .diagnostics
        .iter()
        .any(|n| n.message.contains("predefined proxy arg")));
    // Declared, it is an ordinary ARG: it enters the env, and the key.
    let declared = "FROM alpine\nARG HTTP_PROXY\nRUN apk add curl\n";
    let r = case(declared)
        .args(&[("HTTP_PROXY", "http://proxy:3128")])
        .previous_args(&[])
        .run();
    expect(&r, &[(3, Rebuilt)]);
}

#[test]
fn undeclared_build_args_have_no_effect() {
    let df = "FROM alpine\nRUN true\n";
    let r = case(df)
        .args(&[("NOPE", "2")])
        .previous_args(&[("NOPE", "1")])
        .run();
    expect(&r, &[(2, Cached)]);
    assert!(r
        .diagnostics
        .iter()
        .any(|n| n.message == "build-arg NOPE is not declared by any ARG: it has no effect (BuildKit warns about it)"));
}

#[test]
fn an_env_shadowing_the_arg_neutralises_it() {
    let df = "FROM alpine\nARG V\nENV V=fixed\nRUN true\n";
    let r = case(df)
        .args(&[("V", "2")])
        .previous_args(&[("V", "1")])
        .run();
    expect(&r, &[(4, Cached)]);
}

#[test]
fn an_env_carrying_the_arg_passes_the_change_on() {
    let df = "FROM alpine\nARG V\nENV X=$V\nARG V=\nRUN true\n";
    let r = case(df)
        .args(&[("V", "2")])
        .previous_args(&[("V", "1")])
        .run();
    expect(&r, &[(5, Rebuilt)]);
}

#[test]
fn env_changes_rebuild_later_runs_only() {
    let prev = "FROM alpine\nRUN one\nENV MODE=dev\nCOPY a /a\nRUN two\n";
    let next = "FROM alpine\nRUN one\nENV MODE=prod\nCOPY a /a\nRUN two\n";
    let r = case(next).previous(prev).files(&[("a", "1")]).run();
    expect(&r, &[(2, Cached), (3, Cached), (4, Cached), (5, Rebuilt)]);
    assert_eq!(
        reason(&r, 5),
        "ENV MODE changed from dev to prod (line 3) and this RUN sees it"
    );
}

#[test]
fn an_arg_expanded_into_copy_arguments_changes_the_copy() {
    let df = "FROM alpine\nARG DIR=a\nCOPY f /$DIR/\n";
    let r = case(df)
        .files(&[("f", "1")])
        .args(&[("DIR", "b")])
        .previous_args(&[("DIR", "a")])
        .run();
    expect(&r, &[(3, Rebuilt)]);
    assert!(
        reason(&r, 3).starts_with("its arguments expand differently"),
        "{}",
        table(&r)
    );
}

// §3.11: metadata-only instructions.

#[test]
fn metadata_instructions_change_no_op() {
    let prev = "FROM alpine\nLABEL a=1\nEXPOSE 80\nRUN one\nCMD [\"a\"]\nENTRYPOINT [\"x\"]\nVOLUME /data\nHEALTHCHECK CMD true\nSTOPSIGNAL SIGTERM\nMAINTAINER me\nRUN two\n";
    let next = "FROM alpine\nLABEL a=2\nEXPOSE 8080\nRUN one\nCMD [\"b\"]\nENTRYPOINT [\"y\"]\nVOLUME /other\nHEALTHCHECK CMD false\nSTOPSIGNAL SIGINT\nMAINTAINER you\nRUN two\n";
    let r = case(next).previous(prev).run();
    // Line 1 is `may-miss` only for its tag (`alpine` is not pinned).
    assert!(
        r.steps.iter().all(|s| s.status == Cached || s.line == 1),
        "{}",
        table(&r)
    );
    assert!(
        reason(&r, 2).starts_with("no op: changes only the image config; changed from `LABEL a=1`")
    );
    assert!(!r.step(2).unwrap().op);
    assert_eq!(r.summary.rebuilt, 0);
}

#[test]
fn user_enters_run_and_workdir_keys() {
    let prev = "FROM alpine\nUSER app\nWORKDIR /w\nRUN id\n";
    let next = "FROM alpine\nUSER web\nWORKDIR /w\nRUN id\n";
    let r = case(next).previous(prev).run();
    // WORKDIR follows USER in BuildKit (the mkdir's owner).
    expect(&r, &[(2, Cached), (3, Rebuilt), (4, Rebuilt)]);
    assert_eq!(reason(&r, 3), "user changed from app to web");
}

#[test]
fn user_does_not_enter_copy_keys() {
    let prev = "FROM alpine\nCOPY a /a\nUSER app\nCOPY b /b\n";
    let next = "FROM alpine\nCOPY a /a\nUSER web\nCOPY b /b\n";
    let r = case(next)
        .previous(prev)
        .files(&[("a", "1"), ("b", "2")])
        .run();
    expect(&r, &[(4, Cached)]);
}

#[test]
fn shell_changes_shell_form_runs_only() {
    let prev = "FROM alpine\nRUN [\"echo\", \"exec\"]\nRUN echo shell\n";
    let next =
        "FROM alpine\nSHELL [\"/bin/bash\", \"-c\"]\nRUN [\"echo\", \"exec\"]\nRUN echo shell\n";
    let r = case(next).previous(prev).run();
    expect(&r, &[(3, Cached), (4, Rebuilt)]);
}

#[test]
fn workdir_is_an_op_but_workdir_root_is_not() {
    let r = case("FROM alpine\nWORKDIR /\nWORKDIR app\nRUN pwd\n").run();
    assert!(!r.step(2).unwrap().op);
    assert!(r.step(3).unwrap().op);
    let h: Vec<(&str, bool)> = r
        .history
        .iter()
        .map(|h| (h.created_by.as_str(), h.empty_layer))
        .collect();
    assert!(h.contains(&("WORKDIR /", true)));
    assert!(h.contains(&("WORKDIR /app", false)));
}

#[test]
fn run_flags_enter_the_key() {
    let prev = "FROM alpine\nRUN wget x\n";
    let next = "FROM alpine\nRUN --network=none wget x\n";
    let r = case(next).previous(prev).run();
    expect(&r, &[(2, Rebuilt)]);
    assert!(reason(&r, 2).starts_with("instruction changed: was `RUN wget x`"));
}

// §3.4: what a content checksum sees.

#[test]
fn copy_depends_on_the_content_of_its_sources_only() {
    let df = "FROM alpine\nCOPY a.txt /a\nCOPY b.txt /b\n";
    let files = [("a.txt", "1"), ("b.txt", "2"), ("other", "3")];
    let r = case(df).files(&files).changed("other").run();
    expect(&r, &[(2, Cached), (3, Cached)]);
    let r = case(df).files(&files).changed("b.txt").run();
    expect(&r, &[(2, Cached), (3, Rebuilt)]);
}

#[test]
fn every_source_of_a_copy_counts() {
    // moby/buildkit#853: a change to the second source used to be missed.
    let df = "FROM alpine\nCOPY a.txt b.txt /d/\n";
    let r = case(df)
        .files(&[("a.txt", "1"), ("b.txt", "2")])
        .changed("b.txt")
        .run();
    expect(&r, &[(2, Rebuilt)]);
    assert_eq!(reason(&r, 2), "content of b.txt changed");
}

#[test]
fn permission_bits_count_and_owners_and_mtime_do_not() {
    let df = "FROM alpine\nCOPY run.sh /run.sh\n";
    let d = Digest::of_bytes(b"#!/bin/sh");
    let r = case(df)
        .entry("run.sh", Entry::file(d, 0o755, 9))
        .previous_entry("run.sh", Entry::file(d, 0o644, 9))
        .run();
    expect(&r, &[(2, Rebuilt)]);
    assert_eq!(
        reason(&r, 2),
        "file mode of run.sh changed from 0644 to 0755"
    );
    assert!(r.advice.iter().any(|a| a.code == "cache/file-mode"));
    // Same bytes and mode (a touched file, another owner): the entry is identical.
    let r = case(df)
        .entry("run.sh", Entry::file(d, 0o755, 9))
        .previous_entry("run.sh", Entry::file(d, 0o755, 9))
        .run();
    expect(&r, &[(2, Cached)]);
}

#[test]
fn symlink_targets_and_names_count() {
    let df = "FROM alpine\nCOPY dir /dir\n";
    let r = case(df)
        .files(&[("dir/a", "1"), ("dir/b", "2")])
        .entry("dir/link", Entry::symlink("a"))
        .previous_entry("dir/link", Entry::symlink("b"))
        .run();
    expect(&r, &[(2, Rebuilt)]);
    assert_eq!(reason(&r, 2), "symlink dir/link now points elsewhere");
    // A rename: same bytes under another name.
    let r = case(df)
        .files(&[("dir/a", "1"), ("dir/c", "2")])
        .added("dir/c")
        .removed("dir/b")
        .run();
    expect(&r, &[(2, Rebuilt)]);
    assert_eq!(reason(&r, 2), "dir/b was removed");
}

#[test]
fn a_wildcard_source_sees_new_matches() {
    let df = "FROM alpine\nCOPY *.json /cfg/\n";
    let files = [("a.json", "1"), ("notes.txt", "n")];
    let r = case(df).files(&files).added("b.json").run();
    expect(&r, &[(2, Rebuilt)]);
    assert_eq!(reason(&r, 2), "b.json was added");
    let r = case(df).files(&files).added("c.txt").run();
    expect(&r, &[(2, Cached)]);
}

#[test]
fn copy_sources_follow_symlinks() {
    let df = "FROM alpine\nCOPY current /cfg\n";
    let r = case(df)
        .files(&[("v1.conf", "1"), ("v2.conf", "2")])
        .entry("current", Entry::symlink("v2.conf"))
        .previous_entry("current", Entry::symlink("v1.conf"))
        .run();
    expect(&r, &[(2, Rebuilt)]);
}

#[test]
fn a_missing_copy_source_is_an_error() {
    let r = case("FROM alpine\nCOPY nope /x\n").run();
    assert!(r.has_errors());
    assert!(r
        .diagnostics
        .iter()
        .any(|n| n.line == Some(2) && n.message.contains("not in the build context")));
}

// §3.10: .dockerignore.

#[test]
fn ignored_files_never_reach_a_copy() {
    let df = "FROM alpine\nCOPY . /src\n";
    let r = case(df)
        .files(&[("src/a", "1"), ("node_modules/x/i.js", "2")])
        .ignore("node_modules\n")
        .changed("node_modules/x/i.js")
        .run();
    expect(&r, &[(2, Cached)]);
    assert!(r.diagnostics.iter().any(|n| n.message.starts_with(
        "node_modules/x/i.js is excluded by .dockerignore (pattern `node_modules`, line 1)"
    )));
}

#[test]
fn the_dockerfile_is_in_the_context_unless_ignored() {
    let prev = "FROM alpine\nCOPY . /src\nLABEL v=1\n";
    let next = "FROM alpine\nCOPY . /src\nLABEL v=2\n";
    let r = case(next)
        .previous(prev)
        .files(&[("a", "1")])
        .dockerfile_in_context()
        .run();
    expect(&r, &[(2, Rebuilt)]);
    assert_eq!(reason(&r, 2), "content of Dockerfile changed");
    assert!(r
        .advice
        .iter()
        .any(|a| a.code == "cache/dockerfile-in-context"));
    let r = case(next)
        .previous(prev)
        .files(&[("a", "1")])
        .ignore("Dockerfile\n")
        .dockerfile_in_context()
        .run();
    expect(&r, &[(2, Cached)]);
}

#[test]
fn the_dockerignore_file_is_in_the_context_unless_ignored() {
    let df = "FROM alpine\nCOPY . /src\nCOPY a /a\n";
    let r = case(df)
        .files(&[("a", "1")])
        .ignore("*.log\n")
        .changed(".dockerignore")
        .run();
    expect(&r, &[(2, Rebuilt)]);
    assert_eq!(reason(&r, 2), "content of .dockerignore changed");
    assert!(r
        .advice
        .iter()
        .any(|a| a.code == "cache/dockerfile-in-context" && a.message.contains(".dockerignore")));
    let r = case(df)
        .files(&[("a", "1")])
        .ignore("*.log\n.dockerignore\n")
        .changed(".dockerignore")
        .run();
    expect(&r, &[(2, Cached), (3, Cached)]);
}

// §3.5: mounts.

#[test]
fn a_bind_mount_depends_on_the_selected_content_only() {
    let df = "FROM golang\nWORKDIR /src\nRUN --mount=type=bind,source=go.mod,target=go.mod go mod download\n";
    let files = [("go.mod", "m"), ("go.sum", "s"), ("main.go", "x")];
    let r = case(df).files(&files).changed("main.go").run();
    expect(&r, &[(3, Cached)]);
    let r = case(df).files(&files).changed("go.mod").run();
    expect(&r, &[(3, Rebuilt)]);
    assert_eq!(reason(&r, 3), "content of go.mod changed");
}

#[test]
fn cache_mount_ids_and_secret_values_are_not_in_the_key() {
    let prev = "FROM alpine\nRUN --mount=type=cache,id=a,target=/var/cache --mount=type=secret,id=tok apk add x\n";
    let next = "FROM alpine\nRUN --mount=type=cache,id=b,sharing=locked,target=/var/cache --mount=type=secret,id=tok apk add x\n";
    let r = case(next).previous(prev).run();
    expect(&r, &[(2, Cached)]);
    // The secret's id and the cache target are.
    let other = "FROM alpine\nRUN --mount=type=cache,id=a,target=/var/cache --mount=type=secret,id=key apk add x\n";
    let r = case(other).previous(prev).run();
    expect(&r, &[(2, Rebuilt)]);
}

// §3.7: multi-stage.

const STAGES: &str = "\
FROM golang:1.22 AS build
WORKDIR /src
COPY go.mod ./
RUN go mod download
COPY . .
RUN go build -o /out/app .

FROM alpine AS assets
COPY config/ /conf/
COPY static/ /static/

FROM scratch AS prod
COPY --from=build /out/app /app
COPY --from=assets /conf /conf

FROM build AS test
RUN go test ./...
";

fn stage_files() -> Vec<(&'static str, &'static str)> {
    vec![
        ("go.mod", "m"),
        ("main.go", "x"),
        ("config/app.yml", "1"),
        ("static/site.css", "c"),
    ]
}

#[test]
fn only_stages_the_target_needs_are_built() {
    let r = case(STAGES)
        .files(&stage_files())
        .target("prod")
        .changed("main.go")
        .run();
    expect(&r, &[(16, Skipped), (17, Skipped)]);
    assert_eq!(
        reason(&r, 17),
        "stage `test` is not needed for target `prod`"
    );
    // The default target is the last stage.
    let r = case(STAGES).files(&stage_files()).run();
    assert_eq!(r.target, "test");
    expect(&r, &[(8, Skipped), (12, Skipped)]);
}

#[test]
fn copy_from_hits_when_the_copied_files_are_unchanged() {
    let df = "FROM alpine AS assets\nCOPY config/ /conf/\nCOPY static/ /static/\n\nFROM scratch\nCOPY --from=assets /conf /conf\n";
    let r = case(df)
        .files(&stage_files())
        .changed("static/site.css")
        .run();
    expect(&r, &[(2, Cached), (3, Rebuilt), (6, Cached)]);
    assert!(
        reason(&r, 6).starts_with("stage `assets` rebuilt, but nothing it changed touches /conf")
    );
}

#[test]
fn copy_from_rebuilds_when_the_copied_files_changed() {
    let r = case(STAGES)
        .files(&stage_files())
        .target("prod")
        .changed("config/app.yml")
        .run();
    expect(&r, &[(9, Rebuilt), (14, Rebuilt)]);
    assert_eq!(
        reason(&r, 14),
        "/conf from stage `assets` changed: `COPY config/ /conf/` (line 9) rebuilt: content of config/app.yml changed"
    );
}

#[test]
fn copy_from_run_output_may_miss() {
    let r = case(STAGES)
        .files(&stage_files())
        .target("prod")
        .changed("main.go")
        .run();
    expect(&r, &[(6, Rebuilt), (13, MayMiss), (14, MayMiss)]);
    assert_eq!(
        reason(&r, 13),
        "stage `build` re-runs `RUN go build -o /out/app .` (line 6): this step hits only if /out/app comes out byte-identical (content, modes and owners)"
    );
    assert_eq!(reason(&r, 14), "parent step may miss (line 13)");
}

#[test]
fn from_a_stage_chains_definition_keys() {
    let r = case(STAGES)
        .files(&stage_files())
        .target("test")
        .changed("main.go")
        .run();
    expect(&r, &[(16, Rebuilt), (17, Rebuilt)]);
    assert_eq!(reason(&r, 16), "continues stage `build`, which rebuilt");
    assert_eq!(reason(&r, 17), "parent step rebuilt (line 6)");
}

#[test]
fn file_owners_from_another_stage_count() {
    let prev = "FROM alpine AS a\nCOPY f /f\nFROM alpine\nCOPY --from=a /f /f\n";
    let next = "FROM alpine AS a\nCOPY --chown=1000:1000 f /f\nFROM alpine\nCOPY --from=a /f /f\n";
    let r = case(next).previous(prev).files(&[("f", "1")]).run();
    expect(&r, &[(2, Rebuilt), (4, Rebuilt)]);
}

#[test]
fn copy_from_an_image_may_miss_when_the_image_changed() {
    let df = "FROM alpine\nCOPY --from=nginx:1.27 /etc/nginx/nginx.conf /etc/nginx.conf\n";
    let r = case(df).base_changed("nginx:1.27").run();
    expect(&r, &[(1, MayMiss), (2, MayMiss)]);
    assert!(reason(&r, 2).starts_with("image nginx:1.27 may have changed"));
}

// §3.8: cache-control flags.

#[test]
fn no_cache_reruns_run_copy_add_but_not_from_or_a_first_workdir() {
    let df = "FROM alpine\nWORKDIR /app\nCOPY a /a\nRUN make\nWORKDIR /out\n";
    let r = case(df).files(&[("a", "1")]).no_cache().run();
    expect(
        &r,
        &[
            (1, MayMiss),
            (2, Cached),
            (3, Rebuilt),
            (4, Rebuilt),
            (5, Rebuilt),
        ],
    );
    // FROM is not marked by --no-cache: it is `may-miss` only because `alpine` is a tag.
    assert!(reason(&r, 1).starts_with("base image tag `alpine` may move"));
    assert!(reason(&r, 3).starts_with("--no-cache"));
    // WORKDIR itself is not marked: it misses because its parent published no key.
    assert_eq!(reason(&r, 5), "parent step rebuilt (line 4)");
}

#[test]
fn no_cache_filter_names_stages_and_content_keys_still_hit_downstream() {
    let r = case(STAGES)
        .files(&stage_files())
        .target("prod")
        .no_cache_filter("ASSETS")
        .run();
    expect(
        &r,
        &[
            (4, Cached),
            (9, Rebuilt),
            (10, Rebuilt),
            (13, Cached),
            (14, Cached),
        ],
    );
    assert!(reason(&r, 9).starts_with("--no-cache-filter ASSETS"));
}

// §3.6: --link.

#[test]
fn a_linked_copy_does_not_depend_on_the_steps_before_it() {
    let df = "FROM alpine\nCOPY a /a\nRUN make\nCOPY --link static/ /static/\nRUN ls /static\n";
    let files = [("a", "1"), ("static/s.css", "s")];
    let r = case(df).files(&files).changed("a").run();
    expect(&r, &[(2, Rebuilt), (3, Rebuilt), (4, Cached), (5, Rebuilt)]);
    assert!(reason(&r, 4).starts_with("--link: the copied layer is reused"));
    // The merge is redone, so what follows still misses.
    assert_eq!(r.step(5).unwrap().cause_line, Some(2));
    // With --chmod, BuildKit ignores --link.
    let chmod = "FROM alpine\nCOPY a /a\nRUN make\nCOPY --link --chmod=644 static/ /static/\n";
    let r = case(chmod).files(&files).changed("a").run();
    expect(&r, &[(4, Rebuilt)]);
}

// §3.9: ONBUILD.

#[test]
fn onbuild_triggers_run_in_the_child_stage() {
    let df = "FROM alpine AS base\nONBUILD COPY app.txt /app/\nONBUILD RUN cat /app/app.txt\nRUN base-only\n\nFROM base\nRUN child\n";
    let r = case(df).files(&[("app.txt", "1")]).changed("app.txt").run();
    expect(&r, &[(4, Cached), (6, Cached), (7, Rebuilt)]);
    let triggers: Vec<_> = r.steps.iter().filter(|s| s.trigger).collect();
    assert_eq!(triggers.len(), 2);
    assert_eq!(triggers[0].stage, "stage-1");
    assert_eq!(triggers[0].instruction, "ONBUILD COPY app.txt /app/");
    assert_eq!(triggers[0].status, Rebuilt);
    assert_eq!(triggers[1].status, Rebuilt);
    assert_eq!(reason(&r, 7), "parent step rebuilt (line 3)");
    // ONBUILD writes no history entry.
    assert!(!r
        .history
        .iter()
        .any(|h| h.created_by.starts_with("ONBUILD")));
}

// Sources whose outcome cannot be known.

#[test]
fn add_url_may_miss_unless_pinned_by_checksum() {
    let df = "FROM alpine\nADD https://example.com/tool.tgz /opt/\n";
    let r = case(df).run();
    expect(&r, &[(2, MayMiss)]);
    assert!(reason(&r, 2).contains("fetched again on every build"));
    let pinned = format!(
        "FROM alpine\nADD --checksum=sha256:{} https://example.com/tool.tgz /opt/\n",
        "a".repeat(64)
    );
    let r = case(&pinned).run();
    expect(&r, &[(2, Cached)]);
}

#[test]
fn git_sources_may_miss_unless_pinned_to_a_commit() {
    let df = "FROM alpine\nADD https://github.com/moby/buildkit.git#v0.13.0 /src\n";
    expect(&case(df).run(), &[(2, MayMiss)]);
    let pinned = format!(
        "FROM alpine\nADD https://github.com/moby/buildkit.git#{} /src\n",
        "0123456789abcdef0123456789abcdef01234567"
    );
    expect(&case(&pinned).run(), &[(2, Cached)]);
}

#[test]
fn a_changed_base_image_rebuilds_its_chain() {
    let df = "FROM node:20 AS app\nRUN npm ci\nFROM alpine\nRUN true\n";
    let r = case(df).base_changed("node").target("app").run();
    expect(&r, &[(1, Rebuilt), (2, Rebuilt), (3, Skipped)]);
    assert_eq!(
        reason(&r, 1),
        "base image docker.io/library/node:20 changed (--base-changed)"
    );
}

#[test]
fn a_base_image_tag_is_may_miss_and_the_steps_after_it_name_it() {
    let df = "FROM node:20\nWORKDIR /app\nCOPY package.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n";
    let files = [("package.json", "{}"), ("src/a.js", "a")];
    let r = case(df).files(&files).changed("src/a.js").run();
    // The FROM reads the tag: may-miss, with the reason and the fix.
    expect(
        &r,
        &[
            (1, MayMiss),
            (2, Cached),
            (3, Cached),
            (4, Cached),
            (5, Rebuilt),
            (6, Rebuilt),
        ],
    );
    assert_eq!(
        reason(&r, 1),
        "base image tag `node:20` may move: BuildKit resolves it again on every build; pin it with @sha256:… to know (--base-changed node:20 if it moved, --assume-tags-unchanged if not)"
    );
    // The steps after it keep what the source edit does to them, and say what they assume.
    let tags = |line: usize| r.step(line).unwrap().depends_on_tags.clone();
    assert_eq!(tags(1), ["node:20"]);
    assert_eq!(tags(4), ["node:20"]);
    assert_eq!(
        reason(&r, 4),
        "same command, environment and parent as before"
    );
    assert!(
        tags(5).is_empty(),
        "a rebuilt step rebuilds whatever the tag does"
    );
    assert_eq!(r.moving_tags, ["node:20"]);
    assert_eq!(r.summary.may_miss, 1);
    assert_eq!(r.summary.depends_on_tags, 4);
    // The advice counts what a moved tag would rebuild.
    let pin = r.advice.iter().find(|a| a.code == "cache/pin-base-image");
    assert_eq!(
        pin.map(|a| (a.line, a.impact)),
        Some((1, 4)),
        "{}",
        table(&r)
    );
    // History: the base entry may be new.
    assert_eq!(r.history[0].status, MayMiss);
}

#[test]
fn digests_scratch_and_stages_do_not_move() {
    let pinned = format!("FROM node:20@sha256:{}\nRUN npm ci\n", "b".repeat(64));
    let r = case(&pinned).run();
    expect(&r, &[(1, Cached), (2, Cached)]);
    assert!(r.moving_tags.is_empty());
    assert!(r.steps.iter().all(|s| s.depends_on_tags.is_empty()));
    let df = "FROM scratch AS a\nCOPY x /x\nFROM a\nCOPY y /y\n";
    let r = case(df).files(&[("x", "1"), ("y", "2")]).run();
    expect(&r, &[(1, Cached), (2, Cached), (3, Cached), (4, Cached)]);
    assert!(r.moving_tags.is_empty());
    assert_eq!(r.summary.may_miss, 0);
}

#[test]
fn a_tag_reaches_other_stages_through_from_and_copy_from() {
    let df = "FROM golang:1.22 AS build\nRUN go build -o /app\nFROM build AS test\nRUN go test\nFROM alpine:3.20@sha256:0000000000000000000000000000000000000000000000000000000000000000\nCOPY --from=build /app /app\nCOPY --from=busybox:1.36 /bin/busybox /bin/\n";
    let r = case(df).run();
    expect(&r, &[(1, MayMiss), (2, Cached), (6, Cached), (7, MayMiss)]);
    assert_eq!(r.step(6).unwrap().depends_on_tags, ["golang:1.22"]);
    assert_eq!(
        r.step(7).unwrap().depends_on_tags,
        ["busybox:1.36", "golang:1.22"]
    );
    assert!(reason(&r, 7).starts_with("image tag `busybox:1.36` may move"));
    assert_eq!(r.moving_tags, ["golang:1.22", "busybox:1.36"]);
    // Stage `test` is not needed for the last stage.
    expect(&r, &[(3, Skipped), (4, Skipped)]);
}

#[test]
fn assume_tags_unchanged_makes_tags_cached_and_silent() {
    let df = "FROM node:20\nRUN npm ci\n";
    let r = case(df).assume_tags_unchanged().run();
    expect(&r, &[(1, Cached), (2, Cached)]);
    assert_eq!(
        reason(&r, 1),
        "same image reference node:20 (assumed unchanged: --assume-tags-unchanged)"
    );
    assert!(r.moving_tags.is_empty());
    assert_eq!(r.summary.depends_on_tags, 0);
    assert!(!r.advice.iter().any(|a| a.code == "cache/pin-base-image"));
    // A tag that did move is said with --base-changed, in either mode.
    let r = case(df).base_changed("node:20").run();
    expect(&r, &[(1, Rebuilt), (2, Rebuilt)]);
}

#[test]
fn heredoc_content_is_part_of_the_key() {
    let prev = "FROM alpine\nCOPY <<EOF /etc/motd\nhello\nEOF\nRUN <<EOT\necho one\nEOT\n";
    let next = "FROM alpine\nCOPY <<EOF /etc/motd\nhello\nEOF\nRUN <<EOT\necho two\nEOT\n";
    let r = case(next).previous(prev).run();
    expect(&r, &[(2, Cached), (5, Rebuilt)]);
}

#[test]
fn an_inserted_instruction_is_a_new_step() {
    let prev = "FROM alpine\nRUN one\nRUN two\n";
    let next = "FROM alpine\nRUN one\nRUN inserted\nRUN two\n";
    let r = case(next).previous(prev).run();
    expect(&r, &[(2, Cached), (3, Rebuilt), (4, Rebuilt)]);
    assert_eq!(reason(&r, 3), "instruction changed: was `RUN two` (line 3)");
}

// §4.1: history.

#[test]
fn history_is_written_as_buildkit_writes_it() {
    let df = "FROM alpine\nARG foo=bar2\nARG bar=123\nRUN ls /etc/\nCOPY a /d/\nEXPOSE 5000 1234/udp\nCMD echo hi\nONBUILD RUN x\n";
    let r = case(df).files(&[("a", "1")]).changed("a").run();
    let h: Vec<(String, bool, Option<layerlab_buildsim::Status>)> = r
        .history
        .iter()
        .map(|h| {
            (
                h.created_by.clone(),
                h.empty_layer,
                (!h.base).then_some(h.status),
            )
        })
        .collect();
    assert_eq!(
        h,
        vec![
            ("(the history of alpine)".to_owned(), false, None),
            ("ARG foo=bar2".to_owned(), true, Some(Cached)),
            ("ARG bar=123".to_owned(), true, Some(Cached)),
            (
                "RUN |2 foo=bar2 bar=123 /bin/sh -c ls /etc/ # buildkit".to_owned(),
                false,
                Some(Cached)
            ),
            ("COPY a /d/ # buildkit".to_owned(), false, Some(Rebuilt)),
            ("EXPOSE [1234/udp 5000/tcp]".to_owned(), true, Some(Cached)),
            (
                "CMD [\"/bin/sh\" \"-c\" \"echo hi\"]".to_owned(),
                true,
                Some(Cached)
            ),
        ]
    );
}

#[test]
fn hostile_input_gives_a_report_not_a_panic() {
    for text in [
        "",
        "FROM",
        "RUN x\n",
        "FROM a AS b\nFROM b AS a\nCOPY --from=a x y\n",
        "FROM a\nCOPY --from=0 / /\n",
        "FROM ${x:?}\n",
        "FROM a\nRUN --mount=type=bind,from=a,source=\"/\",target=/ x\n",
        "\u{feff}FROM a\nWORKDIR ../../..\nCOPY ../../x ../y\n",
        "FROM a\nADD --checksum=zzz http://x /\n",
        "FROM a\nCOPY [\"a\", \"b\"\n",
    ] {
        let r = case(text).files(&[("x", "1")]).changed("x").run();
        let _ = serde_json::to_string(&r).unwrap();
    }
}
