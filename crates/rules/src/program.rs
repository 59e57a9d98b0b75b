//! The National Target Program's structure as data, like the standards: a catalogue file per
//! programme period (`programs/*.toml`: its projects and sub-projects, with the capital each may
//! receive) and the funding sources (`programs/funding-sources.toml`). A new programme is a new
//! file. Money is planned and paid against an item: a project without sub-projects, or a
//! sub-project (`DA3.TDA1`); a project with sub-projects is their total.

use crate::{msg, Msg};
use chrono::NaiveDate;
use serde::Deserialize;

const SOURCES: &str = include_str!("../../../programs/funding-sources.toml");
const BUILTIN: [(&str, &str); 2] = [
    (
        "programs/ntp-giam-ngheo-2021-2025.toml",
        include_str!("../../../programs/ntp-giam-ngheo-2021-2025.toml"),
    ),
    (
        "programs/ntp-2026-2035.toml",
        include_str!("../../../programs/ntp-2026-2035.toml"),
    ),
];

/// The kind of capital a source carries and an item may receive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Capital {
    /// Vốn đầu tư phát triển.
    Investment,
    /// Vốn sự nghiệp.
    Recurrent,
    /// Credit, mobilised funds, the household's counterpart: any item may receive it.
    Other,
}

impl Capital {
    pub fn code(self) -> &'static str {
        match self {
            Capital::Investment => "investment",
            Capital::Recurrent => "recurrent",
            Capital::Other => "other",
        }
    }
}

/// A funding source (nguồn vốn).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FundingSource {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub capital: Capital,
    /// A source of the state budget, which plans are made of.
    pub budget: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
struct SubFile {
    code: String,
    name_vi: String,
    name_en: String,
    #[serde(default)]
    capital: Option<Vec<Capital>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProjectFile {
    code: String,
    name_vi: String,
    name_en: String,
    capital: Vec<Capital>,
    #[serde(default)]
    sub: Vec<SubFile>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Years {
    pub from: i32,
    pub to: i32,
}

/// When a programme's capital may be paid: a budget year's plan until a day of the year after
/// it, and capital of one year extended, keeping its origin, into a few later budget years.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MoneyRules {
    /// The last day (month and day) of the year after the budget year that its plan is paid on.
    pub pay_until: MonthDay,
    /// How many budget years after its origin year capital may still be planned and paid.
    pub extended_years: i32,
}

/// A day of a year, without the year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MonthDay {
    pub month: u32,
    pub day: u32,
}

impl MoneyRules {
    /// The first and the last day a payment of `budget_year`'s plan may be made.
    pub fn payment_days(&self, budget_year: i32) -> Option<(NaiveDate, NaiveDate)> {
        Some((
            NaiveDate::from_ymd_opt(budget_year, 1, 1)?,
            NaiveDate::from_ymd_opt(budget_year + 1, self.pay_until.month, self.pay_until.day)?,
        ))
    }

    /// Whether capital of `origin` may be planned or paid in `budget_year`.
    pub fn carries(&self, origin: i32, budget_year: i32) -> bool {
        origin <= budget_year && budget_year - origin <= self.extended_years
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProgramFile {
    id: String,
    name_vi: String,
    name_en: String,
    legal_basis: String,
    years: Years,
    money: MoneyRules,
    #[serde(rename = "project")]
    projects: Vec<ProjectFile>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
struct SourcesFile {
    #[serde(rename = "source")]
    sources: Vec<FundingSource>,
}

/// What money is planned and paid against, or a project's total of its sub-projects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// `DA2`, or `DA3.TDA1` for a sub-project.
    pub code: String,
    /// The project's code (`DA3`).
    pub project: String,
    pub name_vi: String,
    pub name_en: String,
    /// The capital it may receive (a sub-project's own, or its project's).
    pub capital: Vec<Capital>,
    /// Money is recorded against it (a project without sub-projects, or a sub-project); a
    /// project with sub-projects is only their total.
    pub leaf: bool,
}

/// A programme period: its items in the catalogue's order (each project, then its
/// sub-projects).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Program {
    pub id: String,
    pub name_vi: String,
    pub name_en: String,
    pub legal_basis: String,
    /// The years whose capital it holds (a plan's origin year).
    pub years: Years,
    /// When its capital may be paid.
    pub money: MoneyRules,
    pub items: Vec<Item>,
}

impl Program {
    /// An item by its code, written as the catalogue writes it or in any case (`da3.tda1`).
    pub fn item(&self, code: &str) -> Option<&Item> {
        let code = code.trim();
        self.items
            .iter()
            .find(|i| i.code.eq_ignore_ascii_case(code))
    }

    /// The items money is recorded against.
    pub fn leaves(&self) -> impl Iterator<Item = &Item> {
        self.items.iter().filter(|i| i.leaf)
    }

    /// A project's sub-projects (none for a project without them).
    pub fn parts<'a>(&'a self, project: &'a Item) -> impl Iterator<Item = &'a Item> + 'a {
        self.items
            .iter()
            .filter(move |i| !project.leaf && i.leaf && i.project == project.code)
    }
}

/// Why a catalogue file was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgramError {
    pub file: String,
    pub reason: String,
}

impl std::fmt::Display for ProgramError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.file, self.reason)
    }
}

impl std::error::Error for ProgramError {}

fn invalid(file: &str, reason: impl Into<String>) -> ProgramError {
    ProgramError {
        file: file.to_string(),
        reason: reason.into(),
    }
}

/// Every programme period this build knows, and the funding sources.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Programs {
    pub programs: Vec<Program>,
    pub sources: Vec<FundingSource>,
}

impl Programs {
    /// The catalogues as this build carries them.
    pub fn builtin() -> Result<Programs, ProgramError> {
        Programs::parse(("programs/funding-sources.toml", SOURCES), &BUILTIN)
    }

    /// Reads the sources' file and each programme's file; checks codes are unique, names given,
    /// capital kinds an item may receive (investment, recurrent; a sub-project's within its
    /// project's), and that programme periods neither overlap nor run backwards.
    pub fn parse(
        (sources_file, sources): (&str, &str),
        files: &[(&str, &str)],
    ) -> Result<Programs, ProgramError> {
        let s: SourcesFile =
            toml::from_str(sources).map_err(|e| invalid(sources_file, e.to_string()))?;
        let mut seen = std::collections::HashSet::new();
        for src in &s.sources {
            if !seen.insert(src.code.clone()) {
                return Err(invalid(
                    sources_file,
                    format!("source `{}` twice", src.code),
                ));
            }
            if src.name_vi.trim().is_empty() || src.name_en.trim().is_empty() {
                return Err(invalid(
                    sources_file,
                    format!("source `{}` has no name", src.code),
                ));
            }
            if src.budget && src.capital == Capital::Other {
                return Err(invalid(
                    sources_file,
                    format!("budget source `{}` carries no capital kind", src.code),
                ));
            }
        }
        let mut programs = Vec::new();
        for (file, text) in files {
            programs.push(program(file, text)?);
        }
        programs.sort_by_key(|p| p.years.from);
        for w in programs.windows(2) {
            if w[0].years.to >= w[1].years.from {
                return Err(invalid(
                    files.first().map(|f| f.0).unwrap_or_default(),
                    format!("programmes `{}` and `{}` overlap", w[0].id, w[1].id),
                ));
            }
        }
        Ok(Programs {
            programs,
            sources: s.sources,
        })
    }

    pub fn get(&self, id: &str) -> Option<&Program> {
        self.programs.iter().find(|p| p.id == id)
    }

    /// The programme whose capital a year's plan is (its origin year).
    pub fn for_year(&self, year: i32) -> Option<&Program> {
        self.programs
            .iter()
            .find(|p| p.years.from <= year && year <= p.years.to)
    }

    pub fn source(&self, code: &str) -> Option<&FundingSource> {
        let code = code.trim();
        self.sources
            .iter()
            .find(|s| s.code.eq_ignore_ascii_case(code))
    }

    /// Whether `item` may receive money from `source`: a source of credit, mobilised funds or
    /// the households' counterpart goes to any item; a budget source only to an item that
    /// takes its kind of capital.
    pub fn accepts(&self, item: &Item, source: &FundingSource) -> Result<(), Msg> {
        if source.capital == Capital::Other || item.capital.contains(&source.capital) {
            return Ok(());
        }
        Err(msg!(
            "money_capital_refused",
            item = &item.code,
            source = &source.code,
            capital = source.capital.code()
        ))
    }
}

fn program(file: &str, text: &str) -> Result<Program, ProgramError> {
    let f: ProgramFile = toml::from_str(text).map_err(|e| invalid(file, e.to_string()))?;
    if f.years.from > f.years.to {
        return Err(invalid(file, "years run backwards"));
    }
    let m = f.money;
    // a day every year has (no 29 February), and an extension of a few years at most
    if NaiveDate::from_ymd_opt(2001, m.pay_until.month, m.pay_until.day).is_none() {
        return Err(invalid(file, "money.pay_until is no day of a year"));
    }
    if !(0..=10).contains(&m.extended_years) {
        return Err(invalid(file, "money.extended_years is not 0 to 10"));
    }
    let named = |code: &str, vi: &str, en: &str| {
        if code.trim().is_empty() || code.contains('.') || code.contains(char::is_whitespace) {
            return Err(invalid(
                file,
                format!("`{code}` is no code (letters and digits)"),
            ));
        }
        if vi.trim().is_empty() || en.trim().is_empty() {
            return Err(invalid(file, format!("`{code}` has no name")));
        }
        Ok(())
    };
    let kinds = |code: &str, capital: &[Capital]| {
        if capital.is_empty() || capital.contains(&Capital::Other) {
            return Err(invalid(
                file,
                format!("`{code}` receives investment or recurrent capital, or both"),
            ));
        }
        Ok(())
    };
    let mut items = Vec::new();
    for p in &f.projects {
        named(&p.code, &p.name_vi, &p.name_en)?;
        kinds(&p.code, &p.capital)?;
        if items.iter().any(|i: &Item| i.project == p.code) {
            return Err(invalid(file, format!("project `{}` twice", p.code)));
        }
        items.push(Item {
            code: p.code.clone(),
            project: p.code.clone(),
            name_vi: p.name_vi.clone(),
            name_en: p.name_en.clone(),
            capital: p.capital.clone(),
            leaf: p.sub.is_empty(),
        });
        for s in &p.sub {
            named(&s.code, &s.name_vi, &s.name_en)?;
            let code = format!("{}.{}", p.code, s.code);
            let capital = s.capital.clone().unwrap_or_else(|| p.capital.clone());
            kinds(&code, &capital)?;
            if let Some(c) = capital.iter().find(|c| !p.capital.contains(c)) {
                return Err(invalid(
                    file,
                    format!(
                        "`{code}` receives {} capital, which its project does not",
                        c.code()
                    ),
                ));
            }
            if items.iter().any(|i: &Item| i.code == code) {
                return Err(invalid(file, format!("sub-project `{code}` twice")));
            }
            items.push(Item {
                code,
                project: p.code.clone(),
                name_vi: s.name_vi.clone(),
                name_en: s.name_en.clone(),
                capital,
                leaf: true,
            });
        }
    }
    if items.is_empty() {
        return Err(invalid(file, "no project"));
    }
    Ok(Program {
        id: f.id,
        name_vi: f.name_vi,
        name_en: f.name_en,
        legal_basis: f.legal_basis,
        years: f.years,
        money: f.money,
        items,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builtin() -> Programs {
        Programs::builtin().expect("catalogues")
    }

    #[test]
    fn the_2021_2025_programme_has_its_seven_projects_and_their_sub_projects() {
        let all = builtin();
        let p = all.get("ntp-giam-ngheo-2021-2025").expect("programme");
        let projects: Vec<&str> = p
            .items
            .iter()
            .filter(|i| i.code == i.project)
            .map(|i| i.code.as_str())
            .collect();
        assert_eq!(projects, ["DA1", "DA2", "DA3", "DA4", "DA5", "DA6", "DA7"]);
        let leaves: Vec<&str> = p.leaves().map(|i| i.code.as_str()).collect();
        assert_eq!(
            leaves,
            [
                "DA1.TDA1", "DA1.TDA2", "DA2", "DA3.TDA1", "DA3.TDA2", "DA4.TDA1", "DA4.TDA2",
                "DA4.TDA3", "DA5", "DA6.TDA1", "DA6.TDA2", "DA7.TDA1", "DA7.TDA2"
            ]
        );
        let da4 = p.item("da4").expect("DA4");
        assert!(!da4.leaf);
        assert_eq!(p.parts(da4).count(), 3);
        assert_eq!(
            p.item("DA4.TDA2").map(|i| i.capital.clone()),
            Some(vec![Capital::Recurrent])
        );
        // a sub-project without its own capital takes its project's
        assert_eq!(
            p.item("DA1.TDA2").map(|i| i.capital.clone()),
            Some(vec![Capital::Investment])
        );
    }

    #[test]
    fn a_year_belongs_to_one_programme_and_the_next_is_a_data_change() {
        let all = builtin();
        assert_eq!(
            all.for_year(2021).map(|p| p.id.as_str()),
            Some("ntp-giam-ngheo-2021-2025")
        );
        assert_eq!(
            all.for_year(2025).map(|p| p.id.as_str()),
            Some("ntp-giam-ngheo-2021-2025")
        );
        assert_eq!(
            all.for_year(2026).map(|p| p.id.as_str()),
            Some("ntp-2026-2035")
        );
        assert_eq!(
            all.for_year(2035).map(|p| p.id.as_str()),
            Some("ntp-2026-2035")
        );
        assert!(all.for_year(2020).is_none());
        assert!(all.for_year(2036).is_none());
    }

    #[test]
    fn a_budget_source_goes_only_to_an_item_taking_its_capital() {
        let all = builtin();
        let p = all.get("ntp-giam-ngheo-2021-2025").expect("programme");
        let da1 = p.item("DA1.TDA1").expect("item");
        let ok = |source: &str| all.accepts(da1, all.source(source).expect("source"));
        assert!(ok("central_investment").is_ok());
        assert!(ok("local_investment").is_ok());
        let refused = ok("central_recurrent").expect_err("recurrent into investment");
        assert_eq!(refused.key, "money_capital_refused");
        // credit, mobilised funds and the households' share go anywhere
        for s in ["policy_credit", "mobilised", "beneficiary"] {
            assert!(ok(s).is_ok(), "{s}");
        }
        let da4 = p.item("DA4.TDA1").expect("item");
        for s in ["central_investment", "central_recurrent"] {
            assert!(all.accepts(da4, all.source(s).expect("source")).is_ok());
        }
    }

    #[test]
    fn a_plan_is_paid_until_31_january_after_its_year_and_capital_carries_three_years() {
        let all = builtin();
        for p in &all.programs {
            let (first, last) = p.money.payment_days(2025).expect("days");
            assert_eq!(first, NaiveDate::from_ymd_opt(2025, 1, 1).expect("day"));
            assert_eq!(last, NaiveDate::from_ymd_opt(2026, 1, 31).expect("day"));
            // the budget year itself, and three years after, not four; never before its origin
            assert!(p.money.carries(2025, 2025));
            assert!(p.money.carries(2022, 2025));
            assert!(!p.money.carries(2021, 2025));
            assert!(!p.money.carries(2026, 2025));
        }
    }

    #[test]
    fn the_money_rules_are_read_from_the_file_and_checked() {
        let sources = ("s.toml", SOURCES);
        let file = |rules: &str| {
            format!("id = \"x\"\nname_vi = \"x\"\nname_en = \"x\"\nlegal_basis = \"x\"\nyears = {{ from = 2030, to = 2031 }}\n[money]\n{rules}\n[[project]]\ncode = \"A\"\nname_vi = \"a\"\nname_en = \"a\"\ncapital = [\"recurrent\"]\n")
        };
        let read = |rules: &str| Programs::parse(sources, &[("p.toml", &file(rules))]);
        let p = read("pay_until = { month = 3, day = 31 }\nextended_years = 1").expect("read");
        let m = p.programs[0].money;
        assert_eq!(
            m.payment_days(2030).map(|d| d.1),
            NaiveDate::from_ymd_opt(2031, 3, 31)
        );
        assert!(m.carries(2029, 2030));
        assert!(!m.carries(2028, 2030));
        for (rules, reason) in [
            (
                "pay_until = { month = 2, day = 29 }\nextended_years = 1",
                "no day",
            ),
            (
                "pay_until = { month = 13, day = 1 }\nextended_years = 1",
                "no day",
            ),
            (
                "pay_until = { month = 1, day = 31 }\nextended_years = 11",
                "0 to 10",
            ),
            (
                "pay_until = { month = 1, day = 31 }\nextended_years = -1",
                "0 to 10",
            ),
        ] {
            let e = read(rules).expect_err(rules);
            assert!(e.reason.contains(reason), "{rules}: {}", e.reason);
        }
        // the rules are required
        let none = Programs::parse(sources, &[("p.toml", &file("").replace("[money]\n", ""))]);
        assert!(none.is_err());
    }

    #[test]
    fn a_bad_catalogue_is_refused_with_its_reason() {
        let sources = ("s.toml", SOURCES);
        let bad = |text: &str| {
            Programs::parse(sources, &[("p.toml", text)])
                .expect_err("refused")
                .reason
        };
        let head = "id = \"x\"\nname_vi = \"x\"\nname_en = \"x\"\nlegal_basis = \"x\"\nyears = { from = 2030, to = 2031 }\n[money]\npay_until = { month = 1, day = 31 }\nextended_years = 3\n";
        let project = |code: &str, capital: &str, subs: &str| {
            format!("[[project]]\ncode = \"{code}\"\nname_vi = \"a\"\nname_en = \"a\"\ncapital = [{capital}]\n{subs}")
        };
        assert!(bad(&format!("{head}{}", project("DA1", "\"other\"", "")))
            .contains("investment or recurrent"));
        assert!(bad(&format!(
            "{head}{}{}",
            project("DA1", "\"recurrent\"", ""),
            project("DA1", "\"recurrent\"", "")
        ))
        .contains("twice"));
        assert!(bad(&format!(
            "{head}{}",
            project("DA1", "\"recurrent\"", "[[project.sub]]\ncode = \"T1\"\nname_vi = \"b\"\nname_en = \"b\"\ncapital = [\"investment\"]\n")
        ))
        .contains("its project does not"));
        assert!(bad(&format!("{head}{}", project("D.1", "\"recurrent\"", ""))).contains("no code"));
        assert!(bad("id = \"x\"\nname_vi = \"x\"\nname_en = \"x\"\nlegal_basis = \"x\"\nyears = { from = 2031, to = 2030 }\n[money]\npay_until = { month = 1, day = 31 }\nextended_years = 3\n[[project]]\ncode = \"A\"\nname_vi = \"a\"\nname_en = \"a\"\ncapital = [\"recurrent\"]\n").contains("backwards"));
        // two programmes holding the same year
        let overlap = Programs::parse(
            sources,
            &[
                (
                    "a.toml",
                    &format!("{head}{}", project("A", "\"recurrent\"", "")),
                ),
                (
                    "b.toml",
                    &format!(
                        "{}{}",
                        head.replace("\"x\"\nname_vi", "\"y\"\nname_vi"),
                        project("A", "\"recurrent\"", "")
                    ),
                ),
            ],
        )
        .expect_err("overlap");
        assert!(overlap.reason.contains("overlap"), "{}", overlap.reason);
        // the sources: every code once, each with its kind
        assert_eq!(builtin().sources.len(), 7);
        assert!(builtin()
            .sources
            .iter()
            .filter(|s| s.budget)
            .all(|s| s.capital != Capital::Other));
    }
}
