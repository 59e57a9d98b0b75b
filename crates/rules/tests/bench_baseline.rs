//! The classify benchmark's baseline computes what the engine computes: the check the benchmark
//! makes before it times anything, run in `cargo test` too, so that a change of the rules that
//! the hand-coded baseline does not follow fails here rather than in a benchmark run.

#[path = "../benches/support/baseline.rs"]
mod baseline;

use giamngheo_rules::{Class, Standards};

#[test]
fn the_hand_coded_baseline_classifies_as_the_engine_does() {
    let standards = Standards::builtin().expect("standards");
    let st = standards.get("vn-2022-2025").expect("standard");
    let data = baseline::sample(10_000);
    let mut classes = std::collections::BTreeMap::<Class, u32>::new();
    for (h, ms) in &data {
        // every household of the sample is complete: an error would hide a difference
        let a = st
            .assess(h, Some(ms))
            .unwrap_or_else(|e| panic!("{}: {e:?}", h.id));
        assert_eq!(
            (a.class, a.deprivation_count()),
            baseline::hand_coded(h, ms),
            "{}",
            h.id
        );
        *classes.entry(a.class).or_default() += 1;
    }
    // the sample reaches every class, so that the comparison covers each branch
    assert_eq!(classes.len(), 4, "{classes:?}");
}
