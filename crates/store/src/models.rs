//! Livelihood models and production projects: each with its communes and its budget by funding
//! source, written with its participants (support records that carry the model's id) all or
//! none in one audited transaction; a province's or a commune's list; one model with its
//! participants.

use giamngheo_rules::chrono::{NaiveDate, Utc};
use sqlx::QueryBuilder;
use std::collections::HashMap;

use crate::audit::{append, Change};
use crate::dialect::{Lists, Pool, Tx};
use crate::support::{insert_support, support_audit};
use crate::{Result, Store, SupportPart, SupportRecord, Who};

/// A model or production project (to write, or as read).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Model {
    /// 0 until written.
    pub id: i64,
    pub province_code: String,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub program: Option<String>,
    pub item: Option<String>,
    pub decision: String,
    pub decided_on: NaiveDate,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub area_class: String,
    pub area_basis: Option<String>,
    pub outputs: Option<String>,
    pub refused_rule: Option<String>,
    pub override_reason: Option<String>,
    pub file: Option<String>,
    pub note: Option<String>,
    pub user_name: String,
    pub communes: Vec<String>,
    pub parts: Vec<SupportPart>,
}

impl Model {
    pub fn total(&self) -> i64 {
        self.parts.iter().map(|p| p.amount).sum()
    }
}

/// A model as a list shows it: the model, how many participants it has and what they received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelSummary {
    pub model: Model,
    pub participants: i64,
    pub participants_amount: i64,
}

#[derive(sqlx::FromRow)]
struct ModelRow {
    id: i64,
    province_code: String,
    code: String,
    name: String,
    kind: String,
    program: Option<String>,
    item: Option<String>,
    decision: String,
    decided_on: NaiveDate,
    starts_on: NaiveDate,
    ends_on: Option<NaiveDate>,
    area_class: String,
    area_basis: Option<String>,
    outputs: Option<String>,
    refused_rule: Option<String>,
    override_reason: Option<String>,
    file: Option<String>,
    note: Option<String>,
    user_name: String,
}

const MODEL_COLUMNS: &str = "m.id, m.province_code, m.code, m.name, m.kind, m.program, m.item, \
     m.decision, m.decided_on, m.starts_on, m.ends_on, m.area_class, m.area_basis, m.outputs, \
     m.refused_rule, m.override_reason, m.file, m.note, m.user_name FROM model m";

fn model_of(r: ModelRow) -> Model {
    Model {
        id: r.id,
        province_code: r.province_code,
        code: r.code,
        name: r.name,
        kind: r.kind,
        program: r.program,
        item: r.item,
        decision: r.decision,
        decided_on: r.decided_on,
        starts_on: r.starts_on,
        ends_on: r.ends_on,
        area_class: r.area_class,
        area_basis: r.area_basis,
        outputs: r.outputs,
        refused_rule: r.refused_rule,
        override_reason: r.override_reason,
        file: r.file,
        note: r.note,
        user_name: r.user_name,
        communes: Vec::new(),
        parts: Vec::new(),
    }
}

impl Store {
    /// Writes models and participants, all or none, in one audited transaction. A participant's
    /// `model_id` is a stored model's id, or `-(n + 1)` for the `n`th model of `models`.
    pub async fn write_models(
        &self,
        who: &Who,
        models: &[Model],
        participants: &[SupportRecord],
    ) -> Result<(Vec<i64>, Vec<i64>)> {
        let mut tx = self.begin().await?;
        let now = Utc::now();
        let mut ids = Vec::with_capacity(models.len());
        for m in models {
            let id: i64 = per_backend!(Tx, &mut tx, |t, pg| {
                sqlx::query_scalar(
                    "INSERT INTO model (province_code, code, name, kind, program, item, decision, \
                     decided_on, starts_on, ends_on, area_class, area_basis, outputs, \
                     refused_rule, override_reason, file, note, user_name, at) VALUES ($1, $2, \
                     $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, \
                     $19) RETURNING id",
                )
                .bind(&m.province_code)
                .bind(&m.code)
                .bind(&m.name)
                .bind(&m.kind)
                .bind(&m.program)
                .bind(&m.item)
                .bind(&m.decision)
                .bind(m.decided_on)
                .bind(m.starts_on)
                .bind(m.ends_on)
                .bind(&m.area_class)
                .bind(&m.area_basis)
                .bind(&m.outputs)
                .bind(&m.refused_rule)
                .bind(&m.override_reason)
                .bind(&m.file)
                .bind(&m.note)
                .bind(&who.name)
                .bind(now)
                .fetch_one(&mut **t)
                .await?
            });
            per_backend!(Tx, &mut tx, |t, pg| {
                for c in &m.communes {
                    sqlx::query(
                        "INSERT INTO model_commune (model_id, commune_code) VALUES ($1, $2)",
                    )
                    .bind(id)
                    .bind(c)
                    .execute(&mut **t)
                    .await?;
                }
                for p in &m.parts {
                    sqlx::query(
                        "INSERT INTO model_part (model_id, source, in_kind, amount, valuation) \
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
        let rows: Vec<SupportRecord> = participants
            .iter()
            .map(|p| {
                let mut p = p.clone();
                p.model_id = match p.model_id {
                    Some(n) if n < 0 => usize::try_from(-n - 1)
                        .ok()
                        .and_then(|i| ids.get(i).copied()),
                    other => other,
                };
                p
            })
            .collect();
        let records = insert_support(&mut tx, who, &rows).await?;
        for (m, id) in models.iter().zip(&ids) {
            append(
                &mut tx,
                who,
                &Change {
                    action: "model.record".into(),
                    record: format!("model:{id}"),
                    unit_code: Some(m.province_code.clone()),
                    before: None,
                    after: Some(
                        serde_json::json!({
                            "code": m.code, "name": m.name, "kind": m.kind,
                            "communes": m.communes, "amount": m.total(),
                            "area_class": m.area_class, "area_basis": m.area_basis,
                            "rule": m.refused_rule, "reason": m.override_reason,
                            "file": m.file,
                        })
                        .to_string(),
                    ),
                },
            )
            .await?;
        }
        if !rows.is_empty() {
            support_audit(&mut tx, who, &rows, &records).await?;
        }
        tx.commit().await?;
        Ok((ids, records))
    }

    async fn model_details(&self, models: &mut [Model]) -> Result<()> {
        if models.is_empty() {
            return Ok(());
        }
        let ids: Vec<i64> = models.iter().map(|m| m.id).collect();
        type PartRow = (i64, String, bool, i64, Option<String>);
        let (communes, parts): (Vec<(i64, String)>, Vec<PartRow>) = per_backend!(
            Pool,
            &self.pool,
            |pool, pg| {
                let mut q = QueryBuilder::new(
                    "SELECT model_id, commune_code FROM model_commune WHERE model_id",
                );
                q.push_in_ids(ids.clone());
                q.push(" ORDER BY model_id, commune_code");
                let communes = q.build_query_as().fetch_all(pool).await?;
                let mut q = QueryBuilder::new(
                "SELECT model_id, source, in_kind, amount, valuation FROM model_part WHERE model_id",
            );
                q.push_in_ids(ids);
                q.push(" ORDER BY model_id, source, in_kind");
                (communes, q.build_query_as().fetch_all(pool).await?)
            }
        );
        let mut by_c: HashMap<i64, Vec<String>> = HashMap::new();
        for (id, c) in communes {
            by_c.entry(id).or_default().push(c);
        }
        let mut by_p: HashMap<i64, Vec<SupportPart>> = HashMap::new();
        for (id, source, in_kind, amount, valuation) in parts {
            by_p.entry(id).or_default().push(SupportPart {
                source,
                in_kind,
                amount,
                valuation,
            });
        }
        for m in models {
            m.communes = by_c.remove(&m.id).unwrap_or_default();
            m.parts = by_p.remove(&m.id).unwrap_or_default();
        }
        Ok(())
    }

    /// A province's models (2 digits), or those reaching a commune (5 digits), latest first,
    /// each with how many participants it has and what they received.
    pub async fn models(&self, unit: &str) -> Result<Vec<ModelSummary>> {
        let rows: Vec<ModelRow> = per_backend!(Pool, &self.pool, |pool, pg| {
            if unit.len() == 2 {
                sqlx::query_as(&format!(
                    "SELECT {MODEL_COLUMNS} WHERE m.province_code = $1 \
                     ORDER BY m.decided_on DESC, m.id DESC"
                ))
                .bind(unit)
                .fetch_all(pool)
                .await?
            } else {
                sqlx::query_as(&format!(
                    "SELECT {MODEL_COLUMNS} WHERE m.id IN (SELECT model_id FROM model_commune \
                     WHERE commune_code = $1) ORDER BY m.decided_on DESC, m.id DESC"
                ))
                .bind(unit)
                .fetch_all(pool)
                .await?
            }
        });
        let mut models: Vec<Model> = rows.into_iter().map(model_of).collect();
        self.model_details(&mut models).await?;
        let ids: Vec<i64> = models.iter().map(|m| m.id).collect();
        let counts: Vec<(i64, i64, i64)> = if ids.is_empty() {
            Vec::new()
        } else {
            per_backend!(Pool, &self.pool, |pool, pg| {
                let mut q = QueryBuilder::new(
                    "SELECT r.model_id, CAST(COUNT(DISTINCT r.id) AS BIGINT), \
                     CAST(COALESCE(SUM(p.amount), 0) AS BIGINT) FROM support_record r \
                     LEFT JOIN support_part p ON p.record_id = r.id WHERE r.model_id",
                );
                q.push_in_ids(ids);
                q.push(" GROUP BY r.model_id");
                q.build_query_as().fetch_all(pool).await?
            })
        };
        let counts: HashMap<i64, (i64, i64)> =
            counts.into_iter().map(|(m, n, a)| (m, (n, a))).collect();
        Ok(models
            .into_iter()
            .map(|m| {
                let (participants, participants_amount) =
                    counts.get(&m.id).copied().unwrap_or_default();
                ModelSummary {
                    model: m,
                    participants,
                    participants_amount,
                }
            })
            .collect())
    }

    /// One model with its communes and parts.
    pub async fn model(&self, id: i64) -> Result<Option<Model>> {
        let row: Option<ModelRow> = per_backend!(Pool, &self.pool, |pool, pg| {
            sqlx::query_as(&format!("SELECT {MODEL_COLUMNS} WHERE m.id = $1"))
                .bind(id)
                .fetch_optional(pool)
                .await?
        });
        let mut models: Vec<Model> = row.into_iter().map(model_of).collect();
        self.model_details(&mut models).await?;
        Ok(models.pop())
    }

    /// The models of a province with these codes (as an import looks them up).
    pub async fn models_by_code(&self, province: &str, codes: &[String]) -> Result<Vec<Model>> {
        let mut out = Vec::new();
        for chunk in codes.chunks(500) {
            let rows: Vec<ModelRow> = per_backend!(Pool, &self.pool, |pool, pg| {
                let mut q =
                    QueryBuilder::new(format!("SELECT {MODEL_COLUMNS} WHERE m.province_code = "));
                q.push_bind(province.to_string());
                q.push(" AND m.code");
                q.push_in_texts(chunk.to_vec());
                q.build_query_as().fetch_all(pool).await?
            });
            out.extend(rows.into_iter().map(model_of));
        }
        self.model_details(&mut out).await?;
        Ok(out)
    }

    /// A model's participants (their support records), in the order they joined.
    pub async fn model_participants(&self, model_id: i64) -> Result<Vec<SupportRecord>> {
        let ids: Vec<i64> = per_backend!(Pool, &self.pool, |pool, pg| {
            sqlx::query_scalar(
                "SELECT id FROM support_record WHERE model_id = $1 ORDER BY decided_on, id",
            )
            .bind(model_id)
            .fetch_all(pool)
            .await?
        });
        let mut out = self.support_records(&ids).await?;
        let order: HashMap<i64, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        out.sort_by_key(|r| order.get(&r.id).copied().unwrap_or(usize::MAX));
        Ok(out)
    }

    /// Every household of a unit poor in a year's review, with its class in the next year's
    /// review (none when it had none): what outcomes compare supported households against.
    pub async fn poor_transitions(&self, unit: &str) -> Result<Vec<Transition>> {
        let filter = if unit.len() == 2 {
            "h.commune_code IN (SELECT code FROM commune WHERE province_code = $1)"
        } else {
            "h.commune_code = $1"
        };
        let rows: Vec<(i64, String, i32, Option<String>)> =
            per_backend!(Pool, &self.pool, |pool, pg| {
                sqlx::query_as(&format!(
                    "SELECT a.household_id, h.commune_code, a.year, b.class FROM assessment a \
                     JOIN household h ON h.id = a.household_id LEFT JOIN assessment b ON \
                     b.household_id = a.household_id AND b.year = a.year + 1 \
                     WHERE a.class = 'poor' AND {filter}"
                ))
                .bind(unit)
                .fetch_all(pool)
                .await?
            });
        Ok(rows
            .into_iter()
            .map(|(household_id, commune_code, year, next)| Transition {
                household_id,
                commune_code,
                year,
                next,
            })
            .collect())
    }

    /// A unit's support records as outcomes read them: household, kind, item, day, and the
    /// amount of the `state` sources and of all.
    pub async fn support_costs(&self, unit: &str, state: &[String]) -> Result<Vec<SupportCost>> {
        let column = if unit.len() == 2 {
            "province_code"
        } else {
            "commune_code"
        };
        type CostRow = (
            i64,
            i64,
            String,
            String,
            Option<String>,
            NaiveDate,
            i64,
            i64,
        );
        let rows: Vec<CostRow> = per_backend!(Pool, &self.pool, |pool, pg| {
            let mut q = QueryBuilder::new(
                "SELECT r.id, r.household_id, r.commune_code, r.kind, r.item, r.decided_on, \
                     CAST(COALESCE(SUM(CASE WHEN p.source",
            );
            q.push_in_texts(if state.is_empty() {
                vec![String::new()]
            } else {
                state.to_vec()
            });
            q.push(format!(
                " THEN p.amount ELSE 0 END), 0) AS BIGINT), \
                     CAST(COALESCE(SUM(p.amount), 0) AS BIGINT) FROM support_record r \
                     LEFT JOIN support_part p ON p.record_id = r.id WHERE r.{column} = "
            ));
            q.push_bind(unit.to_string());
            q.push(
                " GROUP BY r.id, r.household_id, r.commune_code, r.kind, r.item, \
                     r.decided_on ORDER BY r.id",
            );
            q.build_query_as().fetch_all(pool).await?
        });
        Ok(rows
            .into_iter()
            .map(
                |(id, household_id, commune_code, kind, item, decided_on, state, total)| {
                    SupportCost {
                        id,
                        household_id,
                        commune_code,
                        kind,
                        item,
                        decided_on,
                        state,
                        total,
                    }
                },
            )
            .collect())
    }
}

/// A household poor in a year's review, and its class in the next year's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub household_id: i64,
    pub commune_code: String,
    pub year: i32,
    pub next: Option<String>,
}

/// A support record's cost, as outcomes read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupportCost {
    pub id: i64,
    pub household_id: i64,
    pub commune_code: String,
    pub kind: String,
    pub item: Option<String>,
    pub decided_on: NaiveDate,
    /// Of the state budget's sources.
    pub state: i64,
    pub total: i64,
}
