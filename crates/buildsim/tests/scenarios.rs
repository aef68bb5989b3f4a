//! Worked scenarios for common stacks, with the statuses BuildKit gives and the advice.
#![allow(clippy::unwrap_used)]

mod support;

use layerlab_buildsim::Status::*;
use support::*;

// Node: manifests first, then the rest; a production stage copies the build output.
const NODE: &str = "\
# syntax=docker/dockerfile:1
FROM node:20-alpine AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci

FROM deps AS build
COPY . .
RUN npm run build

FROM node:20-alpine AS prod
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
CMD [\"node\", \"dist/server.js\"]
";

const NODE_FILES: &[(&str, &str)] = &[
    ("package.json", "{\"name\":\"app\"}"),
    ("package-lock.json", "{}"),
    ("src/server.ts", "export {}"),
    ("README.md", "# app"),
];

#[test]
fn node_source_edit() {
    let r = case(NODE).files(NODE_FILES).changed("src/server.ts").run();
    expect(
        &r,
        &[
            (5, Cached),
            (8, Rebuilt),
            (9, Rebuilt),
            (14, Cached),
            (15, MayMiss),
        ],
    );
    // node_modules come from the untouched deps stage: content-identical, so cached.
    assert_eq!(
        reason(&r, 14),
        "same sources (by content) and parent as before"
    );
    assert!(reason(&r, 15).starts_with("stage `build` re-runs `RUN npm run build` (line 9)"));
    assert_eq!(r.summary.rebuilt, 2);
}

#[test]
fn node_lockfile_edit() {
    let r = case(NODE)
        .files(NODE_FILES)
        .changed("package-lock.json")
        .run();
    expect(
        &r,
        &[
            (4, Rebuilt),
            (5, Rebuilt),
            (8, Rebuilt),
            (9, Rebuilt),
            (14, MayMiss),
            (15, MayMiss),
        ],
    );
    assert_eq!(reason(&r, 4), "content of package-lock.json changed");
}

#[test]
fn node_naive_dockerfile_gets_the_manifests_first_advice() {
    let naive = "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nRUN npm run build\n";
    let r = case(naive).files(NODE_FILES).changed("src/server.ts").run();
    expect(&r, &[(3, Rebuilt), (4, Rebuilt), (5, Rebuilt)]);
    let advice = r
        .advice
        .iter()
        .find(|a| a.code == "cache/copy-manifests-first")
        .unwrap();
    assert_eq!(advice.line, 4);
    assert_eq!(
        advice.message,
        "editing any file under src/ reruns `RUN npm ci` (line 4): copy package.json and package-lock.json first, then run the install, then copy the rest"
    );
    assert_eq!(advice.impact, 3);
    // A README edit: the same rebuild, plus a hint to ignore it.
    let r = case(naive).files(NODE_FILES).changed("README.md").run();
    assert!(r.advice.iter().any(|a| a.code == "cache/ignore-unneeded"));
}

// Python: requirements first, a build arg for the version label.
const PYTHON: &str = "\
FROM python:3.12-slim
ARG APP_VERSION=dev
ENV PYTHONDONTWRITEBYTECODE=1
WORKDIR /srv
COPY requirements.txt .
RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt
COPY app/ ./app/
LABEL org.opencontainers.image.version=$APP_VERSION
CMD [\"python\", \"-m\", \"app\"]
";

const PYTHON_FILES: &[(&str, &str)] = &[
    ("requirements.txt", "flask==3.0.0\n"),
    ("app/__init__.py", ""),
    ("app/__main__.py", "print('hi')"),
    ("app/__pycache__/x.pyc", "junk"),
    ("tests/test_app.py", "def test(): pass"),
];

#[test]
fn python_source_edit_keeps_the_install() {
    let r = case(PYTHON)
        .files(PYTHON_FILES)
        .changed("app/__main__.py")
        .run();
    expect(&r, &[(5, Cached), (6, Cached), (7, Rebuilt)]);
}

#[test]
fn python_version_arg_reruns_the_install_it_does_not_use() {
    let r = case(PYTHON)
        .files(PYTHON_FILES)
        .previous_args(&[("APP_VERSION", "1.0")])
        .args(&[("APP_VERSION", "1.1")])
        .run();
    expect(&r, &[(4, Cached), (5, Cached), (6, Rebuilt), (7, Rebuilt)]);
    let advice = r
        .advice
        .iter()
        .find(|a| a.code == "cache/arg-scope")
        .unwrap();
    assert_eq!(advice.line, 6);
    assert!(advice
        .message
        .starts_with("ARG APP_VERSION changed and reruns `RUN --mount"));
}

#[test]
fn python_bytecode_noise_is_advised_into_dockerignore() {
    let r = case(PYTHON)
        .files(PYTHON_FILES)
        .changed("app/__pycache__/x.pyc")
        .run();
    expect(&r, &[(7, Rebuilt)]);
    let advice = r
        .advice
        .iter()
        .find(|a| a.code == "cache/ignore-unneeded")
        .unwrap();
    assert!(advice.message.contains("`**/__pycache__`"));
    // With it ignored, nothing rebuilds.
    let r = case(PYTHON)
        .files(PYTHON_FILES)
        .ignore("**/__pycache__\n")
        .changed("app/__pycache__/x.pyc")
        .run();
    assert_eq!(r.summary.rebuilt, 0);
}

// Go: module download with a bind mount, a static binary into scratch.
const GO: &str = "\
FROM golang:1.22 AS build
WORKDIR /src
RUN --mount=type=bind,source=go.mod,target=go.mod --mount=type=bind,source=go.sum,target=go.sum go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /out/server ./cmd/server

FROM gcr.io/distroless/static
COPY --from=build /out/server /server
USER nonroot
ENTRYPOINT [\"/server\"]
";

const GO_FILES: &[(&str, &str)] = &[
    ("go.mod", "module x"),
    ("go.sum", ""),
    ("cmd/server/main.go", "package main"),
    ("internal/db/db.go", "package db"),
];

#[test]
fn go_source_edit() {
    let r = case(GO).files(GO_FILES).changed("internal/db/db.go").run();
    expect(
        &r,
        &[
            (3, Cached),
            (4, Rebuilt),
            (5, Rebuilt),
            (7, MayMiss),
            (8, MayMiss),
        ],
    );
    assert!(reason(&r, 7).starts_with("base image tag `gcr.io/distroless/static` may move"));
    assert!(r
        .advice
        .iter()
        .any(|a| a.code == "cache/reproducible-output" && a.line == 8));
}

#[test]
fn go_module_edit() {
    let r = case(GO).files(GO_FILES).changed("go.sum").run();
    expect(&r, &[(2, Cached), (3, Rebuilt), (4, Rebuilt), (5, Rebuilt)]);
    assert_eq!(reason(&r, 3), "content of go.sum changed");
}

#[test]
fn go_base_image_update() {
    let r = case(GO).files(GO_FILES).base_changed("golang:1.22").run();
    expect(
        &r,
        &[(1, Rebuilt), (5, Rebuilt), (7, MayMiss), (8, MayMiss)],
    );
    // golang:1.22 is said to have moved: nothing in `build` waits on it any more.
    assert!(r.step(5).unwrap().depends_on_tags.is_empty());
    assert_eq!(r.moving_tags, ["golang:1.22", "gcr.io/distroless/static"]);
}

// Rust: cargo-chef style dependency caching.
const RUST: &str = "\
FROM rust:1.80 AS chef
RUN cargo install cargo-chef
WORKDIR /app

FROM chef AS planner
COPY . .
RUN cargo chef prepare --recipe-path recipe.json

FROM chef AS builder
COPY --from=planner /app/recipe.json recipe.json
RUN cargo chef cook --release --recipe-path recipe.json
COPY . .
RUN cargo build --release

FROM debian:bookworm-slim
COPY --from=builder /app/target/release/app /usr/local/bin/app
CMD [\"app\"]
";

const RUST_FILES: &[(&str, &str)] = &[
    ("Cargo.toml", "[package]\nname = \"app\""),
    ("Cargo.lock", ""),
    ("src/main.rs", "fn main() {}"),
];

#[test]
fn rust_source_edit_keeps_the_dependency_build_if_the_recipe_is_identical() {
    let r = case(RUST).files(RUST_FILES).changed("src/main.rs").run();
    expect(
        &r,
        &[
            (2, Cached),
            (6, Rebuilt),
            (7, Rebuilt),
            // recipe.json is written by a RUN that re-ran: BuildKit hits only if it is
            // byte-identical, which cargo-chef arranges.
            (10, MayMiss),
            (11, MayMiss),
            // The sources changed: certainly a new key, whatever the recipe.
            (12, Rebuilt),
            (13, Rebuilt),
            (16, MayMiss),
        ],
    );
    assert!(reason(&r, 10).starts_with("stage `planner` re-runs `RUN cargo chef prepare"));
    assert!(
        reason(&r, 16).starts_with("stage `builder` re-runs `RUN cargo build --release` (line 13)")
    );
    // Dependencies are already built on their own: no manifests-first advice.
    assert!(
        !r.advice
            .iter()
            .any(|a| a.code == "cache/copy-manifests-first"),
        "{}",
        table(&r)
    );
}

#[test]
fn rust_naive_dockerfile_gets_advice() {
    let naive = "FROM rust:1.80\nWORKDIR /app\nCOPY . .\nRUN cargo build --release\n";
    let r = case(naive).files(RUST_FILES).changed("src/main.rs").run();
    let advice = r
        .advice
        .iter()
        .find(|a| a.code == "cache/copy-manifests-first")
        .unwrap();
    assert!(advice
        .message
        .contains("copy Cargo.toml and Cargo.lock first"));
}

// Java: Maven with a dependency layer, then a JRE stage.
const JAVA: &str = "\
FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /build
COPY pom.xml .
RUN mvn -B dependency:go-offline
COPY src ./src
RUN mvn -B package -DskipTests

FROM eclipse-temurin:21-jre AS runtime
ARG JAR=app.jar
WORKDIR /opt/app
COPY --from=build /build/target/*.jar /opt/app/
EXPOSE 8080
ENTRYPOINT [\"java\", \"-jar\", \"/opt/app/app.jar\"]

FROM build AS test
RUN mvn -B test
";

const JAVA_FILES: &[(&str, &str)] = &[
    ("pom.xml", "<project/>"),
    ("src/main/java/App.java", "class App {}"),
    ("src/test/java/AppTest.java", "class AppTest {}"),
];

#[test]
fn java_source_edit_for_the_runtime_target() {
    let r = case(JAVA)
        .files(JAVA_FILES)
        .target("runtime")
        .changed("src/main/java/App.java")
        .run();
    expect(
        &r,
        &[
            (3, Cached),
            (4, Cached),
            (5, Rebuilt),
            (6, Rebuilt),
            (10, Cached),
            (11, MayMiss),
            (16, Skipped),
        ],
    );
}

#[test]
fn java_pom_edit_and_the_test_target() {
    let r = case(JAVA).files(JAVA_FILES).changed("pom.xml").run();
    assert_eq!(r.target, "test");
    expect(
        &r,
        &[
            (3, Rebuilt),
            (4, Rebuilt),
            (6, Rebuilt),
            (11, Skipped),
            (16, Rebuilt),
        ],
    );
}

#[test]
fn java_with_the_classic_builder_builds_the_skipped_stages_too() {
    let r = case(JAVA)
        .files(JAVA_FILES)
        .target("runtime")
        .changed("src/main/java/App.java")
        .legacy()
        .run();
    expect(
        &r,
        &[
            (5, Rebuilt),
            (6, Rebuilt),
            (11, MayMiss),
            (12, MayMiss),
            (16, Skipped),
        ],
    );
}

#[test]
fn reports_serialise_to_the_documented_json() {
    let r = case(NODE).files(NODE_FILES).changed("src/server.ts").run();
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["builder"], "buildkit");
    assert_eq!(json["target"], "prod");
    let step = &json["steps"][0];
    for key in [
        "stage",
        "stage_index",
        "line",
        "instruction",
        "status",
        "reason",
    ] {
        assert!(step.get(key).is_some(), "{key}");
    }
    assert_eq!(json["steps"][0]["stage"], "deps");
    assert_eq!(json["steps"][0]["status"], "may-miss");
    assert_eq!(json["steps"][1]["depends_on_tags"][0], "node:20-alpine");
    assert_eq!(json["moving_tags"][0], "node:20-alpine");
    assert!(json["summary"]["depends_on_tags"].is_number());
    // Empty lists and absent values are left out of steps.
    assert!(json["steps"][1].get("cause_line").is_none());
    assert!(json["history"][0].get("created_by").is_some());
    assert!(json["history"][0].get("empty_layer").is_some());
    assert!(json["advice"].is_array());
}
