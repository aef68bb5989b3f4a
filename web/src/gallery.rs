//! Example Dockerfiles for workshops: each one shows a common mistake (or a feature) and lints
//! to findings worth talking about. `tests::every_example_parses_and_teaches` keeps them so.

/// One example in the gallery.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Example {
    /// Stable id (for links and tests).
    pub id: &'static str,
    pub title: &'static str,
    /// What to look at, in a sentence.
    pub lesson: &'static str,
    pub text: &'static str,
}

pub const EXAMPLES: &[Example] = &[
    Example {
        id: "copy-order",
        title: "Cache-busting COPY order",
        lesson: "COPY . . before npm ci: every source edit reinstalls every dependency. Copy the manifests first.",
        text: r#"FROM node:22.11-bookworm-slim
WORKDIR /app
# Any change anywhere in the source invalidates this layer...
COPY . .
# ...so this runs again on every build, even when package.json did not change.
RUN npm ci
RUN npm run build
EXPOSE 3000
CMD ["node", "dist/server.js"]
"#,
    },
    Example {
        id: "go-multi-stage",
        title: "Multi-stage Go build",
        lesson: "Build in a full Go image, ship a static binary on a tiny base; mind ADD, relative WORKDIR and unpinned bases.",
        text: r#"# syntax=docker/dockerfile:1
FROM golang:1.23 as Build
WORKDIR src
COPY go.mod go.sum ./
RUN go mod download
ADD . .
RUN CGO_ENABLED=0 go build -trimpath -o /out/server ./cmd/server

FROM gcr.io/distroless/static-debian12
COPY --from=Build /out/server /server
USER nonroot:nonroot
ENTRYPOINT ["/server"]
"#,
    },
    Example {
        id: "apt-cleanup",
        title: "apt-get without cleanup",
        lesson: "Separate update and install, no pins, no --no-install-recommends and the lists left in the layer.",
        text: r#"FROM debian:bookworm
RUN apt-get update
RUN apt-get install -y curl ca-certificates python3
RUN cd /opt && curl -fsSL https://example.com/install.sh | sh
CMD python3 -m http.server
"#,
    },
    Example {
        id: "heredocs",
        title: "Heredocs",
        lesson: "RUN and COPY heredocs (BuildKit 1.4+): several commands in one layer, files written inline.",
        text: r#"# syntax=docker/dockerfile:1
FROM alpine:3.20
RUN <<EOF
set -e
apk add --no-cache nginx
mkdir -p /run/nginx
EOF
COPY <<-"CONF" /etc/nginx/http.d/default.conf
	server {
	    listen 8080;
	    root /srv;
	}
	CONF
COPY site/ /srv/
RUN echo $HOSTNAME > /srv/host.txt
CMD nginx -g "daemon off;"
"#,
    },
    Example {
        id: "secrets",
        title: "Secrets in the image",
        lesson: "Tokens in ARG/ENV and copied .env files end up in the image's history; use build secrets instead.",
        text: r#"FROM python:3.12-slim
ARG GITHUB_TOKEN
ENV AWS_SECRET_ACCESS_KEY=changeme
COPY .env /app/.env
COPY requirements.txt /app/
RUN pip install --no-cache-dir -r /app/requirements.txt
# The right way: a secret mount, never written to a layer (but do not print it).
RUN --mount=type=secret,id=pypi_token cat /run/secrets/pypi_token
COPY . /app
CMD ["python", "/app/main.py"]
"#,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Each example parses (no syntax error), and lints to the findings it is there to teach.
    #[test]
    fn every_example_parses_and_teaches() {
        let expected: &[(&str, &[&str])] = &[
            ("copy-order", &["LL1001"]),
            (
                "go-multi-stage",
                &["DL3020", "WorkdirRelativePath", "FromAsCasing"],
            ),
            (
                "apt-cleanup",
                &["DL3009", "DL3015", "DL3008", "DL3003", "DL4006"],
            ),
            ("heredocs", &["SC2086", "JSONArgsRecommended"]),
            ("secrets", &["SecretsUsedInArgOrEnv", "LL1004", "LL1006"]),
        ];
        assert_eq!(expected.len(), EXAMPLES.len());
        let mut ids: Vec<_> = EXAMPLES.iter().map(|e| e.id).collect();
        ids.dedup();
        assert_eq!(ids.len(), EXAMPLES.len(), "ids are unique");
        for (example, (id, codes)) in EXAMPLES.iter().zip(expected) {
            assert_eq!(example.id, *id);
            let parsed = layerlab_syntax::parse(example.text);
            assert!(parsed.errors.is_empty(), "{id}: {:?}", parsed.errors);
            let analysis = layerlab_wasm::analysis(example.text);
            let found: Vec<&str> = analysis.diagnostics.iter().map(|d| d.code).collect();
            assert!(!found.contains(&"DL1000"), "{id}: {found:?}");
            for code in *codes {
                assert!(found.contains(code), "{id} should teach {code}: {found:?}");
            }
        }
    }
}
