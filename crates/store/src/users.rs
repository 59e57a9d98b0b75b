//! Users of the application and their sessions.

use crate::audit::{append, Change};
use crate::dialect::{Pool, Tx};
use crate::{Result, Store, StoreError};
use giamngheo_rules::chrono::{DateTime, Utc};
use sqlx::Row;

/// Who makes a change, as the audit log names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Who {
    /// The web user, when there is one.
    pub user_id: Option<i64>,
    /// The user's login, or `cli:<system user>` for the command line.
    pub name: String,
}

impl Default for Who {
    fn default() -> Who {
        Who::cli()
    }
}

impl Who {
    /// The command line's user: `cli:` and the system user's name.
    pub fn cli() -> Who {
        let user = std::env::var("USER")
            .or_else(|_| std::env::var("USERNAME"))
            .unwrap_or_else(|_| "unknown".into());
        Who {
            user_id: None,
            name: format!("cli:{user}"),
        }
    }
}

/// A user of the application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub full_name: String,
    /// `administrator`, `provincial_officer`, `commune_officer`, `leader` or `inspector`.
    pub role: String,
    /// Province (2 digits) or commune (5 digits); `None` for the whole country.
    pub unit_code: Option<String>,
    pub password_hash: String,
    pub active: bool,
    /// Set by a reset: the user changes the password before anything else.
    pub must_change_password: bool,
}

/// A user to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    pub name: String,
    pub full_name: String,
    pub role: String,
    pub unit_code: Option<String>,
    pub password_hash: String,
    /// Whether the user must change the password at the first login (it was set for them).
    pub must_change_password: bool,
}

/// Who sets a password, and so what happens to the user's sessions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordBy<'a> {
    /// The user (or the command line on their behalf): every session closes.
    Owner,
    /// The user from a session of theirs (its token's hash), which stays open.
    OwnerKeeping(&'a str),
    /// Someone else: every session closes, and the user must change it at the next login.
    Reset,
}

/// What may change of a user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserChange {
    pub full_name: String,
    pub role: String,
    pub unit_code: Option<String>,
    pub active: bool,
}

impl UserChange {
    /// A user's fields as they are.
    pub fn of(u: &User) -> UserChange {
        UserChange {
            full_name: u.full_name.clone(),
            role: u.role.clone(),
            unit_code: u.unit_code.clone(),
            active: u.active,
        }
    }
}

/// An open session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub user: User,
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
}

const USER_COLUMNS: &str =
    "id, name, full_name, role, unit_code, password_hash, active, must_change_password";

fn user_of<R: Row>(r: &R) -> Result<User>
where
    for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> bool: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> Option<String>: sqlx::Decode<'a, R::Database>,
    usize: sqlx::ColumnIndex<R>,
{
    Ok(User {
        id: r.try_get(0)?,
        name: r.try_get(1)?,
        full_name: r.try_get(2)?,
        role: r.try_get(3)?,
        unit_code: r.try_get(4)?,
        password_hash: r.try_get(5)?,
        active: r.try_get(6)?,
        must_change_password: r.try_get(7)?,
    })
}

impl Store {
    /// Creates a user; the change is audited.
    pub async fn add_user(&self, who: &Who, u: &NewUser) -> Result<i64> {
        let mut tx = self.begin().await?;
        let id: i64 = per_backend!(Tx, &mut tx, |t, pg| {
            let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM app_user WHERE name = $1")
                .bind(&u.name)
                .fetch_optional(&mut **t)
                .await?;
            if exists.is_some() {
                return Err(StoreError::Invalid(format!(
                    "a user named `{}` already exists",
                    u.name
                )));
            }
            sqlx::query_scalar(
                "INSERT INTO app_user (name, full_name, role, unit_code, password_hash, active, \
                 created_at, must_change_password) VALUES ($1, $2, $3, $4, $5, TRUE, $6, $7) \
                 RETURNING id",
            )
            .bind(&u.name)
            .bind(&u.full_name)
            .bind(&u.role)
            .bind(&u.unit_code)
            .bind(&u.password_hash)
            .bind(Utc::now())
            .bind(u.must_change_password)
            .fetch_one(&mut **t)
            .await?
        });
        let after = serde_json::json!({
            "name": u.name, "full_name": u.full_name, "role": u.role, "unit_code": u.unit_code,
        });
        append(
            &mut tx,
            who,
            &Change {
                action: "user.add".into(),
                record: format!("user:{id}"),
                unit_code: u.unit_code.clone(),
                before: None,
                after: Some(after.to_string()),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Sets a user's password hash and closes their sessions; audited (without the hashes).
    pub async fn set_password(&self, who: &Who, name: &str, password_hash: &str) -> Result<()> {
        let user = self
            .user_by_name(name)
            .await?
            .ok_or_else(|| StoreError::Invalid(format!("no user named `{name}`")))?;
        self.write_password(who, user.id, password_hash, PasswordBy::Owner)
            .await
    }

    /// Sets a user's password: by its owner (their other sessions close, `keep` excepted), or
    /// by someone else (every session closes and the user must change it at the next login).
    /// Audited, without the hashes.
    pub async fn write_password(
        &self,
        who: &Who,
        id: i64,
        password_hash: &str,
        by: PasswordBy<'_>,
    ) -> Result<()> {
        let user = self
            .user_by_id(id)
            .await?
            .ok_or_else(|| StoreError::Invalid(format!("no user #{id}")))?;
        let (must_change, keep, action) = match by {
            PasswordBy::Owner => (false, None, "user.password"),
            PasswordBy::OwnerKeeping(token_hash) => (false, Some(token_hash), "user.password"),
            PasswordBy::Reset => (true, None, "user.reset_password"),
        };
        let mut tx = self.begin().await?;
        per_backend!(Tx, &mut tx, |t, pg| {
            sqlx::query(
                "UPDATE app_user SET password_hash = $1, must_change_password = $2 WHERE id = $3",
            )
            .bind(password_hash)
            .bind(must_change)
            .bind(user.id)
            .execute(&mut **t)
            .await?;
            sqlx::query("DELETE FROM user_session WHERE user_id = $1 AND token_hash <> $2")
                .bind(user.id)
                .bind(keep.unwrap_or(""))
                .execute(&mut **t)
                .await?;
        });
        append(
            &mut tx,
            who,
            &Change {
                action: action.into(),
                record: format!("user:{}", user.id),
                unit_code: user.unit_code.clone(),
                before: None,
                after: Some(
                    serde_json::json!({ "name": user.name, "password": "changed" }).to_string(),
                ),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Changes a user's name in full, role, unit or whether they may log in. A user disabled, or
    /// given another role or unit, is logged out everywhere. Audited as `action` with the
    /// fields that changed, before and after. Refused when no active administrator would be
    /// left. Returns whether anything changed.
    pub async fn update_user(
        &self,
        who: &Who,
        action: &str,
        id: i64,
        change: &UserChange,
    ) -> Result<bool> {
        let user = self
            .user_by_id(id)
            .await?
            .ok_or_else(|| StoreError::Invalid(format!("no user #{id}")))?;
        let fields = |u: &UserChange| {
            serde_json::json!({
                "full_name": u.full_name, "role": u.role, "unit_code": u.unit_code, "active": u.active,
            })
        };
        let now = UserChange::of(&user);
        let (before, after) = (fields(&now), fields(change));
        let mut changed_before = serde_json::Map::new();
        let mut changed_after = serde_json::Map::new();
        if let (Some(b), Some(a)) = (before.as_object(), after.as_object()) {
            for (k, v) in a {
                if b.get(k) != Some(v) {
                    changed_before.insert(k.clone(), b.get(k).cloned().unwrap_or_default());
                    changed_after.insert(k.clone(), v.clone());
                }
            }
        }
        if changed_after.is_empty() {
            return Ok(false);
        }
        changed_before.insert("name".into(), user.name.clone().into());
        changed_after.insert("name".into(), user.name.clone().into());
        let logs_out =
            !change.active || change.role != user.role || change.unit_code != user.unit_code;
        let mut tx = self.begin().await?;
        let administrators: i64 = per_backend!(Tx, &mut tx, |t, pg| {
            sqlx::query(
                "UPDATE app_user SET full_name = $1, role = $2, unit_code = $3, active = $4 \
                 WHERE id = $5",
            )
            .bind(&change.full_name)
            .bind(&change.role)
            .bind(&change.unit_code)
            .bind(change.active)
            .bind(id)
            .execute(&mut **t)
            .await?;
            if logs_out {
                sqlx::query("DELETE FROM user_session WHERE user_id = $1")
                    .bind(id)
                    .execute(&mut **t)
                    .await?;
            }
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM app_user WHERE role = 'administrator' AND active",
            )
            .fetch_one(&mut **t)
            .await?
        });
        if administrators == 0 {
            // dropped with the transaction: nothing written
            return Err(StoreError::LastAdministrator);
        }
        append(
            &mut tx,
            who,
            &Change {
                action: action.into(),
                record: format!("user:{id}"),
                unit_code: change.unit_code.clone().or(user.unit_code.clone()),
                before: Some(serde_json::Value::Object(changed_before).to_string()),
                after: Some(serde_json::Value::Object(changed_after).to_string()),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    pub async fn user_by_id(&self, id: i64) -> Result<Option<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM app_user WHERE id = $1");
        per_backend!(Pool, &self.pool, |pool, pg| {
            match sqlx::query(&sql).bind(id).fetch_optional(pool).await? {
                Some(r) => Ok(Some(user_of(&r)?)),
                None => Ok(None),
            }
        })
    }

    pub async fn user_by_name(&self, name: &str) -> Result<Option<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM app_user WHERE name = $1");
        per_backend!(Pool, &self.pool, |pool, pg| {
            match sqlx::query(&sql).bind(name).fetch_optional(pool).await? {
                Some(r) => Ok(Some(user_of(&r)?)),
                None => Ok(None),
            }
        })
    }

    pub async fn users(&self) -> Result<Vec<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM app_user ORDER BY name");
        per_backend!(Pool, &self.pool, |pool, pg| {
            sqlx::query(&sql)
                .fetch_all(pool)
                .await?
                .iter()
                .map(user_of)
                .collect()
        })
    }

    /// Opens a session for a user: the token's hash, its CSRF token and its end. Audited as a
    /// login.
    pub async fn open_session(
        &self,
        user: &User,
        token_hash: &str,
        csrf_token: &str,
        expires_at: DateTime<Utc>,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        per_backend!(Tx, &mut tx, |t, pg| {
            // sessions past their end go when anyone logs in
            sqlx::query("DELETE FROM user_session WHERE expires_at < $1")
                .bind(Utc::now())
                .execute(&mut **t)
                .await?;
            sqlx::query(
                "INSERT INTO user_session (token_hash, user_id, csrf_token, created_at, \
                 expires_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(token_hash)
            .bind(user.id)
            .bind(csrf_token)
            .bind(Utc::now())
            .bind(expires_at)
            .execute(&mut **t)
            .await?;
        });
        append(
            &mut tx,
            &Who {
                user_id: Some(user.id),
                name: user.name.clone(),
            },
            &Change {
                action: "session.login".into(),
                record: format!("user:{}", user.id),
                unit_code: user.unit_code.clone(),
                ..Default::default()
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The session of a token's hash, when it is open and its user active.
    pub async fn session(&self, token_hash: &str) -> Result<Option<Session>> {
        let sql = format!(
            "SELECT {}, s.csrf_token, s.expires_at FROM user_session s \
             JOIN app_user u ON u.id = s.user_id WHERE s.token_hash = $1 AND u.active",
            USER_COLUMNS
                .split(", ")
                .map(|c| format!("u.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let found = per_backend!(Pool, &self.pool, |pool, pg| {
            match sqlx::query(&sql)
                .bind(token_hash)
                .fetch_optional(pool)
                .await?
            {
                Some(r) => Some(Session {
                    user: user_of(&r)?,
                    csrf_token: r.try_get(8)?,
                    expires_at: r.try_get(9)?,
                }),
                None => None,
            }
        });
        Ok(found.filter(|s| s.expires_at > Utc::now()))
    }

    /// Closes a session.
    pub async fn close_session(&self, token_hash: &str) -> Result<()> {
        per_backend!(Pool, &self.pool, |pool, pg| {
            sqlx::query("DELETE FROM user_session WHERE token_hash = $1")
                .bind(token_hash)
                .execute(pool)
                .await?;
        });
        Ok(())
    }
}
