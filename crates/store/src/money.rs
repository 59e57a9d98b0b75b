//! The program's money: capital plans (a province's total and what it allocates to each commune,
//! each revision a dated document), disbursements and year-end estimates. Every write is one
//! transaction, checked against what the database holds inside it and audited; a refused write
//! names each line at fault and writes nothing.
//!
//! The checks, for one budget year × item × source × origin year:
//! - what the communes are allocated never exceeds the province's plan;
//! - no plan is revised below what its unit has disbursed (a province's own part is its plan less
//!   what it allocated);
//! - a payment never takes a unit's disbursed above its plan in force on the payment's day,
//!   unless it is recorded as an advance with its reason.

use giamngheo_rules::chrono::{DateTime, Datelike, NaiveDate, Utc};
use giamngheo_rules::msg;
use giamngheo_rules::text::Msg;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::audit::{append, Change};
use crate::dialect::{Pool, Tx};
use crate::{Result, Store, Who};

/// A line of a plan: an item (project or sub-project), a source, the year its capital comes from,
/// and the amount in VND.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PlanLine {
    pub item: String,
    pub source: String,
    pub origin_year: i32,
    pub amount: i64,
}

/// A plan document to write: the province's (`unit_code` its code) or a commune's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPlan {
    pub province_code: String,
    pub unit_code: String,
    pub budget_year: i32,
    pub program: String,
    pub document: String,
    pub decided_on: NaiveDate,
    pub note: Option<String>,
    pub lines: Vec<PlanLine>,
}

/// A plan document as written, with its lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanDoc {
    pub id: i64,
    pub unit_code: String,
    pub budget_year: i32,
    pub document: String,
    pub decided_on: NaiveDate,
    pub note: Option<String>,
    pub user_name: String,
    pub at: DateTime<Utc>,
    pub lines: Vec<PlanLine>,
}

/// A payment to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDisbursement {
    pub province_code: String,
    pub unit_code: String,
    pub budget_year: i32,
    pub program: String,
    pub item: String,
    pub source: String,
    pub origin_year: i32,
    pub paid_on: NaiveDate,
    pub amount: i64,
    pub document: String,
    /// Given, the payment may exceed the plan: an advance, for this reason.
    pub advance_reason: Option<String>,
}

/// A payment as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disbursement {
    pub id: i64,
    pub unit_code: String,
    pub item: String,
    pub source: String,
    pub origin_year: i32,
    pub paid_on: NaiveDate,
    pub amount: i64,
    pub document: String,
    pub advance_reason: Option<String>,
    pub user_name: String,
}

/// An estimate of a line's disbursement by the year's end, made on `as_of`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEstimate {
    pub province_code: String,
    pub unit_code: String,
    pub budget_year: i32,
    pub program: String,
    pub item: String,
    pub source: String,
    pub origin_year: i32,
    pub as_of: NaiveDate,
    pub amount: i64,
}

/// A unit's line of a year: what money is counted by.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MoneyKey {
    pub unit_code: String,
    pub item: String,
    pub source: String,
    pub origin_year: i32,
}

/// What a province's units hold on a line of a year: the plan in force, the disbursed by month
/// (January first), the advances among them, and the latest estimate to the year's end.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MoneyLine {
    pub plan: i64,
    pub by_month: [i64; 12],
    pub advances: i64,
    pub payments: i64,
    pub estimate: Option<i64>,
}

impl MoneyLine {
    pub fn disbursed(&self) -> i64 {
        self.by_month.iter().sum()
    }
}

/// A line of a write that the money's rules refuse: its place in the write (the plan's index and
/// its line's, or the payment's index) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoneyProblem {
    pub index: usize,
    pub line: Option<usize>,
    pub column: &'static str,
    pub message: Msg,
}

/// The plan lines of a province's year, each with its document's day, in the order they apply.
type Dated = Vec<(NaiveDate, i64, String, PlanLine)>;

type DatedRow = (NaiveDate, i64, String, String, String, i32, i64);

/// A plan document's row: id, unit, year, document, day, note, user, time.
type DocRow = (
    i64,
    String,
    i32,
    String,
    NaiveDate,
    Option<String>,
    String,
    DateTime<Utc>,
);

/// A payment's row, as [`Disbursement`] holds it.
type PaymentRow = (
    i64,
    String,
    String,
    String,
    i32,
    NaiveDate,
    i64,
    String,
    Option<String>,
    String,
);

/// A plan line as the plans file writes it.
pub type PlanRow = (
    String,
    String,
    NaiveDate,
    String,
    String,
    i32,
    i64,
    Option<String>,
);

/// A payment as the payments file writes it.
pub type PaymentExport = (
    String,
    String,
    String,
    i32,
    NaiveDate,
    i64,
    String,
    Option<String>,
);

/// An estimate as the estimates file writes it.
pub type EstimateExport = (String, String, String, i32, NaiveDate, i64);

/// A line's month of a province's year: (province, year, line, month).
type MonthKey = (String, i32, MoneyKey, u32);

const DATED_SQL: &str = "SELECT p.decided_on, p.id, p.unit_code, l.item, l.source, l.origin_year, \
     l.amount FROM capital_plan_line l JOIN capital_plan p ON p.id = l.plan_id \
     WHERE p.province_code = $1 AND p.budget_year = $2 ORDER BY p.decided_on, p.id";

fn dated(rows: Vec<DatedRow>) -> Dated {
    rows.into_iter()
        .map(|(d, id, unit, item, source, origin_year, amount)| {
            (
                d,
                id,
                unit,
                PlanLine {
                    item,
                    source,
                    origin_year,
                    amount,
                },
            )
        })
        .collect()
}

fn key_of(unit: &str, l: &PlanLine) -> MoneyKey {
    MoneyKey {
        unit_code: unit.to_string(),
        item: l.item.clone(),
        source: l.source.clone(),
        origin_year: l.origin_year,
    }
}

/// The plans in force on `on` (every document when `None`): each line's latest amount.
fn in_force(dated: &Dated, on: Option<NaiveDate>) -> BTreeMap<MoneyKey, i64> {
    let mut plan = BTreeMap::new();
    for (day, _, unit, l) in dated {
        if on.is_none_or(|d| *day <= d) {
            plan.insert(key_of(unit, l), l.amount);
        }
    }
    plan
}

/// What a unit may spend on a line: a commune its allocation, the province its plan less what it
/// allocated to its communes.
fn spendable(plan: &BTreeMap<MoneyKey, i64>, province: &str, key: &MoneyKey) -> i64 {
    let own = plan.get(key).copied().unwrap_or(0);
    if key.unit_code != province {
        return own;
    }
    let allocated: i64 = plan
        .iter()
        .filter(|(k, _)| {
            k.unit_code != province
                && k.item == key.item
                && k.source == key.source
                && k.origin_year == key.origin_year
        })
        .map(|(_, v)| *v)
        .sum();
    own - allocated
}

impl Store {
    /// Every plan line of a province's year with its document's day and id, in the order the
    /// documents apply (by day, then as written).
    async fn dated_lines(tx: &mut Tx, province: &str, year: i32) -> Result<Dated> {
        let rows: Vec<DatedRow> = per_backend!(Tx, tx, |t, pg| {
            sqlx::query_as(DATED_SQL)
                .bind(province)
                .bind(year)
                .fetch_all(&mut **t)
                .await?
        });
        Ok(dated(rows))
    }

    /// Each line's disbursed of a province's year (advances included).
    async fn disbursed_lines(
        tx: &mut Tx,
        province: &str,
        year: i32,
    ) -> Result<HashMap<MoneyKey, i64>> {
        let rows: Vec<(String, String, String, i32, i64)> = per_backend!(Tx, tx, |t, pg| {
            sqlx::query_as(
                "SELECT unit_code, item, source, origin_year, CAST(SUM(amount) AS BIGINT) \
                 FROM disbursement_month WHERE province_code = $1 AND budget_year = $2 \
                 GROUP BY unit_code, item, source, origin_year",
            )
            .bind(province)
            .bind(year)
            .fetch_all(&mut **t)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(|(unit_code, item, source, origin_year, n)| {
                (
                    MoneyKey {
                        unit_code,
                        item,
                        source,
                        origin_year,
                    },
                    n,
                )
            })
            .collect())
    }

    /// Writes plan documents, all or none: the allocations within the province's plan and no
    /// plan below what its unit disbursed, checked on the plans as they stand after the write.
    /// Returns the documents' ids, or every line at fault.
    pub async fn write_plans(
        &self,
        who: &Who,
        plans: &[NewPlan],
    ) -> Result<std::result::Result<Vec<i64>, Vec<MoneyProblem>>> {
        let mut tx = self.begin().await?;
        let now = Utc::now();
        let mut ids = Vec::with_capacity(plans.len());
        for p in plans {
            let id: i64 = per_backend!(Tx, &mut tx, |t, pg| {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO capital_plan (province_code, unit_code, budget_year, document, \
                     decided_on, note, user_name, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                     RETURNING id",
                )
                .bind(&p.province_code)
                .bind(&p.unit_code)
                .bind(p.budget_year)
                .bind(&p.document)
                .bind(p.decided_on)
                .bind(&p.note)
                .bind(&who.name)
                .bind(now)
                .fetch_one(&mut **t)
                .await?;
                for chunk in p.lines.chunks(200) {
                    let mut q = sqlx::QueryBuilder::new(
                        "INSERT INTO capital_plan_line (plan_id, program, item, source, \
                         origin_year, amount) ",
                    );
                    q.push_values(chunk, |mut row, l| {
                        row.push_bind(id)
                            .push_bind(&p.program)
                            .push_bind(&l.item)
                            .push_bind(&l.source)
                            .push_bind(l.origin_year)
                            .push_bind(l.amount);
                    });
                    q.build().execute(&mut **t).await?;
                }
                id
            });
            ids.push(id);
        }
        // the plans as they stand now, per province and year written
        let years: BTreeSet<(String, i32)> = plans
            .iter()
            .map(|p| (p.province_code.clone(), p.budget_year))
            .collect();
        let mut problems = Vec::new();
        for (province, year) in &years {
            let dated = Self::dated_lines(&mut tx, province, *year).await?;
            let plan = in_force(&dated, None);
            let disbursed = Self::disbursed_lines(&mut tx, province, *year).await?;
            for (i, p) in plans.iter().enumerate() {
                if &p.province_code != province || p.budget_year != *year {
                    continue;
                }
                for (n, l) in p.lines.iter().enumerate() {
                    let key = key_of(&p.unit_code, l);
                    let province_key = MoneyKey {
                        unit_code: province.clone(),
                        ..key.clone()
                    };
                    let total = plan.get(&province_key).copied().unwrap_or(0);
                    let allocated = total - spendable(&plan, province, &province_key);
                    if allocated > total {
                        problems.push(MoneyProblem {
                            index: i,
                            line: Some(n),
                            column: "amount",
                            message: msg!(
                                "money_allocated_over_plan",
                                item = &l.item,
                                source = &l.source,
                                origin = l.origin_year
                            )
                            .money("allocated", allocated)
                            .money("plan", total),
                        });
                        continue;
                    }
                    let spent = disbursed.get(&key).copied().unwrap_or(0);
                    let may = spendable(&plan, province, &key);
                    if spent > may {
                        problems.push(MoneyProblem {
                            index: i,
                            line: Some(n),
                            column: "amount",
                            message: msg!(
                                "money_plan_below_disbursed",
                                item = &l.item,
                                source = &l.source,
                                origin = l.origin_year
                            )
                            .money("plan", may)
                            .money("disbursed", spent),
                        });
                    }
                }
            }
        }
        if !problems.is_empty() {
            drop(tx);
            return Ok(Err(problems));
        }
        let lines: usize = plans.iter().map(|p| p.lines.len()).sum();
        let total: i64 = plans.iter().flat_map(|p| &p.lines).map(|l| l.amount).sum();
        let units: BTreeSet<&str> = plans.iter().map(|p| p.unit_code.as_str()).collect();
        let documents: BTreeSet<&str> = plans.iter().map(|p| p.document.as_str()).collect();
        append(
            &mut tx,
            who,
            &Change {
                action: "money.plan".into(),
                record: format!("capital_plan:{}", ids.first().copied().unwrap_or(0)),
                unit_code: plans.first().map(|p| p.province_code.clone()),
                before: None,
                after: Some(
                    serde_json::json!({
                        "plans": plans.len(), "lines": lines, "amount": total,
                        "units": units, "documents": documents,
                        "years": years.iter().map(|(_, y)| y).collect::<BTreeSet<_>>(),
                    })
                    .to_string(),
                ),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(Ok(ids))
    }

    /// Writes payments, all or none, each checked in turn against its unit's plan in force on its
    /// day with every payment before it counted: over the plan only as an advance, with its
    /// reason. Returns how many were written, or every payment at fault.
    pub async fn write_disbursements(
        &self,
        who: &Who,
        rows: &[NewDisbursement],
        file: Option<&str>,
    ) -> Result<std::result::Result<usize, Vec<MoneyProblem>>> {
        let mut tx = self.begin().await?;
        let now = Utc::now();
        let years: BTreeSet<(String, i32)> = rows
            .iter()
            .map(|r| (r.province_code.clone(), r.budget_year))
            .collect();
        let mut problems = Vec::new();
        let mut month: BTreeMap<MonthKey, (i64, i64, i64)> = BTreeMap::new();
        for (province, year) in &years {
            let dated = Self::dated_lines(&mut tx, province, *year).await?;
            let mut disbursed = Self::disbursed_lines(&mut tx, province, *year).await?;
            for (i, r) in rows.iter().enumerate() {
                if &r.province_code != province || r.budget_year != *year {
                    continue;
                }
                let key = MoneyKey {
                    unit_code: r.unit_code.clone(),
                    item: r.item.clone(),
                    source: r.source.clone(),
                    origin_year: r.origin_year,
                };
                let plan = in_force(&dated, Some(r.paid_on));
                let may = spendable(&plan, province, &key);
                let spent = disbursed.entry(key.clone()).or_insert(0);
                let advance = r
                    .advance_reason
                    .as_deref()
                    .is_some_and(|s| !s.trim().is_empty());
                if *spent + r.amount > may && !advance {
                    problems.push(MoneyProblem {
                        index: i,
                        line: None,
                        column: "amount",
                        message: msg!(
                            "money_over_plan",
                            item = &r.item,
                            source = &r.source,
                            on = r.paid_on.format("%d/%m/%Y")
                        )
                        .money("disbursed", *spent + r.amount)
                        .money("plan", may),
                    });
                    continue;
                }
                *spent += r.amount;
                let m = month
                    .entry((province.clone(), *year, key, r.paid_on.month()))
                    .or_default();
                m.0 += r.amount;
                if advance {
                    m.1 += r.amount;
                }
                m.2 += 1;
            }
        }
        if !problems.is_empty() {
            drop(tx);
            problems.sort_by_key(|p| p.index);
            return Ok(Err(problems));
        }
        per_backend!(Tx, &mut tx, |t, pg| {
            for chunk in rows.chunks(500) {
                let mut q = sqlx::QueryBuilder::new(
                    "INSERT INTO disbursement (province_code, unit_code, budget_year, program, \
                     item, source, origin_year, paid_on, amount, document, advance, \
                     advance_reason, user_name, at) ",
                );
                q.push_values(chunk, |mut row, r| {
                    let reason = r
                        .advance_reason
                        .as_deref()
                        .map(str::trim)
                        .filter(|s| !s.is_empty());
                    row.push_bind(&r.province_code)
                        .push_bind(&r.unit_code)
                        .push_bind(r.budget_year)
                        .push_bind(&r.program)
                        .push_bind(&r.item)
                        .push_bind(&r.source)
                        .push_bind(r.origin_year)
                        .push_bind(r.paid_on)
                        .push_bind(r.amount)
                        .push_bind(&r.document)
                        .push_bind(reason.is_some())
                        .push_bind(reason)
                        .push_bind(&who.name)
                        .push_bind(now);
                });
                q.build().execute(&mut **t).await?;
            }
            let months: Vec<_> = month.iter().collect();
            for chunk in months.chunks(500) {
                let mut q = sqlx::QueryBuilder::new(
                    "INSERT INTO disbursement_month (province_code, budget_year, unit_code, item, \
                     source, origin_year, month, amount, advances, payments) ",
                );
                q.push_values(chunk, |mut row, ((p, y, k, m), (a, adv, n))| {
                    row.push_bind(p)
                        .push_bind(*y)
                        .push_bind(&k.unit_code)
                        .push_bind(&k.item)
                        .push_bind(&k.source)
                        .push_bind(k.origin_year)
                        .push_bind(*m as i32)
                        .push_bind(*a)
                        .push_bind(*adv)
                        .push_bind(*n);
                });
                q.push(
                    " ON CONFLICT (province_code, budget_year, unit_code, item, source, \
                     origin_year, month) DO UPDATE SET \
                     amount = disbursement_month.amount + excluded.amount, \
                     advances = disbursement_month.advances + excluded.advances, \
                     payments = disbursement_month.payments + excluded.payments",
                );
                q.build().execute(&mut **t).await?;
            }
        });
        let total: i64 = rows.iter().map(|r| r.amount).sum();
        let advances = rows
            .iter()
            .filter(|r| {
                r.advance_reason
                    .as_deref()
                    .is_some_and(|s| !s.trim().is_empty())
            })
            .count();
        let units: BTreeSet<&str> = rows.iter().map(|r| r.unit_code.as_str()).collect();
        append(
            &mut tx,
            who,
            &Change {
                action: "money.disburse".into(),
                record: format!(
                    "disbursement:{}",
                    units.iter().next().copied().unwrap_or("")
                ),
                unit_code: if units.len() == 1 {
                    units.iter().next().map(|u| u.to_string())
                } else {
                    rows.first().map(|r| r.province_code.clone())
                },
                before: None,
                after: Some(
                    serde_json::json!({
                        "payments": rows.len(), "amount": total, "advances": advances,
                        "units": units, "file": file,
                    })
                    .to_string(),
                ),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(Ok(rows.len()))
    }

    /// Writes year-end estimates (audited), each replacing none: the latest of a line counts.
    pub async fn write_estimates(&self, who: &Who, rows: &[NewEstimate]) -> Result<usize> {
        let mut tx = self.begin().await?;
        let now = Utc::now();
        per_backend!(Tx, &mut tx, |t, pg| {
            for chunk in rows.chunks(500) {
                let mut q = sqlx::QueryBuilder::new(
                    "INSERT INTO disbursement_estimate (province_code, unit_code, budget_year, \
                     program, item, source, origin_year, as_of, amount, user_name, at) ",
                );
                q.push_values(chunk, |mut row, r| {
                    row.push_bind(&r.province_code)
                        .push_bind(&r.unit_code)
                        .push_bind(r.budget_year)
                        .push_bind(&r.program)
                        .push_bind(&r.item)
                        .push_bind(&r.source)
                        .push_bind(r.origin_year)
                        .push_bind(r.as_of)
                        .push_bind(r.amount)
                        .push_bind(&who.name)
                        .push_bind(now);
                });
                q.build().execute(&mut **t).await?;
            }
        });
        let units: BTreeSet<&str> = rows.iter().map(|r| r.unit_code.as_str()).collect();
        append(
            &mut tx,
            who,
            &Change {
                action: "money.estimate".into(),
                record: format!("disbursement_estimate:{}", rows.len()),
                unit_code: rows.first().map(|r| r.province_code.clone()),
                before: None,
                after: Some(
                    serde_json::json!({
                        "lines": rows.len(),
                        "amount": rows.iter().map(|r| r.amount).sum::<i64>(),
                        "units": units,
                    })
                    .to_string(),
                ),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(rows.len())
    }

    /// A province's money of a year on `on` (the plans in force that day; payments of the whole
    /// year by month; the latest estimate of each line), for the province and each commune.
    pub async fn money(
        &self,
        province: &str,
        year: i32,
        on: NaiveDate,
    ) -> Result<BTreeMap<MoneyKey, MoneyLine>> {
        type MonthRow = (String, String, String, i32, i32, i64, i64, i64);
        type EstimateRow = (String, String, String, i32, i64);
        let (rows, months, estimates): (Vec<DatedRow>, Vec<MonthRow>, Vec<EstimateRow>) = per_backend!(
            Pool,
            &self.pool,
            |pool, pg| {
                let rows = sqlx::query_as(DATED_SQL)
                    .bind(province)
                    .bind(year)
                    .fetch_all(pool)
                    .await?;
                let months = sqlx::query_as(
                    "SELECT unit_code, item, source, origin_year, month, amount, advances, \
                     payments FROM disbursement_month WHERE province_code = $1 AND budget_year = $2",
                )
                .bind(province)
                .bind(year)
                .fetch_all(pool)
                .await?;
                // the latest estimate made by `on`: a later one was not known that day
                let estimates = sqlx::query_as(
                    "SELECT unit_code, item, source, origin_year, amount FROM disbursement_estimate \
                     WHERE province_code = $1 AND budget_year = $2 AND as_of <= $3 \
                     ORDER BY as_of, id",
                )
                .bind(province)
                .bind(year)
                .bind(on)
                .fetch_all(pool)
                .await?;
                (rows, months, estimates)
            }
        );
        let mut out: BTreeMap<MoneyKey, MoneyLine> = BTreeMap::new();
        for (k, amount) in in_force(&dated(rows), Some(on)) {
            out.entry(k).or_default().plan = amount;
        }
        for (unit_code, item, source, origin_year, m, amount, advances, payments) in months {
            let line = out
                .entry(MoneyKey {
                    unit_code,
                    item,
                    source,
                    origin_year,
                })
                .or_default();
            if let Some(slot) = line.by_month.get_mut((m - 1).clamp(0, 11) as usize) {
                *slot += amount;
            }
            line.advances += advances;
            line.payments += payments;
        }
        for (unit_code, item, source, origin_year, amount) in estimates {
            out.entry(MoneyKey {
                unit_code,
                item,
                source,
                origin_year,
            })
            .or_default()
            .estimate = Some(amount);
        }
        Ok(out)
    }

    /// A unit's plan documents of a year, oldest first, with their lines: its revision history.
    pub async fn plan_history(&self, unit: &str, year: i32) -> Result<Vec<PlanDoc>> {
        per_backend!(Pool, &self.pool, |pool, pg| {
            let docs: Vec<DocRow> = sqlx::query_as(
                "SELECT id, unit_code, budget_year, document, decided_on, note, user_name, at \
                     FROM capital_plan WHERE unit_code = $1 AND budget_year = $2 \
                     ORDER BY decided_on, id",
            )
            .bind(unit)
            .bind(year)
            .fetch_all(pool)
            .await?;
            let lines: Vec<(i64, String, String, i32, i64)> = sqlx::query_as(
                "SELECT l.plan_id, l.item, l.source, l.origin_year, l.amount \
                 FROM capital_plan_line l JOIN capital_plan p ON p.id = l.plan_id \
                 WHERE p.unit_code = $1 AND p.budget_year = $2 ORDER BY l.item, l.source, l.origin_year",
            )
            .bind(unit)
            .bind(year)
            .fetch_all(pool)
            .await?;
            Ok(docs
                .into_iter()
                .map(
                    |(id, unit_code, budget_year, document, decided_on, note, user_name, at)| {
                        PlanDoc {
                            id,
                            unit_code,
                            budget_year,
                            document,
                            decided_on,
                            note,
                            user_name,
                            at,
                            lines: lines
                                .iter()
                                .filter(|l| l.0 == id)
                                .map(|(_, item, source, origin_year, amount)| PlanLine {
                                    item: item.clone(),
                                    source: source.clone(),
                                    origin_year: *origin_year,
                                    amount: *amount,
                                })
                                .collect(),
                        }
                    },
                )
                .collect())
        })
    }

    /// A unit's payments of a year, latest first, a page at a time.
    pub async fn disbursements(
        &self,
        unit: &str,
        year: i32,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<Disbursement>> {
        per_backend!(Pool, &self.pool, |pool, pg| {
            let rows: Vec<PaymentRow> = sqlx::query_as(
                "SELECT id, unit_code, item, source, origin_year, paid_on, amount, document, \
                     advance_reason, user_name FROM disbursement \
                     WHERE unit_code = $1 AND budget_year = $2 \
                     ORDER BY paid_on DESC, id DESC LIMIT $3 OFFSET $4",
            )
            .bind(unit)
            .bind(year)
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await?;
            Ok(rows
                .into_iter()
                .map(
                    |(
                        id,
                        unit_code,
                        item,
                        source,
                        origin_year,
                        paid_on,
                        amount,
                        document,
                        advance_reason,
                        user_name,
                    )| {
                        Disbursement {
                            id,
                            unit_code,
                            item,
                            source,
                            origin_year,
                            paid_on,
                            amount,
                            document,
                            advance_reason,
                            user_name,
                        }
                    },
                )
                .collect())
        })
    }

    /// A stamp that changes whenever money is written: the newest payment's id, and how many
    /// plan documents and estimates there are. Caches of money figures compare it.
    pub async fn money_version(&self) -> Result<(i64, i64)> {
        per_backend!(Pool, &self.pool, |pool, pg| {
            let (max, n): (Option<i64>, i64) = sqlx::query_as(
                "SELECT (SELECT MAX(id) FROM disbursement), \
                 CAST((SELECT COUNT(*) FROM capital_plan) + (SELECT COUNT(*) FROM disbursement_estimate) \
                 AS BIGINT)",
            )
            .fetch_one(pool)
            .await?;
            Ok((max.unwrap_or(0), n))
        })
    }

    /// A province's plan lines of a year (one unit's, when given) as the plans file writes them:
    /// unit, document, day, item, source, origin year, amount, note; by day and document.
    pub async fn plan_rows(
        &self,
        province: &str,
        year: i32,
        unit: Option<&str>,
    ) -> Result<Vec<PlanRow>> {
        per_backend!(Pool, &self.pool, |pool, pg| {
            Ok(sqlx::query_as(
                "SELECT p.unit_code, p.document, p.decided_on, l.item, l.source, l.origin_year, \
                 l.amount, p.note FROM capital_plan_line l JOIN capital_plan p ON p.id = l.plan_id \
                 WHERE p.province_code = $1 AND p.budget_year = $2 AND ($3 IS NULL OR p.unit_code = $3) \
                 ORDER BY p.decided_on, p.id, l.item, l.source, l.origin_year",
            )
            .bind(province)
            .bind(year)
            .bind(unit)
            .fetch_all(pool)
            .await?)
        })
    }

    /// A province's payments of a year (one unit's, when given), oldest first, as the payments
    /// file writes them: unit, item, source, origin year, day, amount, document, advance reason.
    pub async fn payment_rows(
        &self,
        province: &str,
        year: i32,
        unit: Option<&str>,
    ) -> Result<Vec<PaymentExport>> {
        per_backend!(Pool, &self.pool, |pool, pg| {
            Ok(sqlx::query_as(
                "SELECT unit_code, item, source, origin_year, paid_on, amount, document, \
                 advance_reason FROM disbursement WHERE province_code = $1 AND budget_year = $2 \
                 AND ($3 IS NULL OR unit_code = $3) ORDER BY paid_on, id",
            )
            .bind(province)
            .bind(year)
            .bind(unit)
            .fetch_all(pool)
            .await?)
        })
    }

    /// A province's (or one unit's) estimates of a year as the estimates file writes them, in the
    /// order they were made.
    pub async fn estimate_rows(
        &self,
        province: &str,
        year: i32,
        unit: Option<&str>,
    ) -> Result<Vec<EstimateExport>> {
        per_backend!(Pool, &self.pool, |pool, pg| {
            Ok(sqlx::query_as(
                "SELECT unit_code, item, source, origin_year, as_of, amount \
                 FROM disbursement_estimate WHERE province_code = $1 AND budget_year = $2 \
                 AND ($3 IS NULL OR unit_code = $3) ORDER BY as_of, id",
            )
            .bind(province)
            .bind(year)
            .bind(unit)
            .fetch_all(pool)
            .await?)
        })
    }

    /// The budget years a province has plans or payments for, newest first.
    pub async fn money_years(&self, province: &str) -> Result<Vec<i32>> {
        per_backend!(Pool, &self.pool, |pool, pg| {
            Ok(sqlx::query_scalar(
                "SELECT budget_year FROM capital_plan WHERE province_code = $1 \
                 UNION SELECT budget_year FROM disbursement_month WHERE province_code = $1 \
                 ORDER BY 1 DESC",
            )
            .bind(province)
            .fetch_all(pool)
            .await?)
        })
    }
}
