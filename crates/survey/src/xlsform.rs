//! Phiếu B as an XLSForm, for capture offline in ODK Collect or KoboToolbox: the exchange
//! format's household columns as top-level fields and its member columns in a repeat group
//! `members`, named as the format names them, with its codes as choices (Vietnamese and
//! English labels) and its rules as constraints and relevance (an ID of 12 digits, the questions
//! of an age asked only at that age, the structures only of a dwelling). Exported submissions
//! then come back through the importer and its every check.

use crate::guide::{self, COLUMNS};
use crate::units::Catalogue;
use rust_xlsxwriter::{Workbook, XlsxError};
use std::path::Path;

/// The form's id, as ODK and Kobo name the form and its exports.
pub const FORM_ID: &str = "giamngheo_phieu_b";

/// The repeat group of the members.
pub const MEMBERS_GROUP: &str = "members";

const VI: &str = "Tiếng Việt (vi)";
const EN: &str = "English (en)";

/// One row of the survey sheet.
struct Question {
    kind: String,
    name: &'static str,
    required: &'static str,
    constraint: &'static str,
    constraint_message: (&'static str, &'static str),
    relevant: &'static str,
    calculation: &'static str,
}

impl Question {
    fn new(kind: impl Into<String>, name: &'static str) -> Question {
        Question {
            kind: kind.into(),
            name,
            required: "",
            constraint: "",
            constraint_message: ("", ""),
            relevant: "",
            calculation: "",
        }
    }
    fn required(mut self) -> Question {
        self.required = "yes";
        self
    }
    fn constraint(mut self, c: &'static str, vi: &'static str, en: &'static str) -> Question {
        self.constraint = c;
        self.constraint_message = (vi, en);
        self
    }
    fn relevant(mut self, r: &'static str) -> Question {
        self.relevant = r;
        self
    }
}

/// The choice list a column's codes go in.
fn list_of(column: &str) -> String {
    match column {
        "has_house" | "internet" | "health_insurance" | "social_allowance" | "malnourished"
        | "in_education" => "yes_no".into(),
        c => c.to_string(),
    }
}

/// A coded column's question: one of its codes, or several (the devices).
fn coded(column: &'static str) -> Question {
    let kind = if column == "info_devices" {
        format!("select_multiple {}", list_of(column))
    } else {
        format!("select_one {}", list_of(column))
    };
    Question::new(kind, column)
}

fn questions() -> Vec<Question> {
    let twelve = (
        "số định danh cá nhân gồm đúng 12 chữ số",
        "a personal ID is exactly 12 digits",
    );
    vec![
        Question::new("text", "household_id").required(),
        Question::new("text", "commune_code").required().constraint(
            "regex(., '^[0-9]{5}$')",
            "mã xã gồm 5 chữ số",
            "a commune code is 5 digits",
        ),
        Question::new("text", "village"),
        coded("area"),
        Question::new("date", "survey_date").required().constraint(
            ". <= today()",
            "ngày khảo sát không ở tương lai",
            "the survey date is not in the future",
        ),
        Question::new("text", "head_name"),
        Question::new("decimal", "income_per_capita").constraint(
            ". >= 0",
            "thu nhập không âm",
            "income is not negative",
        ),
        Question::new("decimal", "b1_score").constraint(
            ". >= 0 or ${income_per_capita} != ''",
            "điểm B1 không âm",
            "the B1 score is not negative",
        ),
        coded("has_house").required(),
        Question {
            kind: "select_one structures".into(),
            ..Question::new("", "nondurable_structures")
                .required()
                .relevant("${has_house} = '1'")
        },
        Question::new("decimal", "floor_area_m2").required().constraint(
            ". >= 0 and . < 10000",
            "diện tích từ 0 đến dưới 10.000 m²",
            "an area from 0 to under 10,000 m²",
        ),
        coded("water_source").required(),
        coded("latrine").required(),
        coded("internet").required(),
        coded("info_devices"),
        coded("waste"),
        Question::new("begin_repeat", MEMBERS_GROUP),
        Question {
            calculation: "position(..)",
            ..Question::new("calculate", "member_no")
        },
        Question::new("text", "full_name"),
        Question::new("text", "id_number").constraint(
            "regex(., '^[0-9]{12}$')",
            twelve.0,
            twelve.1,
        ),
        Question::new("date", "birth_date").required().constraint(
            ". <= ${survey_date}",
            "ngày sinh không sau ngày khảo sát",
            "born on or before the survey date",
        ),
        Question {
            calculation: "int((decimal-date-time(${survey_date}) - decimal-date-time(${birth_date})) div 365.25)",
            ..Question::new("calculate", "age")
        },
        coded("sex").required(),
        coded("ethnicity"),
        coded("relation"),
        coded("health_insurance").required(),
        coded("disability"),
        coded("social_allowance"),
        coded("labour").required().relevant("${age} >= 15"),
        coded("malnourished").required().relevant("${age} < 16"),
        coded("schooling")
            .required()
            .relevant("${age} >= 3 and ${age} <= 15"),
        coded("in_education")
            .required()
            .relevant("${age} >= 16 and ${age} <= 30"),
        coded("education")
            .required()
            .relevant("${age} >= 16 and ${age} <= 30"),
        Question::new("end_repeat", ""),
    ]
}

/// The choices: each coded column's codes with their meanings, the ethnic groups of the
/// catalogue, and the count of non-durable structures.
fn choices() -> Vec<(String, String, String, String)> {
    let mut out = Vec::new();
    let mut done: Vec<String> = Vec::new();
    for c in COLUMNS {
        if c.codes.is_empty() || c.column == "ethnicity" {
            continue;
        }
        let list = list_of(c.column);
        if done.contains(&list) {
            continue;
        }
        done.push(list.clone());
        for (code, vi, en) in c.codes {
            out.push((
                list.clone(),
                code.to_string(),
                vi.to_string(),
                en.to_string(),
            ));
        }
    }
    for g in Catalogue::builtin().ethnic_groups() {
        out.push((
            "ethnicity".into(),
            g.code.clone(),
            g.name.clone(),
            g.name.clone(),
        ));
    }
    for (n, vi, en) in [
        ("0", "0: cả ba đều bền chắc", "0: all three durable"),
        ("1", "1 kết cấu không bền chắc", "1 non-durable"),
        ("2", "2 kết cấu không bền chắc", "2 non-durable"),
        ("3", "cả 3 kết cấu không bền chắc", "all 3 non-durable"),
    ] {
        out.push(("structures".into(), n.into(), vi.into(), en.into()));
    }
    out
}

/// A question's label in both languages: the format's short name; a repeat's, the members'.
fn labels(name: &str) -> (String, String) {
    match name {
        MEMBERS_GROUP => ("Thành viên hộ".into(), "Members".into()),
        "age" | "member_no" | "" => (String::new(), String::new()),
        n => (
            guide::label(n, giamngheo_rules::Lang::Vi).to_string(),
            guide::label(n, giamngheo_rules::Lang::En).to_string(),
        ),
    }
}

/// Writes the form; `version` as ODK compares versions (a date such as 2026120301).
pub fn write_xlsform(path: &Path, version: &str) -> Result<(), XlsxError> {
    let mut wb = Workbook::new();
    let survey = wb.add_worksheet().set_name("survey")?;
    let header = [
        "type".to_string(),
        "name".into(),
        format!("label::{VI}"),
        format!("label::{EN}"),
        "required".into(),
        "constraint".into(),
        format!("constraint_message::{VI}"),
        format!("constraint_message::{EN}"),
        "relevant".into(),
        "calculation".into(),
    ];
    for (c, h) in header.iter().enumerate() {
        survey.write_string(0, c as u16, h)?;
    }
    for (r, q) in questions().iter().enumerate() {
        let (vi, en) = labels(q.name);
        let row = [
            q.kind.as_str(),
            q.name,
            &vi,
            &en,
            q.required,
            q.constraint,
            q.constraint_message.0,
            q.constraint_message.1,
            q.relevant,
            q.calculation,
        ];
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                survey.write_string(r as u32 + 1, c as u16, *v)?;
            }
        }
    }
    let sheet = wb.add_worksheet().set_name("choices")?;
    for (c, h) in [
        "list_name",
        "name",
        &format!("label::{VI}"),
        &format!("label::{EN}"),
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(0, c as u16, *h)?;
    }
    for (r, (list, name, vi, en)) in choices().iter().enumerate() {
        for (c, v) in [list, name, vi, en].iter().enumerate() {
            sheet.write_string(r as u32 + 1, c as u16, v.as_str())?;
        }
    }
    let settings = wb.add_worksheet().set_name("settings")?;
    for (c, (h, v)) in [
        ("form_title", "Phiếu B: rà soát hộ nghèo, hộ cận nghèo"),
        ("form_id", FORM_ID),
        ("version", version),
        ("default_language", VI),
    ]
    .iter()
    .enumerate()
    {
        settings.write_string(0, c as u16, *h)?;
        settings.write_string(1, c as u16, *v)?;
    }
    wb.save(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_column_of_the_format_but_the_recorded_ones_is_a_question() {
        let names: Vec<&str> = questions().iter().map(|q| q.name).collect();
        for c in crate::parse::HOUSEHOLD_COLUMNS
            .iter()
            .chain(crate::parse::MEMBER_COLUMNS)
        {
            // the form counts its members; a member's household is its submission
            if matches!(*c, "members") || (*c == "household_id" && names.contains(c)) {
                continue;
            }
            assert!(names.contains(c), "{c} is asked");
        }
        // every select's list has choices
        let lists: Vec<String> = choices().into_iter().map(|c| c.0).collect();
        for q in questions() {
            if let Some(list) = q.kind.split_whitespace().nth(1) {
                assert!(lists.iter().any(|l| l == list), "{}: {list}", q.name);
            }
        }
    }
}
