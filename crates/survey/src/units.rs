//! Reference catalogues the exchange format checks codes against: the 2025 communes and the
//! ethnic groups, from the project's `data/` directory (built into the binary).

pub use giamngheo_rules::units::{
    Commune, Crosswalk, EthnicGroup, LegacyCommune, Place, Province, Reference,
};
use std::collections::HashMap;
use std::sync::OnceLock;

const UNITS_2025: &str = include_str!("../../../data/admin-units-2025.csv");
const ETHNIC_GROUPS: &str = include_str!("../../../data/ethnic-groups.csv");
const UNITS_LEGACY: &str = include_str!("../../../data/admin-units-legacy.csv");
const CROSSWALK: &str = include_str!("../../../data/admin-crosswalk-2025.csv");

/// Everything in the project's `data/` (built into the binary).
pub fn reference() -> Reference {
    let cat = Catalogue::builtin();
    let mut provinces: Vec<Province> = Vec::new();
    let mut communes = Vec::new();
    let mut rdr = csv::Reader::from_reader(UNITS_2025.as_bytes());
    for rec in rdr.records().flatten() {
        let f = |i: usize| rec.get(i).unwrap_or_default().to_string();
        let num = |i: usize| rec.get(i).and_then(|v| v.parse::<f64>().ok());
        if !provinces.iter().any(|p| p.code == f(0)) {
            provinces.push(Province {
                code: f(0),
                name: f(1),
                kind: f(2),
            });
        }
        if let Some(c) = cat.commune(&f(3)) {
            let place = Place {
                lat: num(6),
                lon: num(7),
                area_km2: num(8),
            };
            communes.push((c.clone(), place));
        }
    }
    provinces.sort_by(|a, b| a.code.cmp(&b.code));
    communes.sort_by(|a, b| a.0.code.cmp(&b.0.code));
    let mut rdr = csv::Reader::from_reader(UNITS_LEGACY.as_bytes());
    // five rows are island districts without communes (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn,
    // Côn Đảo): they have no commune code and are left out
    let legacy = rdr
        .records()
        .flatten()
        .filter(|r| r.get(5).is_some_and(|c| !c.is_empty()))
        .map(|r| {
            let f = |i: usize| r.get(i).unwrap_or_default().to_string();
            LegacyCommune {
                province_code: f(0),
                province_name: f(1),
                district_code: f(2),
                district_name: f(3),
                code: f(5),
                name: f(6),
                kind: f(7),
            }
        })
        .collect();
    // 464 rows of the crosswalk name a new commune by a code that is not the one of the 2025
    // list (the two were compiled from different sources); they are matched by province and
    // name instead, spelled alike ("Chân Mây - Lăng Cô" / "Chân Mây – Lăng Cô")
    let by_name: std::collections::HashMap<(String, String), String> = communes
        .iter()
        .map(|(c, _)| ((c.province_code.clone(), name_key(&c.name)), c.code.clone()))
        .collect();
    let mut rdr = csv::Reader::from_reader(CROSSWALK.as_bytes());
    let crosswalk: Vec<Crosswalk> = rdr
        .records()
        .flatten()
        .filter_map(|r| {
            let f = |i: usize| r.get(i).unwrap_or_default().to_string();
            let new_code = if cat.commune(&f(7)).is_some() {
                f(7)
            } else {
                by_name.get(&(f(6), name_key(&f(9))))?.clone()
            };
            Some(Crosswalk {
                old_code: f(2),
                new_code,
                kind: f(10),
                is_default: f(11) == "1",
            })
        })
        .collect();
    // matched by name, two parts of one old commune can land on the same new commune: they are
    // one part, the default when either was
    let mut merged: Vec<Crosswalk> = Vec::with_capacity(crosswalk.len());
    let mut at = std::collections::HashMap::new();
    for x in crosswalk {
        match at.get(&(x.old_code.clone(), x.new_code.clone())) {
            Some(&i) => {
                let m: &mut Crosswalk = &mut merged[i];
                m.is_default |= x.is_default;
            }
            None => {
                at.insert((x.old_code.clone(), x.new_code.clone()), merged.len());
                merged.push(x);
            }
        }
    }
    let crosswalk = merged;
    Reference {
        provinces,
        communes,
        legacy,
        crosswalk,
        ethnic_groups: cat.ethnic_groups().to_vec(),
    }
}

/// What a pre-2025 commune code stands for in a survey recorded before the reform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegacyTarget {
    /// The old commune's name (with its district), for messages.
    pub name: String,
    /// The 2025 commune its households are reported under (the crosswalk's default), by code
    /// number; `None` when the crosswalk has none.
    pub target: Option<u32>,
}

/// The pre-2025 communes by code number, with the 2025 commune each maps to (built once).
pub fn legacy_targets() -> &'static HashMap<u32, LegacyTarget> {
    static MAP: OnceLock<HashMap<u32, LegacyTarget>> = OnceLock::new();
    MAP.get_or_init(|| {
        let r = reference();
        let defaults: HashMap<&str, &str> = r
            .crosswalk
            .iter()
            .filter(|x| x.is_default)
            .map(|x| (x.old_code.as_str(), x.new_code.as_str()))
            .collect();
        r.legacy
            .iter()
            .filter_map(|c| {
                let n = c.code.parse::<u32>().ok()?;
                let target = defaults.get(c.code.as_str()).and_then(|t| t.parse().ok());
                Some((
                    n,
                    LegacyTarget {
                        name: format!("{}, {}", c.name, c.district_name),
                        target,
                    },
                ))
            })
            .collect()
    })
}

/// A unit's name for matching: without its type word, in lower case, one space between words,
/// dashes alike.
fn name_key(name: &str) -> String {
    let lower = name.to_lowercase().replace(['–', '—'], "-");
    let words: Vec<&str> = lower.split_whitespace().collect();
    let skip = match words.as_slice() {
        ["đặc", "khu", ..] => 2,
        ["xã" | "phường", ..] => 1,
        _ => 0,
    };
    words[skip..].join(" ")
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
    use giamngheo_rules::Area;

    #[test]
    fn reference_data_is_complete() {
        let r = reference();
        assert_eq!(r.provinces.len(), 34);
        assert_eq!(r.communes.len(), 3321);
        assert_eq!(r.legacy.len(), 10035);
        // 10,597 rows, of which 7 pairs name the same new commune once matched by name
        assert_eq!(r.crosswalk.len(), 10590);
        assert_eq!(r.ethnic_groups.len(), 54);
        // data/README.md says 114 units lack an area; the file itself has 116 empty cells
        assert_eq!(
            r.communes.iter().filter(|c| c.1.area_km2.is_none()).count(),
            116
        );
        // every crosswalk target is a 2025 commune; every old commune has one default target
        let cat = Catalogue::builtin();
        assert!(r
            .crosswalk
            .iter()
            .all(|x| cat.commune(&x.new_code).is_some()));
        let mut defaults = std::collections::HashMap::new();
        for x in r.crosswalk.iter().filter(|x| x.is_default) {
            *defaults.entry(x.old_code.as_str()).or_insert(0) += 1;
        }
        assert!(defaults.values().all(|n| *n == 1));
        let lang_co = r
            .crosswalk
            .iter()
            .find(|x| x.old_code == "20110")
            .expect("Lăng Cô");
        assert_eq!(
            lang_co.new_code, "20152",
            "matched by name across dash styles"
        );
        assert_eq!(defaults.len(), 10035);
        // what a pre-2025 survey's codes stand for: every old commune has its 2025 commune
        let targets = legacy_targets();
        assert_eq!(targets.len(), 10035);
        assert!(targets.values().all(|t| t.target.is_some()));
        let na_nhan = &targets[&3317];
        assert_eq!(na_nhan.target, Some(3325), "Nà Nhạn went into Mường Phăng");
        assert!(na_nhan.name.starts_with("Xã Nà Nhạn"), "{}", na_nhan.name);
    }

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
