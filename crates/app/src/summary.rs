//! Summaries of classified households: class counts and rates by area, and Alkire-Foster figures,
//! per standard.

use giamngheo_rules::{percent, AlkireFoster, Area, Assessment, Class, ClassCounts, Standard};
use serde_json::{json, Value};
use std::fmt::Write;

/// Figures for the households of one standard.
#[derive(Debug, Clone)]
pub struct StandardSummary {
    pub standard_id: String,
    pub legal_basis: String,
    pub indicators: Vec<String>,
    /// Index 0 urban, 1 rural.
    pub counts: [ClassCounts; 2],
    pub af: [AlkireFoster; 2],
}

impl StandardSummary {
    pub fn new(std: &Standard, k: u32) -> Self {
        let d = std.indicators.len();
        StandardSummary {
            standard_id: std.id.clone(),
            legal_basis: std.legal_basis.clone(),
            indicators: std.indicators.iter().map(|i| i.code.clone()).collect(),
            counts: [ClassCounts::default(); 2],
            af: [AlkireFoster::new(d, k), AlkireFoster::new(d, k)],
        }
    }

    pub fn add(&mut self, a: &Assessment) {
        let i = area_index(a.area);
        self.counts[i].add(a);
        self.af[i].add(a.deprived);
    }

    pub fn total_counts(&self) -> ClassCounts {
        let mut c = self.counts[0];
        c.merge(&self.counts[1]);
        c
    }

    pub fn total_af(&self) -> AlkireFoster {
        let mut a = self.af[0].clone();
        a.merge(&self.af[1]);
        a
    }
}

fn area_index(a: Area) -> usize {
    match a {
        Area::Urban => 0,
        Area::Rural => 1,
    }
}

/// Summaries of a run, one per standard met, in the order first met.
#[derive(Debug, Clone, Default)]
pub struct SurveySummary {
    pub k: u32,
    pub standards: Vec<StandardSummary>,
}

impl SurveySummary {
    pub fn new(k: u32) -> Self {
        SurveySummary {
            k,
            standards: Vec::new(),
        }
    }

    pub fn add(&mut self, std: &Standard, a: &Assessment) {
        let pos = match self.standards.iter().position(|s| s.standard_id == std.id) {
            Some(p) => p,
            None => {
                self.standards.push(StandardSummary::new(std, self.k));
                self.standards.len() - 1
            }
        };
        self.standards[pos].add(a);
    }

    /// The summary as a JSON document.
    pub fn to_json(&self) -> Value {
        let per_area = |c: &ClassCounts, af: &AlkireFoster, names: &[String]| {
            json!({
                "households": c.households,
                "poor": c.poor,
                "near_poor": c.near_poor,
                "average": c.average,
                "not_poor": c.not_poor,
                "poor_rate": c.rate(Class::Poor),
                "near_poor_rate": c.rate(Class::NearPoor),
                "poor_and_near_poor_rate": c.poor_and_near_poor_rate(),
                "average_rate": c.rate(Class::Average),
                "without_working_capacity": c.without_working_capacity,
                "alkire_foster": {
                    "k": af.k,
                    "indicators": af.d,
                    "multidimensionally_poor": af.multidim_poor,
                    "h": af.h(),
                    "a": af.a(),
                    "m0": af.m0(),
                    "by_indicator": names.iter().enumerate().map(|(i, n)| json!({
                        "indicator": n,
                        "uncensored": af.uncensored[i],
                        "uncensored_ratio": af.uncensored_ratio(i),
                        "censored": af.censored[i],
                        "censored_ratio": af.censored_ratio(i),
                        "contribution": af.contribution(i),
                    })).collect::<Vec<_>>(),
                }
            })
        };
        Value::Array(
            self.standards
                .iter()
                .map(|s| {
                    json!({
                        "standard": s.standard_id,
                        "urban": per_area(&s.counts[0], &s.af[0], &s.indicators),
                        "rural": per_area(&s.counts[1], &s.af[1], &s.indicators),
                        "all": per_area(&s.total_counts(), &s.total_af(), &s.indicators),
                    })
                })
                .collect(),
        )
    }

    /// The summary as a plain-text report.
    pub fn to_text(&self) -> String {
        let mut o = String::new();
        if self.standards.is_empty() {
            o.push_str("No household was classified.\n");
        }
        for s in &self.standards {
            let all = s.total_counts();
            let cols = [s.counts[0], s.counts[1], all];
            let _ = writeln!(
                o,
                "Standard {} ({}): {} households\n",
                s.standard_id,
                s.legal_basis,
                group(all.households)
            );
            let _ = writeln!(o, "{:<38}{:>22}{:>22}{:>22}", "", "urban", "rural", "all");
            let row = |o: &mut String, label: &str, f: &dyn Fn(&ClassCounts) -> (u64, f64)| {
                let _ = write!(o, "{label:<38}");
                for c in &cols {
                    let (n, r) = f(c);
                    let _ = write!(o, "{:>22}", format!("{} ({:.2} %)", group(n), r));
                }
                o.push('\n');
            };
            let _ = write!(o, "{:<38}", "households");
            for c in &cols {
                let _ = write!(o, "{:>22}", group(c.households));
            }
            o.push('\n');
            row(&mut o, "poor", &|c| (c.poor, c.rate(Class::Poor)));
            row(&mut o, "near-poor", &|c| {
                (c.near_poor, c.rate(Class::NearPoor))
            });
            row(&mut o, "poor and near-poor", &|c| {
                (c.poor + c.near_poor, c.poor_and_near_poor_rate())
            });
            row(&mut o, "average living standard", &|c| {
                (c.average, c.rate(Class::Average))
            });
            row(&mut o, "not poor", &|c| {
                (c.not_poor, c.rate(Class::NotPoor))
            });
            row(&mut o, "poor/near-poor w/o working capacity", &|c| {
                (
                    c.without_working_capacity,
                    percent(c.without_working_capacity, c.households),
                )
            });

            let afs = [&s.af[0], &s.af[1], &s.total_af()];
            let total_af = s.total_af();
            let _ = writeln!(
                o,
                "\nAlkire-Foster, k = {} of {} indicators, equal weights{:>14}{:>22}{:>22}",
                self.k,
                s.indicators.len(),
                "urban",
                "rural",
                "all"
            );
            let _ = writeln!(
                o,
                "{:<38}{:>22}{:>22}{:>22}",
                "H (headcount ratio)",
                pct(afs[0].h()),
                pct(afs[1].h()),
                pct(total_af.h())
            );
            let _ = writeln!(
                o,
                "{:<38}{:>22}{:>22}{:>22}",
                "A (intensity)",
                pct(afs[0].a()),
                pct(afs[1].a()),
                pct(total_af.a())
            );
            let _ = writeln!(
                o,
                "{:<38}{:>22.4}{:>22.4}{:>22.4}",
                "M0 (adjusted headcount ratio)",
                afs[0].m0(),
                afs[1].m0(),
                total_af.m0()
            );
            let _ = writeln!(
                o,
                "\n{:<38}{:>22}{:>22}{:>22}",
                "indicator (all households)", "uncensored", "censored", "contribution to M0"
            );
            for (i, name) in s.indicators.iter().enumerate() {
                let _ = writeln!(
                    o,
                    "{name:<38}{:>22}{:>22}{:>22}",
                    format!(
                        "{} ({})",
                        group(total_af.uncensored[i]),
                        pct(total_af.uncensored_ratio(i))
                    ),
                    format!(
                        "{} ({})",
                        group(total_af.censored[i]),
                        pct(total_af.censored_ratio(i))
                    ),
                    pct(total_af.contribution(i)),
                );
            }
            o.push('\n');
        }
        o
    }
}

fn pct(r: f64) -> String {
    format!("{:.2} %", r * 100.0)
}

/// 1234567 -> "1,234,567".
fn group(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::group;

    #[test]
    fn grouping() {
        assert_eq!(group(0), "0");
        assert_eq!(group(999), "999");
        assert_eq!(group(1000), "1,000");
        assert_eq!(group(1234567), "1,234,567");
    }
}
