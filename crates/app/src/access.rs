//! Who may do what, where. Every use case the web and the API offer asks here first; a unit
//! outside the user's scope is answered as if it did not exist.

use giamngheo_rules::{msg, CommuneCode, Msg, ProvinceCode, UnitCode};
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

    /// Whether a user of this role may have this unit (`None`: the whole country): a provincial
    /// officer works in a province, a commune officer in a commune; leaders, inspectors and
    /// administrators in either, or the whole country. The refusal says why, in words.
    pub fn takes_unit(self, unit: Option<&UnitCode>) -> Result<(), Msg> {
        match (self, unit) {
            (Role::ProvincialOfficer, Some(UnitCode::Commune(_))) => {
                Err(msg!("role_needs_province"))
            }
            (Role::CommuneOfficer, Some(UnitCode::Province(_))) => Err(msg!("role_needs_commune")),
            (r, None) if r.needs_unit() => Err(msg!("role_needs_unit", role = r.code())),
            (_, Some(u)) if province_of(u).is_none() => {
                Err(msg!("cli_unknown_user_unit", unit = u))
            }
            _ => Ok(()),
        }
    }
}

/// The user a request is made by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: i64,
    pub name: String,
    pub full_name: String,
    pub role: Role,
    /// A province or a commune; `None` is the whole country.
    pub unit: Option<UnitCode>,
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

/// The province of a unit of 2025: itself for a province, the commune's for a commune; `None`
/// when the code is no unit of 2025.
pub fn province_of(unit: &UnitCode) -> Option<ProvinceCode> {
    let cat = Catalogue::builtin();
    match unit {
        UnitCode::Province(p) => cat
            .communes()
            .any(|c| c.province_code == p.as_str())
            .then_some(*p),
        UnitCode::Commune(c) => cat
            .commune(c.as_str())
            .and_then(|c| ProvinceCode::parse(&c.province_code)),
    }
}

/// A unit and, for a province, its communes.
pub fn units_of(unit: &UnitCode) -> Vec<UnitCode> {
    let mut units = vec![*unit];
    if let UnitCode::Province(p) = unit {
        units.extend(
            Catalogue::builtin()
                .communes()
                .filter(|c| c.province_code == p.as_str())
                .filter_map(|c| CommuneCode::parse(&c.code))
                .map(UnitCode::Commune),
        );
    }
    units
}

impl Actor {
    /// Whether the unit (province or commune of 2025) is within the user's scope.
    pub fn sees(&self, unit: &UnitCode) -> bool {
        let Some(province) = province_of(unit) else {
            return false;
        };
        match &self.unit {
            None => true,
            Some(UnitCode::Province(scope)) => province == *scope,
            Some(scope) => unit == scope,
        }
    }

    /// Whether a commune (a code as text, as a record holds it) is within the user's scope.
    pub fn sees_commune(&self, commune: &str) -> bool {
        CommuneCode::parse(commune).is_some_and(|c| self.sees(&UnitCode::Commune(c)))
    }

    /// [`Actor::sees`] as a use case's answer.
    pub fn read(&self, unit: &UnitCode) -> Result<(), Denied> {
        if self.sees(unit) {
            Ok(())
        } else {
            Err(Denied::NotFound)
        }
    }

    /// Whether the user's role imports surveys (for the communes of their scope).
    pub fn imports(&self) -> bool {
        matches!(
            self.role,
            Role::Administrator | Role::ProvincialOfficer | Role::CommuneOfficer
        )
    }

    /// Whether the user may import surveys of a commune.
    pub fn may_import(&self, commune: &str) -> bool {
        self.imports() && self.sees_commune(commune)
    }

    /// Whether the user may import for at least one commune (the menu's import entry): a
    /// role that imports, with a scope that holds a commune.
    pub fn may_import_somewhere(&self) -> bool {
        self.imports()
            && match &self.unit {
                None => true,
                Some(u) => province_of(u).is_some(),
            }
    }

    /// Whether the user may read the audit log (of their scope).
    pub fn may_audit(&self) -> bool {
        matches!(self.role, Role::Administrator | Role::Inspector)
    }

    /// Whether the user manages accounts: an administrator every one, a provincial officer
    /// those of their province's communes (see `accounts`).
    pub fn may_manage_users(&self) -> bool {
        matches!(self.role, Role::Administrator | Role::ProvincialOfficer)
    }

    /// Whether the user plans the province's reviews, gives the higher opinion and locks the
    /// year: a provincial officer, or the administrator.
    pub fn plans_reviews(&self) -> bool {
        matches!(self.role, Role::Administrator | Role::ProvincialOfficer)
    }

    /// Personal ID numbers are shown whole to officers and inspectors of the unit, masked to
    /// leaders.
    pub fn sees_id_numbers(&self) -> bool {
        !matches!(self.role, Role::Leader)
    }

    /// The unit the user lands on: their own, or (for the whole country) none.
    pub fn home(&self) -> Option<&UnitCode> {
        self.unit.as_ref()
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
            unit: unit.and_then(UnitCode::parse),
        }
    }

    fn u(code: &str) -> UnitCode {
        UnitCode::parse(code).expect("a unit code")
    }

    #[test]
    fn scope_is_the_unit_and_what_it_contains() {
        // Mường Phăng (03325) is in Điện Biên (11); Hoàn Kiếm (00070) in Hà Nội (01)
        let commune = actor(Role::CommuneOfficer, Some("03325"));
        assert!(commune.sees(&u("03325")));
        assert!(
            !commune.sees(&u("03328")),
            "another commune of the province"
        );
        assert!(!commune.sees(&u("11")), "its province");
        let province = actor(Role::ProvincialOfficer, Some("11"));
        assert!(
            province.sees(&u("11")) && province.sees(&u("03325")) && province.sees(&u("03328"))
        );
        assert!(!province.sees(&u("00070")) && !province.sees(&u("01")));
        let nation = actor(Role::Inspector, None);
        assert!(nation.sees(&u("00070")) && nation.sees(&u("11")));
        assert!(!nation.sees(&u("99999")) && !nation.sees(&u("99")));
        assert!(!nation.sees_commune("7") && nation.sees_commune("03325"));
        assert_eq!(commune.read(&u("03328")), Err(Denied::NotFound));
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
        assert!(actor(Role::ProvincialOfficer, Some("11")).may_manage_users());
        assert!(!actor(Role::CommuneOfficer, Some("03325")).may_manage_users());
        assert!(!actor(Role::Leader, Some("11")).may_manage_users());
        for r in Role::ALL {
            assert_eq!(Role::from_code(r.code()), Some(r));
        }
        // the menu's import entry: a role that imports, with a commune in its scope
        assert!(actor(Role::Administrator, None).may_import_somewhere());
        assert!(actor(Role::ProvincialOfficer, Some("11")).may_import_somewhere());
        assert!(actor(Role::CommuneOfficer, Some("03325")).may_import_somewhere());
        assert!(!actor(Role::Leader, Some("11")).may_import_somewhere());
        assert!(!actor(Role::Inspector, None).may_import_somewhere());
        assert!(!actor(Role::ProvincialOfficer, Some("99")).may_import_somewhere());
    }

    #[test]
    fn each_role_takes_its_kind_of_unit() {
        assert!(Role::ProvincialOfficer.takes_unit(Some(&u("11"))).is_ok());
        assert!(Role::ProvincialOfficer
            .takes_unit(Some(&u("03325")))
            .is_err());
        assert!(Role::ProvincialOfficer.takes_unit(None).is_err());
        assert!(Role::CommuneOfficer.takes_unit(Some(&u("03325"))).is_ok());
        assert!(Role::CommuneOfficer.takes_unit(Some(&u("11"))).is_err());
        assert!(Role::CommuneOfficer.takes_unit(None).is_err());
        for r in [Role::Leader, Role::Inspector, Role::Administrator] {
            assert!(r.takes_unit(None).is_ok(), "{r:?}");
            assert!(r.takes_unit(Some(&u("11"))).is_ok(), "{r:?}");
            assert!(r.takes_unit(Some(&u("03325"))).is_ok(), "{r:?}");
        }
        // a code of the right shape that is no unit of 2025
        let e = Role::Leader
            .takes_unit(Some(&u("99")))
            .expect_err("no such province")
            .render(giamngheo_rules::Lang::En);
        assert!(e.contains("unknown unit `99`"), "{e}");
        assert!(Role::CommuneOfficer.takes_unit(Some(&u("99999"))).is_err());
    }
}
