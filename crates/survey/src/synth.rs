//! Synthetic surveys in the exchange format, deterministic by seed: households of real communes
//! with members, answers and incomes whose poverty patterns follow the commune's remoteness.
//! Used for benchmarks, tests and demonstrations; never for real figures.

use crate::parse::check_id_number;
use crate::units::Catalogue;
use giamngheo_rules::chrono::{Datelike, NaiveDate};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::io::{self, Write};

/// What to generate.
#[derive(Debug, Clone)]
pub struct SynthOptions {
    pub households: u64,
    /// Province code whose communes receive the households; all provinces when `None`.
    pub province: Option<String>,
    /// Review year: survey dates fall between 1 September and 14 December of it.
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
    // provinces of the northern mountains and the Central Highlands are poorer
    const POOR: &[&str] = &[
        "04", "08", "11", "12", "14", "15", "19", "20", "24", "66", "68", "64",
    ];
    list.into_iter()
        .map(|c| {
            let urban = c.kind == "phường";
            let base = if POOR.contains(&c.province_code.as_str()) {
                0.6
            } else {
                0.25
            };
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

fn id_number(rng: &mut ChaCha8Rng, province: &str, birth: NaiveDate, male: bool) -> String {
    let y = birth.year();
    let g = 2 * ((y - 1900) / 100) + i32::from(!male);
    let id = format!(
        "0{:0>2}{}{:02}{:06}",
        province,
        g,
        y % 100,
        rng.random_range(0..1_000_000)
    );
    debug_assert!(check_id_number(&id, None, Some(y)).is_ok());
    id
}

/// Writes a synthetic survey: `households` and `members` in the exchange format (CSV).
pub fn write_survey<H: Write, M: Write>(
    opts: &SynthOptions,
    households: &mut H,
    members: &mut M,
) -> io::Result<u64> {
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
    let list = communes(Catalogue::builtin(), opts.province.as_deref(), &mut rng);
    if list.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "no commune in that province",
        ));
    }
    writeln!(households, "{HOUSEHOLDS_HEADER}")?;
    writeln!(members, "{MEMBERS_HEADER}")?;
    let mut member_rows = 0u64;
    let start = NaiveDate::from_ymd_opt(opts.year, 9, 1)
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "bad year"))?;
    for n in 0..opts.households {
        let c = &list[(n as usize * list.len()) / opts.households.max(1) as usize];
        let hid = format!("{}-{:07}", c.code, n + 1);
        let survey = start + giamngheo_rules::chrono::Days::new(rng.random_range(0..105));
        // a household's hardship: remoteness plus its own luck
        let hard = (c.remoteness * 0.8 + rng.random::<f64>() * 0.45 - 0.1).clamp(0.0, 1.0);
        let minority = rng.random::<f64>() < c.minority_share;
        let ethnic = if minority {
            ["02", "03", "05", "06", "07", "08", "12", "13", "17", "20"][rng.random_range(0..10)]
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
        // income per person per month, VND, lower for hard households
        let income = {
            let u: f64 = rng.random();
            let base = if c.urban { 5_200_000.0 } else { 3_600_000.0 };
            let v = base * (1.0 - 0.82 * hard) * (0.45 + 1.3 * u * u);
            (v / 1000.0).round() as i64 * 1000
        };
        let has_house = rng.random::<f64>() > 0.02 + 0.04 * hard;
        let nondurable = if has_house {
            let x = rng.random::<f64>() * hard * 3.2;
            (x as u8).min(3).to_string()
        } else {
            String::new()
        };
        let floor = if has_house {
            let per = 6.0 + rng.random::<f64>() * 30.0 * (1.1 - hard);
            format!("{:.1}", per * f64::from(size))
        } else {
            "0".to_string()
        };
        let water = if rng.random::<f64>() < 0.25 * hard {
            pick(
                &mut rng,
                &["unprotected_well", "unprotected_spring", "surface", "other"],
            )
        } else {
            pick(
                &mut rng,
                &[
                    "piped",
                    "drilled_well",
                    "protected_well",
                    "protected_spring",
                    "rainwater",
                ],
            )
        };
        let latrine = if rng.random::<f64>() < 0.55 * hard {
            pick(&mut rng, &["open_pit", "hanging", "none", "other"])
        } else {
            pick(
                &mut rng,
                &[
                    "septic",
                    "semi_septic",
                    "pour_flush",
                    "double_vault",
                    "ventilated_pit",
                    "biogas",
                ],
            )
        };
        let internet = u8::from(rng.random::<f64>() > 0.45 * hard);
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
        let village = format!(
            "{} {}",
            pick(&mut rng, VILLAGES),
            1 + rng.random_range(0..12)
        );
        // members: the head first
        let mut names = Vec::with_capacity(size as usize);
        let family = pick(&mut rng, FAMILY);
        for m in 0..size {
            let (relation, nominal_age) = match m {
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
            let day_of_year = rng.random_range(0..365);
            let birth_year = opts.year - nominal_age;
            let birth = NaiveDate::from_yo_opt(birth_year, 1 + day_of_year as u32)
                .unwrap_or(start)
                .min(survey);
            // the answers follow the age on the survey date, as the rules take it
            let age = giamngheo_rules::age_on(birth, survey).map_or(0, |(y, _)| y as i32);
            let given = if male {
                pick(&mut rng, GIVEN_M)
            } else {
                pick(&mut rng, GIVEN_F)
            };
            let middle = if male {
                pick(&mut rng, MIDDLE_M)
            } else {
                pick(&mut rng, MIDDLE_F)
            };
            let fam = if relation == "spouse" {
                pick(&mut rng, FAMILY)
            } else {
                family
            };
            let full = format!("{fam} {middle} {given}");
            let id = if age >= 14 && rng.random::<f64>() < 0.9 {
                id_number(&mut rng, &c.province, birth, male)
            } else {
                String::new()
            };
            let insured = u8::from(rng.random::<f64>() > 0.12 * hard + 0.02);
            let disability = match rng.random_range(0..1000) {
                0..=14 => "mild",
                15..=24 => "severe",
                25..=29 => "very_severe",
                _ => "",
            };
            let allowance = if age >= 75 || matches!(disability, "severe" | "very_severe") {
                u8::from(rng.random::<f64>() < 0.8).to_string()
            } else {
                "0".to_string()
            };
            let labour = if age >= 15 {
                let x = rng.random::<f64>();
                if age >= 62 {
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
                }
            } else {
                ""
            };
            let malnourished = if age < 16 {
                u8::from(rng.random::<f64>() < 0.2 * hard).to_string()
            } else {
                String::new()
            };
            let schooling = if (3..=15).contains(&age) {
                if rng.random::<f64>() < 0.15 * hard {
                    "behind"
                } else {
                    "at_level"
                }
            } else {
                ""
            };
            let (in_edu, edu) = if (16..=30).contains(&age) {
                let studying = age < 23 && rng.random::<f64>() < 0.4;
                let x = rng.random::<f64>() * (1.0 - 0.5 * hard);
                let e = if x < 0.1 {
                    "primary"
                } else if x < 0.3 {
                    "lower_secondary"
                } else if x < 0.6 {
                    "upper_secondary"
                } else if x < 0.75 {
                    "vocational"
                } else {
                    "university"
                };
                (u8::from(studying).to_string(), e)
            } else {
                (String::new(), "")
            };
            let member_ethnic = if relation == "spouse" && rng.random::<f64>() < 0.1 {
                "01"
            } else {
                ethnic
            };
            writeln!(
                members,
                "{hid},{},{full},{id},{birth},{},{member_ethnic},{relation},{insured},{disability},{allowance},{labour},{malnourished},{schooling},{in_edu},{edu}",
                m + 1,
                if male { "M" } else { "F" },
            )?;
            names.push(full);
        }
        member_rows += u64::from(size);
        writeln!(
            households,
            "{hid},{},{village},{survey},{},{income},{},{nondurable},{floor},{water},{latrine},{internet},{devices},{waste}",
            c.code,
            names[0],
            u8::from(has_house),
        )?;
    }
    Ok(member_rows)
}
