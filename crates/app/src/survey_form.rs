//! Phiếu B on a page: one household's survey of a review, entered by the commune officer at a
//! screened case. The answers are written as the exchange format's two files and go through the
//! importer itself, so the form meets every check and message an uploaded file would (the
//! rules' required answers, personal IDs held elsewhere, a survey date outside the year). A
//! check classifies without storing; a save replaces the household's assessment of the year and
//! takes the case's survey step with the class the rules engine gave.

use crate::import::{FileOutcome, ImportOptions, SurveyFiles};
use crate::registry::{QueryError, Scoped};
use giamngheo_rules::review::{Event, Step};
use giamngheo_rules::{msg, Class, ClassReason};
use giamngheo_store::CaseRow;
use giamngheo_survey::parse::{HOUSEHOLD_COLUMNS, MEMBER_COLUMNS};
use giamngheo_survey::{RowError, SurveyReader};
use serde_json::Value;
use std::collections::BTreeMap;

/// The file names the form's answers are checked under (errors name them, and the page maps a
/// households row to the household's fields, a members row to its member).
pub const HOUSEHOLDS_FILE: &str = "households.csv";
pub const MEMBERS_FILE: &str = "members.csv";

/// The household's columns the form asks (the code, commune and member count are the case's).
pub fn household_fields() -> impl Iterator<Item = &'static str> {
    HOUSEHOLD_COLUMNS
        .iter()
        .copied()
        .filter(|c| !matches!(*c, "household_id" | "commune_code" | "members"))
}

/// The members' columns the form asks (the household and the member's number are the form's).
pub fn member_fields() -> impl Iterator<Item = &'static str> {
    MEMBER_COLUMNS
        .iter()
        .copied()
        .filter(|c| !matches!(*c, "household_id" | "member_no"))
}

/// A survey as the form holds it: the household's answers and each member's, by column.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SurveyAnswers {
    pub household: BTreeMap<String, String>,
    pub members: Vec<BTreeMap<String, String>>,
}

impl SurveyAnswers {
    /// The members with anything written (a blank row of the form is no member).
    fn members_given(&self) -> impl Iterator<Item = &BTreeMap<String, String>> {
        self.members
            .iter()
            .filter(|m| m.values().any(|v| !v.trim().is_empty()))
    }
}

/// The form of a case: the case and the answers it starts from (the household's latest survey
/// up to the review's year, and from which year).
#[derive(Debug, Clone)]
pub struct SurveyForm {
    pub case: CaseRow,
    pub year: i32,
    pub from_year: Option<i32>,
    pub answers: SurveyAnswers,
}

/// The class the rules engine gives the answers, and why.
#[derive(Debug, Clone)]
pub struct Proposal {
    pub class: Class,
    pub reason: ClassReason,
    /// The indicators lacked, as (code, Vietnamese name, English name).
    pub deprived: Vec<(String, String, String)>,
}

/// How a check or a save went: the importer's errors and warnings, or the class.
#[derive(Debug, Clone, Default)]
pub struct SurveyChecked {
    pub errors: Vec<RowError>,
    pub warnings: Vec<RowError>,
    pub proposal: Option<Proposal>,
    pub saved: bool,
}

fn text(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::Bool(b)) => if *b { "1" } else { "0" }.to_string(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// The form's answers from an assessment's stored answers.
fn answers_of(stored: &Value) -> SurveyAnswers {
    let household = household_fields()
        .map(|c| {
            let v = match c {
                "area" if stored.get("area_given") != Some(&Value::Bool(true)) => String::new(),
                c => text(stored.get(c)),
            };
            (c.to_string(), v)
        })
        .collect();
    let members = stored
        .get("members")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|m| {
            member_fields()
                .map(|c| {
                    let v = match (c, text(m.get(c)).as_str()) {
                        ("disability", "none") => String::new(),
                        (_, v) => v.to_string(),
                    };
                    (c.to_string(), v)
                })
                .collect()
        })
        .collect();
    SurveyAnswers { household, members }
}

/// One CSV record's field: quoted when it must be.
fn field(v: &str) -> String {
    let v = v.trim();
    if v.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v.to_string()
    }
}

impl Scoped<'_> {
    /// A case of the review the user runs, still to be surveyed.
    async fn case_to_survey(
        &self,
        review: i64,
        case: i64,
    ) -> Result<(giamngheo_store::ReviewRow, CaseRow), QueryError> {
        let (r, _) = self.commune_review(review).await?;
        let c = self
            .registry
            .store
            .cases(r.id, None)
            .await?
            .into_iter()
            .find(|c| c.id == case)
            .ok_or(crate::access::Denied::NotFound)?;
        if c.step != Step::Screened.code() {
            return Err(QueryError::Invalid(msg!(
                "review_form_not_screened",
                household = &c.household_code
            )));
        }
        Ok((r, c))
    }

    /// The form of a screened case, filled from the household's latest survey up to the
    /// review's year (the survey date left for the officer).
    pub async fn survey_form(&self, review: i64, case: i64) -> Result<SurveyForm, QueryError> {
        let (r, c) = self.case_to_survey(review, case).await?;
        let latest = self
            .registry
            .store
            .latest_answers(c.household_id, r.year)
            .await?;
        let (from_year, mut answers) = match latest {
            Some((year, json)) => {
                let stored: Value = serde_json::from_str(&json).map_err(|e| {
                    QueryError::Store(giamngheo_store::StoreError::Invalid(e.to_string()))
                })?;
                (Some(year), answers_of(&stored))
            }
            None => (None, SurveyAnswers::default()),
        };
        if from_year != Some(r.year) {
            // a new year's interview has its own date
            answers
                .household
                .insert("survey_date".into(), String::new());
        }
        if answers
            .household
            .get("village")
            .is_none_or(|v| v.is_empty())
        {
            if let Some(v) = &c.village {
                answers.household.insert("village".into(), v.clone());
            }
        }
        if answers
            .household
            .get("head_name")
            .is_none_or(|v| v.is_empty())
        {
            if let Some(v) = &c.head_name {
                answers.household.insert("head_name".into(), v.clone());
            }
        }
        Ok(SurveyForm {
            case: c,
            year: r.year,
            from_year,
            answers,
        })
    }

    /// Checks a case's answers as the importer would and classifies them; with `save`, and no
    /// error, stores them as the household's survey of the year and takes the survey step with
    /// the class found. Nothing is stored when any check fails.
    pub async fn submit_survey(
        &self,
        review: i64,
        case: i64,
        answers: &SurveyAnswers,
        save: bool,
    ) -> Result<SurveyChecked, QueryError> {
        let (r, c) = self.case_to_survey(review, case).await?;
        let dir = tempfile::tempdir().map_err(io_error)?;
        let files = SurveyFiles {
            households: dir.path().join(HOUSEHOLDS_FILE),
            members: Some(dir.path().join(MEMBERS_FILE)),
        };
        let mut h_header: Vec<&str> = vec!["household_id", "commune_code"];
        h_header.extend(household_fields());
        let mut h_row = vec![field(&c.household_code), field(&c.commune_code)];
        h_row.extend(
            household_fields().map(|f| field(answers.household.get(f).map_or("", String::as_str))),
        );
        let households = format!("{}\n{}\n", h_header.join(","), h_row.join(","));
        let mut members = MEMBER_COLUMNS.join(",");
        members.push('\n');
        for (i, m) in answers.members_given().enumerate() {
            let mut row = vec![field(&c.household_code), (i + 1).to_string()];
            row.extend(member_fields().map(|f| field(m.get(f).map_or("", String::as_str))));
            members.push_str(&row.join(","));
            members.push('\n');
        }
        std::fs::write(&files.households, households).map_err(io_error)?;
        if let Some(m) = &files.members {
            std::fs::write(m, members).map_err(io_error)?;
        }
        let mut out = SurveyChecked {
            proposal: self.propose(&files),
            ..Default::default()
        };
        let opts = ImportOptions {
            year: r.year,
            who: self.who(),
            scope: Some(self.actor.clone()),
            replace: true,
            dry_run: !save,
            ..Default::default()
        };
        let report = crate::import::import_survey(
            &self.registry.store,
            self.registry.standards(),
            &opts,
            &files,
            &mut |_, _| {},
        )
        .await?;
        out.errors = report.errors;
        out.warnings = report.warnings;
        if !out.errors.is_empty() {
            out.proposal = None;
            return Ok(out);
        }
        if save {
            if !matches!(report.outcome, FileOutcome::Imported { .. }) {
                return Err(QueryError::Invalid(msg!("review_nothing_to_do")));
            }
            let class = out
                .proposal
                .as_ref()
                .map(|p| p.class)
                .ok_or(QueryError::Invalid(msg!("review_nothing_to_do")))?;
            self.take_step(r.id, &[c.id], &Event::Survey { class })
                .await?;
            out.saved = true;
        }
        Ok(out)
    }

    /// The class the review year's standard gives the form's files (`None` when they do not
    /// read or classify: the importer's errors then say why).
    fn propose(&self, files: &SurveyFiles) -> Option<Proposal> {
        let standards = self.registry.standards();
        let mut reader = SurveyReader::open_units(
            &files.households,
            files.members.as_deref(),
            standards,
            true,
            false,
        )
        .ok()?;
        let item = reader.next()?.ok()?;
        use giamngheo_rules::chrono::Datelike;
        let hh = &item.household.household;
        let std = standards.for_year(hh.survey_date.year())?;
        let a = std.assess(hh, item.members.as_deref()).ok()?;
        let reason = std.reason(
            a.area,
            a.income_line,
            hh.income_per_capita,
            hh.b1_score,
            a.class,
            a.deprivation_count(),
        );
        let deprived = a
            .deprived
            .iter()
            .filter_map(|i| std.indicators.get(i))
            .map(|i| (i.code.clone(), i.name_vi.clone(), i.name_en.clone()))
            .collect();
        Some(Proposal {
            class: a.class,
            reason,
            deprived,
        })
    }
}

fn io_error(e: std::io::Error) -> QueryError {
    QueryError::Store(giamngheo_store::StoreError::Invalid(e.to_string()))
}
