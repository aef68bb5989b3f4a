//! The benchmark: a 200-step multi-stage Dockerfile over a 50,000-file context,
//! simulated after a one-file change. The context is built and hashed once (as the CLI or the
//! browser does when it loads a folder); each iteration applies the change and simulates both
//! builds, so only the changed file's directories are rehashed.

use criterion::{criterion_group, criterion_main, Criterion};
use layerlab_buildsim::{simulate, Change, Context, Digest, Entry, Ignore, Scenario};

const DIRS: usize = 50;
const SUBDIRS: usize = 20;
const FILES: usize = 50;

/// `pkgNN/modMM/fileKK.txt`: 50 × 20 × 50 = 50,000 files, plus a few manifests.
fn context() -> Context {
    let mut entries: Vec<(String, Entry)> = Vec::with_capacity(DIRS * SUBDIRS * FILES + 4);
    for d in 0..DIRS {
        for s in 0..SUBDIRS {
            for f in 0..FILES {
                let path = format!("pkg{d:02}/mod{s:02}/file{f:02}.txt");
                let digest = Digest::of_bytes(path.as_bytes());
                entries.push((path, Entry::file(digest, 0o644, 100)));
            }
        }
    }
    for name in ["package.json", "package-lock.json", "go.mod", "README.md"] {
        entries.push((name.to_owned(), Entry::file_with(name.as_bytes())));
    }
    Context::from_entries(entries)
}

/// Five stages of 40 steps: installs, per-package copies, builds, metadata, COPY --from.
fn dockerfile() -> String {
    let mut text = String::from("# syntax=docker/dockerfile:1\nARG BASE=node:20\n");
    let mut steps = 0;
    for stage in 0..5 {
        text.push_str(&format!("FROM $BASE AS s{stage}\n"));
        steps += 1;
        text.push_str("ARG VERSION=1\nENV NODE_ENV=production\nWORKDIR /app\n");
        text.push_str("COPY package.json package-lock.json ./\nRUN npm ci\n");
        steps += 5;
        let mut i = 0;
        while steps < (stage + 1) * 40 {
            let d = (stage * 10 + i) % DIRS;
            match i % 4 {
                0 => text.push_str(&format!("COPY pkg{d:02}/ /app/pkg{d:02}/\n")),
                1 => text.push_str(&format!("RUN make -C /app/pkg{d:02} VERSION=$VERSION\n")),
                2 => text.push_str(&format!("LABEL step{i}=\"{stage}\"\n")),
                _ => {
                    if stage > 0 && i % 8 == 3 {
                        text.push_str(&format!(
                            "COPY --from=s{} /app/pkg{:02} /deps/pkg{d:02}\n",
                            stage - 1,
                            (d + DIRS - 10) % DIRS
                        ));
                    } else {
                        text.push_str(&format!("RUN echo {i} > /tmp/{i}\n"));
                    }
                }
            }
            steps += 1;
            i += 1;
        }
    }
    text.push_str("COPY . /src\nRUN npm run build\n");
    text
}

fn bench(c: &mut Criterion) {
    let dockerfile = dockerfile();
    let ignore = Ignore::parse("node_modules\n**/*.log\n.git\n").unwrap_or_else(|_| Ignore::none());
    let raw = context();
    let filtered = ignore.filter(&raw);
    let changes = [Change::changed("pkg04/mod03/file12.txt")];
    let mut scenario = Scenario::new(&dockerfile, &filtered, &ignore);
    scenario.changes = &changes;
    // Load once: hashing the tree's directories happens here, as when a folder is opened.
    let report = simulate(&scenario);
    let ops = report.steps.iter().filter(|s| s.op).count();
    assert!(report.steps.len() >= 200, "{} steps", report.steps.len());
    eprintln!(
        "{} instructions ({ops} cache steps), {} context paths, {} rebuilt",
        report.steps.len(),
        filtered.len(),
        report.summary.rebuilt
    );

    let mut group = c.benchmark_group("simulate");
    group.sample_size(30);
    group.bench_function("200_steps_50k_files_one_change", |b| {
        b.iter(|| std::hint::black_box(simulate(&scenario)));
    });
    group.sample_size(10);
    group.bench_function("cold_build_context_filter_and_simulate", |b| {
        b.iter(|| {
            let raw = context();
            let filtered = ignore.filter(&raw);
            let mut s = Scenario::new(&dockerfile, &filtered, &ignore);
            s.changes = &changes;
            std::hint::black_box(simulate(&s))
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
