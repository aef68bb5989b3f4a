//! `simulation()`, the native side of `simulate()`: the scenario object as JavaScript sends it
//! (deserialised here from the same shapes) drives the core simulator.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::panic)]

use std::collections::BTreeMap;

use layerlab_buildsim::{Report, Status};
use layerlab_wasm::{
    simulation, BuilderInput, EntryInput, EntryObject, ScenarioInput, SCENARIO_FIELDS,
};

const DOCKERFILE: &str = "\
FROM node:20
WORKDIR /app
COPY package.json ./
RUN npm ci
COPY . .
ARG V=1
RUN npm run build
";

fn text(s: &str) -> EntryInput {
    EntryInput::Text(s.to_owned())
}

fn context() -> BTreeMap<String, EntryInput> {
    let mut c = BTreeMap::new();
    c.insert("package.json".to_owned(), text("{}"));
    c.insert("src/app.js".to_owned(), text("a"));
    c.insert("notes/todo.md".to_owned(), text("x"));
    c
}

fn status(r: &Report, line: usize) -> Status {
    r.step(line)
        .unwrap_or_else(|| panic!("no line {line}"))
        .status
}

#[test]
fn a_changed_file_rebuilds_from_the_copy_that_sees_it() {
    let input = ScenarioInput {
        context: context(),
        changed: vec!["src/app.js".to_owned()],
        ..ScenarioInput::default()
    };
    let r = simulation(DOCKERFILE, &input).unwrap();
    assert_eq!(status(&r, 1), Status::MayMiss);
    assert_eq!(status(&r, 4), Status::Cached);
    assert_eq!(status(&r, 5), Status::Rebuilt);
    assert_eq!(r.step(5).unwrap().reason, "content of src/app.js changed");
    assert_eq!(r.step(4).unwrap().depends_on_tags, ["node:20"]);
}

#[test]
fn dockerignore_args_previous_dockerfile_and_the_classic_builder() {
    // An ignored change is invisible; the Dockerfile itself is in the context unless ignored.
    let input = ScenarioInput {
        context: context(),
        dockerignore: Some("notes\nDockerfile\n".to_owned()),
        changed: vec!["notes/todo.md".to_owned()],
        assume_tags_unchanged: true,
        ..ScenarioInput::default()
    };
    let r = simulation(DOCKERFILE, &input).unwrap();
    assert_eq!(r.summary.rebuilt, 0, "{:?}", r.steps);
    assert!(r
        .diagnostics
        .iter()
        .any(|n| n.message.contains("excluded by .dockerignore")));

    let mut args = BTreeMap::new();
    args.insert("V".to_owned(), "2".to_owned());
    let mut previous = BTreeMap::new();
    previous.insert("V".to_owned(), "1".to_owned());
    let input = ScenarioInput {
        context: context(),
        dockerfile_path: Some(String::new()),
        build_args: args.clone(),
        previous_build_args: Some(previous.clone()),
        ..ScenarioInput::default()
    };
    let r = simulation(DOCKERFILE, &input).unwrap();
    assert_eq!(status(&r, 5), Status::Cached);
    assert_eq!(status(&r, 7), Status::Rebuilt);

    let input = ScenarioInput {
        builder: BuilderInput::Legacy,
        context: context(),
        dockerfile_path: Some(String::new()),
        previous_dockerfile: Some(DOCKERFILE.replace("npm ci", "npm install")),
        ..ScenarioInput::default()
    };
    let r = simulation(DOCKERFILE, &input).unwrap();
    assert_eq!(status(&r, 3), Status::Cached);
    assert_eq!(status(&r, 4), Status::Rebuilt);
    assert_eq!(
        status(&r, 6),
        Status::Rebuilt,
        "the classic builder busts the rest"
    );
}

#[test]
fn entries_by_digest_mode_and_symlink() {
    // A SHA-256 given by the caller (here of "a") is the same key as the content it stands for.
    let sha_of_a = "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb";
    let mut next = context();
    next.insert(
        "src/app.js".to_owned(),
        EntryInput::Entry(EntryObject {
            digest: Some(sha_of_a.to_owned()),
            size: Some(1),
            ..EntryObject::default()
        }),
    );
    let input = ScenarioInput {
        context: next.clone(),
        previous_context: Some(context()),
        ..ScenarioInput::default()
    };
    let r = simulation(DOCKERFILE, &input).unwrap();
    assert_eq!(status(&r, 5), Status::Cached, "{:?}", r.steps);

    // Permission bits and symlink targets count.
    let mut moded = context();
    moded.insert(
        "src/app.js".to_owned(),
        EntryInput::Entry(EntryObject {
            content: Some("a".to_owned()),
            mode: Some(0o755),
            ..EntryObject::default()
        }),
    );
    moded.insert(
        "current".to_owned(),
        EntryInput::Entry(EntryObject {
            symlink: Some("src".to_owned()),
            ..EntryObject::default()
        }),
    );
    let input = ScenarioInput {
        context: moded,
        previous_context: Some(context()),
        ..ScenarioInput::default()
    };
    let r = simulation(DOCKERFILE, &input).unwrap();
    assert_eq!(status(&r, 5), Status::Rebuilt);
    assert!(
        r.step(5).unwrap().reason.contains("src/app.js")
            || r.step(5).unwrap().reason.contains("current")
    );
}

#[test]
fn targets_no_cache_bases_and_bad_dockerignore() {
    let df = "FROM golang:1.22 AS build\nRUN go build -o /app\nFROM alpine:3.20 AS unused\nRUN true\nFROM scratch\nCOPY --from=build /app /app\n";
    let input = ScenarioInput {
        base_changed: vec!["golang".to_owned()],
        ..ScenarioInput::default()
    };
    let r = simulation(df, &input).unwrap();
    assert_eq!(status(&r, 1), Status::Rebuilt);
    assert_eq!(status(&r, 4), Status::Skipped);
    assert_eq!(status(&r, 6), Status::MayMiss);

    let input = ScenarioInput {
        target: Some("build".to_owned()),
        no_cache_filter: vec!["build".to_owned()],
        ..ScenarioInput::default()
    };
    let r = simulation(df, &input).unwrap();
    assert_eq!(r.target, "build");
    assert_eq!(status(&r, 2), Status::Rebuilt);
    let input = ScenarioInput {
        no_cache: true,
        ..ScenarioInput::default()
    };
    assert_eq!(status(&simulation(df, &input).unwrap(), 6), Status::Rebuilt);

    let input = ScenarioInput {
        dockerignore: Some("[".to_owned()),
        ..ScenarioInput::default()
    };
    let err = simulation(df, &input).unwrap_err();
    assert!(err.starts_with(".dockerignore:1: "), "{err}");
}

#[test]
fn the_field_list_matches_the_struct() {
    // Every documented field deserialises; the browser checks keys against the same list.
    let text = "{\"builder\":\"buildkit\",\"context\":{},\"previous_context\":null,\"dockerignore\":null,\"dockerfile_path\":null,\"changed\":[],\"added\":[],\"removed\":[],\"previous_dockerfile\":null,\"build_args\":{},\"previous_build_args\":null,\"base_changed\":[],\"target\":null,\"no_cache\":false,\"no_cache_filter\":[],\"assume_tags_unchanged\":false}";
    let value: serde_json::Value = serde_json::from_str(text).unwrap();
    let mut keys: Vec<&str> = value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut fields = SCENARIO_FIELDS.to_vec();
    keys.sort_unstable();
    fields.sort_unstable();
    assert_eq!(keys, fields);
    let input: ScenarioInput = serde_json::from_str(text).unwrap();
    assert!(!input.no_cache);
    assert!(serde_json::from_str::<ScenarioInput>("{\"changes\":[]}").is_err());
}
