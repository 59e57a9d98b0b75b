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
}

/// A user to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    pub name: String,
    pub full_name: String,
    pub role: String,
    pub unit_code: Option<String>,
    pub password_hash: String,
}

/// An open session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub user: User,
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
}

const USER_COLUMNS: &str = "id, name, full_name, role, unit_code, password_hash, active";

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
                 created_at) VALUES ($1, $2, $3, $4, $5, TRUE, $6) RETURNING id",
            )
            .bind(&u.name)
            .bind(&u.full_name)
            .bind(&u.role)
            .bind(&u.unit_code)
            .bind(&u.password_hash)
            .bind(Utc::now())
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
        let mut tx = self.begin().await?;
        per_backend!(Tx, &mut tx, |t, pg| {
            sqlx::query("UPDATE app_user SET password_hash = $1 WHERE id = $2")
                .bind(password_hash)
                .bind(user.id)
                .execute(&mut **t)
                .await?;
            sqlx::query("DELETE FROM user_session WHERE user_id = $1")
                .bind(user.id)
                .execute(&mut **t)
                .await?;
        });
        append(
            &mut tx,
            who,
            &Change {
                action: "user.password".into(),
                record: format!("user:{}", user.id),
                unit_code: user.unit_code.clone(),
                before: None,
                after: Some(r#"{"password":"changed"}"#.into()),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
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
                    csrf_token: r.try_get(7)?,
                    expires_at: r.try_get(8)?,
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
