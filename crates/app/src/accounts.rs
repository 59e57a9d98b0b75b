//! Users managed by users: the administrator manages every account; a provincial officer the
//! accounts of their province's communes (commune officers, leaders and inspectors of a commune).
//! Every change is audited by the store, and a user's own role, unit and access cannot be
//! changed by themselves (nobody locks themselves out, or raises themselves).

use crate::access::{province_of, Denied, Role};
use crate::registry::{password_hash, QueryError, Scoped};
use crate::session;
use giamngheo_rules::{msg, UnitCode};
use giamngheo_store::{NewUser, PasswordBy, StoreError, User, UserChange};

/// The most characters of a login name.
pub const MAX_NAME_CHARS: usize = 32;
/// The most characters of a name in full.
pub const MAX_FULL_NAME_CHARS: usize = 100;

/// A user account as a manager asks it to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountForm {
    pub full_name: String,
    pub role: Role,
    /// A province or commune; `None` for the whole country.
    pub unit: Option<UnitCode>,
}

/// What may happen to an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountAction {
    Update,
    Disable,
    Enable,
}

impl Scoped<'_> {
    /// Whether the user manages accounts at all (the menu's entry).
    pub fn manages_users(&self) -> bool {
        self.actor.may_manage_users()
    }

    /// Whether an account of this role and unit is within what the user manages: anything for
    /// an administrator; for a provincial officer, a commune of their province with a role
    /// below their own.
    pub fn manages(&self, role: Role, unit: Option<&UnitCode>) -> bool {
        match self.actor.role {
            Role::Administrator => true,
            Role::ProvincialOfficer => {
                let (Some(UnitCode::Province(own)), Some(UnitCode::Commune(c))) =
                    (self.actor.unit.as_ref(), unit)
                else {
                    return false;
                };
                matches!(role, Role::CommuneOfficer | Role::Leader | Role::Inspector)
                    && province_of(&UnitCode::Commune(*c)) == Some(*own)
            }
            _ => false,
        }
    }

    fn manages_user(&self, u: &User) -> bool {
        match Role::from_code(&u.role) {
            Some(role) => self.manages(
                role,
                u.unit_code.as_deref().and_then(UnitCode::parse).as_ref(),
            ),
            None => self.actor.role == Role::Administrator,
        }
    }

    fn may_manage(&self) -> Result<(), QueryError> {
        if self.manages_users() {
            Ok(())
        } else {
            Err(Denied::Forbidden.into())
        }
    }

    /// The roles the user may give.
    pub fn roles_given(&self) -> Vec<Role> {
        Role::ALL
            .into_iter()
            .filter(|r| match self.actor.role {
                Role::Administrator => true,
                Role::ProvincialOfficer => {
                    matches!(r, Role::CommuneOfficer | Role::Leader | Role::Inspector)
                }
                _ => false,
            })
            .collect()
    }

    /// The accounts the user manages, by name.
    pub async fn accounts(&self) -> Result<Vec<User>, QueryError> {
        self.may_manage()?;
        let users = self.registry.store.users().await?;
        Ok(users.into_iter().filter(|u| self.manages_user(u)).collect())
    }

    /// An account the user manages; any other is not there for them.
    pub async fn account(&self, id: i64) -> Result<User, QueryError> {
        self.may_manage()?;
        match self.registry.store.user_by_id(id).await? {
            Some(u) if self.manages_user(&u) => Ok(u),
            _ => Err(Denied::NotFound.into()),
        }
    }

    /// Checks a form: the name in full, and the role and unit (which the user must manage).
    fn checked(&self, form: &AccountForm) -> Result<String, QueryError> {
        let full_name = form.full_name.trim().to_string();
        if full_name.chars().count() > MAX_FULL_NAME_CHARS {
            return Err(QueryError::Invalid(msg!(
                "full_name_too_long",
                max = MAX_FULL_NAME_CHARS
            )));
        }
        form.role
            .takes_unit(form.unit.as_ref())
            .map_err(QueryError::Invalid)?;
        if !self.manages(form.role, form.unit.as_ref()) {
            return Err(QueryError::Invalid(msg!("account_not_yours")));
        }
        Ok(full_name)
    }

    /// Creates an account with a first password (which the new user changes at the first
    /// login). Returns its id.
    pub async fn add_account(
        &self,
        name: &str,
        form: &AccountForm,
        password: &str,
    ) -> Result<i64, QueryError> {
        self.may_manage()?;
        let name = name.trim().to_lowercase();
        let valid = (2..=MAX_NAME_CHARS).contains(&name.chars().count())
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c));
        if !valid {
            return Err(QueryError::Invalid(msg!(
                "user_name_invalid",
                max = MAX_NAME_CHARS
            )));
        }
        let full_name = self.checked(form)?;
        let hash = password_hash(password)?;
        if self.registry.store.user_by_name(&name).await?.is_some() {
            return Err(QueryError::Invalid(msg!("user_exists", name = &name)));
        }
        let store = &self.registry.store;
        let id = store
            .add_user(
                &self.who(),
                &NewUser {
                    name: name.clone(),
                    full_name,
                    role: form.role.code().into(),
                    unit_code: form.unit.map(|u| u.to_string()),
                    password_hash: hash,
                    // a first password is someone else's: the user changes it
                    must_change_password: true,
                },
            )
            .await?;
        Ok(id)
    }

    /// Changes an account's name in full, role and unit, or disables or enables it. Returns
    /// whether anything changed.
    pub async fn change_account(
        &self,
        id: i64,
        action: AccountAction,
        form: Option<&AccountForm>,
    ) -> Result<bool, QueryError> {
        let user = self.account(id).await?;
        let mut change = UserChange::of(&user);
        let code = match action {
            AccountAction::Update => {
                let form = form.ok_or(Denied::Forbidden)?;
                change.full_name = self.checked(form)?;
                change.role = form.role.code().into();
                change.unit_code = form.unit.map(|u| u.to_string());
                "user.update"
            }
            AccountAction::Disable => {
                change.active = false;
                "user.disable"
            }
            AccountAction::Enable => {
                change.active = true;
                "user.enable"
            }
        };
        let own = user.id == self.actor.user_id;
        if own
            && (change.role != user.role
                || change.unit_code != user.unit_code
                || change.active != user.active)
        {
            return Err(QueryError::Invalid(msg!("account_own")));
        }
        match self
            .registry
            .store
            .update_user(&self.who(), code, id, &change)
            .await
        {
            Err(StoreError::LastAdministrator) => {
                Err(QueryError::Invalid(msg!("last_administrator")))
            }
            other => Ok(other?),
        }
    }

    /// Gives an account a new password, made up here and shown once: the user's sessions close
    /// and they change it at the next login.
    pub async fn reset_password(&self, id: i64) -> Result<String, QueryError> {
        let user = self.account(id).await?;
        if user.id == self.actor.user_id {
            return Err(QueryError::Invalid(msg!("account_own")));
        }
        let password = session::temporary_password();
        let hash = password_hash(&password)?;
        self.registry
            .store
            .write_password(&self.who(), id, &hash, PasswordBy::Reset)
            .await?;
        Ok(password)
    }

    /// The user's own new password, given with the current one; the session `keep` (its
    /// token's hash) stays open, every other closes.
    pub async fn change_own_password(
        &self,
        current: &str,
        new: &str,
        repeated: &str,
        keep: &str,
    ) -> Result<(), QueryError> {
        let Some(user) = self.registry.store.user_by_id(self.actor.user_id).await? else {
            return Err(Denied::NotFound.into());
        };
        if !session::check_password(current, &user.password_hash).await {
            return Err(QueryError::Invalid(msg!("password_wrong")));
        }
        if new != repeated {
            return Err(QueryError::Invalid(msg!("password_mismatch")));
        }
        if new == current {
            return Err(QueryError::Invalid(msg!("password_same")));
        }
        let hash = password_hash(new)?;
        self.registry
            .store
            .write_password(&self.who(), user.id, &hash, PasswordBy::OwnerKeeping(keep))
            .await?;
        Ok(())
    }
}
