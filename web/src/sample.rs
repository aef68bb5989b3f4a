//! The Dockerfile the editor starts with: a small multi-stage build that touches the
//! common instructions (and a heredoc), and parses and lints without problems.

pub const SAMPLE_DOCKERFILE: &str = r#"# syntax=docker/dockerfile:1
ARG RUST_VERSION=1.85

FROM rust:${RUST_VERSION}-slim AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src ./src
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    cargo build --release --locked

FROM debian:bookworm-slim AS runtime
RUN <<EOF
apt-get update
apt-get install -y --no-install-recommends ca-certificates=20230311
rm -rf /var/lib/apt/lists/*
EOF
COPY --from=build /src/target/release/app /usr/local/bin/app
ENV RUST_LOG=info
EXPOSE 8080
USER 10001:10001
HEALTHCHECK --interval=30s CMD ["/usr/local/bin/app", "--health"]
ENTRYPOINT ["/usr/local/bin/app"]
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_parses_and_lints_cleanly() {
        let report = layerlab_syntax::report::parse_report(SAMPLE_DOCKERFILE);
        assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
        let analysis = layerlab_wasm::analysis(SAMPLE_DOCKERFILE);
        assert!(
            analysis.diagnostics.is_empty(),
            "{:?}",
            analysis.diagnostics
        );
        let keywords: Vec<&str> = report
            .instructions
            .iter()
            .map(|i| i.keyword.as_str())
            .collect();
        assert_eq!(
            keywords,
            [
                "ARG",
                "FROM",
                "WORKDIR",
                "COPY",
                "COPY",
                "RUN",
                "FROM",
                "RUN",
                "COPY",
                "ENV",
                "EXPOSE",
                "USER",
                "HEALTHCHECK",
                "ENTRYPOINT"
            ]
        );
    }
}
