//! Reference catalogues the exchange format checks codes against: the 2025 communes and the
//! ethnic groups, from the project's `data/` directory (built into the binary).

use giamngheo_rules::Area;
use std::collections::HashMap;
use std::sync::OnceLock;

const UNITS_2025: &str = include_str!("../../../data/admin-units-2025.csv");
const ETHNIC_GROUPS: &str = include_str!("../../../data/ethnic-groups.csv");

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

/// An ethnic group of the 1979 catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EthnicGroup {
    pub code: String,
    pub name: String,
    pub is_minority: bool,
}

/// The catalogues, read once.
#[derive(Debug)]
pub struct Catalogue {
    communes: HashMap<u32, Commune>,
    ethnic: Vec<EthnicGroup>,
}

impl Catalogue {
    /// The catalogue built into the binary from `data/`.
    pub fn builtin() -> &'static Catalogue {
        static CAT: OnceLock<Catalogue> = OnceLock::new();
        CAT.get_or_init(|| Catalogue::parse(UNITS_2025, ETHNIC_GROUPS))
    }

    fn parse(units: &str, ethnic: &str) -> Catalogue {
        let mut communes = HashMap::new();
        let mut rdr = csv::Reader::from_reader(units.as_bytes());
        for rec in rdr.records().flatten() {
            let f = |i: usize| rec.get(i).unwrap_or_default().to_string();
            if let Ok(n) = f(3).parse::<u32>() {
                communes.insert(
                    n,
                    Commune {
                        province_code: f(0),
                        province_name: f(1),
                        code: f(3),
                        name: f(4),
                        kind: f(5),
                    },
                );
            }
        }
        let mut rdr = csv::Reader::from_reader(ethnic.as_bytes());
        let ethnic = rdr
            .records()
            .flatten()
            .map(|r| EthnicGroup {
                code: r.get(0).unwrap_or_default().to_string(),
                name: r.get(1).unwrap_or_default().to_string(),
                is_minority: r.get(2) == Some("1"),
            })
            .collect();
        Catalogue { communes, ethnic }
    }

    /// A commune by its 5-digit code.
    pub fn commune(&self, code: &str) -> Option<&Commune> {
        if code.len() != 5 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        code.parse::<u32>().ok().and_then(|n| self.communes.get(&n))
    }

    /// A commune by its code as a number.
    pub fn commune_by_number(&self, code: u32) -> Option<&Commune> {
        self.communes.get(&code)
    }

    pub fn communes(&self) -> impl Iterator<Item = &Commune> {
        self.communes.values()
    }

    /// An ethnic group by its 2-digit code in the 1979 catalogue.
    pub fn ethnic_group(&self, code: &str) -> Option<&EthnicGroup> {
        self.ethnic.iter().find(|g| g.code == code)
    }

    /// An ethnic group by its code as a number (1 = Kinh).
    pub fn ethnic_group_by_number(&self, code: u8) -> Option<&EthnicGroup> {
        self.ethnic
            .get(usize::from(code).wrapping_sub(1))
            .filter(|g| g.code.parse::<u8>().ok() == Some(code))
    }

    pub fn ethnic_groups(&self) -> &[EthnicGroup] {
        &self.ethnic
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_is_complete() {
        let c = Catalogue::builtin();
        assert_eq!(c.communes().count(), 3321);
        let provinces: std::collections::HashSet<_> =
            c.communes().map(|c| c.province_code.clone()).collect();
        assert_eq!(provinces.len(), 34);
        assert_eq!(c.ethnic_groups().len(), 54);
        assert_eq!(
            c.ethnic_groups().iter().filter(|g| !g.is_minority).count(),
            1
        );
        let hk = c.commune("00070").expect("Hoàn Kiếm");
        assert_eq!(hk.default_area(), Area::Urban);
        assert!(c.commune("70").is_none());
        assert!(c.commune("99999").is_none());
        assert_eq!(
            c.commune_by_number(70).map(|c| c.code.as_str()),
            Some("00070")
        );
        assert_eq!(
            c.ethnic_group_by_number(1).map(|g| g.name.as_str()),
            Some("Kinh")
        );
        assert_eq!(
            c.ethnic_group_by_number(54).map(|g| g.code.as_str()),
            Some("54")
        );
        assert!(c.ethnic_group_by_number(0).is_none());
        assert!(c.ethnic_group_by_number(55).is_none());
        let rural = c.communes().find(|c| c.kind == "xã").expect("a commune");
        assert_eq!(rural.default_area(), Area::Rural);
        let zone = c
            .communes()
            .find(|c| c.kind == "đặc khu")
            .expect("a special zone");
        assert_eq!(zone.default_area(), Area::Rural);
    }
}
