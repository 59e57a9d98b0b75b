//! The annual review's records: plans (a province's, and each commune's window inside it), one
//! case per household and review with its step, and the append-only history of the steps. Every
//! write is one transaction with its audit entry; a step is written only over the step it was
//! taken from, so two officers acting on the same case at once cannot both move it.

use crate::audit::{append, Change};
use crate::dialect::{cast_to, Lists, Pool, Tx};
use crate::{Result, Store, StoreError, Who};
use giamngheo_rules::chrono::{NaiveDate, Utc};
use sqlx::{QueryBuilder, Row};
use std::collections::BTreeSet;

/// A review to create: a province's plan (no commune), or a commune's window inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReview {
    /// `periodic` or `in_year`.
    pub kind: String,
    pub year: i32,
    pub province_code: String,
    pub commune_code: Option<String>,
    pub parent_id: Option<i64>,
    pub plan_number: String,
    pub plan_date: NaiveDate,
    pub starts: NaiveDate,
    pub ends: NaiveDate,
}

/// A review as stored, with how many of its cases stand at each step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewRow {
    pub id: i64,
    pub kind: String,
    pub year: i32,
    pub province_code: String,
    pub commune_code: Option<String>,
    pub parent_id: Option<i64>,
    pub plan_number: String,
    pub plan_date: NaiveDate,
    pub starts: NaiveDate,
    pub ends: NaiveDate,
    pub locked: bool,
    /// (step, cases), for a commune's review; empty for a province's plan.
    pub steps: Vec<(String, i64)>,
}

/// A household put on a review's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCase {
    pub household_id: i64,
    /// `on_list` (on last year's poor or near-poor list) or `requested`.
    pub origin: String,
    /// The class the household was last approved as, when it was on a list.
    pub previous_class: Option<String>,
}

/// A case as the board lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRow {
    pub id: i64,
    pub review_id: i64,
    pub household_id: i64,
    pub household_code: String,
    pub head_name: Option<String>,
    pub village: Option<String>,
    pub commune_code: String,
    pub origin: String,
    pub previous_class: Option<String>,
    pub step: String,
    pub proposed_class: Option<String>,
    pub posting_ends: Option<NaiveDate>,
    pub approved: Option<String>,
    /// The household's members at its latest survey.
    pub members: i64,
}

/// A step to write: the case, the step it is taken from, and the case's state after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepWrite {
    pub case_id: i64,
    pub from: String,
    pub to: String,
    pub proposed_class: Option<String>,
    pub posting_ends: Option<NaiveDate>,
    pub approved: Option<String>,
}

/// Several cases taking one step together (a village's meeting, a commune's posting): what
/// happened, in a word and in detail (JSON), for the history and the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepBatch {
    pub review_id: i64,
    pub commune_code: String,
    /// `screen`, `survey`, `meeting`, `post`, `complaint`, `consult`, `decide`, `certify`,
    /// `correct`, `refuse`.
    pub event: String,
    pub detail: serde_json::Value,
    pub steps: Vec<StepWrite>,
    /// What the step is recorded as besides the cases' history.
    pub record: Option<BatchRecord>,
}

/// The record a batch of steps writes with them, in the same transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BatchRecord {
    /// A village's meeting (the village by name; `None` for households of no village).
    Meeting {
        village: Option<String>,
        held_on: NaiveDate,
        participants: i32,
        in_favour: i32,
        agreed: bool,
        note: Option<String>,
    },
    /// The commune's public posting.
    Posting {
        starts: NaiveDate,
        ends: NaiveDate,
        places: String,
    },
    /// The commune chairman's decision: its number and date, the decision it corrects, and each
    /// case's approved class.
    Decision {
        number: String,
        decided_on: NaiveDate,
        corrects: Option<i64>,
        /// Why a correcting decision was made.
        reason: Option<String>,
        lines: Vec<(i64, String)>,
    },
    /// Certificates for the batch's cases, numbered on from the commune's last of the year.
    Certificates { year: i32, issued_on: NaiveDate },
}

/// A certificate as issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateRow {
    pub case_id: i64,
    pub number: String,
    pub issued_on: NaiveDate,
    /// The number of the decision that withdrew it, if one did.
    pub revoked_by: Option<String>,
}

/// A village meeting of a review, with the households it agreed on (or sent back to survey).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingRow {
    pub id: i64,
    pub village: Option<String>,
    pub held_on: NaiveDate,
    pub participants: i32,
    pub in_favour: i32,
    pub agreed: bool,
    pub note: Option<String>,
    pub user_name: String,
    /// (household code, head's name, class proposed, members).
    pub households: Vec<(String, Option<String>, Option<String>, i64)>,
}

/// A decision of a review: its number and date, the decision it corrects and why, and how many
/// households it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionRow {
    pub id: i64,
    pub number: String,
    pub decided_on: NaiveDate,
    pub corrects: Option<String>,
    pub reason: Option<String>,
    pub households: i64,
}

const REVIEW_COLUMNS: &str = "r.id, r.kind, r.year, r.province_code, r.commune_code, r.parent_id, \
     r.plan_number, r.plan_date, r.starts, r.ends, r.locked_at IS NOT NULL";

const CASE_COLUMNS: &str = "k.id, k.review_id, k.household_id, h.code, h.head_name, v.name, \
     k.commune_code, k.origin, k.previous_class, k.step, k.proposed_class, k.posting_ends, \
     k.approved, CAST(COALESCE((SELECT a.members FROM assessment a \
     WHERE a.household_id = k.household_id ORDER BY a.year DESC LIMIT 1), 0) AS BIGINT)";

fn review_of<R: Row>(r: &R) -> Result<ReviewRow>
where
    for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> i32: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> bool: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> NaiveDate: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> Option<String>: sqlx::Decode<'a, R::Database>,
    for<'a> Option<i64>: sqlx::Decode<'a, R::Database>,
    usize: sqlx::ColumnIndex<R>,
{
    Ok(ReviewRow {
        id: r.try_get(0)?,
        kind: r.try_get(1)?,
        year: r.try_get(2)?,
        province_code: r.try_get(3)?,
        commune_code: r.try_get(4)?,
        parent_id: r.try_get(5)?,
        plan_number: r.try_get(6)?,
        plan_date: r.try_get(7)?,
        starts: r.try_get(8)?,
        ends: r.try_get(9)?,
        locked: r.try_get(10)?,
        steps: Vec::new(),
    })
}

fn case_of<R: Row>(r: &R) -> Result<CaseRow>
where
    for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> Option<String>: sqlx::Decode<'a, R::Database>,
    for<'a> NaiveDate: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    usize: sqlx::ColumnIndex<R>,
{
    Ok(CaseRow {
        id: r.try_get(0)?,
        review_id: r.try_get(1)?,
        household_id: r.try_get(2)?,
        household_code: r.try_get(3)?,
        head_name: r.try_get(4)?,
        village: r.try_get(5)?,
        commune_code: r.try_get(6)?,
        origin: r.try_get(7)?,
        previous_class: r.try_get(8)?,
        step: r.try_get(9)?,
        proposed_class: r.try_get(10)?,
        posting_ends: r.try_get(11)?,
        approved: r.try_get(12)?,
        members: r.try_get(13)?,
    })
}

impl Store {
    /// Creates a review (a plan or a commune's window); audited.
    pub async fn create_review(&self, who: &Who, r: &NewReview) -> Result<i64> {
        let mut tx = self.begin().await?;
        let id: i64 = per_backend!(Tx, &mut tx, |t, pg| {
            sqlx::query_scalar(
                "INSERT INTO review (kind, year, province_code, commune_code, parent_id, \
                 plan_number, plan_date, starts, ends, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
            )
            .bind(&r.kind)
            .bind(r.year)
            .bind(&r.province_code)
            .bind(&r.commune_code)
            .bind(r.parent_id)
            .bind(&r.plan_number)
            .bind(r.plan_date)
            .bind(r.starts)
            .bind(r.ends)
            .bind(&who.name)
            .bind(Utc::now())
            .fetch_one(&mut **t)
            .await?
        });
        let after = serde_json::json!({
            "kind": r.kind, "year": r.year, "plan_number": r.plan_number,
            "plan_date": r.plan_date.to_string(), "starts": r.starts.to_string(),
            "ends": r.ends.to_string(),
        });
        append(
            &mut tx,
            who,
            &Change {
                action: "review.plan".into(),
                record: format!("review:{id}"),
                unit_code: Some(r.commune_code.clone().unwrap_or(r.province_code.clone())),
                before: None,
                after: Some(after.to_string()),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A review by id, with its cases counted by step.
    pub async fn review(&self, id: i64) -> Result<Option<ReviewRow>> {
        let sql = format!("SELECT {REVIEW_COLUMNS} FROM review r WHERE r.id = $1");
        let found = per_backend!(Pool, &self.pool, |pool, pg| {
            match sqlx::query(&sql).bind(id).fetch_optional(pool).await? {
                Some(r) => Some(review_of(&r)?),
                None => None,
            }
        });
        let Some(mut review) = found else {
            return Ok(None);
        };
        review.steps = self.step_counts(id).await?;
        Ok(Some(review))
    }

    /// The reviews of a province's year (its plan and its communes' windows), plan first, then
    /// by commune, each with its cases counted by step.
    pub async fn reviews(&self, province: &str, year: i32) -> Result<Vec<ReviewRow>> {
        let sql = format!(
            "SELECT {REVIEW_COLUMNS} FROM review r WHERE r.province_code = $1 AND r.year = $2 \
             ORDER BY r.commune_code IS NOT NULL, r.commune_code, r.starts"
        );
        let mut rows: Vec<ReviewRow> = per_backend!(Pool, &self.pool, |pool, pg| {
            sqlx::query(&sql)
                .bind(province)
                .bind(year)
                .fetch_all(pool)
                .await?
                .iter()
                .map(review_of)
                .collect::<Result<_>>()?
        });
        for r in rows.iter_mut().filter(|r| r.commune_code.is_some()) {
            r.steps = self.step_counts(r.id).await?;
        }
        Ok(rows)
    }

    async fn step_counts(&self, review: i64) -> Result<Vec<(String, i64)>> {
        per_backend!(Pool, &self.pool, |pool, pg| {
            Ok(sqlx::query_as(
                "SELECT step, COUNT(*) FROM review_case WHERE review_id = $1 GROUP BY step \
                 ORDER BY step",
            )
            .bind(review)
            .fetch_all(pool)
            .await?)
        })
    }

    /// The households of a commune on last year's poor or near-poor list: (household, class). A
    /// household that has ended since is not; one that moved here is, by its list where it was.
    pub async fn on_lists(&self, commune: &str, year: i32) -> Result<Vec<(i64, String)>> {
        per_backend!(Pool, &self.pool, |pool, pg| {
            Ok(sqlx::query_as(
                "SELECT h.id, a.class FROM household h JOIN assessment a ON a.household_id = \
                 CASE WHEN h.origin_kind = 'moved' AND NOT EXISTS (SELECT 1 FROM assessment o \
                  WHERE o.household_id = h.id AND o.year = $2) THEN h.predecessor_id ELSE h.id END \
                 WHERE h.commune_code = $1 AND h.ended_on IS NULL AND a.year = $2 \
                 AND a.class IN ('poor', 'near_poor') ORDER BY h.id",
            )
            .bind(commune)
            .bind(year)
            .fetch_all(pool)
            .await?)
        })
    }

    /// Puts households on a review's list (those already on it are left as they are); audited
    /// once, with how many. Returns how many were added.
    pub async fn open_cases(
        &self,
        who: &Who,
        review_id: i64,
        commune: &str,
        cases: &[NewCase],
    ) -> Result<u64> {
        self.open_cases_as(who, review_id, commune, cases, "review.list", None)
            .await
    }

    /// Opens cases as [`Store::open_cases`] does, audited under `action` with `detail` beside
    /// the count (a household's own application names it and its date).
    pub async fn open_cases_as(
        &self,
        who: &Who,
        review_id: i64,
        commune: &str,
        cases: &[NewCase],
        action: &str,
        detail: Option<serde_json::Value>,
    ) -> Result<u64> {
        let mut tx = self.begin().await?;
        let now = Utc::now();
        let mut added = 0;
        per_backend!(Tx, &mut tx, |t, pg| {
            for chunk in cases.chunks(200) {
                let mut q = QueryBuilder::new(
                    "INSERT INTO review_case (review_id, household_id, commune_code, origin, \
                     previous_class, step, updated_at) ",
                );
                q.push_values(chunk, |mut row, c| {
                    row.push_bind(review_id)
                        .push_bind(c.household_id)
                        .push_bind(commune.to_string())
                        .push_bind(c.origin.clone())
                        .push_bind(c.previous_class.clone())
                        .push_bind("listed")
                        .push_bind(now);
                });
                q.push(" ON CONFLICT (review_id, household_id) DO NOTHING");
                added += q.build().execute(&mut **t).await?.rows_affected();
            }
        });
        append(
            &mut tx,
            who,
            &Change {
                action: action.into(),
                record: format!("review:{review_id}"),
                unit_code: Some(commune.to_string()),
                before: None,
                after: Some(
                    match detail {
                        Some(serde_json::Value::Object(mut m)) => {
                            m.insert("households".into(), added.into());
                            serde_json::Value::Object(m)
                        }
                        _ => serde_json::json!({ "households": added }),
                    }
                    .to_string(),
                ),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(added)
    }

    /// A review's cases, by village and household code; only those at `step` when given.
    pub async fn cases(&self, review_id: i64, step: Option<&str>) -> Result<Vec<CaseRow>> {
        let sql = format!(
            "SELECT {CASE_COLUMNS} FROM review_case k JOIN household h ON h.id = k.household_id \
             LEFT JOIN village v ON v.id = h.village_id \
             WHERE k.review_id = $1 AND ($2 IS NULL OR k.step = $2) \
             ORDER BY v.name, h.code"
        );
        per_backend!(Pool, &self.pool, |pool, pg| {
            sqlx::query(&sql)
                .bind(review_id)
                .bind(step)
                .fetch_all(pool)
                .await?
                .iter()
                .map(case_of)
                .collect()
        })
    }

    /// Writes a batch of steps, each over the step it was taken from, with its history and one
    /// audit entry, all or nothing. A case that has moved meanwhile fails the whole batch.
    pub async fn write_steps(&self, who: &Who, batch: &StepBatch) -> Result<()> {
        if batch.steps.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin().await?;
        let now = Utc::now();
        let detail = batch.detail.to_string();
        let mut issued: Vec<String> = Vec::new();
        per_backend!(Tx, &mut tx, |t, pg| {
            match &batch.record {
                None => {}
                Some(BatchRecord::Meeting {
                    village,
                    held_on,
                    participants,
                    in_favour,
                    agreed,
                    note,
                }) => {
                    sqlx::query(
                        "INSERT INTO village_meeting (review_id, village_id, held_on, participants, \
                         in_favour, agreed, note, user_name, at) VALUES ($1, (SELECT id FROM village \
                         WHERE commune_code = $2 AND name = $3), $4, $5, $6, $7, $8, $9, $10)",
                    )
                    .bind(batch.review_id)
                    .bind(&batch.commune_code)
                    .bind(village)
                    .bind(held_on)
                    .bind(participants)
                    .bind(in_favour)
                    .bind(agreed)
                    .bind(note)
                    .bind(&who.name)
                    .bind(now)
                    .execute(&mut **t)
                    .await?;
                }
                Some(BatchRecord::Posting {
                    starts,
                    ends,
                    places,
                }) => {
                    sqlx::query(
                        "INSERT INTO review_posting (review_id, starts, ends, places, user_name, at) \
                         VALUES ($1, $2, $3, $4, $5, $6)",
                    )
                    .bind(batch.review_id)
                    .bind(starts)
                    .bind(ends)
                    .bind(places)
                    .bind(&who.name)
                    .bind(now)
                    .execute(&mut **t)
                    .await?;
                }
                Some(BatchRecord::Decision {
                    number,
                    decided_on,
                    corrects,
                    reason,
                    lines,
                }) => {
                    let taken: Option<i64> = sqlx::query_scalar(
                        "SELECT id FROM review_decision WHERE commune_code = $1 AND number = $2",
                    )
                    .bind(&batch.commune_code)
                    .bind(number)
                    .fetch_optional(&mut **t)
                    .await?;
                    if taken.is_some() {
                        return Err(StoreError::DecisionNumberTaken(number.clone()));
                    }
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO review_decision (review_id, commune_code, number, decided_on, \
                         corrects_id, reason, user_name, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                         RETURNING id",
                    )
                    .bind(batch.review_id)
                    .bind(&batch.commune_code)
                    .bind(number)
                    .bind(decided_on)
                    .bind(corrects)
                    .bind(reason)
                    .bind(&who.name)
                    .bind(now)
                    .fetch_one(&mut **t)
                    .await?;
                    if corrects.is_some() {
                        // the certificates of the cases it decides again are withdrawn by it
                        let cases: Vec<i64> = lines.iter().map(|(c, _)| *c).collect();
                        let mut q = QueryBuilder::new("UPDATE certificate SET revoked_by = ");
                        q.push_bind(id)
                            .push(" WHERE revoked_by IS NULL AND case_id");
                        q.push_in_ids(cases);
                        q.build().execute(&mut **t).await?;
                    }
                    for chunk in lines.chunks(200) {
                        let mut q = QueryBuilder::new(
                            "INSERT INTO review_decision_line (decision_id, case_id, approved) ",
                        );
                        q.push_values(chunk, |mut row, (case, approved)| {
                            row.push_bind(id)
                                .push_bind(*case)
                                .push_bind(approved.clone());
                        });
                        q.build().execute(&mut **t).await?;
                    }
                }
                Some(BatchRecord::Certificates { year, issued_on }) => {
                    let last: Option<i32> = sqlx::query_scalar(
                        "SELECT MAX(seq) FROM certificate WHERE commune_code = $1 AND year = $2",
                    )
                    .bind(&batch.commune_code)
                    .bind(year)
                    .fetch_one(&mut **t)
                    .await?;
                    let mut seq = last.unwrap_or(0);
                    for s in &batch.steps {
                        seq += 1;
                        let number = format!("{seq}/GCN-HN.HCN");
                        sqlx::query(
                            "INSERT INTO certificate (case_id, commune_code, year, seq, number, \
                             issued_on) VALUES ($1, $2, $3, $4, $5, $6)",
                        )
                        .bind(s.case_id)
                        .bind(&batch.commune_code)
                        .bind(year)
                        .bind(seq)
                        .bind(&number)
                        .bind(issued_on)
                        .execute(&mut **t)
                        .await?;
                        issued.push(number);
                    }
                }
            }
            let (open, close) = cast_to(pg, "JSONB");
            let insert = format!(
                "INSERT INTO review_event (case_id, step_from, step_to, event, detail, user_name, \
                 at) VALUES ($1, $2, $3, $4, {open}$5{close}, $6, $7)"
            );
            for s in &batch.steps {
                let moved = sqlx::query(
                    "UPDATE review_case SET step = $1, proposed_class = $2, posting_ends = $3, \
                     approved = $4, updated_at = $5 WHERE id = $6 AND step = $7 AND review_id = $8",
                )
                .bind(&s.to)
                .bind(&s.proposed_class)
                .bind(s.posting_ends)
                .bind(&s.approved)
                .bind(now)
                .bind(s.case_id)
                .bind(&s.from)
                .bind(batch.review_id)
                .execute(&mut **t)
                .await?
                .rows_affected();
                if moved != 1 {
                    return Err(StoreError::Invalid(format!(
                        "case #{} is no longer at step {}",
                        s.case_id, s.from
                    )));
                }
                sqlx::query(&insert)
                    .bind(s.case_id)
                    .bind(&s.from)
                    .bind(&s.to)
                    .bind(&batch.event)
                    .bind(&detail)
                    .bind(&who.name)
                    .bind(now)
                    .execute(&mut **t)
                    .await?;
            }
        });
        // what the decision recognises is the households' class of the year in every figure
        if matches!(batch.record, Some(BatchRecord::Decision { .. })) {
            let year: i32 = per_backend!(Tx, &mut tx, |t, pg| {
                sqlx::query_scalar("SELECT year FROM review WHERE id = $1")
                    .bind(batch.review_id)
                    .fetch_one(&mut **t)
                    .await?
            });
            let touched =
                crate::decided::apply_decisions(&mut tx, year, &[batch.commune_code.as_str()])
                    .await?;
            let years: BTreeSet<i32> = touched.iter().map(|(y, _)| *y).collect();
            for y in years {
                let communes: Vec<&str> = touched
                    .iter()
                    .filter(|(at, _)| *at == y)
                    .map(|(_, c)| c.as_str())
                    .collect();
                crate::summaries::refresh_summaries(&mut tx, y, &communes).await?;
            }
        }
        let mut after = serde_json::json!({ "event": batch.event, "cases": batch.steps.len() });
        if let (Some(a), Some(d)) = (after.as_object_mut(), batch.detail.as_object()) {
            a.extend(d.clone());
            if let (Some(first), Some(last)) = (issued.first(), issued.last()) {
                a.insert("certificates".into(), format!("{first} – {last}").into());
            }
        }
        append(
            &mut tx,
            who,
            &Change {
                action: format!("review.{}", batch.event),
                record: format!("review:{}", batch.review_id),
                unit_code: Some(batch.commune_code.clone()),
                before: None,
                after: Some(after.to_string()),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A case's history: (from, to, event, user, time), oldest first.
    pub async fn case_history(
        &self,
        case_id: i64,
    ) -> Result<
        Vec<(
            String,
            String,
            String,
            String,
            giamngheo_rules::chrono::DateTime<Utc>,
        )>,
    > {
        per_backend!(Pool, &self.pool, |pool, pg| {
            Ok(sqlx::query_as(
                "SELECT step_from, step_to, event, user_name, at FROM review_event \
                 WHERE case_id = $1 ORDER BY id",
            )
            .bind(case_id)
            .fetch_all(pool)
            .await?)
        })
    }
}

impl Store {
    /// The certificates of a review's cases, by number.
    pub async fn certificates(&self, review_id: i64) -> Result<Vec<CertificateRow>> {
        per_backend!(Pool, &self.pool, |pool, pg| {
            let rows: Vec<(i64, String, NaiveDate, Option<String>)> = sqlx::query_as(
                "SELECT c.case_id, c.number, c.issued_on, d.number FROM certificate c \
                 JOIN review_case k ON k.id = c.case_id \
                 LEFT JOIN review_decision d ON d.id = c.revoked_by \
                 WHERE k.review_id = $1 ORDER BY c.seq",
            )
            .bind(review_id)
            .fetch_all(pool)
            .await?;
            Ok(rows
                .into_iter()
                .map(|(case_id, number, issued_on, revoked_by)| CertificateRow {
                    case_id,
                    number,
                    issued_on,
                    revoked_by,
                })
                .collect())
        })
    }

    /// A review's latest public posting: start, end, places.
    pub async fn posting(&self, review_id: i64) -> Result<Option<(NaiveDate, NaiveDate, String)>> {
        per_backend!(Pool, &self.pool, |pool, pg| {
            Ok(sqlx::query_as(
                "SELECT starts, ends, places FROM review_posting WHERE review_id = $1 \
                 ORDER BY id DESC LIMIT 1",
            )
            .bind(review_id)
            .fetch_optional(pool)
            .await?)
        })
    }

    /// A review's decisions, in the order they were made.
    pub async fn decisions(&self, review_id: i64) -> Result<Vec<DecisionRow>> {
        per_backend!(Pool, &self.pool, |pool, pg| {
            sqlx::query(
                "SELECT d.id, d.number, d.decided_on, c.number, d.reason, \
                 (SELECT COUNT(*) FROM review_decision_line l WHERE l.decision_id = d.id) \
                 FROM review_decision d LEFT JOIN review_decision c ON c.id = d.corrects_id \
                 WHERE d.review_id = $1 ORDER BY d.id",
            )
            .bind(review_id)
            .fetch_all(pool)
            .await?
            .iter()
            .map(|r| {
                Ok(DecisionRow {
                    id: r.try_get(0)?,
                    number: r.try_get(1)?,
                    decided_on: r.try_get(2)?,
                    corrects: r.try_get(3)?,
                    reason: r.try_get(4)?,
                    households: r.try_get(5)?,
                })
            })
            .collect()
        })
    }

    /// A review's village meetings in the order they were held, each with its households.
    pub async fn meetings(&self, review_id: i64) -> Result<Vec<MeetingRow>> {
        per_backend!(Pool, &self.pool, |pool, pg| {
            let mut meetings: Vec<MeetingRow> = sqlx::query(
                "SELECT m.id, v.name, m.held_on, m.participants, m.in_favour, m.agreed, m.note, \
                 m.user_name FROM village_meeting m LEFT JOIN village v ON v.id = m.village_id \
                 WHERE m.review_id = $1 ORDER BY m.held_on, m.id",
            )
            .bind(review_id)
            .fetch_all(pool)
            .await?
            .iter()
            .map(|r| {
                Ok(MeetingRow {
                    id: r.try_get(0)?,
                    village: r.try_get(1)?,
                    held_on: r.try_get(2)?,
                    participants: r.try_get(3)?,
                    in_favour: r.try_get(4)?,
                    agreed: r.try_get(5)?,
                    note: r.try_get(6)?,
                    user_name: r.try_get(7)?,
                    households: Vec::new(),
                })
            })
            .collect::<Result<_>>()?;
            // a meeting's households: its batch's events (written at the meeting's own time)
            let rows = sqlx::query(
                "SELECT m.id, h.code, h.head_name, c.proposed_class, \
                 (SELECT COUNT(*) FROM member x WHERE x.household_id = h.id) \
                 FROM village_meeting m \
                 JOIN review_event e ON e.at = m.at AND e.event = 'meeting' \
                 JOIN review_case c ON c.id = e.case_id AND c.review_id = m.review_id \
                 JOIN household h ON h.id = c.household_id \
                 WHERE m.review_id = $1 \
                 AND (h.village_id = m.village_id OR (h.village_id IS NULL AND m.village_id IS NULL)) \
                 ORDER BY m.id, h.code",
            )
            .bind(review_id)
            .fetch_all(pool)
            .await?;
            for r in &rows {
                let id: i64 = r.try_get(0)?;
                if let Some(m) = meetings.iter_mut().find(|m| m.id == id) {
                    m.households
                        .push((r.try_get(1)?, r.try_get(2)?, r.try_get(3)?, r.try_get(4)?));
                }
            }
            Ok(meetings)
        })
    }

    /// The latest decision naming a case: its id.
    pub async fn case_decision(&self, case_id: i64) -> Result<Option<i64>> {
        per_backend!(Pool, &self.pool, |pool, pg| {
            Ok(sqlx::query_scalar(
                "SELECT MAX(decision_id) FROM review_decision_line WHERE case_id = $1",
            )
            .bind(case_id)
            .fetch_one(pool)
            .await?)
        })
    }
}

impl Store {
    /// The class of each of a commune's households surveyed in a year: household → class.
    pub async fn classes_of(
        &self,
        commune: &str,
        year: i32,
    ) -> Result<std::collections::HashMap<i64, String>> {
        per_backend!(Pool, &self.pool, |pool, pg| {
            let rows: Vec<(i64, String)> = sqlx::query_as(
                "SELECT a.household_id, a.class FROM assessment a \
                 JOIN household h ON h.id = a.household_id \
                 WHERE h.commune_code = $1 AND a.year = $2",
            )
            .bind(commune)
            .bind(year)
            .fetch_all(pool)
            .await?;
            Ok(rows.into_iter().collect())
        })
    }
}

impl Store {
    /// Each decided case with the decision it was decided in (its latest): decision number,
    /// date, case, approved class; in decision order, then by case.
    pub async fn decision_lines(
        &self,
        review_id: i64,
    ) -> Result<Vec<(String, NaiveDate, i64, String)>> {
        per_backend!(Pool, &self.pool, |pool, pg| {
            Ok(sqlx::query_as(
                "SELECT d.number, d.decided_on, l.case_id, l.approved FROM review_decision_line l \
                 JOIN review_decision d ON d.id = l.decision_id WHERE d.review_id = $1 \
                 AND d.id = (SELECT MAX(l2.decision_id) FROM review_decision_line l2 \
                 WHERE l2.case_id = l.case_id) ORDER BY d.id, l.case_id",
            )
            .bind(review_id)
            .fetch_all(pool)
            .await?)
        })
    }
}

impl Store {
    /// Locks these reviews of a province's year; audited once.
    pub async fn lock_reviews(
        &self,
        who: &Who,
        province: &str,
        year: i32,
        ids: &[i64],
    ) -> Result<u64> {
        let mut tx = self.begin().await?;
        let now = Utc::now();
        let mut locked = 0;
        per_backend!(Tx, &mut tx, |t, pg| {
            for id in ids {
                locked += sqlx::query(
                    "UPDATE review SET locked_at = $1 WHERE id = $2 AND locked_at IS NULL",
                )
                .bind(now)
                .bind(id)
                .execute(&mut **t)
                .await?
                .rows_affected();
            }
        });
        append(
            &mut tx,
            who,
            &Change {
                action: "review.lock".into(),
                record: format!("review-year:{province}:{year}"),
                unit_code: Some(province.to_string()),
                before: None,
                after: Some(serde_json::json!({ "year": year, "reviews": locked }).to_string()),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(locked)
    }
}
