//! Parsing the rows of the exchange format into records, every bad value reported as a
//! [`RowError`] naming the file, row and column.

use crate::units::{Catalogue, Commune};
use crate::RowError;
use csv::ByteRecord;
use giamngheo_rules::{msg, Msg};
use giamngheo_rules::{
    Area, Decimal, Device, Devices, Disability, Education, Household, Labour, Latrine, Member,
    NaiveDate, Recorded, Relation, Schooling, Sex, Standards, Waste, WaterSource,
};
use std::sync::Arc;

/// A household row, parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct HouseholdRecord {
    pub row: u64,
    /// The answers as the rules need them; `household.members` is the `members` column, or the
    /// members file's count once the files are joined.
    pub household: Household,
    pub commune: &'static Commune,
    pub village: Option<String>,
    pub head_name: Option<String>,
    /// Whether the `area` column gave the area (otherwise it comes from the commune's type).
    pub area_given: bool,
    /// The `members` column, when given.
    pub members_column: Option<u32>,
    /// `x_` columns with a value, in column order.
    pub extra: Vec<(String, String)>,
    /// The pre-2025 commune code the row gave, when the file is recorded under the old units
    /// (`commune` is then the 2025 commune it maps to).
    pub legacy_commune: Option<String>,
}

impl std::borrow::Borrow<Member> for MemberRecord {
    fn borrow(&self) -> &Member {
        &self.member
    }
}

/// A member row, parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberRecord {
    pub row: u64,
    pub member_no: u32,
    pub member: Member,
    pub full_name: Option<String>,
    pub id_number: Option<IdNumber>,
    /// Ethnic group, code of the 1979 catalogue (1 = Kinh).
    pub ethnicity: Option<u8>,
    /// How precisely `birth_date` was given: 1 = year, 2 = year and month, 3 = full date.
    pub birth_precision: u8,
    pub extra: Vec<(String, String)>,
}

/// The columns of the households file.
pub const HOUSEHOLD_COLUMNS: &[&str] = &[
    "household_id",
    "commune_code",
    "village",
    "area",
    "survey_date",
    "head_name",
    "members",
    "income_per_capita",
    "b1_score",
    "has_house",
    "nondurable_structures",
    "floor_area_m2",
    "water_source",
    "latrine",
    "internet",
    "info_devices",
    "waste",
];

/// The columns of the members file.
pub const MEMBER_COLUMNS: &[&str] = &[
    "household_id",
    "member_no",
    "full_name",
    "id_number",
    "birth_date",
    "sex",
    "ethnicity",
    "relation",
    "health_insurance",
    "disability",
    "social_allowance",
    "labour",
    "malnourished",
    "schooling",
    "in_education",
    "education",
];

/// Where each known column sits in a file's header.
#[derive(Debug, Clone)]
pub struct Columns {
    pub file: Arc<str>,
    /// Index in the header of each column of the known list, or `None` when absent.
    known: Vec<Option<usize>>,
    /// `d_<indicator>` columns: (index in header, registry code id, column name).
    recorded: Vec<(usize, usize, String)>,
    /// `x_` columns: (index, name).
    extra: Vec<(usize, String)>,
    pad_codes: bool,
    /// Keep free text (names, village, `x_` columns); classification does not need it.
    pub keep_text: bool,
    /// `commune_code` holds pre-2025 codes, mapped through the crosswalk to the 2025 communes.
    pub legacy_units: bool,
}

impl Columns {
    fn resolve(
        file: &Arc<str>,
        headers: &[String],
        list: &[&str],
        required: &[&str],
        standards: Option<&Standards>,
        pad_codes: bool,
    ) -> Result<Columns, Vec<RowError>> {
        let mut errors = Vec::new();
        let mut known = vec![None; list.len()];
        let mut recorded = Vec::new();
        let mut extra = Vec::new();
        for (i, h) in headers.iter().enumerate() {
            if headers[..i].contains(h) {
                errors.push(RowError::new(file, 1, h, msg!("col_twice")));
                continue;
            }
            if let Some(k) = list.iter().position(|c| c == h) {
                known[k] = Some(i);
            } else if let Some(code) = h.strip_prefix("d_").filter(|_| standards.is_some()) {
                match standards.and_then(|s| s.code_id(code)) {
                    Some(id) => recorded.push((i, id, h.clone())),
                    None => errors.push(RowError::new(
                        file,
                        1,
                        h,
                        msg!(
                            "col_no_indicator",
                            code = code,
                            known = standards.map(|s| s.codes().join(", ")).unwrap_or_default()
                        ),
                    )),
                }
            } else if h.starts_with("x_") {
                extra.push((i, h.clone()));
            } else if h.is_empty() {
                errors.push(RowError::new(
                    file,
                    1,
                    &format!("#{}", i + 1),
                    msg!("header_empty"),
                ));
            } else {
                errors.push(RowError::new(file, 1, h, msg!("col_unknown")));
            }
        }
        for r in required {
            if let Some(k) = list.iter().position(|c| c == r) {
                if known[k].is_none() {
                    errors.push(RowError::new(file, 1, r, msg!("col_missing")));
                }
            }
        }
        if errors.is_empty() {
            Ok(Columns {
                file: file.clone(),
                known,
                recorded,
                extra,
                pad_codes,
                keep_text: true,
                legacy_units: false,
            })
        } else {
            Err(errors)
        }
    }

    /// Columns of a households file.
    pub fn households(
        file: &Arc<str>,
        headers: &[String],
        standards: &Standards,
        pad_codes: bool,
    ) -> Result<Columns, Vec<RowError>> {
        Columns::resolve(
            file,
            headers,
            HOUSEHOLD_COLUMNS,
            &["household_id", "commune_code", "survey_date"],
            Some(standards),
            pad_codes,
        )
    }

    /// Columns of a members file.
    pub fn members(
        file: &Arc<str>,
        headers: &[String],
        pad_codes: bool,
    ) -> Result<Columns, Vec<RowError>> {
        Columns::resolve(
            file,
            headers,
            MEMBER_COLUMNS,
            &["household_id", "member_no", "birth_date", "sex"],
            None,
            pad_codes,
        )
    }

    /// Whether a known column is in the file.
    pub fn has(&self, list: &[&str], name: &str) -> bool {
        list.iter()
            .position(|c| *c == name)
            .and_then(|k| self.known[k])
            .is_some()
    }
}

/// One row being parsed: its cells and the errors found so far.
struct Row<'a> {
    cols: &'a Columns,
    rec: &'a ByteRecord,
    row: u64,
    errors: Vec<RowError>,
}

impl<'a> Row<'a> {
    /// The trimmed bytes of a known column, or `None` when absent or empty.
    fn raw(&self, k: usize) -> Option<&'a [u8]> {
        let raw = self.rec.get(self.cols.known[k]?)?.trim_ascii();
        (!raw.is_empty()).then_some(raw)
    }

    fn text(&mut self, k: usize, name: &'static str) -> Option<&'a str> {
        let raw = self.raw(k)?;
        match std::str::from_utf8(raw) {
            Ok(s) => Some(s),
            Err(_) => {
                self.err(name, msg!("not_utf8"));
                None
            }
        }
    }

    /// Free text (names): read only when the caller keeps it.
    fn free_text(&mut self, k: usize, name: &'static str) -> Option<String> {
        if self.cols.keep_text {
            self.text(k, name).map(str::to_string)
        } else {
            None
        }
    }

    fn err(&mut self, column: &str, message: Msg) {
        self.errors
            .push(RowError::new(&self.cols.file, self.row, column, message));
    }

    fn parse<T>(
        &mut self,
        k: usize,
        name: &'static str,
        f: impl FnOnce(&[u8]) -> Result<T, Msg>,
    ) -> Option<T> {
        match f(self.raw(k)?) {
            Ok(v) => Some(v),
            Err(m) => {
                self.err(name, m);
                None
            }
        }
    }

    fn required<T>(
        &mut self,
        k: usize,
        name: &'static str,
        f: impl FnOnce(&[u8]) -> Result<T, Msg>,
    ) -> Option<T> {
        if self.raw(k).is_none() {
            self.err(name, msg!("value_missing"));
            return None;
        }
        self.parse(k, name, f)
    }

    /// A code column of `N` digits, with leading zeros restored for workbooks.
    fn code<const N: usize>(&mut self, k: usize, name: &'static str) -> Option<Digits<N>> {
        let pad = self.cols.pad_codes;
        self.parse(k, name, |b| {
            let fits = b.len() == N || (pad && b.len() < N);
            match (fits && b.iter().all(u8::is_ascii_digit)).then(|| Digits::new(b)) {
                Some(d) => Ok(d),
                None => Err(msg!("not_code", value = lossy(b), digits = N)),
            }
        })
    }

    fn extras(&self) -> Vec<(String, String)> {
        if !self.cols.keep_text {
            return Vec::new();
        }
        self.cols
            .extra
            .iter()
            .filter_map(|(i, name)| {
                let v = lossy(self.rec.get(*i)?.trim_ascii());
                (!v.is_empty()).then(|| (name.clone(), v.into_owned()))
            })
            .collect()
    }
}

/// A code of exactly `N` ASCII digits, held without allocation.
#[derive(Debug, Clone, Copy)]
struct Digits<const N: usize>([u8; N]);

impl<const N: usize> Digits<N> {
    /// `b` is all digits and at most `N` long; shorter codes get leading zeros.
    fn new(b: &[u8]) -> Self {
        let mut d = [b'0'; N];
        d[N - b.len()..].copy_from_slice(b);
        Digits(d)
    }

    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    fn value(&self) -> u64 {
        self.0.iter().fold(0, |n, d| n * 10 + u64::from(d - b'0'))
    }
}

fn lossy(b: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(b)
}

/// `1`/`0`, `true`/`false`, `có`/`không`, in any case.
pub fn parse_bool(s: &str) -> Result<bool, Msg> {
    bool_bytes(s.as_bytes())
}

fn bool_bytes(b: &[u8]) -> Result<bool, Msg> {
    match b {
        b"1" => Ok(true),
        b"0" => Ok(false),
        _ => match lossy(b).to_lowercase().as_str() {
            "true" | "có" => Ok(true),
            "false" | "không" => Ok(false),
            s => Err(msg!("not_bool", value = s)),
        },
    }
}

fn digits(b: &[u8]) -> Option<i32> {
    if b.is_empty() || b.len() > 9 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0i32, |n, d| n * 10 + i32::from(d - b'0')))
}

/// A full date `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Result<NaiveDate, Msg> {
    date_bytes(s.as_bytes())
}

fn date_bytes(b: &[u8]) -> Result<NaiveDate, Msg> {
    match partial_date_bytes(b) {
        Ok((d, 3)) => Ok(d),
        Ok(_) => Err(msg!("not_full_date", value = lossy(b))),
        Err(e) => Err(e),
    }
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, missing parts counting as the first; with the number of
/// parts given.
pub fn parse_partial_date(s: &str) -> Result<(NaiveDate, u8), Msg> {
    partial_date_bytes(s.as_bytes())
}

fn partial_date_bytes(b: &[u8]) -> Result<(NaiveDate, u8), Msg> {
    let bad = || msg!("not_date", value = lossy(b));
    let (y, m, d) = match b.len() {
        4 => (digits(b), Some(1), Some(1)),
        7 if b[4] == b'-' => (digits(&b[..4]), digits(&b[5..7]), Some(1)),
        10 if b[4] == b'-' && b[7] == b'-' => {
            (digits(&b[..4]), digits(&b[5..7]), digits(&b[8..10]))
        }
        _ => return Err(bad()),
    };
    let (Some(y), Some(m), Some(d)) = (y, m, d) else {
        return Err(bad());
    };
    let precision = match b.len() {
        4 => 1,
        7 => 2,
        _ => 3,
    };
    let date = NaiveDate::from_ymd_opt(y, m as u32, d as u32)
        .ok_or_else(|| msg!("not_real_date", value = lossy(b)))?;
    Ok((date, precision))
}

/// A non-negative decimal number such as `1500000` or `31.5`.
pub fn parse_amount(s: &str) -> Result<Decimal, Msg> {
    amount_bytes(s.as_bytes())
}

fn amount_bytes(b: &[u8]) -> Result<Decimal, Msg> {
    let bad = || msg!("not_number", value = lossy(b));
    let mut mantissa: i128 = 0;
    let mut scale: Option<u32> = None;
    let mut any_digit = false;
    for &c in b {
        match c {
            b'0'..=b'9' => {
                any_digit = true;
                mantissa = mantissa * 10 + i128::from(c - b'0');
                if mantissa > 79_228_162_514_264_337_593_543_950_335 {
                    return Err(msg!("too_large", value = lossy(b)));
                }
                if let Some(s) = &mut scale {
                    *s += 1;
                }
            }
            b'.' if scale.is_none() => scale = Some(0),
            _ => return Err(bad()),
        }
    }
    if !any_digit {
        return Err(bad());
    }
    match scale.unwrap_or(0) {
        s if s <= 28 => Ok(Decimal::from_i128_with_scale(mantissa, s)),
        _ => Err(msg!("too_many_decimals", value = lossy(b))),
    }
}

fn parse_count(b: &[u8], min: u32, max: u32) -> Result<u32, Msg> {
    match digits(b).and_then(|n| u32::try_from(n).ok()) {
        Some(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(msg!("not_count", value = lossy(b), min = min, max = max)),
    }
}

macro_rules! code_parser {
    ($t:ty) => {
        |b: &[u8]| {
            <$t>::from_bytes(b)
                .ok_or_else(|| msg!("unknown_code", value = lossy(b)).list("expected", <$t>::CODES))
        }
    };
}

fn parse_devices(b: &[u8]) -> Result<Devices, Msg> {
    b.split(|c| *c == b';')
        .map(<[u8]>::trim_ascii)
        .filter(|p| !p.is_empty())
        .map(|p| {
            Device::from_bytes(p).ok_or_else(|| {
                msg!("unknown_device", value = lossy(p)).list("expected", Device::CODES)
            })
        })
        .collect()
}

pub use giamngheo_rules::person::{check_id_number, IdNumber};

/// Parses a households row. The commune must exist in the catalogue.
pub fn household(
    cols: &Columns,
    rec: &ByteRecord,
    row: u64,
    cat: &'static Catalogue,
) -> Result<HouseholdRecord, Vec<RowError>> {
    use k::*;
    let mut r = Row {
        cols,
        rec,
        row,
        errors: Vec::new(),
    };
    let id = match r.text(H_ID, "household_id") {
        Some(s) => Some(s.to_string()),
        None => {
            if r.errors.is_empty() {
                r.err("household_id", msg!("value_missing"));
            }
            None
        }
    };
    let mut legacy_commune = None;
    let commune = if r.text(H_COMMUNE, "commune_code").is_none() {
        r.err("commune_code", msg!("value_missing"));
        None
    } else {
        r.code::<5>(H_COMMUNE, "commune_code").and_then(|c| {
            let number = c.value() as u32;
            if cols.legacy_units {
                legacy_commune = Some(c.as_str().to_string());
                return match crate::units::legacy_targets().get(&number) {
                    Some(old) => match old.target.and_then(|t| cat.commune_by_number(t)) {
                        Some(u) => Some(u),
                        None => {
                            r.err(
                                "commune_code",
                                msg!("legacy_no_target", code = c.as_str(), name = &old.name),
                            );
                            None
                        }
                    },
                    None => {
                        r.err("commune_code", msg!("legacy_unknown", code = c.as_str()));
                        None
                    }
                };
            }
            match cat.commune_by_number(number) {
                Some(u) => Some(u),
                None => {
                    r.err("commune_code", msg!("commune_unknown", code = c.as_str()));
                    None
                }
            }
        })
    };
    let area = r.parse(H_AREA, "area", code_parser!(Area));
    let survey_date = r.required(H_DATE, "survey_date", date_bytes);
    let members_column = r.parse(H_MEMBERS, "members", |s| parse_count(s, 1, 999));
    let income = r.parse(H_INCOME, "income_per_capita", amount_bytes);
    let b1 = r.parse(H_B1, "b1_score", amount_bytes);
    let has_house = r.parse(H_HAS_HOUSE, "has_house", bool_bytes);
    let nondurable = r.parse(H_NONDURABLE, "nondurable_structures", |s| {
        parse_count(s, 0, 3).map(|n| n as u8)
    });
    let floor = r.parse(H_FLOOR, "floor_area_m2", amount_bytes);
    let water = r.parse(H_WATER, "water_source", code_parser!(WaterSource));
    let latrine = r.parse(H_LATRINE, "latrine", code_parser!(Latrine));
    let internet = r.parse(H_INTERNET, "internet", bool_bytes);
    // an empty info_devices cell means no device, when the column is there
    let info_devices = if cols.known[H_DEVICES].is_some() {
        match r.raw(H_DEVICES) {
            None => Some(Devices::NONE),
            Some(s) => match parse_devices(s) {
                Ok(d) => Some(d),
                Err(m) => {
                    r.err("info_devices", m);
                    None
                }
            },
        }
    } else {
        None
    };
    let waste = r.parse(H_WASTE, "waste", code_parser!(Waste));
    let village = r.free_text(H_VILLAGE, "village");
    let head_name = r.free_text(H_HEAD, "head_name");
    let mut recorded = Recorded::default();
    for (idx, code_id, col) in &cols.recorded {
        let (idx, code_id) = (*idx, *code_id);
        let Some(s) = rec.get(idx).map(<[u8]>::trim_ascii) else {
            continue;
        };
        if s.is_empty() {
            continue;
        }
        match bool_bytes(s) {
            Ok(v) => recorded.set(code_id, v),
            Err(m) => r.err(col, m),
        }
    }
    if has_house == Some(true)
        && cols.known[H_NONDURABLE].is_some()
        && nondurable.is_none()
        && r.errors.iter().all(|e| e.column != "nondurable_structures")
    {
        r.err("nondurable_structures", msg!("nondurable_required"));
    }
    let extra = r.extras();
    match (id, commune, survey_date) {
        (Some(id), Some(commune), Some(survey_date)) if r.errors.is_empty() => {
            let area_given = area.is_some();
            let area = area.unwrap_or_else(|| commune.default_area());
            let mut household = Household::new(id, area, survey_date, members_column.unwrap_or(0));
            household.income_per_capita = income;
            household.b1_score = b1;
            household.has_house = has_house;
            household.nondurable_structures = nondurable;
            household.floor_area_m2 = floor;
            household.water_source = water;
            household.latrine = latrine;
            household.internet = internet;
            household.info_devices = info_devices;
            household.waste = waste;
            household.recorded = recorded;
            Ok(HouseholdRecord {
                row,
                household,
                commune,
                village,
                head_name,
                area_given,
                members_column,
                extra,
                legacy_commune,
            })
        }
        _ => Err(r.errors),
    }
}

/// Reads just the household id of a members row (for grouping before a full parse).
pub fn member_household_id<'r>(cols: &Columns, rec: &'r ByteRecord) -> Option<&'r str> {
    let s = std::str::from_utf8(rec.get(cols.known[k::M_HOUSEHOLD]?)?.trim_ascii()).ok()?;
    (!s.is_empty()).then_some(s)
}

/// Parses a members row.
pub fn member(
    cols: &Columns,
    rec: &ByteRecord,
    row: u64,
    cat: &Catalogue,
) -> Result<MemberRecord, Vec<RowError>> {
    use k::*;
    let mut r = Row {
        cols,
        rec,
        row,
        errors: Vec::new(),
    };
    let household_id = r.required(M_HOUSEHOLD, "household_id", |_| Ok(()));
    let member_no = r.required(M_NO, "member_no", |s| parse_count(s, 1, 999));
    let birth = r.required(M_BIRTH, "birth_date", partial_date_bytes);
    let sex = r.required(M_SEX, "sex", code_parser!(Sex));
    let id_number = r.code::<12>(M_ID, "id_number").and_then(|id| {
        match check_id_number(id.as_str(), sex, birth.map(|(d, _)| chrono_year(d))) {
            Ok(()) => IdNumber::new(id.as_str()),
            Err(m) => {
                r.err("id_number", m);
                None
            }
        }
    });
    let ethnicity = r.code::<2>(M_ETHNICITY, "ethnicity").and_then(|c| {
        if cat.ethnic_group_by_number(c.value() as u8).is_some() {
            Some(c.value() as u8)
        } else {
            r.err("ethnicity", msg!("ethnicity_unknown", code = c.as_str()));
            None
        }
    });
    let relation = r.parse(M_RELATION, "relation", code_parser!(Relation));
    let health_insurance = r.parse(M_INSURANCE, "health_insurance", bool_bytes);
    let disability = r.parse(M_DISABILITY, "disability", code_parser!(Disability));
    let social_allowance = r.parse(M_ALLOWANCE, "social_allowance", bool_bytes);
    let labour = r.parse(M_LABOUR, "labour", code_parser!(Labour));
    let malnourished = r.parse(M_MALNOURISHED, "malnourished", bool_bytes);
    let schooling = r.parse(M_SCHOOLING, "schooling", code_parser!(Schooling));
    let in_education = r.parse(M_IN_EDUCATION, "in_education", bool_bytes);
    let education = r.parse(M_EDUCATION, "education", code_parser!(Education));
    let full_name = r.free_text(M_NAME, "full_name");
    let extra = r.extras();
    match (household_id, member_no, birth, sex) {
        (Some(()), Some(member_no), Some((birth_date, precision)), Some(sex))
            if r.errors.is_empty() =>
        {
            let mut member = Member::new(birth_date, sex);
            member.relation = relation;
            member.health_insurance = health_insurance;
            member.disability = disability.unwrap_or(Disability::None);
            member.social_allowance = social_allowance;
            member.labour = labour;
            member.malnourished = malnourished;
            member.schooling = schooling;
            member.in_education = in_education;
            member.education = education;
            Ok(MemberRecord {
                row,
                member_no,
                member,
                full_name,
                id_number,
                ethnicity,
                birth_precision: precision,
                extra,
            })
        }
        _ => Err(r.errors),
    }
}

fn chrono_year(d: NaiveDate) -> i32 {
    use giamngheo_rules::chrono::Datelike;
    d.year()
}

/// Reads just the household id of a households row, for rows that fail to parse.
pub fn household_id<'r>(cols: &Columns, rec: &'r ByteRecord) -> Option<&'r str> {
    let s = std::str::from_utf8(rec.get(cols.known[k::H_ID]?)?.trim_ascii()).ok()?;
    (!s.is_empty()).then_some(s)
}

/// Positions of the known columns in [`HOUSEHOLD_COLUMNS`] and [`MEMBER_COLUMNS`].
mod k {
    pub const H_ID: usize = 0;
    pub const H_COMMUNE: usize = 1;
    pub const H_VILLAGE: usize = 2;
    pub const H_AREA: usize = 3;
    pub const H_DATE: usize = 4;
    pub const H_HEAD: usize = 5;
    pub const H_MEMBERS: usize = 6;
    pub const H_INCOME: usize = 7;
    pub const H_B1: usize = 8;
    pub const H_HAS_HOUSE: usize = 9;
    pub const H_NONDURABLE: usize = 10;
    pub const H_FLOOR: usize = 11;
    pub const H_WATER: usize = 12;
    pub const H_LATRINE: usize = 13;
    pub const H_INTERNET: usize = 14;
    pub const H_DEVICES: usize = 15;
    pub const H_WASTE: usize = 16;

    pub const M_HOUSEHOLD: usize = 0;
    pub const M_NO: usize = 1;
    pub const M_NAME: usize = 2;
    pub const M_ID: usize = 3;
    pub const M_BIRTH: usize = 4;
    pub const M_SEX: usize = 5;
    pub const M_ETHNICITY: usize = 6;
    pub const M_RELATION: usize = 7;
    pub const M_INSURANCE: usize = 8;
    pub const M_DISABILITY: usize = 9;
    pub const M_ALLOWANCE: usize = 10;
    pub const M_LABOUR: usize = 11;
    pub const M_MALNOURISHED: usize = 12;
    pub const M_SCHOOLING: usize = 13;
    pub const M_IN_EDUCATION: usize = 14;
    pub const M_EDUCATION: usize = 15;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn booleans() {
        for (s, v) in [
            ("1", true),
            ("0", false),
            ("true", true),
            ("FALSE", false),
            ("có", true),
            ("Không", false),
        ] {
            assert_eq!(parse_bool(s), Ok(v), "{s}");
        }
        assert!(parse_bool("yes").is_err());
        assert!(parse_bool("2").is_err());
    }

    #[test]
    fn dates() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).expect("date");
        assert_eq!(parse_date("2025-10-01"), Ok(d(2025, 10, 1)));
        assert!(parse_date("2025-10").is_err());
        assert_eq!(parse_date("2025-02-30").unwrap_err().key, "not_real_date");
        assert!(parse_date("01/10/2025").is_err());
        assert!(parse_date("2025-1-01").is_err());
        assert_eq!(parse_partial_date("1980"), Ok((d(1980, 1, 1), 1)));
        assert_eq!(parse_partial_date("1980-07"), Ok((d(1980, 7, 1), 2)));
        assert_eq!(parse_partial_date("1980-07-15"), Ok((d(1980, 7, 15), 3)));
        assert!(parse_partial_date("1980-13").is_err());
        assert!(parse_partial_date("1980--01").is_err());
        assert!(parse_partial_date("1980-07-15-1").is_err());
        assert!(parse_partial_date("").is_err());
    }

    #[test]
    fn amounts() {
        assert_eq!(parse_amount("1500000"), Ok(Decimal::from(1_500_000)));
        assert_eq!(parse_amount("7.99"), Ok(Decimal::new(799, 2)));
        assert!(parse_amount("-1").is_err());
        assert!(parse_amount("1.500.000").is_err());
        assert!(parse_amount("1,5").is_err());
        assert!(parse_amount(".").is_err());
        assert!(parse_amount("1e6").is_err());
        assert!(parse_amount("99999999999999999999999999999999").is_err());
    }
}
