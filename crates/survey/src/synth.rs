//! Synthetic surveys in the exchange format, deterministic by seed: households of real communes
//! with members, answers and incomes whose poverty follows the commune's remoteness, followed
//! over several review years (people age, incomes grow, houses and latrines are improved, some
//! households move away and new ones appear). For benchmarks, tests and demonstrations; never for
//! real figures.

use crate::parse::check_id_number;
use crate::units::Catalogue;
use giamngheo_rules::chrono::{Datelike, Days, NaiveDate};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::io::{self, Write};

/// What to generate.
#[derive(Debug, Clone)]
pub struct SynthOptions {
    /// Households in the first year.
    pub households: u64,
    /// Province code whose communes receive the households; all provinces when `None`.
    pub province: Option<String>,
    /// First review year: survey dates fall between 1 September and 14 December of it.
    pub year: i32,
    pub seed: u64,
}

const FAMILY: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Lò", "Quàng",
    "Cà", "Lường", "Vi", "Hà", "Sầm", "Giàng", "Sùng", "Vàng", "Thào", "Y", "H'", "Nông", "Lục",
];
const MIDDLE_M: &[&str] = &["Văn", "Đức", "Minh", "Quang", "Hữu", "A", "Seo"];
const MIDDLE_F: &[&str] = &["Thị", "Ngọc", "Thu", "Kim", "Mai"];
const GIVEN_M: &[&str] = &[
    "An", "Bình", "Cường", "Dũng", "Hùng", "Khánh", "Long", "Nam", "Phúc", "Quân", "Sơn", "Thắng",
    "Tuấn", "Việt", "Páo", "Chứ", "Dơ", "Lả", "Pó",
];
const GIVEN_F: &[&str] = &[
    "Anh", "Chi", "Dung", "Hà", "Hoa", "Hương", "Lan", "Linh", "Mai", "Nga", "Phương", "Thảo",
    "Trang", "Xuân", "Mỷ", "Dở", "Súa",
];
const VILLAGES: &[&str] = &["Thôn", "Bản", "Tổ dân phố"];
const MINORITY_GROUPS: &[&str] = &["02", "03", "05", "06", "07", "08", "12", "13", "17", "20"];
/// How hard life is, at the start, in a province's communes (0-1): the northern mountains
/// poorest, then the other mountain and Central Highlands provinces, the two great cities least.
fn province_hardness(code: &str) -> f64 {
    match code {
        "04" | "08" | "11" | "12" | "14" | "15" => 0.5,
        "19" | "20" | "24" | "25" | "38" | "40" | "44" | "46" | "51" | "64" | "66" | "68" => 0.33,
        "01" | "79" => 0.05,
        _ => 0.18,
    }
}

/// The households file's header.
pub const HOUSEHOLDS_HEADER: &str = "household_id,commune_code,village,survey_date,head_name,income_per_capita,has_house,nondurable_structures,floor_area_m2,water_source,latrine,internet,info_devices,waste";
/// The members file's header.
pub const MEMBERS_HEADER: &str = "household_id,member_no,full_name,id_number,birth_date,sex,ethnicity,relation,health_insurance,disability,social_allowance,labour,malnourished,schooling,in_education,education";

struct Commune {
    code: String,
    province: String,
    urban: bool,
    /// 0 (well off) to 1 (remote, mountainous): drives poverty.
    remoteness: f64,
    minority_share: f64,
}

fn communes(cat: &Catalogue, province: Option<&str>, rng: &mut ChaCha8Rng) -> Vec<Commune> {
    let mut list: Vec<_> = cat
        .communes()
        .filter(|c| province.is_none_or(|p| c.province_code == p))
        .collect();
    list.sort_by(|a, b| a.code.cmp(&b.code));
    list.into_iter()
        .map(|c| {
            let urban = c.kind == "phường";
            let base = province_hardness(&c.province_code);
            let remoteness = if urban {
                base * 0.3 * rng.random::<f64>()
            } else {
                (base + 0.4 * (rng.random::<f64>() - 0.3)).clamp(0.0, 1.0)
            };
            Commune {
                code: c.code.clone(),
                province: c.province_code.clone(),
                urban,
                remoteness,
                minority_share: (remoteness * 1.3).min(0.95),
            }
        })
        .collect()
}

fn pick<'a>(rng: &mut ChaCha8Rng, list: &[&'a str]) -> &'a str {
    list[rng.random_range(0..list.len())]
}

/// Personal ID numbers handed out so far, by their first six digits (province of birth
/// registration, century and sex, year of birth): each gets the next serial, so none repeats.
#[derive(Default)]
struct IdNumbers(std::collections::HashMap<String, u32>);

impl IdNumbers {
    fn next(&mut self, province: &str, birth: NaiveDate, male: bool) -> String {
        let y = birth.year();
        let g = 2 * ((y - 1900) / 100) + i32::from(!male);
        let prefix = format!("0{province:0>2}{g}{:02}", y % 100);
        let serial = self.0.entry(prefix.clone()).or_insert(0);
        *serial += 1;
        let id = format!("{prefix}{:06}", *serial % 1_000_000);
        debug_assert!(check_id_number(&id, None, Some(y)).is_ok());
        id
    }
}

/// A person followed across review years: what does not change, and the traits from which each
/// year's answers are drawn.
struct Person {
    /// The member's number on the household's form, kept from year to year.
    no: u32,
    name: String,
    id_number: Option<String>,
    birth: NaiveDate,
    male: bool,
    ethnic: &'static str,
    relation: &'static str,
    insured: bool,
    disability: &'static str,
    allowance: bool,
    /// Drawn once: the person's place in the labour and schooling distributions.
    luck: f64,
}

/// A household followed across review years.
struct Home {
    id: String,
    commune: usize,
    village: String,
    /// 0 (comfortable) to 1 (very hard): drives income and deprivations.
    hard: f64,
    /// Income per person per month, VND.
    income: f64,
    has_house: bool,
    nondurable: u8,
    floor_per_person: f64,
    water_safe: bool,
    latrine_hygienic: bool,
    internet: bool,
    devices: &'static str,
    waste: &'static str,
    /// Draws fixed per household so the answers' wording stays put from year to year.
    style: u32,
    people: Vec<Person>,
}

/// A synthetic population and the review year it is in.
pub struct Panel {
    rng: ChaCha8Rng,
    communes: Vec<Commune>,
    homes: Vec<Home>,
    year: i32,
    next_id: u64,
    ids: IdNumbers,
}

impl Panel {
    /// The population of the first review year.
    pub fn new(opts: &SynthOptions) -> io::Result<Panel> {
        let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
        let communes = communes(Catalogue::builtin(), opts.province.as_deref(), &mut rng);
        if communes.is_empty() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "no commune in that province",
            ));
        }
        let mut panel = Panel {
            rng,
            communes,
            homes: Vec::with_capacity(opts.households as usize),
            year: opts.year,
            next_id: 0,
            ids: IdNumbers::default(),
        };
        let n = panel.communes.len();
        for i in 0..opts.households {
            let commune = (i as usize * n) / opts.households.max(1) as usize;
            let home = panel.new_home(commune);
            panel.homes.push(home);
        }
        Ok(panel)
    }

    /// The review year the population is in.
    pub fn year(&self) -> i32 {
        self.year
    }

    /// Households in the population this year.
    pub fn households(&self) -> usize {
        self.homes.len()
    }

    fn new_home(&mut self, commune: usize) -> Home {
        let rng = &mut self.rng;
        let c = &self.communes[commune];
        self.next_id += 1;
        let id = format!("{}-{:07}", c.code, self.next_id);
        let hard = (c.remoteness * 0.8 + rng.random::<f64>() * 0.45 - 0.1).clamp(0.0, 1.0);
        let ethnic = if rng.random::<f64>() < c.minority_share {
            pick(rng, MINORITY_GROUPS)
        } else {
            "01"
        };
        // about 4.3 members a household, as the design's benchmark survey
        let size: u32 = match rng.random_range(0..100) {
            0..=4 => 1,
            5..=14 => 2,
            15..=31 => 3,
            32..=56 => 4,
            57..=76 => 5,
            77..=88 => 6,
            89..=94 => 7,
            _ => 8 + rng.random_range(0..3),
        };
        let income = {
            let u: f64 = rng.random();
            let base = if c.urban { 5_400_000.0 } else { 3_800_000.0 };
            base * (1.0 - 0.82 * hard) * (0.45 + 1.3 * u * u)
        };
        let has_house = rng.random::<f64>() > 0.02 + 0.04 * hard;
        let nondurable = ((rng.random::<f64>() * hard * 3.2) as u8).min(3);
        let floor_per_person = 6.0 + rng.random::<f64>() * 30.0 * (1.1 - hard);
        let water_safe = rng.random::<f64>() >= 0.25 * hard;
        let latrine_hygienic = rng.random::<f64>() >= 0.55 * hard;
        let internet = rng.random::<f64>() > 0.45 * hard;
        let devices = match rng.random_range(0..100) as f64 / 100.0 {
            x if x < 0.12 * hard => "",
            x if x < 0.5 => "phone",
            x if x < 0.8 => "tv;phone",
            _ => "tv;radio;phone;computer",
        };
        let waste = if rng.random::<f64>() < 0.5 * hard {
            "untreated"
        } else if c.urban || rng.random::<f64>() < 0.5 {
            "collected"
        } else {
            "onsite_hygienic"
        };
        let village = format!("{} {}", pick(rng, VILLAGES), 1 + rng.random_range(0..12));
        let style = rng.random::<u32>();
        // everyone is born by the first day of the review, 1 September
        let survey = NaiveDate::from_ymd_opt(self.year, 9, 1).unwrap_or_default();
        let family = pick(rng, FAMILY);
        let province = c.province.clone();
        let mut people = Vec::with_capacity(size as usize);
        for m in 0..size {
            let (relation, age) = match m {
                0 => ("head", rng.random_range(22..80)),
                1 if size > 1 => ("spouse", rng.random_range(20..78)),
                _ => {
                    if rng.random::<f64>() < 0.75 {
                        ("child", rng.random_range(0..30))
                    } else if rng.random::<f64>() < 0.5 {
                        ("parent", rng.random_range(55..95))
                    } else {
                        ("grandchild", rng.random_range(0..12))
                    }
                }
            };
            let male = if relation == "spouse" {
                rng.random::<f64>() < 0.2
            } else {
                rng.random::<f64>() < 0.5
            };
            let fam = if relation == "spouse" {
                pick(rng, FAMILY)
            } else {
                family
            };
            let mut person = new_person(
                rng,
                &mut self.ids,
                &province,
                survey,
                age,
                male,
                fam,
                relation,
                ethnic,
                hard,
            );
            person.no = m + 1;
            people.push(person);
        }
        Home {
            id,
            commune,
            village,
            hard,
            income,
            has_house,
            nondurable,
            floor_per_person,
            water_safe,
            latrine_hygienic,
            internet,
            devices,
            waste,
            style,
            people,
        }
    }

    /// Moves the population on by one review year: incomes grow, some houses, water and latrines
    /// are improved, people are born and die, some households move away and new ones come.
    pub fn advance(&mut self) {
        self.year += 1;
        let year = self.year;
        // babies of the year are born by the first day of the review, 1 September
        let survey = NaiveDate::from_ymd_opt(year, 9, 1).unwrap_or_default();
        let rng = &mut self.rng;
        // about 1 % of households leave the registry each year
        self.homes.retain(|_| rng.random::<f64>() >= 0.01);
        for home in &mut self.homes {
            // real growth of 4-13 % a year, faster where the program reaches hard households,
            // with a few shocks (illness, crop loss) that push some back
            let shock = rng.random::<f64>();
            let growth = if shock < 0.04 {
                0.75
            } else {
                1.04 + 0.06 * rng.random::<f64>() + 0.03 * home.hard
            };
            home.income *= growth;
            home.hard = (home.hard - 0.02 * rng.random::<f64>()).max(0.0);
            if home.nondurable > 0 && rng.random::<f64>() < 0.12 {
                home.nondurable -= 1;
            }
            if !home.has_house && rng.random::<f64>() < 0.3 {
                home.has_house = true;
                home.nondurable = 1;
            }
            home.water_safe |= rng.random::<f64>() < 0.08;
            home.latrine_hygienic |= rng.random::<f64>() < 0.08;
            home.internet |= rng.random::<f64>() < 0.1;
            if home.waste == "untreated" && rng.random::<f64>() < 0.1 {
                home.waste = "collected";
            }
            for p in &mut home.people {
                p.insured |= rng.random::<f64>() < 0.2;
            }
            // the old die, babies are born to couples of the right age
            home.people.retain(|p| {
                let age = year - p.birth.year();
                age < 70 || rng.random::<f64>() >= 0.04 * f64::from(age - 69)
            });
            if home.people.is_empty() {
                continue;
            }
            let young_couple = home.people.iter().any(|p| {
                !p.male && (20..40).contains(&(year - p.birth.year())) && p.relation != "child"
            });
            if young_couple && home.people.len() < 9 && rng.random::<f64>() < 0.08 {
                let c = &self.communes[home.commune];
                let family = home.people[0]
                    .name
                    .split(' ')
                    .next()
                    .unwrap_or("Nguyễn")
                    .to_string();
                let family = FAMILY
                    .iter()
                    .find(|f| **f == family)
                    .copied()
                    .unwrap_or("Nguyễn");
                let ethnic = home.people[0].ethnic;
                let male = rng.random::<f64>() < 0.5;
                let mut baby = new_person(
                    rng,
                    &mut self.ids,
                    &c.province,
                    survey,
                    0,
                    male,
                    family,
                    "child",
                    ethnic,
                    home.hard,
                );
                baby.no = home.people.iter().map(|p| p.no).max().unwrap_or(0) + 1;
                home.people.push(baby);
            }
        }
        self.homes.retain(|h| !h.people.is_empty());
        // new households (children setting up their own, people moving in): about 1.5 %
        let arrivals = (self.homes.len() as f64 * 0.015).round() as usize;
        for _ in 0..arrivals {
            let commune = self.rng.random_range(0..self.communes.len());
            let home = self.new_home(commune);
            self.homes.push(home);
        }
    }

    /// Writes the current year's survey in the exchange format; returns the number of members.
    pub fn write<H: Write, M: Write>(
        &mut self,
        households: &mut H,
        members: &mut M,
    ) -> io::Result<u64> {
        writeln!(households, "{HOUSEHOLDS_HEADER}")?;
        writeln!(members, "{MEMBERS_HEADER}")?;
        let start = NaiveDate::from_ymd_opt(self.year, 9, 1)
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "bad year"))?;
        let mut member_rows = 0u64;
        for home in &self.homes {
            let c = &self.communes[home.commune];
            let survey = start + Days::new(u64::from(home.style % 105));
            let size = home.people.len() as f64;
            let floor = if home.has_house {
                format!("{:.1}", home.floor_per_person * size)
            } else {
                "0".to_string()
            };
            let nondurable = if home.has_house {
                home.nondurable.to_string()
            } else {
                String::new()
            };
            let water = if home.water_safe {
                [
                    "piped",
                    "drilled_well",
                    "protected_well",
                    "protected_spring",
                    "rainwater",
                ][(home.style % 5) as usize]
            } else {
                ["unprotected_well", "unprotected_spring", "surface", "other"]
                    [(home.style % 4) as usize]
            };
            let latrine = if home.latrine_hygienic {
                [
                    "septic",
                    "semi_septic",
                    "pour_flush",
                    "double_vault",
                    "ventilated_pit",
                    "biogas",
                ][(home.style % 6) as usize]
            } else {
                ["open_pit", "hanging", "none", "other"][(home.style % 4) as usize]
            };
            let income = (home.income / 1000.0).round() as i64 * 1000;
            for p in &home.people {
                write_member(members, &home.id, p.no, p, survey, home.hard)?;
            }
            member_rows += home.people.len() as u64;
            writeln!(
                households,
                "{},{},{},{survey},{},{income},{},{nondurable},{floor},{water},{latrine},{},{},{}",
                home.id,
                c.code,
                home.village,
                home.people[0].name,
                u8::from(home.has_house),
                u8::from(home.internet),
                home.devices,
                home.waste,
            )?;
        }
        Ok(member_rows)
    }
}

#[allow(clippy::too_many_arguments)]
fn new_person(
    rng: &mut ChaCha8Rng,
    ids: &mut IdNumbers,
    province: &str,
    survey: NaiveDate,
    age: i32,
    male: bool,
    family: &str,
    relation: &'static str,
    ethnic: &'static str,
    hard: f64,
) -> Person {
    let birth_year = survey.year() - age;
    let birth = NaiveDate::from_yo_opt(birth_year, 1 + rng.random_range(0..365))
        .unwrap_or(survey)
        .min(survey);
    let given = if male {
        pick(rng, GIVEN_M)
    } else {
        pick(rng, GIVEN_F)
    };
    let middle = if male {
        pick(rng, MIDDLE_M)
    } else {
        pick(rng, MIDDLE_F)
    };
    let id_number =
        (age >= 14 && rng.random::<f64>() < 0.9).then(|| ids.next(province, birth, male));
    let disability = match rng.random_range(0..1000) {
        0..=14 => "mild",
        15..=24 => "severe",
        25..=29 => "very_severe",
        _ => "",
    };
    Person {
        no: 0,
        name: format!("{family} {middle} {given}"),
        id_number,
        birth,
        male,
        ethnic: if relation == "spouse" && rng.random::<f64>() < 0.1 {
            "01"
        } else {
            ethnic
        },
        relation,
        insured: rng.random::<f64>() > 0.12 * hard + 0.02,
        disability,
        allowance: rng.random::<f64>() < 0.8,
        luck: rng.random(),
    }
}

/// One member row: the answers follow the person's age on the survey date, as the rules take it.
fn write_member<M: Write>(
    out: &mut M,
    hid: &str,
    no: u32,
    p: &Person,
    survey: NaiveDate,
    hard: f64,
) -> io::Result<()> {
    let age = giamngheo_rules::age_on(p.birth, survey).map_or(0, |(y, _)| y as i32);
    let x = p.luck;
    let allowance =
        u8::from(p.allowance && (age >= 75 || matches!(p.disability, "severe" | "very_severe")));
    let labour = if age < 15 {
        ""
    } else if age >= 62 {
        if x < 0.5 {
            "retired"
        } else if x < 0.8 {
            "self_employed"
        } else {
            "unable"
        }
    } else if age < 19 && x < 0.6 {
        "student"
    } else if x < 0.08 * hard + 0.02 {
        "unemployed"
    } else if x < 0.25 * hard + 0.1 {
        "wage_no_contract"
    } else if x < 0.45 {
        "wage_contract"
    } else if x < 0.9 {
        "self_employed"
    } else if x < 0.97 {
        "homemaker"
    } else {
        "unable"
    };
    let malnourished = if age < 16 {
        u8::from(x < 0.2 * hard).to_string()
    } else {
        String::new()
    };
    let schooling = match age {
        3..=15 if x < 0.15 * hard => "behind",
        3..=15 => "at_level",
        _ => "",
    };
    let (in_edu, edu) = if (16..=30).contains(&age) {
        let studying = age < 23 && x < 0.4;
        let e = x * (1.0 - 0.5 * hard);
        let e = if e < 0.1 {
            "primary"
        } else if e < 0.3 {
            "lower_secondary"
        } else if e < 0.6 {
            "upper_secondary"
        } else if e < 0.75 {
            "vocational"
        } else {
            "university"
        };
        (u8::from(studying).to_string(), e)
    } else {
        (String::new(), "")
    };
    writeln!(
        out,
        "{hid},{no},{},{},{},{},{},{},{},{},{allowance},{labour},{malnourished},{schooling},{in_edu},{edu}",
        p.name,
        p.id_number.as_deref().unwrap_or(""),
        p.birth,
        if p.male { "M" } else { "F" },
        p.ethnic,
        p.relation,
        u8::from(p.insured),
        p.disability,
    )
}

/// Writes a one-year synthetic survey: `households` and `members` in the exchange format (CSV).
/// Returns the number of members.
pub fn write_survey<H: Write, M: Write>(
    opts: &SynthOptions,
    households: &mut H,
    members: &mut M,
) -> io::Result<u64> {
    Panel::new(opts)?.write(households, members)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn survey(p: &mut Panel) -> (String, String) {
        let (mut h, mut m) = (Vec::new(), Vec::new());
        p.write(&mut h, &mut m).expect("write");
        (
            String::from_utf8(h).expect("utf8"),
            String::from_utf8(m).expect("utf8"),
        )
    }

    fn opts() -> SynthOptions {
        SynthOptions {
            households: 300,
            province: Some("11".into()),
            year: 2022,
            seed: 7,
        }
    }

    #[test]
    fn deterministic_by_seed() {
        let a = survey(&mut Panel::new(&opts()).expect("panel"));
        let b = survey(&mut Panel::new(&opts()).expect("panel"));
        assert_eq!(a, b);
        let c = survey(&mut Panel::new(&SynthOptions { seed: 8, ..opts() }).expect("panel"));
        assert_ne!(a, c);
    }

    #[test]
    fn households_persist_and_people_age_across_years() {
        let mut p = Panel::new(&opts()).expect("panel");
        let (h22, m22) = survey(&mut p);
        p.advance();
        assert_eq!(p.year(), 2023);
        let (h23, _) = survey(&mut p);
        let ids = |h: &str| -> std::collections::HashSet<String> {
            h.lines()
                .skip(1)
                .map(|l| l.split(',').next().unwrap_or("").to_string())
                .collect()
        };
        let (a, b) = (ids(&h22), ids(&h23));
        let kept = a.intersection(&b).count();
        assert!(kept as f64 > 0.95 * a.len() as f64, "{kept} of {}", a.len());
        assert!(h23.lines().nth(1).is_some_and(|l| l.contains(",2023-")));
        assert!(
            m22.lines().count() > 2 * a.len(),
            "members for every household"
        );
    }
}
