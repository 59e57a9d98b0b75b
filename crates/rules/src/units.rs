//! Administrative units and ethnic groups: the reference data every registry holds. Plain data;
//! reading it from files is the survey crate's work.

use crate::codes::Area;

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
