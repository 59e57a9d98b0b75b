//! The audit log: append-only (triggers refuse changes), each entry holding the SHA-256 of the
//! one before, checked from the first entry or against a head exported earlier.

use crate::dialect::{like_escape, Lists, Pool, Tx};
use crate::users::Who;
use crate::{Result, Store};
use giamngheo_rules::chrono::{DateTime, SecondsFormat, Utc};
use sha2::{Digest, Sha256};
use sqlx::Row;

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub user_id: Option<i64>,
    pub user_name: String,
    pub action: String,
    pub record: String,
    pub unit_code: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

/// A change to record: what, on which record (`kind:id`), in which unit, before and after (JSON).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Change {
    pub action: String,
    pub record: String,
    pub unit_code: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Filters of the audit log's page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub user_name: Option<String>,
    pub action: Option<String>,
    /// Records starting with this (`household:`, `user:12`).
    pub record: Option<String>,
    /// Entries of these units only (a scoped reader's unit and, for a province, its communes).
    pub units: Option<Vec<String>>,
    pub limit: i64,
    pub offset: i64,
}

/// The log's last entry, as an inspector exports it to check the log against later: entries
/// removed or changed up to it are then seen, even in a copy whose triggers were dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditHead {
    pub id: i64,
    pub hash: String,
    pub at: DateTime<Utc>,
}

impl AuditHead {
    /// The head as exported (JSON, with the time of the export); an empty log's head is the
    /// genesis hash at entry 0.
    pub fn export(head: Option<&AuditHead>) -> serde_json::Value {
        let now = Utc::now().to_rfc3339();
        match head {
            Some(h) => serde_json::json!({
                "id": h.id, "hash": h.hash, "at": h.at.to_rfc3339(), "exported_at": now,
            }),
            None => serde_json::json!({ "id": 0, "hash": GENESIS, "exported_at": now }),
        }
    }
}

/// How the log stands against an exported head.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// The head's entry is there with the head's hash.
    Holds,
    /// The head's entry is gone: the log was cut.
    Missing,
    /// The head's entry has another hash: an entry up to it was changed or removed.
    Differs,
}

/// The hash of the log's first entry's predecessor.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The SHA-256 an entry carries: of the previous entry's hash and every field of its own.
pub fn entry_hash(
    prev_hash: &str,
    at: &DateTime<Utc>,
    user_id: Option<i64>,
    user_name: &str,
    change: &Change,
) -> String {
    let mut h = Sha256::new();
    for part in [
        prev_hash,
        &at.to_rfc3339_opts(SecondsFormat::Micros, true),
        &user_id.map(|i| i.to_string()).unwrap_or_default(),
        user_name,
        &change.action,
        &change.record,
        change.unit_code.as_deref().unwrap_or(""),
        change.before.as_deref().unwrap_or(""),
        change.after.as_deref().unwrap_or(""),
    ] {
        h.update(part.as_bytes());
        h.update([0x1f]);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Appends an entry to the audit log inside `tx`, chained to the last one.
pub(crate) async fn append(tx: &mut Tx, who: &Who, change: &Change) -> Result<()> {
    // microseconds: what both databases keep, so that the hash can be checked later
    let now = Utc::now();
    let at = DateTime::from_timestamp_micros(now.timestamp_micros()).unwrap_or(now);
    // one appender at a time, so that each entry chains to the one before
    crate::dialect::lock_audit_chain(tx).await?;
    per_backend!(Tx, tx, |tx, pg| {
        let prev: Option<String> =
            sqlx::query_scalar("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1")
                .fetch_optional(&mut **tx)
                .await?;
        let prev = prev.unwrap_or_else(|| GENESIS.to_string());
        let hash = entry_hash(&prev, &at, who.user_id, &who.name, change);
        sqlx::query(
            "INSERT INTO audit_log (at, user_id, user_name, action, record, unit_code, \
             before_value, after_value, prev_hash, hash) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(at)
        .bind(who.user_id)
        .bind(&who.name)
        .bind(&change.action)
        .bind(&change.record)
        .bind(&change.unit_code)
        .bind(&change.before)
        .bind(&change.after)
        .bind(&prev)
        .bind(&hash)
        .execute(&mut **tx)
        .await?;
    });
    Ok(())
}

fn audit_of<R: Row>(r: &R) -> Result<AuditEntry>
where
    for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> Option<String>: sqlx::Decode<'a, R::Database>,
    for<'a> Option<i64>: sqlx::Decode<'a, R::Database>,
    for<'a> DateTime<Utc>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    usize: sqlx::ColumnIndex<R>,
{
    Ok(AuditEntry {
        id: r.try_get(0)?,
        at: r.try_get(1)?,
        user_id: r.try_get(2)?,
        user_name: r.try_get(3)?,
        action: r.try_get(4)?,
        record: r.try_get(5)?,
        unit_code: r.try_get(6)?,
        before: r.try_get(7)?,
        after: r.try_get(8)?,
        prev_hash: r.try_get(9)?,
        hash: r.try_get(10)?,
    })
}

impl Store {
    /// Records a change made outside the store's own use cases (one transaction of its own).
    pub async fn audit(&self, who: &Who, change: &Change) -> Result<()> {
        let mut tx = self.begin().await?;
        append(&mut tx, who, change).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Entries of the audit log, newest first.
    pub async fn audit_log(&self, f: &AuditFilter) -> Result<Vec<AuditEntry>> {
        let cols = "id, at, user_id, user_name, action, record, unit_code, before_value, \
                    after_value, prev_hash, hash";
        per_backend!(Pool, &self.pool, |pool, pg| {
            let mut q = sqlx::QueryBuilder::new(format!("SELECT {cols} FROM audit_log WHERE 1=1"));
            if let Some(u) = &f.user_name {
                q.push(" AND user_name = ").push_bind(u.clone());
            }
            if let Some(a) = &f.action {
                q.push(" AND action = ").push_bind(a.clone());
            }
            if let Some(r) = &f.record {
                q.push(" AND record LIKE ")
                    .push_bind(format!("{}%", like_escape(r)));
                q.push(" ESCAPE '\\'");
            }
            if let Some(units) = &f.units {
                q.push(" AND unit_code");
                q.push_in_texts(units.clone());
            }
            q.push(" ORDER BY id DESC LIMIT ")
                .push_bind(f.limit.clamp(1, 1000))
                .push(" OFFSET ")
                .push_bind(f.offset.max(0));
            q.build()
                .fetch_all(pool)
                .await?
                .iter()
                .map(audit_of)
                .collect()
        })
    }

    /// The log's last entry, to export as an anchor.
    pub async fn audit_head(&self) -> Result<Option<AuditHead>> {
        let row: Option<(i64, String, DateTime<Utc>)> =
            per_backend!(Pool, &self.pool, |pool, pg| {
                sqlx::query_as("SELECT id, hash, at FROM audit_log ORDER BY id DESC LIMIT 1")
                    .fetch_optional(pool)
                    .await?
            });
        Ok(row.map(|(id, hash, at)| AuditHead { id, hash, at }))
    }

    /// Checks the log against an exported head (see [`AuditHead`]); the chain itself is checked
    /// by [`Store::verify_audit_log`].
    pub async fn verify_audit_anchor(&self, id: i64, hash: &str) -> Result<Anchor> {
        let found: Option<String> = per_backend!(Pool, &self.pool, |pool, pg| {
            sqlx::query_scalar("SELECT hash FROM audit_log WHERE id = $1")
                .bind(id)
                .fetch_optional(pool)
                .await?
        });
        Ok(match found {
            None => Anchor::Missing,
            Some(h) if h == hash => Anchor::Holds,
            Some(_) => Anchor::Differs,
        })
    }

    /// Checks the audit log's chain from the first entry: `Ok(n)` entries sound, or the id of
    /// the first entry whose hash does not follow.
    pub async fn verify_audit_log(&self) -> Result<std::result::Result<i64, i64>> {
        let mut prev = GENESIS.to_string();
        let mut after = 0i64;
        let mut n = 0i64;
        loop {
            let cols = "id, at, user_id, user_name, action, record, unit_code, before_value, \
                        after_value, prev_hash, hash";
            let sql = format!("SELECT {cols} FROM audit_log WHERE id > $1 ORDER BY id LIMIT 1000");
            let page: Vec<AuditEntry> = per_backend!(Pool, &self.pool, |pool, pg| {
                sqlx::query(&sql)
                    .bind(after)
                    .fetch_all(pool)
                    .await?
                    .iter()
                    .map(audit_of)
                    .collect::<Result<Vec<_>>>()?
            });
            if page.is_empty() {
                return Ok(Ok(n));
            }
            for e in &page {
                let change = Change {
                    action: e.action.clone(),
                    record: e.record.clone(),
                    unit_code: e.unit_code.clone(),
                    before: e.before.clone(),
                    after: e.after.clone(),
                };
                let expect = entry_hash(&prev, &e.at, e.user_id, &e.user_name, &change);
                if e.prev_hash != prev || e.hash != expect {
                    return Ok(Err(e.id));
                }
                prev = e.hash.clone();
                after = e.id;
                n += 1;
            }
        }
    }
}
