//! The `report` use case: a unit's poverty figures over a span of years, read from the summaries
//! (never from households).

use giamngheo_rules::UnitCode;
use giamngheo_rules::{percent, Standards};
use giamngheo_store::{CommuneSummary, Store, StoreError};
use giamngheo_survey::Catalogue;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::fmt::Write;

/// Figures of one year (for the unit, or one of its communes).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct YearFigures {
    pub year: i32,
    pub households: i64,
    pub poor: i64,
    pub near_poor: i64,
    pub minority_households: i64,
    pub minority_poor: i64,
    pub minority_near_poor: i64,
    pub escaped: i64,
    pub new_poor: i64,
    pub fell_back: i64,
    pub poor_to_near_poor: i64,
    pub near_poor_to_poor: i64,
    pub stayed_poor: i64,
    pub new_near_poor: i64,
    pub stayed_near_poor: i64,
}

impl YearFigures {
    fn add(&mut self, s: &CommuneSummary) {
        self.year = s.year;
        self.households += s.households;
        self.poor += s.poor;
        self.near_poor += s.near_poor;
        self.minority_households += s.minority_households;
        self.minority_poor += s.minority_poor;
        self.minority_near_poor += s.minority_near_poor;
        self.escaped += s.escaped;
        self.new_poor += s.new_poor;
        self.fell_back += s.fell_back;
        self.poor_to_near_poor += s.poor_to_near_poor;
        self.near_poor_to_poor += s.near_poor_to_poor;
        self.stayed_poor += s.stayed_poor;
        self.new_near_poor += s.new_near_poor;
        self.stayed_near_poor += s.stayed_near_poor;
    }

    pub fn poor_rate(&self) -> f64 {
        percent(self.poor as u64, self.households as u64)
    }

    pub fn near_poor_rate(&self) -> f64 {
        percent(self.near_poor as u64, self.households as u64)
    }

    pub fn poor_and_near_poor_rate(&self) -> f64 {
        percent((self.poor + self.near_poor) as u64, self.households as u64)
    }

    pub fn minority_poor_rate(&self) -> f64 {
        percent(self.minority_poor as u64, self.minority_households as u64)
    }
}

/// A commune's line: its last year, and its change since the first.
#[derive(Debug, Clone, PartialEq)]
pub struct CommuneLine {
    pub code: String,
    pub name: String,
    pub first: YearFigures,
    pub last: YearFigures,
}

/// An indicator among the poor of the last year.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileLine {
    pub indicator: String,
    pub name_vi: String,
    pub name_en: String,
    pub poor_lacking: i64,
    pub share_of_poor: f64,
}

/// A unit's report.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub unit: UnitCode,
    pub unit_name: String,
    pub years: Vec<YearFigures>,
    pub communes: Vec<CommuneLine>,
    pub profile: Vec<ProfileLine>,
    /// Target decrease of the poverty rate, points a year.
    pub target_points: Option<f64>,
}

impl Report {
    /// (first rate - last rate) / years between, in points a year.
    pub fn average_annual_decrease(&self) -> Option<f64> {
        let (f, l) = (self.years.first()?, self.years.last()?);
        (l.year > f.year).then(|| (f.poor_rate() - l.poor_rate()) / f64::from(l.year - f.year))
    }

    /// The same for ethnic-minority households.
    pub fn minority_average_annual_decrease(&self) -> Option<f64> {
        let (f, l) = (self.years.first()?, self.years.last()?);
        (l.year > f.year)
            .then(|| (f.minority_poor_rate() - l.minority_poor_rate()) / f64::from(l.year - f.year))
    }

    /// Average annual decrease as a percent of the target.
    pub fn target_achievement(&self) -> Option<f64> {
        let t = self.target_points.filter(|t| *t > 0.0)?;
        Some(100.0 * self.average_annual_decrease()? / t)
    }
}

/// Builds a unit's report for `from..=to`: a province or a commune.
pub async fn report(
    store: &Store,
    standards: &Standards,
    unit: &UnitCode,
    from: i32,
    to: i32,
    target_points: Option<f64>,
) -> Result<Option<Report>, StoreError> {
    let Some(unit_name) = unit_name(unit) else {
        return Ok(None);
    };
    let sums = store.summaries(unit, from, to).await?;
    let mut years: BTreeMap<i32, YearFigures> = BTreeMap::new();
    let mut communes: BTreeMap<String, CommuneLine> = BTreeMap::new();
    for s in &sums {
        years.entry(s.year).or_default().add(s);
        let line = communes.entry(s.commune_code.clone()).or_insert_with(|| {
            let mut first = YearFigures::default();
            first.add(s);
            CommuneLine {
                code: s.commune_code.clone(),
                name: s.commune_name.clone(),
                first,
                last: YearFigures::default(),
            }
        });
        line.last = YearFigures::default();
        line.last.add(s);
    }
    let last_year = years.keys().next_back().copied();
    let mut profile = Vec::new();
    if let Some(y) = last_year {
        let of_year: Vec<&CommuneSummary> = sums.iter().filter(|s| s.year == y).collect();
        let poor: i64 = of_year.iter().map(|s| s.poor).sum();
        if let Some(std) = of_year.first().and_then(|s| standards.get(&s.standard)) {
            for (i, ind) in std.indicators.iter().enumerate().take(16) {
                let lacking: i64 = of_year.iter().map(|s| s.lacking_poor[i]).sum();
                profile.push(ProfileLine {
                    indicator: ind.code.clone(),
                    name_vi: ind.name_vi.clone(),
                    name_en: ind.name_en.clone(),
                    poor_lacking: lacking,
                    share_of_poor: percent(lacking as u64, poor as u64),
                });
            }
        }
    }
    Ok(Some(Report {
        unit: *unit,
        unit_name,
        years: years.into_values().collect(),
        communes: communes.into_values().collect(),
        profile,
        target_points,
    }))
}

/// A unit's name in the 2025 list: the province's or the commune's; `None` for no such unit.
pub fn unit_name(unit: &UnitCode) -> Option<String> {
    let cat = Catalogue::builtin();
    match unit {
        UnitCode::Province(p) => cat
            .communes()
            .find(|c| c.province_code == p.as_str())
            .map(|c| c.province_name.clone()),
        UnitCode::Commune(c) => cat.commune(c.as_str()).map(|c| c.name.clone()),
    }
}

/// Reports kept in memory until the registry changes (an import commits): a dashboard then
/// costs one small query for the registry's version instead of reading every summary.
#[derive(Debug, Default)]
pub struct ReportCache {
    entries: std::sync::Mutex<ReportEntries>,
}

#[derive(Debug, Default)]
struct ReportEntries {
    version: (i64, i64),
    years: std::collections::HashMap<UnitCode, Vec<i32>>,
    reports: std::collections::HashMap<(UnitCode, i32, i32), Option<std::sync::Arc<Report>>>,
}

impl ReportCache {
    /// The cache for the registry's current version (emptied when it changed).
    fn current(&self, version: (i64, i64)) -> std::sync::MutexGuard<'_, ReportEntries> {
        let mut e = match self.entries.lock() {
            Ok(e) => e,
            Err(poisoned) => poisoned.into_inner(),
        };
        if e.version != version || e.reports.len() > 10_000 {
            *e = ReportEntries {
                version,
                ..Default::default()
            };
        }
        e
    }

    /// A unit's report for `from..=to` (all its years when not given), without a target.
    pub async fn report(
        &self,
        store: &Store,
        standards: &Standards,
        unit: &UnitCode,
        from: Option<i32>,
        to: Option<i32>,
    ) -> Result<Option<std::sync::Arc<Report>>, StoreError> {
        let version = store.data_version().await?;
        // (each lock is let go before any await)
        let known = self.current(version).years.get(unit).cloned();
        let years = match known {
            Some(y) => y,
            None => {
                let y = store.years_of(unit).await?;
                self.current(version).years.insert(*unit, y.clone());
                y
            }
        };
        let from = from.or(years.first().copied()).unwrap_or(2022);
        let to = to.or(years.last().copied()).unwrap_or(from);
        let key = (*unit, from, to);
        let known = self.current(version).reports.get(&key).cloned();
        if let Some(r) = known {
            return Ok(r);
        }
        let r = report(store, standards, unit, from, to, None)
            .await?
            .map(std::sync::Arc::new);
        self.current(version).reports.insert(key, r.clone());
        Ok(r)
    }
}

fn pts(v: Option<f64>) -> String {
    v.map_or_else(|| "-".to_string(), |v| format!("{v:.2}"))
}

impl Report {
    pub fn to_text(&self) -> String {
        let mut o = String::new();
        let _ = writeln!(o, "{} ({})\n", self.unit_name, self.unit);
        let _ = writeln!(
            o,
            "{:<6}{:>12}{:>10}{:>9}{:>11}{:>9}{:>12}{:>10}{:>14}{:>12}",
            "year",
            "households",
            "poor",
            "rate %",
            "near-poor",
            "rate %",
            "both rate %",
            "change",
            "minority rate",
            "escaped"
        );
        let mut prev: Option<f64> = None;
        for y in &self.years {
            let change = prev.map(|p| y.poor_rate() - p);
            let _ = writeln!(
                o,
                "{:<6}{:>12}{:>10}{:>9.2}{:>11}{:>9.2}{:>12.2}{:>10}{:>14.2}{:>12}",
                y.year,
                y.households,
                y.poor,
                y.poor_rate(),
                y.near_poor,
                y.near_poor_rate(),
                y.poor_and_near_poor_rate(),
                pts(change),
                y.minority_poor_rate(),
                y.escaped
            );
            prev = Some(y.poor_rate());
        }
        let _ = writeln!(
            o,
            "\naverage annual decrease of the poverty rate: {} points (ethnic-minority households: {})",
            pts(self.average_annual_decrease()),
            pts(self.minority_average_annual_decrease())
        );
        if let Some(t) = self.target_points {
            let _ = writeln!(
                o,
                "target {t:.2} points a year: {} % achieved",
                pts(self.target_achievement())
            );
        }
        if !self.profile.is_empty() {
            let _ = writeln!(
                o,
                "\ndeprivations of the poor, {}:",
                self.years.last().map_or(0, |y| y.year)
            );
            for p in &self.profile {
                let _ = writeln!(
                    o,
                    "  {:<20}{:>10}{:>9.2} %",
                    p.indicator, p.poor_lacking, p.share_of_poor
                );
            }
        }
        if self.communes.len() > 1 {
            let _ = writeln!(
                o,
                "\n{:<8}{:<32}{:>12}{:>10}{:>9}{:>10}",
                "commune", "", "households", "poor", "rate %", "change"
            );
            for c in &self.communes {
                let _ = writeln!(
                    o,
                    "{:<8}{:<32}{:>12}{:>10}{:>9.2}{:>10.2}",
                    c.code,
                    c.name,
                    c.last.households,
                    c.last.poor,
                    c.last.poor_rate(),
                    c.last.poor_rate() - c.first.poor_rate()
                );
            }
        }
        o
    }

    /// One row per year of the unit and per commune and year, with a `level` column.
    pub fn to_csv(&self) -> String {
        let mut o = String::from(
            "level,code,name,year,households,poor,poor_rate,near_poor,near_poor_rate,poor_and_near_poor_rate,minority_households,minority_poor,minority_poor_rate\n",
        );
        let line = |o: &mut String, level: &str, code: &str, name: &str, y: &YearFigures| {
            let name = &*giamngheo_survey::cells::inert(name);
            let name = if name.contains([',', '"']) {
                format!("\"{}\"", name.replace('"', "\"\""))
            } else {
                name.to_string()
            };
            let _ = writeln!(
                o,
                "{level},{code},{name},{},{},{},{:.2},{},{:.2},{:.2},{},{},{:.2}",
                y.year,
                y.households,
                y.poor,
                y.poor_rate(),
                y.near_poor,
                y.near_poor_rate(),
                y.poor_and_near_poor_rate(),
                y.minority_households,
                y.minority_poor,
                y.minority_poor_rate()
            );
        };
        for y in &self.years {
            line(&mut o, "unit", self.unit.as_str(), &self.unit_name, y);
        }
        for c in &self.communes {
            line(&mut o, "commune", &c.code, &c.name, &c.first);
            if c.last.year != c.first.year {
                line(&mut o, "commune", &c.code, &c.name, &c.last);
            }
        }
        o
    }

    /// The report as a workbook: the unit's years, its communes, the deprivations of the poor.
    pub fn write_xlsx(&self, path: &std::path::Path) -> Result<(), rust_xlsxwriter::XlsxError> {
        use rust_xlsxwriter::{Format, Workbook};
        let mut wb = Workbook::new();
        let bold = Format::new().set_bold();
        let pct = Format::new().set_num_format("0.00");
        let years = wb.add_worksheet().set_name("years")?;
        let head = [
            "year",
            "households",
            "poor",
            "poor rate %",
            "near-poor",
            "near-poor rate %",
            "poor and near-poor rate %",
            "ethnic-minority households",
            "ethnic-minority poor",
            "ethnic-minority poor rate %",
            "escaped",
            "new poor",
            "fell back",
        ];
        for (c, h) in head.iter().enumerate() {
            years.write_string_with_format(0, c as u16, *h, &bold)?;
        }
        for (r, y) in self.years.iter().enumerate() {
            let r = r as u32 + 1;
            years.write_number(r, 0, f64::from(y.year))?;
            years.write_number(r, 1, y.households as f64)?;
            years.write_number(r, 2, y.poor as f64)?;
            years.write_number_with_format(r, 3, y.poor_rate(), &pct)?;
            years.write_number(r, 4, y.near_poor as f64)?;
            years.write_number_with_format(r, 5, y.near_poor_rate(), &pct)?;
            years.write_number_with_format(r, 6, y.poor_and_near_poor_rate(), &pct)?;
            years.write_number(r, 7, y.minority_households as f64)?;
            years.write_number(r, 8, y.minority_poor as f64)?;
            years.write_number_with_format(r, 9, y.minority_poor_rate(), &pct)?;
            years.write_number(r, 10, y.escaped as f64)?;
            years.write_number(r, 11, y.new_poor as f64)?;
            years.write_number(r, 12, y.fell_back as f64)?;
        }
        let below = self.years.len() as u32 + 2;
        years.write_string_with_format(below, 0, "average annual decrease, points", &bold)?;
        if let Some(d) = self.average_annual_decrease() {
            years.write_number_with_format(below, 3, d, &pct)?;
        }
        if let Some(a) = self.target_achievement() {
            years.write_string_with_format(below + 1, 0, "target achieved %", &bold)?;
            years.write_number_with_format(below + 1, 3, a, &pct)?;
        }
        let communes = wb.add_worksheet().set_name("communes")?;
        for (c, h) in [
            "code",
            "commune",
            "households",
            "poor",
            "poor rate %",
            "change, points",
        ]
        .iter()
        .enumerate()
        {
            communes.write_string_with_format(0, c as u16, *h, &bold)?;
        }
        for (r, c) in self.communes.iter().enumerate() {
            let r = r as u32 + 1;
            communes.write_string(r, 0, &c.code)?;
            communes.write_string(r, 1, &c.name)?;
            communes.write_number(r, 2, c.last.households as f64)?;
            communes.write_number(r, 3, c.last.poor as f64)?;
            communes.write_number_with_format(r, 4, c.last.poor_rate(), &pct)?;
            communes.write_number_with_format(
                r,
                5,
                c.last.poor_rate() - c.first.poor_rate(),
                &pct,
            )?;
        }
        let profile = wb.add_worksheet().set_name("deprivations")?;
        for (c, h) in [
            "indicator",
            "chỉ số",
            "poor lacking it",
            "share of the poor %",
        ]
        .iter()
        .enumerate()
        {
            profile.write_string_with_format(0, c as u16, *h, &bold)?;
        }
        for (r, p) in self.profile.iter().enumerate() {
            let r = r as u32 + 1;
            profile.write_string(r, 0, &p.name_en)?;
            profile.write_string(r, 1, &p.name_vi)?;
            profile.write_number(r, 2, p.poor_lacking as f64)?;
            profile.write_number_with_format(r, 3, p.share_of_poor, &pct)?;
        }
        wb.save(path)
    }

    pub fn to_json(&self) -> Value {
        let year = |y: &YearFigures| {
            json!({
                "year": y.year,
                "households": y.households,
                "poor": y.poor,
                "near_poor": y.near_poor,
                "poor_rate": y.poor_rate(),
                "near_poor_rate": y.near_poor_rate(),
                "poor_and_near_poor_rate": y.poor_and_near_poor_rate(),
                "minority_households": y.minority_households,
                "minority_poor": y.minority_poor,
                "minority_near_poor": y.minority_near_poor,
                "minority_poor_rate": y.minority_poor_rate(),
                "escaped": y.escaped,
                "new_poor": y.new_poor,
                "fell_back": y.fell_back,
                "stayed_poor": y.stayed_poor,
                "poor_to_near_poor": y.poor_to_near_poor,
                "near_poor_to_poor": y.near_poor_to_poor,
                "new_near_poor": y.new_near_poor,
                "stayed_near_poor": y.stayed_near_poor,
            })
        };
        json!({
            "unit": self.unit.as_str(),
            "name": self.unit_name,
            "years": self.years.iter().map(year).collect::<Vec<_>>(),
            "average_annual_decrease": self.average_annual_decrease(),
            "minority_average_annual_decrease": self.minority_average_annual_decrease(),
            "target_points": self.target_points,
            "target_achievement": self.target_achievement(),
            "deprivation_profile": self.profile.iter().map(|p| json!({
                "indicator": p.indicator, "name_vi": p.name_vi, "name_en": p.name_en,
                "poor_lacking": p.poor_lacking, "share_of_poor": p.share_of_poor,
            })).collect::<Vec<_>>(),
            "communes": self.communes.iter().map(|c| json!({
                "code": c.code, "name": c.name, "first": year(&c.first), "last": year(&c.last),
            })).collect::<Vec<_>>(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn year(y: i32, households: i64, poor: i64) -> YearFigures {
        YearFigures {
            year: y,
            households,
            poor,
            ..Default::default()
        }
    }

    #[test]
    fn average_decrease_and_target() {
        let r = Report {
            unit: UnitCode::parse("11").expect("a unit"),
            unit_name: "Điện Biên".into(),
            years: vec![
                year(2022, 1000, 300),
                year(2023, 1000, 260),
                year(2025, 1000, 180),
            ],
            communes: Vec::new(),
            profile: Vec::new(),
            target_points: Some(4.0),
        };
        // (30 - 18) / 3 years = 4 points a year: 100 % of a 4-point target
        assert!((r.average_annual_decrease().expect("decrease") - 4.0).abs() < 1e-9);
        assert!((r.target_achievement().expect("achievement") - 100.0).abs() < 1e-9);
        let one = Report {
            years: vec![year(2025, 10, 1)],
            ..r.clone()
        };
        assert_eq!(one.average_annual_decrease(), None);
        let none = Report {
            target_points: None,
            ..r
        };
        assert_eq!(none.target_achievement(), None);
    }
}
