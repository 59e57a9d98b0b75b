//! The duplicate-beneficiary scan against its baseline: 2,000,000 support records of 1,000,000
//! households (a province's scale), the scan grouping them per kind and key and comparing within
//! each kind's window, beside a plain sort of the same records by household and day (what any
//! scan must at least do).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use giamngheo_rules::support::{duplicates, Given, SupportRules};
use giamngheo_rules::NaiveDate;
use std::hint::black_box;

/// A small deterministic generator.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

/// `n` records over `households` households: a card a year for most, a house now and then, a
/// course or a model; a member's records carry a personal ID or a name with birth date.
fn sample(n: usize, households: u64) -> Vec<Given> {
    let kinds = [
        "health_insurance",
        "health_insurance",
        "health_insurance",
        "vocational_training",
        "livelihood_model",
        "housing_build",
        "housing_repair",
        "policy_credit",
    ];
    let mut g = Lcg(14);
    (0..n)
        .map(|i| {
            let kind = kinds[(g.next() % kinds.len() as u64) as usize];
            let household = (g.next() % households) as i64;
            let day = NaiveDate::from_ymd_opt(
                2018 + (g.next() % 8) as i32,
                1 + (g.next() % 12) as u32,
                1 + (g.next() % 28) as u32,
            )
            .unwrap_or_default();
            let member = matches!(kind, "health_insurance" | "vocational_training");
            Given {
                id: i as i64,
                kind: kind.to_string(),
                decided_on: day,
                household_id: household,
                person_id: (member && !g.next().is_multiple_of(3))
                    .then(|| format!("{:012}", household * 4 + (g.next() % 4) as i64)),
                person: member.then(|| {
                    (
                        format!("nguoi {} {}", household, g.next() % 4),
                        "1980-01-01".to_string(),
                    )
                }),
            }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let rules = SupportRules::builtin().expect("rules");
    let data = sample(2_000_000, 1_000_000);
    let mut g = c.benchmark_group("duplicate scan, 2,000,000 records of 1,000,000 households");
    g.sample_size(10);
    g.throughput(Throughput::Elements(data.len() as u64));
    g.bench_function("baseline: sort by household and day", |b| {
        b.iter(|| {
            let mut keys: Vec<(i64, NaiveDate, i64)> = data
                .iter()
                .map(|r| (r.household_id, r.decided_on, r.id))
                .collect();
            keys.sort_unstable();
            black_box(keys.len())
        })
    });
    g.bench_function("the scan (rules::support::duplicates)", |b| {
        b.iter(|| black_box(duplicates(&rules, black_box(&data)).len()))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
