//! Consistency checks of reported figures as data (`programs/validation-rules.toml`), in the
//! manner of DHIS2's validation rules: a left side, an operator and a right side, each an
//! arithmetic expression over a unit's named figures (`poor`, `households`, `plan`...) and, for
//! the sums of parts, over its sub-units' (`sum(children.poor)`), with the unit levels a rule
//! applies to and, for a stated rate or percentage, the rounding it is allowed. Figures are exact
//! decimals; a rule whose figures a unit does not report is not applicable there, never failed.

use rust_decimal::prelude::*;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

const BUILTIN: &str = include_str!("../../../programs/validation-rules.toml");

/// An arithmetic expression over figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    Number(Decimal),
    /// A figure of the unit.
    Figure(String),
    /// The sum of a figure over the unit's sub-units.
    SumOfChildren(String),
    Add(Box<Expr>, Box<Expr>),
    Sub(Box<Expr>, Box<Expr>),
    Mul(Box<Expr>, Box<Expr>),
    Div(Box<Expr>, Box<Expr>),
}

/// How the two sides compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Op {
    fn parse(s: &str) -> Option<Op> {
        Some(match s.trim() {
            "==" | "=" => Op::Eq,
            "!=" => Op::Ne,
            "<" => Op::Lt,
            "<=" => Op::Le,
            ">" => Op::Gt,
            ">=" => Op::Ge,
            _ => return None,
        })
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::Ne => "≠",
            Op::Lt => "<",
            Op::Le => "≤",
            Op::Gt => ">",
            Op::Ge => "≥",
        }
    }
}

/// Why an expression did not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError(pub String);

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Expr {
    /// Parses `100 * poor / households`, `sum(children.poor)`, `(a - b) / 3`.
    pub fn parse(text: &str) -> Result<Expr, ParseError> {
        let tokens = tokens(text)?;
        let mut p = Parser { tokens, at: 0 };
        let e = p.sum()?;
        if p.at != p.tokens.len() {
            return Err(ParseError(format!(
                "`{text}`: unexpected `{}`",
                p.tokens[p.at].text()
            )));
        }
        Ok(e)
    }

    /// The figures it reads: the unit's, and (as `children.NAME`) its sub-units'.
    pub fn figures(&self, out: &mut BTreeSet<String>) {
        match self {
            Expr::Number(_) => {}
            Expr::Figure(f) => {
                out.insert(f.clone());
            }
            Expr::SumOfChildren(f) => {
                out.insert(format!("children.{f}"));
            }
            Expr::Add(a, b) | Expr::Sub(a, b) | Expr::Mul(a, b) | Expr::Div(a, b) => {
                a.figures(out);
                b.figures(out);
            }
        }
    }

    /// Its value for a unit; none when a figure it reads is not reported (or a division by
    /// zero).
    pub fn value(&self, unit: &Figures) -> Option<Decimal> {
        Some(match self {
            Expr::Number(n) => *n,
            Expr::Figure(f) => *unit.values.get(f)?,
            Expr::SumOfChildren(f) => {
                if unit.children.is_empty() {
                    return None;
                }
                let mut sum = Decimal::ZERO;
                for c in &unit.children {
                    sum = sum.checked_add(*c.values.get(f)?)?;
                }
                sum
            }
            Expr::Add(a, b) => a.value(unit)?.checked_add(b.value(unit)?)?,
            Expr::Sub(a, b) => a.value(unit)?.checked_sub(b.value(unit)?)?,
            Expr::Mul(a, b) => a.value(unit)?.checked_mul(b.value(unit)?)?,
            Expr::Div(a, b) => a.value(unit)?.checked_div(b.value(unit)?)?,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Number(Decimal),
    Name(String),
    Sym(char),
}

impl Token {
    fn text(&self) -> String {
        match self {
            Token::Number(n) => n.to_string(),
            Token::Name(n) => n.clone(),
            Token::Sym(c) => c.to_string(),
        }
    }
}

fn tokens(text: &str) -> Result<Vec<Token>, ParseError> {
    let mut out = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            let s: String = chars[start..i].iter().collect();
            let n = Decimal::from_str(&s)
                .map_err(|_| ParseError(format!("`{text}`: `{s}` is no number")))?;
            out.push(Token::Number(n));
        } else if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_ascii_alphanumeric() || chars[i] == '_' || chars[i] == '.')
            {
                i += 1;
            }
            out.push(Token::Name(chars[start..i].iter().collect()));
        } else if "+-*/()".contains(c) {
            out.push(Token::Sym(c));
            i += 1;
        } else {
            return Err(ParseError(format!("`{text}`: `{c}` is not understood")));
        }
    }
    Ok(out)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn sum(&mut self) -> Result<Expr, ParseError> {
        let mut e = self.product()?;
        while let Some(Token::Sym(c @ ('+' | '-'))) = self.peek().cloned() {
            self.at += 1;
            let r = self.product()?;
            e = if c == '+' {
                Expr::Add(Box::new(e), Box::new(r))
            } else {
                Expr::Sub(Box::new(e), Box::new(r))
            };
        }
        Ok(e)
    }

    fn product(&mut self) -> Result<Expr, ParseError> {
        let mut e = self.atom()?;
        while let Some(Token::Sym(c @ ('*' | '/'))) = self.peek().cloned() {
            self.at += 1;
            let r = self.atom()?;
            e = if c == '*' {
                Expr::Mul(Box::new(e), Box::new(r))
            } else {
                Expr::Div(Box::new(e), Box::new(r))
            };
        }
        Ok(e)
    }

    fn atom(&mut self) -> Result<Expr, ParseError> {
        let t = self
            .peek()
            .cloned()
            .ok_or_else(|| ParseError("the expression ends too soon".into()))?;
        self.at += 1;
        match t {
            Token::Number(n) => Ok(Expr::Number(n)),
            Token::Sym('(') => {
                let e = self.sum()?;
                match self.peek() {
                    Some(Token::Sym(')')) => {
                        self.at += 1;
                        Ok(e)
                    }
                    _ => Err(ParseError("a `(` is not closed".into())),
                }
            }
            Token::Sym('-') => Ok(Expr::Sub(
                Box::new(Expr::Number(Decimal::ZERO)),
                Box::new(self.atom()?),
            )),
            Token::Name(n) if n == "sum" => {
                let inner = match (
                    self.tokens.get(self.at),
                    self.tokens.get(self.at + 1),
                    self.tokens.get(self.at + 2),
                ) {
                    (Some(Token::Sym('(')), Some(Token::Name(f)), Some(Token::Sym(')'))) => {
                        f.strip_prefix("children.").map(str::to_string)
                    }
                    _ => None,
                };
                match inner {
                    Some(f) if !f.is_empty() => {
                        self.at += 3;
                        Ok(Expr::SumOfChildren(f))
                    }
                    _ => Err(ParseError(
                        "sum takes one figure of the sub-units: sum(children.NAME)".into(),
                    )),
                }
            }
            Token::Name(n) => Ok(Expr::Figure(n)),
            Token::Sym(c) => Err(ParseError(format!("unexpected `{c}`"))),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleSpec {
    code: String,
    name_vi: String,
    name_en: String,
    left: String,
    op: String,
    right: String,
    /// The largest difference of the two sides still taken as equal (a rate rounded to two
    /// decimals: 0.005).
    #[serde(default)]
    tolerance: Option<String>,
    /// `village`, `commune`, `province`, `nation`; all when none is named.
    #[serde(default)]
    levels: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(rename = "rule")]
    rules: Vec<RuleSpec>,
}

/// A validation rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationRule {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub left: Expr,
    pub left_text: String,
    pub op: Op,
    pub right: Expr,
    pub right_text: String,
    pub tolerance: Decimal,
    pub levels: Vec<String>,
}

/// A unit's figures, and its sub-units' (for the sums of parts).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Figures {
    pub unit: String,
    pub level: String,
    pub values: BTreeMap<String, Decimal>,
    pub children: Vec<Figures>,
}

/// A rule a unit's figures break: both sides' values and the figures they come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub rule: String,
    pub unit: String,
    pub left: Decimal,
    pub right: Decimal,
    pub figures: Vec<String>,
}

pub const LEVELS: [&str; 4] = ["village", "commune", "province", "nation"];

/// The rules of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationRules {
    pub rules: Vec<ValidationRule>,
}

impl ValidationRules {
    pub fn builtin() -> Result<ValidationRules, String> {
        ValidationRules::parse(BUILTIN)
    }

    /// Reads and checks a rules file: codes unique, names given, both sides and the operator
    /// understood, a tolerance not negative, levels known.
    pub fn parse(text: &str) -> Result<ValidationRules, String> {
        let f: File =
            toml::from_str(text).map_err(|e| format!("programs/validation-rules.toml: {e}"))?;
        let mut seen = BTreeSet::new();
        let mut rules = Vec::new();
        for r in f.rules {
            let at = |m: String| format!("validation rule `{}`: {m}", r.code);
            if !seen.insert(r.code.clone()) {
                return Err(at("twice".into()));
            }
            if r.name_vi.trim().is_empty() || r.name_en.trim().is_empty() {
                return Err(at("no name".into()));
            }
            let left = Expr::parse(&r.left).map_err(|e| at(e.0))?;
            let right = Expr::parse(&r.right).map_err(|e| at(e.0))?;
            let op = Op::parse(&r.op).ok_or_else(|| at(format!("`{}` is no operator", r.op)))?;
            let tolerance = match &r.tolerance {
                None => Decimal::ZERO,
                Some(t) => Decimal::from_str(t)
                    .ok()
                    .filter(|t| !t.is_sign_negative())
                    .ok_or_else(|| at(format!("`{t}` is no tolerance")))?,
            };
            if let Some(l) = r.levels.iter().find(|l| !LEVELS.contains(&l.as_str())) {
                return Err(at(format!("`{l}` is no level")));
            }
            rules.push(ValidationRule {
                code: r.code,
                name_vi: r.name_vi,
                name_en: r.name_en,
                left,
                left_text: r.left,
                op,
                right,
                right_text: r.right,
                tolerance,
                levels: r.levels,
            });
        }
        Ok(ValidationRules { rules })
    }

    /// Every rule a unit's figures (and its sub-units', each at its own level, all the way
    /// down) break.
    pub fn check(&self, unit: &Figures) -> Vec<Violation> {
        let mut out = Vec::new();
        self.check_into(unit, &mut out);
        out
    }

    fn check_into(&self, unit: &Figures, out: &mut Vec<Violation>) {
        for r in &self.rules {
            if let Some(v) = r.broken(unit) {
                out.push(v);
            }
        }
        for c in &unit.children {
            self.check_into(c, out);
        }
    }
}

impl ValidationRule {
    /// Whether the rule applies at a unit's level.
    pub fn applies(&self, level: &str) -> bool {
        self.levels.is_empty() || self.levels.iter().any(|l| l == level)
    }

    /// The violation, when the unit's figures break the rule; none when they keep it or the
    /// rule does not apply (its level, or a figure not reported).
    pub fn broken(&self, unit: &Figures) -> Option<Violation> {
        if !self.applies(&unit.level) {
            return None;
        }
        let (l, r) = (self.left.value(unit)?, self.right.value(unit)?);
        let close = (l - r).abs() <= self.tolerance;
        let kept = match self.op {
            Op::Eq => close,
            Op::Ne => !close,
            Op::Lt => l < r,
            Op::Le => l <= r || close,
            Op::Gt => l > r,
            Op::Ge => l >= r || close,
        };
        if kept {
            return None;
        }
        let mut figures = BTreeSet::new();
        self.left.figures(&mut figures);
        self.right.figures(&mut figures);
        Some(Violation {
            rule: self.code.clone(),
            unit: unit.unit.clone(),
            left: l,
            right: r,
            figures: figures.into_iter().collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).expect("decimal")
    }

    fn unit(level: &str, values: &[(&str, &str)]) -> Figures {
        Figures {
            unit: format!("{level}-1"),
            level: level.into(),
            values: values.iter().map(|(k, v)| (k.to_string(), d(v))).collect(),
            children: Vec::new(),
        }
    }

    fn rule(rules: &ValidationRules, code: &str) -> ValidationRule {
        rules
            .rules
            .iter()
            .find(|r| r.code == code)
            .cloned()
            .unwrap_or_else(|| panic!("no rule {code}"))
    }

    #[test]
    fn expressions_follow_arithmetic() {
        let u = unit("commune", &[("a", "10"), ("b", "4"), ("c", "2")]);
        let v = |t: &str| Expr::parse(t).expect(t).value(&u);
        assert_eq!(v("a + b * c"), Some(d("18")));
        assert_eq!(v("(a + b) * c"), Some(d("28")));
        assert_eq!(v("a - b - c"), Some(d("4")));
        assert_eq!(v("100 * b / a"), Some(d("40")));
        assert_eq!(v("-a + 1.5"), Some(d("-8.5")));
        assert_eq!(v("a / (b - 4)"), None, "no division by zero");
        assert_eq!(v("a + missing"), None, "a figure not reported");
        for bad in [
            "a +",
            "(a",
            "a $ b",
            "sum(a)",
            "sum(children.)",
            "a b",
            "1.2.3",
        ] {
            assert!(Expr::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_builtin_rules_pass_and_fail_on_their_lines() {
        let rules = ValidationRules::builtin().expect("rules");
        // poor ≤ households: on the line it passes, one over it fails
        let r = rule(&rules, "poor_within_households");
        assert!(r
            .broken(&unit("commune", &[("poor", "120"), ("households", "120")]))
            .is_none());
        let v = r
            .broken(&unit("commune", &[("poor", "121"), ("households", "120")]))
            .expect("broken");
        assert_eq!((v.left, v.right), (d("121"), d("120")));
        assert_eq!(v.figures, ["households", "poor"]);
        // a stated rate within its rounding of its count over its base
        let r = rule(&rules, "poor_rate_stated");
        let at = |rate: &str| {
            unit(
                "commune",
                &[("poor", "1"), ("households", "3"), ("poor_rate", rate)],
            )
        };
        assert!(r.broken(&at("33.33")).is_none(), "33.333… rounded");
        assert!(r.broken(&at("33.34")).is_some());
        assert!(r.broken(&at("33.32")).is_some());
        // a total is the sum of its parts
        let r = rule(&rules, "households_sum_of_communes");
        let mut p = unit("province", &[("households", "30")]);
        p.children = vec![
            unit("commune", &[("households", "10")]),
            unit("commune", &[("households", "20")]),
        ];
        assert!(r.broken(&p).is_none());
        p.values.insert("households".into(), d("31"));
        let v = r.broken(&p).expect("broken");
        assert_eq!((v.left, v.right), (d("31"), d("30")));
        assert_eq!(v.figures, ["children.households", "households"]);
        // not applicable where its figures are not reported, or at another level
        assert!(r
            .broken(&unit("province", &[("households", "31")]))
            .is_none());
        assert!(r
            .broken(&unit("commune", &[("households", "31")]))
            .is_none());
        // disbursed ≤ plan, and a stated percentage that its figures contradict
        let r = rule(&rules, "disbursed_within_plan");
        assert!(r
            .broken(&unit("province", &[("disbursed", "100"), ("plan", "100")]))
            .is_none());
        assert!(r
            .broken(&unit("province", &[("disbursed", "101"), ("plan", "100")]))
            .is_some());
        let r = rule(&rules, "disbursed_pct_stated");
        let at = |pct: &str| {
            unit(
                "province",
                &[("disbursed", "42"), ("plan", "100"), ("disbursed_pct", pct)],
            )
        };
        assert!(r.broken(&at("42")).is_none());
        assert!(r.broken(&at("45")).is_some());
        // the average annual decrease agrees with the first and last years' rates
        let r = rule(&rules, "average_decrease_stated");
        let at = |dec: &str| {
            unit(
                "province",
                &[
                    ("rate_first", "20"),
                    ("rate_last", "8.84"),
                    ("years", "3"),
                    ("average_annual_decrease", dec),
                ],
            )
        };
        assert!(r.broken(&at("3.72")).is_none());
        assert!(r.broken(&at("3.80")).is_some());
    }

    #[test]
    fn checking_a_unit_checks_its_sub_units_at_their_levels() {
        let rules = ValidationRules::builtin().expect("rules");
        let mut p = unit("province", &[("households", "30"), ("poor", "5")]);
        let mut bad = unit("commune", &[("households", "10"), ("poor", "11")]);
        bad.unit = "03325".into();
        p.children = vec![bad, unit("commune", &[("households", "20"), ("poor", "2")])];
        let found = rules.check(&p);
        let codes: Vec<(&str, &str)> = found
            .iter()
            .map(|v| (v.rule.as_str(), v.unit.as_str()))
            .collect();
        assert!(
            codes.contains(&("poor_within_households", "03325")),
            "{codes:?}"
        );
        assert!(
            codes.contains(&("poor_sum_of_communes", "province-1")),
            "{codes:?}"
        );
        assert!(
            !codes.contains(&("households_sum_of_communes", "province-1")),
            "{codes:?}"
        );
    }

    #[test]
    fn a_bad_rules_file_is_refused() {
        let head = "[[rule]]\ncode = \"a\"\nname_vi = \"a\"\nname_en = \"a\"\n";
        let ok = format!("{head}left = \"x\"\nop = \"<=\"\nright = \"y\"\n");
        assert!(ValidationRules::parse(&ok).is_ok());
        for bad in [
            format!("{head}left = \"x +\"\nop = \"<=\"\nright = \"y\"\n"),
            format!("{head}left = \"x\"\nop = \"=<\"\nright = \"y\"\n"),
            format!("{head}left = \"x\"\nop = \"<=\"\nright = \"y\"\ntolerance = \"-1\"\n"),
            format!("{head}left = \"x\"\nop = \"<=\"\nright = \"y\"\nlevels = [\"district\"]\n"),
            format!("{ok}{ok}"),
        ] {
            assert!(ValidationRules::parse(&bad).is_err(), "{bad}");
        }
    }
}
