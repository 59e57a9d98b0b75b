//! Support to households as data (`programs/support-rules.toml`): its kinds, how long the same
//! kind counts as given twice, and the rule sets that say who may receive it and how much of it
//! the state pays. A record is judged on what was known on its decision's day: the household's
//! approved class and deprivations then, and its commune's status then. Duplicates (the same
//! kind to the same household or person within the kind's window, across programmes) are found
//! by household, by personal ID, and by folded name with birth date.

use crate::{msg, Class, Msg};
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

const BUILTIN: &str = include_str!("../../../programs/support-rules.toml");

/// A kind of support.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Kind {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    /// Kinds of one group are the same support for duplicates (a house built or repaired).
    #[serde(default)]
    pub group: Option<String>,
    /// Twice within this many years is a duplicate; 0: never.
    pub duplicate_years: i32,
    /// Given to a member (a card, a course), not to the household.
    #[serde(default)]
    pub member: bool,
}

impl Kind {
    /// The group its duplicates are counted in.
    pub fn group(&self) -> &str {
        self.group.as_deref().unwrap_or(&self.code)
    }

    /// Whether `later` falls within the window of a support given on `earlier`.
    pub fn within_window(&self, earlier: NaiveDate, later: NaiveDate) -> bool {
        if self.duplicate_years <= 0 || later < earlier {
            return false;
        }
        // the same day N years on is outside the window
        let end = NaiveDate::from_ymd_opt(
            earlier.year() + self.duplicate_years,
            earlier.month(),
            earlier.day(),
        )
        .or_else(|| NaiveDate::from_ymd_opt(earlier.year() + self.duplicate_years, 3, 1))
        .unwrap_or(NaiveDate::MAX);
        later < end
    }
}

/// The days a rule set is in force, both included (written `"YYYY-MM-DD"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Valid {
    #[serde(deserialize_with = "day")]
    pub from: NaiveDate,
    #[serde(deserialize_with = "day")]
    pub to: NaiveDate,
}

fn day<'de, D: serde::Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    let s = String::deserialize(d)?;
    NaiveDate::parse_from_str(&s, "%Y-%m-%d")
        .map_err(|_| serde::de::Error::custom(format!("`{s}` is no day (YYYY-MM-DD)")))
}

/// One test of a rule set.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    /// What a refusal names (`class`, `poor_district`, `housing_deprived`, ...).
    pub code: String,
    #[serde(default)]
    pub classes: Vec<String>,
    #[serde(default)]
    pub escaped_within_years: Option<i32>,
    #[serde(default)]
    pub deprived_any: Vec<String>,
    #[serde(default)]
    pub unit_status: Vec<String>,
    #[serde(default)]
    pub once: bool,
}

/// A cap of the state's share of a record's amount, for some classes (and statuses).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Share {
    pub classes: Vec<String>,
    #[serde(default)]
    pub unit_status: Vec<String>,
    pub percent: u32,
}

/// Who may receive some kinds of support between two days, and how much the state pays.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSet {
    pub id: String,
    pub name_vi: String,
    pub name_en: String,
    pub kinds: Vec<String>,
    pub valid: Valid,
    #[serde(default)]
    pub state_max: BTreeMap<String, i64>,
    #[serde(default, rename = "rule")]
    pub rules: Vec<RuleSpec>,
    #[serde(default, rename = "share")]
    pub shares: Vec<Share>,
}

/// How a production project's budget is shared between the state and the households, by the
/// area's class: the state's largest percent, and its largest part of one project.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CostSharing {
    /// `value_chain` or `community`.
    pub kind: String,
    pub name_vi: String,
    pub name_en: String,
    pub valid: Valid,
    /// By area class: `extremely_difficult`, `difficult`, `other`.
    pub state_percent: BTreeMap<String, u32>,
    #[serde(default)]
    pub state_cap: Option<i64>,
}

impl CostSharing {
    /// The class of an area from its commune's statuses on a day.
    pub fn area_class(statuses: &BTreeSet<String>) -> &'static str {
        if statuses.contains("extremely_difficult") {
            "extremely_difficult"
        } else if statuses.contains("difficult") {
            "difficult"
        } else {
            "other"
        }
    }

    /// The state's largest percent for an area class.
    pub fn percent(&self, area: &str) -> u32 {
        self.state_percent
            .get(area)
            .or_else(|| self.state_percent.get("other"))
            .copied()
            .unwrap_or(0)
    }

    /// Whether the state's part of a project's `total` keeps within the share of its area's
    /// class and the cap; the refusal says which and by how much.
    pub fn check(&self, area: &str, total: i64, state: i64) -> Result<(), Msg> {
        let percent = self.percent(area);
        if i128::from(state) * 100 > i128::from(percent) * i128::from(total) {
            return Err(msg!("model_state_share", percent = percent)
                .money("state", state)
                .money("total", total));
        }
        if let Some(cap) = self.state_cap.filter(|c| state > *c) {
            return Err(msg!("model_state_cap")
                .money("state", state)
                .money("cap", cap));
        }
        Ok(())
    }
}

/// A kind of model or production project: what its participants receive (a support kind, so
/// that the same household in two models, or in a model and another programme, is a duplicate),
/// and the cost-sharing (by `kind`) its budget keeps to, when one is in force.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelKind {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub support_kind: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(rename = "kind")]
    kinds: Vec<Kind>,
    #[serde(rename = "rule_set")]
    rule_sets: Vec<RuleSet>,
    #[serde(default, rename = "cost_sharing")]
    cost_sharing: Vec<CostSharing>,
    #[serde(default, rename = "model_kind")]
    model_kinds: Vec<ModelKind>,
}

/// An earlier support the household or the person received (for `once`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prior {
    pub kind: String,
    pub decided_on: NaiveDate,
}

/// What is known of a household on a record's decision day.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Facts {
    /// The class of the latest review approved by that day; `None` when none was.
    pub class: Option<Class>,
    /// The indicators it lacked in that review.
    pub deprived: BTreeSet<String>,
    /// The last day within the years before on which a review approved it poor or near-poor
    /// (for a household newly out of poverty).
    pub last_poor_or_near: Option<NaiveDate>,
    /// Its commune's statuses that day.
    pub unit_status: BTreeSet<String>,
    /// What the household (household's kinds) or the person (members' kinds) received before,
    /// from any programme.
    pub prior: Vec<Prior>,
}

/// A record to judge: its kind, its decision's day, its amount and the state's part of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate<'a> {
    pub kind: &'a str,
    pub decided_on: NaiveDate,
    /// The state budget's part, đồng.
    pub state_amount: i64,
    /// Every part, the household's counterpart included.
    pub total_amount: i64,
    /// A rule set named by the record; otherwise every set in force that day for the kind.
    pub rule_set: Option<&'a str>,
}

/// What a judgement found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Judgement {
    /// Eligible under this rule set.
    Eligible { rule_set: String },
    /// Refused: the rule set and rule that failed (the first set in force, when none passes).
    Refused {
        rule_set: Option<String>,
        rule: String,
        message: Msg,
    },
}

impl Judgement {
    pub fn rule_set(&self) -> Option<&str> {
        match self {
            Judgement::Eligible { rule_set } => Some(rule_set),
            Judgement::Refused { rule_set, .. } => rule_set.as_deref(),
        }
    }
}

/// Why the rules file was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupportRulesError(pub String);

impl std::fmt::Display for SupportRulesError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "programs/support-rules.toml: {}", self.0)
    }
}

impl std::error::Error for SupportRulesError {}

/// The kinds of support and their rule sets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupportRules {
    pub kinds: Vec<Kind>,
    pub rule_sets: Vec<RuleSet>,
    pub cost_sharing: Vec<CostSharing>,
    pub model_kinds: Vec<ModelKind>,
}

impl SupportRules {
    pub fn builtin() -> Result<SupportRules, SupportRulesError> {
        SupportRules::parse(BUILTIN)
    }

    /// Reads and checks a rules file: codes unique, every kind and class known, every rule
    /// testing something, days in order, shares within 100 %.
    pub fn parse(text: &str) -> Result<SupportRules, SupportRulesError> {
        let bad = |s: String| SupportRulesError(s);
        let f: File = toml::from_str(text).map_err(|e| bad(e.to_string()))?;
        let mut seen = BTreeSet::new();
        for k in &f.kinds {
            if !seen.insert(k.code.as_str()) {
                return Err(bad(format!("kind `{}` twice", k.code)));
            }
            if k.name_vi.trim().is_empty() || k.name_en.trim().is_empty() {
                return Err(bad(format!("kind `{}` has no name", k.code)));
            }
            if !(0..=50).contains(&k.duplicate_years) {
                return Err(bad(format!("kind `{}`: duplicate_years 0 to 50", k.code)));
            }
        }
        let mut ids = BTreeSet::new();
        for s in &f.rule_sets {
            if !ids.insert(s.id.as_str()) {
                return Err(bad(format!("rule set `{}` twice", s.id)));
            }
            if s.valid.from > s.valid.to {
                return Err(bad(format!("rule set `{}`: its days run backwards", s.id)));
            }
            for k in s.kinds.iter().chain(s.state_max.keys()) {
                if !seen.contains(k.as_str()) {
                    return Err(bad(format!("rule set `{}`: no kind `{k}`", s.id)));
                }
            }
            let classes = s
                .rules
                .iter()
                .flat_map(|r| &r.classes)
                .chain(s.shares.iter().flat_map(|x| &x.classes));
            for c in classes {
                if Class::from_code(c).is_none() {
                    return Err(bad(format!("rule set `{}`: no class `{c}`", s.id)));
                }
            }
            for r in &s.rules {
                let tests = !r.classes.is_empty() as u8
                    + !r.deprived_any.is_empty() as u8
                    + !r.unit_status.is_empty() as u8
                    + r.once as u8;
                if tests != 1 {
                    return Err(bad(format!(
                        "rule set `{}`, rule `{}`: one test (classes, deprived_any, unit_status or once)",
                        s.id, r.code
                    )));
                }
                if r.escaped_within_years.is_some() && r.classes.is_empty() {
                    return Err(bad(format!(
                        "rule set `{}`, rule `{}`: escaped_within_years goes with classes",
                        s.id, r.code
                    )));
                }
            }
            if s.shares.iter().any(|x| x.percent > 100) {
                return Err(bad(format!("rule set `{}`: a share above 100 %", s.id)));
            }
        }
        for c in &f.cost_sharing {
            if c.valid.from > c.valid.to {
                return Err(bad(format!(
                    "cost sharing `{}`: its days run backwards",
                    c.kind
                )));
            }
            if !c.state_percent.contains_key("other") {
                return Err(bad(format!(
                    "cost sharing `{}`: no share for `other`",
                    c.kind
                )));
            }
            if let Some((area, _)) = c.state_percent.iter().find(|(a, p)| {
                **p > 100 || !matches!(a.as_str(), "extremely_difficult" | "difficult" | "other")
            }) {
                return Err(bad(format!(
                    "cost sharing `{}`: `{area}` is no area class or its share is above 100 %",
                    c.kind
                )));
            }
        }
        let mut models = BTreeSet::new();
        for m in &f.model_kinds {
            if !models.insert(m.code.as_str()) {
                return Err(bad(format!("model kind `{}` twice", m.code)));
            }
            if !seen.contains(m.support_kind.as_str()) {
                return Err(bad(format!(
                    "model kind `{}`: no kind `{}`",
                    m.code, m.support_kind
                )));
            }
        }
        Ok(SupportRules {
            kinds: f.kinds,
            rule_sets: f.rule_sets,
            cost_sharing: f.cost_sharing,
            model_kinds: f.model_kinds,
        })
    }

    pub fn kind(&self, code: &str) -> Option<&Kind> {
        let code = code.trim();
        self.kinds
            .iter()
            .find(|k| k.code.eq_ignore_ascii_case(code))
    }

    pub fn rule_set(&self, id: &str) -> Option<&RuleSet> {
        self.rule_sets.iter().find(|s| s.id == id.trim())
    }

    pub fn model_kind(&self, code: &str) -> Option<&ModelKind> {
        let code = code.trim();
        self.model_kinds
            .iter()
            .find(|k| k.code.eq_ignore_ascii_case(code))
    }

    /// The cost-sharing of a kind of production project in force on a day.
    pub fn cost_sharing(&self, kind: &str, on: NaiveDate) -> Option<&CostSharing> {
        self.cost_sharing
            .iter()
            .find(|c| c.kind == kind && c.valid.from <= on && on <= c.valid.to)
    }

    /// The rule sets in force on a day for a kind, in the file's order.
    pub fn in_force<'a>(
        &'a self,
        kind: &'a str,
        on: NaiveDate,
    ) -> impl Iterator<Item = &'a RuleSet> + 'a {
        self.rule_sets.iter().filter(move |s| {
            s.valid.from <= on && on <= s.valid.to && s.kinds.iter().any(|k| k == kind)
        })
    }

    /// Judges a record: eligible under the named rule set, or under the first set in force
    /// that day whose every rule passes; otherwise refused with the first failing rule of the
    /// named set (or of the first set in force).
    pub fn judge(&self, c: &Candidate<'_>, facts: &Facts) -> Judgement {
        let Some(kind) = self.kind(c.kind) else {
            return Judgement::Refused {
                rule_set: None,
                rule: "kind".into(),
                message: msg!("support_kind_unknown", kind = c.kind),
            };
        };
        let sets: Vec<&RuleSet> = match c.rule_set {
            Some(id) => match self.rule_set(id) {
                Some(s) if s.kinds.contains(&kind.code) => vec![s],
                _ => {
                    return Judgement::Refused {
                        rule_set: None,
                        rule: "rule_set".into(),
                        message: msg!("support_rule_set_unknown", rule_set = id, kind = &kind.code),
                    }
                }
            },
            None => self.in_force(&kind.code, c.decided_on).collect(),
        };
        // refused by every set: the set that came nearest (passed the most of its tests), the
        // first of those in the file's order
        let mut nearest: Option<(usize, Judgement)> = None;
        for s in sets {
            match self.check(s, kind, c, facts) {
                Ok(()) => {
                    return Judgement::Eligible {
                        rule_set: s.id.clone(),
                    }
                }
                Err((passed, rule, message)) => {
                    if nearest.as_ref().is_none_or(|(p, _)| passed > *p) {
                        nearest = Some((
                            passed,
                            Judgement::Refused {
                                rule_set: Some(s.id.clone()),
                                rule,
                                message,
                            },
                        ));
                    }
                }
            }
        }
        nearest
            .map(|(_, j)| j)
            .unwrap_or_else(|| Judgement::Refused {
                rule_set: None,
                rule: "in_force".into(),
                message: msg!("support_no_rule_set", kind = &kind.code).date("date", c.decided_on),
            })
    }

    fn check(
        &self,
        s: &RuleSet,
        kind: &Kind,
        c: &Candidate<'_>,
        facts: &Facts,
    ) -> Result<(), (usize, String, Msg)> {
        // how many of its tests the record passed before the one that failed
        let mut passed = 0;
        let fail = |passed: usize, r: &str, m: Msg| Err((passed, r.to_string(), m));
        if c.decided_on < s.valid.from || c.decided_on > s.valid.to {
            return fail(
                passed,
                "in_force",
                msg!("support_outside_rule_set", rule_set = &s.id)
                    .date("date", c.decided_on)
                    .date("from", s.valid.from)
                    .date("to", s.valid.to),
            );
        }
        for r in &s.rules {
            if !r.classes.is_empty() {
                let now = facts
                    .class
                    .is_some_and(|cl| r.classes.iter().any(|x| x == cl.code()));
                let escaped = r.escaped_within_years.is_some_and(|n| {
                    facts.last_poor_or_near.is_some_and(|d| {
                        d <= c.decided_on
                            && NaiveDate::from_ymd_opt(d.year() + n, d.month(), d.day())
                                .is_some_and(|end| c.decided_on < end)
                    })
                });
                if !now && !escaped {
                    let class = class_words(facts.class.map(|x| x.code()).unwrap_or("none"));
                    let (vi, en) = joined(&r.classes, |c| {
                        let (vi, en) = class_words(c);
                        (vi.to_string(), en.to_string())
                    });
                    let mut m = msg!("support_rule_class")
                        .named("class", class.0, class.1)
                        .named("classes", &vi, &en)
                        .date("date", c.decided_on);
                    if let Some(n) = r.escaped_within_years {
                        m = msg!("support_rule_class_escaped", years = n).nested("rule", m);
                    }
                    return fail(passed, &r.code, m);
                }
            }
            if !r.deprived_any.is_empty()
                && !r.deprived_any.iter().any(|d| facts.deprived.contains(d))
            {
                return fail(
                    passed,
                    &r.code,
                    msg!("support_rule_deprived").list("indicators", &r.deprived_any),
                );
            }
            if !r.unit_status.is_empty()
                && !r.unit_status.iter().any(|u| facts.unit_status.contains(u))
            {
                let (vi, en) = joined(&r.unit_status, status_words);
                return fail(
                    passed,
                    &r.code,
                    msg!("support_rule_status")
                        .named("statuses", &vi, &en)
                        .date("date", c.decided_on),
                );
            }
            if r.once {
                let earlier = facts.prior.iter().find(|p| {
                    self.kind(&p.kind)
                        .is_some_and(|k| k.group() == kind.group())
                        && kind.within_window(p.decided_on, c.decided_on)
                });
                if let Some(p) = earlier {
                    return fail(
                        passed,
                        &r.code,
                        msg!(
                            "support_rule_once",
                            kind = &p.kind,
                            years = kind.duplicate_years
                        )
                        .date("date", p.decided_on),
                    );
                }
            }
            passed += 1;
        }
        if let Some(max) = s.state_max.get(&kind.code) {
            if c.state_amount > *max {
                return fail(
                    passed,
                    "state_max",
                    msg!("support_rule_state_max", rule_set = &s.id)
                        .money("amount", c.state_amount)
                        .money("max", *max),
                );
            }
        }
        let class = facts.class.map(|x| x.code());
        let share = s.shares.iter().find(|x| {
            class.is_some_and(|cl| x.classes.iter().any(|y| y == cl))
                && (x.unit_status.is_empty()
                    || x.unit_status.iter().any(|u| facts.unit_status.contains(u)))
        });
        if let Some(x) = share {
            // the state's part within its share of the whole, exactly: part × 100 ≤ share × whole
            if i128::from(c.state_amount) * 100 > i128::from(x.percent) * i128::from(c.total_amount)
            {
                return fail(
                    passed,
                    "state_share",
                    msg!("support_rule_share", percent = x.percent)
                        .money("amount", c.state_amount)
                        .money("total", c.total_amount),
                );
            }
        }
        Ok(())
    }
}

/// A status a commune had between two days (a poor district's commune, a poor commune, an
/// extremely difficult commune), from `data/unit-status.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusSpan {
    pub commune: String,
    pub status: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// The communes' statuses over time.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UnitStatuses {
    spans: HashMap<String, Vec<StatusSpan>>,
}

impl UnitStatuses {
    pub fn new(spans: Vec<StatusSpan>) -> UnitStatuses {
        let mut by: HashMap<String, Vec<StatusSpan>> = HashMap::new();
        for s in spans {
            by.entry(s.commune.clone()).or_default().push(s);
        }
        UnitStatuses { spans: by }
    }

    /// A commune's statuses on a day (both ends of a span included).
    pub fn on(&self, commune: &str, day: NaiveDate) -> BTreeSet<String> {
        self.spans
            .get(commune)
            .into_iter()
            .flatten()
            .filter(|s| s.from <= day && day <= s.to)
            .map(|s| s.status.clone())
            .collect()
    }
}

/// A class's name in each language, as refusals write it.
pub fn class_words(code: &str) -> (&'static str, &'static str) {
    match code {
        "poor" => ("hộ nghèo", "poor"),
        "near_poor" => ("hộ cận nghèo", "near-poor"),
        "average" => ("hộ có mức sống trung bình", "of average living standard"),
        "not_poor" => ("hộ không nghèo", "not poor"),
        _ => (
            "chưa được công nhận qua rà soát",
            "not yet approved by a review",
        ),
    }
}

/// A commune status's name in each language.
pub fn status_words(code: &str) -> (String, String) {
    let (vi, en) = match code {
        "poor_district" => ("thuộc huyện nghèo", "in a poor district"),
        "poor_commune" => ("xã nghèo", "a poor commune"),
        "extremely_difficult" => ("xã đặc biệt khó khăn", "an extremely difficult commune"),
        "difficult" => ("xã khó khăn", "a difficult commune"),
        other => (other, other),
    };
    (vi.to_string(), en.to_string())
}

/// Codes named in each language and joined with "or".
fn joined<F: Fn(&str) -> (String, String)>(codes: &[String], words: F) -> (String, String) {
    let (vi, en): (Vec<String>, Vec<String>) = codes.iter().map(|c| words(c)).unzip();
    (vi.join(" hoặc "), en.join(" or "))
}

/// A support record as the duplicate scan reads it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Given {
    pub id: i64,
    pub kind: String,
    pub decided_on: NaiveDate,
    pub household_id: i64,
    /// The member's personal ID, when the support went to a member with one.
    pub person_id: Option<String>,
    /// The member's folded name and birth date, when known.
    pub person: Option<(String, String)>,
}

/// How two records were found to be the same support to the same beneficiary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Match {
    Household,
    PersonalId,
    NameAndBirth,
}

impl Match {
    pub fn code(self) -> &'static str {
        match self {
            Match::Household => "household",
            Match::PersonalId => "personal_id",
            Match::NameAndBirth => "name_birth",
        }
    }
}

/// Two records that are the same kind of support to the same household or person within the
/// kind's window: the earlier id first, and every way they matched.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Duplicate {
    pub first: i64,
    pub second: i64,
    pub by: BTreeSet<Match>,
}

/// Every pair of duplicates among `records`, whatever their order: per kind group and key
/// (household for a household's kind; personal ID, and folded name with birth date, for a
/// member's kind, and the household as well), each record against the ones before it within the
/// window. The pairs come sorted.
pub fn duplicates<'a>(rules: &'a SupportRules, records: &'a [Given]) -> Vec<Duplicate> {
    /// What a record is keyed by, borrowed from it.
    #[derive(PartialEq, Eq, Hash)]
    enum Key<'a> {
        Household(i64),
        Id(&'a str),
        Name(&'a str, &'a str),
    }
    // each kind once: its group's number, and the longest window of each group
    let mut groups: Vec<&str> = Vec::new();
    let mut by_code: HashMap<&'a str, (usize, &'a Kind)> = HashMap::new();
    for k in &rules.kinds {
        let g = match groups.iter().position(|g| *g == k.group()) {
            Some(g) => g,
            None => {
                groups.push(k.group());
                groups.len() - 1
            }
        };
        by_code.insert(k.code.as_str(), (g, k));
    }
    let kind_of = |code: &str| {
        by_code.get(code).copied().or_else(|| {
            let k = rules.kind(code)?;
            by_code.get(k.code.as_str()).copied()
        })
    };
    // key → the records under it
    type Keyed<'a> = HashMap<(usize, Match, Key<'a>), Vec<(&'a Given, &'a Kind)>>;
    let mut keyed: Keyed<'a> = HashMap::new();
    for r in records {
        let Some((group, kind)) = kind_of(&r.kind) else {
            continue;
        };
        if kind.duplicate_years <= 0 {
            continue;
        }
        let mut add = |by: Match, key: Key<'a>| {
            keyed.entry((group, by, key)).or_default().push((r, kind));
        };
        if !kind.member || (r.person_id.is_none() && r.person.is_none()) {
            add(Match::Household, Key::Household(r.household_id));
        }
        if kind.member {
            if let Some(id) = &r.person_id {
                add(Match::PersonalId, Key::Id(id));
            }
            if let Some((name, birth)) = &r.person {
                add(Match::NameAndBirth, Key::Name(name, birth));
            }
        }
    }
    let mut pairs: BTreeMap<(i64, i64), BTreeSet<Match>> = BTreeMap::new();
    for ((_, by, _), mut list) in keyed {
        if list.len() < 2 {
            continue;
        }
        // by day then id: the earlier record comes first in a pair
        list.sort_by_key(|(r, _)| (r.decided_on, r.id));
        for (i, (later, _)) in list.iter().enumerate() {
            for (earlier, ek) in list[..i].iter().rev() {
                // the window of the earlier record's kind (build and repair share theirs)
                if ek.within_window(earlier.decided_on, later.decided_on) {
                    pairs.entry((earlier.id, later.id)).or_default().insert(by);
                }
            }
        }
    }
    pairs
        .into_iter()
        .map(|((first, second), by)| Duplicate { first, second, by })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> SupportRules {
        SupportRules::builtin().expect("support rules")
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().expect("day")
    }

    fn poor_housing() -> Facts {
        Facts {
            class: Some(Class::Poor),
            deprived: ["housing_quality".to_string()].into(),
            last_poor_or_near: None,
            unit_status: ["poor_district".to_string()].into(),
            prior: vec![],
        }
    }

    fn house(amount: i64, on: &str) -> Candidate<'static> {
        Candidate {
            kind: "housing_build",
            decided_on: day(on),
            state_amount: amount,
            total_amount: amount + 10_000_000,
            rule_set: None,
        }
    }

    fn refused_rule(j: &Judgement) -> Option<&str> {
        match j {
            Judgement::Refused { rule, .. } => Some(rule),
            Judgement::Eligible { .. } => None,
        }
    }

    #[test]
    fn the_housing_rules_hold_at_their_amounts_and_days() {
        let r = rules();
        let f = poor_housing();
        // DA5: 40 million to build, exactly; one đồng more is over
        assert_eq!(
            r.judge(&house(40_000_000, "2023-05-01"), &f),
            Judgement::Eligible {
                rule_set: "nha-o-da5-2022-2025".into()
            }
        );
        assert_eq!(
            refused_rule(&r.judge(&house(40_000_001, "2023-05-01"), &f)),
            Some("state_max")
        );
        // the campaign takes 60 million from its first day, not the day before
        assert_eq!(
            r.judge(&house(60_000_000, "2024-10-05"), &f).rule_set(),
            Some("xoa-nha-tam-2024-2025")
        );
        assert_eq!(
            refused_rule(&r.judge(&house(40_000_001, "2024-10-04"), &f)),
            Some("state_max")
        );
        assert_eq!(
            refused_rule(&r.judge(&house(60_000_001, "2024-10-05"), &f)),
            Some("state_max")
        );
        // repair: 20 and 30 million
        let repair = |amount, on| Candidate {
            kind: "housing_repair",
            ..house(amount, on)
        };
        assert!(matches!(
            r.judge(&repair(20_000_000, "2023-01-01"), &f),
            Judgement::Eligible { .. }
        ));
        assert_eq!(
            refused_rule(&r.judge(&repair(20_000_001, "2023-01-01"), &f)),
            Some("state_max")
        );
        assert!(matches!(
            r.judge(&repair(30_000_000, "2025-12-31"), &f),
            Judgement::Eligible { .. }
        ));
        // after both sets end, no rule set is in force
        assert_eq!(
            refused_rule(&r.judge(&house(1, "2026-01-01"), &f)),
            Some("in_force")
        );
    }

    #[test]
    fn each_housing_rule_refuses_by_its_name() {
        let r = rules();
        let on = "2023-05-01";
        let mut f = poor_housing();
        f.class = Some(Class::Average);
        assert_eq!(refused_rule(&r.judge(&house(1, on), &f)), Some("class"));
        f.class = Some(Class::NearPoor);
        assert!(matches!(
            r.judge(&house(1, on), &f),
            Judgement::Eligible { .. }
        ));
        f.class = None;
        assert_eq!(refused_rule(&r.judge(&house(1, on), &f)), Some("class"));
        let mut f = poor_housing();
        f.unit_status.clear();
        assert_eq!(
            refused_rule(&r.judge(&house(1, on), &f)),
            Some("poor_district")
        );
        let mut f = poor_housing();
        f.deprived = ["water".to_string()].into();
        assert_eq!(
            refused_rule(&r.judge(&house(1, on), &f)),
            Some("housing_deprived")
        );
        f.deprived = ["housing_area".to_string()].into();
        assert!(matches!(
            r.judge(&house(1, on), &f),
            Judgement::Eligible { .. }
        ));
        // housed before by any programme, repair or build, within 20 years
        let mut f = poor_housing();
        f.prior = vec![Prior {
            kind: "housing_repair".into(),
            decided_on: day("2003-05-02"),
        }];
        assert_eq!(
            refused_rule(&r.judge(&house(1, on), &f)),
            Some("not_housed_elsewhere")
        );
        f.prior[0].decided_on = day("2003-05-01");
        assert!(matches!(
            r.judge(&house(1, on), &f),
            Judgement::Eligible { .. }
        ));
        // outside a poor district the campaign still houses (its set has no such rule)
        let mut f = poor_housing();
        f.unit_status.clear();
        assert_eq!(
            r.judge(&house(1, "2025-01-01"), &f).rule_set(),
            Some("xoa-nha-tam-2024-2025")
        );
    }

    #[test]
    fn health_insurance_shares_follow_the_decree_in_force_that_day() {
        let r = rules();
        let card = |state, on| Candidate {
            kind: "health_insurance",
            decided_on: day(on),
            state_amount: state,
            total_amount: 1_000_000,
            rule_set: None,
        };
        let near = |status: &str| Facts {
            class: Some(Class::NearPoor),
            unit_status: [status.to_string()].into(),
            ..Facts::default()
        };
        // 70 % for the near-poor, exactly; one đồng more is refused
        assert!(matches!(
            r.judge(&card(700_000, "2024-03-01"), &near("")),
            Judgement::Eligible { .. }
        ));
        assert_eq!(
            refused_rule(&r.judge(&card(700_001, "2024-03-01"), &near(""))),
            Some("state_share")
        );
        // Decree 146/2018: 100 % in a poor district, to 14/8/2025
        assert!(matches!(
            r.judge(&card(1_000_000, "2025-08-14"), &near("poor_district")),
            Judgement::Eligible { .. }
        ));
        // Decree 188/2025 from 15/8/2025: the poor district no longer, the poor commune
        assert_eq!(
            refused_rule(&r.judge(&card(1_000_000, "2025-08-15"), &near("poor_district"))),
            Some("state_share")
        );
        assert!(matches!(
            r.judge(&card(1_000_000, "2025-08-15"), &near("poor_commune")),
            Judgement::Eligible { .. }
        ));
        // the poor: wholly paid
        let poor = Facts {
            class: Some(Class::Poor),
            ..Facts::default()
        };
        assert!(matches!(
            r.judge(&card(1_000_000, "2024-03-01"), &poor),
            Judgement::Eligible { .. }
        ));
        // a second card within a year of the first
        let twice = Facts {
            prior: vec![Prior {
                kind: "health_insurance".into(),
                decided_on: day("2023-03-02"),
            }],
            ..poor.clone()
        };
        assert_eq!(
            refused_rule(&r.judge(&card(1, "2024-03-01"), &twice)),
            Some("one_card_a_year")
        );
        let a_year_on = Facts {
            prior: vec![Prior {
                kind: "health_insurance".into(),
                decided_on: day("2023-03-01"),
            }],
            ..poor
        };
        assert!(matches!(
            r.judge(&card(1, "2024-03-01"), &a_year_on),
            Judgement::Eligible { .. }
        ));
    }

    #[test]
    fn a_household_newly_out_of_poverty_keeps_its_support_for_three_years() {
        let r = rules();
        let course = |on| Candidate {
            kind: "vocational_training",
            decided_on: day(on),
            state_amount: 3_000_000,
            total_amount: 3_000_000,
            rule_set: None,
        };
        let escaped = Facts {
            class: Some(Class::NotPoor),
            last_poor_or_near: Some(day("2022-06-30")),
            ..Facts::default()
        };
        // the day before three years are up, and not that day
        assert!(matches!(
            r.judge(&course("2025-06-29"), &escaped),
            Judgement::Eligible { .. }
        ));
        let refused = r.judge(&course("2025-06-30"), &escaped);
        assert_eq!(refused_rule(&refused), Some("class"));
        let Judgement::Refused { message, .. } = refused else {
            panic!("refused")
        };
        assert!(
            message.render(crate::Lang::Vi).contains("hộ không nghèo"),
            "{}",
            message.render(crate::Lang::Vi)
        );
        // never poor: refused from the start
        let never = Facts {
            class: Some(Class::NotPoor),
            ..Facts::default()
        };
        assert_eq!(
            refused_rule(&r.judge(&course("2023-01-01"), &never)),
            Some("class")
        );
    }

    #[test]
    fn a_named_rule_set_is_the_only_one_tried() {
        let r = rules();
        let f = poor_housing();
        let named = Candidate {
            rule_set: Some("nha-o-da5-2022-2025"),
            ..house(60_000_000, "2025-01-01")
        };
        assert_eq!(refused_rule(&r.judge(&named, &f)), Some("state_max"));
        let wrong = Candidate {
            rule_set: Some("bhyt-nd188-2025"),
            ..house(1, "2025-01-01")
        };
        assert_eq!(refused_rule(&r.judge(&wrong, &f)), Some("rule_set"));
    }

    #[test]
    fn a_projects_state_share_keeps_within_its_area_class_and_cap() {
        let r = rules();
        let on = day("2024-06-01");
        let chain = r.cost_sharing("value_chain", on).expect("value chain");
        let none = BTreeSet::new();
        let hard: BTreeSet<String> = ["extremely_difficult".to_string()].into();
        let some: BTreeSet<String> = ["difficult".to_string()].into();
        assert_eq!(CostSharing::area_class(&hard), "extremely_difficult");
        assert_eq!(CostSharing::area_class(&some), "difficult");
        assert_eq!(CostSharing::area_class(&none), "other");
        // 80 / 70 / 50 % of 1,000 million: exactly on the line, and one đồng over
        let m = 1_000_000;
        for (area, percent) in [
            ("extremely_difficult", 80),
            ("difficult", 70),
            ("other", 50),
        ] {
            let state = percent * 10 * m;
            assert!(chain.check(area, 1_000 * m, state).is_ok(), "{area}");
            let over = chain.check(area, 1_000 * m, state + 1).expect_err(area);
            assert_eq!(over.key, "model_state_share");
        }
        // the cap: 5,000 million of the state's, not one đồng more
        assert!(chain
            .check("extremely_difficult", 10_000 * m, 5_000 * m)
            .is_ok());
        assert_eq!(
            chain
                .check("extremely_difficult", 10_000 * m, 5_000 * m + 1)
                .expect_err("cap")
                .key,
            "model_state_cap"
        );
        // community projects: 95 / 80 / 60 %, no cap in the national rule
        let community = r.cost_sharing("community", on).expect("community");
        assert!(community
            .check("extremely_difficult", 100 * m, 95 * m)
            .is_ok());
        assert!(community
            .check("extremely_difficult", 100 * m, 95 * m + 1)
            .is_err());
        assert!(community.check("other", 100 * m, 60 * m).is_ok());
        assert!(community.check("other", 100 * m, 60 * m + 1).is_err());
        assert!(community.check("other", 100_000 * m, 60_000 * m).is_ok());
        // outside its days, none applies
        assert!(r.cost_sharing("value_chain", day("2026-01-01")).is_none());
        assert!(r.cost_sharing("value_chain", day("2022-04-24")).is_none());
        assert!(r.cost_sharing("value_chain", day("2022-04-25")).is_some());
    }

    #[test]
    fn model_kinds_name_a_support_kind_and_their_cost_sharing() {
        let r = rules();
        let codes: Vec<&str> = r.model_kinds.iter().map(|k| k.code.as_str()).collect();
        assert_eq!(codes, ["value_chain", "community", "livelihood_model"]);
        for k in &r.model_kinds {
            assert!(r.kind(&k.support_kind).is_some(), "{}", k.code);
        }
        assert_eq!(
            r.model_kind("VALUE_CHAIN").map(|k| k.support_kind.as_str()),
            Some("production_support")
        );
        let on = day("2025-03-01");
        assert!(r.cost_sharing("value_chain", on).is_some());
        assert!(r.cost_sharing("livelihood_model", on).is_none());
        // a model kind of no support kind, or twice, is refused
        let text = BUILTIN.replace(
            "support_kind = \"livelihood_model\"",
            "support_kind = \"cattle\"",
        );
        let e = SupportRules::parse(&text).expect_err("no such kind");
        assert!(e.0.contains("no kind `cattle`"), "{e}");
        let text = format!(
            "{BUILTIN}\n[[model_kind]]\ncode = \"community\"\nname_vi = \"x\"\nname_en = \"x\"\nsupport_kind = \"other\"\n"
        );
        let e = SupportRules::parse(&text).expect_err("twice");
        assert!(e.0.contains("model kind `community` twice"), "{e}");
        // the percent of an area the file does not name is the other areas'
        let chain = r.cost_sharing("value_chain", on).expect("value chain");
        assert_eq!(
            (
                chain.percent("extremely_difficult"),
                chain.percent("difficult"),
                chain.percent("other"),
                chain.percent("x")
            ),
            (80, 70, 50, 50)
        );
    }

    #[test]
    fn a_communes_status_holds_from_its_first_day_to_its_last() {
        let st = UnitStatuses::new(vec![StatusSpan {
            commune: "03151".into(),
            status: "poor_district".into(),
            from: day("2022-03-15"),
            to: day("2025-06-30"),
        }]);
        assert!(st.on("03151", day("2022-03-14")).is_empty());
        assert!(st.on("03151", day("2022-03-15")).contains("poor_district"));
        assert!(st.on("03151", day("2025-06-30")).contains("poor_district"));
        assert!(st.on("03151", day("2025-07-01")).is_empty());
        assert!(st.on("03325", day("2023-01-01")).is_empty());
    }

    #[test]
    fn a_bad_rules_file_is_refused_with_its_reason() {
        let base =
            "[[kind]]\ncode = \"a\"\nname_vi = \"a\"\nname_en = \"a\"\nduplicate_years = 1\n";
        let set = |body: &str| {
            format!("{base}[[rule_set]]\nid = \"s\"\nname_vi = \"s\"\nname_en = \"s\"\nkinds = [\"a\"]\nvalid = {{ from = \"2022-01-01\", to = \"2023-01-01\" }}\n{body}")
        };
        let reason = |t: &str| SupportRules::parse(t).expect_err(t).0;
        assert!(SupportRules::parse(&set("")).is_ok());
        assert!(reason(&set("[[rule_set.rule]]\ncode = \"x\"\n")).contains("one test"));
        assert!(reason(&set(
            "[[rule_set.rule]]\ncode = \"x\"\nclasses = [\"rich\"]\n"
        ))
        .contains("no class"));
        assert!(reason(&set(
            "[[rule_set.rule]]\ncode = \"x\"\nonce = true\nclasses = [\"poor\"]\n"
        ))
        .contains("one test"));
        assert!(reason(&set(
            "[[rule_set.share]]\nclasses = [\"poor\"]\npercent = 101\n"
        ))
        .contains("above 100"));
        assert!(reason(&set("state_max = { b = 1 }\n")).contains("no kind"));
        assert!(reason(&set("").replace("2023-01-01", "2021-01-01")).contains("backwards"));
        let sharing = |shares: &str| {
            format!("{}[[cost_sharing]]\nkind = \"community\"\nname_vi = \"c\"\nname_en = \"c\"\nvalid = {{ from = \"2022-01-01\", to = \"2023-01-01\" }}\nstate_percent = {{ {shares} }}\n", set(""))
        };
        assert!(SupportRules::parse(&sharing("other = 60")).is_ok());
        assert!(reason(&sharing("difficult = 80")).contains("no share for `other`"));
        assert!(reason(&sharing("other = 101")).contains("above 100"));
        assert!(reason(&sharing("other = 60, mountain = 90")).contains("no area class"));
        assert!(reason(&format!("{base}{base}[[rule_set]]\nid = \"s\"\nname_vi = \"s\"\nname_en = \"s\"\nkinds = []\nvalid = {{ from = \"2022-01-01\", to = \"2023-01-01\" }}\n")).contains("twice"));
    }

    fn given(id: i64, kind: &str, on: &str, household: i64, person: Option<&str>) -> Given {
        Given {
            id,
            kind: kind.into(),
            decided_on: day(on),
            household_id: household,
            person_id: person.map(str::to_string),
            person: None,
        }
    }

    #[test]
    fn duplicates_are_found_by_household_personal_id_and_name_with_birth() {
        let r = rules();
        let mut by_name = given(6, "health_insurance", "2024-06-01", 9, None);
        by_name.person = Some(("lo thi mai".into(), "1990-02-03".into()));
        let mut by_name2 = given(7, "health_insurance", "2024-09-01", 10, None);
        by_name2.person = Some(("lo thi mai".into(), "1990-02-03".into()));
        let records = vec![
            // a house built and one repaired for the same household 19 years apart
            given(1, "housing_build", "2005-03-01", 1, None),
            given(2, "housing_repair", "2024-02-28", 1, None),
            // 20 years on to the day: not a duplicate
            given(3, "housing_build", "2004-02-28", 2, None),
            given(4, "housing_build", "2024-02-28", 2, None),
            // a card for one person in two households (moved), by personal ID
            given(5, "health_insurance", "2024-01-10", 3, Some("011090000123")),
            given(8, "health_insurance", "2024-12-10", 4, Some("011090000123")),
            by_name,
            by_name2,
            // credit repeats without being a duplicate
            given(9, "policy_credit", "2024-01-01", 5, None),
            given(10, "policy_credit", "2024-02-01", 5, None),
        ];
        let found = duplicates(&r, &records);
        let pairs: Vec<(i64, i64, Vec<&str>)> = found
            .iter()
            .map(|d| (d.first, d.second, d.by.iter().map(|m| m.code()).collect()))
            .collect();
        assert_eq!(
            pairs,
            [
                (1, 2, vec!["household"]),
                (5, 8, vec!["personal_id"]),
                (6, 7, vec!["name_birth"]),
            ]
        );
    }

    /// A small deterministic generator for the property tests.
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            self.0 >> 33
        }
    }

    #[test]
    fn reordering_or_repeating_records_never_changes_what_is_found() {
        let r = rules();
        let kinds = [
            "housing_build",
            "housing_repair",
            "health_insurance",
            "vocational_training",
            "policy_credit",
        ];
        for seed in 1..40u64 {
            let mut g = Lcg(seed);
            let mut records: Vec<Given> = (0..60)
                .map(|i| {
                    let kind = kinds[(g.next() % kinds.len() as u64) as usize];
                    let year = 2015 + (g.next() % 11) as i32;
                    let on = NaiveDate::from_ymd_opt(
                        year,
                        1 + (g.next() % 12) as u32,
                        1 + (g.next() % 28) as u32,
                    )
                    .expect("day");
                    let mut x = Given {
                        id: i,
                        kind: kind.into(),
                        decided_on: on,
                        household_id: (g.next() % 8) as i64,
                        person_id: None,
                        person: None,
                    };
                    if g.next().is_multiple_of(2) {
                        x.person_id = Some(format!("0110900{:05}", g.next() % 6));
                    }
                    if g.next().is_multiple_of(2) {
                        x.person = Some((format!("ten {}", g.next() % 5), "1990".into()));
                    }
                    x
                })
                .collect();
            let found = duplicates(&r, &records);
            // reversed, and shuffled
            records.reverse();
            assert_eq!(duplicates(&r, &records), found, "seed {seed}: reversed");
            for i in (1..records.len()).rev() {
                let j = (g.next() % (i as u64 + 1)) as usize;
                records.swap(i, j);
            }
            assert_eq!(duplicates(&r, &records), found, "seed {seed}: shuffled");
            // a record read twice (a re-import) finds nothing new between other records
            let mut again = records.clone();
            again.extend(records.iter().cloned());
            let twice: Vec<Duplicate> = duplicates(&r, &again)
                .into_iter()
                .filter(|d| d.first != d.second)
                .collect();
            assert_eq!(twice, found, "seed {seed}: imported twice");
        }
    }
}
