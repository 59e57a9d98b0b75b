//! The `report` use case: a unit's poverty figures over a span of years, read from the summaries
//! (never from households).

use giamngheo_rules::text::{Lang, Msg};
use giamngheo_rules::UnitCode;
use giamngheo_rules::{msg, percent, Standards};
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
    /// Communes counted, and those of them in their first year in the registry (their
    /// households have no transitions).
    pub communes: i64,
    pub first_assessed_communes: i64,
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
        self.communes += 1;
        self.first_assessed_communes += i64::from(s.first_assessed);
    }

    /// Whether no commune counted had a year before: the year's transitions are unknown, not 0.
    pub fn first_assessed(&self) -> bool {
        self.communes > 0 && self.first_assessed_communes == self.communes
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

/// A label of the report's files, in a language.
fn label(key: &'static str, lang: Lang) -> String {
    Msg::new(key).render(lang)
}

/// A figure that may be missing (a change needs two years): two places in the language, or `-`.
fn pts(v: Option<f64>, lang: Lang) -> String {
    v.map_or_else(|| "-".to_string(), |v| lang.dec2(v))
}

/// Columns of text, each as wide as its widest cell; the first left-aligned, the rest right.
fn columns(o: &mut String, rows: &[Vec<String>]) {
    let n = rows.iter().map(Vec::len).max().unwrap_or(0);
    let width: Vec<usize> = (0..n)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for r in rows {
        let mut line = String::new();
        for (c, cell) in r.iter().enumerate() {
            let pad = width[c].saturating_sub(cell.chars().count());
            if c == 0 {
                line.push_str(cell);
                line.extend(std::iter::repeat_n(' ', pad));
            } else {
                line.extend(std::iter::repeat_n(' ', pad + 2));
                line.push_str(cell);
            }
        }
        let _ = writeln!(o, "{}", line.trim_end());
    }
}

/// The CSV separator of a language: Excel on Vietnamese Windows reads `;` (the comma is its
/// decimal mark), the English file keeps the comma.
pub fn csv_separator(lang: Lang) -> char {
    match lang {
        Lang::Vi => ';',
        Lang::En => ',',
    }
}

/// A CSV field: quoted when it holds the separator, a quote or a line break; a text that a
/// spreadsheet would run as a formula is made inert.
fn csv_field(s: &str, sep: char) -> String {
    let s = &*giamngheo_survey::cells::inert(s);
    if s.contains([sep, '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The byte-order mark a CSV file for a spreadsheet starts with (Excel reads the file as UTF-8
/// only with it).
pub const BOM: &str = "\u{feff}";

impl Report {
    /// The report as text for a terminal, in a language.
    pub fn to_text(&self, lang: Lang) -> String {
        let l = |k| label(k, lang);
        let mut o = String::new();
        let _ = writeln!(o, "{} ({})\n", self.unit_name, self.unit);
        let mut rows = vec![vec![
            l("report_col_year"),
            l("report_col_households"),
            l("report_col_poor"),
            l("report_col_rate"),
            l("report_col_near_poor"),
            l("report_col_rate"),
            l("report_col_both_rate"),
            l("report_col_change"),
            l("report_col_minority_rate"),
            l("report_col_escaped"),
        ]];
        let mut prev: Option<f64> = None;
        for y in &self.years {
            let change = prev.map(|p| y.poor_rate() - p);
            rows.push(vec![
                y.year.to_string(),
                y.households.to_string(),
                y.poor.to_string(),
                lang.dec2(y.poor_rate()),
                y.near_poor.to_string(),
                lang.dec2(y.near_poor_rate()),
                lang.dec2(y.poor_and_near_poor_rate()),
                pts(change, lang),
                lang.dec2(y.minority_poor_rate()),
                y.escaped.to_string(),
            ]);
            prev = Some(y.poor_rate());
        }
        columns(&mut o, &rows);
        let span = |o: &mut String| {
            if let (Some(f), Some(t)) = (self.years.first(), self.years.last()) {
                let _ = write!(o, " ({}–{})", f.year, t.year);
            }
        };
        let _ = write!(o, "\n{}", l("report_avg_decrease"));
        span(&mut o);
        let _ = writeln!(
            o,
            ": {} {} ({}: {})",
            pts(self.average_annual_decrease(), lang),
            l("report_points_a_year"),
            l("report_minority_households"),
            pts(self.minority_average_annual_decrease(), lang)
        );
        if let Some(t) = self.target_points {
            let _ = writeln!(
                o,
                "{}",
                msg!(
                    "report_target_line",
                    target = lang.dec2(t),
                    achieved = pts(self.target_achievement(), lang)
                )
                .render(lang)
            );
        }
        if !self.profile.is_empty() {
            let _ = writeln!(
                o,
                "\n{}, {}:",
                l("report_deprivations_of_poor"),
                self.years.last().map_or(0, |y| y.year)
            );
            let rows: Vec<Vec<String>> = self
                .profile
                .iter()
                .map(|p| {
                    vec![
                        format!("  {}", self.indicator_label(p, lang)),
                        p.poor_lacking.to_string(),
                        lang.pct(p.share_of_poor),
                    ]
                })
                .collect();
            columns(&mut o, &rows);
        }
        if self.communes.len() > 1 {
            o.push('\n');
            let mut rows = vec![vec![
                l("report_col_code"),
                l("report_col_commune"),
                l("report_col_households"),
                l("report_col_poor"),
                l("report_col_rate"),
                self.change_label(lang),
            ]];
            for c in &self.communes {
                rows.push(vec![
                    c.code.clone(),
                    c.name.clone(),
                    c.last.households.to_string(),
                    c.last.poor.to_string(),
                    lang.dec2(c.last.poor_rate()),
                    lang.dec2(c.last.poor_rate() - c.first.poor_rate()),
                ]);
            }
            columns(&mut o, &rows);
        }
        o
    }

    /// An indicator's name in a language.
    fn indicator_label<'a>(&self, p: &'a ProfileLine, lang: Lang) -> &'a str {
        match lang {
            Lang::Vi => &p.name_vi,
            Lang::En => &p.name_en,
        }
    }

    /// "Change of the poverty rate, points, 2022–2026": the change of the communes' table says
    /// over which years.
    fn change_label(&self, lang: Lang) -> String {
        match (self.years.first(), self.years.last()) {
            (Some(f), Some(t)) if t.year > f.year => {
                msg!("report_col_change_span", from = f.year, to = t.year).render(lang)
            }
            _ => label("report_col_change_points", lang),
        }
    }

    /// One row per year of the unit and per commune and year, with a level column; in the
    /// language's labels, separator and decimal mark (without the [`BOM`]: a file for a
    /// spreadsheet starts with it).
    pub fn to_csv(&self, lang: Lang) -> String {
        let sep = csv_separator(lang);
        let l = |k| label(k, lang);
        let head = [
            l("report_col_level"),
            l("report_col_code"),
            l("report_col_name"),
            l("report_col_year"),
            l("report_col_households"),
            l("report_col_poor"),
            l("report_col_poor_rate"),
            l("report_col_near_poor"),
            l("report_col_near_poor_rate"),
            l("report_col_both_rate"),
            l("report_col_minority_households"),
            l("report_col_minority_poor"),
            l("report_col_minority_poor_rate"),
        ];
        let mut o = String::new();
        let joined: Vec<String> = head.iter().map(|h| csv_field(h, sep)).collect();
        let _ = writeln!(o, "{}", joined.join(&sep.to_string()));
        let line = |o: &mut String, level: &str, code: &str, name: &str, y: &YearFigures| {
            let cells = [
                csv_field(level, sep),
                csv_field(code, sep),
                csv_field(name, sep),
                y.year.to_string(),
                y.households.to_string(),
                y.poor.to_string(),
                csv_field(&lang.dec2(y.poor_rate()), sep),
                y.near_poor.to_string(),
                csv_field(&lang.dec2(y.near_poor_rate()), sep),
                csv_field(&lang.dec2(y.poor_and_near_poor_rate()), sep),
                y.minority_households.to_string(),
                y.minority_poor.to_string(),
                csv_field(&lang.dec2(y.minority_poor_rate()), sep),
            ];
            let _ = writeln!(o, "{}", cells.join(&sep.to_string()));
        };
        let (unit_level, commune_level) = (l("report_level_unit"), l("report_level_commune"));
        for y in &self.years {
            line(&mut o, &unit_level, self.unit.as_str(), &self.unit_name, y);
        }
        for c in &self.communes {
            line(&mut o, &commune_level, &c.code, &c.name, &c.first);
            if c.last.year != c.first.year {
                line(&mut o, &commune_level, &c.code, &c.name, &c.last);
            }
        }
        o
    }

    /// The report as a workbook in a language: the unit's years, its communes, the deprivations
    /// of the poor, each sheet with a title line (the unit and the years) above its table.
    pub fn write_xlsx(
        &self,
        path: &std::path::Path,
        lang: Lang,
    ) -> Result<(), rust_xlsxwriter::XlsxError> {
        use rust_xlsxwriter::{Format, Workbook};
        let l = |k| label(k, lang);
        let mut wb = Workbook::new();
        let bold = Format::new().set_bold().set_text_wrap();
        let pct = Format::new().set_num_format("0.00");
        let years = wb.add_worksheet().set_name(l("report_sheet_years"))?;
        let head = [
            l("report_col_year"),
            l("report_col_households"),
            l("report_col_poor"),
            l("report_col_poor_rate"),
            l("report_col_near_poor"),
            l("report_col_near_poor_rate"),
            l("report_col_both_rate"),
            l("report_col_minority_households"),
            l("report_col_minority_poor"),
            l("report_col_minority_poor_rate"),
            l("report_col_escaped"),
            l("report_col_new_poor"),
            l("report_col_fell_back"),
        ];
        for (c, h) in head.iter().enumerate() {
            years.write_string_with_format(0, c as u16, h, &bold)?;
            years.set_column_width(c as u16, if c == 0 { 8 } else { 14 })?;
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
        years.set_freeze_panes(1, 1)?;
        let below = self.years.len() as u32 + 2;
        years.write_string(below, 0, format!("{} ({})", self.unit_name, self.unit))?;
        let mut avg = l("report_avg_decrease");
        if let (Some(f), Some(t)) = (self.years.first(), self.years.last()) {
            avg = format!(
                "{avg} ({}–{}), {}",
                f.year,
                t.year,
                l("report_points_a_year")
            );
        }
        years.write_string_with_format(below + 1, 0, &avg, &Format::new().set_bold())?;
        if let Some(d) = self.average_annual_decrease() {
            years.write_number_with_format(below + 1, 3, d, &pct)?;
        }
        if let Some(a) = self.target_achievement() {
            years.write_string_with_format(
                below + 2,
                0,
                l("report_target_achieved"),
                &Format::new().set_bold(),
            )?;
            years.write_number_with_format(below + 2, 3, a, &pct)?;
        }
        let communes = wb.add_worksheet().set_name(l("report_sheet_communes"))?;
        let head = [
            l("report_col_code"),
            l("report_col_commune"),
            l("report_col_households"),
            l("report_col_poor"),
            l("report_col_poor_rate"),
            self.change_label(lang),
        ];
        for (c, h) in head.iter().enumerate() {
            communes.write_string_with_format(0, c as u16, h, &bold)?;
            communes.set_column_width(c as u16, [8, 28, 12, 12, 14, 20][c])?;
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
        communes.set_freeze_panes(1, 2)?;
        let profile = wb
            .add_worksheet()
            .set_name(l("report_sheet_deprivations"))?;
        let head = [
            l("report_col_indicator"),
            l("report_col_poor_lacking"),
            l("report_col_share_of_poor"),
        ];
        for (c, h) in head.iter().enumerate() {
            profile.write_string_with_format(0, c as u16, h, &bold)?;
            profile.set_column_width(c as u16, [40, 16, 16][c])?;
        }
        for (r, p) in self.profile.iter().enumerate() {
            let r = r as u32 + 1;
            profile.write_string(r, 0, self.indicator_label(p, lang))?;
            profile.write_number(r, 1, p.poor_lacking as f64)?;
            profile.write_number_with_format(r, 2, p.share_of_poor, &pct)?;
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
                "communes": y.communes,
                "first_assessed_communes": y.first_assessed_communes,
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
