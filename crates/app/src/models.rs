//! Livelihood models and production projects, and what support achieved. A model (a value-chain
//! project, a community production project, a poverty-reduction model) is read from a file (the
//! sheet `mo_hinh` of a workbook, or a CSV file of its columns), with its communes, its budget by
//! funding source (the households' counterpart in cash or in kind) and its outputs; its budget
//! keeps to the cost-sharing of its kind in force on its decision's day, by its area's class. Its
//! participants (the sheet `thanh_vien`) are support records of the kind the model kind names,
//! judged and checked for duplicates like any other support, and the model's page shows each
//! participant's class before (on joining) and after (at the next review). Outcomes compare, per
//! programme item and kind of support, how many supported poor households left poverty at the
//! next review with the households of the same communes and years that were not supported, and
//! what each household that escaped cost the state.

use crate::access::{Actor, Denied};
use crate::money::Row;
use crate::registry::QueryError;
use crate::support::{cell, check_support_rows, day_of as day, SupportData};
use giamngheo_rules::chrono::Datelike;
use giamngheo_rules::program::Programs;
use giamngheo_rules::support::{CostSharing, SupportRules};
use giamngheo_rules::{msg, Msg, NaiveDate, Standards, UnitCode};
use giamngheo_store::{ApprovedYear, Store, Who};
pub use giamngheo_store::{Model, ModelSummary, SupportPart, SupportRecord};
use giamngheo_survey::{Catalogue, RowError};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;

/// The sheet a workbook keeps models in.
pub const MODEL_SHEET: &str = "mo_hinh";
/// The sheet a workbook keeps participants in.
pub const PARTICIPANT_SHEET: &str = "thanh_vien";

/// A model file's columns besides one per funding source (its cash amount).
pub const MODEL_COLUMNS: [&str; 14] = [
    "code",
    "name",
    "kind",
    "communes",
    "item",
    "decision",
    "decided_on",
    "starts_on",
    "ends_on",
    "area_class",
    "area_basis",
    "outputs",
    "beneficiary_in_kind",
    "in_kind_valuation",
];

const MODEL_REQUIRED: [&str; 6] = ["code", "name", "kind", "communes", "decision", "decided_on"];

/// A participants file's columns.
pub const PARTICIPANT_COLUMNS: [&str; 12] = [
    "model_code",
    "commune_code",
    "household_code",
    "member_no",
    "id_number",
    "joined_on",
    "state_amount",
    "beneficiary",
    "beneficiary_in_kind",
    "in_kind_valuation",
    "override_reason",
    "note",
];

const PARTICIPANT_REQUIRED: [&str; 3] = ["model_code", "commune_code", "household_code"];

const AREA_CLASSES: [&str; 3] = ["extremely_difficult", "difficult", "other"];

/// An area class's name in each language.
pub fn area_words(code: &str) -> (&'static str, &'static str) {
    match code {
        "extremely_difficult" => ("địa bàn đặc biệt khó khăn", "extremely difficult area"),
        "difficult" => ("địa bàn khó khăn", "difficult area"),
        _ => ("địa bàn khác", "other area"),
    }
}

/// The columns a model file may have: the fixed ones, one per funding source, then the rest.
pub fn model_columns(programs: &Programs) -> Vec<String> {
    let mut c: Vec<String> = MODEL_COLUMNS.iter().map(|s| s.to_string()).collect();
    c.extend(programs.sources.iter().map(|s| s.code.clone()));
    c.extend(["override_reason".to_string(), "note".to_string()]);
    c
}

/// What a model file held: its models' rows and its participants' rows (either may be empty).
#[derive(Debug, Clone, Default)]
pub struct ModelFile {
    pub models: Option<(Arc<str>, Vec<Row>)>,
    pub participants: Option<(Arc<str>, Vec<Row>)>,
}

/// Reads a model file: a workbook's sheets `mo_hinh` and `thanh_vien` (at least one), or a CSV
/// file of models or of participants (told by its header).
pub fn read_model_file(path: &Path, programs: &Programs) -> Result<ModelFile, QueryError> {
    let mcols = model_columns(programs);
    let mcols: Vec<&str> = mcols.iter().map(String::as_str).collect();
    let read = |sheet: &str, cols: &[&str], required: &[&str]| {
        crate::money::read_rows_with(path, sheet, cols, required)
    };
    let no_sheet = |e: &[RowError]| e.len() == 1 && e[0].message.key == "no_sheet";
    if giamngheo_survey::source::is_xlsx(path) {
        let models = match read(MODEL_SHEET, &mcols, &MODEL_REQUIRED) {
            Ok(m) => Some(m),
            Err(e) if no_sheet(&e) => None,
            Err(e) => return Err(QueryError::Rejected(e)),
        };
        let participants = match read(
            PARTICIPANT_SHEET,
            &PARTICIPANT_COLUMNS,
            &PARTICIPANT_REQUIRED,
        ) {
            Ok(p) => Some(p),
            Err(e) if no_sheet(&e) && models.is_some() => None,
            Err(e) => return Err(QueryError::Rejected(e)),
        };
        return Ok(ModelFile {
            models,
            participants,
        });
    }
    let header = csv::Reader::from_path(path)
        .and_then(|mut r| r.headers().cloned())
        .map(|h| {
            h.iter()
                .any(|c| c.trim().trim_start_matches('\u{feff}') == "model_code")
        })
        .unwrap_or(false);
    if header {
        Ok(ModelFile {
            models: None,
            participants: Some(
                read("", &PARTICIPANT_COLUMNS, &PARTICIPANT_REQUIRED)
                    .map_err(QueryError::Rejected)?,
            ),
        })
    } else {
        Ok(ModelFile {
            models: Some(read("", &mcols, &MODEL_REQUIRED).map_err(QueryError::Rejected)?),
            participants: None,
        })
    }
}

/// What a model write took, and what it warns of.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ModelsWritten {
    pub models: usize,
    pub participants: usize,
    pub amount: i64,
    pub overrides: usize,
    pub warnings: Vec<RowError>,
}

fn amount(bad: &mut Vec<RowError>, name: &Arc<str>, row: &Row, column: &str) -> i64 {
    let v = cell(row, column);
    if v.is_empty() {
        return 0;
    }
    match v.parse::<i64>() {
        Ok(a) if v.bytes().all(|b| b.is_ascii_digit()) && a <= 1_000_000_000_000 => a,
        _ => {
            bad.push(RowError::new(
                name,
                row.number,
                column,
                msg!("money_amount", value = v, min = 0),
            ));
            0
        }
    }
}

/// The state budget's share of parts, and all of them.
fn state_and_total(programs: &Programs, parts: &[SupportPart]) -> (i64, i64) {
    let budget: BTreeSet<&str> = programs
        .sources
        .iter()
        .filter(|s| s.budget)
        .map(|s| s.code.as_str())
        .collect();
    let state = parts
        .iter()
        .filter(|p| budget.contains(p.source.as_str()))
        .map(|p| p.amount)
        .sum();
    (state, parts.iter().map(|p| p.amount).sum())
}

/// The state budget's source that carries most of a model's budget: its participants' state
/// amounts are recorded against it.
fn main_source(programs: &Programs, m: &Model) -> Option<String> {
    m.parts
        .iter()
        .filter(|p| {
            programs
                .sources
                .iter()
                .any(|s| s.budget && s.code == p.source)
        })
        .max_by_key(|p| p.amount)
        .map(|p| p.source.clone())
}

/// The least favourable class of communes on a day: the one with the lowest state share.
fn area_of(
    data: &SupportData,
    sharing: Option<&CostSharing>,
    communes: &[String],
    on: NaiveDate,
) -> String {
    let classes = communes
        .iter()
        .map(|c| CostSharing::area_class(&data.statuses.on(c, on)));
    match sharing {
        Some(s) => classes.min_by_key(|a| s.percent(a)),
        None => classes.max_by_key(|a| AREA_CLASSES.iter().position(|x| x == a)),
    }
    .unwrap_or("other")
    .to_string()
}

/// Checks, judges and writes a model file's models and participants, all or none.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn write_model_file(
    store: &Store,
    programs: &Programs,
    standards: &Standards,
    data: &SupportData,
    who: &Who,
    actor: Option<&Actor>,
    file: &ModelFile,
    today: NaiveDate,
) -> Result<ModelsWritten, QueryError> {
    let cat = Catalogue::builtin();
    let rules: &SupportRules = &data.rules;
    let mut bad: Vec<RowError> = Vec::new();
    let mut warnings: Vec<RowError> = Vec::new();
    let mut models: Vec<Model> = Vec::new();
    let mut overrides = 0;
    let empty: (Arc<str>, Vec<Row>) = (Arc::from(""), Vec::new());
    let (mname, mrows) = file.models.as_ref().unwrap_or(&empty);
    let mut codes_in_file: HashMap<(String, String), usize> = HashMap::new();
    let mut model_rows: Vec<u64> = Vec::new();
    for row in mrows {
        let before = bad.len();
        let at = |bad: &mut Vec<RowError>, column: &str, m: Msg| {
            bad.push(RowError::new(mname, row.number, column, m));
        };
        let code = cell(row, "code");
        if code.is_empty() || code.chars().count() > 40 {
            at(&mut bad, "code", msg!("model_code"));
        }
        let name = cell(row, "name");
        if name.is_empty() || name.chars().count() > 200 {
            at(&mut bad, "name", msg!("model_name"));
        }
        let kind = rules.model_kind(cell(row, "kind"));
        if kind.is_none() {
            let known: Vec<&str> = rules.model_kinds.iter().map(|k| k.code.as_str()).collect();
            at(
                &mut bad,
                "kind",
                msg!("model_kind_unknown", kind = cell(row, "kind")).list("known", &known),
            );
        }
        // its communes: known, in the user's scope, of one province
        let communes: Vec<String> = cell(row, "communes")
            .split([';', ',', ' '])
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        if communes.is_empty() {
            at(&mut bad, "communes", msg!("value_missing"));
        }
        let mut provinces = BTreeSet::new();
        for c in &communes {
            match cat.commune(c) {
                None => at(
                    &mut bad,
                    "communes",
                    msg!("support_commune_unknown", commune = c.as_str()),
                ),
                Some(k) => {
                    provinces.insert(k.province_code.clone());
                    if actor.is_some_and(|a| !a.sees_commune(c)) {
                        at(
                            &mut bad,
                            "communes",
                            msg!("money_out_of_scope", unit = c.as_str()),
                        );
                    }
                }
            }
        }
        if provinces.len() > 1 {
            at(&mut bad, "communes", msg!("model_one_province"));
        }
        let decision = cell(row, "decision");
        if decision.is_empty() || decision.chars().count() > 120 {
            at(&mut bad, "decision", msg!("money_text_long", max = 120));
        }
        let decided_on = day(&mut bad, mname, row, "decided_on");
        if cell(row, "decided_on").is_empty() {
            at(&mut bad, "decided_on", msg!("value_missing"));
        }
        let starts_on = day(&mut bad, mname, row, "starts_on").or(decided_on);
        let ends_on = day(&mut bad, mname, row, "ends_on");
        if let Some(d) = decided_on.filter(|d| *d > today) {
            at(
                &mut bad,
                "decided_on",
                msg!("support_day_future").date("date", d),
            );
        }
        if let (Some(s), Some(e)) = (starts_on, ends_on) {
            if e < s {
                at(
                    &mut bad,
                    "ends_on",
                    msg!("support_day_order").date("date", e),
                );
            }
        }
        // the item, of the programme in force on the decision's day
        let item = cell(row, "item");
        let mut program = None;
        let mut item_code = None;
        if let (false, Some(d)) = (item.is_empty(), decided_on) {
            if let Some(p) = programs.for_year(d.year()) {
                match p.item(item).filter(|i| i.leaf) {
                    Some(i) => {
                        program = Some(p.id.clone());
                        item_code = Some(i.code.clone());
                    }
                    None => at(
                        &mut bad,
                        "item",
                        msg!("money_item_unknown", item = item, program = &p.name_vi).list(
                            "known",
                            &p.leaves().map(|i| i.code.as_str()).collect::<Vec<_>>(),
                        ),
                    ),
                }
            }
        }
        // the budget: a column per source, the households' part in kind with its valuation
        let mut parts = Vec::new();
        for s in &programs.sources {
            let a = amount(&mut bad, mname, row, &s.code);
            if a > 0 {
                parts.push(SupportPart {
                    source: s.code.clone(),
                    in_kind: false,
                    amount: a,
                    valuation: None,
                });
            }
        }
        let in_kind = amount(&mut bad, mname, row, "beneficiary_in_kind");
        if in_kind > 0 {
            let valuation = cell(row, "in_kind_valuation");
            if valuation.is_empty() {
                at(
                    &mut bad,
                    "in_kind_valuation",
                    msg!("support_valuation_needed"),
                );
            }
            parts.push(SupportPart {
                source: "beneficiary".into(),
                in_kind: true,
                amount: in_kind,
                valuation: Some(valuation.to_string()),
            });
        }
        let any_amount = programs
            .sources
            .iter()
            .map(|s| s.code.as_str())
            .chain(["beneficiary_in_kind"])
            .any(|c| !cell(row, c).is_empty());
        if parts.is_empty() && !any_amount {
            at(&mut bad, "code", msg!("model_no_budget"));
        }
        let area_basis = cell(row, "area_basis");
        let declared = cell(row, "area_class");
        if !declared.is_empty() && !AREA_CLASSES.contains(&declared) {
            at(
                &mut bad,
                "area_class",
                msg!("model_area_unknown", area = declared).list("known", &AREA_CLASSES),
            );
        }
        let reason = cell(row, "override_reason");
        if reason.chars().count() > 500 || area_basis.chars().count() > 200 {
            at(
                &mut bad,
                "override_reason",
                msg!("money_text_long", max = 500),
            );
        }
        let (Some(kind), Some(decided_on), Some(starts_on)) = (kind, decided_on, starts_on) else {
            continue;
        };
        if bad.len() > before {
            continue;
        }
        let province = provinces.into_iter().next().unwrap_or_default();
        if let Some(&first) = codes_in_file.get(&(province.clone(), code.to_string())) {
            at(
                &mut bad,
                "code",
                msg!("model_code_twice", code = code, row = model_rows[first]),
            );
            continue;
        }
        // the area's class: the data's, unless the officer names the document that classes it
        let sharing = rules.cost_sharing(&kind.code, decided_on);
        let known_area = area_of(data, sharing, &communes, decided_on);
        let area = match declared {
            "" => known_area,
            d if d == known_area => known_area,
            d if area_basis.is_empty() => {
                at(
                    &mut bad,
                    "area_basis",
                    msg!("model_area_basis", area = d).named(
                        "known",
                        area_words(&known_area).0,
                        area_words(&known_area).1,
                    ),
                );
                continue;
            }
            d => d.to_string(),
        };
        let mut model = Model {
            province_code: province,
            code: code.to_string(),
            name: name.to_string(),
            kind: kind.code.clone(),
            program,
            item: item_code,
            decision: decision.to_string(),
            decided_on,
            starts_on,
            ends_on,
            area_class: area,
            area_basis: Some(area_basis.to_string()).filter(|b| !b.is_empty()),
            outputs: Some(cell(row, "outputs").chars().take(1000).collect::<String>())
                .filter(|o| !o.is_empty()),
            note: Some(cell(row, "note").to_string()).filter(|n| !n.is_empty()),
            file: mname.rsplit('/').next().map(|n| n.to_string()),
            communes,
            parts,
            ..Model::default()
        };
        // the cost-sharing of its kind in force on its decision's day
        if let Some(sh) = sharing {
            let (state, total) = state_and_total(programs, &model.parts);
            if let Err(m) = sh.check(&model.area_class, total, state) {
                if reason.is_empty() {
                    at(&mut bad, "code", msg!("support_refused").nested("rule", m));
                    continue;
                }
                model.refused_rule = Some(m.key.to_string());
                model.override_reason = Some(reason.to_string());
                overrides += 1;
                warnings.push(RowError::new(
                    mname,
                    row.number,
                    "override_reason",
                    msg!("support_overridden").nested("rule", m),
                ));
            }
        }
        codes_in_file.insert(
            (model.province_code.clone(), model.code.clone()),
            models.len(),
        );
        model_rows.push(row.number);
        models.push(model);
    }
    // stored models participants join, by code in each province
    let (pname, prows) = file.participants.as_ref().unwrap_or(&empty);
    let mut stored: HashMap<(String, String), Model> = HashMap::new();
    let mut wanted: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for m in &models {
        wanted
            .entry(m.province_code.clone())
            .or_default()
            .insert(m.code.clone());
    }
    for row in prows {
        if let Some(p) = cat.commune(cell(row, "commune_code")) {
            wanted
                .entry(p.province_code.clone())
                .or_default()
                .insert(cell(row, "model_code").to_string());
        }
    }
    for (province, codes) in &wanted {
        let codes: Vec<String> = codes.iter().cloned().collect();
        for m in store.models_by_code(province, &codes).await? {
            if let Some(&i) = codes_in_file.get(&(m.province_code.clone(), m.code.clone())) {
                bad.push(RowError::new(
                    mname,
                    model_rows[i],
                    "code",
                    msg!("model_code_taken", code = &m.code),
                ));
            }
            stored.insert((m.province_code.clone(), m.code.clone()), m);
        }
    }
    // each participant as a support row of its model's kind, item and decision
    let mut support_rows: Vec<Row> = Vec::new();
    let mut of_model: Vec<(i64, Option<usize>)> = Vec::new();
    let mut state_given: HashMap<(String, String), (i64, i64)> = HashMap::new();
    for row in prows {
        let before = bad.len();
        let at = |bad: &mut Vec<RowError>, column: &str, m: Msg| {
            bad.push(RowError::new(pname, row.number, column, m));
        };
        let commune = cell(row, "commune_code");
        let Some(c) = cat.commune(commune) else {
            at(
                &mut bad,
                "commune_code",
                msg!("support_commune_unknown", commune = commune),
            );
            continue;
        };
        let code = cell(row, "model_code");
        let key = (c.province_code.clone(), code.to_string());
        let (model, new_index) = match codes_in_file.get(&key) {
            Some(&i) => match models.get(i) {
                Some(m) => (m, Some(i)),
                None => continue,
            },
            None => match stored.get(&key) {
                Some(m) => (m, None),
                None => {
                    at(&mut bad, "model_code", msg!("model_unknown", code = code));
                    continue;
                }
            },
        };
        if !model.communes.iter().any(|m| m == commune) {
            at(
                &mut bad,
                "commune_code",
                msg!("model_commune_outside", commune = commune, code = code),
            );
            continue;
        }
        let joined = day(&mut bad, pname, row, "joined_on").unwrap_or(model.decided_on);
        if joined < model.decided_on {
            at(
                &mut bad,
                "joined_on",
                msg!("support_day_order").date("date", joined),
            );
        }
        let state = amount(&mut bad, pname, row, "state_amount");
        let source = main_source(programs, model);
        if state > 0 && source.is_none() {
            at(&mut bad, "state_amount", msg!("model_no_state_budget"));
        }
        if bad.len() > before {
            continue;
        }
        // the participants' state amounts keep within the model's state budget
        let (budget, _) = state_and_total(programs, &model.parts);
        let given = state_given.entry(key.clone()).or_insert((0, budget));
        given.0 += state;
        if given.0 > given.1 {
            at(
                &mut bad,
                "state_amount",
                msg!("model_participants_over")
                    .money("state", given.0)
                    .money("budget", given.1),
            );
            continue;
        }
        let Some(kind) = rules.model_kind(&model.kind) else {
            continue;
        };
        let mut cells: HashMap<String, String> = HashMap::new();
        for c in [
            "commune_code",
            "household_code",
            "member_no",
            "id_number",
            "beneficiary",
            "beneficiary_in_kind",
            "in_kind_valuation",
            "override_reason",
            "note",
        ] {
            cells.insert(c.to_string(), cell(row, c).to_string());
        }
        cells.insert("kind".into(), kind.support_kind.clone());
        cells.insert("item".into(), model.item.clone().unwrap_or_default());
        cells.insert("decision".into(), model.decision.clone());
        cells.insert("decided_on".into(), joined.format("%Y-%m-%d").to_string());
        if let Some(s) = source.filter(|_| state > 0) {
            cells.insert(s, state.to_string());
        }
        support_rows.push(Row {
            number: row.number,
            cells,
        });
        of_model.push((model.id, new_index));
    }
    // what participants already stored received from their models' state budgets
    for ((province, code), (given, budget)) in &state_given {
        if let Some(m) = stored.get(&(province.clone(), code.clone())) {
            let earlier: i64 = store
                .model_participants(m.id)
                .await?
                .iter()
                .map(|r| state_and_total(programs, &r.parts).0)
                .sum();
            if earlier + given > *budget {
                bad.push(RowError::file(
                    pname,
                    msg!("model_participants_over")
                        .money("state", earlier + given)
                        .money("budget", *budget),
                ));
            }
        }
    }
    if !bad.is_empty() {
        return Err(QueryError::Rejected(crate::support::named_errors(
            rules, standards, bad,
        )));
    }
    if models.is_empty() && support_rows.is_empty() {
        let name = if mname.is_empty() { pname } else { mname };
        return Err(QueryError::Rejected(vec![RowError::file(
            name,
            msg!("money_no_rows"),
        )]));
    }
    let mut checked = None;
    if !support_rows.is_empty() {
        match check_support_rows(
            store,
            programs,
            standards,
            data,
            actor,
            pname,
            &support_rows,
            today,
        )
        .await
        {
            Ok(c) => checked = Some(c),
            Err(QueryError::Rejected(errors)) => {
                return Err(QueryError::Rejected(
                    errors.into_iter().map(participant_column).collect(),
                ))
            }
            Err(e) => return Err(e),
        }
    }
    let (records, extra, more) = match checked {
        Some(c) => (c.records, c.warnings, c.overrides),
        None => (Vec::new(), Vec::new(), 0),
    };
    warnings.extend(extra.into_iter().map(participant_column));
    let records: Vec<SupportRecord> = records
        .into_iter()
        .zip(&of_model)
        .map(|(mut r, (id, new))| {
            r.model_id = Some(match new {
                Some(i) => -(*i as i64) - 1,
                None => *id,
            });
            r
        })
        .collect();
    let amount = models.iter().map(Model::total).sum::<i64>();
    store.write_models(who, &models, &records).await?;
    Ok(ModelsWritten {
        models: models.len(),
        participants: records.len(),
        amount,
        overrides: overrides + more,
        warnings: crate::support::named_errors(rules, standards, warnings),
    })
}

/// A participant's error as its sheet names the column: the support row's kind, item and
/// decision come from its model, its day from `joined_on`, a source's amount from
/// `state_amount`.
fn participant_column(mut e: RowError) -> RowError {
    let column = match e.column.as_str() {
        "kind" | "item" | "decision" => "model_code",
        "decided_on" => "joined_on",
        "commune_code"
        | "household_code"
        | "member_no"
        | "id_number"
        | "beneficiary"
        | "beneficiary_in_kind"
        | "in_kind_valuation"
        | "override_reason"
        | "note"
        | "" => return e,
        _ => "state_amount",
    };
    e.column = column.to_string();
    e
}

/// A participant as a model's page shows them: their record, and their household's class on
/// joining and at the next review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participant {
    pub record: SupportRecord,
    pub before: Option<(i32, String)>,
    pub after: Option<(i32, String)>,
}

/// How the participants of a model (or the supported households of a kind) fared: how many,
/// poor or near-poor on joining, and at the next review out of poverty, out of near-poverty,
/// fallen into poverty; those with no next review yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Results {
    pub households: usize,
    pub poor_before: usize,
    pub near_poor_before: usize,
    pub reviewed: usize,
    pub left_poverty: usize,
    pub left_near_poverty: usize,
    pub fell_into_poverty: usize,
    pub not_yet_reviewed: usize,
}

/// The class of a household on a day (the latest review approved by then) and at the next
/// review after it.
fn before_after(
    years: &[ApprovedYear],
    on: NaiveDate,
) -> (Option<&ApprovedYear>, Option<&ApprovedYear>) {
    let before = years
        .iter()
        .filter(|y| y.approved_on <= on)
        .max_by_key(|y| (y.approved_on, y.year));
    let after = match before {
        Some(b) => years
            .iter()
            .filter(|y| y.year > b.year)
            .min_by_key(|y| y.year),
        None => None,
    };
    (before, after)
}

fn tally(pairs: &[(Option<&str>, Option<&str>)]) -> Results {
    let mut r = Results {
        households: pairs.len(),
        ..Results::default()
    };
    for (before, after) in pairs {
        match *before {
            Some("poor") => r.poor_before += 1,
            Some("near_poor") => r.near_poor_before += 1,
            _ => {}
        }
        let Some(after) = *after else {
            r.not_yet_reviewed += 1;
            continue;
        };
        r.reviewed += 1;
        match (*before, after) {
            (Some("poor"), a) if a != "poor" => r.left_poverty += 1,
            (Some("near_poor"), a) if a != "poor" && a != "near_poor" => r.left_near_poverty += 1,
            (Some(b), "poor") if b != "poor" => r.fell_into_poverty += 1,
            _ => {}
        }
    }
    r
}

/// A model as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelView {
    pub model: Model,
    pub participants: Vec<Participant>,
    pub results: Results,
    /// The state budget's part and the whole budget.
    pub state: i64,
    pub total: i64,
    /// The state's largest share for its kind and area, percent, when a cost-sharing applies.
    pub ceiling: Option<u32>,
    /// The participants' state amounts together.
    pub given: i64,
}

/// One outcome line: a programme item and kind of support.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub item: Option<String>,
    pub kind: String,
    pub kind_vi: String,
    pub kind_en: String,
    pub records: usize,
    pub results: Results,
    /// Percent of the supported poor households reviewed again that left poverty.
    pub escape_rate: Option<f64>,
    /// The same among poor households of the same communes and years not given this support.
    pub comparable: usize,
    pub comparable_rate: Option<f64>,
    pub state_cost: i64,
    pub total_cost: i64,
    /// The state's cost over the households that left poverty, đồng.
    pub cost_per_escaped: Option<i64>,
}

impl crate::Scoped<'_> {
    /// A model file (a workbook with `mo_hinh` and `thanh_vien`, or a CSV of either), for the
    /// communes of the user's scope, all or none.
    pub async fn import_models(
        &self,
        path: &Path,
        today: NaiveDate,
    ) -> Result<ModelsWritten, QueryError> {
        let file = read_model_file(path, &self.registry.programs)?;
        self.write_models(&file, today).await
    }

    /// Models and participants already read (from a file or a form), all or none.
    pub async fn write_models(
        &self,
        file: &ModelFile,
        today: NaiveDate,
    ) -> Result<ModelsWritten, QueryError> {
        if !self.actor().imports() {
            return Err(Denied::Forbidden.into());
        }
        let r = self.registry;
        write_model_file(
            &r.store,
            &r.programs,
            r.standards(),
            &r.support,
            &self.who(),
            Some(self.actor()),
            file,
            today,
        )
        .await
    }

    /// A unit's models (a province's all; a commune's those reaching it).
    pub async fn models(&self, unit: &UnitCode) -> Result<Vec<ModelSummary>, QueryError> {
        self.actor().read(unit)?;
        Ok(self.registry.store.models(&unit.to_string()).await?)
    }

    /// One model with its participants and how they fared. A commune officer sees a model
    /// reaching their commune, and only its participants there.
    pub async fn model(&self, id: i64) -> Result<ModelView, QueryError> {
        let r = self.registry;
        let model = r.store.model(id).await?.ok_or(Denied::NotFound)?;
        if !model.communes.iter().any(|c| self.actor().sees_commune(c)) {
            return Err(Denied::NotFound.into());
        }
        let records: Vec<SupportRecord> = r
            .store
            .model_participants(id)
            .await?
            .into_iter()
            .filter(|p| self.actor().sees_commune(&p.commune_code))
            .collect();
        model_view(&r.store, &r.programs, &r.support, model, records).await
    }

    /// Outcomes of a unit's support, per programme item and kind.
    pub async fn outcomes(&self, unit: &UnitCode) -> Result<Vec<Outcome>, QueryError> {
        self.actor().read(unit)?;
        let r = self.registry;
        outcomes(&r.store, &r.programs, &r.support.rules, unit).await
    }
}

async fn model_view(
    store: &Store,
    programs: &Programs,
    data: &SupportData,
    model: Model,
    records: Vec<SupportRecord>,
) -> Result<ModelView, QueryError> {
    let ids: Vec<i64> = records
        .iter()
        .map(|p| p.household_id)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut years: HashMap<i64, Vec<ApprovedYear>> = HashMap::new();
    for y in store.approved_years(&ids).await? {
        years.entry(y.household_id).or_default().push(y);
    }
    let mut seen = BTreeSet::new();
    let mut pairs = Vec::new();
    let mut participants = Vec::with_capacity(records.len());
    for rec in records {
        let ys = years
            .get(&rec.household_id)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let (b, a) = before_after(ys, rec.decided_on);
        if seen.insert(rec.household_id) {
            pairs.push((b.map(|y| y.class.as_str()), a.map(|y| y.class.as_str())));
        }
        participants.push(Participant {
            before: b.map(|y| (y.year, y.class.clone())),
            after: a.map(|y| (y.year, y.class.clone())),
            record: rec,
        });
    }
    let results = tally(&pairs);
    let (state, total) = state_and_total(programs, &model.parts);
    let ceiling = data
        .rules
        .cost_sharing(&model.kind, model.decided_on)
        .map(|s| s.percent(&model.area_class));
    let given = participants
        .iter()
        .map(|p| state_and_total(programs, &p.record.parts).0)
        .sum();
    Ok(ModelView {
        model,
        participants,
        results,
        state,
        total,
        ceiling,
        given,
    })
}

fn percent(n: usize, of: usize) -> Option<f64> {
    (of > 0).then(|| 100.0 * n as f64 / of as f64)
}

/// Outcomes of a unit's support, per programme item and kind: the households each reached, how
/// those poor on the decision's day fared at the next review, against the poor households of
/// the same commune and year that did not receive it (weighted as the supported are), and the
/// state's cost per household that left poverty.
pub(crate) async fn outcomes(
    store: &Store,
    programs: &Programs,
    rules: &SupportRules,
    unit: &UnitCode,
) -> Result<Vec<Outcome>, QueryError> {
    let budget: Vec<String> = programs
        .sources
        .iter()
        .filter(|s| s.budget)
        .map(|s| s.code.clone())
        .collect();
    let code = unit.to_string();
    let costs = store.support_costs(&code, &budget).await?;
    let ids: Vec<i64> = costs
        .iter()
        .map(|c| c.household_id)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut years: HashMap<i64, Vec<ApprovedYear>> = HashMap::new();
    for y in store.approved_years(&ids).await? {
        years.entry(y.household_id).or_default().push(y);
    }
    // poor households by commune and year, and whether they were poor the next year
    // (household, left poverty at the next review) by commune and year
    type Poor = Vec<(i64, Option<bool>)>;
    let mut strata: HashMap<(String, i32), Poor> = HashMap::new();
    for t in store.poor_transitions(&code).await? {
        strata
            .entry((t.commune_code, t.year))
            .or_default()
            .push((t.household_id, t.next.map(|c| c != "poor")));
    }
    #[derive(Default)]
    struct Group<'a> {
        records: usize,
        state: i64,
        total: i64,
        // each household once: its class before and after its first support of the group
        households: BTreeMap<i64, (Option<&'a ApprovedYear>, Option<&'a ApprovedYear>, String)>,
    }
    let mut groups: BTreeMap<(Option<String>, String), Group> = BTreeMap::new();
    for c in &costs {
        let g = groups.entry((c.item.clone(), c.kind.clone())).or_default();
        g.records += 1;
        g.state += c.state;
        g.total += c.total;
        let ys = years
            .get(&c.household_id)
            .map(Vec::as_slice)
            .unwrap_or_default();
        g.households.entry(c.household_id).or_insert_with(|| {
            let (b, a) = before_after(ys, c.decided_on);
            (b, a, c.commune_code.clone())
        });
    }
    let mut out = Vec::new();
    for ((item, kind), g) in groups {
        let pairs: Vec<(Option<&str>, Option<&str>)> = g
            .households
            .values()
            .map(|(b, a, _)| (b.map(|y| y.class.as_str()), a.map(|y| y.class.as_str())))
            .collect();
        let results = tally(&pairs);
        let escaped = results.left_poverty;
        let reviewed_poor = g
            .households
            .values()
            .filter(|(b, a, _)| b.is_some_and(|y| y.class == "poor") && a.is_some())
            .count();
        // the comparison: poor households of the same commune and year without this support
        let supported: BTreeSet<i64> = g.households.keys().copied().collect();
        let mut weight: HashMap<(String, i32), usize> = HashMap::new();
        for (b, a, commune) in g.households.values() {
            if let (Some(b), Some(_)) = (b, a) {
                if b.class == "poor" {
                    *weight.entry((commune.clone(), b.year)).or_default() += 1;
                }
            }
        }
        let (mut comparable, mut weighted, mut weights) = (0usize, 0.0f64, 0usize);
        for (stratum, w) in &weight {
            let Some(list) = strata.get(stratum) else {
                continue;
            };
            let others: Vec<bool> = list
                .iter()
                .filter(|(h, _)| !supported.contains(h))
                .filter_map(|(_, next)| *next)
                .collect();
            if others.is_empty() {
                continue;
            }
            comparable += others.len();
            let rate = others.iter().filter(|e| **e).count() as f64 / others.len() as f64;
            weighted += rate * *w as f64;
            weights += w;
        }
        let (kind_vi, kind_en) = rules
            .kind(&kind)
            .map(|k| (k.name_vi.clone(), k.name_en.clone()))
            .unwrap_or_else(|| (kind.clone(), kind.clone()));
        out.push(Outcome {
            item,
            kind_vi,
            kind_en,
            kind,
            records: g.records,
            escape_rate: percent(escaped, reviewed_poor),
            comparable,
            comparable_rate: (weights > 0).then(|| 100.0 * weighted / weights as f64),
            state_cost: g.state,
            total_cost: g.total,
            cost_per_escaped: (escaped > 0).then(|| g.state / escaped as i64),
            results,
        });
    }
    Ok(out)
}

/// A unit's models and their participants as the two sheets of a model file (each with its
/// header first), which the import reads: a commune's those reaching it, with its own
/// participants.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ModelsExport {
    pub models: Vec<Vec<String>>,
    pub participants: Vec<Vec<String>>,
}

fn export_of(
    programs: &Programs,
    models: &[Model],
    participants: &[(String, SupportRecord)],
) -> ModelsExport {
    let mcols = model_columns(programs);
    let day = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let in_kind = |parts: &[SupportPart]| {
        parts
            .iter()
            .find(|p| p.in_kind)
            .map(|p| {
                (
                    p.amount.to_string(),
                    p.valuation.clone().unwrap_or_default(),
                )
            })
            .unwrap_or_default()
    };
    let mut out = ModelsExport {
        models: vec![mcols.clone()],
        participants: vec![PARTICIPANT_COLUMNS.iter().map(|c| c.to_string()).collect()],
    };
    for m in models {
        let (kind_amount, valuation) = in_kind(&m.parts);
        out.models.push(
            mcols
                .iter()
                .map(|c| match c.as_str() {
                    "code" => m.code.clone(),
                    "name" => m.name.clone(),
                    "kind" => m.kind.clone(),
                    "communes" => m.communes.join(";"),
                    "item" => m.item.clone().unwrap_or_default(),
                    "decision" => m.decision.clone(),
                    "decided_on" => m.decided_on.to_string(),
                    "starts_on" => m.starts_on.to_string(),
                    "ends_on" => day(m.ends_on),
                    "area_class" => m.area_class.clone(),
                    "area_basis" => m.area_basis.clone().unwrap_or_default(),
                    "outputs" => m.outputs.clone().unwrap_or_default(),
                    "beneficiary_in_kind" => kind_amount.clone(),
                    "in_kind_valuation" => valuation.clone(),
                    "override_reason" => m.override_reason.clone().unwrap_or_default(),
                    "note" => m.note.clone().unwrap_or_default(),
                    source => m
                        .parts
                        .iter()
                        .find(|p| !p.in_kind && p.source == source)
                        .map(|p| p.amount.to_string())
                        .unwrap_or_default(),
                })
                .collect(),
        );
    }
    for (code, r) in participants {
        let (kind_amount, valuation) = in_kind(&r.parts);
        let state = state_and_total(programs, &r.parts).0;
        out.participants.push(
            PARTICIPANT_COLUMNS
                .iter()
                .map(|c| match *c {
                    "model_code" => code.clone(),
                    "commune_code" => r.commune_code.clone(),
                    "household_code" => r.household_code.clone(),
                    "member_no" => r.member_no.map(|n| n.to_string()).unwrap_or_default(),
                    "id_number" => r.id_number.clone().unwrap_or_default(),
                    "joined_on" => r.decided_on.to_string(),
                    "state_amount" if state > 0 => state.to_string(),
                    "state_amount" => String::new(),
                    "beneficiary" => r
                        .parts
                        .iter()
                        .find(|p| !p.in_kind && p.source == "beneficiary")
                        .map(|p| p.amount.to_string())
                        .unwrap_or_default(),
                    "beneficiary_in_kind" => kind_amount.clone(),
                    "in_kind_valuation" => valuation.clone(),
                    "override_reason" => r.override_reason.clone().unwrap_or_default(),
                    _ => r.note.clone().unwrap_or_default(),
                })
                .collect(),
        );
    }
    out
}

/// The two sheets of `ModelsExport` as a workbook the import reads back: codes as text,
/// amounts as numbers.
pub fn write_models_workbook(
    path: &Path,
    programs: &Programs,
    e: &ModelsExport,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let amounts = crate::support::amount_columns(programs, &["state_amount", "beneficiary"]);
    crate::support::write_sheet(&mut book, MODEL_SHEET, &e.models, &amounts)?;
    crate::support::write_sheet(&mut book, PARTICIPANT_SHEET, &e.participants, &amounts)?;
    book.save(path)
}

pub(crate) async fn models_export(
    store: &Store,
    programs: &Programs,
    unit: &UnitCode,
    sees: impl Fn(&str) -> bool,
) -> Result<ModelsExport, QueryError> {
    let models: Vec<Model> = store
        .models(&unit.to_string())
        .await?
        .into_iter()
        .map(|s| s.model)
        .collect();
    let mut participants = Vec::new();
    for m in &models {
        for r in store.model_participants(m.id).await? {
            let within = match unit {
                UnitCode::Commune(_) => r.commune_code == unit.to_string(),
                UnitCode::Province(_) => true,
            };
            if within && sees(&r.commune_code) {
                participants.push((m.code.clone(), r));
            }
        }
    }
    Ok(export_of(programs, &models, &participants))
}

impl crate::Scoped<'_> {
    /// A unit's models and participants in the model file's format.
    pub async fn models_export(&self, unit: &UnitCode) -> Result<ModelsExport, QueryError> {
        self.actor().read(unit)?;
        let r = self.registry;
        models_export(&r.store, &r.programs, unit, |c| {
            self.actor().sees_commune(c)
        })
        .await
    }
}

/// The model file's template: the sheets `mo_hinh` and `thanh_vien` with their headers and an
/// example row each, and a sheet of the model kinds and area classes, in the reader's language.
pub fn write_template(
    path: &Path,
    programs: &Programs,
    data: &SupportData,
    vietnamese: bool,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let model: HashMap<&str, &str> = [
        ("code", "MH-2025-01"),
        ("name", "Mô hình nuôi bò sinh sản"),
        ("kind", "livelihood_model"),
        ("communes", "03325;03328"),
        ("item", "DA2"),
        ("decision", "112/QĐ-UBND"),
        ("decided_on", "2025-03-20"),
        ("starts_on", "2025-04-01"),
        ("ends_on", "2027-03-31"),
        ("outputs", "20 con bò giống; 2 lớp tập huấn"),
        ("central_recurrent", "600000000"),
        ("beneficiary", "60000000"),
        ("beneficiary_in_kind", "40000000"),
        ("in_kind_valuation", "chuồng trại, công chăm sóc"),
    ]
    .into_iter()
    .collect();
    let participant: HashMap<&str, &str> = [
        ("model_code", "MH-2025-01"),
        ("commune_code", "03325"),
        ("household_code", "MP-0001"),
        ("joined_on", "2025-04-01"),
        ("state_amount", "30000000"),
        ("beneficiary", "3000000"),
    ]
    .into_iter()
    .collect();
    let cols = model_columns(programs);
    for (sheet_name, cols, example) in [
        (
            MODEL_SHEET,
            cols.iter().map(String::as_str).collect::<Vec<_>>(),
            &model,
        ),
        (
            PARTICIPANT_SHEET,
            PARTICIPANT_COLUMNS.to_vec(),
            &participant,
        ),
    ] {
        let sheet = book.add_worksheet();
        sheet.set_name(sheet_name)?;
        for (c, h) in cols.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, *h, &bold)?;
            sheet.set_column_width(c as u16, 16)?;
            sheet.write_string(1, c as u16, example.get(h).copied().unwrap_or(""))?;
        }
    }
    let sheet = book.add_worksheet();
    sheet.set_name("danh_muc")?;
    let heads = if vietnamese {
        ["Loại", "Mã", "Tên", "Tỷ lệ nhà nước tối đa"]
    } else {
        ["Of", "Code", "Name", "State's largest share"]
    };
    for (c, h) in heads.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    sheet.set_column_width(2, 60)?;
    sheet.set_column_width(3, 50)?;
    let mut r = 1u32;
    for k in &data.rules.model_kinds {
        sheet.write_string(r, 0, "kind")?;
        sheet.write_string(r, 1, &k.code)?;
        sheet.write_string(r, 2, if vietnamese { &k.name_vi } else { &k.name_en })?;
        let shares: Vec<String> = data
            .rules
            .cost_sharing
            .iter()
            .filter(|c| c.kind == k.code)
            .map(|c| {
                let p: Vec<String> = AREA_CLASSES
                    .iter()
                    .map(|a| format!("{} %", c.percent(a)))
                    .collect();
                format!("{} ({} – {})", p.join(" / "), c.valid.from, c.valid.to)
            })
            .collect();
        sheet.write_string(r, 3, shares.join("; "))?;
        r += 1;
    }
    r += 1;
    for a in AREA_CLASSES {
        let (vi, en) = area_words(a);
        sheet.write_string(r, 0, "area_class")?;
        sheet.write_string(r, 1, a)?;
        sheet.write_string(r, 2, if vietnamese { vi } else { en })?;
        r += 1;
    }
    book.save(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn year(y: i32, class: &str, approved: &str) -> ApprovedYear {
        ApprovedYear {
            household_id: 1,
            year: y,
            standard: "vn-2022-2025".into(),
            class: class.into(),
            deprivations: 0,
            approved_on: approved.parse().expect("day"),
        }
    }

    #[test]
    fn the_class_before_is_the_latest_approved_by_the_day_and_after_the_next_years() {
        let ys = [
            year(2024, "poor", "2024-10-15"),
            year(2025, "near_poor", "2025-10-15"),
            year(2026, "average", "2026-10-15"),
        ];
        let on = |d: &str| {
            let (b, a) = before_after(&ys, d.parse().expect("day"));
            (b.map(|y| y.year), a.map(|y| y.year))
        };
        // on the approval's day it counts; the day before, the year before does
        assert_eq!(on("2025-10-15"), (Some(2025), Some(2026)));
        assert_eq!(on("2025-10-14"), (Some(2024), Some(2025)));
        assert_eq!(on("2026-10-15"), (Some(2026), None));
        assert_eq!(on("2024-10-14"), (None, None));
    }

    #[test]
    fn results_count_who_left_poverty_near_poverty_and_who_fell_into_it() {
        let r = tally(&[
            (Some("poor"), Some("near_poor")),
            (Some("poor"), Some("poor")),
            (Some("poor"), None),
            (Some("near_poor"), Some("average")),
            (Some("near_poor"), Some("near_poor")),
            (Some("average"), Some("poor")),
            (None, Some("poor")),
        ]);
        assert_eq!(
            r,
            Results {
                households: 7,
                poor_before: 3,
                near_poor_before: 2,
                reviewed: 6,
                left_poverty: 1,
                left_near_poverty: 1,
                fell_into_poverty: 1,
                not_yet_reviewed: 1,
            }
        );
    }
}
