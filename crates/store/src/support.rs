//! Support given to households and their members: each record with its parts by funding source,
//! written all or none and audited (overrides of a refusing rule with their reasons), a
//! household's history, a commune's or a province's list, what a judgement needs to know of a
//! household on a day (its approved reviews) and of what it received before, and the records a
//! duplicate scan reads.

use giamngheo_rules::chrono::{NaiveDate, Utc};
use sqlx::QueryBuilder;
use std::collections::HashMap;

use crate::audit::{append, Change};
use crate::dialect::{Lists, Pool, Tx};
use crate::{Result, Store, Who};

/// A part of a record's amount: a funding source (the household's counterpart included), in cash
/// or in kind with how it was valued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupportPart {
    pub source: String,
    pub in_kind: bool,
    pub amount: i64,
    pub valuation: Option<String>,
}

/// A support record to write (or as read).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SupportRecord {
    /// 0 until written.
    pub id: i64,
    pub province_code: String,
    pub commune_code: String,
    pub household_id: i64,
    /// The household's code in its commune (as read; ignored on write).
    pub household_code: String,
    pub member_no: Option<i32>,
    pub person_name: Option<String>,
    /// `folded name|birth date`.
    pub person_key: Option<String>,
    pub id_number: Option<String>,
    pub kind: String,
    pub program: Option<String>,
    pub item: Option<String>,
    pub decision: String,
    pub decided_on: NaiveDate,
    pub status: String,
    pub delivered_on: Option<NaiveDate>,
    pub started_on: Option<NaiveDate>,
    pub completed_on: Option<NaiveDate>,
    pub rule_set: Option<String>,
    /// The rule that refused it, when it was recorded over the refusal.
    pub refused_rule: Option<String>,
    pub override_reason: Option<String>,
    pub file: Option<String>,
    pub note: Option<String>,
    pub user_name: String,
    /// The model or project it is a participation in.
    pub model_id: Option<i64>,
    pub parts: Vec<SupportPart>,
}

impl SupportRecord {
    pub fn total(&self) -> i64 {
        self.parts.iter().map(|p| p.amount).sum()
    }
}

/// A household's year as a judgement reads it: the class and deprivations of its assessment and
/// the day that class was approved (its decision's day, or the survey's when no decision is
/// recorded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprovedYear {
    pub household_id: i64,
    pub year: i32,
    pub standard: String,
    pub class: String,
    pub deprivations: i64,
    pub approved_on: NaiveDate,
}

/// Support received before, as the `once` rule and the entry's warning read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriorSupport {
    pub id: i64,
    pub household_id: i64,
    pub id_number: Option<String>,
    pub person_key: Option<String>,
    pub kind: String,
    pub decided_on: NaiveDate,
}

/// Which records a list shows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SupportQuery {
    /// A province (2 digits) or a commune (5 digits).
    pub unit: String,
    pub kind: Option<String>,
    pub year: Option<i32>,
    pub status: Option<String>,
    /// Only those recorded over a refusal.
    pub overridden: bool,
    pub limit: i64,
    pub offset: i64,
}

#[derive(sqlx::FromRow)]
struct RecordRow {
    id: i64,
    province_code: String,
    commune_code: String,
    household_id: i64,
    household_code: String,
    member_no: Option<i32>,
    person_name: Option<String>,
    person_key: Option<String>,
    id_number: Option<String>,
    kind: String,
    program: Option<String>,
    item: Option<String>,
    decision: String,
    decided_on: NaiveDate,
    status: String,
    delivered_on: Option<NaiveDate>,
    started_on: Option<NaiveDate>,
    completed_on: Option<NaiveDate>,
    rule_set: Option<String>,
    refused_rule: Option<String>,
    override_reason: Option<String>,
    file: Option<String>,
    note: Option<String>,
    user_name: String,
    model_id: Option<i64>,
}

const RECORD_COLUMNS: &str = "r.id, r.province_code, r.commune_code, r.household_id, \
     h.code AS household_code, r.member_no, r.person_name, r.person_key, r.id_number, r.kind, \
     r.program, r.item, r.decision, r.decided_on, r.status, r.delivered_on, r.started_on, \
     r.completed_on, r.rule_set, r.refused_rule, r.override_reason, r.file, r.note, r.user_name, r.model_id \
     FROM support_record r JOIN household h ON h.id = r.household_id";

fn record_of(r: RecordRow) -> SupportRecord {
    SupportRecord {
        id: r.id,
        province_code: r.province_code,
        commune_code: r.commune_code,
        household_id: r.household_id,
        household_code: r.household_code,
        member_no: r.member_no,
        person_name: r.person_name,
        person_key: r.person_key,
        id_number: r.id_number,
        kind: r.kind,
        program: r.program,
        item: r.item,
        decision: r.decision,
        decided_on: r.decided_on,
        status: r.status,
        delivered_on: r.delivered_on,
        started_on: r.started_on,
        completed_on: r.completed_on,
        rule_set: r.rule_set,
        refused_rule: r.refused_rule,
        override_reason: r.override_reason,
        file: r.file,
        note: r.note,
        user_name: r.user_name,
        model_id: r.model_id,
        parts: Vec::new(),
    }
}

/// A record of the duplicate scan: its id, kind, day, household and person.
pub type ScanRow = (i64, String, NaiveDate, i64, Option<String>, Option<String>);

/// The scan's records as SQLite packs them: `id,kind,day,household,personal ID,hex(person)`,
/// records separated by `;`.
fn unpack_scan(packed: &str) -> Result<Vec<ScanRow>> {
    let bad = || crate::StoreError::Invalid("the duplicate scan's packed records".into());
    let mut out = Vec::with_capacity(packed.len() / 40);
    for rec in packed.split(';').filter(|r| !r.is_empty()) {
        let mut f = rec.split(',');
        let mut next = || f.next().ok_or_else(bad);
        let id = next()?.parse::<i64>().map_err(|_| bad())?;
        let kind = next()?.to_string();
        let day = NaiveDate::parse_from_str(next()?, "%Y-%m-%d").map_err(|_| bad())?;
        let household = next()?.parse::<i64>().map_err(|_| bad())?;
        let id_number = Some(next()?.to_string()).filter(|s| !s.is_empty());
        let hex = next()?.as_bytes();
        let person = if hex.is_empty() {
            None
        } else {
            let digit = |b: u8| (b as char).to_digit(16).ok_or_else(bad);
            let bytes = hex
                .chunks(2)
                .map(|p| match p {
                    [a, b] => Ok((digit(*a)? * 16 + digit(*b)?) as u8),
                    _ => Err(bad()),
                })
                .collect::<Result<Vec<u8>>>()?;
            Some(String::from_utf8(bytes).map_err(|_| bad())?)
        };
        out.push((id, kind, day, household, id_number, person));
    }
    Ok(out)
}

impl Store {
    /// Writes support records with their parts, all or none, in one audited transaction: the
    /// audit entry counts them and names each one recorded over a refusal with its reason.
    pub async fn write_support(&self, who: &Who, rows: &[SupportRecord]) -> Result<Vec<i64>> {
        let mut tx = self.begin().await?;
        let ids = insert_support(&mut tx, who, rows).await?;
        support_audit(&mut tx, who, rows, &ids).await?;
        tx.commit().await?;
        Ok(ids)
    }

    async fn parts_of(&self, records: &mut [SupportRecord]) -> Result<()> {
        if records.is_empty() {
            return Ok(());
        }
        let ids: Vec<i64> = records.iter().map(|r| r.id).collect();
        let mut rows: Vec<(i64, String, bool, i64, Option<String>)> = Vec::new();
        // in lists SQLite takes (its variables are limited)
        for chunk in ids.chunks(500) {
            rows.extend(per_backend!(Pool, &self.pool, |pool, pg| {
                let mut q = QueryBuilder::new(
                    "SELECT record_id, source, in_kind, amount, valuation FROM support_part \
                     WHERE record_id",
                );
                q.push_in_ids(chunk.to_vec());
                q.push(" ORDER BY record_id, source, in_kind");
                q.build_query_as::<(i64, String, bool, i64, Option<String>)>()
                    .fetch_all(pool)
                    .await?
            }));
        }
        let mut by: HashMap<i64, Vec<SupportPart>> = HashMap::new();
        for (id, source, in_kind, amount, valuation) in rows {
            by.entry(id).or_default().push(SupportPart {
                source,
                in_kind,
                amount,
                valuation,
            });
        }
        for r in records {
            r.parts = by.remove(&r.id).unwrap_or_default();
        }
        Ok(())
    }

    /// A household's support, latest first, with its parts.
    pub async fn support_of_household(&self, household_id: i64) -> Result<Vec<SupportRecord>> {
        let rows: Vec<RecordRow> = per_backend!(Pool, &self.pool, |pool, pg| {
            sqlx::query_as(&format!(
                "SELECT {RECORD_COLUMNS} WHERE r.household_id = $1 ORDER BY r.decided_on DESC, r.id DESC"
            ))
            .bind(household_id)
            .fetch_all(pool)
            .await?
        });
        let mut out: Vec<SupportRecord> = rows.into_iter().map(record_of).collect();
        self.parts_of(&mut out).await?;
        Ok(out)
    }

    /// Records by id, with their parts (the duplicate report's).
    pub async fn support_records(&self, ids: &[i64]) -> Result<Vec<SupportRecord>> {
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            let rows: Vec<RecordRow> = per_backend!(Pool, &self.pool, |pool, pg| {
                let mut q = QueryBuilder::new(format!("SELECT {RECORD_COLUMNS} WHERE r.id"));
                q.push_in_ids(chunk.to_vec());
                q.build_query_as().fetch_all(pool).await?
            });
            out.extend(rows.into_iter().map(record_of));
        }
        self.parts_of(&mut out).await?;
        Ok(out)
    }

    /// A unit's records (a province's: all its communes'), filtered, latest first, a page at a
    /// time, with how many there are in all.
    pub async fn support_list(&self, f: &SupportQuery) -> Result<(i64, Vec<SupportRecord>)> {
        let (total, rows): (i64, Vec<RecordRow>) = per_backend!(Pool, &self.pool, |pool, pg| {
            let filter = |q: &mut QueryBuilder<'_, _>| {
                if f.unit.len() == 2 {
                    q.push(" WHERE r.province_code = ")
                        .push_bind(f.unit.clone());
                } else {
                    q.push(" WHERE r.commune_code = ").push_bind(f.unit.clone());
                }
                if let Some(k) = &f.kind {
                    q.push(" AND r.kind = ").push_bind(k.clone());
                }
                if let Some(y) = f.year {
                    let from = NaiveDate::from_ymd_opt(y, 1, 1);
                    let to = NaiveDate::from_ymd_opt(y, 12, 31);
                    q.push(" AND r.decided_on >= ").push_bind(from);
                    q.push(" AND r.decided_on <= ").push_bind(to);
                }
                if let Some(s) = &f.status {
                    q.push(" AND r.status = ").push_bind(s.clone());
                }
                if f.overridden {
                    q.push(" AND r.override_reason IS NOT NULL");
                }
            };
            let mut c = QueryBuilder::new("SELECT COUNT(*) FROM support_record r");
            filter(&mut c);
            let total: i64 = c.build_query_scalar().fetch_one(pool).await?;
            let mut q = QueryBuilder::new(format!("SELECT {RECORD_COLUMNS}"));
            filter(&mut q);
            q.push(" ORDER BY r.decided_on DESC, r.id DESC LIMIT ")
                .push_bind(f.limit)
                .push(" OFFSET ")
                .push_bind(f.offset);
            (total, q.build_query_as().fetch_all(pool).await?)
        });
        let mut out: Vec<SupportRecord> = rows.into_iter().map(record_of).collect();
        self.parts_of(&mut out).await?;
        Ok((total, out))
    }

    /// Every assessment of these households with the day its class was approved: the earliest
    /// decision recorded for the household in a review of that year, or the survey's day.
    pub async fn approved_years(&self, households: &[i64]) -> Result<Vec<ApprovedYear>> {
        let mut out = Vec::new();
        for chunk in households.chunks(500) {
            type Row = (i64, i32, String, String, i64, NaiveDate, Option<NaiveDate>);
            let rows: Vec<Row> = per_backend!(Pool, &self.pool, |pool, pg| {
                let mut q = QueryBuilder::new(
                    "SELECT a.household_id, a.year, a.standard, a.class, a.deprivations, \
                     a.survey_date, (SELECT MIN(d.decided_on) FROM review_case c \
                     JOIN review rv ON rv.id = c.review_id \
                     JOIN review_decision_line l ON l.case_id = c.id \
                     JOIN review_decision d ON d.id = l.decision_id \
                     WHERE c.household_id = a.household_id AND rv.year = a.year) \
                     FROM assessment a WHERE a.household_id",
                );
                q.push_in_ids(chunk.to_vec());
                q.build_query_as().fetch_all(pool).await?
            });
            out.extend(rows.into_iter().map(
                |(household_id, year, standard, class, deprivations, survey, decided)| {
                    ApprovedYear {
                        household_id,
                        year,
                        standard,
                        class,
                        deprivations,
                        approved_on: decided.unwrap_or(survey),
                    }
                },
            ));
        }
        Ok(out)
    }

    /// The support these households, personal IDs or persons (folded name and birth date)
    /// received, whichever matches.
    pub async fn prior_support(
        &self,
        households: &[i64],
        id_numbers: &[String],
        persons: &[String],
    ) -> Result<Vec<PriorSupport>> {
        type Row = (i64, i64, Option<String>, Option<String>, String, NaiveDate);
        let mut rows: Vec<Row> = Vec::new();
        let select = "SELECT id, household_id, id_number, person_key, kind, decided_on \
                      FROM support_record WHERE ";
        for chunk in households.chunks(500) {
            rows.extend(per_backend!(Pool, &self.pool, |pool, pg| {
                let mut q = QueryBuilder::new(format!("{select}household_id"));
                q.push_in_ids(chunk.to_vec());
                q.build_query_as::<Row>().fetch_all(pool).await?
            }));
        }
        for (column, values) in [("id_number", id_numbers), ("person_key", persons)] {
            for chunk in values.chunks(500) {
                rows.extend(per_backend!(Pool, &self.pool, |pool, pg| {
                    let mut q = QueryBuilder::new(format!("{select}{column}"));
                    q.push_in_texts(chunk.to_vec());
                    q.build_query_as::<Row>().fetch_all(pool).await?
                }));
            }
        }
        rows.sort();
        rows.dedup();
        Ok(rows
            .into_iter()
            .map(
                |(id, household_id, id_number, person_key, kind, decided_on)| PriorSupport {
                    id,
                    household_id,
                    id_number,
                    person_key,
                    kind,
                    decided_on,
                },
            )
            .collect())
    }

    /// Every record of a province (or a commune) as the duplicate scan reads it, in id order:
    /// read in ranges of ids on several connections at once (a province's two million records
    /// are read a row at a time by the driver, and that is the scan's longest part).
    pub async fn support_scan(&self, unit: &str) -> Result<Vec<ScanRow>> {
        let column = if unit.len() == 2 {
            "province_code"
        } else {
            "commune_code"
        };
        let (lo, hi): (Option<i64>, Option<i64>) = per_backend!(Pool, &self.pool, |pool, pg| {
            sqlx::query_as("SELECT MIN(id), MAX(id) FROM support_record")
                .fetch_one(pool)
                .await?
        });
        let (Some(lo), Some(hi)) = (lo, hi) else {
            return Ok(Vec::new());
        };
        const PARTS: i64 = 4;
        let step = (hi - lo) / PARTS + 1;
        let reads = (0..PARTS).map(|i| {
            let (from, to) = (lo + i * step, lo + (i + 1) * step - 1);
            async move {
                per_backend!(Pool, &self.pool, |pool, pg| {
                    if pg {
                        let rows: Vec<ScanRow> = sqlx::query_as(&format!(
                            "SELECT id, kind, decided_on, household_id, id_number, person_key \
                             FROM support_record WHERE {column} = $1 AND id BETWEEN $2 AND $3 \
                             ORDER BY id"
                        ))
                        .bind(unit)
                        .bind(from)
                        .bind(to)
                        .fetch_all(pool)
                        .await?;
                        Ok::<_, crate::StoreError>(rows)
                    } else {
                        // SQLite's driver hands rows over one at a time, at several times the
                        // cost of reading them: the range comes as one text, packed by SQLite
                        // and unpacked here (the folded name in hexadecimal, so that no
                        // character of it is taken for a separator); by the ids' range, not
                        // the unit's index (`+` keeps it off)
                        let packed: Option<String> = sqlx::query_scalar(&format!(
                            "SELECT group_concat(id || ',' || kind || ',' || decided_on || ',' \
                             || household_id || ',' || COALESCE(id_number, '') || ',' \
                             || hex(COALESCE(person_key, '')), ';') FROM support_record \
                             WHERE +{column} = $1 AND id BETWEEN $2 AND $3"
                        ))
                        .bind(unit)
                        .bind(from)
                        .bind(to)
                        .fetch_one(pool)
                        .await?;
                        let mut rows = unpack_scan(packed.as_deref().unwrap_or(""))?;
                        rows.sort_unstable_by_key(|r| r.0);
                        Ok(rows)
                    }
                })
            }
        });
        let parts = futures_util::future::try_join_all(reads).await?;
        Ok(parts.concat())
    }

    /// How many support records there are, and the newest id: caches of support figures compare
    /// it.
    pub async fn support_version(&self) -> Result<(i64, i64)> {
        per_backend!(Pool, &self.pool, |pool, pg| {
            Ok(sqlx::query_as(
                "SELECT CAST(COUNT(*) AS BIGINT), CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM support_record",
            )
            .fetch_one(pool)
            .await?)
        })
    }
}

/// Inserts support records with their parts inside a transaction; their ids, in order.
pub(crate) async fn insert_support(
    tx: &mut Tx,
    who: &Who,
    rows: &[SupportRecord],
) -> Result<Vec<i64>> {
    let now = Utc::now();
    let mut ids = Vec::with_capacity(rows.len());
    for r in rows {
        let id: i64 = per_backend!(Tx, &mut *tx, |t, pg| {
            sqlx::query_scalar(
                    "INSERT INTO support_record (province_code, commune_code, household_id, \
                     member_no, person_name, person_key, id_number, kind, program, item, decision, \
                     decided_on, status, delivered_on, started_on, completed_on, rule_set, \
                     refused_rule, override_reason, file, note, user_name, at, model_id) VALUES ($1, \
                     $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, \
                     $19, $20, $21, $22, $23, $24) RETURNING id",
                )
                .bind(&r.province_code)
                .bind(&r.commune_code)
                .bind(r.household_id)
                .bind(r.member_no)
                .bind(&r.person_name)
                .bind(&r.person_key)
                .bind(&r.id_number)
                .bind(&r.kind)
                .bind(&r.program)
                .bind(&r.item)
                .bind(&r.decision)
                .bind(r.decided_on)
                .bind(&r.status)
                .bind(r.delivered_on)
                .bind(r.started_on)
                .bind(r.completed_on)
                .bind(&r.rule_set)
                .bind(&r.refused_rule)
                .bind(&r.override_reason)
                .bind(&r.file)
                .bind(&r.note)
                .bind(&who.name)
                .bind(now)
                .bind(r.model_id)
                .fetch_one(&mut **t)
                .await?
        });
        per_backend!(Tx, &mut *tx, |t, pg| {
            for p in &r.parts {
                sqlx::query(
                    "INSERT INTO support_part (record_id, source, in_kind, amount, valuation) \
                         VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(id)
                .bind(&p.source)
                .bind(p.in_kind)
                .bind(p.amount)
                .bind(&p.valuation)
                .execute(&mut **t)
                .await?;
            }
        });
        ids.push(id);
    }
    Ok(ids)
}

/// The audit entry of support records written: how many, how much, and each one recorded over a
/// refusal with its reason.
pub(crate) async fn support_audit(
    tx: &mut Tx,
    who: &Who,
    rows: &[SupportRecord],
    ids: &[i64],
) -> Result<()> {
    let overrides: Vec<serde_json::Value> = rows
        .iter()
        .zip(ids)
        .filter(|(r, _)| r.override_reason.is_some())
        .map(|(r, id)| {
            serde_json::json!({
                "record": id, "household_id": r.household_id, "kind": r.kind,
                "rule": r.refused_rule, "reason": r.override_reason,
            })
        })
        .collect();
    append(
        tx,
        who,
        &Change {
            action: "support.record".into(),
            record: match ids {
                [one] => format!("support_record:{one}"),
                _ => format!("support_record:{}", rows.len()),
            },
            unit_code: rows.first().map(|r| r.commune_code.clone()),
            before: None,
            after: Some(
                serde_json::json!({
                    "records": rows.len(),
                    "amount": rows.iter().map(SupportRecord::total).sum::<i64>(),
                    "file": rows.first().and_then(|r| r.file.clone()),
                    "overrides": overrides,
                })
                .to_string(),
            ),
        },
    )
    .await?;
    Ok(())
}

/// A unit's target as set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub id: i64,
    pub province_code: String,
    pub unit_code: String,
    pub indicator: String,
    pub from_year: i32,
    pub to_year: i32,
    /// Exact decimal text.
    pub value: String,
    pub document: String,
    pub note: Option<String>,
    pub user_name: String,
}

impl Store {
    /// Sets a unit's target (audited); an earlier one of the same unit, indicator and span stays
    /// kept, and the latest counts.
    pub async fn set_target(&self, who: &Who, t: &Target) -> Result<i64> {
        let mut tx = self.begin().await?;
        let now = Utc::now();
        let id: i64 = per_backend!(Tx, &mut tx, |x, pg| {
            sqlx::query_scalar(
                "INSERT INTO target (province_code, unit_code, indicator, from_year, to_year, \
                 value, document, note, user_name, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, \
                 $9, $10) RETURNING id",
            )
            .bind(&t.province_code)
            .bind(&t.unit_code)
            .bind(&t.indicator)
            .bind(t.from_year)
            .bind(t.to_year)
            .bind(&t.value)
            .bind(&t.document)
            .bind(&t.note)
            .bind(&who.name)
            .bind(now)
            .fetch_one(&mut **x)
            .await?
        });
        append(
            &mut tx,
            who,
            &Change {
                action: "target.set".into(),
                record: format!("target:{id}"),
                unit_code: Some(t.unit_code.clone()),
                before: None,
                after: Some(
                    serde_json::json!({
                        "indicator": t.indicator, "from": t.from_year, "to": t.to_year,
                        "value": t.value, "document": t.document,
                    })
                    .to_string(),
                ),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A unit's targets in force: the latest of each indicator and span.
    pub async fn targets(&self, unit: &str) -> Result<Vec<Target>> {
        type Row = (
            i64,
            String,
            String,
            String,
            i32,
            i32,
            String,
            String,
            Option<String>,
            String,
        );
        let rows: Vec<Row> = per_backend!(Pool, &self.pool, |pool, pg| {
            sqlx::query_as(
                "SELECT id, province_code, unit_code, indicator, from_year, to_year, value, \
                 document, note, user_name FROM target t WHERE unit_code = $1 AND id = \
                 (SELECT MAX(id) FROM target u WHERE u.unit_code = t.unit_code AND \
                 u.indicator = t.indicator AND u.from_year = t.from_year AND u.to_year = t.to_year) \
                 ORDER BY indicator, from_year, to_year",
            )
            .bind(unit)
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(|r| Target {
                id: r.0,
                province_code: r.1,
                unit_code: r.2,
                indicator: r.3,
                from_year: r.4,
                to_year: r.5,
                value: r.6,
                document: r.7,
                note: r.8,
                user_name: r.9,
            })
            .collect())
    }

    /// How many support records of a unit (a province's: all its communes') of some kinds (and
    /// statuses) were decided in a span of years.
    pub async fn support_count(
        &self,
        unit: &str,
        kinds: &[String],
        statuses: &[String],
        (from, to): (i32, i32),
    ) -> Result<i64> {
        let column = if unit.len() == 2 {
            "province_code"
        } else {
            "commune_code"
        };
        per_backend!(Pool, &self.pool, |pool, pg| {
            let mut q = QueryBuilder::new(format!(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM support_record WHERE {column} = "
            ));
            q.push_bind(unit.to_string());
            q.push(" AND decided_on >= ")
                .push_bind(NaiveDate::from_ymd_opt(from, 1, 1));
            q.push(" AND decided_on <= ")
                .push_bind(NaiveDate::from_ymd_opt(to, 12, 31));
            q.push(" AND kind");
            q.push_in_texts(kinds.to_vec());
            if !statuses.is_empty() {
                q.push(" AND status");
                q.push_in_texts(statuses.to_vec());
            }
            Ok(q.build_query_scalar().fetch_one(pool).await?)
        })
    }
}
