//! Reading the exchange format: every bad value named by file, row and column; CSV and XLSX read
//! alike; the join of households and members whatever the files' order.

use giamngheo_rules::{Area, Class, Standards};
use giamngheo_survey::{RowError, SurveyItem, SurveyReader};
use std::path::{Path, PathBuf};

const H_HEADER: &str = "household_id,commune_code,survey_date,income_per_capita,has_house,nondurable_structures,floor_area_m2,water_source,latrine,internet,info_devices";
const M_HEADER: &str = "household_id,member_no,birth_date,sex,health_insurance,labour,malnourished,schooling,in_education,education,id_number,ethnicity";

fn h_row(id: &str) -> String {
    format!("{id},03325,2025-10-15,1200000,1,0,40,piped,septic,1,phone")
}

fn m_row(id: &str, no: u32) -> String {
    format!("{id},{no},1980-01-01,M,1,self_employed,,,,,,03")
}

struct Files {
    _dir: tempfile::TempDir,
    households: PathBuf,
    members: PathBuf,
}

fn files(households: &[String], members: &[String]) -> Files {
    files_with(H_HEADER, households, M_HEADER, members)
}

fn files_with(hh: &str, households: &[String], mh: &str, members: &[String]) -> Files {
    let dir = tempfile::tempdir().expect("tempdir");
    let h = dir.path().join("households.csv");
    let m = dir.path().join("members.csv");
    std::fs::write(&h, format!("{hh}\n{}\n", households.join("\n"))).expect("write");
    std::fs::write(&m, format!("{mh}\n{}\n", members.join("\n"))).expect("write");
    Files {
        _dir: dir,
        households: h,
        members: m,
    }
}

/// Reads everything: the items, and every error line (without the directory).
fn read(h: &Path, m: Option<&Path>) -> (Vec<SurveyItem>, Vec<String>) {
    let standards = Standards::builtin().expect("standards");
    let mut reader = match SurveyReader::open(h, m, &standards) {
        Ok(r) => r,
        Err(e) => return (Vec::new(), e.iter().map(short).collect()),
    };
    let mut items = Vec::new();
    let mut errors = Vec::new();
    while let Some(next) = reader.next() {
        errors.extend(reader.take_stray().iter().map(short));
        match next {
            Ok(i) => items.push(i),
            Err(e) => errors.extend(e.iter().map(short)),
        }
    }
    errors.extend(reader.finish().iter().map(short));
    (items, errors)
}

fn short(e: &RowError) -> String {
    // file names without the temporary directory, wherever they appear
    let s = e.text(giamngheo_rules::Lang::En);
    let dir = e.file.rfind('/').map(|i| &e.file[..=i]).unwrap_or("");
    if dir.is_empty() {
        s
    } else {
        s.replace(dir, "")
    }
}

fn read_files(f: &Files) -> (Vec<SurveyItem>, Vec<String>) {
    read(&f.households, Some(&f.members))
}

#[test]
fn reads_households_with_their_members() {
    let f = files(
        &[h_row("A"), h_row("B")],
        &[m_row("A", 1), m_row("A", 2), m_row("B", 1)],
    );
    let (items, errors) = read_files(&f);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].household.household.id, "A");
    assert_eq!(items[0].household.household.members, 2);
    assert_eq!(items[0].household.household.area, Area::Rural);
    assert_eq!(items[0].household.commune.province_code, "11");
    assert_eq!(items[1].members.as_ref().map(Vec::len), Some(1));
    assert_eq!(items[0].members.as_ref().expect("members")[1].row, 3);
    assert_eq!(
        items[0].members.as_ref().expect("members")[0].ethnicity,
        Some(3)
    );
}

#[test]
fn the_example_survey_reads_cleanly() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/survey-2025");
    let (items, errors) = read(
        &root.join("households.csv"),
        Some(&root.join("members.csv")),
    );
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(items.len(), 8);
    let db8 = &items[7].household;
    assert_eq!(
        db8.extra,
        vec![(
            "x_note".to_string(),
            "giếng mới khoan chưa ghi vào phiếu".to_string()
        )]
    );
    assert_eq!(db8.village.as_deref(), Some("Bản Noong Bua"));
    assert_eq!(
        items[3].household.household.area,
        Area::Urban,
        "a ward is urban"
    );
    let head = &items[0].members.as_ref().expect("members")[0];
    assert_eq!(head.full_name.as_deref(), Some("Lò Văn Pấng"));
    assert_eq!(
        head.id_number.map(|i| i.masked()),
        Some("*********417".to_string())
    );
}

#[test]
fn every_bad_value_is_named() {
    let f = files(
        &[
            "A,03325,2025-10-15,1200000,1,0,40,river,septic,1,phone".into(),
            "B,99999,2025-10-15,1200000,1,0,40,piped,septic,1,phone".into(),
            "C,03325,2025-13-01,12e5,yes,5,forty,piped,septic,1,phone;fax".into(),
            "D,03325,2025-10-15,1200000,1,0,40,piped,septic,1,phone".into(),
        ],
        &[
            m_row("A", 1),
            m_row("B", 1),
            m_row("C", 1),
            "D,1,1980-02-30,X,2,boss,,,,,12345,99".into(),
        ],
    );
    let (items, errors) = read_files(&f);
    assert!(items.is_empty());
    let expect = [
        "households.csv:2: water_source: unknown code `river`: expected piped, drilled_well, protected_well, protected_spring, rainwater, bottled, unprotected_well, unprotected_spring, surface or other",
        "households.csv:3: commune_code: unknown commune `99999` (not in the 2025 list of communes)",
        "households.csv:4: survey_date: `2025-13-01` is not a real date",
        "households.csv:4: income_per_capita: `12e5` is not a number (digits with an optional decimal point, no thousands separators)",
        "households.csv:4: has_house: `yes` is not 1 or 0 (true/false, có/không)",
        "households.csv:4: nondurable_structures: `5` is not a whole number from 0 to 3",
        "households.csv:4: floor_area_m2: `forty` is not a number (digits with an optional decimal point, no thousands separators)",
        "households.csv:4: info_devices: unknown device `fax`: expected tv, radio, computer, phone or tablet",
        "members.csv:5: birth_date: `1980-02-30` is not a real date",
        "members.csv:5: sex: unknown code `X`: expected M or F",
        "members.csv:5: id_number: `12345` is not a 12-digit code",
        "members.csv:5: ethnicity: unknown ethnic group code `99` (01-54 of the 1979 catalogue)",
        "members.csv:5: health_insurance: `2` is not 1 or 0 (true/false, có/không)",
        "members.csv:5: labour: unknown code `boss`: expected wage_contract, wage_no_contract, self_employed, unemployed, student, homemaker, retired or unable",
    ];
    for e in expect {
        assert!(
            errors.iter().any(|x| x == e),
            "missing: {e}\nin: {errors:#?}"
        );
    }
    assert_eq!(errors.len(), expect.len(), "{errors:#?}");
}

#[test]
fn duplicate_household_ids() {
    let f = files(
        &[h_row("A"), h_row("B"), h_row("A")],
        &[m_row("A", 1), m_row("B", 1)],
    );
    let (items, errors) = read_files(&f);
    assert_eq!(items.len(), 2);
    assert_eq!(
        errors,
        ["households.csv:4: household_id: duplicate household id `A` (first on row 2)"]
    );
}

#[test]
fn members_count_mismatch() {
    let hh = format!("{H_HEADER},members");
    let f = files_with(
        &hh,
        &[format!("{},3", h_row("A")), format!("{},1", h_row("B"))],
        M_HEADER,
        &[m_row("A", 1), m_row("A", 2), m_row("B", 1)],
    );
    let (items, errors) = read_files(&f);
    assert_eq!(items.len(), 1);
    assert_eq!(
        errors,
        ["households.csv:2: members: members count mismatch: 3 here but 2 rows in members.csv"]
    );
}

#[test]
fn member_rows_that_do_not_fit() {
    let f = files(
        &[h_row("A"), h_row("B")],
        &[
            m_row("A", 1),
            m_row("A", 1),
            m_row("Z", 1),
            ",1,1980,M,1,,,,,,,".into(),
        ],
    );
    let (items, errors) = read_files(&f);
    assert!(items.is_empty(), "A has a duplicate member, B no members");
    let expect = [
        "members.csv:3: member_no: member 1 of household `A` is also on row 2",
        "households.csv:3: household_id: no rows for this household in members.csv",
        "members.csv:4: household_id: no household `Z` in households.csv",
        "members.csv:5: household_id: required value is missing",
    ];
    for e in expect {
        assert!(
            errors.iter().any(|x| x == e),
            "missing: {e}\nin: {errors:#?}"
        );
    }
    assert_eq!(errors.len(), expect.len(), "{errors:#?}");
}

#[test]
fn headers_are_checked() {
    let f = files_with(
        "household_id,commune_code,colour,x_note,x_note",
        &["A,03325,red,,".into()],
        M_HEADER,
        &[],
    );
    let (_, errors) = read_files(&f);
    assert_eq!(
        errors,
        [
            "households.csv:1: colour: unknown column (extra columns must start with x_)",
            "households.csv:1: x_note: this column appears twice",
            "households.csv:1: survey_date: required column is missing",
        ]
    );
    let f = files_with(
        &format!("{H_HEADER},d_happiness"),
        &[h_row("A")],
        M_HEADER,
        &[],
    );
    let (_, errors) = read_files(&f);
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0].starts_with("households.csv:1: d_happiness: no indicator `happiness`"),
        "{errors:?}"
    );
}

#[test]
fn a_short_row_is_named() {
    let f = files(&["A,03325,2025-10-15".into(), h_row("B")], &[m_row("B", 1)]);
    let (items, errors) = read_files(&f);
    assert_eq!(items.len(), 1);
    assert_eq!(
        errors,
        ["households.csv:2: this row has 3 fields where the header has 11"]
    );
}

#[test]
fn id_number_must_agree_with_sex_and_birth_year() {
    let f = files(
        &[h_row("A")],
        &[
            "A,1,1980-01-01,M,1,self_employed,,,,,011080012345,".into(),
            "A,2,1980-01-01,M,1,self_employed,,,,,011180012345,".into(),
            "A,3,1981-01-01,M,1,self_employed,,,,,011080012345,".into(),
        ],
    );
    let (_, errors) = read_files(&f);
    assert_eq!(
        errors,
        [
            "members.csv:3: id_number: digit 4 of `011180012345` (1) is for sex F, but the record says M",
            "members.csv:4: id_number: `011080012345` is for someone born in 1980 (digits 4-6), but the birth date says 1981",
        ]
    );
}

#[test]
fn members_in_another_order_are_joined_all_the_same() {
    let hs: Vec<String> = (0..50).map(|i| h_row(&format!("H{i}"))).collect();
    let mut ms: Vec<String> = (0..50)
        .flat_map(|i| (1..=2).map(move |n| m_row(&format!("H{i}"), n)))
        .collect();
    ms.reverse();
    let f = files(&hs, &ms);
    let standards = Standards::builtin().expect("standards");
    let mut reader = SurveyReader::open(&f.households, Some(&f.members), &standards).expect("open");
    let mut n = 0;
    while let Some(item) = reader.next() {
        let item = item.expect("household");
        assert_eq!(item.household.household.members, 2);
        let nos: Vec<u32> = item
            .members
            .expect("members")
            .iter()
            .map(|m| m.member_no)
            .collect();
        assert_eq!(nos, [2, 1], "file order kept");
        n += 1;
    }
    assert!(reader.buffered());
    assert!(reader.finish().is_empty());
    assert_eq!(n, 50);
}

#[test]
fn households_file_alone_needs_members_and_recorded_member_indicators() {
    let hh = format!("{H_HEADER},members");
    let f = files_with(
        &hh,
        &[format!("{},4", h_row("A")), h_row("B") + ","],
        M_HEADER,
        &[],
    );
    let (items, errors) = read(&f.households, None);
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].members, None);
    assert_eq!(items[0].household.household.members, 4);
    assert_eq!(
        errors,
        ["households.csv:3: members: required when there is no members file"]
    );
}

fn write_workbook(path: &Path, numeric_codes: bool) {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut wb = Workbook::new();
    let date_format = Format::new().set_num_format("yyyy-mm-dd");
    let hs = wb.add_worksheet().set_name("households").expect("sheet");
    let headers = H_HEADER.split(',').collect::<Vec<_>>();
    for (c, h) in headers.iter().enumerate() {
        hs.write_string(0, c as u16, *h).expect("cell");
    }
    for (r, id) in ["A", "B"].iter().enumerate() {
        let r = r as u32 + 1;
        hs.write_string(r, 0, *id).expect("cell");
        if numeric_codes {
            hs.write_number(r, 1, 3325.0).expect("cell");
            let d = ExcelDateTime::from_ymd(2025, 10, 15).expect("date");
            hs.write_datetime_with_format(r, 2, &d, &date_format)
                .expect("cell");
            hs.write_number(r, 3, 1_200_000.0).expect("cell");
            hs.write_boolean(r, 4, true).expect("cell");
            hs.write_number(r, 5, 0.0).expect("cell");
            hs.write_number(r, 6, 7.5).expect("cell");
        } else {
            for (c, v) in ["03325", "2025-10-15", "1200000", "1", "0", "7.5"]
                .iter()
                .enumerate()
            {
                hs.write_string(r, c as u16 + 1, *v).expect("cell");
            }
        }
        for (c, v) in ["piped", "septic", "1", "phone"].iter().enumerate() {
            hs.write_string(r, c as u16 + 7, *v).expect("cell");
        }
    }
    let ms = wb.add_worksheet().set_name("members").expect("sheet");
    for (c, h) in M_HEADER.split(',').enumerate() {
        ms.write_string(0, c as u16, h).expect("cell");
    }
    for (r, id) in ["A", "B"].iter().enumerate() {
        let r = r as u32 + 1;
        for (c, v) in [*id, "1", "1980-01-01", "M", "1", "unemployed"]
            .iter()
            .enumerate()
        {
            ms.write_string(r, c as u16, *v).expect("cell");
        }
        if numeric_codes {
            ms.write_number(r, 11, 3.0).expect("ethnicity as a number");
        }
    }
    wb.save(path).expect("save workbook");
}

#[test]
fn a_workbook_reads_like_the_csv_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    for numeric in [false, true] {
        let book = dir.path().join(format!("survey-{numeric}.xlsx"));
        write_workbook(&book, numeric);
        let (items, errors) = read(&book, None);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(items.len(), 2);
        let h = &items[0].household;
        assert_eq!(h.commune.code, "03325", "leading zero restored");
        assert_eq!(h.household.survey_date.to_string(), "2025-10-15");
        assert_eq!(h.household.members, 1);
        let standards = Standards::builtin().expect("standards");
        let st = standards.get("vn-2022-2025").expect("std");
        let a = st
            .assess(&h.household, items[0].members.as_deref())
            .expect("assessment");
        assert_eq!(a.class, Class::NearPoor);
        assert_eq!(a.deprivation_count(), 2, "employment and floor area");
        if numeric {
            assert_eq!(items[0].members.as_ref().expect("m")[0].ethnicity, Some(3));
        }
    }
}

#[test]
fn a_workbook_without_the_sheet_is_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let book = dir.path().join("other.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet().set_name("Sheet1").expect("sheet");
    wb.save(&book).expect("save");
    let (_, errors) = read(&book, None);
    assert_eq!(
        errors,
        ["other.xlsx[households]: the workbook has no sheet named `households` (it has: Sheet1)"]
    );
}
