//! The `import` use case: survey files of a review year into the registry, one transaction per
//! file. A file with any bad row, conflict or duplicate is not imported at all; the same file
//! imported again is recognised and left alone.

use crate::text::{birth_text, fold_name, nfc};
use giamngheo_rules::chrono::Datelike;
use giamngheo_rules::{msg, Assessment, Household, Lang, Msg, Standard, Standards};
use giamngheo_store::{
    AssessmentRow, Begin, Conflict, HouseholdRow, ImportMeta, MemberRow, Store, Who, IMPORT_BATCH,
};
use giamngheo_survey::{HouseholdRecord, MemberRecord, RowError, SurveyItem, SurveyReader};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use xxhash_rust::xxh3::xxh3_64;

/// One survey to import: a households file (CSV, or a workbook with both sheets) and its members
/// file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyFiles {
    pub households: PathBuf,
    pub members: Option<PathBuf>,
}

impl SurveyFiles {
    /// The survey a path names: a workbook; a directory holding `households.csv` and
    /// `members.csv`; or a households CSV whose members file has the same name with `members`
    /// in place of `households` (or, for an ODK Central export `FORM.csv`, `FORM-members.csv`).
    pub fn find(path: &Path) -> Result<SurveyFiles, Msg> {
        if path.is_dir() {
            let (h, m) = (path.join("households.csv"), path.join("members.csv"));
            if !h.is_file() {
                return Err(msg!("cli_no_households_csv", path = path.display()));
            }
            return Ok(SurveyFiles {
                households: h,
                members: m.is_file().then_some(m),
            });
        }
        if !path.is_file() {
            return Err(msg!("cli_no_such_file", path = path.display()));
        }
        if giamngheo_survey::source::is_xlsx(path) {
            return Ok(SurveyFiles {
                households: path.to_path_buf(),
                members: None,
            });
        }
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let members = name
            .contains("households")
            .then(|| path.with_file_name(name.replacen("households", "members", 1)))
            .filter(|m| m.is_file())
            // ODK Central names the repeat's export after the form's
            .or_else(|| crate::odk::members_beside(path));
        Ok(SurveyFiles {
            households: path.to_path_buf(),
            members,
        })
    }

    /// SHA-256 of the files' contents, in hex.
    pub fn sha256(&self) -> io::Result<String> {
        let mut hasher = Sha256::new();
        for p in std::iter::once(&self.households).chain(self.members.iter()) {
            let mut f = std::fs::File::open(p)?;
            let mut buf = vec![0u8; 1 << 20];
            loop {
                let n = f.read(&mut buf)?;
                if n == 0 {
                    break;
                }
                hasher.update(&buf[..n]);
            }
            hasher.update(b"\0");
        }
        Ok(hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect())
    }
}

/// What became of one survey.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileOutcome {
    Imported {
        import_id: i64,
        households: u64,
        members: u64,
    },
    AlreadyImported {
        import_id: i64,
    },
    /// Nothing of the file was stored.
    Rejected {
        errors: u64,
    },
    /// Checked as an import would be and rolled back (a dry run): it would import.
    Checked {
        households: u64,
        members: u64,
    },
}

/// A survey's outcome with its errors and warnings, each naming file, row and column.
#[derive(Debug, Clone)]
pub struct FileReport {
    pub files: SurveyFiles,
    pub outcome: FileOutcome,
    pub errors: Vec<RowError>,
    /// Possible duplicates that do not stop the import (same folded name, birth date and
    /// commune as another person).
    pub warnings: Vec<RowError>,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{0}")]
    Store(#[from] giamngheo_store::StoreError),
    #[error("{0}")]
    Io(#[from] io::Error),
}

/// How a survey is to be imported.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// The review year the survey is of.
    pub year: i32,
    /// A standard forced in place of the year's.
    pub standard: Option<String>,
    /// The survey gives pre-2025 commune codes: each household is stored under the 2025
    /// commune the crosswalk maps its old commune to, the old code kept with its answers.
    pub legacy_units: bool,
    /// Who imports, for the audit log (the command line's user by default).
    pub who: Who,
    /// The web user importing: households of communes outside what they may import are
    /// errors. `None` for the command line, which may import anything.
    pub scope: Option<crate::access::Actor>,
    /// A household's assessment of the year already in the registry is replaced rather than a
    /// conflict; the same content may be saved again.
    pub replace: bool,
    /// Every check of the import, nothing stored.
    pub dry_run: bool,
    /// The year was decided before it came in: each household's decision comes from its
    /// `x_decision_number` and `x_decision_date` columns, or else from here, and the import
    /// records the communes' decided cases.
    pub decided: Option<Decided>,
}

/// The decision an imported year's households were recognised by, where the file does not say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Decided {
    pub number: Option<String>,
    pub on: Option<giamngheo_rules::NaiveDate>,
}

/// A household's decision, from its row's columns or the import's defaults.
fn decision_of(
    hh: &HouseholdRecord,
    decided: &Decided,
    name: &Arc<str>,
) -> Result<(String, giamngheo_rules::NaiveDate), RowError> {
    let extra = |k: &str| {
        hh.extra
            .iter()
            .find(|(c, _)| c == k)
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let number = extra("x_decision_number")
        .or_else(|| decided.number.clone())
        .ok_or_else(|| {
            RowError::new(
                name,
                hh.row,
                "x_decision_number",
                msg!("decision_number_missing"),
            )
        })?;
    let on = match extra("x_decision_date") {
        Some(d) => d.parse().map_err(|_| {
            RowError::new(
                name,
                hh.row,
                "x_decision_date",
                msg!("decision_date_bad", value = d),
            )
        })?,
        None => decided.on.ok_or_else(|| {
            RowError::new(
                name,
                hh.row,
                "x_decision_date",
                msg!("decision_date_missing"),
            )
        })?,
    };
    Ok((number, on))
}

impl ImportOptions {
    pub fn year(year: i32) -> ImportOptions {
        ImportOptions {
            year,
            ..Default::default()
        }
    }
}

/// Imports one survey for a review year. A refused survey is recorded in the audit log, with its
/// file, its SHA-256, its number of errors and the first of them.
pub async fn import_survey(
    store: &Store,
    standards: &Standards,
    opts: &ImportOptions,
    files: &SurveyFiles,
    progress: &mut (dyn FnMut(u64, u64) + Send),
) -> Result<FileReport, ImportError> {
    // an ODK Central export is read as the exchange format it is turned into, its errors named
    // after the files given
    let odk_dir;
    let mut kobo = None;
    let read = if let Some(sheet) = crate::kobo::kobo_sheet(&files.households) {
        odk_dir = tempfile::tempdir()?;
        match crate::kobo::convert(&files.households, &sheet, odk_dir.path()) {
            Ok(c) => {
                let read = c.files.clone();
                kobo = Some(c);
                read
            }
            Err(errors) => {
                let report = FileReport {
                    files: files.clone(),
                    outcome: FileOutcome::Rejected {
                        errors: errors.len() as u64,
                    },
                    errors,
                    warnings: Vec::new(),
                };
                return Ok(report);
            }
        }
    } else if crate::odk::is_odk_export(&files.households) {
        odk_dir = tempfile::tempdir()?;
        match crate::odk::convert(files, odk_dir.path()) {
            Ok(f) => f,
            Err(errors) => {
                let report = FileReport {
                    files: files.clone(),
                    outcome: FileOutcome::Rejected {
                        errors: errors.len() as u64,
                    },
                    errors,
                    warnings: Vec::new(),
                };
                return Ok(report);
            }
        }
    } else {
        files.clone()
    };
    let report = import_checked(store, standards, opts, files, &read, progress).await?;
    let report = match &kobo {
        Some(c) => {
            let mut report = report;
            for e in report.errors.iter_mut().chain(report.warnings.iter_mut()) {
                c.rename(e);
            }
            report
        }
        None => renamed(report, &read, files),
    };
    if let (FileOutcome::Rejected { errors }, false) = (&report.outcome, opts.dry_run) {
        let file = |p: &Path| {
            p.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        };
        let after = serde_json::json!({
            "year": opts.year,
            "file": file(&files.households),
            "members_file": files.members.as_deref().map(file),
            "sha256": files.sha256().ok(),
            "errors": errors,
            "first_error": report.errors.first().map(|e| e.message.render(Lang::En)),
        });
        store
            .audit(
                &opts.who,
                &giamngheo_store::Change {
                    action: "import.refused".into(),
                    record: format!("import:{}", opts.year),
                    unit_code: opts
                        .scope
                        .as_ref()
                        .and_then(|a| a.unit.map(|u| u.to_string())),
                    after: Some(after.to_string()),
                    ..Default::default()
                },
            )
            .await?;
    }
    Ok(report)
}

/// Errors found in the files read named after the files given (an ODK export's conversion).
fn renamed(mut report: FileReport, read: &SurveyFiles, given: &SurveyFiles) -> FileReport {
    if read == given {
        return report;
    }
    let pairs: Vec<(String, String)> = [
        (Some(&read.households), Some(&given.households)),
        (read.members.as_ref(), given.members.as_ref()),
    ]
    .into_iter()
    .filter_map(|(r, g)| Some((r?.display().to_string(), g?.display().to_string())))
    .collect();
    for e in report.errors.iter_mut().chain(report.warnings.iter_mut()) {
        if let Some((from, to)) = pairs
            .iter()
            .find(|(from, _)| e.file.starts_with(from.as_str()))
        {
            e.file = format!("{to}{}", &e.file[from.len()..]).into();
        }
    }
    report
}

async fn import_checked(
    store: &Store,
    standards: &Standards,
    opts: &ImportOptions,
    files: &SurveyFiles,
    read: &SurveyFiles,
    progress: &mut (dyn FnMut(u64, u64) + Send),
) -> Result<FileReport, ImportError> {
    let (year, standard) = (opts.year, opts.standard.as_deref());
    let scope = opts.scope.as_ref();
    let mut report = FileReport {
        files: files.clone(),
        outcome: FileOutcome::Rejected { errors: 0 },
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    let name: Arc<str> = files.households.display().to_string().into();
    let std: &Standard = match standard
        .map(|id| standards.get(id).ok_or(id))
        .unwrap_or_else(|| standards.for_year(year).ok_or(""))
    {
        Ok(s) => s,
        Err(id) => {
            let known = crate::classify::known_standards(standards);
            let message = if id.is_empty() {
                msg!("no_standard_for_year", year = year, known = known)
            } else {
                msg!("unknown_standard", id = id, known = known)
            };
            report.errors.push(RowError::file(&name, message));
            report.outcome = FileOutcome::Rejected { errors: 1 };
            return Ok(report);
        }
    };
    let meta = ImportMeta {
        year,
        file_name: files
            .households
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        sha256: if opts.replace {
            // each save of a form is its own import, even when it repeats an earlier one
            let now = giamngheo_rules::chrono::Utc::now().to_rfc3339();
            let mut h = Sha256::new();
            h.update(files.sha256()?.as_bytes());
            h.update(now.as_bytes());
            h.finalize().iter().map(|b| format!("{b:02x}")).collect()
        } else {
            files.sha256()?
        },
        who: opts.who.clone(),
        replace: opts.replace,
        decided: opts.decided.is_some(),
    };
    let mut tx = match store.begin_import(&meta).await? {
        Begin::AlreadyImported { import_id, .. } => {
            report.outcome = FileOutcome::AlreadyImported { import_id };
            return Ok(report);
        }
        Begin::Started(tx) => tx,
    };
    let reader = match SurveyReader::open_units(
        &read.households,
        read.members.as_deref(),
        standards,
        true,
        opts.legacy_units,
    ) {
        Ok(r) => r,
        Err(errors) => {
            report.outcome = FileOutcome::Rejected {
                errors: errors.len() as u64,
            };
            report.errors = errors;
            return Ok(report);
        }
    };
    // rows are named as the reader names them (a workbook's with its sheet)
    let name = reader.households_name().clone();
    // reading, checking, classifying and building rows run on their own thread while this one
    // writes the batches before
    let (sender, mut batches) = tokio::sync::mpsc::channel::<Produced>(4);
    let producer = {
        let std = std.clone();
        let name = name.clone();
        std::thread::Builder::new()
            .name("import-read".into())
            .spawn({
                let scope = opts.scope.clone();
                let decided = opts.decided.clone();
                move || {
                    produce(
                        reader,
                        &std,
                        year,
                        (scope.as_ref(), decided.as_ref()),
                        &name,
                        &sender,
                    )
                }
            })?
    };
    let (mut households, mut members) = (0u64, 0u64);
    // rows of the households of the last batch written, to name them in conflicts
    let mut at: Vec<(u64, Vec<u64>)> = Vec::new();
    let mut names = (name.clone(), name.clone());
    while let Some(batch) = batches.recv().await {
        progress(batch.progress.0, batch.progress.1);
        report.errors.extend(batch.errors);
        report.warnings.extend(batch.warnings);
        names.1 = batch.members_name;
        if batch.rows.is_empty() {
            continue;
        }
        households += batch.rows.len() as u64;
        members += batch
            .rows
            .iter()
            .map(|r| r.members.len() as u64)
            .sum::<u64>();
        for row in batch.rows {
            tx.add(row);
        }
        at = batch.at;
        // every batch is written, even in a file that will not be committed, so that every
        // conflict is named
        let conflicts = tx.flush().await?;
        report
            .errors
            .extend(located(&conflicts, &at, &names.0, &names.1, scope));
        let namesakes = tx.take_possible_duplicates();
        report
            .warnings
            .extend(located(&namesakes, &at, &names.0, &names.1, scope));
    }
    if producer.join().is_err() {
        report
            .errors
            .push(RowError::file(&name, msg!("reader_stopped")));
    }
    let (name, members_name, pending) = (names.0, names.1, at);
    if report.errors.is_empty() && households == 0 {
        report
            .errors
            .push(RowError::file(&name, msg!("no_household")));
    }
    if report.errors.is_empty() && opts.dry_run {
        let conflicts = tx.check().await?;
        report
            .errors
            .extend(located(&conflicts, &pending, &name, &members_name, scope));
        report.outcome = if report.errors.is_empty() {
            FileOutcome::Checked {
                households,
                members,
            }
        } else {
            FileOutcome::Rejected {
                errors: report.errors.len() as u64,
            }
        };
        return Ok(report);
    }
    if report.errors.is_empty() {
        match tx.commit().await? {
            Ok(import_id) => {
                report.outcome = FileOutcome::Imported {
                    import_id,
                    households,
                    members,
                };
                return Ok(report);
            }
            Err(conflicts) => {
                report
                    .errors
                    .extend(located(&conflicts, &pending, &name, &members_name, scope));
                report.outcome = FileOutcome::Rejected {
                    errors: report.errors.len() as u64,
                };
            }
        }
    } else {
        // dropping the transaction rolls every row of the file back
        drop(tx);
        report.outcome = FileOutcome::Rejected {
            errors: report.errors.len() as u64,
        };
    }
    Ok(report)
}

/// A batch of households ready to write, with the errors and warnings met while reading it.
struct Produced {
    rows: Vec<HouseholdRow>,
    /// Each household's row and its members' rows.
    at: Vec<(u64, Vec<u64>)>,
    errors: Vec<RowError>,
    warnings: Vec<RowError>,
    progress: (u64, u64),
    members_name: Arc<str>,
}

/// Reads, checks and classifies the survey, and sends its households in batches of
/// [`IMPORT_BATCH`] (the last one carries the errors found at the end of the files).
fn produce(
    mut reader: SurveyReader,
    std: &Standard,
    year: i32,
    (scope, decided): (Option<&crate::access::Actor>, Option<&Decided>),
    name: &Arc<str>,
    out: &tokio::sync::mpsc::Sender<Produced>,
) {
    let members_name = reader.members_name().unwrap_or_else(|| name.clone());
    let new_batch = |reader: &SurveyReader| Produced {
        rows: Vec::with_capacity(IMPORT_BATCH),
        at: Vec::with_capacity(IMPORT_BATCH),
        errors: Vec::new(),
        warnings: Vec::new(),
        progress: reader.progress(),
        members_name: members_name.clone(),
    };
    // personal IDs and (folded name, birth date, commune) met in this file, to the first row: 12
    // bytes an entry (the ID's digits as a number; a 64-bit hash of the rest, whose rare
    // collision would cost a spurious warning), sized for the file at once so that growing
    // never holds two tables
    let expected = (reader.progress().1 / 24).clamp(1024, 1 << 27) as usize;
    // (about half the members carry an ID)
    let mut ids: hashbrown::HashMap<u64, u32> = hashbrown::HashMap::with_capacity(expected / 2);
    let mut people: hashbrown::HashMap<u64, u32> = hashbrown::HashMap::with_capacity(expected);
    let row32 = |row: u64| u32::try_from(row).unwrap_or(u32::MAX);
    let mut batch = new_batch(&reader);
    while let Some(item) = reader.next() {
        batch.errors.extend(reader.take_stray());
        let item = match item {
            Ok(item) => item,
            Err(errors) => {
                batch.errors.extend(errors);
                continue;
            }
        };
        let hh = &item.household;
        if scope.is_some_and(|a| !a.may_import(&hh.commune.code)) {
            batch.errors.push(RowError::new(
                name,
                hh.row,
                "commune_code",
                msg!(
                    "outside_scope",
                    code = &hh.commune.code,
                    name = &hh.commune.name
                ),
            ));
            continue;
        }
        if hh.household.survey_date.year() != year {
            batch.errors.push(RowError::new(
                name,
                hh.row,
                "survey_date",
                msg!("not_in_year", date = hh.household.survey_date, year = year),
            ));
            continue;
        }
        let assessment = match std.assess(&hh.household, item.members.as_deref()) {
            Ok(a) => a,
            Err(errors) => {
                for e in &errors {
                    batch
                        .errors
                        .push(crate::classify::input_error(&reader, &item, e));
                }
                continue;
            }
        };
        let mut duplicate = false;
        for m in item.members.iter().flatten() {
            if let Some(id) = &m.id_number {
                let digits = id.as_str().parse::<u64>().unwrap_or(u64::MAX);
                if let Some(first) = ids.insert(digits, row32(m.row)) {
                    batch.errors.push(RowError::new(
                        &members_name,
                        m.row,
                        "id_number",
                        msg!("id_also_on_row", id = id, first = first),
                    ));
                    duplicate = true;
                }
            }
            if let Some(n) = &m.full_name {
                let key = format!(
                    "{}\0{}\0{}",
                    fold_name(n),
                    m.member.birth_date,
                    hh.commune.code
                );
                if let Some(first) = people.insert(xxh3_64(key.as_bytes()), row32(m.row)) {
                    batch.warnings.push(RowError::new(
                        &members_name,
                        m.row,
                        "full_name",
                        msg!("possibly_same_row", first = first),
                    ));
                }
            }
        }
        if duplicate {
            continue;
        }
        let decision = match decided.map(|d| decision_of(hh, d, name)).transpose() {
            Ok(d) => d,
            Err(e) => {
                batch.errors.push(e);
                continue;
            }
        };
        let mut row = household_row(std, year, &item, &assessment);
        row.decision = decision;
        batch.rows.push(row);
        batch.at.push((
            hh.row,
            item.members.iter().flatten().map(|m| m.row).collect(),
        ));
        if batch.rows.len() >= IMPORT_BATCH {
            let full = std::mem::replace(&mut batch, new_batch(&reader));
            if out.blocking_send(full).is_err() {
                // the writer has stopped: nothing more to do
                return;
            }
        }
    }
    batch.progress = reader.progress();
    batch.errors.extend(reader.finish());
    // a closed channel means the writer stopped on an error of its own, which it reports
    let _ = out.blocking_send(batch);
}

/// Conflicts of a batch, named by file, row and column.
fn located(
    conflicts: &[Conflict],
    pending: &[(u64, Vec<u64>)],
    households: &Arc<str>,
    members: &Arc<str>,
    scope: Option<&crate::access::Actor>,
) -> Vec<RowError> {
    conflicts
        .iter()
        .map(|c| {
            // where a record of a unit the user may not see is, is not theirs to learn
            let hidden = match (&c.other_commune, scope) {
                (Some(commune), Some(actor)) => !actor.sees_commune(commune),
                _ => false,
            };
            let message = if hidden {
                if c.column == "id_number" {
                    msg!("id_elsewhere")
                } else {
                    msg!("value_elsewhere")
                }
            } else {
                c.message.clone()
            };
            let rows = pending.get(c.index);
            let (file, row) = match (c.member, rows) {
                (Some(m), Some((_, ms))) => (members, ms.get(m).copied().unwrap_or(0)),
                (_, Some((h, _))) => (households, *h),
                _ => (households, 0),
            };
            RowError::new(file, row, c.column, message)
        })
        .collect()
}

fn household_row(std: &Standard, year: i32, item: &SurveyItem, a: &Assessment) -> HouseholdRow {
    let hh: &HouseholdRecord = &item.household;
    let members: &[MemberRecord] = item.members.as_deref().unwrap_or_default();
    let head = members
        .iter()
        .find(|m| m.member.relation == Some(giamngheo_rules::Relation::Head))
        .or(members.first());
    let head_ethnic = head.and_then(|m| m.ethnicity);
    let is_minority = head_ethnic.is_some_and(|e| e != 1);
    HouseholdRow {
        commune_code: hh.commune.code.clone(),
        code: hh.household.id.clone(),
        village: hh.village.as_deref().map(nfc),
        head_name: hh
            .head_name
            .as_deref()
            .or(head.and_then(|m| m.full_name.as_deref()))
            .map(nfc),
        members: members
            .iter()
            .map(|m| MemberRow {
                member_no: m.member_no as i32,
                full_name: m.full_name.as_deref().map(nfc),
                name_key: m.full_name.as_deref().map(fold_name),
                id_number: m.id_number.map(|i| i.to_string()),
                birth_date: m.member.birth_date,
                birth_precision: i32::from(m.birth_precision),
                sex: m.member.sex,
                ethnic_code: m.ethnicity.map(|e| format!("{e:02}")),
                relation: m.member.relation.map(|r| r.code().to_string()),
            })
            .collect(),
        assessment: AssessmentRow {
            year,
            standard: std.id.clone(),
            survey_date: hh.household.survey_date,
            area: a.area,
            income_line: a.income_line,
            income_per_capita: hh.household.income_per_capita.map(|d| d.to_string()),
            b1_score: hh.household.b1_score.map(|d| d.to_string()),
            class: a.class,
            deprivations: a.deprived.0 as i64,
            deprivation_count: a.deprivation_count() as i32,
            without_working_capacity: a.without_working_capacity,
            is_minority,
            head_ethnic: head_ethnic.map(|e| format!("{e:02}")),
            members: hh.household.members as i32,
            answers: without_blanks(answers(std, &hh.household, hh, members)).to_string(),
        },
        decision: None,
    }
}

/// The answers without their blank values (nulls and empty objects), which a reader of the
/// JSON takes as missing anyway: a third less to store for every household and year.
fn without_blanks(mut v: Value) -> Value {
    fn strip(v: &mut Value) -> bool {
        match v {
            Value::Null => false,
            Value::Object(map) => {
                map.retain(|_, x| strip(x));
                !map.is_empty()
            }
            Value::Array(items) => {
                for x in items.iter_mut() {
                    strip(x);
                }
                true
            }
            _ => true,
        }
    }
    strip(&mut v);
    v
}

/// Every answer of the household and its members, as recorded, for the assessment's history:
/// enough to write the year's survey back out.
fn answers(
    std: &Standard,
    h: &Household,
    rec: &HouseholdRecord,
    members: &[MemberRecord],
) -> Value {
    let code = |c: Option<&'static str>| c.map(Value::from).unwrap_or(Value::Null);
    let recorded: serde_json::Map<String, Value> = std
        .indicators
        .iter()
        .filter_map(|i| {
            h.recorded
                .get(i.code_id)
                .map(|v| (format!("d_{}", i.code), Value::from(v)))
        })
        .collect();
    json!({
        "survey_date": h.survey_date.to_string(),
        "village": rec.village.as_deref().map(nfc),
        "legacy_commune": rec.legacy_commune,
        "head_name": rec.head_name.as_deref().map(nfc),
        "members_column": rec.members_column,
        "area": h.area.code(),
        "area_given": rec.area_given,
        "income_per_capita": h.income_per_capita.map(|d| d.to_string()),
        "b1_score": h.b1_score.map(|d| d.to_string()),
        "has_house": h.has_house,
        "nondurable_structures": h.nondurable_structures,
        "floor_area_m2": h.floor_area_m2.map(|d| d.to_string()),
        "water_source": code(h.water_source.map(|w| w.code())),
        "latrine": code(h.latrine.map(|l| l.code())),
        "internet": h.internet,
        "info_devices": h.info_devices.map(|d| d.to_string()),
        "waste": code(h.waste.map(|w| w.code())),
        "recorded": recorded,
        "extra": rec
            .extra
            .iter()
            .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
            .collect::<serde_json::Map<String, Value>>(),
        "members": members.iter().map(|m| {
            let x = &m.member;
            json!({
                "member_no": m.member_no,
                "full_name": m.full_name.as_deref().map(nfc),
                "id_number": m.id_number.map(|i| i.to_string()),
                "birth_date": birth_text(x.birth_date, m.birth_precision),
                "sex": x.sex.code(),
                "ethnicity": m.ethnicity.map(|e| format!("{e:02}")),
                "relation": code(x.relation.map(|r| r.code())),
                "health_insurance": x.health_insurance,
                "disability": x.disability.code(),
                "social_allowance": x.social_allowance,
                "labour": code(x.labour.map(|l| l.code())),
                "malnourished": x.malnourished,
                "schooling": code(x.schooling.map(|s| s.code())),
                "in_education": x.in_education,
                "education": code(x.education.map(|e| e.code())),
            })
        }).collect::<Vec<_>>(),
    })
}
