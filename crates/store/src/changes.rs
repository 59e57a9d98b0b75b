//! A household's changes between reviews: members born, dead, moved in or out; a household split,
//! merged into another, or moved to another commune. Each change is one transaction: checked,
//! written, kept in `household_change` with what it took, and audited.

use giamngheo_rules::chrono::{DateTime, NaiveDate, Utc};
use giamngheo_rules::msg;
use giamngheo_rules::text::Msg;
use sqlx::Row;

use crate::audit::{append, Change};
use crate::dialect::{Pool, Tx};
use crate::{MemberRow, Result, Store, StoreError, Who};

/// A change to record, dated `on`, under a document (the commune's note, a death certificate...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeRequest {
    pub household_id: i64,
    pub on: NaiveDate,
    pub document: Option<String>,
    pub note: Option<String>,
    pub change: HouseholdChange,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HouseholdChange {
    /// A child born into the household (`moved_in` false) or a person who came to live in it
    /// (`from`: where from). The member's number is the household's next.
    AddMember {
        moved_in: bool,
        member: MemberRow,
        from: Option<String>,
    },
    /// A member who died (`died`) or left to live elsewhere (`to`: where).
    RemoveMember {
        died: bool,
        member_no: i32,
        to: Option<String>,
    },
    /// A new household of the same commune made of some of this one's members.
    Split {
        code: String,
        village: Option<String>,
        head_name: Option<String>,
        members: Vec<i32>,
    },
    /// The household joins another of the same commune: its members go there, it ends.
    Merge { into: i64 },
    /// The household moves to another commune: a household there takes its members (and its past
    /// years, through its predecessor); this one ends where it was.
    Move {
        commune: String,
        code: String,
        village: Option<String>,
    },
}

impl HouseholdChange {
    pub fn kind(&self) -> &'static str {
        match self {
            HouseholdChange::AddMember {
                moved_in: false, ..
            } => "born",
            HouseholdChange::AddMember { moved_in: true, .. } => "moved_in",
            HouseholdChange::RemoveMember { died: true, .. } => "died",
            HouseholdChange::RemoveMember { died: false, .. } => "moved_out",
            HouseholdChange::Split { .. } => "split",
            HouseholdChange::Merge { .. } => "merged",
            HouseholdChange::Move { .. } => "moved",
        }
    }

    /// Whether the change makes or ends a household (refused while it has a case in a review).
    fn reshapes(&self) -> bool {
        matches!(
            self,
            HouseholdChange::Split { .. }
                | HouseholdChange::Merge { .. }
                | HouseholdChange::Move { .. }
        )
    }
}

/// A change as recorded, for the household's page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeLine {
    pub id: i64,
    pub household_id: i64,
    pub kind: String,
    pub on: NaiveDate,
    /// The other household: the new one (split, move), the one joined (merge), or for that one,
    /// the household that came.
    pub other: Option<OtherHousehold>,
    pub document: Option<String>,
    /// What the change took or gave, as JSON (members as they were, where from or to, the note).
    pub details: String,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtherHousehold {
    pub id: i64,
    pub code: String,
    pub commune_code: String,
    pub commune_name: String,
}

/// What a household's lineage says of it: how it ended and how it began.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Lineage {
    /// How and when it ended (`merged`, `moved`), and the household that followed.
    pub ended: Option<(String, NaiveDate, OtherHousehold)>,
    /// How it began (`split`, `moved`), and the household it came from.
    pub origin: Option<(String, OtherHousehold)>,
}

/// A refusal, by its message.
fn refused(m: Msg) -> StoreError {
    StoreError::Refused(m)
}

const MEMBER_JSON: &str = "SELECT member_no, full_name, id_number, birth_date, sex, relation \
                           FROM member WHERE household_id = $1";

impl Store {
    /// Records a change of a household; returns the household the change leaves the reader at
    /// (the new one of a split or a move, the one joined by a merge, or the same).
    pub async fn change_household(&self, who: &Who, r: &ChangeRequest) -> Result<i64> {
        let mut tx = self.begin().await?;
        let id = r.household_id;
        let lock = if matches!(tx, Tx::Postgres(_)) {
            " FOR UPDATE"
        } else {
            ""
        };
        let head: Option<(String, String, Option<NaiveDate>)> =
            per_backend!(Tx, &mut tx, |t, pg| {
                sqlx::query_as(&format!(
                    "SELECT commune_code, code, ended_on FROM household WHERE id = $1{lock}"
                ))
                .bind(id)
                .fetch_optional(&mut **t)
                .await?
            });
        let Some((commune, code, ended)) = head else {
            return Err(StoreError::Invalid(format!("no household {id}")));
        };
        if ended.is_some() {
            return Err(refused(msg!("household_ended")));
        }
        if r.change.reshapes() {
            let open: i64 = per_backend!(Tx, &mut tx, |t, pg| {
                sqlx::query_scalar(
                    "SELECT COUNT(*) FROM review_case c JOIN review v ON v.id = c.review_id \
                     WHERE c.household_id = $1 AND v.locked_at IS NULL \
                     AND c.step NOT IN ('screened_out', 'decided', 'certified', 'refused')",
                )
                .bind(id)
                .fetch_one(&mut **t)
                .await?
            });
            if open > 0 {
                return Err(refused(msg!("household_in_review")));
            }
        }
        let before = members_json(&mut tx, id).await?;
        let mut details = serde_json::Map::new();
        if let Some(n) = &r.note {
            details.insert("note".into(), n.clone().into());
        }
        let mut other = None;
        let mut lands = id;
        match &r.change {
            HouseholdChange::AddMember { member, from, .. } => {
                if let Some(number) = &member.id_number {
                    held_elsewhere(&mut tx, number).await?;
                }
                let no = next_member_no(&mut tx, id).await?;
                let m = MemberRow {
                    member_no: no,
                    ..member.clone()
                };
                crate::dialect::insert_members(&mut tx, &[(id, &m)]).await?;
                details.insert("member".into(), member_value(&m));
                if let Some(f) = from {
                    details.insert("from".into(), f.clone().into());
                }
            }
            HouseholdChange::RemoveMember { member_no, to, .. } => {
                let gone = before
                    .iter()
                    .find(|m| m["member_no"] == serde_json::json!(member_no))
                    .cloned()
                    .ok_or_else(|| refused(msg!("member_not_found", no = *member_no)))?;
                if before.len() == 1 {
                    // the last member: the household would be empty; a household ends by a
                    // merge or a move, or is simply not surveyed again
                    return Err(refused(msg!("household_last_member")));
                }
                per_backend!(Tx, &mut tx, |t, pg| {
                    sqlx::query("DELETE FROM member WHERE household_id = $1 AND member_no = $2")
                        .bind(id)
                        .bind(member_no)
                        .execute(&mut **t)
                        .await?;
                });
                details.insert("member".into(), gone);
                if let Some(to) = to {
                    details.insert("to".into(), to.clone().into());
                }
            }
            HouseholdChange::Split {
                code: new_code,
                village,
                head_name,
                members,
            } => {
                if members.is_empty() {
                    return Err(refused(msg!("split_no_members")));
                }
                let moving: Vec<&serde_json::Value> = before
                    .iter()
                    .filter(|m| {
                        m["member_no"]
                            .as_i64()
                            .is_some_and(|n| members.contains(&(n as i32)))
                    })
                    .collect();
                if moving.len() != members.len() {
                    return Err(refused(msg!("split_unknown_member")));
                }
                if moving.len() == before.len() {
                    return Err(refused(msg!("split_all_members")));
                }
                let new = new_household(
                    &mut tx,
                    &commune,
                    new_code,
                    village.as_deref(),
                    head_name.as_deref(),
                    id,
                    "split",
                )
                .await?;
                move_members(&mut tx, id, new, Some(members)).await?;
                details.insert("members".into(), moving.into_iter().cloned().collect());
                other = Some(new);
                lands = new;
            }
            HouseholdChange::Merge { into } => {
                let target: Option<(String, Option<NaiveDate>)> =
                    per_backend!(Tx, &mut tx, |t, pg| {
                        sqlx::query_as(&format!(
                            "SELECT commune_code, ended_on FROM household WHERE id = $1{lock}"
                        ))
                        .bind(into)
                        .fetch_optional(&mut **t)
                        .await?
                    });
                match target {
                    Some((c, None)) if c == commune && *into != id => {}
                    Some((c, Some(_))) if c == commune => {
                        return Err(refused(msg!("merge_target_ended")))
                    }
                    _ => return Err(refused(msg!("merge_target_unknown"))),
                }
                move_members(&mut tx, id, *into, None).await?;
                end_household(&mut tx, id, "merged", r.on, *into).await?;
                details.insert("members".into(), before.clone().into());
                other = Some(*into);
                lands = *into;
            }
            HouseholdChange::Move {
                commune: to,
                code: new_code,
                village,
            } => {
                if *to == commune {
                    return Err(refused(msg!("move_same_commune")));
                }
                let head_name: Option<String> = per_backend!(Tx, &mut tx, |t, pg| {
                    sqlx::query_scalar("SELECT head_name FROM household WHERE id = $1")
                        .bind(id)
                        .fetch_one(&mut **t)
                        .await?
                });
                let new = new_household(
                    &mut tx,
                    to,
                    new_code,
                    village.as_deref(),
                    head_name.as_deref(),
                    id,
                    "moved",
                )
                .await?;
                move_members(&mut tx, id, new, None).await?;
                end_household(&mut tx, id, "moved", r.on, new).await?;
                details.insert("members".into(), before.clone().into());
                other = Some(new);
                lands = new;
            }
        }
        let kind = r.change.kind();
        let details = serde_json::Value::Object(details).to_string();
        let change_id: i64 = per_backend!(Tx, &mut tx, |t, pg| {
            sqlx::query_scalar(
                "INSERT INTO household_change (household_id, kind, happened_on, \
                 other_household_id, document, details, recorded_by, recorded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(id)
            .bind(kind)
            .bind(r.on)
            .bind(other)
            .bind(&r.document)
            .bind(&details)
            .bind(&who.name)
            .bind(Utc::now())
            .fetch_one(&mut **t)
            .await?
        });
        let after = members_json(&mut tx, id).await?;
        let mut after_value = serde_json::json!({
            "change": change_id, "kind": kind, "on": r.on.to_string(),
            "document": r.document, "members": after,
        });
        if let Some(o) = other {
            after_value["household"] = o.into();
            after_value["household_members"] = members_json(&mut tx, o).await?.into();
        }
        append(
            &mut tx,
            who,
            &Change {
                action: format!("household.{kind}"),
                record: format!("household:{id}"),
                unit_code: Some(commune.to_string()),
                before: Some(serde_json::json!({ "code": code, "members": before }).to_string()),
                after: Some(after_value.to_string()),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(lands)
    }

    /// A household's recorded changes (its own, and those of households that joined it or came
    /// from it), latest first.
    pub async fn household_changes(&self, id: i64) -> Result<Vec<ChangeLine>> {
        per_backend!(Pool, &self.pool, |pool, pg| {
            sqlx::query(
                "SELECT x.id, x.household_id, x.kind, x.happened_on, x.document, x.details, \
                 x.recorded_by, x.recorded_at, o.id, o.code, o.commune_code, c.name \
                 FROM household_change x \
                 LEFT JOIN household o ON o.id = CASE WHEN x.household_id = $1 \
                  THEN x.other_household_id ELSE x.household_id END \
                 LEFT JOIN commune c ON c.code = o.commune_code \
                 WHERE x.household_id = $1 OR x.other_household_id = $1 \
                 ORDER BY x.happened_on DESC, x.id DESC",
            )
            .bind(id)
            .fetch_all(pool)
            .await?
            .iter()
            .map(|r| {
                let other = match r.try_get::<Option<i64>, _>(8)? {
                    Some(oid) => Some(OtherHousehold {
                        id: oid,
                        code: r.try_get(9)?,
                        commune_code: r.try_get(10)?,
                        commune_name: r.try_get(11)?,
                    }),
                    None => None,
                };
                Ok(ChangeLine {
                    id: r.try_get(0)?,
                    household_id: r.try_get(1)?,
                    kind: r.try_get(2)?,
                    on: r.try_get(3)?,
                    document: r.try_get(4)?,
                    details: r.try_get(5)?,
                    recorded_by: r.try_get(6)?,
                    recorded_at: r.try_get(7)?,
                    other,
                })
            })
            .collect()
        })
    }

    /// The household of a commune by its code.
    pub async fn household_id(&self, commune: &str, code: &str) -> Result<Option<i64>> {
        per_backend!(Pool, &self.pool, |pool, pg| {
            Ok(
                sqlx::query_scalar(
                    "SELECT id FROM household WHERE commune_code = $1 AND code = $2",
                )
                .bind(commune)
                .bind(code)
                .fetch_optional(pool)
                .await?,
            )
        })
    }

    /// How a household ended and began.
    pub async fn lineage(&self, id: i64) -> Result<Lineage> {
        per_backend!(Pool, &self.pool, |pool, pg| {
            let row = sqlx::query(
                "SELECT h.ended_kind, h.ended_on, s.id, s.code, s.commune_code, sc.name, \
                 h.origin_kind, p.id, p.code, p.commune_code, pc.name FROM household h \
                 LEFT JOIN household s ON s.id = h.successor_id \
                 LEFT JOIN commune sc ON sc.code = s.commune_code \
                 LEFT JOIN household p ON p.id = h.predecessor_id \
                 LEFT JOIN commune pc ON pc.code = p.commune_code WHERE h.id = $1",
            )
            .bind(id)
            .fetch_optional(pool)
            .await?;
            let Some(r) = row else {
                return Ok(Lineage::default());
            };
            let ended = match (
                r.try_get::<Option<String>, _>(0)?,
                r.try_get::<Option<NaiveDate>, _>(1)?,
                r.try_get::<Option<i64>, _>(2)?,
            ) {
                (Some(kind), Some(on), Some(sid)) => Some((
                    kind,
                    on,
                    OtherHousehold {
                        id: sid,
                        code: r.try_get(3)?,
                        commune_code: r.try_get(4)?,
                        commune_name: r.try_get(5)?,
                    },
                )),
                _ => None,
            };
            let origin = match (
                r.try_get::<Option<String>, _>(6)?,
                r.try_get::<Option<i64>, _>(7)?,
            ) {
                (Some(kind), Some(pid)) => Some((
                    kind,
                    OtherHousehold {
                        id: pid,
                        code: r.try_get(8)?,
                        commune_code: r.try_get(9)?,
                        commune_name: r.try_get(10)?,
                    },
                )),
                _ => None,
            };
            Ok(Lineage { ended, origin })
        })
    }
}

/// A household's members as JSON objects, by number.
async fn members_json(tx: &mut Tx, id: i64) -> Result<Vec<serde_json::Value>> {
    let sql = format!("{MEMBER_JSON} ORDER BY member_no");
    per_backend!(Tx, tx, |t, pg| {
        sqlx::query(&sql)
            .bind(id)
            .fetch_all(&mut **t)
            .await?
            .iter()
            .map(|r| {
                Ok(serde_json::json!({
                    "member_no": r.try_get::<i32, _>(0)?,
                    "full_name": r.try_get::<Option<String>, _>(1)?,
                    "id_number": r.try_get::<Option<String>, _>(2)?,
                    "birth_date": r.try_get::<NaiveDate, _>(3)?.to_string(),
                    "sex": r.try_get::<String, _>(4)?,
                    "relation": r.try_get::<Option<String>, _>(5)?,
                }))
            })
            .collect()
    })
}

fn member_value(m: &MemberRow) -> serde_json::Value {
    serde_json::json!({
        "member_no": m.member_no, "full_name": m.full_name, "id_number": m.id_number,
        "birth_date": m.birth_date.to_string(), "sex": m.sex.code(), "relation": m.relation,
    })
}

async fn next_member_no(tx: &mut Tx, id: i64) -> Result<i32> {
    let max: Option<i32> = per_backend!(Tx, tx, |t, pg| {
        sqlx::query_scalar("SELECT MAX(member_no) FROM member WHERE household_id = $1")
            .bind(id)
            .fetch_one(&mut **t)
            .await?
    });
    Ok(max.unwrap_or(0) + 1)
}

/// Refuses a personal ID a member of the registry holds already.
async fn held_elsewhere(tx: &mut Tx, number: &str) -> Result<()> {
    let holder: Option<(String, String, i32)> = per_backend!(Tx, tx, |t, pg| {
        sqlx::query_as(
            "SELECT h.code, h.commune_code, m.member_no FROM member m \
             JOIN household h ON h.id = m.household_id WHERE m.id_number = $1",
        )
        .bind(number)
        .fetch_optional(&mut **t)
        .await?
    });
    match holder {
        Some((household, commune, no)) => Err(refused(msg!(
            "id_belongs",
            id = number,
            no = no,
            household = household,
            commune = commune
        ))),
        None => Ok(()),
    }
}

/// Makes a household of `commune` that came from `from` (by a split or a move).
async fn new_household(
    tx: &mut Tx,
    commune: &str,
    code: &str,
    village: Option<&str>,
    head_name: Option<&str>,
    from: i64,
    origin: &str,
) -> Result<i64> {
    let taken: i64 = per_backend!(Tx, tx, |t, pg| {
        sqlx::query_scalar("SELECT COUNT(*) FROM household WHERE commune_code = $1 AND code = $2")
            .bind(commune)
            .bind(code)
            .fetch_one(&mut **t)
            .await?
    });
    if taken > 0 {
        return Err(refused(msg!("household_code_taken")));
    }
    let village_id: Option<i64> = match village {
        None => None,
        Some(v) => Some(per_backend!(Tx, tx, |t, pg| {
            sqlx::query(
                "INSERT INTO village (commune_code, name) VALUES ($1, $2) \
                 ON CONFLICT (commune_code, name) DO NOTHING",
            )
            .bind(commune)
            .bind(v)
            .execute(&mut **t)
            .await?;
            sqlx::query_scalar("SELECT id FROM village WHERE commune_code = $1 AND name = $2")
                .bind(commune)
                .bind(v)
                .fetch_one(&mut **t)
                .await?
        })),
    };
    Ok(per_backend!(Tx, tx, |t, pg| {
        sqlx::query_scalar(
            "INSERT INTO household (commune_code, code, village_id, head_name, predecessor_id, \
             origin_kind) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(commune)
        .bind(code)
        .bind(village_id)
        .bind(head_name)
        .bind(from)
        .bind(origin)
        .fetch_one(&mut **t)
        .await?
    }))
}

/// Moves members (all, or those numbered) from one household to another, numbered after its own.
async fn move_members(tx: &mut Tx, from: i64, to: i64, only: Option<&Vec<i32>>) -> Result<()> {
    let numbers: Vec<i32> = per_backend!(Tx, tx, |t, pg| {
        sqlx::query_scalar(
            "SELECT member_no FROM member WHERE household_id = $1 ORDER BY member_no",
        )
        .bind(from)
        .fetch_all(&mut **t)
        .await?
    });
    let mut next = next_member_no(tx, to).await?;
    for no in numbers
        .into_iter()
        .filter(|n| only.is_none_or(|o| o.contains(n)))
    {
        per_backend!(Tx, tx, |t, pg| {
            sqlx::query(
                "UPDATE member SET household_id = $1, member_no = $2 \
                 WHERE household_id = $3 AND member_no = $4",
            )
            .bind(to)
            .bind(next)
            .bind(from)
            .bind(no)
            .execute(&mut **t)
            .await?;
        });
        next += 1;
    }
    Ok(())
}

async fn end_household(tx: &mut Tx, id: i64, kind: &str, on: NaiveDate, to: i64) -> Result<()> {
    per_backend!(Tx, tx, |t, pg| {
        sqlx::query(
            "UPDATE household SET ended_on = $1, ended_kind = $2, successor_id = $3 WHERE id = $4",
        )
        .bind(on)
        .bind(kind)
        .bind(to)
        .bind(id)
        .execute(&mut **t)
        .await?;
    });
    Ok(())
}
