//! Real-world RUN scripts (the shapes found in official images), after BuildKit joined their
//! continuation lines: every one parses cleanly and yields the commands a linter must see,
//! with wrappers such as `gosu` looked through. `-` marks a command without a static name
//! (assignments only, or a dynamic name).
#![allow(clippy::unwrap_used, clippy::panic)]

use layerlab_shell::*;

const CASES: &[(&str, &[&str])] = &[
    (
        r#"set -eux; 	savedAptMark="$(apt-mark showmanual)"; 	apt-get update; 	apt-get install -y --no-install-recommends gnupg wget; 	rm -rf /var/lib/apt/lists/*; 	dpkgArch="$(dpkg --print-architecture | awk -F- '{ print $NF }')"; 	wget -O /usr/local/bin/gosu "https://x/gosu-$dpkgArch"; 	apt-mark auto '.*' > /dev/null; 	[ -z "$savedAptMark" ] || apt-mark manual $savedAptMark; 	apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportant=false; 	chmod +x /usr/local/bin/gosu; 	gosu --version; 	gosu nobody true"#,
        &[
            "set", "-", "apt-mark", "apt-get", "apt-get", "rm", "-", "dpkg", "awk", "wget",
            "apt-mark", "[", "apt-mark", "apt-get", "chmod", "gosu", "true",
        ],
    ),
    (
        r#"set -eux; 	arch="$(uname -m)"; 	case "$arch" in 		aarch64) goArch='arm64' ;; 		armv7*) goArch='armv6l' ;; 		x86_64) goArch='amd64' ;; 		*) echo >&2 "unsupported: $arch"; exit 1 ;; 	esac; 	curl -fsSL -o go.tgz "https://go.dev/dl/go${GOLANG_VERSION}.linux-${goArch}.tar.gz"; 	tar -C /usr/local -xzf go.tgz; 	rm go.tgz"#,
        &[
            "set", "-", "uname", "-", "-", "-", "echo", "exit", "curl", "tar", "rm",
        ],
    ),
    (
        r#"set -eux; 	for src in idle3 pip3 pydoc3 python3 python3-config; do 		dst="$(echo "$src" | tr -d 3)"; 		[ -s "/usr/local/bin/$src" ]; 		[ ! -e "/usr/local/bin/$dst" ]; 		ln -svT "$src" "/usr/local/bin/$dst"; 	done"#,
        &["set", "-", "echo", "tr", "[", "[", "ln"],
    ),
    (
        r#"apk add --no-cache --virtual .build-deps 		gcc 		libc-dev 		make 	&& cd /usr/src/app 	&& make -j "$(nproc)" 	&& runDeps="$( 		scanelf --needed --nobanner --format '%n#p' --recursive /usr/local 			| tr ',' '\n' 			| sort -u 			| awk 'system("[ -e /usr/local/lib/" $1 " ]") == 0 { next } { print "so:" $1 }' 	)" 	&& apk add --no-network --virtual .run-deps $runDeps 	&& apk del --no-network .build-deps"#,
        &[
            "apk", "cd", "make", "nproc", "-", "scanelf", "tr", "sort", "awk", "apk", "apk",
        ],
    ),
    (
        r#"groupadd -r app && useradd --no-log-init -r -g app -u 10001 -d /home/app -s /sbin/nologin app && mkdir -p /home/app && chown -R app:app /home/app"#,
        &["groupadd", "useradd", "mkdir", "chown"],
    ),
    (
        r#"curl -fsSL https://deb.nodesource.com/setup_20.x | bash - && apt-get install -y nodejs && npm install -g npm@10.2.0 yarn@1.22.19 && npm cache clean --force"#,
        &["curl", "bash", "apt-get", "npm", "npm"],
    ),
    (
        r#"if [ "$TARGETPLATFORM" = "linux/arm64" ]; then 	ARCH=arm64; elif [ "$TARGETPLATFORM" = "linux/amd64" ]; then 	ARCH=amd64; else 	echo "unknown platform" && exit 1; fi && wget -q "https://x/tool_${ARCH}.tar.gz" -O - | tar -xz -C /usr/local/bin"#,
        &["[", "-", "[", "-", "echo", "exit", "wget", "tar"],
    ),
    (
        r#"python -m venv /opt/venv && . /opt/venv/bin/activate && pip install --upgrade pip setuptools wheel && pip install --no-cache-dir -r /tmp/requirements.txt && find /opt/venv -type d -name __pycache__ -prune -exec rm -rf '{}' +"#,
        &["python", ".", "pip", "pip", "find"],
    ),
    (
        r#"echo "deb [signed-by=/usr/share/keyrings/docker.gpg] https://download.docker.com/linux/debian $(. /etc/os-release && echo "$VERSION_CODENAME") stable" > /etc/apt/sources.list.d/docker.list"#,
        &["echo", ".", "echo"],
    ),
    (
        r#"wget -qO- https://get.docker.com/ | sh && usermod -aG docker jenkins && sed -i 's/^#\s*\(deb.*universe\)$/\1/g' /etc/apt/sources.list"#,
        &["wget", "sh", "usermod", "sed"],
    ),
    (
        r#"cd /tmp && git clone --depth 1 -b v1.2.3 https://github.com/x/y.git && cd y && ./configure --prefix=/usr/local CFLAGS="-O2 -g" && make -j$(nproc) && make install && cd / && rm -rf /tmp/y"#,
        &[
            "cd",
            "git",
            "cd",
            "./configure",
            "make",
            "nproc",
            "make",
            "cd",
            "rm",
        ],
    ),
    (
        r#"ln -sf /usr/share/zoneinfo/$TZ /etc/localtime && echo $TZ > /etc/timezone && dpkg-reconfigure -f noninteractive tzdata 2>/dev/null"#,
        &["ln", "echo", "dpkg-reconfigure"],
    ),
    (
        r#"mkdir -p /root/.ssh && chmod 0700 /root/.ssh && ssh-keyscan github.com >> /root/.ssh/known_hosts && { echo "Host *"; echo "  StrictHostKeyChecking no"; } > /root/.ssh/config"#,
        &["mkdir", "chmod", "ssh-keyscan", "echo", "echo"],
    ),
    (
        r#"while ! nc -z db 5432; do sleep 1; done; echo "db up""#,
        &["nc", "sleep", "echo"],
    ),
    (
        r#"export $(grep -v '^#' .env | xargs) && echo "PATH=$PATH" >> ~/.profile"#,
        &["export", "grep", "xargs", "echo"],
    ),
    (
        r#"set -o pipefail && curl -sSL https://install.python-poetry.org | POETRY_HOME=/opt/poetry python3 - --version 1.7.1 && ln -s /opt/poetry/bin/poetry /usr/local/bin/poetry"#,
        &["set", "curl", "python3", "ln"],
    ),
    (
        r#"chown -R www-data:www-data /var/www && find /var/www -type f -exec chmod 644 {} \; && find /var/www -type d -exec chmod 755 {} \;"#,
        &["chown", "find", "find"],
    ),
    (
        r#"test -f /etc/ssl/certs/ca-certificates.crt || (apt-get update && apt-get install -y ca-certificates)"#,
        &["test", "apt-get", "apt-get"],
    ),
    (
        r#"for f in /docker-entrypoint.d/*.sh; do [ -x "$f" ] && "$f"; done; true"#,
        &["[", "-", "true"],
    ),
    (
        r#"echo '#!/bin/sh' > /usr/local/bin/entry && echo 'exec "$@"' >> /usr/local/bin/entry && chmod +x /usr/local/bin/entry"#,
        &["echo", "echo", "chmod"],
    ),
    (
        r#"DEBIAN_FRONTEND=noninteractive apt-get -qq update && DEBIAN_FRONTEND=noninteractive apt-get -qq install -y --no-install-recommends locales && sed -i -e 's/# en_US.UTF-8 UTF-8/en_US.UTF-8 UTF-8/' /etc/locale.gen && locale-gen"#,
        &["apt-get", "apt-get", "sed", "locale-gen"],
    ),
    (
        r#"gem install bundler -v 2.4.22 --no-document && bundle config set --local without 'development test' && bundle install --jobs=$(nproc) --retry 3"#,
        &["gem", "bundle", "bundle", "nproc"],
    ),
    (
        r#"go mod download && CGO_ENABLED=0 GOOS=linux go build -ldflags="-s -w -X main.version=${VERSION:-dev}" -o /out/app ./cmd/app"#,
        &["go", "go"],
    ),
    (
        r#"yum install -y epel-release && yum install -y jq-1.6 && yum clean all && rm -rf /var/cache/yum"#,
        &["yum", "yum", "yum", "rm"],
    ),
    (
        r#"[[ "$(uname -m)" == "x86_64" ]] && ARCH=x64 || ARCH=arm64; curl -Lo /tmp/n.tgz "https://x/node-$ARCH.tgz""#,
        &["uname", "-", "-", "curl"],
    ),
];

#[test]
fn real_run_scripts() {
    for (script, want) in CASES {
        let p = parse(script);
        assert!(p.errors.is_empty(), "{script}: {:?}", p.errors);
        let names: Vec<String> = p
            .commands()
            .iter()
            .map(|c| {
                c.effective()
                    .name()
                    .map_or_else(|| "-".to_owned(), |n| n.into_owned())
            })
            .collect();
        assert_eq!(names, *want, "{script}");
        // Every command's span starts at its first word or assignment or redirection.
        for c in p.commands() {
            let text = c.command.span.slice(script);
            assert!(
                !text.is_empty() && !text.starts_with(char::is_whitespace),
                "{text:?}"
            );
        }
    }
}

/// DL3008-style facts: the unpinned packages of `apt-get install`, with their spans.
#[test]
fn apt_get_install_packages() {
    let src = CASES[20].0;
    let p = parse(src);
    let mut unpinned = Vec::new();
    for c in p.commands() {
        let v = c.effective();
        if v.is("apt-get")
            && v.subcommand(&ArgSpec::new("ot", &["option", "target-release"]))
                .as_deref()
                == Some("install")
        {
            assert!(v.has_flag(Some('y'), Some("yes")));
            assert!(v.has_flag(None, Some("no-install-recommends")));
            assert_eq!(v.parse_args(&ArgSpec::NONE).count(Some('q'), None), 2);
            for w in v
                .positionals(&ArgSpec::new("ot", &["option", "target-release"]))
                .iter()
                .skip(1)
            {
                if !w.static_value().unwrap().contains('=') {
                    unpinned.push(w.span.slice(src));
                }
            }
            assert_eq!(c.command.assignments[0].name, "DEBIAN_FRONTEND");
        }
    }
    assert_eq!(unpinned, ["locales"]);
}

/// DL4006-style facts: pipes with and without pipefail.
#[test]
fn pipes_and_pipefail() {
    let without: Vec<bool> = CASES
        .iter()
        .map(|(src, _)| {
            parse(src)
                .script
                .pipelines_with(ShellOptions::default())
                .iter()
                .any(|p| p.is_pipe() && !p.options.pipefail)
        })
        .collect();
    // Script 15 sets pipefail before its pipe; scripts 0, 2, 3, 5, 6, 9, 14 pipe without it.
    let flagged: Vec<usize> = without
        .iter()
        .enumerate()
        .filter_map(|(i, w)| w.then_some(i))
        .collect();
    assert_eq!(flagged, [0, 2, 3, 5, 6, 9, 14]);
}
