//! Administrative units and ethnic groups: the reference data every registry holds. Plain data;
//! reading it from files is the survey crate's work.

use crate::codes::Area;
use std::fmt;

/// Digits of a code, checked once.
fn digits<const N: usize>(s: &str) -> Option<[u8; N]> {
    let b: [u8; N] = s.as_bytes().try_into().ok()?;
    b.iter().all(u8::is_ascii_digit).then_some(b)
}

macro_rules! code_type {
    ($(#[$m:meta])* $name:ident, $n:literal) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name([u8; $n]);

        impl $name {
            /// The code, when `s` is exactly its number of digits.
            pub fn parse(s: &str) -> Option<$name> {
                digits::<$n>(s).map($name)
            }

            pub fn as_str(&self) -> &str {
                std::str::from_utf8(&self.0).unwrap_or_default()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<$name, String> {
                $name::parse(s).ok_or_else(|| format!("`{s}` is not a code of {} digits", $n))
            }
        }
    };
}

code_type!(
    /// A province's code of the 2025 units: two digits (`11` is Điện Biên).
    ProvinceCode,
    2
);
code_type!(
    /// A commune's code: five digits (`03325` is Mường Phăng). The lists before and after the
    /// 2025 reform use codes of the same shape, some of them the same codes.
    CommuneCode,
    5
);

/// A unit a user works in or asks about: a province or a commune, told apart once, when the
/// code is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum UnitCode {
    Province(ProvinceCode),
    Commune(CommuneCode),
}

impl UnitCode {
    /// A province (2 digits) or a commune (5 digits); anything else is no unit code.
    pub fn parse(s: &str) -> Option<UnitCode> {
        match s.len() {
            2 => ProvinceCode::parse(s).map(UnitCode::Province),
            5 => CommuneCode::parse(s).map(UnitCode::Commune),
            _ => None,
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            UnitCode::Province(p) => p.as_str(),
            UnitCode::Commune(c) => c.as_str(),
        }
    }

    pub fn commune(&self) -> Option<CommuneCode> {
        match self {
            UnitCode::Commune(c) => Some(*c),
            UnitCode::Province(_) => None,
        }
    }

    pub fn province(&self) -> Option<ProvinceCode> {
        match self {
            UnitCode::Province(p) => Some(*p),
            UnitCode::Commune(_) => None,
        }
    }
}

impl fmt::Display for UnitCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for UnitCode {
    type Err = String;
    fn from_str(s: &str) -> Result<UnitCode, String> {
        UnitCode::parse(s).ok_or_else(|| {
            format!("`{s}` is not a unit code: a province has 2 digits, a commune 5")
        })
    }
}

impl From<ProvinceCode> for UnitCode {
    fn from(p: ProvinceCode) -> UnitCode {
        UnitCode::Province(p)
    }
}

impl From<CommuneCode> for UnitCode {
    fn from(c: CommuneCode) -> UnitCode {
        UnitCode::Commune(c)
    }
}

/// A commune-level unit of the 2025 two-level government.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commune {
    pub code: String,
    pub name: String,
    pub province_code: String,
    pub province_name: String,
    /// `xã`, `phường` or `đặc khu`.
    pub kind: String,
}

impl Commune {
    /// Area by the commune's type: a ward is urban, a commune or special zone rural.
    pub fn default_area(&self) -> Area {
        if self.kind == "phường" {
            Area::Urban
        } else {
            Area::Rural
        }
    }
}

/// A province of the 2025 two-level government.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Province {
    pub code: String,
    pub name: String,
    /// `tỉnh` or `thành phố trung ương`.
    pub kind: String,
}

/// A commune before the 1 July 2025 reform, with its district.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegacyCommune {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub district_code: String,
    pub district_name: String,
    pub province_code: String,
    pub province_name: String,
}

/// Where (part of) a pre-2025 commune went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crosswalk {
    pub old_code: String,
    pub new_code: String,
    /// `whole` or `split`.
    pub kind: String,
    /// For a split commune, the part that keeps most of it.
    pub is_default: bool,
}

/// The 2025 commune's extra facts: position and area.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Place {
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub area_km2: Option<f64>,
}

/// The reference data a registry is loaded with, read from `data/`.
#[derive(Debug, Clone)]
pub struct Reference {
    pub provinces: Vec<Province>,
    /// 2025 communes with their place, in code order.
    pub communes: Vec<(Commune, Place)>,
    pub legacy: Vec<LegacyCommune>,
    pub crosswalk: Vec<Crosswalk>,
    pub ethnic_groups: Vec<EthnicGroup>,
}

/// An ethnic group of the 1979 catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EthnicGroup {
    pub code: String,
    pub name: String,
    pub is_minority: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_codes_are_told_apart_once() {
        let p = UnitCode::parse("11").expect("a province");
        assert_eq!(p.province().map(|p| p.to_string()), Some("11".into()));
        assert_eq!(p.commune(), None);
        let c: UnitCode = "03325".parse().expect("a commune");
        assert_eq!(c.commune().map(|c| c.to_string()), Some("03325".into()));
        assert_eq!(c.as_str(), "03325");
        for bad in ["", "1", "111", "0332", "033250", "1a", "０１", "-1"] {
            assert_eq!(UnitCode::parse(bad), None, "{bad}");
        }
        assert!("7".parse::<UnitCode>().is_err());
        assert_eq!(CommuneCode::parse("11"), None);
        assert_eq!(ProvinceCode::parse("03325"), None);
    }

    #[test]
    fn a_ward_is_urban_a_commune_or_special_zone_rural() {
        let unit = |kind: &str| Commune {
            code: "00001".into(),
            name: "x".into(),
            province_code: "01".into(),
            province_name: "y".into(),
            kind: kind.into(),
        };
        assert_eq!(unit("phường").default_area(), Area::Urban);
        assert_eq!(unit("xã").default_area(), Area::Rural);
        assert_eq!(unit("đặc khu").default_area(), Area::Rural);
    }
}
