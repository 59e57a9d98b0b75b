//! Reported figures checked against the validation rules (`programs/validation-rules.toml`): a
//! file of a unit's stated figures (CSV, or the sheet `so_lieu` of a workbook), one row a unit
//! (`unit_code`, a province or a commune of 2025) and a column a figure. A province's row is
//! checked with the rows of its communes as its parts; each violated rule is told with both
//! sides' values and the rows and columns they come from.

use crate::money::Row;
use crate::registry::QueryError;
use giamngheo_rules::validation::{Figures, ValidationRule, ValidationRules};
use giamngheo_rules::{msg, Decimal, Msg, UnitCode};
use giamngheo_survey::{Catalogue, RowError};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;

/// The sheet a workbook keeps stated figures in.
pub const FIGURES_SHEET: &str = "so_lieu";

/// A rule a file's figures break, where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub rule: ValidationRule,
    pub unit: String,
    /// The unit's row in the file.
    pub row: u64,
    pub left: Decimal,
    pub right: Decimal,
    /// The cells its sides come from: `row N, column` (a sum: the rows of the unit's parts).
    pub cells: Vec<String>,
}

impl Found {
    /// The violation in words: the rule's name, then each side with its value.
    pub fn message(&self) -> Msg {
        msg!(
            "check_violation",
            left = &self.rule.left_text,
            left_value = self.left.normalize(),
            op = self.rule.op.symbol(),
            right = &self.rule.right_text,
            right_value = self.right.normalize(),
            cells = self.cells.join("; ")
        )
        .named("rule", &self.rule.name_vi, &self.rule.name_en)
    }
}

/// The figures the rules read, each a column a file may have.
pub fn figure_columns(rules: &ValidationRules) -> Vec<String> {
    let mut names = BTreeSet::new();
    for r in &rules.rules {
        r.left.figures(&mut names);
        r.right.figures(&mut names);
    }
    names
        .into_iter()
        .map(|n| n.strip_prefix("children.").map(str::to_string).unwrap_or(n))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// Checks a file of stated figures: its rows' errors (a unit unknown or twice, a figure that is
/// no number), or every rule its figures break.
pub fn check_file(path: &Path, rules: &ValidationRules) -> Result<Vec<Found>, QueryError> {
    let figures = figure_columns(rules);
    let mut columns: Vec<&str> = vec!["unit_code", "unit_name", "note"];
    columns.extend(figures.iter().map(String::as_str));
    let (name, rows) = crate::money::read_rows_with(path, FIGURES_SHEET, &columns, &["unit_code"])
        .map_err(QueryError::Rejected)?;
    check_rows(&name, &rows, rules)
}

/// Checks rows of stated figures (as `check_file` reads them).
pub fn check_rows(
    name: &Arc<str>,
    rows: &[Row],
    rules: &ValidationRules,
) -> Result<Vec<Found>, QueryError> {
    let cat = Catalogue::builtin();
    let mut bad = Vec::new();
    // each unit's figures and its row
    let mut units: BTreeMap<String, (u64, Figures)> = BTreeMap::new();
    for row in rows {
        let code = row.cells.get("unit_code").map(|s| s.trim()).unwrap_or("");
        let level = match UnitCode::parse(code) {
            Some(UnitCode::Province(_)) => "province",
            Some(UnitCode::Commune(_)) if cat.commune(code).is_some() => "commune",
            _ => {
                bad.push(RowError::new(
                    name,
                    row.number,
                    "unit_code",
                    msg!("money_unit_unknown", unit = code),
                ));
                continue;
            }
        };
        let mut values = BTreeMap::new();
        for (column, v) in &row.cells {
            let v = v.trim();
            if matches!(column.as_str(), "unit_code" | "unit_name" | "note")
                || column.starts_with("x_")
                || v.is_empty()
            {
                continue;
            }
            match Decimal::from_str(&v.replace(',', ".")) {
                Ok(d) => {
                    values.insert(column.clone(), d);
                }
                Err(_) => bad.push(RowError::new(
                    name,
                    row.number,
                    column,
                    msg!("check_not_a_number", value = v),
                )),
            }
        }
        let figures = Figures {
            unit: code.to_string(),
            level: level.into(),
            values,
            children: Vec::new(),
        };
        if let Some((first, _)) = units.insert(code.to_string(), (row.number, figures)) {
            bad.push(RowError::new(
                name,
                row.number,
                "unit_code",
                msg!("check_unit_twice", unit = code, row = first),
            ));
        }
    }
    if !bad.is_empty() {
        return Err(QueryError::Rejected(bad));
    }
    // a province's communes in the file are its parts
    let mut parts: BTreeMap<String, Vec<(u64, Figures)>> = BTreeMap::new();
    for (code, (row, f)) in &units {
        if f.level == "commune" {
            if let Some(c) = cat.commune(code) {
                parts
                    .entry(c.province_code.clone())
                    .or_default()
                    .push((*row, f.clone()));
            }
        }
    }
    let mut out = Vec::new();
    for (code, (row, f)) in &units {
        let mut unit = f.clone();
        let children = parts.get(code).cloned().unwrap_or_default();
        unit.children = children.iter().map(|(_, f)| f.clone()).collect();
        for r in &rules.rules {
            let Some(v) = r.broken(&unit) else {
                continue;
            };
            let cells = v
                .figures
                .iter()
                .map(|fig| match fig.strip_prefix("children.") {
                    Some(f) => {
                        let rows: Vec<String> =
                            children.iter().map(|(n, _)| n.to_string()).collect();
                        format!("{f} ({})", rows.join(", "))
                    }
                    None => format!("{fig} ({row})"),
                })
                .collect();
            out.push(Found {
                rule: r.clone(),
                unit: code.clone(),
                row: *row,
                left: v.left,
                right: v.right,
                cells,
            });
        }
    }
    out.sort_by_key(|f| (f.row, f.rule.code.clone()));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(number: u64, cells: &[(&str, &str)]) -> Row {
        Row {
            number,
            cells: cells
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    #[test]
    fn a_province_is_checked_with_its_communes_as_parts_and_every_cell_is_named() {
        let rules = ValidationRules::builtin().expect("rules");
        let name: Arc<str> = "bao-cao.csv".into();
        let rows = [
            row(
                2,
                &[
                    ("unit_code", "11"),
                    ("households", "300"),
                    ("poor", "40"),
                    ("poor_rate", "13,33"),
                ],
            ),
            row(
                3,
                &[
                    ("unit_code", "03325"),
                    ("households", "100"),
                    ("poor", "10"),
                    ("poor_rate", "10"),
                ],
            ),
            row(
                4,
                &[
                    ("unit_code", "03328"),
                    ("households", "200"),
                    ("poor", "31"),
                    ("poor_rate", "15.50"),
                ],
            ),
        ];
        let found = check_rows(&name, &rows, &rules).expect("checked");
        let got: Vec<(u64, &str)> = found
            .iter()
            .map(|f| (f.row, f.rule.code.as_str()))
            .collect();
        // 40 is not 10 + 31; 31 of 200 is 15.5 % (kept); 40 of 300 is 13.333… % (kept)
        assert_eq!(got, [(2, "poor_sum_of_communes")]);
        let f = &found[0];
        assert_eq!((f.left, f.right), (Decimal::from(40), Decimal::from(41)));
        assert_eq!(f.cells, ["poor (3, 4)", "poor (2)"]);
        let text = f.message().render(giamngheo_rules::Lang::Vi);
        assert!(
            text.contains("Số hộ nghèo của tỉnh bằng tổng của các xã"),
            "{text}"
        );
        assert!(text.contains("40") && text.contains("41"), "{text}");
        // a stated rate off its rounding
        let rows = [row(
            2,
            &[
                ("unit_code", "03325"),
                ("households", "3"),
                ("poor", "1"),
                ("poor_rate", "33.34"),
            ],
        )];
        let found = check_rows(&name, &rows, &rules).expect("checked");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].rule.code, "poor_rate_stated");
    }

    #[test]
    fn bad_rows_are_named_and_nothing_is_checked() {
        let rules = ValidationRules::builtin().expect("rules");
        let name: Arc<str> = "bao-cao.csv".into();
        let rows = [
            row(2, &[("unit_code", "99999"), ("poor", "1")]),
            row(3, &[("unit_code", "03325"), ("poor", "mười")]),
            row(4, &[("unit_code", "03328"), ("poor", "1")]),
            row(5, &[("unit_code", "03328"), ("poor", "2")]),
        ];
        let Err(QueryError::Rejected(errors)) = check_rows(&name, &rows, &rules) else {
            panic!("refused")
        };
        let at: Vec<(u64, &str)> = errors.iter().map(|e| (e.row, e.column.as_str())).collect();
        assert_eq!(at, [(2, "unit_code"), (3, "poor"), (5, "unit_code")]);
    }
}
