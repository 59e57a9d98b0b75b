//! The registry's figures against values computed here, on every backend: a synthetic province
//! followed over five review years across the change of standard (2024-2026 under vn-2022-2025,
//! 2027-2028 under vn-2027-2030), with households that move away, arrive, miss a review and come
//! back, escape and fall back. Each year is imported with `giamngheo import` and classified with
//! `giamngheo classify`; the expected figures are counted in this file from the classified
//! records and the survey files alone (transitions from each household's history, as the spec
//! defines them), and compared with every column of the summaries and every figure of
//! `giamngheo report`.

use giamngheo_app::records::{CommuneSummary, StoreOptions};
use giamngheo_app::Registry;
use giamngheo_rules::Standards;
use giamngheo_rules::UnitCode;
use giamngheo_survey::synth::{Panel, SynthOptions};
use giamngheo_testing::databases;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

const YEARS: std::ops::RangeInclusive<i32> = 2024..=2028;
const PROVINCE: &str = "11";

/// The command in English, whose sentences these tests read (one test reads the Vietnamese).
fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_giamngheo"));
    c.env("GIAMNGHEO_LANG", "en");
    c
}

fn run(args: &[&str]) -> Vec<u8> {
    let out = bin().args(args).output().expect("giamngheo runs");
    assert!(
        out.status.success(),
        "giamngheo {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// What the classified files and the survey say of one household in one year.
#[derive(Debug, Clone)]
struct Seen {
    commune: String,
    standard: String,
    urban: bool,
    class: String,
    deprivations: BTreeSet<String>,
    minority: bool,
    without_working_capacity: bool,
}

/// The statutory retirement age in months (spec: men 60y3m in 2021 up 3 months a year to 62,
/// women 55y4m up 4 months a year to 60).
fn retirement_months(male: bool, year: i32) -> i32 {
    let after = (year - 2020).max(0);
    if male {
        (720 + 3 * after).min(744)
    } else {
        (660 + 4 * after).min(720)
    }
}

/// Months of age on `on` of someone born on `birth` (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`, missing
/// parts the first).
fn months_of_age(birth: &str, on: (i32, i32, i32)) -> i32 {
    let mut parts = birth
        .split('-')
        .map(|p| p.parse::<i32>().expect("a date part"));
    let y = parts.next().expect("a year");
    let m = parts.next().unwrap_or(1);
    let d = parts.next().unwrap_or(1);
    let mut months = (on.0 - y) * 12 + on.1 - m;
    if on.2 < d {
        months -= 1;
    }
    months
}

fn read_csv(path: &Path) -> (csv::StringRecord, Vec<csv::StringRecord>) {
    let mut r = csv::Reader::from_path(path).expect("a CSV file");
    let h = r.headers().expect("header").clone();
    let rows = r.records().map(|x| x.expect("a row")).collect();
    (h, rows)
}

fn col(h: &csv::StringRecord, name: &str) -> usize {
    h.iter()
        .position(|c| c == name)
        .unwrap_or_else(|| panic!("no column {name}"))
}

/// A year of the survey, classified: household id → what is seen.
fn classified(dir: &Path) -> BTreeMap<String, Seen> {
    let households = dir.join("households.csv");
    let members = dir.join("members.csv");
    let out = run(&[
        "classify",
        "--households",
        households.to_str().expect("path"),
        "--members",
        members.to_str().expect("path"),
        "--format",
        "json",
    ]);
    let records: Vec<serde_json::Value> = serde_json::from_slice(&out).expect("json records");
    let (hh, hrows) = read_csv(&households);
    let (mh, mrows) = read_csv(&members);
    let (h_id, h_commune, h_date) = (
        col(&hh, "household_id"),
        col(&hh, "commune_code"),
        col(&hh, "survey_date"),
    );
    let survey: BTreeMap<&str, (&str, (i32, i32, i32))> = hrows
        .iter()
        .map(|r| {
            let d: Vec<i32> = r[h_date]
                .split('-')
                .map(|p| p.parse().expect("date"))
                .collect();
            (&r[h_id], (&r[h_commune], (d[0], d[1], d[2])))
        })
        .collect();
    let (m_id, m_rel, m_eth, m_birth, m_sex, m_labour) = (
        col(&mh, "household_id"),
        col(&mh, "relation"),
        col(&mh, "ethnicity"),
        col(&mh, "birth_date"),
        col(&mh, "sex"),
        col(&mh, "labour"),
    );
    let mut people: BTreeMap<&str, Vec<&csv::StringRecord>> = BTreeMap::new();
    for r in &mrows {
        people.entry(&r[m_id]).or_default().push(r);
    }
    let mut seen = BTreeMap::new();
    for rec in records {
        let id = rec["household_id"].as_str().expect("id").to_string();
        let (commune, date) = survey[id.as_str()];
        let ms = &people[id.as_str()];
        // the head: the member named so, or the first
        let head = ms
            .iter()
            .find(|m| &m[m_rel] == "head")
            .or(ms.first())
            .expect("a member");
        let minority = !head[m_eth].is_empty() && &head[m_eth] != "01";
        // no member of working age, or every one of them unable to work
        let without_working_capacity = ms
            .iter()
            .filter(|m| {
                let months = months_of_age(&m[m_birth], date);
                months >= 15 * 12 && months < retirement_months(&m[m_sex] == "M", date.0)
            })
            .all(|m| &m[m_labour] == "unable");
        seen.insert(
            id,
            Seen {
                commune: commune.to_string(),
                standard: rec["standard"].as_str().expect("standard").to_string(),
                urban: rec["area"] == "urban",
                class: rec["class"].as_str().expect("class").to_string(),
                deprivations: rec["deprivations"]
                    .as_array()
                    .expect("deprivations")
                    .iter()
                    .map(|d| d.as_str().expect("code").to_string())
                    .collect(),
                minority,
                without_working_capacity,
            },
        );
    }
    seen
}

/// Every figure of a commune's year, as the summaries keep them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Expected {
    standard: String,
    households: i64,
    poor: i64,
    near_poor: i64,
    average: i64,
    not_poor: i64,
    urban_households: i64,
    urban_poor: i64,
    urban_near_poor: i64,
    minority_households: i64,
    minority_poor: i64,
    minority_near_poor: i64,
    without_working_capacity: i64,
    transitions: BTreeMap<&'static str, i64>,
    escaped_from_poor: i64,
    moved_away_poor: i64,
    moved_away_near_poor: i64,
    poor_start: i64,
    /// No household of the commune in the year before: no transitions (spec: a unit's first
    /// year is "first assessed").
    first_assessed: bool,
    /// Households lacking each indicator (by code) among the poor and the near-poor.
    lacking_poor: BTreeMap<String, i64>,
    lacking_near_poor: BTreeMap<String, i64>,
}

const TRANSITIONS: &[&str] = &[
    "stayed_poor",
    "poor_to_near_poor",
    "escaped",
    "near_poor_to_poor",
    "new_poor",
    "new_near_poor",
    "fell_back",
    "stayed_near_poor",
];

fn on_list(c: Option<&str>) -> bool {
    matches!(c, Some("poor" | "near_poor"))
}

fn above_line(c: Option<&str>) -> bool {
    matches!(c, Some("average" | "not_poor"))
}

/// A household's transition into `year` (spec: standards.md, Transitions), from its classes.
fn transition(class: &dyn Fn(i32) -> Option<&'static str>, year: i32) -> Option<&'static str> {
    let (prev, cur) = (class(year - 1), class(year));
    // poor again within three review years of an escape (on the list, then above the line)
    let fell_back = (year - 3..year).any(|e| on_list(class(e - 1)) && above_line(class(e)));
    Some(match (prev, cur) {
        (Some("poor"), Some("poor")) => "stayed_poor",
        (Some("poor"), Some("near_poor")) => "poor_to_near_poor",
        (p, c) if on_list(p) && above_line(c) => "escaped",
        (Some("near_poor"), Some("poor")) => "near_poor_to_poor",
        (Some("near_poor"), Some("near_poor")) => "stayed_near_poor",
        (_, Some("poor")) if fell_back => "fell_back",
        (_, Some("poor")) => "new_poor",
        (_, Some("near_poor")) => "new_near_poor",
        _ => return None,
    })
}

fn class_name(c: &str) -> &'static str {
    match c {
        "poor" => "poor",
        "near_poor" => "near_poor",
        "average" => "average",
        "not_poor" => "not_poor",
        other => panic!("unknown class {other}"),
    }
}

/// The expected summaries, (commune, year) → figures, from every year's classified records.
fn expected(years: &BTreeMap<i32, BTreeMap<String, Seen>>) -> BTreeMap<(String, i32), Expected> {
    let mut out: BTreeMap<(String, i32), Expected> = BTreeMap::new();
    let class_of = |id: &str, y: i32| -> Option<&'static str> {
        years
            .get(&y)
            .and_then(|m| m.get(id))
            .map(|s| class_name(&s.class))
    };
    for (&year, seen) in years {
        for (id, s) in seen {
            let e = out.entry((s.commune.clone(), year)).or_default();
            e.standard = s.standard.clone();
            e.households += 1;
            let poor = s.class == "poor";
            let near = s.class == "near_poor";
            match s.class.as_str() {
                "poor" => e.poor += 1,
                "near_poor" => e.near_poor += 1,
                "average" => e.average += 1,
                _ => e.not_poor += 1,
            }
            if s.urban {
                e.urban_households += 1;
                e.urban_poor += i64::from(poor);
                e.urban_near_poor += i64::from(near);
            }
            if s.minority {
                e.minority_households += 1;
                e.minority_poor += i64::from(poor);
                e.minority_near_poor += i64::from(near);
            }
            e.without_working_capacity += i64::from((poor || near) && s.without_working_capacity);
            for d in &s.deprivations {
                if poor {
                    *e.lacking_poor.entry(d.clone()).or_default() += 1;
                }
                if near {
                    *e.lacking_near_poor.entry(d.clone()).or_default() += 1;
                }
            }
            let class = |y: i32| class_of(id, y);
            if let Some(t) = transition(&class, year) {
                *e.transitions.entry(t).or_default() += 1;
                if t == "escaped" && class(year - 1) == Some("poor") {
                    e.escaped_from_poor += 1;
                }
            }
        }
        // a commune with no household the year before is first assessed: nothing changed
        let communes_before: BTreeSet<&str> = years
            .get(&(year - 1))
            .map(|b| b.values().map(|s| s.commune.as_str()).collect())
            .unwrap_or_default();
        for ((commune, _), e) in out.iter_mut().filter(|((_, y), _)| *y == year) {
            if !communes_before.contains(commune.as_str()) {
                e.first_assessed = true;
                e.transitions.clear();
                e.escaped_from_poor = 0;
            }
        }
        // the year before, seen from this one: the poor at the start, and who left the lists
        if let Some(before) = years.get(&(year - 1)) {
            for (id, s) in before {
                let Some(e) = out.get_mut(&(s.commune.clone(), year)) else {
                    continue;
                };
                let here = seen.contains_key(id);
                match (s.class.as_str(), here) {
                    ("poor", true) => e.poor_start += 1,
                    ("poor", false) => {
                        e.poor_start += 1;
                        e.moved_away_poor += 1;
                    }
                    ("near_poor", false) => e.moved_away_near_poor += 1,
                    _ => {}
                }
            }
        }
    }
    out
}

/// Every column of a stored summary against its expected value.
fn compare(s: &CommuneSummary, e: &Expected, indicators: &[String], at: &str) {
    let t = |k: &str| e.transitions.get(k).copied().unwrap_or(0);
    let pairs: [(&str, i64, i64); 27] = [
        ("households", s.households, e.households),
        ("poor", s.poor, e.poor),
        ("near_poor", s.near_poor, e.near_poor),
        ("average", s.average, e.average),
        ("not_poor", s.not_poor, e.not_poor),
        ("urban_households", s.urban_households, e.urban_households),
        ("urban_poor", s.urban_poor, e.urban_poor),
        ("urban_near_poor", s.urban_near_poor, e.urban_near_poor),
        (
            "minority_households",
            s.minority_households,
            e.minority_households,
        ),
        ("minority_poor", s.minority_poor, e.minority_poor),
        (
            "minority_near_poor",
            s.minority_near_poor,
            e.minority_near_poor,
        ),
        (
            "without_working_capacity",
            s.without_working_capacity,
            e.without_working_capacity,
        ),
        ("stayed_poor", s.stayed_poor, t("stayed_poor")),
        (
            "poor_to_near_poor",
            s.poor_to_near_poor,
            t("poor_to_near_poor"),
        ),
        ("escaped", s.escaped, t("escaped")),
        (
            "escaped_from_poor",
            s.escaped_from_poor,
            e.escaped_from_poor,
        ),
        (
            "near_poor_to_poor",
            s.near_poor_to_poor,
            t("near_poor_to_poor"),
        ),
        ("new_poor", s.new_poor, t("new_poor")),
        ("new_near_poor", s.new_near_poor, t("new_near_poor")),
        ("fell_back", s.fell_back, t("fell_back")),
        (
            "stayed_near_poor",
            s.stayed_near_poor,
            t("stayed_near_poor"),
        ),
        ("moved_away_poor", s.moved_away_poor, e.moved_away_poor),
        (
            "moved_away_near_poor",
            s.moved_away_near_poor,
            e.moved_away_near_poor,
        ),
        ("poor_start", s.poor_start, e.poor_start),
        (
            "first_assessed",
            i64::from(s.first_assessed),
            i64::from(e.first_assessed),
        ),
        (
            "indicators lacked by the poor, in all",
            s.lacking_poor.iter().sum(),
            e.lacking_poor.values().sum(),
        ),
        (
            "indicators lacked by the near-poor, in all",
            s.lacking_near_poor.iter().sum(),
            e.lacking_near_poor.values().sum(),
        ),
    ];
    for (name, got, want) in pairs {
        assert_eq!(got, want, "{at}: {name}");
    }
    assert_eq!(s.standard, e.standard, "{at}: standard");
    // each indicator at its position in the year's standard, nothing past its last
    for i in 0..16 {
        let (poor, near) = match indicators.get(i) {
            Some(code) => (
                e.lacking_poor.get(code).copied().unwrap_or(0),
                e.lacking_near_poor.get(code).copied().unwrap_or(0),
            ),
            None => (0, 0),
        };
        assert_eq!(s.lacking_poor[i], poor, "{at}: poor lacking indicator {i}");
        assert_eq!(
            s.lacking_near_poor[i], near,
            "{at}: near-poor lacking indicator {i}"
        );
    }
}

/// Writes the panel's years; a few households of 2025 miss that review (they are back in 2026).
fn write_panel(dir: &Path) -> Vec<String> {
    let mut panel = Panel::new(&SynthOptions {
        households: 1500,
        province: Some(PROVINCE.into()),
        year: *YEARS.start(),
        seed: 27,
    })
    .expect("panel");
    let mut missing = Vec::new();
    for year in YEARS {
        let d = dir.join(year.to_string());
        std::fs::create_dir_all(&d).expect("dir");
        let (mut h, mut m) = (Vec::new(), Vec::new());
        panel.write(&mut h, &mut m).expect("write");
        let (mut h, mut m) = (
            String::from_utf8(h).expect("utf8"),
            String::from_utf8(m).expect("utf8"),
        );
        if year == 2025 {
            let ids: Vec<String> = h
                .lines()
                .skip(1)
                .step_by(97)
                .map(|l| l.split(',').next().unwrap_or_default().to_string())
                .collect();
            let keep = |text: &str| -> String {
                text.lines()
                    .filter(|l| !ids.iter().any(|id| l.starts_with(&format!("{id},"))))
                    .map(|l| format!("{l}\n"))
                    .collect()
            };
            h = keep(&h);
            m = keep(&m);
            missing = ids;
        }
        std::fs::write(d.join("households.csv"), h).expect("write");
        std::fs::write(d.join("members.csv"), m).expect("write");
        panel.advance();
    }
    missing
}

fn approx(got: &serde_json::Value, want: f64, at: &str) {
    let g = got
        .as_f64()
        .unwrap_or_else(|| panic!("{at}: not a number: {got}"));
    assert!((g - want).abs() < 1e-9, "{at}: {g} against {want}");
}

fn rate(n: i64, of: i64) -> f64 {
    if of == 0 {
        0.0
    } else {
        100.0 * n as f64 / of as f64
    }
}

/// `giamngheo report --format json` of a unit, against the expected summaries.
fn check_report(
    db: &str,
    unit: &str,
    from: i32,
    to: i32,
    want: &BTreeMap<(String, i32), Expected>,
    standards: &Standards,
) {
    let out = run(&[
        "report",
        "--db",
        db,
        "--unit",
        unit,
        "--from",
        &from.to_string(),
        "--to",
        &to.to_string(),
        "--format",
        "json",
        "--target-points",
        "1.5",
    ]);
    let r: serde_json::Value = serde_json::from_slice(&out).expect("json");
    let of_unit = |c: &str| unit.len() == 2 || c == unit;
    // the unit's years: sums over its communes
    let mut totals: BTreeMap<i32, Expected> = BTreeMap::new();
    for ((c, y), e) in want {
        if !of_unit(c) || *y < from || *y > to {
            continue;
        }
        let t = totals.entry(*y).or_default();
        t.households += e.households;
        t.poor += e.poor;
        t.near_poor += e.near_poor;
        t.minority_households += e.minority_households;
        t.minority_poor += e.minority_poor;
        t.minority_near_poor += e.minority_near_poor;
        t.escaped_from_poor += e.escaped_from_poor;
        for (k, n) in &e.transitions {
            *t.transitions.entry(k).or_default() += n;
        }
        for (k, n) in &e.lacking_poor {
            *t.lacking_poor.entry(k.clone()).or_default() += n;
        }
        t.standard = e.standard.clone();
    }
    let years = r["years"].as_array().expect("years");
    assert_eq!(
        years.len(),
        totals.len(),
        "{unit} {from}-{to}: years reported"
    );
    for (y, (year, t)) in years.iter().zip(&totals) {
        let at = format!("{unit} report, {year}");
        assert_eq!(y["year"], *year, "{at}");
        for (field, want) in [
            ("households", t.households),
            ("poor", t.poor),
            ("near_poor", t.near_poor),
            ("minority_households", t.minority_households),
            ("minority_poor", t.minority_poor),
            ("minority_near_poor", t.minority_near_poor),
        ] {
            assert_eq!(y[field].as_i64(), Some(want), "{at}: {field}");
        }
        // every transition of the year
        for k in TRANSITIONS {
            let want = t.transitions.get(k).copied().unwrap_or(0);
            assert_eq!(y[*k].as_i64(), Some(want), "{at}: {k}");
        }
        approx(&y["poor_rate"], rate(t.poor, t.households), &at);
        approx(&y["near_poor_rate"], rate(t.near_poor, t.households), &at);
        approx(
            &y["poor_and_near_poor_rate"],
            rate(t.poor + t.near_poor, t.households),
            &at,
        );
        approx(
            &y["minority_poor_rate"],
            rate(t.minority_poor, t.minority_households),
            &at,
        );
    }
    let (first, last) = (
        totals.first_key_value().expect("a year"),
        totals.last_key_value().expect("a year"),
    );
    let span = f64::from(last.0 - first.0);
    let decrease =
        (rate(first.1.poor, first.1.households) - rate(last.1.poor, last.1.households)) / span;
    approx(&r["average_annual_decrease"], decrease, "decrease");
    approx(
        &r["minority_average_annual_decrease"],
        (rate(first.1.minority_poor, first.1.minority_households)
            - rate(last.1.minority_poor, last.1.minority_households))
            / span,
        "minority decrease",
    );
    approx(
        &r["target_achievement"],
        100.0 * decrease / 1.5,
        "achievement",
    );
    // the deprivations of the last year's poor, in the order of that year's standard
    let st = standards.get(&last.1.standard).expect("standard");
    let profile = r["deprivation_profile"].as_array().expect("profile");
    let codes: Vec<&str> = profile
        .iter()
        .map(|p| p["indicator"].as_str().expect("code"))
        .collect();
    let std_codes: Vec<&str> = st.indicators.iter().map(|i| i.code.as_str()).collect();
    assert_eq!(codes, std_codes, "{unit} {to}: the profile's indicators");
    for p in profile {
        let code = p["indicator"].as_str().expect("code");
        let n = last.1.lacking_poor.get(code).copied().unwrap_or(0);
        assert_eq!(p["poor_lacking"].as_i64(), Some(n), "{unit} {to}: {code}");
        approx(&p["share_of_poor"], rate(n, last.1.poor), code);
    }
    // a line per commune: its first and last year of the span
    let lines = r["communes"].as_array().expect("communes");
    let communes: BTreeSet<&String> = want
        .keys()
        .filter(|(c, y)| of_unit(c) && *y >= from && *y <= to)
        .map(|(c, _)| c)
        .collect();
    assert_eq!(lines.len(), communes.len(), "{unit}: commune lines");
    for line in lines {
        let code = line["code"].as_str().expect("code").to_string();
        let of_commune: Vec<(&i32, &Expected)> = want
            .iter()
            .filter(|((c, y), _)| *c == code && *y >= from && *y <= to)
            .map(|((_, y), e)| (y, e))
            .collect();
        for (side, (year, e)) in [
            ("first", of_commune.first().expect("a year")),
            ("last", of_commune.last().expect("a year")),
        ] {
            let at = format!("{code} {side} ({year})");
            assert_eq!(line[side]["year"], **year, "{at}");
            assert_eq!(
                line[side]["households"].as_i64(),
                Some(e.households),
                "{at}"
            );
            assert_eq!(line[side]["poor"].as_i64(), Some(e.poor), "{at}");
            approx(&line[side]["poor_rate"], rate(e.poor, e.households), &at);
        }
    }
}

#[tokio::test]
async fn every_figure_matches_what_the_classified_files_give() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = write_panel(dir.path());
    let standards = Standards::builtin().expect("standards");
    let seen: BTreeMap<i32, BTreeMap<String, Seen>> = YEARS
        .map(|y| (y, classified(&dir.path().join(y.to_string()))))
        .collect();
    let want = expected(&seen);

    // the panel holds what the comparison is for: each transition, households that leave and
    // arrive and miss a review, both standards, urban and minority households
    let mut totals: BTreeMap<&str, i64> = BTreeMap::new();
    for e in want.values() {
        for (k, n) in &e.transitions {
            *totals.entry(k).or_default() += n;
        }
        *totals.entry("moved_away_poor").or_default() += e.moved_away_poor;
        *totals.entry("moved_away_near_poor").or_default() += e.moved_away_near_poor;
        *totals.entry("urban_poor").or_default() += e.urban_poor;
        *totals.entry("minority_households").or_default() += e.minority_households;
        *totals.entry("without_working_capacity").or_default() += e.without_working_capacity;
    }
    for k in TRANSITIONS.iter().chain(&[
        "moved_away_poor",
        "moved_away_near_poor",
        "urban_poor",
        "minority_households",
        "without_working_capacity",
    ]) {
        assert!(
            totals.get(k).copied().unwrap_or(0) > 0,
            "none {k}: {totals:?}"
        );
    }
    assert!(!missing.is_empty());
    assert!(missing.iter().all(|id| !seen[&2025].contains_key(id)));
    let back = missing
        .iter()
        .filter(|id| seen[&2024].contains_key(*id) && seen[&2026].contains_key(*id))
        .count();
    assert!(back > 0, "no household missed a review and came back");
    let arrived = seen[&2028]
        .keys()
        .filter(|id| !seen[&2024].contains_key(*id))
        .count();
    assert!(arrived > 0, "no household arrived");
    let standards_met: BTreeSet<&str> = want.values().map(|e| e.standard.as_str()).collect();
    assert_eq!(
        standards_met,
        BTreeSet::from(["vn-2022-2025", "vn-2027-2030"])
    );

    // the stock identity, from the household histories counted here
    for ((c, y), e) in want.iter().filter(|(_, e)| !e.first_assessed) {
        let t = |k: &str| e.transitions.get(k).copied().unwrap_or(0);
        assert_eq!(
            e.poor_start + t("new_poor") + t("fell_back") + t("near_poor_to_poor"),
            e.poor + e.escaped_from_poor + t("poor_to_near_poor") + e.moved_away_poor,
            "{c} {y}: {e:?}"
        );
    }

    for db in databases().await {
        for year in YEARS {
            let d = dir.path().join(year.to_string());
            run(&[
                "import",
                "--year",
                &year.to_string(),
                "--db",
                &db.url,
                d.to_str().expect("path"),
            ]);
        }
        let (registry, _) = Registry::open(&StoreOptions::new(db.url.clone()), standards.clone())
            .await
            .expect("open");
        let province = UnitCode::parse(PROVINCE).expect("a province");
        let sums = registry
            .unscoped()
            .commune_summaries(&province, *YEARS.start(), *YEARS.end())
            .await
            .expect("summaries");
        let got: BTreeMap<(String, i32), &CommuneSummary> = sums
            .iter()
            .map(|s| ((s.commune_code.clone(), s.year), s))
            .collect();
        assert_eq!(
            got.keys().collect::<Vec<_>>(),
            want.keys().collect::<Vec<_>>(),
            "{}: the communes and years summarised",
            db.name
        );
        for (key, s) in &got {
            let e = &want[key];
            let st = standards.get(&e.standard).expect("standard");
            let codes: Vec<String> = st.indicators.iter().map(|i| i.code.clone()).collect();
            compare(s, e, &codes, &format!("{} {} {}", db.name, key.0, key.1));
            assert!(s.stock_holds(), "{} {key:?}", db.name);
        }
        registry.close().await;
        // the province's report over the span, across the change of standard; before the
        // change; and one commune's
        check_report(&db.url, PROVINCE, 2024, 2028, &want, &standards);
        check_report(&db.url, PROVINCE, 2024, 2026, &want, &standards);
        let busiest = want
            .iter()
            .filter(|((_, y), _)| *y == 2028)
            .max_by_key(|(_, e)| e.poor)
            .map(|((c, _), _)| c.clone())
            .expect("a commune");
        check_report(&db.url, &busiest, 2025, 2028, &want, &standards);
    }
}
