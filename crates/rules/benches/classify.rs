//! The rules engine against its baseline: the same vn-2022-2025 rules hand-coded in Rust, on the
//! same 10,000 households. The gap is what keeping the standard as data costs.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use giamngheo_rules::{Class, Household, Member, Standard, Standards};

#[path = "support/baseline.rs"]
mod baseline;
use baseline::{hand_coded, sample};
use std::hint::black_box;

fn engine(st: &Standard, h: &Household, ms: &[Member]) -> (Class, u32) {
    st.assess(h, Some(ms))
        .map(|a| (a.class, a.deprivation_count()))
        .unwrap_or((Class::NotPoor, 0))
}

fn bench(c: &mut Criterion) {
    let standards = Standards::builtin().expect("standards");
    let st = standards.get("vn-2022-2025").expect("standard");
    let data = sample(10_000);
    // the baseline must compute the same thing, or the comparison means nothing
    for (h, ms) in &data {
        assert_eq!(engine(st, h, ms), hand_coded(h, ms), "{}", h.id);
    }
    let mut g = c.benchmark_group("classify 10,000 households");
    g.throughput(Throughput::Elements(data.len() as u64));
    g.bench_function("baseline: hand-coded rules", |b| {
        b.iter(|| {
            data.iter()
                .map(|(h, ms)| hand_coded(black_box(h), ms).1)
                .sum::<u32>()
        })
    });
    g.bench_function("rules engine (standard as data)", |b| {
        b.iter(|| {
            data.iter()
                .map(|(h, ms)| engine(st, black_box(h), ms).1)
                .sum::<u32>()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
