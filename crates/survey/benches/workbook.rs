//! What the workbook guard costs, against what it protects: reading a 20,000-household survey
//! workbook (households and members sheets, about 87,000 member rows) through the survey reader,
//! which runs the guard first, beside the guard's pass over the same file alone. The share the
//! guard takes of the whole read is the price of refusing bombs before parsing.

use criterion::{criterion_group, criterion_main, Criterion};
use giamngheo_rules::Standards;
use giamngheo_survey::guard::{check_workbook, WorkbookLimits};
use giamngheo_survey::synth::{write_survey, SynthOptions};
use giamngheo_survey::SurveyReader;
use std::path::Path;

/// The survey as a workbook of text cells, as the export writes it.
fn workbook(path: &Path, households: u64) {
    let (mut h, mut m) = (Vec::new(), Vec::new());
    let opts = SynthOptions {
        households,
        province: Some("11".into()),
        year: 2025,
        seed: 3,
    };
    write_survey(&opts, &mut h, &mut m).expect("survey");
    let mut wb = rust_xlsxwriter::Workbook::new();
    for (name, csv_bytes) in [("households", &h), ("members", &m)] {
        let ws = wb.add_worksheet();
        ws.set_name(name).expect("name");
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(csv_bytes.as_slice());
        for (r, rec) in rdr.records().enumerate() {
            let rec = rec.expect("row");
            for (c, v) in rec.iter().enumerate() {
                if !v.is_empty() {
                    ws.write_string(r as u32, c as u16, v).expect("cell");
                }
            }
        }
    }
    wb.save(path).expect("save");
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("survey.xlsx");
    workbook(&path, 20_000);
    let standards = Standards::builtin().expect("standards");
    let mut g = c.benchmark_group("workbook of 20,000 households");
    g.sample_size(10);
    g.bench_function("baseline: the survey reader, guard included", |b| {
        b.iter(|| {
            let mut r = SurveyReader::open(&path, None, &standards).expect("open");
            let mut n = 0u64;
            while let Some(item) = r.next() {
                n += u64::from(item.is_ok());
            }
            assert_eq!(n, 20_000);
        })
    });
    g.bench_function("the guard alone", |b| {
        b.iter(|| check_workbook(&path, &WorkbookLimits::default()).expect("a sound workbook"))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
