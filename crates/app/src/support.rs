//! Support to households as its officers record it: one benefit to a household or one of its
//! members, from a form or a file (CSV, or the sheet `ho_tro` of a workbook, in the format of
//! `docs/support-format.md`). Every row is read and checked (the household in the commune, the
//! member, the kind, the item, the days, the amounts by source), judged against the support
//! rules in force on its decision's day with what the registry knew of the household then, and
//! written all or none; a row a rule refuses is written only with the officer's reason, which
//! the audit log keeps. Duplicates (the same kind to the same household or person within its
//! window) are found by household, personal ID, and folded name with birth date.

use crate::access::{province_of, Actor, Denied};
use crate::money::Row;
use crate::registry::QueryError;
use crate::text::fold_name;
use giamngheo_rules::chrono::NaiveDate;
use giamngheo_rules::program::Programs;
use giamngheo_rules::support::{
    duplicates, Candidate, Duplicate, Facts, Given, Judgement, Prior, StatusSpan, SupportRules,
    UnitStatuses,
};
use giamngheo_rules::{msg, Class, Msg, Standards, UnitCode};
use giamngheo_store::{ApprovedYear, PriorSupport, Store, Who};
pub use giamngheo_store::{SupportPart, SupportQuery, SupportRecord};
use giamngheo_survey::RowError;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;

const UNIT_STATUS: &str = include_str!("../../../data/unit-status.csv");

/// The sheet a workbook keeps support records in.
pub const SUPPORT_SHEET: &str = "ho_tro";

/// The columns of a support file besides one per funding source (its cash amount).
pub const SUPPORT_COLUMNS: [&str; 16] = [
    "commune_code",
    "household_code",
    "member_no",
    "id_number",
    "kind",
    "item",
    "decision",
    "decided_on",
    "status",
    "delivered_on",
    "started_on",
    "completed_on",
    "beneficiary_in_kind",
    "in_kind_valuation",
    "rule_set",
    "override_reason",
];

const OPTIONAL: [&str; 12] = [
    "member_no",
    "id_number",
    "item",
    "delivered_on",
    "started_on",
    "completed_on",
    "beneficiary_in_kind",
    "in_kind_valuation",
    "rule_set",
    "override_reason",
    "note",
    "status",
];

/// The statuses a record moves through; a house also starts and is completed.
const STATUSES: [&str; 4] = ["decided", "delivered", "started", "completed"];

/// A status's name in each language.
fn status_words(code: &str) -> (&'static str, &'static str) {
    match code {
        "delivered" => ("đã trao", "delivered"),
        "started" => ("đã khởi công", "started"),
        "completed" => ("đã hoàn thành", "completed"),
        _ => ("đã quyết định", "decided"),
    }
}

/// The support rules and the communes' statuses, as data.
#[derive(Debug)]
pub struct SupportData {
    pub rules: SupportRules,
    pub statuses: UnitStatuses,
}

impl SupportData {
    /// The rules and statuses this build carries.
    pub fn builtin() -> Result<SupportData, String> {
        let rules = SupportRules::builtin().map_err(|e| e.to_string())?;
        let mut spans = Vec::new();
        let mut r = csv::Reader::from_reader(UNIT_STATUS.as_bytes());
        for (i, row) in r.records().enumerate() {
            let row = row.map_err(|e| format!("data/unit-status.csv: {e}"))?;
            let day = |k: usize| {
                row.get(k)
                    .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                    .ok_or_else(|| format!("data/unit-status.csv:{}: a day YYYY-MM-DD", i + 2))
            };
            spans.push(StatusSpan {
                commune: row.get(0).unwrap_or_default().to_string(),
                status: row.get(1).unwrap_or_default().to_string(),
                from: day(2)?,
                to: day(3)?,
            });
        }
        Ok(SupportData {
            rules,
            statuses: UnitStatuses::new(spans),
        })
    }
}

/// The columns a support file may have: the fixed ones, then one per funding source.
pub fn columns(programs: &Programs) -> Vec<String> {
    let mut c: Vec<String> = SUPPORT_COLUMNS.iter().map(|s| s.to_string()).collect();
    c.extend(programs.sources.iter().map(|s| s.code.clone()));
    c.push("note".into());
    c
}

/// What a write took, and what it warns of (a namesake with the same birth date who received
/// the same kind elsewhere; a record written over a refusal).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SupportWritten {
    pub records: usize,
    pub amount: i64,
    pub overrides: usize,
    pub warnings: Vec<RowError>,
}

/// A row as checked, before it is judged.
struct Read {
    number: u64,
    record: SupportRecord,
    override_reason: Option<String>,
    rule_set: Option<String>,
}

pub(crate) fn day_of(
    bad: &mut Vec<RowError>,
    name: &Arc<str>,
    row: &Row,
    column: &str,
) -> Option<NaiveDate> {
    let v = row.cells.get(column).map(|s| s.trim()).unwrap_or("");
    if v.is_empty() {
        return None;
    }
    match NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        Ok(d) if v.len() == 10 => Some(d),
        _ => {
            bad.push(RowError::new(
                name,
                row.number,
                column,
                msg!("not_full_date", value = v),
            ));
            None
        }
    }
}

pub(crate) fn cell<'a>(row: &'a Row, column: &str) -> &'a str {
    row.cells.get(column).map(|s| s.trim()).unwrap_or("")
}

/// The household facts a judgement reads, on a day.
fn facts_on(
    years: &[ApprovedYear],
    standards: &Standards,
    statuses: &UnitStatuses,
    commune: &str,
    day: NaiveDate,
    prior: Vec<Prior>,
) -> Facts {
    let known: Vec<&ApprovedYear> = years.iter().filter(|y| y.approved_on <= day).collect();
    let latest = known.iter().max_by_key(|y| (y.approved_on, y.year));
    let class = latest.and_then(|y| Class::from_code(&y.class));
    let deprived = latest
        .and_then(|y| {
            standards.get(&y.standard).map(|s| {
                s.indicators
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| y.deprivations & (1 << i) != 0)
                    .map(|(_, ind)| ind.code.clone())
                    .collect::<BTreeSet<String>>()
            })
        })
        .unwrap_or_default();
    let last_poor_or_near = known
        .iter()
        .filter(|y| matches!(y.class.as_str(), "poor" | "near_poor"))
        .map(|y| y.approved_on)
        .max();
    Facts {
        class,
        deprived,
        last_poor_or_near,
        unit_status: statuses.on(commune, day),
        prior,
    }
}

/// Checks, judges and writes support rows, all or none.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn write_support_rows(
    store: &Store,
    programs: &Programs,
    standards: &Standards,
    data: &SupportData,
    who: &Who,
    actor: Option<&Actor>,
    name: &Arc<str>,
    rows: &[Row],
    today: NaiveDate,
) -> Result<SupportWritten, QueryError> {
    let c = check_support_rows(store, programs, standards, data, actor, name, rows, today).await?;
    store.write_support(who, &c.records).await?;
    Ok(SupportWritten {
        records: c.records.len(),
        amount: c.records.iter().map(SupportRecord::total).sum(),
        overrides: c.overrides,
        warnings: c.warnings,
    })
}

/// Support rows as checked and judged, ready to write.
pub(crate) struct Checked {
    pub records: Vec<SupportRecord>,
    pub warnings: Vec<RowError>,
    pub overrides: usize,
}

/// Checks and judges support rows (each against what the registry knew of its household on its
/// decision's day, and against what it and the rows before it received): all of them, or every
/// row's errors.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn check_support_rows(
    store: &Store,
    programs: &Programs,
    standards: &Standards,
    data: &SupportData,
    actor: Option<&Actor>,
    name: &Arc<str>,
    rows: &[Row],
    today: NaiveDate,
) -> Result<Checked, QueryError> {
    let mut bad: Vec<RowError> = Vec::new();
    let at = |bad: &mut Vec<RowError>, row: &Row, column: &str, m: Msg| {
        bad.push(RowError::new(name, row.number, column, m));
    };
    let mut households: HashMap<(String, String), Option<i64>> = HashMap::new();
    let mut details: HashMap<i64, giamngheo_store::HouseholdDetail> = HashMap::new();
    let mut read: Vec<Read> = Vec::new();
    for row in rows {
        let before = bad.len();
        let commune = cell(row, "commune_code");
        let unit = UnitCode::parse(commune).filter(|u| matches!(u, UnitCode::Commune(_)));
        let Some(unit) = unit else {
            at(
                &mut bad,
                row,
                "commune_code",
                msg!("support_commune_unknown", commune = commune),
            );
            continue;
        };
        if let Some(a) = actor {
            if !a.sees(&unit) {
                at(
                    &mut bad,
                    row,
                    "commune_code",
                    msg!("money_out_of_scope", unit = commune),
                );
                continue;
            }
        }
        let province = province_of(&unit)
            .map(|p| p.as_str().to_string())
            .unwrap_or_default();
        let code = cell(row, "household_code");
        let key = (commune.to_string(), code.to_string());
        let id = match households.get(&key) {
            Some(id) => *id,
            None => {
                let id = if code.is_empty() {
                    None
                } else {
                    store.household_id(commune, code).await?
                };
                households.insert(key, id);
                id
            }
        };
        let Some(household_id) = id else {
            at(
                &mut bad,
                row,
                "household_code",
                msg!(
                    "support_household_unknown",
                    household = code,
                    commune = commune
                ),
            );
            continue;
        };
        if let std::collections::hash_map::Entry::Vacant(e) = details.entry(household_id) {
            if let Some(d) = store.household(household_id).await? {
                e.insert(d);
            }
        }
        let detail = details.get(&household_id);
        let kind_code = cell(row, "kind");
        let Some(kind) = data.rules.kind(kind_code) else {
            let known: Vec<&str> = data.rules.kinds.iter().map(|k| k.code.as_str()).collect();
            at(
                &mut bad,
                row,
                "kind",
                msg!("support_kind_unknown", kind = kind_code).list("known", &known),
            );
            continue;
        };
        // the member: by number in the household, or by personal ID
        let (member_no, id_number) = (cell(row, "member_no"), cell(row, "id_number"));
        let member = detail.and_then(|d| {
            d.members.iter().find(|m| {
                (!member_no.is_empty() && m.member_no.to_string() == member_no)
                    || (!id_number.is_empty() && m.id_number.as_deref() == Some(id_number))
            })
        });
        if (!member_no.is_empty() || !id_number.is_empty()) && member.is_none() {
            let column = if member_no.is_empty() {
                "id_number"
            } else {
                "member_no"
            };
            let value = if member_no.is_empty() {
                id_number
            } else {
                member_no
            };
            at(
                &mut bad,
                row,
                column,
                msg!("support_member_unknown", member = value, household = code),
            );
        } else if kind.member && member.is_none() {
            at(
                &mut bad,
                row,
                "member_no",
                msg!("support_member_needed", kind = &kind.code),
            );
        }
        let decision = cell(row, "decision");
        if decision.is_empty() {
            at(&mut bad, row, "decision", msg!("value_missing"));
        } else if decision.chars().count() > 120 {
            at(
                &mut bad,
                row,
                "decision",
                msg!("money_text_long", max = 120),
            );
        }
        let decided_on = day_of(&mut bad, name, row, "decided_on");
        if cell(row, "decided_on").is_empty() {
            at(&mut bad, row, "decided_on", msg!("value_missing"));
        }
        let status = match cell(row, "status") {
            "" => "decided",
            s => s,
        };
        if !STATUSES.contains(&status)
            || (matches!(status, "started" | "completed") && kind.group() != "housing")
        {
            at(
                &mut bad,
                row,
                "status",
                msg!("support_status_unknown", status = status),
            );
        }
        let delivered_on = day_of(&mut bad, name, row, "delivered_on");
        let started_on = day_of(&mut bad, name, row, "started_on");
        let completed_on = day_of(&mut bad, name, row, "completed_on");
        // each step's day: given when the status has reached it, in order, not after today
        let steps = [
            ("decided_on", decided_on, true),
            (
                "started_on",
                started_on,
                matches!(status, "started" | "completed"),
            ),
            ("completed_on", completed_on, status == "completed"),
            ("delivered_on", delivered_on, status == "delivered"),
        ];
        let mut last = None;
        for (column, d, needed) in steps {
            match d {
                None if needed && column != "decided_on" => {
                    at(
                        &mut bad,
                        row,
                        column,
                        msg!("support_day_needed").named(
                            "status",
                            status_words(status).0,
                            status_words(status).1,
                        ),
                    );
                }
                Some(d) if d > today => {
                    at(
                        &mut bad,
                        row,
                        column,
                        msg!("support_day_future").date("date", d),
                    );
                }
                Some(d) if last.is_some_and(|l| d < l) => {
                    at(
                        &mut bad,
                        row,
                        column,
                        msg!("support_day_order").date("date", d),
                    );
                }
                Some(d) if column != "delivered_on" => last = Some(d),
                _ => {}
            }
        }
        // the item: of the programme in force on the decision's day
        let item = cell(row, "item");
        let (program, item) = match (item.is_empty(), decided_on) {
            (true, _) => (None, None),
            (false, Some(d)) => {
                match programs.for_year(giamngheo_rules::chrono::Datelike::year(&d)) {
                    Some(p) => match p.item(item).filter(|i| i.leaf) {
                        Some(i) => (Some(p.id.clone()), Some(i.code.clone())),
                        None => {
                            at(
                                &mut bad,
                                row,
                                "item",
                                msg!("money_item_unknown", item = item, program = &p.name_vi).list(
                                    "known",
                                    &p.leaves().map(|i| i.code.as_str()).collect::<Vec<_>>(),
                                ),
                            );
                            (None, None)
                        }
                    },
                    None => (None, None),
                }
            }
            (false, None) => (None, None),
        };
        // the amounts: a column per source, the household's part in kind with its valuation
        let mut parts = Vec::new();
        for s in &programs.sources {
            let v = cell(row, &s.code);
            if v.is_empty() {
                continue;
            }
            match v.parse::<i64>() {
                Ok(a) if v.bytes().all(|b| b.is_ascii_digit()) && a <= 1_000_000_000_000 => {
                    if a > 0 {
                        parts.push(SupportPart {
                            source: s.code.clone(),
                            in_kind: false,
                            amount: a,
                            valuation: None,
                        });
                    }
                }
                _ => at(
                    &mut bad,
                    row,
                    &s.code,
                    msg!("money_amount", value = v, min = 0),
                ),
            }
        }
        let in_kind = cell(row, "beneficiary_in_kind");
        if !in_kind.is_empty() {
            match in_kind.parse::<i64>() {
                Ok(a) if in_kind.bytes().all(|b| b.is_ascii_digit()) && a <= 1_000_000_000_000 => {
                    let valuation = cell(row, "in_kind_valuation");
                    if a > 0 && valuation.is_empty() {
                        at(
                            &mut bad,
                            row,
                            "in_kind_valuation",
                            msg!("support_valuation_needed"),
                        );
                    }
                    if a > 0 {
                        parts.push(SupportPart {
                            source: "beneficiary".into(),
                            in_kind: true,
                            amount: a,
                            valuation: Some(valuation.to_string()),
                        });
                    }
                }
                _ => at(
                    &mut bad,
                    row,
                    "beneficiary_in_kind",
                    msg!("money_amount", value = in_kind, min = 0),
                ),
            }
        }
        let reason = cell(row, "override_reason");
        if reason.chars().count() > 500 {
            at(
                &mut bad,
                row,
                "override_reason",
                msg!("money_text_long", max = 500),
            );
        }
        if bad.len() > before {
            continue;
        }
        let Some(decided_on) = decided_on else {
            continue;
        };
        let person_key = member.map(|m| {
            format!(
                "{}|{}",
                fold_name(m.full_name.as_deref().unwrap_or_default()),
                m.birth_date
            )
        });
        read.push(Read {
            number: row.number,
            record: SupportRecord {
                province_code: province,
                commune_code: commune.to_string(),
                household_id,
                household_code: code.to_string(),
                member_no: member.map(|m| m.member_no),
                person_name: member.and_then(|m| m.full_name.clone()),
                person_key,
                id_number: member.and_then(|m| m.id_number.clone()),
                kind: kind.code.clone(),
                program,
                item,
                decision: decision.to_string(),
                decided_on,
                status: status.to_string(),
                delivered_on,
                started_on,
                completed_on,
                note: Some(cell(row, "note").to_string()).filter(|n| !n.is_empty()),
                file: name.rsplit('/').next().map(str::to_string),
                parts,
                ..SupportRecord::default()
            },
            override_reason: Some(reason.to_string()).filter(|r| !r.is_empty()),
            rule_set: Some(cell(row, "rule_set").to_string()).filter(|r| !r.is_empty()),
        });
    }
    if !bad.is_empty() {
        return Err(QueryError::Rejected(named_errors(
            &data.rules,
            standards,
            bad,
        )));
    }
    if read.is_empty() {
        return Err(QueryError::Rejected(vec![RowError::file(
            name,
            msg!("money_no_rows"),
        )]));
    }
    // what the registry knew of each household, and what it and its members received before
    let ids: Vec<i64> = read
        .iter()
        .map(|r| r.record.household_id)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut years: HashMap<i64, Vec<ApprovedYear>> = HashMap::new();
    for y in store.approved_years(&ids).await? {
        years.entry(y.household_id).or_default().push(y);
    }
    let numbers: Vec<String> = read
        .iter()
        .filter_map(|r| r.record.id_number.clone())
        .collect();
    let persons: Vec<String> = read
        .iter()
        .filter_map(|r| r.record.person_key.clone())
        .collect();
    let mut prior: Vec<PriorSupport> = store.prior_support(&ids, &numbers, &persons).await?;
    let budget: BTreeSet<&str> = programs
        .sources
        .iter()
        .filter(|s| s.budget)
        .map(|s| s.code.as_str())
        .collect();
    let mut out = Vec::with_capacity(read.len());
    let mut warnings = Vec::new();
    let mut overrides = 0;
    for (i, r) in read.into_iter().enumerate() {
        let rec = &r.record;
        let Some(kind) = data.rules.kind(&rec.kind) else {
            continue;
        };
        // the household's earlier support for its kinds; the person's (by personal ID) for a
        // member's; a namesake born the same day elsewhere only warns
        let mine = |p: &&PriorSupport| {
            if kind.member {
                match (&rec.id_number, &p.id_number) {
                    (Some(a), Some(b)) => a == b,
                    _ => p.household_id == rec.household_id && p.person_key == rec.person_key,
                }
            } else {
                p.household_id == rec.household_id
            }
        };
        let earlier: Vec<Prior> = prior
            .iter()
            .filter(mine)
            .map(|p| Prior {
                kind: p.kind.clone(),
                decided_on: p.decided_on,
            })
            .collect();
        let state: i64 = rec
            .parts
            .iter()
            .filter(|p| budget.contains(p.source.as_str()))
            .map(|p| p.amount)
            .sum();
        let facts = facts_on(
            years
                .get(&rec.household_id)
                .map(Vec::as_slice)
                .unwrap_or_default(),
            standards,
            &data.statuses,
            &rec.commune_code,
            rec.decided_on,
            earlier,
        );
        let judged = data.rules.judge(
            &Candidate {
                kind: &rec.kind,
                decided_on: rec.decided_on,
                state_amount: state,
                total_amount: rec.total(),
                rule_set: r.rule_set.as_deref(),
            },
            &facts,
        );
        let mut record = r.record.clone();
        match judged {
            Judgement::Eligible { rule_set } => record.rule_set = Some(rule_set),
            Judgement::Refused {
                rule_set,
                rule,
                message,
            } => match &r.override_reason {
                Some(reason) => {
                    record.rule_set = rule_set;
                    record.refused_rule = Some(rule);
                    record.override_reason = Some(reason.clone());
                    overrides += 1;
                    warnings.push(RowError::new(
                        name,
                        r.number,
                        "override_reason",
                        msg!("support_overridden").nested("rule", message),
                    ));
                }
                None => {
                    bad.push(RowError::new(
                        name,
                        r.number,
                        "kind",
                        msg!("support_refused").nested("rule", message),
                    ));
                    continue;
                }
            },
        }
        // a namesake with the same birth day who received the same kind in another household
        if kind.member && kind.duplicate_years > 0 {
            if let Some(p) = prior.iter().find(|p| {
                p.household_id != rec.household_id
                    && p.person_key.is_some()
                    && p.person_key == rec.person_key
                    && data
                        .rules
                        .kind(&p.kind)
                        .is_some_and(|k| k.group() == kind.group())
                    && (kind.within_window(p.decided_on, rec.decided_on)
                        || kind.within_window(rec.decided_on, p.decided_on))
            }) {
                warnings.push(RowError::new(
                    name,
                    r.number,
                    "member_no",
                    msg!("support_namesake", kind = &p.kind).date("date", p.decided_on),
                ));
            }
        }
        // later rows of the file see this one
        prior.push(PriorSupport {
            id: -(i as i64) - 1,
            household_id: rec.household_id,
            id_number: rec.id_number.clone(),
            person_key: rec.person_key.clone(),
            kind: rec.kind.clone(),
            decided_on: rec.decided_on,
        });
        out.push(record);
    }
    if !bad.is_empty() {
        return Err(QueryError::Rejected(named_errors(
            &data.rules,
            standards,
            bad,
        )));
    }
    let warnings = named_errors(&data.rules, standards, warnings);
    Ok(Checked {
        records: out,
        warnings,
        overrides,
    })
}

/// Refusals with kinds and indicators told by their names in the reader's language.
pub(crate) fn named_errors(
    rules: &SupportRules,
    standards: &Standards,
    mut errors: Vec<RowError>,
) -> Vec<RowError> {
    for e in &mut errors {
        e.message = named(rules, standards, e.message.clone());
    }
    errors
}

fn named(rules: &SupportRules, standards: &Standards, mut m: Msg) -> Msg {
    use giamngheo_rules::text::Arg;
    for (name, arg) in m.args.iter_mut() {
        match (*name, &*arg) {
            ("kind", Arg::Text(code)) => {
                if let Some(k) = rules.kind(code) {
                    *arg = Arg::Named(k.name_vi.clone(), k.name_en.clone());
                }
            }
            ("indicators", Arg::List(codes)) => {
                let find = |c: &str| {
                    standards
                        .all()
                        .iter()
                        .flat_map(|s| &s.indicators)
                        .find(|i| i.code == c)
                        .map(|i| (i.name_vi.clone(), i.name_en.clone()))
                        .unwrap_or_else(|| (c.to_string(), c.to_string()))
                };
                let (vi, en): (Vec<String>, Vec<String>) = codes.iter().map(|c| find(c)).unzip();
                *arg = Arg::Named(vi.join(" hoặc "), en.join(" or "));
            }
            (_, Arg::Msg(inner)) => {
                *arg = Arg::Msg(Box::new(named(rules, standards, (**inner).clone())));
            }
            _ => {}
        }
    }
    m
}

/// A duplicate found: the two records, and how they matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicatePair {
    pub first: SupportRecord,
    pub second: SupportRecord,
    pub by: Vec<&'static str>,
}

/// The duplicates among a unit's records (a province's: across its communes).
pub(crate) async fn scan(
    store: &Store,
    data: &SupportData,
    unit: &UnitCode,
) -> Result<(usize, Vec<Duplicate>), QueryError> {
    let rows = store.support_scan(&unit.to_string()).await?;
    let n = rows.len();
    let given: Vec<Given> = rows
        .into_iter()
        .map(
            |(id, kind, decided_on, household_id, id_number, person_key)| Given {
                id,
                kind,
                decided_on,
                household_id,
                person_id: id_number,
                person: person_key.and_then(|k| {
                    k.split_once('|')
                        .map(|(a, b)| (a.to_string(), b.to_string()))
                }),
            },
        )
        .collect();
    Ok((n, duplicates(&data.rules, &given)))
}

impl crate::Scoped<'_> {
    /// Support rows from a form or a file, for the communes of the user's scope, all or none.
    pub async fn write_support(
        &self,
        name: &Arc<str>,
        rows: &[Row],
        today: NaiveDate,
    ) -> Result<SupportWritten, QueryError> {
        if !self.actor().imports() {
            return Err(Denied::Forbidden.into());
        }
        let r = self.registry;
        write_support_rows(
            &r.store,
            &r.programs,
            r.standards(),
            &r.support,
            &self.who(),
            Some(self.actor()),
            name,
            rows,
            today,
        )
        .await
    }

    /// A support file (CSV, or the sheet `ho_tro` of a workbook).
    pub async fn import_support(
        &self,
        path: &Path,
        today: NaiveDate,
    ) -> Result<SupportWritten, QueryError> {
        let cols = columns(&self.registry.programs);
        let cols: Vec<&str> = cols.iter().map(String::as_str).collect();
        let (name, rows) = read_support(path, &cols)?;
        self.write_support(&name, &rows, today).await
    }

    /// A household's support, latest first.
    pub async fn household_support(
        &self,
        household_id: i64,
    ) -> Result<Vec<SupportRecord>, QueryError> {
        let d = self
            .registry
            .store
            .household(household_id)
            .await?
            .ok_or(Denied::NotFound)?;
        if !self.actor().sees_commune(&d.commune_code) {
            return Err(Denied::NotFound.into());
        }
        Ok(self
            .registry
            .store
            .support_of_household(household_id)
            .await?)
    }

    /// A unit's support records, filtered, a page at a time.
    pub async fn support_list(
        &self,
        q: &SupportQuery,
    ) -> Result<(i64, Vec<SupportRecord>), QueryError> {
        let unit = UnitCode::parse(&q.unit).ok_or(Denied::NotFound)?;
        self.actor().read(&unit)?;
        Ok(self.registry.store.support_list(q).await?)
    }

    /// The duplicate beneficiaries among a unit's records: how many records were scanned, and
    /// each pair with both records.
    pub async fn support_duplicates(
        &self,
        unit: &UnitCode,
    ) -> Result<(usize, Vec<DuplicatePair>), QueryError> {
        self.actor().read(unit)?;
        duplicate_pairs(&self.registry.store, &self.registry.support, unit).await
    }
}

/// The duplicates among a unit's records, each pair with both records.
pub(crate) async fn duplicate_pairs(
    store: &Store,
    data: &SupportData,
    unit: &UnitCode,
) -> Result<(usize, Vec<DuplicatePair>), QueryError> {
    let (n, found) = scan(store, data, unit).await?;
    let ids: Vec<i64> = found
        .iter()
        .flat_map(|d| [d.first, d.second])
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let by_id: HashMap<i64, SupportRecord> = store
        .support_records(&ids)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let pairs = found
        .into_iter()
        .filter_map(|d| {
            Some(DuplicatePair {
                first: by_id.get(&d.first)?.clone(),
                second: by_id.get(&d.second)?.clone(),
                by: d.by.iter().map(|m| m.code()).collect(),
            })
        })
        .collect();
    Ok((n, pairs))
}

/// Reads a support file's rows (the header checked against `columns`).
pub fn read_support(path: &Path, columns: &[&str]) -> Result<(Arc<str>, Vec<Row>), QueryError> {
    let required: Vec<&str> = columns
        .iter()
        .copied()
        .filter(|c| !OPTIONAL.contains(c) && SUPPORT_COLUMNS.contains(c))
        .collect();
    crate::money::read_rows_with(path, SUPPORT_SHEET, columns, &required)
        .map_err(QueryError::Rejected)
}

/// The support file's template: the sheet `ho_tro` with its header and an example row, and a
/// sheet of the kinds and rule sets, in the reader's language.
pub fn write_template(
    path: &Path,
    programs: &Programs,
    data: &SupportData,
    vietnamese: bool,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let sheet = book.add_worksheet();
    sheet.set_name(SUPPORT_SHEET)?;
    let cols = columns(programs);
    let example: HashMap<&str, &str> = [
        ("commune_code", "03325"),
        ("household_code", "MP-0001"),
        ("kind", "housing_build"),
        ("item", "DA5"),
        ("decision", "45/QĐ-UBND"),
        ("decided_on", "2025-03-10"),
        ("status", "completed"),
        ("started_on", "2025-04-01"),
        ("completed_on", "2025-07-15"),
        ("central_recurrent", "40000000"),
        ("beneficiary", "25000000"),
        ("beneficiary_in_kind", "10000000"),
        ("in_kind_valuation", "ngày công, gỗ tự có"),
    ]
    .into_iter()
    .collect();
    for (c, h) in cols.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, h, &bold)?;
        sheet.set_column_width(c as u16, 16)?;
        sheet.write_string(1, c as u16, example.get(h.as_str()).copied().unwrap_or(""))?;
    }
    let sheet = book.add_worksheet();
    sheet.set_name("danh_muc")?;
    let heads = if vietnamese {
        ["Loại", "Mã", "Tên", "Thời hạn trùng (năm)"]
    } else {
        ["Of", "Code", "Name", "Duplicate window (years)"]
    };
    for (c, h) in heads.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    sheet.set_column_width(2, 70)?;
    let mut r = 1u32;
    for k in &data.rules.kinds {
        let name = if vietnamese { &k.name_vi } else { &k.name_en };
        sheet.write_string(r, 0, "kind")?;
        sheet.write_string(r, 1, &k.code)?;
        sheet.write_string(r, 2, name)?;
        sheet.write_number(r, 3, f64::from(k.duplicate_years))?;
        r += 1;
    }
    r += 1;
    for s in &data.rules.rule_sets {
        let name = if vietnamese { &s.name_vi } else { &s.name_en };
        sheet.write_string(r, 0, "rule_set")?;
        sheet.write_string(r, 1, &s.id)?;
        sheet.write_string(r, 2, format!("{name} ({} – {})", s.valid.from, s.valid.to))?;
        r += 1;
    }
    book.save(path)
}

/// Records as rows of a support file (the header first), which the import reads back: a column
/// per funding source with its cash amount, the household's part in kind with its valuation;
/// the person's name and the model, for the reader, in `x_` columns the import passes over.
pub fn export_rows(
    programs: &Programs,
    models: &HashMap<i64, String>,
    records: &[SupportRecord],
) -> Vec<Vec<String>> {
    let mut header = columns(programs);
    header.extend(["x_person_name".to_string(), "x_model".to_string()]);
    let mut out = vec![header.clone()];
    let day = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    for r in records {
        let row = header
            .iter()
            .map(|h| match h.as_str() {
                "commune_code" => r.commune_code.clone(),
                "household_code" => r.household_code.clone(),
                "member_no" => r.member_no.map(|n| n.to_string()).unwrap_or_default(),
                "id_number" => r.id_number.clone().unwrap_or_default(),
                "kind" => r.kind.clone(),
                "item" => r.item.clone().unwrap_or_default(),
                "decision" => r.decision.clone(),
                "decided_on" => r.decided_on.to_string(),
                "status" => r.status.clone(),
                "delivered_on" => day(r.delivered_on),
                "started_on" => day(r.started_on),
                "completed_on" => day(r.completed_on),
                "beneficiary_in_kind" => r
                    .parts
                    .iter()
                    .find(|p| p.in_kind)
                    .map(|p| p.amount.to_string())
                    .unwrap_or_default(),
                "in_kind_valuation" => r
                    .parts
                    .iter()
                    .find(|p| p.in_kind)
                    .and_then(|p| p.valuation.clone())
                    .unwrap_or_default(),
                "rule_set" => r.rule_set.clone().unwrap_or_default(),
                "override_reason" => r.override_reason.clone().unwrap_or_default(),
                "note" => r.note.clone().unwrap_or_default(),
                "x_person_name" => r.person_name.clone().unwrap_or_default(),
                "x_model" => r
                    .model_id
                    .and_then(|m| models.get(&m).cloned())
                    .unwrap_or_default(),
                source => r
                    .parts
                    .iter()
                    .find(|p| !p.in_kind && p.source == source)
                    .map(|p| p.amount.to_string())
                    .unwrap_or_default(),
            })
            .collect();
        out.push(row);
    }
    out
}

/// Rows of `export_rows` as a workbook the support import reads back: the sheet `ho_tro`,
/// codes as text, amounts as numbers.
pub fn write_export(
    path: &Path,
    programs: &Programs,
    rows: &[Vec<String>],
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    write_sheet(
        &mut book,
        SUPPORT_SHEET,
        rows,
        &amount_columns(programs, &[]),
    )?;
    book.save(path)
}

/// The columns of a file that hold đồng: one per funding source, the household's part in kind,
/// and `more`.
pub(crate) fn amount_columns<'a>(programs: &'a Programs, more: &[&'a str]) -> BTreeSet<&'a str> {
    programs
        .sources
        .iter()
        .map(|s| s.code.as_str())
        .chain(["beneficiary_in_kind"])
        .chain(more.iter().copied())
        .collect()
}

/// Rows (the header first) as a sheet an import reads back: the header in bold and frozen,
/// the `amounts` columns as numbers shown with thousands' separators, every other cell as text
/// (codes keep their leading zeros).
pub(crate) fn write_sheet(
    book: &mut rust_xlsxwriter::Workbook,
    name: &str,
    rows: &[Vec<String>],
    amounts: &BTreeSet<&str>,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let money = rust_xlsxwriter::Format::new().set_num_format("#,##0");
    let sheet = book.add_worksheet();
    sheet.set_name(name)?;
    let header = rows.first().cloned().unwrap_or_default();
    for (c, h) in header.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, h, &bold)?;
        sheet.set_column_width(c as u16, 15)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    for (r, row) in rows.iter().skip(1).enumerate() {
        let r = r as u32 + 1;
        for (c, (v, h)) in row.iter().zip(&header).enumerate() {
            if v.is_empty() {
                continue;
            }
            match v.parse::<i64>() {
                Ok(n) if amounts.contains(h.as_str()) => {
                    sheet.write_number_with_format(r, c as u16, n as f64, &money)?
                }
                _ => sheet.write_string(r, c as u16, v)?,
            };
        }
    }
    Ok(())
}

impl crate::Scoped<'_> {
    /// A unit's support records, filtered (every page), as rows of a support file.
    pub async fn support_export(&self, q: &SupportQuery) -> Result<Vec<Vec<String>>, QueryError> {
        let unit = UnitCode::parse(&q.unit).ok_or(Denied::NotFound)?;
        self.actor().read(&unit)?;
        export_for(&self.registry.store, &self.registry.programs, &unit, q).await
    }
}

/// A unit's support records, filtered (every page), as rows of a support file.
pub(crate) async fn export_for(
    store: &Store,
    programs: &Programs,
    unit: &UnitCode,
    q: &SupportQuery,
) -> Result<Vec<Vec<String>>, QueryError> {
    let all = SupportQuery {
        unit: unit.to_string(),
        limit: i64::MAX,
        offset: 0,
        ..q.clone()
    };
    let (_, records) = store.support_list(&all).await?;
    let province = province_of(unit)
        .map(|p| p.as_str().to_string())
        .unwrap_or_default();
    let models: HashMap<i64, String> = store
        .models(&province)
        .await?
        .into_iter()
        .map(|m| (m.model.id, m.model.code))
        .collect();
    Ok(export_rows(programs, &models, &records))
}
