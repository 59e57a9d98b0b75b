//! Writing a survey file into the registry: one transaction per file, in batches, with the
//! conflicts with what the registry holds found before anything is committed.

use crate::audit::{append, Change};
use crate::dialect::{cast_to, pow2_chunks, Lists, Pool, Tx};
use crate::summaries::refresh_summaries;
use crate::users::Who;
use crate::{Result, Store, StoreError};
use giamngheo_rules::chrono::{NaiveDate, Utc};
use giamngheo_rules::transition::FALL_BACK_YEARS;
use giamngheo_rules::{msg, Area, Class, History, Msg, Sex, Transition};
use sqlx::{QueryBuilder, Row};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Which file an import is and for which review year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportMeta {
    pub year: i32,
    pub file_name: String,
    /// SHA-256 of the file's content, hex: the same content is imported once per year.
    pub sha256: String,
    /// Who imports it, for the audit log.
    pub who: Who,
    /// This year's assessment of a household already in the registry is replaced (the
    /// single-household form saving a survey again), not a conflict.
    pub replace: bool,
    /// The year was decided before it came in: every household carries its decision, and the
    /// import records the communes' decided cases (in a review of kind `imported`).
    pub decided: bool,
}

/// The start of an import.
pub enum Begin {
    Started(Box<ImportTx>),
    AlreadyImported { import_id: i64, file_name: String },
}

/// A household of a survey file with its members and its assessment for the year.
#[derive(Debug, Clone, PartialEq)]
pub struct HouseholdRow {
    pub commune_code: String,
    /// The household's code (`household_id` of the exchange format).
    pub code: String,
    pub village: Option<String>,
    pub head_name: Option<String>,
    pub members: Vec<MemberRow>,
    pub assessment: AssessmentRow,
    /// The commune chairman's decision that recognised the household's class of the year
    /// (number, date), when the year was decided before it came into the registry.
    pub decision: Option<(String, NaiveDate)>,
}

/// A household of a decided year's import, to record as a decided case.
#[derive(Debug, Clone)]
struct DecidedLine {
    household_id: i64,
    commune_code: String,
    previous: Option<Class>,
    class: Class,
    number: String,
    decided_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberRow {
    pub member_no: i32,
    pub full_name: Option<String>,
    /// The name folded for search and duplicate checks.
    pub name_key: Option<String>,
    pub id_number: Option<String>,
    pub birth_date: NaiveDate,
    pub birth_precision: i32,
    pub sex: Sex,
    pub ethnic_code: Option<String>,
    pub relation: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessmentRow {
    pub year: i32,
    pub standard: String,
    pub survey_date: NaiveDate,
    pub area: Area,
    pub income_line: i64,
    pub income_per_capita: Option<String>,
    pub b1_score: Option<String>,
    pub class: Class,
    pub deprivations: i64,
    pub deprivation_count: i32,
    pub without_working_capacity: Option<bool>,
    pub is_minority: bool,
    /// The head's ethnic group (2-digit code) on this year's form.
    pub head_ethnic: Option<String>,
    pub members: i32,
    /// Every answer, as JSON.
    pub answers: String,
}

/// An import in progress: nothing is visible to others until [`ImportTx::commit`]; dropped
/// without commit, it leaves the registry as it was.
pub struct ImportTx {
    tx: Tx,
    import_id: i64,
    households: i64,
    members: i64,
    pending: Vec<HouseholdRow>,
    /// Villages met so far: (commune, name) to id.
    villages: HashMap<(String, String), i64>,
    /// Communes and years written: their summaries are refreshed on commit.
    touched: std::collections::BTreeSet<(String, i32)>,
    /// People of the flushed batches who may already be in the registry under another household.
    possible_duplicates: Vec<Conflict>,
    /// Households written by this import: a namesake among them is the file's own duplicate,
    /// which the caller reports from the file.
    written: std::collections::HashSet<i64>,
    /// Batches flushed so far.
    batches: u64,
    meta: ImportMeta,
    /// The households of a decided year, recorded as decided cases on commit.
    decided: Vec<DecidedLine>,
    /// Communes met so far whose year is closed to this import: their province has locked it,
    /// or (for a decided year) the commune already has a review of it.
    closed: HashMap<String, Option<Msg>>,
}

/// An assessment already stored for a household of a batch.
struct Earlier {
    year: i32,
    import: Option<i64>,
    class: Option<Class>,
    transition: Option<Transition>,
}

/// A household's transition into `year`, from its class that year and the years before
/// (`class_of` gives the class of a year, `None` when not assessed).
pub(crate) fn transition_of(
    year: i32,
    class_of: impl Fn(i32) -> Option<Class>,
) -> Option<Transition> {
    let mut history = History::new();
    for y in (year - 1 - FALL_BACK_YEARS)..year {
        history.record(y, class_of(y));
    }
    history.record(year, class_of(year))
}

/// Households are written in batches of this many (a batch's statements stay well under the
/// backends' limits on bound parameters).
pub const IMPORT_BATCH: usize = 256;

/// A household of a batch that contradicts what the registry holds; the file must stay out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// Position of the household in the batch, as added.
    pub index: usize,
    pub column: &'static str,
    /// Index of the member, when a member's value is the cause.
    pub member: Option<usize>,
    pub message: Msg,
    /// The commune of the registered record the conflict is with, when it is another one: a
    /// user who may not see that commune is told only that the value is registered elsewhere.
    pub other_commune: Option<String>,
}

impl Conflict {
    /// A conflict of the household itself (no member, no other commune's record).
    fn of_household(index: usize, column: &'static str, message: Msg) -> Conflict {
        Conflict {
            index,
            column,
            member: None,
            message,
            other_commune: None,
        }
    }
}

impl Store {
    /// Gives the members written before `person_key` existed their key (once, after migration).
    pub(crate) async fn fill_person_keys(&self) -> Result<()> {
        per_backend!(Pool, &self.pool, |pool, pg| {
            let rows: Vec<(i64, String, NaiveDate)> = sqlx::query_as(
                "SELECT id, name_key, birth_date FROM member \
                 WHERE person_key IS NULL AND name_key IS NOT NULL",
            )
            .fetch_all(pool)
            .await?;
            if rows.is_empty() {
                return Ok(());
            }
            let mut tx = pool.begin().await?;
            for (id, name, birth) in &rows {
                sqlx::query("UPDATE member SET person_key = $1 WHERE id = $2")
                    .bind(person_key(name, *birth))
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// Starts the import of one file for a review year, in one transaction. A file already
    /// imported for that year (same content) is not imported again.
    pub async fn begin_import(&self, meta: &ImportMeta) -> Result<Begin> {
        // the import writes: on SQLite it takes the write lock at once (another writer then
        // waits for it) rather than failing later on a stale read
        let tx = self.begin().await?;
        let mut import = ImportTx {
            tx,
            import_id: 0,
            households: 0,
            members: 0,
            pending: Vec::new(),
            villages: HashMap::new(),
            touched: Default::default(),
            possible_duplicates: Vec::new(),
            written: Default::default(),
            batches: 0,
            meta: meta.clone(),
            decided: Vec::new(),
            closed: HashMap::new(),
        };
        let existing = per_backend!(Tx, &mut import.tx, |tx, pg| {
            sqlx::query("SELECT id, file_name FROM import WHERE sha256 = $1 AND year = $2")
                .bind(&meta.sha256)
                .bind(meta.year)
                .fetch_optional(&mut **tx)
                .await?
                .map(|r| (r.get::<i64, _>(0), r.get::<String, _>(1)))
        });
        if let Some((import_id, file_name)) = existing {
            return Ok(Begin::AlreadyImported {
                import_id,
                file_name,
            });
        }
        let now = Utc::now();
        import.import_id = per_backend!(Tx, &mut import.tx, |tx, pg| {
            sqlx::query_scalar::<_, i64>(
                "INSERT INTO import (year, file_name, sha256, households, members, imported_at) \
                 VALUES ($1, $2, $3, 0, 0, $4) RETURNING id",
            )
            .bind(meta.year)
            .bind(&meta.file_name)
            .bind(&meta.sha256)
            .bind(now)
            .fetch_one(&mut **tx)
            .await?
        });
        Ok(Begin::Started(Box::new(import)))
    }
}

impl ImportTx {
    pub fn import_id(&self) -> i64 {
        self.import_id
    }

    /// Adds a household (written by the next [`ImportTx::flush`]).
    pub fn add(&mut self, h: HouseholdRow) {
        self.pending.push(h);
    }

    /// Households added and not yet written.
    pub fn pending(&self) -> usize {
        self.pending.len()
    }

    /// Members of the batches flushed so far who bear the same folded name and birth date as a
    /// member of another household of the same commune in the registry (indexes as in
    /// [`Conflict`], per batch); a warning, not a conflict.
    pub fn take_possible_duplicates(&mut self) -> Vec<Conflict> {
        std::mem::take(&mut self.possible_duplicates)
    }

    /// Writes the households added since the last flush, their members and assessments, and
    /// returns the conflicts found among them (the batch is then not written: the file must
    /// not be committed).
    pub async fn flush(&mut self) -> Result<Vec<Conflict>> {
        let batch = std::mem::take(&mut self.pending);
        if batch.is_empty() {
            return Ok(Vec::new());
        }
        let year = batch[0].assessment.year;
        self.batches += 1;
        if self.batches.is_power_of_two() {
            // the tables grow as the import writes: let the planner see their size
            crate::dialect::analyze(&mut self.tx, "household, member, assessment").await?;
        }
        self.write_villages(&batch).await?;
        let batch_ids = self.write_households(&batch).await?;
        let mut stored = self.assessments_of(&batch_ids).await?;
        if self.meta.replace {
            self.drop_assessments(&batch_ids, year).await?;
            for es in stored.values_mut() {
                es.retain(|e| e.year != year);
            }
        }
        let existing: HashMap<i64, Option<i64>> = stored
            .iter()
            .filter_map(|(id, es)| es.iter().find(|e| e.year == year).map(|e| (*id, e.import)))
            .collect();
        let latest: HashMap<i64, i32> = stored
            .iter()
            .filter_map(|(id, es)| es.iter().map(|e| e.year).max().map(|y| (*id, y)))
            .collect();
        let (ended, past) = self.lineage_of(&batch_ids).await?;
        let mut conflicts = Vec::new();
        for (i, (h, id)) in batch.iter().zip(&batch_ids).enumerate() {
            // a survey made after the household ended (a survey before it is its past)
            if let Some((how, on, to_code, to_commune)) = ended
                .get(id)
                .filter(|(_, on, _, _)| h.assessment.survey_date > *on)
            {
                conflicts.push(Conflict::of_household(
                    i,
                    "household_id",
                    msg!(
                        "household_ended_import",
                        household = &h.code,
                        commune = &h.commune_code,
                        on = on,
                        to = to_code,
                        to_commune = to_commune
                    )
                    .nested(
                        "how",
                        Msg::new(match how.as_str() {
                            "merged" => "household_how_merged",
                            _ => "household_how_moved",
                        }),
                    ),
                ));
            }
            if let Some(import_id) = existing.get(id) {
                conflicts.push(Conflict::of_household(
                    i,
                    "household_id",
                    msg!(
                        "assessment_exists",
                        household = &h.code,
                        commune = &h.commune_code,
                        year = year,
                        import = import_id.map_or_else(|| "?".to_string(), |i| i.to_string())
                    ),
                ));
            }
        }
        for (i, h) in batch.iter().enumerate() {
            if let Some(message) = self.closed_year(&h.commune_code, year).await? {
                conflicts.push(Conflict::of_household(i, "commune_code", message));
            }
        }
        if self.meta.decided {
            let pairs: Vec<(String, String)> = batch
                .iter()
                .filter_map(|h| {
                    h.decision
                        .as_ref()
                        .map(|(n, _)| (h.commune_code.clone(), n.clone()))
                })
                .collect();
            let taken = self.decisions_taken(&pairs).await?;
            for (i, h) in batch.iter().enumerate() {
                match &h.decision {
                    Some((number, _))
                        if taken.contains(&(h.commune_code.clone(), number.clone())) =>
                    {
                        conflicts.push(Conflict::of_household(
                            i,
                            "x_decision_number",
                            msg!(
                                "decision_number_recorded",
                                number = number,
                                commune = &h.commune_code
                            ),
                        ))
                    }
                    Some(_) => {}
                    None => conflicts.push(Conflict::of_household(
                        i,
                        "x_decision_number",
                        msg!("decision_number_missing"),
                    )),
                }
            }
        }
        // the members as this year's form lists them become the household's members, unless a
        // later year is already in the registry (an older year imported late keeps the newer list)
        let current: Vec<bool> = batch_ids
            .iter()
            .map(|id| !existing.contains_key(id) && latest.get(id).is_none_or(|l| year >= *l))
            .collect();
        let wanted: Vec<&String> = batch
            .iter()
            .zip(&current)
            .filter(|(_, c)| **c)
            .flat_map(|(h, _)| h.members.iter().filter_map(|m| m.id_number.as_ref()))
            .collect();
        let holders = self.id_holders(&wanted).await?;
        let names: Vec<(&String, NaiveDate)> = batch
            .iter()
            .zip(&current)
            .filter(|(_, c)| **c)
            .flat_map(|(h, _)| {
                h.members
                    .iter()
                    .filter_map(|m| m.name_key.as_ref().map(|k| (k, m.birth_date)))
            })
            .collect();
        let namesakes = self.namesakes(&names).await?;
        for (i, h) in batch.iter().enumerate().filter(|(i, _)| current[*i]) {
            for (mi, m) in h.members.iter().enumerate() {
                let Some(key) = &m.name_key else { continue };
                let same = namesakes.iter().find(|n| {
                    n.0 == *key
                        && n.1 == m.birth_date
                        && n.2 == h.commune_code
                        && n.5 != batch_ids[i]
                        && !self.written.contains(&n.5)
                });
                if let Some((_, _, _, code, no, _)) = same {
                    self.possible_duplicates.push(Conflict {
                        index: i,
                        column: "full_name",
                        member: Some(mi),
                        other_commune: None,
                        message: msg!("possibly_same_registered", no = no, household = code),
                    });
                }
            }
        }
        for (i, h) in batch.iter().enumerate().filter(|(i, _)| current[*i]) {
            for (mi, m) in h.members.iter().enumerate() {
                let Some(id) = &m.id_number else { continue };
                if let Some((holder, code, commune, no)) = holders.get(id) {
                    if *holder != batch_ids[i] {
                        conflicts.push(Conflict {
                            index: i,
                            column: "id_number",
                            member: Some(mi),
                            other_commune: Some(commune.clone()),
                            message: msg!(
                                "id_belongs",
                                id = id,
                                no = no,
                                household = code,
                                commune = commune
                            ),
                        });
                    }
                }
            }
        }
        if !conflicts.is_empty() {
            return Ok(conflicts);
        }
        let replace: Vec<i64> = batch_ids
            .iter()
            .zip(&current)
            .filter(|(_, c)| **c)
            .map(|(id, _)| *id)
            .collect();
        let members: Vec<(i64, &MemberRow)> = batch
            .iter()
            .zip(&batch_ids)
            .zip(&current)
            .filter(|(_, c)| **c)
            .flat_map(|((h, id), _)| h.members.iter().map(move |m| (*id, m)))
            .collect();
        self.write_members(&replace, &members).await?;
        if self.meta.decided {
            for (h, id) in batch.iter().zip(&batch_ids) {
                let Some((number, decided_on)) = &h.decision else {
                    continue;
                };
                let previous = stored
                    .get(id)
                    .and_then(|es| es.iter().find(|e| e.year == year - 1))
                    .or_else(|| {
                        past.get(id)
                            .and_then(|es| es.iter().find(|e| e.year == year - 1))
                    })
                    .and_then(|e| e.class);
                self.decided.push(DecidedLine {
                    household_id: *id,
                    commune_code: h.commune_code.clone(),
                    previous,
                    class: h.assessment.class,
                    number: number.clone(),
                    decided_on: *decided_on,
                });
            }
        }
        let transitions = Self::transitions(&batch, &batch_ids, year, &stored, &past);
        self.write_assessments(&batch, &batch_ids, &transitions)
            .await?;
        for (id, later, commune, t) in Self::later_transitions(&batch, &batch_ids, year, &stored) {
            per_backend!(Tx, &mut self.tx, |tx, pg| {
                sqlx::query(
                    "UPDATE assessment SET transition = $1 WHERE household_id = $2 AND year = $3",
                )
                .bind(t.map(|t| t.code()))
                .bind(id)
                .bind(later)
                .execute(&mut **tx)
                .await?;
            });
            self.touched.insert((commune, later));
        }
        for h in &batch {
            self.touched.insert((h.commune_code.clone(), year));
        }
        self.written.extend(batch_ids.iter().copied());
        self.households += batch.len() as i64;
        self.members += batch.iter().map(|h| h.members.len() as i64).sum::<i64>();
        Ok(conflicts)
    }

    /// Why a commune's year takes no import, if it does not: its province has locked the year;
    /// or, for a decided year, the commune already has a review of it. Asked once a commune.
    async fn closed_year(&mut self, commune: &str, year: i32) -> Result<Option<Msg>> {
        if let Some(known) = self.closed.get(commune) {
            return Ok(known.clone());
        }
        let (locked, reviewed): (i64, i64) = per_backend!(Tx, &mut self.tx, |tx, pg| {
            sqlx::query_as(
                "SELECT \
                 (SELECT COUNT(*) FROM review r JOIN commune c ON c.province_code = r.province_code \
                  WHERE c.code = $1 AND r.year = $2 AND r.locked_at IS NOT NULL), \
                 (SELECT COUNT(*) FROM review r WHERE r.commune_code = $1 AND r.year = $2)",
            )
            .bind(commune)
            .bind(year)
            .fetch_one(&mut **tx)
            .await?
        });
        let why = if locked > 0 {
            Some(msg!("year_locked", commune = commune, year = year))
        } else if reviewed > 0 && self.meta.decided {
            Some(msg!("year_reviewed_here", commune = commune, year = year))
        } else {
            None
        };
        self.closed.insert(commune.to_string(), why.clone());
        Ok(why)
    }

    /// The (commune, decision number) pairs already recorded.
    async fn decisions_taken(
        &mut self,
        pairs: &[(String, String)],
    ) -> Result<std::collections::HashSet<(String, String)>> {
        let mut numbers: Vec<String> = pairs.iter().map(|(_, n)| n.clone()).collect();
        numbers.sort_unstable();
        numbers.dedup();
        if numbers.is_empty() {
            return Ok(Default::default());
        }
        let rows: Vec<(String, String)> = per_backend!(Tx, &mut self.tx, |tx, pg| {
            let mut q =
                QueryBuilder::new("SELECT commune_code, number FROM review_decision WHERE number");
            q.push_in_texts(numbers.clone());
            q.build_query_as().fetch_all(&mut **tx).await?
        });
        let wanted: std::collections::HashSet<&(String, String)> = pairs.iter().collect();
        Ok(rows.into_iter().filter(|r| wanted.contains(r)).collect())
    }

    /// Records the decided year's households as decided cases: for each commune a review of
    /// kind `imported` inside its province's, one case per household with its approved class,
    /// each decision with its lines, a history event per case; audited once.
    async fn write_decided(&mut self) -> Result<()> {
        let lines = std::mem::take(&mut self.decided);
        if lines.is_empty() {
            return Ok(());
        }
        let year = self.meta.year;
        let now = Utc::now();
        let who = self.meta.who.clone();
        let file = self.meta.file_name.clone();
        // by commune, then by decision
        let mut by_commune: BTreeMap<&str, BTreeMap<(&str, NaiveDate), Vec<&DecidedLine>>> =
            BTreeMap::new();
        for l in &lines {
            by_commune
                .entry(l.commune_code.as_str())
                .or_default()
                .entry((l.number.as_str(), l.decided_on))
                .or_default()
                .push(l);
        }
        let communes: Vec<String> = by_commune.keys().map(|c| c.to_string()).collect();
        let provinces: Vec<(String, String)> = per_backend!(Tx, &mut self.tx, |tx, pg| {
            let mut q = QueryBuilder::new("SELECT code, province_code FROM commune WHERE code");
            q.push_in_texts(communes.clone());
            q.build_query_as().fetch_all(&mut **tx).await?
        });
        let province_of: HashMap<String, String> = provinces.into_iter().collect();
        let mut plans: HashMap<String, i64> = HashMap::new();
        let mut decisions = 0usize;
        for (commune, groups) in &by_commune {
            let province = province_of
                .get(*commune)
                .cloned()
                .ok_or_else(|| StoreError::Invalid(format!("commune {commune}")))?;
            let first = groups.keys().map(|(_, d)| *d).min().unwrap_or_default();
            let last = groups.keys().map(|(_, d)| *d).max().unwrap_or_default();
            if !plans.contains_key(&province) {
                let id = self
                    .insert_review(&province, None, None, &file, first, first, last, &who, now)
                    .await?;
                plans.insert(province.clone(), id);
            }
            let parent = plans.get(&province).copied();
            let numbers: Vec<&str> = groups.keys().map(|(n, _)| *n).collect();
            let window = self
                .insert_review(
                    &province,
                    Some(commune),
                    parent,
                    &numbers.join("; "),
                    first,
                    first,
                    last,
                    &who,
                    now,
                )
                .await?;
            for ((number, decided_on), cases) in groups {
                let before: i64 = per_backend!(Tx, &mut self.tx, |tx, pg| {
                    sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM review_case")
                        .fetch_one(&mut **tx)
                        .await?
                });
                for chunk in cases.chunks(IMPORT_BATCH) {
                    per_backend!(Tx, &mut self.tx, |tx, pg| {
                        let mut q = QueryBuilder::new(
                            "INSERT INTO review_case (review_id, household_id, commune_code, \
                             origin, previous_class, step, proposed_class, approved, updated_at) ",
                        );
                        q.push_values(chunk, |mut row, l| {
                            let approved =
                                giamngheo_rules::review::Approved::for_class(l.previous, l.class);
                            row.push_bind(window)
                                .push_bind(l.household_id)
                                .push_bind(l.commune_code.clone())
                                .push_bind("imported")
                                .push_bind(l.previous.map(|c| c.code()))
                                .push_bind("decided")
                                .push_bind(l.class.code())
                                .push_bind(approved.code())
                                .push_bind(now);
                        });
                        q.build().execute(&mut **tx).await?;
                    });
                }
                let detail = serde_json::json!({
                    "number": number, "decided_on": decided_on.to_string(), "import": self.import_id,
                })
                .to_string();
                per_backend!(Tx, &mut self.tx, |tx, pg| {
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO review_decision (review_id, commune_code, number, decided_on, \
                         corrects_id, user_name, at) VALUES ($1, $2, $3, $4, NULL, $5, $6) \
                         RETURNING id",
                    )
                    .bind(window)
                    .bind(*commune)
                    .bind(*number)
                    .bind(*decided_on)
                    .bind(&who.name)
                    .bind(now)
                    .fetch_one(&mut **tx)
                    .await?;
                    sqlx::query(
                        "INSERT INTO review_decision_line (decision_id, case_id, approved) \
                         SELECT $1, id, approved FROM review_case WHERE review_id = $2 AND id > $3",
                    )
                    .bind(id)
                    .bind(window)
                    .bind(before)
                    .execute(&mut **tx)
                    .await?;
                    let (open, close) = cast_to(pg, "JSONB");
                    sqlx::query(&format!(
                        "INSERT INTO review_event (case_id, step_from, step_to, event, detail, \
                         user_name, at) SELECT id, 'listed', 'decided', 'import', {open}$1{close}, \
                         $2, $3 FROM review_case WHERE review_id = $4 AND id > $5"
                    ))
                    .bind(&detail)
                    .bind(&who.name)
                    .bind(now)
                    .bind(window)
                    .bind(before)
                    .execute(&mut **tx)
                    .await?;
                });
                decisions += 1;
            }
        }
        let after = serde_json::json!({
            "year": year, "file": file, "import": self.import_id,
            "communes": by_commune.len(), "cases": lines.len(), "decisions": decisions,
        });
        let unit = match (
            communes.as_slice(),
            plans.keys().collect::<Vec<_>>().as_slice(),
        ) {
            ([one], _) => Some(one.clone()),
            (_, [province]) => Some((*province).clone()),
            _ => None,
        };
        append(
            &mut self.tx,
            &who,
            &Change {
                action: "review.imported".into(),
                record: format!("import:{}", self.import_id),
                unit_code: unit,
                before: None,
                after: Some(after.to_string()),
            },
        )
        .await?;
        Ok(())
    }

    /// A review row of an imported, decided year.
    #[allow(clippy::too_many_arguments)]
    async fn insert_review(
        &mut self,
        province: &str,
        commune: Option<&str>,
        parent: Option<i64>,
        number: &str,
        plan_date: NaiveDate,
        starts: NaiveDate,
        ends: NaiveDate,
        who: &Who,
        now: giamngheo_rules::chrono::DateTime<Utc>,
    ) -> Result<i64> {
        let year = self.meta.year;
        Ok(per_backend!(Tx, &mut self.tx, |tx, pg| {
            sqlx::query_scalar(
                "INSERT INTO review (kind, year, province_code, commune_code, parent_id, \
                 plan_number, plan_date, starts, ends, created_by, created_at) \
                 VALUES ('imported', $1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            )
            .bind(year)
            .bind(province)
            .bind(commune)
            .bind(parent)
            .bind(number)
            .bind(plan_date)
            .bind(starts)
            .bind(ends)
            .bind(&who.name)
            .bind(now)
            .fetch_one(&mut **tx)
            .await?
        }))
    }

    /// Deletes the assessments of `year` of these households (to be written again).
    async fn drop_assessments(&mut self, ids: &[i64], year: i32) -> Result<()> {
        per_backend!(Tx, &mut self.tx, |tx, pg| {
            let mut q = QueryBuilder::new("DELETE FROM assessment WHERE year = ");
            q.push_bind(year).push(" AND household_id");
            q.push_in_ids(ids.to_vec());
            q.build().execute(&mut **tx).await?;
        });
        Ok(())
    }

    async fn write_villages(&mut self, batch: &[HouseholdRow]) -> Result<()> {
        for h in batch {
            let Some(v) = &h.village else { continue };
            let key = (h.commune_code.clone(), v.clone());
            if self.villages.contains_key(&key) {
                continue;
            }
            let id: i64 = per_backend!(Tx, &mut self.tx, |tx, pg| {
                sqlx::query(
                    "INSERT INTO village (commune_code, name) VALUES ($1, $2) \
                     ON CONFLICT (commune_code, name) DO NOTHING",
                )
                .bind(&key.0)
                .bind(&key.1)
                .execute(&mut **tx)
                .await?;
                sqlx::query_scalar("SELECT id FROM village WHERE commune_code = $1 AND name = $2")
                    .bind(&key.0)
                    .bind(&key.1)
                    .fetch_one(&mut **tx)
                    .await?
            });
            self.villages.insert(key, id);
        }
        Ok(())
    }

    /// Creates or updates the batch's households; returns their ids in batch order.
    async fn write_households(&mut self, batch: &[HouseholdRow]) -> Result<Vec<i64>> {
        let villages = &self.villages;
        let village = |h: &HouseholdRow| {
            h.village
                .as_ref()
                .and_then(|v| villages.get(&(h.commune_code.clone(), v.clone())).copied())
        };
        let ids: HashMap<(String, String), i64> = per_backend!(Tx, &mut self.tx, |tx, pg| {
            for chunk in pow2_chunks(batch, IMPORT_BATCH) {
                let mut q = QueryBuilder::new(
                    "INSERT INTO household (commune_code, code, village_id, head_name) ",
                );
                q.push_values(chunk, |mut row, h| {
                    row.push_bind(&h.commune_code)
                        .push_bind(&h.code)
                        .push_bind(village(h))
                        .push_bind(&h.head_name);
                });
                q.push(
                    " ON CONFLICT (commune_code, code) DO UPDATE SET \
                     village_id = excluded.village_id, head_name = excluded.head_name",
                );
                q.build().execute(&mut **tx).await?;
            }
            let mut q = QueryBuilder::new("");
            q.push_pairs(
                "k(c, n)",
                batch
                    .iter()
                    .map(|h| (h.commune_code.clone(), h.code.clone()))
                    .collect(),
            );
            q.push(
                " SELECT h.id, h.commune_code, h.code FROM k \
                 JOIN household h ON h.commune_code = k.c AND h.code = k.n",
            );
            q.build()
                .fetch_all(&mut **tx)
                .await?
                .into_iter()
                .map(|r| {
                    (
                        (r.get::<String, _>(1), r.get::<String, _>(2)),
                        r.get::<i64, _>(0),
                    )
                })
                .collect()
        });
        batch
            .iter()
            .map(|h| {
                ids.get(&(h.commune_code.clone(), h.code.clone()))
                    .copied()
                    .ok_or_else(|| {
                        StoreError::Invalid(format!("household {} was not written", h.code))
                    })
            })
            .collect()
    }

    /// Every assessment of these households already stored: household to (year, import, class).
    /// (By household only, the one index every backend uses whatever it thinks of the tables'
    /// sizes: a plan by year would scan the whole year, batch after batch.)
    async fn assessments_of(&mut self, ids: &[i64]) -> Result<HashMap<i64, Vec<Earlier>>> {
        #[allow(clippy::type_complexity)]
        let rows: Vec<(i64, i32, Option<i64>, String, Option<String>)> =
            per_backend!(Tx, &mut self.tx, |tx, pg| {
                let mut q = QueryBuilder::new(
                    "SELECT household_id, year, import_id, class, transition FROM assessment \
                 WHERE household_id",
                );
                q.push_in_ids(ids.to_vec());
                q.build_query_as().fetch_all(&mut **tx).await?
            });
        let mut by_household: HashMap<i64, Vec<Earlier>> = HashMap::new();
        for (id, year, import, class, transition) in rows {
            by_household.entry(id).or_default().push(Earlier {
                year,
                import,
                class: Class::from_code(&class),
                transition: transition.as_deref().and_then(Transition::from_code),
            });
        }
        Ok(by_household)
    }

    /// What the registry says of these households' lineage: those that have ended (how, when,
    /// the successor's code and commune), and for those that moved here from another commune,
    /// the years of the household they were there (by the new household's id).
    #[allow(clippy::type_complexity)]
    async fn lineage_of(
        &mut self,
        ids: &[i64],
    ) -> Result<(
        HashMap<i64, (String, NaiveDate, String, String)>,
        HashMap<i64, Vec<Earlier>>,
    )> {
        #[allow(clippy::type_complexity)]
        let rows: Vec<(
            i64,
            Option<String>,
            Option<NaiveDate>,
            Option<String>,
            Option<String>,
            Option<i64>,
        )> = per_backend!(Tx, &mut self.tx, |tx, pg| {
            let mut q = QueryBuilder::new(
                "SELECT h.id, h.ended_kind, h.ended_on, s.code, s.commune_code, \
                     CASE WHEN h.origin_kind = 'moved' THEN h.predecessor_id END \
                     FROM household h LEFT JOIN household s ON s.id = h.successor_id \
                     WHERE (h.ended_on IS NOT NULL OR h.origin_kind = 'moved') AND h.id",
            );
            q.push_in_ids(ids.to_vec());
            q.build_query_as().fetch_all(&mut **tx).await?
        });
        let mut ended = HashMap::new();
        let mut from = HashMap::new();
        for (id, kind, on, code, commune, predecessor) in rows {
            if let (Some(kind), Some(on)) = (kind, on) {
                ended.insert(
                    id,
                    (
                        kind,
                        on,
                        code.unwrap_or_default(),
                        commune.unwrap_or_default(),
                    ),
                );
            }
            if let Some(p) = predecessor {
                from.insert(p, id);
            }
        }
        let mut past: HashMap<i64, Vec<Earlier>> = HashMap::new();
        if !from.is_empty() {
            let before = self
                .assessments_of(&from.keys().copied().collect::<Vec<_>>())
                .await?;
            for (p, es) in before {
                if let Some(id) = from.get(&p) {
                    past.insert(*id, es);
                }
            }
        }
        Ok((ended, past))
    }

    /// The members holding these personal IDs: household id, household code, commune, number.
    #[allow(clippy::type_complexity)]
    async fn id_holders(
        &mut self,
        wanted: &[&String],
    ) -> Result<HashMap<String, (i64, String, String, i32)>> {
        if wanted.is_empty() {
            return Ok(HashMap::new());
        }
        Ok(per_backend!(Tx, &mut self.tx, |tx, pg| {
            let mut q = QueryBuilder::new(
                "SELECT m.id_number, m.household_id, h.code, h.commune_code, m.member_no \
                 FROM member m JOIN household h ON h.id = m.household_id WHERE m.id_number",
            );
            q.push_in_texts(wanted.iter().map(|w| w.to_string()).collect());
            q.build()
                .fetch_all(&mut **tx)
                .await?
                .into_iter()
                .map(|r| {
                    (
                        r.get::<String, _>(0),
                        (
                            r.get::<i64, _>(1),
                            r.get::<String, _>(2),
                            r.get::<String, _>(3),
                            r.get::<i32, _>(4),
                        ),
                    )
                })
                .collect()
        }))
    }

    /// Members of the registry bearing these folded names: name, birth date, commune, household
    /// code, member number, household id.
    #[allow(clippy::type_complexity)]
    async fn namesakes(
        &mut self,
        names: &[(&String, NaiveDate)],
    ) -> Result<Vec<(String, NaiveDate, String, String, i32, i64)>> {
        if names.is_empty() {
            return Ok(Vec::new());
        }
        Ok(per_backend!(Tx, &mut self.tx, |tx, pg| {
            // by the key of name and birth date together (one small index), so common names
            // cost nothing extra; the caller compares the names themselves
            let mut q = QueryBuilder::new(
                "SELECT m.name_key, m.birth_date, h.commune_code, h.code, m.member_no, h.id \
                 FROM member m JOIN household h ON h.id = m.household_id \
                 WHERE m.person_key",
            );
            q.push_in_ids(names.iter().map(|(n, b)| person_key(n, *b)).collect());
            q.build()
                .fetch_all(&mut **tx)
                .await?
                .into_iter()
                .map(|r| {
                    (
                        r.get::<String, _>(0),
                        r.get::<NaiveDate, _>(1),
                        r.get::<String, _>(2),
                        r.get::<String, _>(3),
                        r.get::<i32, _>(4),
                        r.get::<i64, _>(5),
                    )
                })
                .collect()
        }))
    }

    /// Replaces the member lists of `replace` households with `members`.
    async fn write_members(
        &mut self,
        replace: &[i64],
        members: &[(i64, &MemberRow)],
    ) -> Result<()> {
        per_backend!(Tx, &mut self.tx, |tx, pg| {
            if !replace.is_empty() {
                let mut q = QueryBuilder::new("DELETE FROM member WHERE household_id");
                q.push_in_ids(replace.to_vec());
                q.build().execute(&mut **tx).await?;
            }
        });
        crate::dialect::insert_members(&mut self.tx, members).await?;
        Ok(())
    }

    /// Each household's transition from the year before, from its classes of the four years
    /// before (a fall back is poor again within three years of escaping).
    fn transitions(
        batch: &[HouseholdRow],
        ids: &[i64],
        year: i32,
        stored: &HashMap<i64, Vec<Earlier>>,
        past: &HashMap<i64, Vec<Earlier>>,
    ) -> Vec<Option<Transition>> {
        batch
            .iter()
            .zip(ids)
            .map(|(h, id)| {
                let years = stored.get(id).map(Vec::as_slice).unwrap_or_default();
                // a household that moved here: its years where it was count as its own
                let before = past.get(id).map(Vec::as_slice).unwrap_or_default();
                transition_of(year, |y| {
                    if y == year {
                        Some(h.assessment.class)
                    } else {
                        years
                            .iter()
                            .chain(before)
                            .find(|e| e.year == y)
                            .and_then(|e| e.class)
                    }
                })
            })
            .collect()
    }

    /// The later years' transitions that change now that an earlier year is written (a year
    /// imported after the years that follow it): household, year, commune, new transition.
    fn later_transitions(
        batch: &[HouseholdRow],
        ids: &[i64],
        year: i32,
        stored: &HashMap<i64, Vec<Earlier>>,
    ) -> Vec<(i64, i32, String, Option<Transition>)> {
        let mut changed = Vec::new();
        for (h, id) in batch.iter().zip(ids) {
            let Some(years) = stored.get(id) else {
                continue;
            };
            let class_of = |y: i32| {
                if y == year {
                    Some(h.assessment.class)
                } else {
                    years.iter().find(|e| e.year == y).and_then(|e| e.class)
                }
            };
            for later in years
                .iter()
                .filter(|e| e.year > year && e.year <= year + 1 + FALL_BACK_YEARS)
            {
                let now = transition_of(later.year, class_of);
                if now != later.transition {
                    changed.push((*id, later.year, h.commune_code.clone(), now));
                }
            }
        }
        changed
    }

    async fn write_assessments(
        &mut self,
        batch: &[HouseholdRow],
        ids: &[i64],
        transitions: &[Option<Transition>],
    ) -> Result<()> {
        let import_id = self.import_id;
        let rows: Vec<_> = batch.iter().zip(ids).zip(transitions).collect();
        per_backend!(Tx, &mut self.tx, |tx, pg| {
            for chunk in pow2_chunks(&rows, 128) {
                let mut q = QueryBuilder::new(
                "INSERT INTO assessment (household_id, year, import_id, standard, survey_date, \
                 area, income_line, income_per_capita, b1_score, class, deprivations, \
                 deprivation_count, without_working_capacity, is_minority, head_ethnic, members, \
                 answers, transition) ",
            );
                q.push_values(chunk, |mut row, ((h, id), t)| {
                    let a = &h.assessment;
                    row.push_bind(*id)
                        .push_bind(a.year)
                        .push_bind(import_id)
                        .push_bind(&a.standard)
                        .push_bind(a.survey_date)
                        .push_bind(a.area.code())
                        .push_bind(a.income_line);
                    // exact decimals and JSON: typed columns in PostgreSQL, text in SQLite
                    let (open, close) = cast_to(pg, "NUMERIC");
                    row.push(open)
                        .push_bind_unseparated(&a.income_per_capita)
                        .push_unseparated(close);
                    row.push(open)
                        .push_bind_unseparated(&a.b1_score)
                        .push_unseparated(close);
                    row.push_bind(a.class.code())
                        .push_bind(a.deprivations)
                        .push_bind(a.deprivation_count)
                        .push_bind(a.without_working_capacity)
                        .push_bind(a.is_minority)
                        .push_bind(&a.head_ethnic)
                        .push_bind(a.members);
                    let (open, close) = cast_to(pg, "JSONB");
                    row.push(open)
                        .push_bind_unseparated(&a.answers)
                        .push_unseparated(close);
                    row.push_bind(t.map(|t| t.code()));
                });
                q.build().execute(&mut **tx).await?;
            }
        });
        Ok(())
    }

    /// Writes what is pending and makes the import visible, all at once; returns its id, or the
    /// conflicts of the last batch (then nothing is committed).
    /// Writes what is pending and returns its conflicts, then rolls the whole import back: the
    /// checks of an import without storing anything (a form checked before it is saved).
    pub async fn check(mut self) -> Result<Vec<Conflict>> {
        let conflicts = self.flush().await?;
        drop(self);
        Ok(conflicts)
    }

    pub async fn commit(mut self) -> Result<std::result::Result<i64, Vec<Conflict>>> {
        let conflicts = self.flush().await?;
        if !conflicts.is_empty() {
            return Ok(Err(conflicts));
        }
        self.write_decided().await?;
        let mut touched: Vec<(String, i32)> =
            std::mem::take(&mut self.touched).into_iter().collect();
        // a year already decided keeps what its decisions recognised over the new answers
        let mut years: Vec<i32> = touched.iter().map(|(_, y)| *y).collect();
        years.sort_unstable();
        years.dedup();
        let mut decided = BTreeSet::new();
        for year in years {
            let communes: Vec<&str> = touched
                .iter()
                .filter(|(_, y)| *y == year)
                .map(|(c, _)| c.as_str())
                .collect();
            for chunk in communes.chunks(500) {
                decided.extend(crate::decided::apply_decisions(&mut self.tx, year, chunk).await?);
            }
        }
        for (y, c) in decided {
            if !touched
                .iter()
                .any(|(tc, ty)| *tc == c && (*ty == y || *ty + 1 == y))
            {
                touched.push((c, y));
            }
        }
        let mut years: Vec<i32> = touched.iter().map(|(_, y)| *y).collect();
        years.sort_unstable();
        years.dedup();
        for year in years {
            let communes: Vec<&str> = touched
                .iter()
                .filter(|(_, y)| *y == year)
                .map(|(c, _)| c.as_str())
                .collect();
            // the year's figures, and the next year's, whose stock starts from this one
            for y in [year, year + 1] {
                for chunk in communes.chunks(500) {
                    refresh_summaries(&mut self.tx, y, chunk).await?;
                }
            }
        }
        let (id, households, members) = (self.import_id, self.households, self.members);
        per_backend!(Tx, &mut self.tx, |tx, pg| {
            sqlx::query("UPDATE import SET households = $1, members = $2 WHERE id = $3")
                .bind(households as i32)
                .bind(members as i32)
                .bind(id)
                .execute(&mut **tx)
                .await?;
        });
        let mut communes: Vec<String> = touched.iter().map(|(c, _)| c.clone()).collect();
        communes.sort_unstable();
        communes.dedup();
        // the unit the import belongs to: its commune, or the province of all its communes
        let provinces: Vec<String> = per_backend!(Tx, &mut self.tx, |tx, pg| {
            let mut q = QueryBuilder::new("SELECT DISTINCT province_code FROM commune WHERE code");
            q.push_in_texts(communes.clone());
            q.build_query_scalar().fetch_all(&mut **tx).await?
        });
        let unit = match (communes.as_slice(), provinces.as_slice()) {
            ([one], _) => Some(one.clone()),
            (_, [province]) => Some(province.clone()),
            _ => None,
        };
        let after = serde_json::json!({
            "year": self.meta.year,
            "file": self.meta.file_name,
            "sha256": self.meta.sha256,
            "households": households,
            "members": members,
            "communes": communes,
        });
        append(
            &mut self.tx,
            &self.meta.who,
            &Change {
                action: "import".into(),
                record: format!("import:{id}"),
                unit_code: unit,
                before: None,
                after: Some(after.to_string()),
            },
        )
        .await?;
        self.tx.commit().await?;
        Ok(Ok(id))
    }
}

/// The key namesakes are looked up by: a 64-bit hash of the folded name and the birth date.
pub fn person_key(name_key: &str, birth_date: NaiveDate) -> i64 {
    let text = format!("{name_key}\0{birth_date}");
    xxhash_rust::xxh3::xxh3_64(text.as_bytes()) as i64
}
