//! The `classify` use case: a survey's files in, one classification record per household out, in
//! input order, every bad value reported; optionally a summary.

use crate::summary::SurveySummary;
use giamngheo_rules::chrono::Datelike;
use giamngheo_rules::{msg, InputError, Msg, Standard, Standards};
use giamngheo_survey::output::{Format, ResultWriter};
use giamngheo_survey::{RowError, SurveyItem, SurveyReader};
use std::io::{self, Write};
use std::path::PathBuf;

/// What to classify and how.
#[derive(Debug, Clone)]
pub struct ClassifyOptions {
    pub households: PathBuf,
    pub members: Option<PathBuf>,
    /// Apply this standard to every household instead of choosing by survey year.
    pub standard: Option<String>,
    pub format: Format,
    /// Classify the valid households even when some are rejected.
    pub keep_going: bool,
    /// Alkire-Foster cut-off for the summary.
    pub k: u32,
}

/// How a run went.
#[derive(Debug, Clone, Default)]
pub struct ClassifyReport {
    pub classified: u64,
    pub rejected: u64,
    /// Number of error lines written.
    pub errors: u64,
    /// Members were held in memory because the files list households in different orders.
    pub members_buffered: bool,
    pub summary: SurveySummary,
}

#[derive(Debug, thiserror::Error)]
pub enum ClassifyError {
    #[error("{0}")]
    UnknownStandard(Msg),
    #[error("{0}")]
    Io(#[from] io::Error),
}

/// The standards known, for messages: "vn-2022-2025 for 2022-2026, ..." in the language shown.
pub fn known_standards(standards: &Standards) -> String {
    let lang = giamngheo_rules::text::display_lang();
    standards
        .all()
        .iter()
        .map(|s| {
            msg!(
                "standard_span",
                id = &s.id,
                from = s.review_years.from,
                to = s.review_years.to
            )
            .render(lang)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Classifies a survey. Records go to `out` as they are made; error lines to `err`. Returns
/// `Ok` with the report even when rows were rejected: the caller decides what that means. When
/// the header of a file is wrong nothing can be read: the errors are written and the report says
/// so with `errors > 0` and nothing classified.
pub fn classify<W: Write>(
    standards: &Standards,
    opts: &ClassifyOptions,
    out: W,
    err: &mut dyn Write,
) -> Result<(W, ClassifyReport), ClassifyError> {
    classify_with_progress(standards, opts, out, err, &mut |_, _| {})
}

/// As [`classify`], calling `progress(bytes read, bytes in all)` of the households file now and
/// then (both 0 when the file's size says nothing, as for a workbook).
pub fn classify_with_progress<W: Write>(
    standards: &Standards,
    opts: &ClassifyOptions,
    out: W,
    err: &mut dyn Write,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<(W, ClassifyReport), ClassifyError> {
    let fixed: Option<&Standard> = match &opts.standard {
        Some(id) => Some(standards.get(id).ok_or_else(|| {
            ClassifyError::UnknownStandard(msg!(
                "unknown_standard",
                id = id,
                known = known_standards(standards)
            ))
        })?),
        None => None,
    };
    let mut report = ClassifyReport {
        summary: SurveySummary::new(opts.k),
        ..Default::default()
    };
    let mut reader = match SurveyReader::open_with(
        &opts.households,
        opts.members.as_deref(),
        standards,
        false,
    ) {
        Ok(r) => r,
        Err(errors) => {
            for e in &errors {
                writeln!(err, "{e}")?;
            }
            report.errors = errors.len() as u64;
            return Ok((out, report));
        }
    };
    let mut writer = ResultWriter::new(out, opts.format)?;
    let mut seen: u64 = 0;
    while let Some(item) = reader.next() {
        seen += 1;
        if seen.is_multiple_of(8192) {
            let (done, all) = reader.progress();
            progress(done, all);
        }
        for e in reader.take_stray() {
            writeln!(err, "{e}")?;
            report.errors += 1;
        }
        let item = match item {
            Ok(item) => item,
            Err(errors) => {
                report.rejected += 1;
                for e in &errors {
                    writeln!(err, "{e}")?;
                }
                report.errors += errors.len() as u64;
                continue;
            }
        };
        let hh = &item.household;
        let std = match fixed.or_else(|| standards.for_year(hh.household.survey_date.year())) {
            Some(s) => s,
            None => {
                report.rejected += 1;
                report.errors += 1;
                writeln!(
                    err,
                    "{}",
                    RowError::new(
                        reader.households_name(),
                        hh.row,
                        "survey_date",
                        msg!(
                            "no_standard_for_year_cli",
                            year = hh.household.survey_date.year(),
                            known = known_standards(standards)
                        ),
                    )
                )?;
                continue;
            }
        };
        match std.assess(&hh.household, item.members.as_deref()) {
            Ok(a) => {
                writer.write(&hh.household.id, std, &a)?;
                report.summary.add(std, &a);
                report.classified += 1;
            }
            Err(errors) => {
                report.rejected += 1;
                for e in &errors {
                    writeln!(err, "{}", input_error(&reader, &item, e))?;
                }
                report.errors += errors.len() as u64;
            }
        }
    }
    report.members_buffered = reader.buffered();
    for e in reader.finish() {
        writeln!(err, "{e}")?;
        report.errors += 1;
    }
    let out = writer.finish()?;
    Ok((out, report))
}

/// Names the file, row and column of an error the rules found.
pub(crate) fn input_error(reader: &SurveyReader, item: &SurveyItem, e: &InputError) -> RowError {
    let hh = &item.household;
    let member = e
        .member
        .and_then(|i| item.members.as_ref().and_then(|ms| ms.get(i)));
    match member {
        Some(m) => RowError::new(
            &reader
                .members_name()
                .unwrap_or_else(|| reader.households_name().clone()),
            m.row,
            e.field,
            msg!("of_household", household = &hh.household.id).nested("message", e.message.clone()),
        ),
        None => RowError::new(reader.households_name(), hh.row, e.field, e.message.clone()),
    }
}
