//! A household's changes between reviews, as the commune's officers record them: a member born,
//! dead, moved in or out; the household split, merged into another, moved to another commune.
//! Each is checked here (scope, dates, the person's fields) and then by the store inside its
//! transaction (the household's state); each is dated and audited.

use crate::access::Denied;
use crate::registry::{QueryError, Scoped};
use crate::text::fold_name;
use giamngheo_rules::chrono::Datelike;
use giamngheo_rules::person::check_id_number;
use giamngheo_rules::{msg, NaiveDate, Sex};
use giamngheo_store::{ChangeRequest, HouseholdChange, MemberRow, StoreError};
use giamngheo_survey::units::Catalogue;

/// A person who joins a household (born into it or come to live in it).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewPerson {
    pub full_name: String,
    pub id_number: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub sex: Option<Sex>,
    /// The ethnic group's number in the catalogue ("01" to "54").
    pub ethnic_code: Option<String>,
    pub relation: Option<String>,
}

/// A change as an officer asks for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Born(NewPerson),
    MovedIn {
        person: NewPerson,
        from: Option<String>,
    },
    Died {
        member_no: i32,
    },
    MovedOut {
        member_no: i32,
        to: Option<String>,
    },
    Split {
        code: String,
        village: Option<String>,
        head_name: Option<String>,
        members: Vec<i32>,
    },
    /// Joins the household of this code in the same commune.
    Merge {
        into_code: String,
    },
    Move {
        commune: String,
        code: String,
        village: Option<String>,
    },
}

/// The kinds of change, by code, as forms and the audit log name them.
pub const KINDS: &[&str] = &[
    "born",
    "moved_in",
    "died",
    "moved_out",
    "split",
    "merged",
    "moved",
];

fn missing() -> QueryError {
    QueryError::Invalid(msg!("change_field_missing"))
}

fn trimmed(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

impl NewPerson {
    /// The member to write: the person's fields checked (an ID of 12 digits that agrees with
    /// sex and birth year, a birth not after the change, a known ethnic group).
    fn member(&self, on: NaiveDate) -> Result<MemberRow, QueryError> {
        let name = self.full_name.trim();
        let (Some(birth), Some(sex)) = (self.birth_date, self.sex) else {
            return Err(missing());
        };
        if name.is_empty() {
            return Err(missing());
        }
        if birth > on {
            return Err(QueryError::Invalid(msg!("birth_after_change")));
        }
        let id_number = trimmed(&self.id_number);
        if let Some(id) = &id_number {
            check_id_number(id, Some(sex), Some(birth.year())).map_err(QueryError::Invalid)?;
        }
        let ethnic_code = trimmed(&self.ethnic_code);
        if let Some(code) = &ethnic_code {
            let known = code
                .parse::<u8>()
                .ok()
                .and_then(|n| Catalogue::builtin().ethnic_group_by_number(n));
            if known.is_none() {
                return Err(QueryError::Invalid(msg!("ethnicity_unknown", code = code)));
            }
        }
        let relation = trimmed(&self.relation);
        if let Some(r) = &relation {
            if giamngheo_rules::codes::Relation::from_code(r).is_none() {
                return Err(missing());
            }
        }
        let name = crate::text::nfc(name);
        Ok(MemberRow {
            member_no: 0,
            name_key: Some(fold_name(&name)),
            full_name: Some(name),
            id_number,
            birth_date: birth,
            birth_precision: 3,
            sex,
            ethnic_code: ethnic_code.map(|c| format!("{:02}", c.parse::<u8>().unwrap_or(0))),
            relation,
        })
    }
}

impl Scoped<'_> {
    /// Records a change of a household on `on` (not after `today`), under an optional document
    /// and note. Commune officers record their communes' changes; a move to another commune
    /// needs that commune in the officer's scope too. Returns the household the change leaves
    /// the reader at (the new household of a split or move, the one joined by a merge).
    pub async fn change_household(
        &self,
        household: i64,
        change: Change,
        on: NaiveDate,
        today: NaiveDate,
        document: Option<String>,
        note: Option<String>,
    ) -> Result<i64, QueryError> {
        let h = self.household(household).await?;
        if !self.runs(&h.commune_code) {
            return Err(Denied::Forbidden.into());
        }
        if on > today {
            return Err(QueryError::Invalid(msg!("change_in_future")));
        }
        let store = &self.registry.store;
        let change = match change {
            Change::Born(p) => HouseholdChange::AddMember {
                moved_in: false,
                member: p.member(on)?,
                from: None,
            },
            Change::MovedIn { person, from } => HouseholdChange::AddMember {
                moved_in: true,
                member: person.member(on)?,
                from: trimmed(&from),
            },
            Change::Died { member_no } => HouseholdChange::RemoveMember {
                died: true,
                member_no,
                to: None,
            },
            Change::MovedOut { member_no, to } => HouseholdChange::RemoveMember {
                died: false,
                member_no,
                to: trimmed(&to),
            },
            Change::Split {
                code,
                village,
                head_name,
                members,
            } => HouseholdChange::Split {
                code: household_code(&code)?,
                village: trimmed(&village).map(|v| crate::text::nfc(&v)),
                head_name: trimmed(&head_name).map(|v| crate::text::nfc(&v)),
                members,
            },
            Change::Merge { into_code } => {
                let code = household_code(&into_code)?;
                let into = store
                    .household_id(&h.commune_code, &code)
                    .await?
                    .ok_or(QueryError::Invalid(msg!("merge_target_unknown")))?;
                HouseholdChange::Merge { into }
            }
            Change::Move {
                commune,
                code,
                village,
            } => {
                let commune = commune.trim().to_string();
                if Catalogue::builtin().commune(&commune).is_none() {
                    return Err(QueryError::Invalid(msg!("move_commune_unknown")));
                }
                if !self.runs(&commune) {
                    return Err(QueryError::Invalid(msg!("move_out_of_scope")));
                }
                HouseholdChange::Move {
                    commune,
                    code: household_code(&code)?,
                    village: trimmed(&village).map(|v| crate::text::nfc(&v)),
                }
            }
        };
        let request = ChangeRequest {
            household_id: household,
            on,
            document: trimmed(&document),
            note: trimmed(&note),
            change,
        };
        match store.change_household(&self.who(), &request).await {
            Ok(id) => Ok(id),
            Err(StoreError::Refused(m)) => Err(QueryError::Invalid(m)),
            Err(e) => Err(e.into()),
        }
    }
}

/// A household code as the exchange format allows it (letters, digits, `-`, `_`, `.`, `/`; at
/// most 40).
fn household_code(code: &str) -> Result<String, QueryError> {
    let code = code.trim();
    let ok = !code.is_empty()
        && code.len() <= 40
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'));
    if ok {
        Ok(code.to_string())
    } else {
        Err(missing())
    }
}
