//! Properties: reading never panics on any cell, and every household row ends up either read or
//! rejected with at least one error naming it.

use giamngheo_rules::Standards;
use giamngheo_survey::SurveyReader;
use proptest::prelude::*;

const H_HEADER: &str = "household_id,commune_code,survey_date,income_per_capita,b1_score,has_house,nondurable_structures,floor_area_m2,water_source,latrine,internet,info_devices,waste,members,d_water";
const M_HEADER: &str = "household_id,member_no,birth_date,sex,health_insurance,labour,malnourished,schooling,in_education,education,id_number,ethnicity,disability";

/// A cell: usually a plausible value, sometimes anything at all.
fn cell(valid: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(valid).prop_map(str::to_string),
        1 => "[^\"\n\r]{0,12}",
        1 => any::<Vec<u8>>().prop_map(|b| String::from_utf8_lossy(&b).replace(['"', '\n', '\r'], "")),
    ]
}

fn csv_cell(s: &str) -> String {
    if s.contains(',') {
        format!("\"{s}\"")
    } else {
        s.to_string()
    }
}

fn household_row() -> impl Strategy<Value = Vec<String>> {
    (
        (
            cell(&["A", "B", "C"]),
            cell(&["03325", "00070", "99999"]),
            cell(&["2025-10-15", "2027-02-28", "2021-01-01"]),
        ),
        (
            cell(&["1500000", "0", "2250000.5"]),
            cell(&["", "140", "176"]),
            cell(&["1", "0", ""]),
            cell(&["0", "2", "3"]),
        ),
        (
            cell(&["8", "7.99", "0"]),
            cell(&["piped", "surface"]),
            cell(&["septic", "none"]),
            cell(&["1", "0"]),
        ),
        (
            cell(&["", "tv;phone"]),
            cell(&["collected", "untreated", ""]),
            cell(&["", "1", "2"]),
            cell(&["", "1", "0"]),
        ),
    )
        .prop_map(|((a, b, c), (d, e, f, g), (h, i, j, k), (l, m, n, o))| {
            vec![a, b, c, d, e, f, g, h, i, j, k, l, m, n, o]
        })
}

fn member_row() -> impl Strategy<Value = Vec<String>> {
    (
        (
            cell(&["A", "B", "C"]),
            cell(&["1", "2", "0"]),
            cell(&["1980", "2020-02", "2010-05-05", "2030-01-01"]),
        ),
        (
            cell(&["M", "F"]),
            cell(&["1", "0", ""]),
            cell(&["unemployed", "self_employed", ""]),
            cell(&["0", "1", ""]),
        ),
        (
            cell(&["at_level", "behind", ""]),
            cell(&["0", "1", ""]),
            cell(&["primary", "university", ""]),
        ),
        (
            cell(&["", "011080012345"]),
            cell(&["", "01", "3"]),
            cell(&["", "severe"]),
        ),
    )
        .prop_map(|((a, b, c), (d, e, f, g), (h, i, j), (k, l, m))| {
            vec![a, b, c, d, e, f, g, h, i, j, k, l, m]
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn reading_never_panics(
        households in prop::collection::vec(household_row(), 0..6),
        members in prop::collection::vec(member_row(), 0..12),
        with_members in any::<bool>(),
    ) {
        let dir = tempfile::tempdir().expect("tempdir");
        let h = dir.path().join("h.csv");
        let m = dir.path().join("m.csv");
        let body = |rows: &[Vec<String>]| rows.iter().map(|r| r.iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(",")).collect::<Vec<_>>().join("\n");
        std::fs::write(&h, format!("{H_HEADER}\n{}\n", body(&households))).expect("write");
        std::fs::write(&m, format!("{M_HEADER}\n{}\n", body(&members))).expect("write");
        let standards = Standards::builtin().expect("standards");
        let mut reader = SurveyReader::open(&h, with_members.then_some(m.as_path()), &standards).expect("headers are valid");
        let (mut read, mut rejected) = (0, 0);
        while let Some(item) = reader.next() {
            match item {
                Ok(item) => {
                    read += 1;
                    for st in standards.all() {
                        let _ = st.assess(&item.household.household, item.members.as_deref());
                    }
                }
                Err(errors) => {
                    prop_assert!(!errors.is_empty());
                    rejected += 1;
                }
            }
        }
        let _ = reader.finish();
        // every household row is accounted for
        prop_assert_eq!(read + rejected, households.len());
    }
}
