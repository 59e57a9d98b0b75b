//! Who may do what, where. Every use case the web and the API offer asks here first; a unit
//! outside the user's scope is answered as if it did not exist.

use giamngheo_survey::Catalogue;

/// A user's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Users, units, standards: the whole system.
    Administrator,
    /// A province's officer: consolidates reviews, imports for any commune of the province.
    ProvincialOfficer,
    /// A commune's officer: enters and imports the commune's surveys.
    CommuneOfficer,
    /// Reads dashboards and reports of the unit.
    Leader,
    /// Reads everything of the unit, and the audit log.
    Inspector,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Administrator,
        Role::ProvincialOfficer,
        Role::CommuneOfficer,
        Role::Leader,
        Role::Inspector,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::Administrator => "administrator",
            Role::ProvincialOfficer => "provincial_officer",
            Role::CommuneOfficer => "commune_officer",
            Role::Leader => "leader",
            Role::Inspector => "inspector",
        }
    }

    pub fn from_code(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == s)
    }

    /// Whether the role's users work in one unit (which they must then be given).
    pub fn needs_unit(self) -> bool {
        matches!(self, Role::ProvincialOfficer | Role::CommuneOfficer)
    }
}

/// The user a request is made by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: i64,
    pub name: String,
    pub full_name: String,
    pub role: Role,
    /// Province (2 digits) or commune (5 digits); `None` is the whole country.
    pub unit: Option<String>,
}

/// A use case refused: the record is not there for this user (whether it exists elsewhere or
/// not), or the user may see it but not do this.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
}

/// The province of a unit code: itself for a province, the commune's for a commune.
pub fn province_of(unit: &str) -> Option<String> {
    match unit.len() {
        2 if Catalogue::builtin()
            .communes()
            .any(|c| c.province_code == unit) =>
        {
            Some(unit.to_string())
        }
        5 => Catalogue::builtin()
            .commune(unit)
            .map(|c| c.province_code.clone()),
        _ => None,
    }
}

impl Actor {
    /// Whether the unit (province or commune of 2025) is within the user's scope.
    pub fn sees(&self, unit: &str) -> bool {
        let Some(province) = province_of(unit) else {
            return false;
        };
        match self.unit.as_deref() {
            None => true,
            Some(scope) if scope.len() == 2 => province == scope,
            Some(scope) => unit == scope,
        }
    }

    /// [`Actor::sees`] as a use case's answer.
    pub fn read(&self, unit: &str) -> Result<(), Denied> {
        if self.sees(unit) {
            Ok(())
        } else {
            Err(Denied::NotFound)
        }
    }

    /// Whether the user may import surveys of a commune.
    pub fn may_import(&self, commune: &str) -> bool {
        matches!(
            self.role,
            Role::Administrator | Role::ProvincialOfficer | Role::CommuneOfficer
        ) && self.sees(commune)
    }

    /// Whether the user may read the audit log (of their scope).
    pub fn may_audit(&self) -> bool {
        matches!(self.role, Role::Administrator | Role::Inspector)
    }

    /// Whether the user may manage users.
    pub fn may_manage_users(&self) -> bool {
        self.role == Role::Administrator
    }

    /// Personal ID numbers are shown whole to officers and inspectors of the unit, masked to
    /// leaders.
    pub fn sees_id_numbers(&self) -> bool {
        !matches!(self.role, Role::Leader)
    }

    /// The unit the user lands on: their own, or (for the whole country) none.
    pub fn home(&self) -> Option<&str> {
        self.unit.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role, unit: Option<&str>) -> Actor {
        Actor {
            user_id: 1,
            name: "u".into(),
            full_name: String::new(),
            role,
            unit: unit.map(str::to_string),
        }
    }

    #[test]
    fn scope_is_the_unit_and_what_it_contains() {
        // Mường Phăng (03325) is in Điện Biên (11); Hoàn Kiếm (00070) in Hà Nội (01)
        let commune = actor(Role::CommuneOfficer, Some("03325"));
        assert!(commune.sees("03325"));
        assert!(!commune.sees("03328"), "another commune of the province");
        assert!(!commune.sees("11"), "its province");
        let province = actor(Role::ProvincialOfficer, Some("11"));
        assert!(province.sees("11") && province.sees("03325") && province.sees("03328"));
        assert!(!province.sees("00070") && !province.sees("01"));
        let nation = actor(Role::Inspector, None);
        assert!(nation.sees("00070") && nation.sees("11"));
        assert!(!nation.sees("99999") && !nation.sees("7") && !nation.sees("99"));
        assert_eq!(commune.read("03328"), Err(Denied::NotFound));
    }

    #[test]
    fn roles_decide_what_may_be_done() {
        assert!(actor(Role::CommuneOfficer, Some("03325")).may_import("03325"));
        assert!(!actor(Role::CommuneOfficer, Some("03325")).may_import("03328"));
        assert!(actor(Role::ProvincialOfficer, Some("11")).may_import("03328"));
        assert!(!actor(Role::Leader, Some("11")).may_import("03328"));
        assert!(!actor(Role::Inspector, None).may_import("03328"));
        assert!(actor(Role::Inspector, None).may_audit());
        assert!(!actor(Role::ProvincialOfficer, Some("11")).may_audit());
        assert!(actor(Role::Administrator, None).may_manage_users());
        assert!(!actor(Role::Inspector, None).may_manage_users());
        for r in Role::ALL {
            assert_eq!(Role::from_code(r.code()), Some(r));
        }
    }
}
