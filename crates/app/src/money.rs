//! The program's money as its officers handle it: capital plans and their revisions, allocations
//! to communes, payments, from a form or a file (CSV, or a sheet of an XLSX workbook, in the
//! format of `docs/money-format.md`). Every row is read and checked first against the
//! programme's catalogue and the user's scope, then written all or nothing with the store's own
//! checks (allocations within the province's plan, payments within the plan in force); every
//! refusal names the file, row and column.

use crate::access::{province_of, Actor, Denied};
use crate::registry::QueryError;
use giamngheo_rules::chrono::{Datelike, NaiveDate};
use giamngheo_rules::program::{Program, Programs};
use giamngheo_rules::{msg, Msg, UnitCode};
pub use giamngheo_store::{Disbursement, MoneyKey, MoneyLine, PlanDoc, PlanLine};
use giamngheo_store::{MoneyProblem, NewDisbursement, NewEstimate, NewPlan, Store, Who};
use giamngheo_survey::source::Source;
use giamngheo_survey::RowError;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

/// The columns of a plans file, in order; `note` and `origin_year` may be left out.
pub const PLAN_COLUMNS: [&str; 9] = [
    "unit_code",
    "budget_year",
    "document",
    "decided_on",
    "item",
    "source",
    "origin_year",
    "amount",
    "note",
];

/// The columns of a payments file, in order; `origin_year` and `advance_reason` may be left out.
pub const PAYMENT_COLUMNS: [&str; 9] = [
    "unit_code",
    "budget_year",
    "item",
    "source",
    "origin_year",
    "paid_on",
    "amount",
    "document",
    "advance_reason",
];

/// The columns of an estimates file, in order; `origin_year` may be left out.
pub const ESTIMATE_COLUMNS: [&str; 7] = [
    "unit_code",
    "budget_year",
    "item",
    "source",
    "origin_year",
    "as_of",
    "amount",
];

const OPTIONAL: [&str; 3] = ["note", "origin_year", "advance_reason"];

/// The sheet a workbook keeps plans in, payments, and estimates.
pub const PLAN_SHEET: &str = "ke_hoach_von";
pub const PAYMENT_SHEET: &str = "giai_ngan";
pub const ESTIMATE_SHEET: &str = "uoc_giai_ngan";

/// What a money file or form holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoneyKind {
    /// Capital plans and allocations.
    Plans,
    /// Disbursements.
    Payments,
    /// Estimates of each line's disbursement by the year's end.
    Estimates,
}

impl MoneyKind {
    pub const ALL: [MoneyKind; 3] = [MoneyKind::Plans, MoneyKind::Payments, MoneyKind::Estimates];

    /// `plans`, `payments`, `estimates`: as forms, files and URLs name it.
    pub fn code(self) -> &'static str {
        match self {
            MoneyKind::Plans => "plans",
            MoneyKind::Payments => "payments",
            MoneyKind::Estimates => "estimates",
        }
    }

    pub fn parse(code: &str) -> Option<MoneyKind> {
        MoneyKind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn columns(self) -> &'static [&'static str] {
        match self {
            MoneyKind::Plans => &PLAN_COLUMNS,
            MoneyKind::Payments => &PAYMENT_COLUMNS,
            MoneyKind::Estimates => &ESTIMATE_COLUMNS,
        }
    }

    pub fn sheet(self) -> &'static str {
        match self {
            MoneyKind::Plans => PLAN_SHEET,
            MoneyKind::Payments => PAYMENT_SHEET,
            MoneyKind::Estimates => ESTIMATE_SHEET,
        }
    }

    /// The message that says what a write took.
    pub fn done(self, w: &MoneyWritten) -> Msg {
        let key = match self {
            MoneyKind::Plans => "cli_money_plans",
            MoneyKind::Payments => "cli_money_payments",
            MoneyKind::Estimates => "cli_money_estimates",
        };
        Msg::new(key)
            .arg("records", w.records)
            .arg("lines", w.lines)
            .money("amount", w.amount)
    }

    /// Whether the actor may write this kind at all (each row's unit is checked again).
    fn allowed(self, actor: &Actor) -> bool {
        match self {
            MoneyKind::Plans => actor.plans_reviews(),
            MoneyKind::Payments | MoneyKind::Estimates => actor.imports(),
        }
    }
}

/// A row of a file or a form: its number (the header is row 1) and its cells by column.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Row {
    pub number: u64,
    pub cells: HashMap<String, String>,
}

impl Row {
    fn get(&self, column: &str) -> &str {
        self.cells.get(column).map(|s| s.trim()).unwrap_or("")
    }
}

/// What a write took.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MoneyWritten {
    /// Plan documents, or payments.
    pub records: usize,
    /// Plan lines (payments: as many as records).
    pub lines: usize,
    /// VND.
    pub amount: i64,
}

/// Reads the rows of a money file: a CSV file, or the sheet of a workbook.
pub fn read_rows(
    path: &Path,
    sheet: &str,
    columns: &[&str],
) -> Result<(Arc<str>, Vec<Row>), Vec<RowError>> {
    let required: Vec<&str> = columns
        .iter()
        .copied()
        .filter(|c| !OPTIONAL.contains(c))
        .collect();
    read_rows_with(path, sheet, columns, &required)
}

/// Reads the rows of a file whose header holds `required` and no column outside `columns`
/// (but `x_…`): a CSV file, or the sheet of a workbook.
pub fn read_rows_with(
    path: &Path,
    sheet: &str,
    columns: &[&str],
    required: &[&str],
) -> Result<(Arc<str>, Vec<Row>), Vec<RowError>> {
    let mut src = Source::open(path, sheet).map_err(|e| vec![e])?;
    let name = src.name.clone();
    let mut errors = Vec::new();
    let headers = src.headers.clone();
    for (i, h) in headers.iter().enumerate() {
        if headers[..i].contains(h) {
            errors.push(RowError::new(&name, 1, h, msg!("col_twice")));
        } else if !columns.contains(&h.as_str()) && !h.starts_with("x_") && !h.is_empty() {
            errors.push(RowError::new(&name, 1, h, msg!("col_unknown")));
        }
    }
    for c in required {
        if !headers.iter().any(|h| h == c) {
            errors.push(RowError::new(&name, 1, c, msg!("col_missing")));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut rows = Vec::new();
    let mut rec = csv::ByteRecord::new();
    while let Some(n) = src.next_row(&mut rec).map_err(|e| vec![e])? {
        let cells = headers
            .iter()
            .zip(rec.iter())
            .map(|(h, v)| (h.clone(), String::from_utf8_lossy(v).trim().to_string()))
            .collect();
        rows.push(Row { number: n, cells });
    }
    Ok((name, rows))
}

/// A row's problem while it is read.
struct Bad<'a> {
    name: &'a Arc<str>,
    errors: Vec<RowError>,
}

impl Bad<'_> {
    fn at(&mut self, row: &Row, column: &str, message: Msg) {
        self.errors
            .push(RowError::new(self.name, row.number, column, message));
    }
}

fn year_of(bad: &mut Bad<'_>, row: &Row, column: &str) -> Option<i32> {
    let v = row.get(column);
    if v.is_empty() {
        bad.at(row, column, msg!("value_missing"));
        return None;
    }
    match v.parse::<i32>() {
        Ok(y) if (2000..=2100).contains(&y) => Some(y),
        _ => {
            bad.at(
                row,
                column,
                msg!("not_count", value = v, min = 2000, max = 2100),
            );
            None
        }
    }
}

fn date_of(bad: &mut Bad<'_>, row: &Row, column: &str) -> Option<NaiveDate> {
    let v = row.get(column);
    if v.is_empty() {
        bad.at(row, column, msg!("value_missing"));
        return None;
    }
    match NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        Ok(d) if v.len() == 10 => Some(d),
        _ => {
            bad.at(row, column, msg!("not_full_date", value = v));
            None
        }
    }
}

/// A row's origin year: its own, or the budget year's when the column is empty.
fn origin_of(bad: &mut Bad<'_>, row: &Row, year: Option<i32>) -> Option<i32> {
    if row.get("origin_year").is_empty() {
        year
    } else {
        year_of(bad, row, "origin_year")
    }
}

/// A checked row's item and source as the catalogue writes them (`da3.tda1` → `DA3.TDA1`).
fn codes_of(row: &Row, program: &Program, programs: &Programs) -> (String, String) {
    (
        program
            .item(row.get("item"))
            .map(|i| i.code.clone())
            .unwrap_or_default(),
        programs
            .source(row.get("source"))
            .map(|s| s.code.clone())
            .unwrap_or_default(),
    )
}

/// An amount of VND: a whole number of đồng, digits only; at least `min`.
fn amount_of(bad: &mut Bad<'_>, row: &Row, min: i64) -> Option<i64> {
    let v = row.get("amount");
    if v.is_empty() {
        bad.at(row, "amount", msg!("value_missing"));
        return None;
    }
    match v.parse::<i64>() {
        Ok(a)
            if a >= min && v.bytes().all(|b| b.is_ascii_digit()) && a <= 1_000_000_000_000_000 =>
        {
            Some(a)
        }
        _ => {
            bad.at(row, "amount", msg!("money_amount", value = v, min = min));
            None
        }
    }
}

fn text_of(bad: &mut Bad<'_>, row: &Row, column: &str, max: usize) -> Option<String> {
    let v = row.get(column);
    if v.is_empty() {
        bad.at(row, column, msg!("value_missing"));
        return None;
    }
    if v.chars().count() > max {
        bad.at(row, column, msg!("money_text_long", max = max));
        return None;
    }
    Some(v.to_string())
}

/// A row's unit: a province or a commune of 2025 the user may write money for, and its
/// province.
fn unit_of(
    bad: &mut Bad<'_>,
    row: &Row,
    actor: Option<&Actor>,
    plans: bool,
) -> Option<(UnitCode, String)> {
    let v = row.get("unit_code");
    let Some(unit) = UnitCode::parse(v) else {
        bad.at(row, "unit_code", msg!("money_unit_unknown", unit = v));
        return None;
    };
    let Some(province) = province_of(&unit) else {
        bad.at(row, "unit_code", msg!("money_unit_unknown", unit = v));
        return None;
    };
    if let Some(a) = actor {
        if !a.sees(&unit) {
            bad.at(row, "unit_code", msg!("money_out_of_scope", unit = v));
            return None;
        }
        // the province plans and allocates, and records its own payments; a commune's officer
        // records the commune's payments
        let province_work = plans || matches!(unit, UnitCode::Province(_));
        let may = if province_work {
            a.plans_reviews()
        } else {
            a.imports()
        };
        if !may {
            let key = if plans {
                "money_plans_province"
            } else {
                "money_payments_province"
            };
            bad.at(row, "unit_code", Msg::new(key));
            return None;
        }
    }
    Some((unit, province.as_str().to_string()))
}

/// An item of the programme that holds the capital of `origin`, and a source it may receive.
/// Plans are of the state budget's sources; a project with sub-projects is only their total
/// (`Ok(false)`: a total row, to check and not to write).
fn item_of<'p>(
    bad: &mut Bad<'_>,
    row: &Row,
    programs: &'p Programs,
    budget_year: i32,
    origin: i32,
    plans: bool,
) -> Option<(&'p Program, bool)> {
    // the capital's own programme says how long it may be carried into later budget years
    let Some(program) = programs
        .for_year(origin)
        .filter(|p| p.money.carries(origin, budget_year))
    else {
        bad.at(
            row,
            "origin_year",
            msg!("money_origin_year", origin = origin, year = budget_year),
        );
        return None;
    };
    let code = row.get("item");
    let Some(item) = program.item(code) else {
        let known: Vec<&str> = program.items.iter().map(|i| i.code.as_str()).collect();
        bad.at(
            row,
            "item",
            msg!(
                "money_item_unknown",
                item = code,
                program = &program.name_vi
            )
            .list("known", &known),
        );
        return None;
    };
    let s = row.get("source");
    let Some(source) = programs.source(s) else {
        let known: Vec<&str> = programs.sources.iter().map(|s| s.code.as_str()).collect();
        bad.at(
            row,
            "source",
            msg!("money_source_unknown", source = s).list("known", &known),
        );
        return None;
    };
    if plans && !source.budget {
        bad.at(
            row,
            "source",
            msg!("money_plan_budget_only", source = &source.code),
        );
        return None;
    }
    if !item.leaf {
        // a project's total: its parts' capital is checked on their own rows
        if plans {
            return Some((program, false));
        }
        bad.at(row, "item", msg!("money_item_total", item = &item.code));
        return None;
    }
    if let Err(m) = programs.accepts(item, source) {
        bad.at(row, "source", m);
        return None;
    }
    Some((program, true))
}

/// A plan row as read: where it goes and what it sets.
struct PlanRow {
    number: u64,
    unit: String,
    province: String,
    budget_year: i32,
    document: String,
    decided_on: NaiveDate,
    note: Option<String>,
    program: String,
    item: String,
    source: String,
    origin_year: i32,
    amount: i64,
    leaf: bool,
}

/// Reads and checks plan rows into the documents they make, with each written line's row
/// number. Rows of one document share its unit, year, number and day.
#[allow(clippy::type_complexity)]
fn plans_of(
    name: &Arc<str>,
    rows: &[Row],
    programs: &Programs,
    actor: Option<&Actor>,
    today: NaiveDate,
) -> Result<(Vec<NewPlan>, Vec<Vec<u64>>), Vec<RowError>> {
    let mut bad = Bad {
        name,
        errors: Vec::new(),
    };
    let mut read = Vec::new();
    for row in rows {
        let before = bad.errors.len();
        let unit = unit_of(&mut bad, row, actor, true);
        let year = year_of(&mut bad, row, "budget_year");
        let document = text_of(&mut bad, row, "document", 120);
        let decided_on = date_of(&mut bad, row, "decided_on");
        let origin = origin_of(&mut bad, row, year);
        let amount = amount_of(&mut bad, row, 0);
        let (
            Some((unit, province)),
            Some(year),
            Some(document),
            Some(decided_on),
            Some(origin),
            Some(amount),
        ) = (unit, year, document, decided_on, origin, amount)
        else {
            continue;
        };
        let Some((program, leaf)) = item_of(&mut bad, row, programs, year, origin, true) else {
            continue;
        };
        if decided_on.year() > year || decided_on > today {
            bad.at(
                row,
                "decided_on",
                msg!("money_plan_date", year = year).date("date", decided_on),
            );
        }
        if bad.errors.len() > before {
            continue;
        }
        let (item, source) = codes_of(row, program, programs);
        read.push(PlanRow {
            number: row.number,
            unit: unit.to_string(),
            province,
            budget_year: year,
            document,
            decided_on,
            note: Some(row.get("note").to_string()).filter(|n| !n.is_empty()),
            program: program.id.clone(),
            item,
            source,
            origin_year: origin,
            amount,
            leaf,
        });
    }
    // each document: one day, its lines once, its projects' totals equal to their parts
    let mut docs: BTreeMap<(String, i32, String), Vec<&PlanRow>> = BTreeMap::new();
    for r in &read {
        docs.entry((r.unit.clone(), r.budget_year, r.document.clone()))
            .or_default()
            .push(r);
    }
    let mut plans = Vec::new();
    let mut numbers = Vec::new();
    for ((unit, year, document), rows) in &docs {
        let first = rows[0];
        let mut seen: HashMap<(&str, &str, i32), u64> = HashMap::new();
        for r in rows {
            if r.decided_on != first.decided_on {
                bad.errors.push(RowError::new(
                    name,
                    r.number,
                    "decided_on",
                    msg!(
                        "money_document_day",
                        document = document,
                        row = first.number
                    ),
                ));
            }
            if let Some(other) = seen.insert((&r.item, &r.source, r.origin_year), r.number) {
                bad.errors.push(RowError::new(
                    name,
                    r.number,
                    "item",
                    msg!(
                        "money_line_twice",
                        item = &r.item,
                        source = &r.source,
                        row = other
                    ),
                ));
            }
        }
        for total in rows.iter().filter(|r| !r.leaf) {
            let prefix = format!("{}.", total.item);
            let parts: i64 = rows
                .iter()
                .filter(|r| {
                    r.leaf
                        && r.item.starts_with(&prefix)
                        && r.source == total.source
                        && r.origin_year == total.origin_year
                })
                .map(|r| r.amount)
                .sum();
            if parts != total.amount {
                bad.errors.push(RowError::new(
                    name,
                    total.number,
                    "amount",
                    msg!(
                        "money_total_mismatch",
                        item = &total.item,
                        source = &total.source
                    )
                    .money("total", total.amount)
                    .money("parts", parts),
                ));
            }
        }
        let leaves: Vec<&&PlanRow> = rows.iter().filter(|r| r.leaf).collect();
        if leaves.is_empty() {
            continue;
        }
        plans.push(NewPlan {
            province_code: first.province.clone(),
            unit_code: unit.clone(),
            budget_year: *year,
            program: first.program.clone(),
            document: document.clone(),
            decided_on: first.decided_on,
            note: rows.iter().find_map(|r| r.note.clone()),
            lines: leaves
                .iter()
                .map(|r| PlanLine {
                    item: r.item.clone(),
                    source: r.source.clone(),
                    origin_year: r.origin_year,
                    amount: r.amount,
                })
                .collect(),
        });
        numbers.push(leaves.iter().map(|r| r.number).collect());
    }
    if bad.errors.is_empty() {
        Ok((plans, numbers))
    } else {
        bad.errors.sort_by_key(|e| e.row);
        Err(bad.errors)
    }
}

/// A payment's or an estimate's line as read: where it goes, the capital's programme, its day
/// and amount.
struct LineRow<'p> {
    unit: UnitCode,
    province: String,
    year: i32,
    day: NaiveDate,
    origin: i32,
    amount: i64,
    program: &'p Program,
    item: String,
    source: String,
}

/// Reads a payment's or an estimate's line (its day in `day_column`, an amount of at least
/// `min`), every problem of the row noted; `None` when it has any.
fn line_of<'p>(
    bad: &mut Bad<'_>,
    row: &Row,
    programs: &'p Programs,
    actor: Option<&Actor>,
    day_column: &str,
    min: i64,
) -> Option<LineRow<'p>> {
    let unit = unit_of(bad, row, actor, false);
    let year = year_of(bad, row, "budget_year");
    let day = date_of(bad, row, day_column);
    let origin = origin_of(bad, row, year);
    let amount = amount_of(bad, row, min);
    let (Some((unit, province)), Some(year), Some(day), Some(origin), Some(amount)) =
        (unit, year, day, origin, amount)
    else {
        return None;
    };
    let (program, _) = item_of(bad, row, programs, year, origin, false)?;
    let (item, source) = codes_of(row, program, programs);
    Some(LineRow {
        unit,
        province,
        year,
        day,
        origin,
        amount,
        program,
        item,
        source,
    })
}

/// Reads and checks payment rows. A payment is made in its budget year, or after it until the
/// day its capital's programme says (31 January), and not after `today`.
fn payments_of(
    name: &Arc<str>,
    rows: &[Row],
    programs: &Programs,
    actor: Option<&Actor>,
    today: NaiveDate,
) -> Result<Vec<NewDisbursement>, Vec<RowError>> {
    let mut bad = Bad {
        name,
        errors: Vec::new(),
    };
    let mut out = Vec::new();
    for row in rows {
        let before = bad.errors.len();
        let line = line_of(&mut bad, row, programs, actor, "paid_on", 1);
        let document = text_of(&mut bad, row, "document", 120);
        let (Some(l), Some(document)) = (line, document) else {
            continue;
        };
        let days = l.program.money.payment_days(l.year);
        if days.is_none_or(|(first, last)| l.day < first || l.day > last) || l.day > today {
            let mut m = msg!("money_paid_on", year = l.year).date("date", l.day);
            if let Some((_, last)) = days {
                m = m.date("last", last);
            }
            bad.at(row, "paid_on", m);
        }
        let reason = row.get("advance_reason");
        if reason.chars().count() > 500 {
            bad.at(row, "advance_reason", msg!("money_text_long", max = 500));
        }
        if bad.errors.len() > before {
            continue;
        }
        out.push(NewDisbursement {
            province_code: l.province,
            unit_code: l.unit.to_string(),
            budget_year: l.year,
            program: l.program.id.clone(),
            item: l.item,
            source: l.source,
            origin_year: l.origin,
            paid_on: l.day,
            amount: l.amount,
            document,
            advance_reason: Some(reason.to_string()).filter(|r| !r.is_empty()),
        });
    }
    if bad.errors.is_empty() {
        Ok(out)
    } else {
        Err(bad.errors)
    }
}

/// Reads and checks estimate rows: a line's disbursement expected by the year's end, estimated
/// on a day of its budget year not after `today`; a line once a file.
fn estimates_of(
    name: &Arc<str>,
    rows: &[Row],
    programs: &Programs,
    actor: Option<&Actor>,
    today: NaiveDate,
) -> Result<Vec<NewEstimate>, Vec<RowError>> {
    let mut bad = Bad {
        name,
        errors: Vec::new(),
    };
    let mut out = Vec::new();
    let mut seen: HashMap<(String, String, String, i32, i32), u64> = HashMap::new();
    for row in rows {
        let Some(l) = line_of(&mut bad, row, programs, actor, "as_of", 0) else {
            continue;
        };
        if l.day.year() != l.year || l.day > today {
            bad.at(
                row,
                "as_of",
                msg!("money_estimate_day", year = l.year).date("date", l.day),
            );
            continue;
        }
        let key = (
            l.unit.to_string(),
            l.item.clone(),
            l.source.clone(),
            l.origin,
            l.year,
        );
        if let Some(other) = seen.insert(key, row.number) {
            bad.at(
                row,
                "item",
                msg!(
                    "money_estimate_twice",
                    item = &l.item,
                    source = &l.source,
                    row = other
                ),
            );
            continue;
        }
        out.push(NewEstimate {
            province_code: l.province,
            unit_code: l.unit.to_string(),
            budget_year: l.year,
            program: l.program.id.clone(),
            item: l.item,
            source: l.source,
            origin_year: l.origin,
            as_of: l.day,
            amount: l.amount,
        });
    }
    if bad.errors.is_empty() {
        Ok(out)
    } else {
        Err(bad.errors)
    }
}

/// Checks and writes rows of a kind, all or none.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn write_rows(
    store: &Store,
    programs: &Programs,
    who: &Who,
    actor: Option<&Actor>,
    kind: MoneyKind,
    name: &Arc<str>,
    rows: &[Row],
    today: NaiveDate,
) -> Result<MoneyWritten, QueryError> {
    match kind {
        MoneyKind::Plans => write_plan_rows(store, programs, who, actor, name, rows, today).await,
        MoneyKind::Payments => {
            write_payment_rows(store, programs, who, actor, name, rows, today).await
        }
        MoneyKind::Estimates => {
            let estimates =
                estimates_of(name, rows, programs, actor, today).map_err(QueryError::Rejected)?;
            if estimates.is_empty() {
                return Err(QueryError::Rejected(vec![RowError::file(
                    name,
                    msg!("money_no_rows"),
                )]));
            }
            let n = store.write_estimates(who, &estimates).await?;
            Ok(MoneyWritten {
                records: n,
                lines: n,
                amount: estimates.iter().map(|e| e.amount).sum(),
            })
        }
    }
}

/// Reads a money file of a kind: CSV, or the kind's sheet of a workbook.
pub fn read_kind(path: &Path, kind: MoneyKind) -> Result<(Arc<str>, Vec<Row>), Vec<RowError>> {
    read_rows(path, kind.sheet(), kind.columns())
}

/// Checks and writes plan rows (of a file named `name`, or of a form), all or none.
async fn write_plan_rows(
    store: &Store,
    programs: &Programs,
    who: &Who,
    actor: Option<&Actor>,
    name: &Arc<str>,
    rows: &[Row],
    today: NaiveDate,
) -> Result<MoneyWritten, QueryError> {
    let (plans, numbers) =
        plans_of(name, rows, programs, actor, today).map_err(QueryError::Rejected)?;
    if plans.is_empty() {
        return Err(QueryError::Rejected(vec![RowError::file(
            name,
            msg!("money_no_rows"),
        )]));
    }
    match store.write_plans(who, &plans).await? {
        Ok(_) => Ok(MoneyWritten {
            records: plans.len(),
            lines: plans.iter().map(|p| p.lines.len()).sum(),
            amount: plans.iter().flat_map(|p| &p.lines).map(|l| l.amount).sum(),
        }),
        Err(problems) => Err(QueryError::Rejected(in_words(
            programs,
            named(name, &problems, |p| {
                p.line
                    .and_then(|l| numbers.get(p.index).and_then(|n| n.get(l)))
                    .copied()
                    .unwrap_or(0)
            }),
        ))),
    }
}

/// Checks and writes payment rows, all or none.
async fn write_payment_rows(
    store: &Store,
    programs: &Programs,
    who: &Who,
    actor: Option<&Actor>,
    name: &Arc<str>,
    rows: &[Row],
    today: NaiveDate,
) -> Result<MoneyWritten, QueryError> {
    let payments = payments_of(name, rows, programs, actor, today).map_err(QueryError::Rejected)?;
    if payments.is_empty() {
        return Err(QueryError::Rejected(vec![RowError::file(
            name,
            msg!("money_no_rows"),
        )]));
    }
    let file = name.rsplit('/').next().map(str::to_string);
    match store
        .write_disbursements(who, &payments, file.as_deref())
        .await?
    {
        Ok(n) => Ok(MoneyWritten {
            records: n,
            lines: n,
            amount: payments.iter().map(|p| p.amount).sum(),
        }),
        Err(problems) => Err(QueryError::Rejected(in_words(
            programs,
            named(name, &problems, |p| {
                rows.get(p.index).map(|r| r.number).unwrap_or(0)
            }),
        ))),
    }
}

fn named(
    name: &Arc<str>,
    problems: &[MoneyProblem],
    row: impl Fn(&MoneyProblem) -> u64,
) -> Vec<RowError> {
    problems
        .iter()
        .map(|p| RowError::new(name, row(p), p.column, p.message.clone()))
        .collect()
}

/// A refusal's funding source and kind of capital told by their names in the reader's language
/// rather than by their codes.
fn in_words(programs: &Programs, mut errors: Vec<RowError>) -> Vec<RowError> {
    for e in &mut errors {
        if let Some(s) = e.message.value("source").and_then(|c| programs.source(&c)) {
            e.message = e.message.clone().named("source", &s.name_vi, &s.name_en);
        }
        if let Some(c) = e.message.value("capital") {
            let (vi, en) = match c.as_str() {
                "investment" => ("đầu tư phát triển", "development investment"),
                "recurrent" => ("sự nghiệp", "recurrent"),
                _ => ("khác", "other"),
            };
            e.message = e.message.clone().named("capital", vi, en);
        }
    }
    errors
}

/// A province's or a commune's money of a year, as its pages and reports show it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MoneyReport {
    pub unit: String,
    pub year: i32,
    pub on: Option<NaiveDate>,
    /// Each line of the unit (a province: of the province and each of its communes), shared
    /// with the cache.
    pub lines: Arc<BTreeMap<MoneyKey, MoneyLine>>,
}

impl MoneyReport {
    /// The sum of the lines `keep` takes.
    pub fn total(&self, keep: impl Fn(&MoneyKey) -> bool) -> MoneyLine {
        let mut t = MoneyLine::default();
        for (k, l) in self.lines.iter().filter(|(k, _)| keep(k)) {
            t.plan += l.plan;
            for (a, b) in t.by_month.iter_mut().zip(l.by_month) {
                *a += b;
            }
            t.advances += l.advances;
            t.payments += l.payments;
            if let Some(e) = l.estimate {
                *t.estimate.get_or_insert(0) += e;
            }
            let _ = k;
        }
        t
    }
}

/// A province's money of a year on a day, kept in memory until money is written: a dashboard
/// then costs one small query for the version instead of reading every line by month.
#[derive(Debug, Default)]
pub struct MoneyCache {
    entries: std::sync::Mutex<MoneyEntries>,
}

type Lines = Arc<BTreeMap<MoneyKey, MoneyLine>>;

#[derive(Debug, Default)]
struct MoneyEntries {
    version: (i64, i64),
    lines: HashMap<(String, i32, NaiveDate), Lines>,
    /// A province's budget years.
    years: HashMap<String, Arc<Vec<i32>>>,
    /// A unit's latest payments of a year (the first page its money page lists).
    latest: HashMap<(String, i32), Arc<Vec<Disbursement>>>,
}

impl MoneyCache {
    /// The entries of `version`, emptied first when money was written since (or they grew
    /// past their bound).
    fn entries(&self, version: (i64, i64)) -> std::sync::MutexGuard<'_, MoneyEntries> {
        let mut e = match self.entries.lock() {
            Ok(e) => e,
            Err(poisoned) => poisoned.into_inner(),
        };
        if e.version != version || e.lines.len() + e.latest.len() > 2_000 {
            *e = MoneyEntries {
                version,
                ..Default::default()
            };
        }
        e
    }

    fn get(&self, version: (i64, i64), key: &(String, i32, NaiveDate)) -> Option<Lines> {
        self.entries(version).lines.get(key).cloned()
    }

    fn put(&self, version: (i64, i64), key: (String, i32, NaiveDate), lines: Lines) {
        self.entries(version).lines.insert(key, lines);
    }
}

/// The first page of a unit's payments of a year that money pages list.
pub const LATEST_PAYMENTS: i64 = 50;

/// A unit's money of a year on a day: a province's own lines and its communes', or a commune's.
pub(crate) async fn report(
    store: &Store,
    cache: &MoneyCache,
    unit: &UnitCode,
    year: i32,
    on: NaiveDate,
) -> Result<MoneyReport, QueryError> {
    let version = store.money_version().await?;
    report_at(store, cache, version, unit, year, on).await
}

/// What a money page shows: the province's budget years, the unit's money of the year, and its
/// latest payments.
#[derive(Debug, Clone)]
pub struct MoneyView {
    pub years: Arc<Vec<i32>>,
    pub report: MoneyReport,
    pub latest: Arc<Vec<Disbursement>>,
}

/// A unit's money of a year on a day, for a version of the money already read.
async fn report_at(
    store: &Store,
    cache: &MoneyCache,
    version: (i64, i64),
    unit: &UnitCode,
    year: i32,
    on: NaiveDate,
) -> Result<MoneyReport, QueryError> {
    let province = province_of(unit).ok_or(Denied::NotFound)?;
    let key = (province.as_str().to_string(), year, on);
    let all = match cache.get(version, &key) {
        Some(lines) => lines,
        None => {
            let lines = Arc::new(store.money(province.as_str(), year, on).await?);
            cache.put(version, key, lines.clone());
            lines
        }
    };
    let all: Lines = match unit {
        UnitCode::Province(_) => all,
        UnitCode::Commune(c) => Arc::new(
            all.iter()
                .filter(|(k, _)| k.unit_code == c.as_str())
                .map(|(k, l)| (k.clone(), l.clone()))
                .collect(),
        ),
    };
    Ok(MoneyReport {
        unit: unit.to_string(),
        year,
        on: Some(on),
        lines: all,
    })
}

/// A unit's plan documents of a year, oldest first.
pub(crate) async fn history(
    store: &Store,
    unit: &UnitCode,
    year: i32,
) -> Result<Vec<PlanDoc>, QueryError> {
    Ok(store.plan_history(&unit.to_string(), year).await?)
}

/// A unit's plans, payments or estimates of a year as the money files write them: the
/// header, then a row each (a province's include its communes').
pub(crate) async fn export_rows(
    store: &Store,
    unit: &UnitCode,
    year: i32,
    kind: MoneyKind,
) -> Result<Vec<Vec<String>>, QueryError> {
    let province = province_of(unit).ok_or(Denied::NotFound)?;
    let only = match unit {
        UnitCode::Province(_) => None,
        UnitCode::Commune(c) => Some(c.as_str().to_string()),
    };
    let (p, only) = (province.as_str(), only.as_deref());
    let mut out = vec![kind.columns().iter().map(|c| c.to_string()).collect()];
    let y = year.to_string();
    match kind {
        MoneyKind::Plans => {
            for (u, document, day, item, source, origin, amount, note) in
                store.plan_rows(p, year, only).await?
            {
                out.push(vec![
                    u,
                    y.clone(),
                    document,
                    day.to_string(),
                    item,
                    source,
                    origin.to_string(),
                    amount.to_string(),
                    note.unwrap_or_default(),
                ]);
            }
        }
        MoneyKind::Payments => {
            for (u, item, source, origin, day, amount, document, reason) in
                store.payment_rows(p, year, only).await?
            {
                out.push(vec![
                    u,
                    y.clone(),
                    item,
                    source,
                    origin.to_string(),
                    day.to_string(),
                    amount.to_string(),
                    document,
                    reason.unwrap_or_default(),
                ]);
            }
        }
        MoneyKind::Estimates => {
            for (u, item, source, origin, day, amount) in store.estimate_rows(p, year, only).await?
            {
                out.push(vec![
                    u,
                    y.clone(),
                    item,
                    source,
                    origin.to_string(),
                    day.to_string(),
                    amount.to_string(),
                ]);
            }
        }
    }
    Ok(out)
}

impl crate::Scoped<'_> {
    /// A money file of a kind (CSV, or the kind's sheet of a workbook), for the units of the
    /// user's scope, all or none.
    pub async fn import_money(
        &self,
        kind: MoneyKind,
        path: &Path,
        today: NaiveDate,
    ) -> Result<MoneyWritten, QueryError> {
        let (name, rows) = read_kind(path, kind).map_err(QueryError::Rejected)?;
        self.write_money(kind, &name, &rows, today).await
    }

    /// Rows of a kind from a form, a file or the API (`name` in errors), all or none: a
    /// province's officer plans and allocates; a unit's officers record its payments and
    /// estimates.
    pub async fn write_money(
        &self,
        kind: MoneyKind,
        name: &Arc<str>,
        rows: &[Row],
        today: NaiveDate,
    ) -> Result<MoneyWritten, QueryError> {
        if !kind.allowed(self.actor()) {
            return Err(Denied::Forbidden.into());
        }
        write_rows(
            &self.registry.store,
            &self.registry.programs,
            &self.who(),
            Some(self.actor()),
            kind,
            name,
            rows,
            today,
        )
        .await
    }

    /// Plan documents from a file (a province's officer).
    pub async fn import_plans(
        &self,
        path: &Path,
        today: NaiveDate,
    ) -> Result<MoneyWritten, QueryError> {
        self.import_money(MoneyKind::Plans, path, today).await
    }

    /// Payments from a file.
    pub async fn import_payments(
        &self,
        path: &Path,
        today: NaiveDate,
    ) -> Result<MoneyWritten, QueryError> {
        self.import_money(MoneyKind::Payments, path, today).await
    }

    /// A unit's money of a year, the plans as in force on `on`.
    pub async fn money(
        &self,
        unit: &UnitCode,
        year: i32,
        on: NaiveDate,
    ) -> Result<MoneyReport, QueryError> {
        self.actor().read(unit)?;
        report(
            &self.registry.store,
            &self.registry.money_cache,
            unit,
            year,
            on,
        )
        .await
    }

    /// A unit's plan documents of a year, oldest first: its revision history.
    pub async fn plan_history(
        &self,
        unit: &UnitCode,
        year: i32,
    ) -> Result<Vec<PlanDoc>, QueryError> {
        self.actor().read(unit)?;
        history(&self.registry.store, unit, year).await
    }

    /// What a unit's money page shows, with one look at the money's version: the province's
    /// budget years, the unit's money of a year (its year, or the latest with money, when not
    /// given) on a day (today within the year, else its last day), and its latest payments.
    /// Each part is kept until money is written.
    pub async fn money_view(
        &self,
        unit: &UnitCode,
        year: Option<i32>,
        on: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Result<MoneyView, QueryError> {
        self.actor().read(unit)?;
        let province = province_of(unit).ok_or(Denied::NotFound)?;
        let store = &self.registry.store;
        let cache = &self.registry.money_cache;
        let version = store.money_version().await?;
        let key = province.as_str().to_string();
        let cached = cache.entries(version).years.get(&key).cloned();
        let years = match cached {
            Some(y) => y,
            None => {
                let y = Arc::new(store.money_years(&key).await?);
                cache.entries(version).years.insert(key, y.clone());
                y
            }
        };
        let year = year
            .or_else(|| years.first().copied())
            .unwrap_or(today.year());
        let year_end = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(today);
        let on = on.unwrap_or(if today < year_end { today } else { year_end });
        let report = report_at(store, cache, version, unit, year, on).await?;
        let key = (unit.to_string(), year);
        let cached = cache.entries(version).latest.get(&key).cloned();
        let latest = match cached {
            Some(p) => p,
            None => {
                let p = Arc::new(
                    store
                        .disbursements(&key.0, year, LATEST_PAYMENTS, 0)
                        .await?,
                );
                cache.entries(version).latest.insert(key, p.clone());
                p
            }
        };
        Ok(MoneyView {
            years,
            report,
            latest,
        })
    }

    /// A unit's plans, payments or estimates of a year as the money files write them: the
    /// header, then a row each (a province's include its communes').
    pub async fn money_export(
        &self,
        unit: &UnitCode,
        year: i32,
        kind: MoneyKind,
    ) -> Result<Vec<Vec<String>>, QueryError> {
        self.actor().read(unit)?;
        export_rows(&self.registry.store, unit, year, kind).await
    }

    /// The budget years a unit's province has money for, newest first.
    pub async fn money_years(&self, unit: &UnitCode) -> Result<Vec<i32>, QueryError> {
        self.actor().read(unit)?;
        let province = province_of(unit).ok_or(Denied::NotFound)?;
        Ok(self.registry.store.money_years(province.as_str()).await?)
    }
}

/// The money files' template: a workbook with the plans' and the payments' sheets (headers and
/// an example row each) and a sheet of the catalogue's codes (items of each programme, sources),
/// in the reader's language.
pub fn write_template(
    path: &Path,
    programs: &Programs,
    vietnamese: bool,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let examples: [(&str, &[&str], &[&str]); 3] = [
        (
            PLAN_SHEET,
            &PLAN_COLUMNS,
            &[
                "11",
                "2025",
                "120/QĐ-UBND",
                "2025-01-15",
                "DA5",
                "central_recurrent",
                "2025",
                "4000000000",
                "",
            ],
        ),
        (
            PAYMENT_SHEET,
            &PAYMENT_COLUMNS,
            &[
                "03325",
                "2025",
                "DA5",
                "central_recurrent",
                "2025",
                "2025-04-10",
                "400000000",
                "UNC 15/KBNN",
                "",
            ],
        ),
        (
            ESTIMATE_SHEET,
            &ESTIMATE_COLUMNS,
            &[
                "03325",
                "2025",
                "DA5",
                "central_recurrent",
                "2025",
                "2025-10-15",
                "380000000",
            ],
        ),
    ];
    for (name, columns, example) in examples {
        let sheet = book.add_worksheet();
        sheet.set_name(name)?;
        for (c, h) in columns.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, *h, &bold)?;
            sheet.set_column_width(c as u16, 18)?;
            // codes and amounts as text: a spreadsheet keeps their digits as typed
            sheet.write_string(1, c as u16, example[c])?;
        }
    }
    let sheet = book.add_worksheet();
    sheet.set_name("danh_muc")?;
    let heads = if vietnamese {
        ["Chương trình", "Mã", "Tên", "Loại vốn"]
    } else {
        ["Programme", "Code", "Name", "Capital"]
    };
    for (c, h) in heads.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    sheet.set_column_width(2, 80)?;
    let mut r = 1u32;
    for p in &programs.programs {
        for i in &p.items {
            let kinds: Vec<&str> = i.capital.iter().map(|c| c.code()).collect();
            let name = if vietnamese { &i.name_vi } else { &i.name_en };
            let name = if i.leaf {
                name.clone()
            } else if vietnamese {
                format!("{name} (tổng các tiểu dự án)")
            } else {
                format!("{name} (total of its sub-projects)")
            };
            for (c, v) in [
                p.id.as_str(),
                i.code.as_str(),
                name.as_str(),
                &kinds.join(", "),
            ]
            .iter()
            .enumerate()
            {
                sheet.write_string(r, c as u16, *v)?;
            }
            r += 1;
        }
    }
    r += 1;
    for s in &programs.sources {
        let name = if vietnamese { &s.name_vi } else { &s.name_en };
        let kind = if s.budget { s.capital.code() } else { "other" };
        for (c, v) in ["source", s.code.as_str(), name.as_str(), kind]
            .iter()
            .enumerate()
        {
            sheet.write_string(r, c as u16, *v)?;
        }
        r += 1;
    }
    book.save(path)
}

/// Rows of a kind (the header first, as `money_export` gives them) as a workbook the money
/// import reads back: the kind's sheet, codes as text, years and amounts as numbers, days as
/// dates shown dd/mm/yyyy.
pub fn write_workbook(
    path: &Path,
    kind: MoneyKind,
    rows: &[Vec<String>],
) -> Result<(), rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let amount = Format::new().set_num_format("#,##0");
    let day = Format::new().set_num_format("dd/mm/yyyy");
    let sheet = book.add_worksheet();
    sheet.set_name(kind.sheet())?;
    let columns = kind.columns();
    for (c, h) in columns.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold)?;
        sheet.set_column_width(c as u16, if *h == "amount" { 18 } else { 14 })?;
    }
    sheet.set_freeze_panes(1, 0)?;
    for (r, row) in rows.iter().skip(1).enumerate() {
        let r = r as u32 + 1;
        for (c, (v, h)) in row.iter().zip(columns).enumerate() {
            let c = c as u16;
            if v.is_empty() {
                continue;
            }
            match *h {
                "amount" => match v.parse::<i64>() {
                    Ok(n) => sheet.write_number_with_format(r, c, n as f64, &amount)?,
                    Err(_) => sheet.write_string(r, c, v)?,
                },
                "budget_year" | "origin_year" => match v.parse::<i32>() {
                    Ok(n) => sheet.write_number(r, c, f64::from(n))?,
                    Err(_) => sheet.write_string(r, c, v)?,
                },
                "decided_on" | "paid_on" | "as_of" => {
                    match NaiveDate::parse_from_str(v, "%Y-%m-%d").ok().and_then(|d| {
                        ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
                            .ok()
                    }) {
                        Some(d) => sheet.write_datetime_with_format(r, c, &d, &day)?,
                        None => sheet.write_string(r, c, v)?,
                    }
                }
                _ => sheet.write_string(r, c, v)?,
            };
        }
    }
    book.save(path)
}

/// Rows as a CSV file the money import reads back: comma-separated, with a UTF-8 byte-order mark
/// (spreadsheets then read its Vietnamese right).
pub fn csv_bytes(rows: &[Vec<String>]) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(b"\xef\xbb\xbf".to_vec());
    for r in rows {
        w.write_record(r)?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}
