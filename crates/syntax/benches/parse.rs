//! Parse throughput over the real-world corpus, and the time for a median-sized file.
//! `cargo xtask bench` runs this beside BuildKit's Go parser and prints the comparison.

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

fn corpus() -> Vec<String> {
    let dir = std::env::var("LAYERLAB_CORPUS").map_or_else(
        |_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/dockerfiles"),
        PathBuf::from,
    );
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!(
            "*** corpus missing at {}: set LAYERLAB_CORPUS",
            dir.display()
        );
        std::process::exit(1);
    };
    let mut files: Vec<(PathBuf, String)> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.file_name().is_some_and(|n| n != "MANIFEST.tsv"))
        .filter_map(|p| std::fs::read_to_string(&p).ok().map(|t| (p, t)))
        .collect();
    files.sort();
    files.into_iter().map(|(_, text)| text).collect()
}

fn bench(c: &mut Criterion) {
    let files = corpus();
    let total: usize = files.iter().map(String::len).sum();
    let mut by_size: Vec<&String> = files.iter().collect();
    by_size.sort_by_key(|f| f.len());
    let median = by_size[by_size.len() / 2];

    let mut group = c.benchmark_group("parse");
    group.throughput(Throughput::Bytes(total as u64));
    group.bench_function(BenchmarkId::new("corpus", files.len()), |b| {
        b.iter(|| {
            for text in &files {
                std::hint::black_box(layerlab_syntax::parse(text));
            }
        })
    });
    group.throughput(Throughput::Bytes(median.len() as u64));
    group.bench_function(BenchmarkId::new("median_file", median.len()), |b| {
        b.iter(|| std::hint::black_box(layerlab_syntax::parse(median)))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
