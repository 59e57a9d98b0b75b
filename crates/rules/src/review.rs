//! The annual review as a procedure: the working-day calendar, the procedure's durations and
//! actors by period (both data files, `review/`), and the steps one household's case goes
//! through, as a state machine that refuses a skipped step.
//!
//! A case moves listed → screened (Phiếu A) → surveyed (Phiếu B, a proposed class) → agreed by
//! the village meeting → publicly posted → the higher chairman consulted → decided by the commune
//! chairman → certified. A meeting under the quorum, or a justified complaint during the posting,
//! sends the case back to be surveyed again. A decision is never changed: a correction is a new
//! decision on a decided case. An in-year request may instead be refused in writing.

use crate::codes::Class;
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

/// The days a commune office is closed, per year: public holidays, Tết, days off for a holiday on
/// a weekend, and swapped days; and the weekend days worked instead.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calendar {
    years: BTreeMap<i32, CalendarYear>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct CalendarYear {
    confirmed: bool,
    days_off: BTreeSet<NaiveDate>,
    working_days: BTreeSet<NaiveDate>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CalendarFile {
    year: Vec<CalendarYearFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CalendarYearFile {
    year: i32,
    confirmed: bool,
    days_off: Vec<String>,
    working_days: Vec<String>,
}

fn date(file: &str, s: &str) -> Result<NaiveDate, ReviewDataError> {
    s.parse()
        .map_err(|_| invalid(file, format!("`{s}` is no date (YYYY-MM-DD)")))
}

fn dates(file: &str, list: &[String]) -> Result<Vec<NaiveDate>, ReviewDataError> {
    list.iter().map(|s| date(file, s)).collect()
}

/// A data file of the review that does not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReviewDataError {
    #[error("{file}: {message}")]
    Invalid { file: String, message: String },
}

fn invalid(file: &str, message: impl Into<String>) -> ReviewDataError {
    ReviewDataError::Invalid {
        file: file.to_string(),
        message: message.into(),
    }
}

/// The built-in calendar (`review/holidays-vn.toml`).
const HOLIDAYS: &str = include_str!("../../../review/holidays-vn.toml");
/// The built-in procedure (`review/procedure-vn.toml`).
const PROCEDURE: &str = include_str!("../../../review/procedure-vn.toml");

impl Calendar {
    /// Vietnam's calendar as this build carries it.
    pub fn builtin() -> Result<Calendar, ReviewDataError> {
        Calendar::parse("review/holidays-vn.toml", HOLIDAYS)
    }

    /// Reads a calendar file: each year once, its days inside it, no weekend listed as a day
    /// off and no weekday as a day worked.
    pub fn parse(file: &str, text: &str) -> Result<Calendar, ReviewDataError> {
        let f: CalendarFile = toml::from_str(text).map_err(|e| invalid(file, e.to_string()))?;
        let mut years = BTreeMap::new();
        for y in f.year {
            let (days_off, working_days) =
                (dates(file, &y.days_off)?, dates(file, &y.working_days)?);
            for d in days_off.iter().chain(&working_days) {
                if d.year() != y.year {
                    return Err(invalid(file, format!("{d} is listed under {}", y.year)));
                }
            }
            if let Some(d) = days_off.iter().find(|d| is_weekend(**d)) {
                return Err(invalid(
                    file,
                    format!("{d} is a weekend day, not a day off"),
                ));
            }
            if let Some(d) = working_days.iter().find(|d| !is_weekend(**d)) {
                return Err(invalid(
                    file,
                    format!("{d} is a weekday: it is worked anyway"),
                ));
            }
            let entry = CalendarYear {
                confirmed: y.confirmed,
                days_off: days_off.into_iter().collect(),
                working_days: working_days.into_iter().collect(),
            };
            if years.insert(y.year, entry).is_some() {
                return Err(invalid(file, format!("{} is given twice", y.year)));
            }
        }
        Ok(Calendar { years })
    }

    /// Whether the year's days are the announced ones (`None`: the year is not in the calendar,
    /// and only weekends and the fixed solar holidays are known).
    pub fn confirmed(&self, year: i32) -> Option<bool> {
        self.years.get(&year).map(|y| y.confirmed)
    }

    /// Whether the office works that day. A year the calendar lacks keeps weekends and the
    /// fixed solar holidays (1 January, 30 April, 1 May, 2 September) only.
    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        match self.years.get(&d.year()) {
            Some(y) => y.working_days.contains(&d) || !(is_weekend(d) || y.days_off.contains(&d)),
            None => {
                !is_weekend(d)
                    && !matches!((d.month(), d.day()), (1, 1) | (4, 30) | (5, 1) | (9, 2))
            }
        }
    }

    /// The last day of a period of `n` working days that starts on `start` (counted when it is a
    /// working day, else from the next one). `n` of 0 gives `start`.
    pub fn period_end(&self, start: NaiveDate, n: u32) -> NaiveDate {
        let mut d = start;
        let mut counted = 0;
        if n == 0 {
            return start;
        }
        loop {
            if self.is_working_day(d) {
                counted += 1;
                if counted == n {
                    return d;
                }
            }
            d += Duration::days(1);
        }
    }

    /// The working days from `from` to `to`, both included (0 when `to` is before `from`).
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        from.iter_days()
            .take_while(|d| *d <= to)
            .filter(|d| self.is_working_day(*d))
            .count() as u32
    }
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Whom the commune chairman consults before deciding, for decisions within a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HigherOpinion {
    pub from: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    /// `district_chairman`, `provincial_chairman`.
    pub actor: String,
    pub name_vi: String,
    pub name_en: String,
}

/// A window of the year, month and day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearWindow {
    pub from: (u32, u32),
    pub to: (u32, u32),
}

impl YearWindow {
    /// The window's first and last day in a year.
    pub fn in_year(&self, year: i32) -> Option<(NaiveDate, NaiveDate)> {
        Some((
            NaiveDate::from_ymd_opt(year, self.from.0, self.from.1)?,
            NaiveDate::from_ymd_opt(year, self.to.0, self.to.1)?,
        ))
    }
}

/// The review's durations, quorum and actors, as data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Procedure {
    pub periodic_window: YearWindow,
    pub posting_working_days: u32,
    pub in_year_decision_working_days: u32,
    pub in_year_round_day: u32,
    pub meeting_quorum_percent: u32,
    pub higher_opinion: Vec<HigherOpinion>,
    /// The instruments a commune's decision cites besides the standard's decree, in order.
    pub legal_basis_vi: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProcedureFile {
    periodic_window: WindowFile,
    posting_working_days: u32,
    in_year_decision_working_days: u32,
    in_year_round_day: u32,
    meeting_quorum_percent: u32,
    higher_opinion: Vec<OpinionFile>,
    #[serde(default)]
    legal_basis_vi: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OpinionFile {
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    until: Option<String>,
    actor: String,
    name_vi: String,
    name_en: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WindowFile {
    from: String,
    to: String,
}

fn month_day(file: &str, s: &str) -> Result<(u32, u32), ReviewDataError> {
    let bad = || invalid(file, format!("`{s}` is no month-day (MM-DD)"));
    let (m, d) = s.split_once('-').ok_or_else(bad)?;
    let (m, d): (u32, u32) = (m.parse().map_err(|_| bad())?, d.parse().map_err(|_| bad())?);
    // a leap year takes every month-day there is
    NaiveDate::from_ymd_opt(2024, m, d).ok_or_else(bad)?;
    Ok((m, d))
}

impl Procedure {
    /// The procedure as this build carries it.
    pub fn builtin() -> Result<Procedure, ReviewDataError> {
        Procedure::parse("review/procedure-vn.toml", PROCEDURE)
    }

    /// Reads a procedure file: a window inside the year, durations of at least a day, a quorum
    /// of 1 to 100 %, and higher-opinion periods that follow each other without a gap.
    pub fn parse(file: &str, text: &str) -> Result<Procedure, ReviewDataError> {
        let f: ProcedureFile = toml::from_str(text).map_err(|e| invalid(file, e.to_string()))?;
        let window = YearWindow {
            from: month_day(file, &f.periodic_window.from)?,
            to: month_day(file, &f.periodic_window.to)?,
        };
        if window.from > window.to {
            return Err(invalid(file, "the periodic window ends before it starts"));
        }
        if f.posting_working_days == 0 || f.in_year_decision_working_days == 0 {
            return Err(invalid(file, "a duration is at least one working day"));
        }
        if !(1..=28).contains(&f.in_year_round_day) {
            return Err(invalid(
                file,
                "in_year_round_day is a day of every month (1-28)",
            ));
        }
        if !(1..=100).contains(&f.meeting_quorum_percent) {
            return Err(invalid(file, "meeting_quorum_percent is 1 to 100"));
        }
        let chain = f
            .higher_opinion
            .iter()
            .map(|h| {
                Ok(HigherOpinion {
                    from: h.from.as_deref().map(|d| date(file, d)).transpose()?,
                    until: h.until.as_deref().map(|d| date(file, d)).transpose()?,
                    actor: h.actor.clone(),
                    name_vi: h.name_vi.clone(),
                    name_en: h.name_en.clone(),
                })
            })
            .collect::<Result<Vec<_>, ReviewDataError>>()?;
        if chain.is_empty() {
            return Err(invalid(file, "no higher_opinion is given"));
        }
        if chain[0].from.is_some() || chain[chain.len() - 1].until.is_some() {
            return Err(invalid(
                file,
                "the higher_opinion periods must cover every date",
            ));
        }
        for w in chain.windows(2) {
            let next = w[0].until.and_then(|u| u.succ_opt());
            if next.is_none() || next != w[1].from {
                return Err(invalid(
                    file,
                    format!(
                        "higher_opinion `{}` must end the day before `{}` starts",
                        w[0].actor, w[1].actor
                    ),
                ));
            }
        }
        Ok(Procedure {
            periodic_window: window,
            posting_working_days: f.posting_working_days,
            in_year_decision_working_days: f.in_year_decision_working_days,
            in_year_round_day: f.in_year_round_day,
            meeting_quorum_percent: f.meeting_quorum_percent,
            higher_opinion: chain,
            legal_basis_vi: f.legal_basis_vi,
        })
    }

    /// Whom a decision of this date is preceded by the opinion of.
    pub fn higher_opinion_on(&self, date: NaiveDate) -> &HigherOpinion {
        self.higher_opinion
            .iter()
            .find(|h| h.from.is_none_or(|f| date >= f) && h.until.is_none_or(|u| date <= u))
            // the chain covers every date (checked when read)
            .unwrap_or(&self.higher_opinion[self.higher_opinion.len() - 1])
    }

    /// Whether the village meeting agreed: votes in favour of at least the quorum's share of
    /// its participants (and at least one participant).
    pub fn meeting_agrees(&self, participants: u32, in_favour: u32) -> bool {
        participants > 0
            && in_favour <= participants
            && u64::from(in_favour) * 100
                >= u64::from(self.meeting_quorum_percent) * u64::from(participants)
    }
}

/// What the commune chairman recognises a household as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Approved {
    Poor,
    NearPoor,
    EscapedPoor,
    EscapedNearPoor,
    /// Reviewed and found neither poor nor near-poor, and on neither list before.
    NotListed,
}

impl Approved {
    pub const ALL: [Approved; 5] = [
        Approved::Poor,
        Approved::NearPoor,
        Approved::EscapedPoor,
        Approved::EscapedNearPoor,
        Approved::NotListed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Approved::Poor => "poor",
            Approved::NearPoor => "near_poor",
            Approved::EscapedPoor => "escaped_poor",
            Approved::EscapedNearPoor => "escaped_near_poor",
            Approved::NotListed => "not_listed",
        }
    }

    pub fn from_code(s: &str) -> Option<Approved> {
        Approved::ALL.into_iter().find(|a| a.code() == s)
    }

    /// What the survey's class means for a household that was on a list before (`previous`):
    /// poor or near-poor as found; above the line, escaped from the list it was on, or not
    /// listed.
    pub fn for_class(previous: Option<Class>, class: Class) -> Approved {
        match (class, previous) {
            (Class::Poor, _) => Approved::Poor,
            (Class::NearPoor, _) => Approved::NearPoor,
            (_, Some(Class::Poor)) => Approved::EscapedPoor,
            (_, Some(Class::NearPoor)) => Approved::EscapedNearPoor,
            _ => Approved::NotListed,
        }
    }

    /// The household's class once this is decided, from the class its survey found: poor and
    /// near-poor as recognised; recognised as neither, a household the survey found poor or
    /// near-poor is counted not poor, any other keeps the survey's class (average or not poor).
    pub fn class_after(self, surveyed: Class) -> Class {
        match (self, surveyed) {
            (Approved::Poor, _) => Class::Poor,
            (Approved::NearPoor, _) => Class::NearPoor,
            (_, Class::Poor | Class::NearPoor) => Class::NotPoor,
            (_, other) => other,
        }
    }

    /// Whether the household is given a certificate (poor and near-poor only).
    pub fn certified(self) -> bool {
        matches!(self, Approved::Poor | Approved::NearPoor)
    }
}

/// Where a case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Step {
    /// On the list to review (on a current list, or asked).
    Listed,
    /// Phiếu A passed: to be surveyed (again, after a meeting under the quorum or a complaint).
    Screened,
    /// Phiếu A found it clearly ineligible: the case ends.
    ScreenedOut,
    /// Phiếu B answered; a class proposed.
    Surveyed,
    /// The village meeting agreed the proposed class.
    Agreed,
    /// On the public posting.
    Posted,
    /// The higher chairman's opinion given.
    Consulted,
    /// Recognised by the commune chairman.
    Decided,
    /// Its certificate issued.
    Certified,
    /// An in-year request refused in writing: the case ends.
    Refused,
}

impl Step {
    pub const ALL: [Step; 10] = [
        Step::Listed,
        Step::Screened,
        Step::ScreenedOut,
        Step::Surveyed,
        Step::Agreed,
        Step::Posted,
        Step::Consulted,
        Step::Decided,
        Step::Certified,
        Step::Refused,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Step::Listed => "listed",
            Step::Screened => "screened",
            Step::ScreenedOut => "screened_out",
            Step::Surveyed => "surveyed",
            Step::Agreed => "agreed",
            Step::Posted => "posted",
            Step::Consulted => "consulted",
            Step::Decided => "decided",
            Step::Certified => "certified",
            Step::Refused => "refused",
        }
    }

    pub fn from_code(s: &str) -> Option<Step> {
        Step::ALL.into_iter().find(|x| x.code() == s)
    }

    /// Whether the case is over (nothing but a correcting decision may follow).
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Step::ScreenedOut | Step::Decided | Step::Certified | Step::Refused
        )
    }
}

/// What happens to a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// Phiếu A: eligible to be surveyed, or clearly not.
    Screen { eligible: bool },
    /// Phiếu B: the class the rules engine found.
    Survey { class: Class },
    /// The village meeting of the case's village.
    Meeting { participants: u32, in_favour: u32 },
    /// The public posting starts on a day (it lasts the procedure's working days).
    Post { start: NaiveDate },
    /// A complaint during the posting, answered: a justified one sends the case back to survey.
    Complaint { justified: bool },
    /// The higher chairman's opinion, on a day after the posting has ended.
    Consult { on: NaiveDate },
    /// The commune chairman's decision.
    Decide { approved: Approved },
    /// The certificate issued (poor and near-poor only).
    Certify,
    /// A new decision correcting the case's last one.
    Correct { approved: Approved },
    /// An in-year request refused in writing, with the reason.
    Refuse,
}

/// A step refused, with why (a message key of the catalogue).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{key}")]
pub struct StepRefused {
    pub key: &'static str,
}

fn refused(key: &'static str) -> StepRefused {
    StepRefused { key }
}

/// A case's state: its step, and what the later steps need to know of the earlier ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    pub step: Step,
    /// The class the last survey proposed.
    pub proposed: Option<Class>,
    /// The last day of the current posting.
    pub posting_ends: Option<NaiveDate>,
    /// The last decision's class.
    pub approved: Option<Approved>,
}

impl Default for Case {
    fn default() -> Case {
        Case::new()
    }
}

impl Case {
    pub fn new() -> Case {
        Case {
            step: Step::Listed,
            proposed: None,
            posting_ends: None,
            approved: None,
        }
    }

    /// The case after an event, or why the event cannot happen now. Dates are checked against the
    /// calendar and the procedure: the opinion comes after the posting's last working day.
    pub fn apply(
        &self,
        event: &Event,
        procedure: &Procedure,
        calendar: &Calendar,
    ) -> Result<Case, StepRefused> {
        let mut next = self.clone();
        match (self.step, event) {
            (Step::Listed, Event::Screen { eligible }) => {
                next.step = if *eligible {
                    Step::Screened
                } else {
                    Step::ScreenedOut
                };
            }
            (Step::Screened, Event::Survey { class }) => {
                next.step = Step::Surveyed;
                next.proposed = Some(*class);
            }
            (
                Step::Surveyed,
                Event::Meeting {
                    participants,
                    in_favour,
                },
            ) => {
                if in_favour > participants || *participants == 0 {
                    return Err(refused("review_meeting_votes"));
                }
                // under the quorum the village's results are surveyed again
                next.step = if procedure.meeting_agrees(*participants, *in_favour) {
                    Step::Agreed
                } else {
                    Step::Screened
                };
            }
            (Step::Agreed, Event::Post { start }) => {
                next.step = Step::Posted;
                next.posting_ends =
                    Some(calendar.period_end(*start, procedure.posting_working_days));
            }
            (Step::Posted, Event::Complaint { justified }) => {
                if *justified {
                    next.step = Step::Screened;
                    next.posting_ends = None;
                }
            }
            (Step::Posted, Event::Consult { on }) => {
                if self.posting_ends.is_some_and(|end| *on <= end) {
                    return Err(refused("review_posting_not_over"));
                }
                next.step = Step::Consulted;
            }
            (Step::Consulted, Event::Decide { approved }) => {
                next.step = Step::Decided;
                next.approved = Some(*approved);
            }
            (Step::Decided, Event::Certify) => {
                if !self.approved.is_some_and(Approved::certified) {
                    return Err(refused("review_no_certificate"));
                }
                next.step = Step::Certified;
            }
            (Step::Decided | Step::Certified, Event::Correct { approved }) => {
                next.step = Step::Decided;
                next.approved = Some(*approved);
            }
            (step, Event::Refuse) if !step.is_final() => {
                next.step = Step::Refused;
            }
            (step, _) if step.is_final() => return Err(refused("review_case_closed")),
            _ => return Err(refused("review_step_out_of_order")),
        }
        Ok(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().expect("a date")
    }

    fn cal() -> Calendar {
        Calendar::builtin().expect("calendar")
    }

    fn proc_() -> Procedure {
        Procedure::builtin().expect("procedure")
    }

    #[test]
    fn a_decided_class_is_the_recognised_one_and_off_the_lists_keeps_the_survey_above_them() {
        use Class::*;
        for surveyed in [Poor, NearPoor, Average, NotPoor] {
            assert_eq!(Approved::Poor.class_after(surveyed), Poor);
            assert_eq!(Approved::NearPoor.class_after(surveyed), NearPoor);
        }
        for a in [
            Approved::EscapedPoor,
            Approved::EscapedNearPoor,
            Approved::NotListed,
        ] {
            assert_eq!(a.class_after(Poor), NotPoor, "{a:?}");
            assert_eq!(a.class_after(NearPoor), NotPoor, "{a:?}");
            assert_eq!(a.class_after(Average), Average, "{a:?}");
            assert_eq!(a.class_after(NotPoor), NotPoor, "{a:?}");
        }
        // a decision of the survey's own class changes nothing
        for c in [Poor, NearPoor, Average, NotPoor] {
            for previous in [None, Some(Poor), Some(NearPoor), Some(NotPoor)] {
                assert_eq!(Approved::for_class(previous, c).class_after(c), c);
            }
        }
    }

    #[test]
    fn a_decision_cites_the_procedure_and_the_standard_of_its_year_as_data() {
        let p = proc_();
        assert_eq!(p.legal_basis_vi.len(), 2);
        assert!(p.legal_basis_vi[0].starts_with("Quyết định số 24/2021/QĐ-TTg"));
        let standards = crate::Standards::builtin().expect("standards");
        let cited = |y: i32| {
            standards
                .for_year(y)
                .and_then(|s| s.legal_basis_vi.clone())
                .unwrap_or_default()
        };
        // Decree 351/2025 keeps the 2022-2025 standard for the review of 2026
        assert!(cited(2026).starts_with("Nghị định số 07/2021/NĐ-CP"));
        assert!(cited(2027).starts_with("Nghị định số 351/2025/NĐ-CP"));
        // a file without the list is read, and cites nothing more
        let bare = PROCEDURE
            .lines()
            .filter(|l| !l.starts_with("legal_basis_vi") && !l.starts_with("  \"") && *l != "]")
            .collect::<Vec<_>>()
            .join("\n");
        let p = Procedure::parse("bare.toml", &bare).expect("read");
        assert!(p.legal_basis_vi.is_empty());
    }

    #[test]
    fn working_days_skip_weekends_and_holidays() {
        let c = cal();
        // Tết Bính Ngọ: Friday 13 February 2026 is worked, then nothing until Monday 23
        assert!(c.is_working_day(day("2026-02-13")));
        for d in ["2026-02-14", "2026-02-16", "2026-02-20", "2026-02-22"] {
            assert!(!c.is_working_day(day(d)), "{d}");
        }
        assert!(c.is_working_day(day("2026-02-23")));
        // a posting of 3 working days from Thursday 12 February ends on Monday 23
        assert_eq!(c.period_end(day("2026-02-12"), 3), day("2026-02-23"));
        // one day before Tết: from Friday 13, the 13th, 23rd, 24th
        assert_eq!(c.period_end(day("2026-02-13"), 3), day("2026-02-24"));
        // started on a Saturday: counted from Monday
        assert_eq!(c.period_end(day("2026-11-07"), 3), day("2026-11-11"));
        assert_eq!(c.period_end(day("2026-11-09"), 1), day("2026-11-09"));
        assert_eq!(c.period_end(day("2026-11-09"), 0), day("2026-11-09"));
        // a Saturday worked to make up a swapped day counts
        assert!(c.is_working_day(day("2025-04-26")));
        assert!(!c.is_working_day(day("2025-05-02")));
        // Friday 25, Saturday 26 (worked), Monday 28, Tuesday 29, then Monday 5 May
        assert_eq!(
            c.working_days_between(day("2025-04-25"), day("2025-05-05")),
            5
        );
        assert_eq!(
            c.working_days_between(day("2025-05-05"), day("2025-04-25")),
            0
        );
        // a year not in the calendar keeps the fixed holidays and weekends
        assert_eq!(c.confirmed(2030), None);
        assert!(!c.is_working_day(day("2030-09-02")));
        assert!(c.is_working_day(day("2030-09-03")));
        assert_eq!(c.confirmed(2026), Some(true));
        assert_eq!(c.confirmed(2027), Some(false));
    }

    #[test]
    fn a_calendar_file_is_checked() {
        for (text, says) in [
            ("[[year]]\nyear = 2026\nconfirmed = true\ndays_off = [\"2026-02-14\"]\nworking_days = []", "weekend"),
            ("[[year]]\nyear = 2026\nconfirmed = true\ndays_off = []\nworking_days = [\"2026-02-13\"]", "weekday"),
            ("[[year]]\nyear = 2026\nconfirmed = true\ndays_off = [\"2025-02-13\"]\nworking_days = []", "under 2026"),
            ("[[year]]\nyear = 2026\nconfirmed = true\ndays_off = []\nworking_days = []\n[[year]]\nyear = 2026\nconfirmed = true\ndays_off = []\nworking_days = []", "twice"),
        ] {
            let e = Calendar::parse("f.toml", text).expect_err(says);
            assert!(e.to_string().contains(says), "{e}");
            assert!(e.to_string().starts_with("f.toml: "));
        }
    }

    #[test]
    fn the_procedure_reads_and_its_chain_follows_the_reform() {
        let p = proc_();
        assert_eq!(p.posting_working_days, 3);
        assert_eq!(
            p.higher_opinion_on(day("2025-06-30")).actor,
            "district_chairman"
        );
        assert_eq!(
            p.higher_opinion_on(day("2025-07-01")).actor,
            "provincial_chairman"
        );
        assert_eq!(
            p.higher_opinion_on(day("2021-01-01")).actor,
            "district_chairman"
        );
        assert_eq!(
            p.periodic_window.in_year(2026),
            Some((day("2026-09-01"), day("2026-12-14")))
        );
        // a gap, or an overlap, between the periods is refused
        let gap = PROCEDURE.replace("from = \"2025-07-01\"", "from = \"2025-07-02\"");
        assert!(Procedure::parse("p.toml", &gap).is_err());
        let bad_window = PROCEDURE.replace("to = \"12-14\"", "to = \"02-30\"");
        assert!(Procedure::parse("p.toml", &bad_window).is_err());
    }

    #[test]
    fn the_meeting_agrees_from_half_of_its_participants() {
        let p = proc_();
        // exactly on the line, one below, one above
        assert!(p.meeting_agrees(40, 20));
        assert!(!p.meeting_agrees(40, 19));
        assert!(p.meeting_agrees(40, 21));
        assert!(p.meeting_agrees(41, 21));
        assert!(!p.meeting_agrees(41, 20));
        assert!(!p.meeting_agrees(0, 0));
        assert!(!p.meeting_agrees(10, 11));
    }

    #[test]
    fn the_approved_class_follows_the_list_it_was_on() {
        use Class::*;
        assert_eq!(Approved::for_class(None, Poor), Approved::Poor);
        assert_eq!(
            Approved::for_class(Some(Poor), NearPoor),
            Approved::NearPoor
        );
        assert_eq!(
            Approved::for_class(Some(Poor), Average),
            Approved::EscapedPoor
        );
        assert_eq!(
            Approved::for_class(Some(NearPoor), NotPoor),
            Approved::EscapedNearPoor
        );
        assert_eq!(
            Approved::for_class(Some(Average), NotPoor),
            Approved::NotListed
        );
        assert_eq!(Approved::for_class(None, Average), Approved::NotListed);
        for a in Approved::ALL {
            assert_eq!(Approved::from_code(a.code()), Some(a));
        }
    }

    /// The whole way, posted on Thursday 12 February 2026 (before Tết).
    fn whole_way() -> Vec<Event> {
        vec![
            Event::Screen { eligible: true },
            Event::Survey { class: Class::Poor },
            Event::Meeting {
                participants: 30,
                in_favour: 15,
            },
            Event::Post {
                start: day("2026-02-12"),
            },
            Event::Consult {
                on: day("2026-02-24"),
            },
            Event::Decide {
                approved: Approved::Poor,
            },
            Event::Certify,
        ]
    }

    fn run(events: &[Event]) -> Result<Case, StepRefused> {
        let (p, c) = (proc_(), cal());
        events
            .iter()
            .try_fold(Case::new(), |case, e| case.apply(e, &p, &c))
    }

    #[test]
    fn a_case_goes_the_whole_way_and_no_step_is_skipped() {
        let done = run(&whole_way()).expect("the whole way");
        assert_eq!(done.step, Step::Certified);
        assert_eq!(done.posting_ends, Some(day("2026-02-23")));
        // each step left out is refused where it is missed
        for skip in 0..whole_way().len() - 1 {
            let mut events = whole_way();
            events.remove(skip);
            let e = run(&events).expect_err("a skipped step");
            assert_eq!(e.key, "review_step_out_of_order", "step {skip} left out");
        }
        // the opinion on the posting's last working day is too early (Tết counted out)
        let mut early = whole_way();
        early[4] = Event::Consult {
            on: day("2026-02-23"),
        };
        assert_eq!(run(&early).unwrap_err().key, "review_posting_not_over");
        // a meeting under the quorum sends the case back to survey
        let mut under = whole_way();
        under[2] = Event::Meeting {
            participants: 30,
            in_favour: 14,
        };
        assert_eq!(run(&under[..3]).expect("back").step, Step::Screened);
        assert_eq!(run(&under).unwrap_err().key, "review_step_out_of_order");
        // a justified complaint reopens the survey; an unjustified one changes nothing
        let mut complained = whole_way()[..4].to_vec();
        complained.push(Event::Complaint { justified: false });
        assert_eq!(run(&complained).expect("kept").step, Step::Posted);
        complained.push(Event::Complaint { justified: true });
        let back = run(&complained).expect("reopened");
        assert_eq!((back.step, back.posting_ends), (Step::Screened, None));
        // no certificate for an escape; a correction is a new decision
        let mut escaped = whole_way();
        escaped[5] = Event::Decide {
            approved: Approved::EscapedPoor,
        };
        assert_eq!(run(&escaped).unwrap_err().key, "review_no_certificate");
        let mut corrected = whole_way();
        corrected.push(Event::Correct {
            approved: Approved::NearPoor,
        });
        let c = run(&corrected).expect("corrected");
        assert_eq!(
            (c.step, c.approved),
            (Step::Decided, Some(Approved::NearPoor))
        );
        // closed cases take nothing more
        let out = run(&[Event::Screen { eligible: false }]).expect("screened out");
        assert_eq!(out.step, Step::ScreenedOut);
        let e = out.apply(&Event::Refuse, &proc_(), &cal()).unwrap_err();
        assert_eq!(e.key, "review_case_closed");
        assert_eq!(
            run(&[Event::Screen { eligible: true }, Event::Refuse]).map(|c| c.step),
            Ok(Step::Refused)
        );
        assert_eq!(
            run(&[
                Event::Screen { eligible: true },
                Event::Survey { class: Class::Poor },
                Event::Meeting {
                    participants: 5,
                    in_favour: 6
                }
            ])
            .unwrap_err()
            .key,
            "review_meeting_votes"
        );
    }

    fn any_event() -> impl Strategy<Value = Event> {
        let date = (0i64..120).prop_map(|n| day("2026-01-20") + Duration::days(n));
        let class = prop_oneof![
            Just(Class::Poor),
            Just(Class::NearPoor),
            Just(Class::Average),
            Just(Class::NotPoor)
        ];
        let approved = (0usize..5).prop_map(|i| Approved::ALL[i]);
        prop_oneof![
            any::<bool>().prop_map(|eligible| Event::Screen { eligible }),
            class.prop_map(|class| Event::Survey { class }),
            (0u32..60, 0u32..60).prop_map(|(participants, in_favour)| Event::Meeting {
                participants,
                in_favour
            }),
            date.clone().prop_map(|start| Event::Post { start }),
            any::<bool>().prop_map(|justified| Event::Complaint { justified }),
            date.prop_map(|on| Event::Consult { on }),
            approved
                .clone()
                .prop_map(|approved| Event::Decide { approved }),
            Just(Event::Certify),
            approved.prop_map(|approved| Event::Correct { approved }),
            Just(Event::Refuse),
        ]
    }

    /// The whole way with random events before each of its steps: most runs reach a decision,
    /// many through a reopening.
    fn noisy_way() -> impl Strategy<Value = Vec<Event>> {
        proptest::collection::vec(proptest::collection::vec(any_event(), 0..3), 7).prop_map(
            |noise| {
                noise
                    .into_iter()
                    .zip(whole_way())
                    .flat_map(|(mut before, step)| {
                        before.push(step);
                        before
                    })
                    .collect()
            },
        )
    }

    /// The property below is not empty: the noisy runs do reach decisions.
    #[test]
    fn the_noisy_runs_reach_decisions() {
        use proptest::strategy::ValueTree;
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let decided = (0..200)
            .filter(|_| {
                let events = noisy_way().new_tree(&mut runner).expect("a run").current();
                let (p, c) = (proc_(), cal());
                let mut case = Case::new();
                for e in &events {
                    if let Ok(next) = case.apply(e, &p, &c) {
                        case = next;
                    }
                }
                case.approved.is_some()
            })
            .count();
        assert!(decided > 40, "{decided} of 200 decided");
    }

    proptest! {
        /// Whatever happens in whatever order, a case reaches a decision only through a screening,
        /// a survey, a meeting of at least the quorum, a posting whose last working day passed
        /// before the opinion, and the opinion, in that order since its last reopening.
        #[test]
        fn no_decision_without_every_step(
            events in prop_oneof![proptest::collection::vec(any_event(), 0..40), noisy_way()]
        ) {
            let (p, c) = (proc_(), cal());
            let mut case = Case::new();
            let mut since_reopen: Vec<Event> = Vec::new();
            for e in &events {
                let Ok(next) = case.apply(e, &p, &c) else { continue };
                if next.step == Step::Screened && case.step != Step::Listed {
                    since_reopen.clear();
                }
                since_reopen.push(e.clone());
                if next.step == Step::Decided && case.step == Step::Consulted {
                    // the decision itself is the last; before it, in order, what it rests on
                    let kinds: Vec<&Event> = since_reopen
                        .iter()
                        .filter(|e| !matches!(e, Event::Complaint { justified: false }))
                        .collect();
                    let n = kinds.len();
                    prop_assert!(n >= 5, "{kinds:?}");
                    prop_assert!(matches!(kinds[n - 5], Event::Survey { .. }), "{kinds:?}");
                    prop_assert!(
                        matches!(kinds[n - 4], Event::Meeting { participants, in_favour } if p.meeting_agrees(*participants, *in_favour)),
                        "{kinds:?}"
                    );
                    let (Event::Post { start }, Event::Consult { on }) = (kinds[n - 3], kinds[n - 2]) else {
                        return Err(TestCaseError::fail(format!("{kinds:?}")));
                    };
                    prop_assert!(c.working_days_between(*start, *on - Duration::days(1)) >= p.posting_working_days);
                }
                if next.step == Step::Certified {
                    prop_assert!(next.approved.is_some_and(Approved::certified));
                }
                case = next;
            }
        }
    }
}
