//! The annual review run in the system: the province's plan, each commune's window inside it, the
//! commune's list of households to review, and the steps of their cases, each checked by the
//! state machine of `rules::review` before it is written (all the cases of a step, or none).
//!
//! Provincial officers plan; commune officers (and the provincial officers above them) run their
//! commune's cases; everyone in scope reads.

use crate::access::{province_of, Denied};
use crate::registry::{QueryError, Scoped};
use giamngheo_rules::review::{Approved, Case, Event, Step};
use giamngheo_rules::{msg, Class, CommuneCode, NaiveDate, UnitCode};
use giamngheo_store::{
    BatchRecord, CaseRow, NewCase, NewReview, ReviewRow, StepBatch, StepWrite, StoreError,
};

/// A plan as an officer fills it in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanForm {
    pub year: i32,
    pub plan_number: String,
    pub plan_date: NaiveDate,
    pub starts: NaiveDate,
    pub ends: NaiveDate,
}

/// What a household asks for in an in-year request (Mẫu 04).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Request {
    /// To be recognised as poor.
    Poor,
    /// To be recognised as near-poor.
    NearPoor,
    /// To be recognised as having escaped (poverty or near-poverty).
    Escape,
}

impl Request {
    pub const ALL: [Request; 3] = [Request::Poor, Request::NearPoor, Request::Escape];

    /// The case's origin as stored.
    pub fn origin(self) -> &'static str {
        match self {
            Request::Poor => "requested_poor",
            Request::NearPoor => "requested_near_poor",
            Request::Escape => "requested_escape",
        }
    }

    pub fn from_code(s: &str) -> Option<Request> {
        Request::ALL
            .into_iter()
            .find(|r| r.origin() == s || r.origin().strip_prefix("requested_") == Some(s))
    }
}

/// The first day of the in-year round a request filed on `filed` goes to: the month's round day
/// when it has not passed, else the next month's.
pub fn round_start(filed: NaiveDate, round_day: u32) -> Option<NaiveDate> {
    use giamngheo_rules::chrono::Datelike;
    let this = NaiveDate::from_ymd_opt(filed.year(), filed.month(), round_day)?;
    if filed <= this {
        return Some(this);
    }
    let (y, m) = if filed.month() == 12 {
        (filed.year() + 1, 1)
    } else {
        (filed.year(), filed.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, round_day)
}

/// A case's state for the state machine, from its row.
fn case_state(c: &CaseRow) -> Result<Case, QueryError> {
    let bad = |what: &str| {
        QueryError::Store(giamngheo_store::StoreError::Invalid(format!(
            "case #{}: unknown {what}",
            c.id
        )))
    };
    Ok(Case {
        step: Step::from_code(&c.step).ok_or_else(|| bad("step"))?,
        proposed: c
            .proposed_class
            .as_deref()
            .map(|p| Class::from_code(p).ok_or_else(|| bad("class")))
            .transpose()?,
        posting_ends: c.posting_ends,
        approved: c
            .approved
            .as_deref()
            .map(|a| giamngheo_rules::review::Approved::from_code(a).ok_or_else(|| bad("class")))
            .transpose()?,
    })
}

/// Whether a review is a commune's window inside `unit`: the commune's own, or any commune's of
/// the province.
pub fn window_in(r: &ReviewRow, unit: &UnitCode) -> bool {
    match (unit, &r.commune_code) {
        (UnitCode::Commune(c), Some(rc)) => c.as_str() == rc,
        (UnitCode::Province(_), Some(_)) => true,
        _ => false,
    }
}

/// How many of a review's cases have not reached the end of their case.
pub fn open_cases(r: &ReviewRow) -> i64 {
    r.steps
        .iter()
        .filter(|(s, _)| !Step::from_code(s).is_some_and(Step::is_final))
        .map(|(_, n)| n)
        .sum()
}

/// Locks a province's year once every case of it has ended (see [`Scoped::lock_year`]).
pub(crate) async fn lock(
    store: &giamngheo_store::Store,
    who: &giamngheo_store::Who,
    province: &str,
    year: i32,
) -> Result<usize, QueryError> {
    let reviews = store.reviews(province, year).await?;
    if reviews.is_empty() {
        return Err(QueryError::Invalid(msg!(
            "review_nothing_to_lock",
            year = year
        )));
    }
    let open: i64 = reviews.iter().map(open_cases).sum();
    if open > 0 {
        return Err(QueryError::Invalid(msg!("review_open_cases", count = open)));
    }
    let ids: Vec<i64> = reviews.iter().filter(|r| !r.locked).map(|r| r.id).collect();
    Ok(store.lock_reviews(who, province, year, &ids).await? as usize)
}

/// An event's name in the history and the audit log.
fn event_code(e: &Event) -> &'static str {
    match e {
        Event::Screen { .. } => "screen",
        Event::Survey { .. } => "survey",
        Event::Meeting { .. } => "meeting",
        Event::Post { .. } => "post",
        Event::Complaint { .. } => "complaint",
        Event::Consult { .. } => "consult",
        Event::Decide { .. } => "decide",
        Event::Certify => "certify",
        Event::Correct { .. } => "correct",
        Event::Refuse => "refuse",
    }
}

impl Scoped<'_> {
    /// Whether the user plans reviews (a province's officer, or the administrator).
    fn plans(&self) -> bool {
        self.actor.plans_reviews()
    }

    /// Whether the user runs a commune's cases: its officer, or an officer of its province.
    pub(crate) fn runs(&self, commune: &str) -> bool {
        self.actor.imports() && self.actor.sees_commune(commune)
    }

    /// The province's periodic plan for a year, inside the procedure's window (1 September to
    /// 14 December). Returns its id.
    pub async fn plan_review(
        &self,
        province: &UnitCode,
        form: &PlanForm,
    ) -> Result<i64, QueryError> {
        self.actor.read(province)?;
        let UnitCode::Province(p) = province else {
            return Err(Denied::NotFound.into());
        };
        if !self.plans() {
            return Err(Denied::Forbidden.into());
        }
        let (procedure, _) = &*self.registry.procedure;
        let Some((from, to)) = procedure.periodic_window.in_year(form.year) else {
            return Err(QueryError::Invalid(msg!(
                "review_plan_window",
                from = "",
                to = ""
            )));
        };
        self.check_window(form, from, to)?;
        Ok(self
            .registry
            .store
            .create_review(
                &self.who(),
                &NewReview {
                    kind: "periodic".into(),
                    year: form.year,
                    province_code: p.to_string(),
                    commune_code: None,
                    parent_id: None,
                    plan_number: form.plan_number.trim().to_string(),
                    plan_date: form.plan_date,
                    starts: form.starts,
                    ends: form.ends,
                },
            )
            .await?)
    }

    fn check_window(
        &self,
        form: &PlanForm,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<(), QueryError> {
        if form.plan_number.trim().is_empty() {
            return Err(QueryError::Invalid(msg!("review_plan_number")));
        }
        if form.starts < from || form.ends > to || form.starts > form.ends {
            return Err(QueryError::Invalid(msg!(
                "review_plan_window",
                from = from.format("%d/%m/%Y").to_string(),
                to = to.format("%d/%m/%Y").to_string()
            )));
        }
        Ok(())
    }

    /// A commune's own window inside its province's plan. Returns its id.
    pub async fn plan_commune(
        &self,
        parent: i64,
        commune: &CommuneCode,
        form: &PlanForm,
    ) -> Result<i64, QueryError> {
        let plan = self.review(parent).await?;
        if plan.commune_code.is_some() {
            return Err(Denied::NotFound.into());
        }
        let unit = UnitCode::Commune(*commune);
        if province_of(&unit).map(|p| p.to_string()) != Some(plan.province_code.clone()) {
            return Err(Denied::NotFound.into());
        }
        self.actor.read(&unit)?;
        if !self.runs(commune.as_str()) {
            return Err(Denied::Forbidden.into());
        }
        let form = PlanForm {
            year: plan.year,
            ..form.clone()
        };
        self.check_window(&form, plan.starts, plan.ends)?;
        Ok(self
            .registry
            .store
            .create_review(
                &self.who(),
                &NewReview {
                    kind: plan.kind.clone(),
                    year: plan.year,
                    province_code: plan.province_code.clone(),
                    commune_code: Some(commune.to_string()),
                    parent_id: Some(plan.id),
                    plan_number: form.plan_number.trim().to_string(),
                    plan_date: form.plan_date,
                    starts: form.starts,
                    ends: form.ends,
                },
            )
            .await?)
    }

    /// A review within the user's scope (a province's plan for its province's users).
    pub async fn review(&self, id: i64) -> Result<ReviewRow, QueryError> {
        let r = self
            .registry
            .store
            .review(id)
            .await?
            .ok_or(Denied::NotFound)?;
        let unit = match &r.commune_code {
            Some(c) => UnitCode::parse(c),
            None => UnitCode::parse(&r.province_code),
        }
        .ok_or(Denied::NotFound)?;
        let visible = match (&r.commune_code, &self.actor.unit) {
            // a commune's users see their province's plan, which their window sits in
            (None, Some(UnitCode::Commune(c))) => {
                province_of(&UnitCode::Commune(*c)).map(|p| p.to_string())
                    == Some(r.province_code.clone())
            }
            _ => self.actor.sees(&unit),
        };
        if !visible {
            return Err(Denied::NotFound.into());
        }
        Ok(r)
    }

    /// The reviews of a province's year: its plan and its communes' windows that the user sees.
    pub async fn reviews(
        &self,
        province: &UnitCode,
        year: i32,
    ) -> Result<Vec<ReviewRow>, QueryError> {
        let Some(p) = province_of(province) else {
            return Err(Denied::NotFound.into());
        };
        let all = self.registry.store.reviews(p.as_str(), year).await?;
        Ok(all
            .into_iter()
            .filter(|r| match &r.commune_code {
                Some(c) => self.actor.sees_commune(c),
                None => true,
            })
            .collect())
    }

    /// A commune's window the user runs, locked or not (a correction is taken after the lock).
    async fn run_review(&self, id: i64) -> Result<(ReviewRow, String), QueryError> {
        let r = self.review(id).await?;
        let Some(commune) = r.commune_code.clone() else {
            return Err(Denied::NotFound.into());
        };
        if !self.runs(&commune) {
            return Err(Denied::Forbidden.into());
        }
        Ok((r, commune))
    }

    /// A commune's review: the review, which must be a commune's window the user runs.
    pub(crate) async fn commune_review(&self, id: i64) -> Result<(ReviewRow, String), QueryError> {
        let (r, commune) = self.run_review(id).await?;
        if r.locked {
            return Err(QueryError::Invalid(msg!("review_locked")));
        }
        Ok((r, commune))
    }

    /// Puts the commune's households on last year's poor and near-poor lists on the review's
    /// list. Returns how many were added.
    pub async fn list_households(&self, review: i64) -> Result<u64, QueryError> {
        let (r, commune) = self.commune_review(review).await?;
        let store = &self.registry.store;
        let listed = store.on_lists(&commune, r.year - 1).await?;
        let cases: Vec<NewCase> = listed
            .into_iter()
            .map(|(household_id, class)| NewCase {
                household_id,
                origin: "on_list".into(),
                previous_class: Some(class),
            })
            .collect();
        Ok(store
            .open_cases(&self.who(), r.id, &commune, &cases)
            .await?)
    }

    /// A household not on last year's lists that asks to be reviewed (Mẫu 01), put on the
    /// periodic round's list. Taken until the round's first posting (later, the household asks
    /// in an in-year round); the day it asked is neither after `today` nor after the round.
    pub async fn apply(
        &self,
        review: i64,
        household_code: &str,
        request: Request,
        applied_on: NaiveDate,
        today: NaiveDate,
    ) -> Result<u64, QueryError> {
        let (r, commune) = self.commune_review(review).await?;
        if r.kind != "periodic" {
            return Err(QueryError::Invalid(msg!("review_apply_periodic")));
        }
        if request == Request::Escape {
            return Err(QueryError::Invalid(msg!("review_apply_kind")));
        }
        if applied_on > today || applied_on > r.ends {
            return Err(QueryError::Invalid(msg!(
                "review_apply_date",
                date = applied_on,
                ends = r.ends
            )));
        }
        let store = &self.registry.store;
        let cases = store.cases(r.id, None).await?;
        let late = cases.iter().any(|c| {
            Step::from_code(&c.step).is_some_and(|s| {
                matches!(
                    s,
                    Step::Posted | Step::Consulted | Step::Decided | Step::Certified
                )
            })
        });
        if late {
            return Err(QueryError::Invalid(msg!("review_apply_late")));
        }
        let code = household_code.trim();
        let Some(id) = store.household_id(&commune, code).await? else {
            return Err(QueryError::Invalid(msg!(
                "review_apply_unknown",
                household = code
            )));
        };
        let h = self.household(id).await?;
        if h.lineage.ended.is_some() {
            return Err(QueryError::Invalid(msg!("household_ended")));
        }
        if cases.iter().any(|c| c.household_id == id) {
            return Err(QueryError::Invalid(msg!(
                "review_in_round_twice",
                household = code
            )));
        }
        let previous = h
            .assessments
            .iter()
            .filter(|a| a.year < r.year)
            .max_by_key(|a| a.year)
            .map(|a| a.class.code().to_string());
        Ok(store
            .open_cases_as(
                &self.who(),
                r.id,
                &commune,
                &[NewCase {
                    household_id: id,
                    origin: request.origin().into(),
                    previous_class: previous,
                }],
                "review.apply",
                Some(serde_json::json!({
                    "household": code, "asks": request.origin(), "on": applied_on,
                })),
            )
            .await?)
    }

    /// A review's cases (a step's only, when given).
    pub async fn cases(&self, review: i64, step: Option<Step>) -> Result<Vec<CaseRow>, QueryError> {
        let r = self.review(review).await?;
        if r.commune_code.is_none() {
            return Err(Denied::NotFound.into());
        }
        Ok(self
            .registry
            .store
            .cases(r.id, step.map(Step::code))
            .await?)
    }

    /// A case's history, oldest first: (from, to, event, user, time).
    pub async fn case_history(
        &self,
        review: i64,
        case: i64,
    ) -> Result<
        Vec<(
            String,
            String,
            String,
            String,
            giamngheo_rules::chrono::DateTime<giamngheo_rules::chrono::Utc>,
        )>,
        QueryError,
    > {
        let cases = self.cases(review, None).await?;
        if !cases.iter().any(|c| c.id == case) {
            return Err(Denied::NotFound.into());
        }
        Ok(self.registry.store.case_history(case).await?)
    }

    /// The same step for these cases of a review, each checked by the state machine: all are
    /// written, or none (the first refusal says why, naming the household).
    pub async fn take_step(
        &self,
        review: i64,
        case_ids: &[i64],
        event: &Event,
    ) -> Result<usize, QueryError> {
        let (r, commune) = self.commune_review(review).await?;
        let cases = self.registry.store.cases(r.id, None).await?;
        let mut chosen = Vec::new();
        for id in case_ids {
            let c = cases.iter().find(|c| c.id == *id).ok_or(Denied::NotFound)?;
            chosen.push((c, event.clone()));
        }
        self.write(&r, &commune, event, chosen, None).await
    }

    /// Each case's step as the state machine takes it, or the first refusal, naming the
    /// household.
    fn planned(&self, chosen: &[(&CaseRow, Event)]) -> Result<Vec<StepWrite>, QueryError> {
        let (procedure, calendar) = &*self.registry.procedure;
        chosen
            .iter()
            .map(|(c, event)| {
                let now = case_state(c)?;
                let next = now.apply(event, procedure, calendar).map_err(|e| {
                    QueryError::Invalid(
                        msg!("review_step_refused", household = &c.household_code)
                            .nested("why", giamngheo_rules::text::Msg::new(e.key)),
                    )
                })?;
                Ok(StepWrite {
                    case_id: c.id,
                    from: now.step.code().into(),
                    to: next.step.code().into(),
                    proposed_class: next.proposed.map(|p| p.code().to_string()),
                    posting_ends: next.posting_ends,
                    approved: next.approved.map(|a| a.code().to_string()),
                })
            })
            .collect()
    }

    /// Checks each case's event by the state machine and writes them as one batch.
    async fn write(
        &self,
        r: &ReviewRow,
        commune: &str,
        kind: &Event,
        chosen: Vec<(&CaseRow, Event)>,
        record: Option<BatchRecord>,
    ) -> Result<usize, QueryError> {
        let (procedure, calendar) = &*self.registry.procedure;
        let steps = self.planned(&chosen)?;
        let detail = match kind {
            Event::Screen { eligible } => serde_json::json!({ "eligible": eligible }),
            // each case its own class: the batch says how many of each
            Event::Survey { .. } => {
                let mut by_class = serde_json::Map::new();
                for (_, e) in &chosen {
                    if let Event::Survey { class } = e {
                        let n = by_class.entry(class.code()).or_insert(0.into());
                        *n = (n.as_i64().unwrap_or(0) + 1).into();
                    }
                }
                serde_json::Value::Object(by_class)
            }
            Event::Meeting {
                participants,
                in_favour,
            } => serde_json::json!({
                "participants": participants, "in_favour": in_favour,
                "agreed": procedure.meeting_agrees(*participants, *in_favour),
            }),
            Event::Post { start } => serde_json::json!({
                "starts": start.to_string(),
                "ends": calendar.period_end(*start, procedure.posting_working_days).to_string(),
            }),
            Event::Complaint { justified } => serde_json::json!({ "justified": justified }),
            Event::Consult { on } => serde_json::json!({
                "on": on.to_string(), "actor": procedure.higher_opinion_on(*on).actor,
            }),
            Event::Decide { .. } | Event::Correct { .. } => match &record {
                Some(BatchRecord::Decision {
                    number,
                    decided_on,
                    reason,
                    ..
                }) => serde_json::json!({
                    "number": number, "decided_on": decided_on.to_string(), "reason": reason,
                }),
                _ => serde_json::json!({}),
            },
            Event::Certify | Event::Refuse => serde_json::json!({}),
        };
        let n = steps.len();
        let written = self
            .registry
            .store
            .write_steps(
                &self.who(),
                &StepBatch {
                    review_id: r.id,
                    commune_code: commune.to_string(),
                    event: event_code(kind).into(),
                    detail,
                    steps,
                    record,
                },
            )
            .await;
        match written {
            Err(StoreError::DecisionNumberTaken(number)) => Err(QueryError::Invalid(msg!(
                "review_decision_number_taken",
                number = number
            ))),
            other => {
                other?;
                Ok(n)
            }
        }
    }

    /// Phiếu A for these cases: eligible to be surveyed, or not.
    pub async fn screen(
        &self,
        review: i64,
        case_ids: &[i64],
        eligible: bool,
    ) -> Result<usize, QueryError> {
        self.take_step(review, case_ids, &Event::Screen { eligible })
            .await
    }

    /// The screened cases whose household has a survey of the review's year in the registry
    /// (imported, or entered) take its class as proposed. Returns how many.
    pub async fn survey_from_assessments(&self, review: i64) -> Result<usize, QueryError> {
        let (r, commune) = self.commune_review(review).await?;
        let store = &self.registry.store;
        let cases = store.cases(r.id, Some(Step::Screened.code())).await?;
        let classes = store.classes_of(&commune, r.year).await?;
        let chosen: Vec<(&CaseRow, Event)> = cases
            .iter()
            .filter_map(|c| {
                let class = classes
                    .get(&c.household_id)
                    .and_then(|k| Class::from_code(k))?;
                Some((c, Event::Survey { class }))
            })
            .collect();
        if chosen.is_empty() {
            return Err(QueryError::Invalid(msg!(
                "review_no_survey_yet",
                year = r.year
            )));
        }
        let kind = Event::Survey { class: Class::Poor };
        self.write(&r, &commune, &kind, chosen, None).await
    }

    /// A village's meeting on its surveyed cases (`village` by name; `None`: the households of
    /// no village). Under the quorum, they go back to be surveyed.
    pub async fn village_meeting(
        &self,
        review: i64,
        village: Option<&str>,
        held_on: NaiveDate,
        participants: u32,
        in_favour: u32,
        note: Option<String>,
    ) -> Result<usize, QueryError> {
        let (r, commune) = self.commune_review(review).await?;
        let (procedure, _) = &*self.registry.procedure;
        let cases = self
            .registry
            .store
            .cases(r.id, Some(Step::Surveyed.code()))
            .await?;
        let event = Event::Meeting {
            participants,
            in_favour,
        };
        let chosen: Vec<(&CaseRow, Event)> = cases
            .iter()
            .filter(|c| c.village.as_deref() == village)
            .map(|c| (c, event.clone()))
            .collect();
        if chosen.is_empty() {
            return Err(QueryError::Invalid(msg!("review_nothing_to_do")));
        }
        let record = BatchRecord::Meeting {
            village: village.map(str::to_string),
            held_on,
            participants: participants.min(i32::MAX as u32) as i32,
            in_favour: in_favour.min(i32::MAX as u32) as i32,
            agreed: procedure.meeting_agrees(participants, in_favour),
            note,
        };
        self.write(&r, &commune, &event, chosen, Some(record)).await
    }

    /// The public posting of every agreed case, from `starts` for the procedure's working days.
    pub async fn post(
        &self,
        review: i64,
        starts: NaiveDate,
        places: &str,
    ) -> Result<usize, QueryError> {
        let (r, commune) = self.commune_review(review).await?;
        let (procedure, calendar) = &*self.registry.procedure;
        let cases = self
            .registry
            .store
            .cases(r.id, Some(Step::Agreed.code()))
            .await?;
        let event = Event::Post { start: starts };
        let chosen: Vec<(&CaseRow, Event)> = cases.iter().map(|c| (c, event.clone())).collect();
        if chosen.is_empty() {
            return Err(QueryError::Invalid(msg!("review_nothing_to_do")));
        }
        let record = BatchRecord::Posting {
            starts,
            ends: calendar.period_end(starts, procedure.posting_working_days),
            places: places.trim().to_string(),
        };
        self.write(&r, &commune, &event, chosen, Some(record)).await
    }

    /// The higher chairman's opinion on every posted case whose posting is over.
    pub async fn consult(&self, review: i64, on: NaiveDate) -> Result<usize, QueryError> {
        let (r, commune) = self.commune_review(review).await?;
        let cases = self
            .registry
            .store
            .cases(r.id, Some(Step::Posted.code()))
            .await?;
        let event = Event::Consult { on };
        let chosen: Vec<(&CaseRow, Event)> = cases.iter().map(|c| (c, event.clone())).collect();
        if chosen.is_empty() {
            return Err(QueryError::Invalid(msg!("review_nothing_to_do")));
        }
        self.write(&r, &commune, &event, chosen, None).await
    }

    /// The commune chairman's decision on every consulted case: each approved as its survey
    /// found it against the list it was on (poor, near-poor, escaped, or not listed).
    pub async fn decide(
        &self,
        review: i64,
        number: &str,
        decided_on: NaiveDate,
    ) -> Result<usize, QueryError> {
        let (r, commune) = self.commune_review(review).await?;
        let number = number.trim();
        if number.is_empty() {
            return Err(QueryError::Invalid(msg!("review_decision_number")));
        }
        let cases = self
            .registry
            .store
            .cases(r.id, Some(Step::Consulted.code()))
            .await?;
        let mut chosen = Vec::new();
        let mut lines = Vec::new();
        for c in &cases {
            let state = case_state(c)?;
            let previous = c.previous_class.as_deref().and_then(Class::from_code);
            let Some(proposed) = state.proposed else {
                continue;
            };
            let approved = Approved::for_class(previous, proposed);
            lines.push((c.id, approved.code().to_string()));
            chosen.push((c, Event::Decide { approved }));
        }
        if chosen.is_empty() {
            return Err(QueryError::Invalid(msg!("review_nothing_to_do")));
        }
        let record = BatchRecord::Decision {
            number: number.to_string(),
            decided_on,
            corrects: None,
            reason: None,
            lines,
        };
        let kind = Event::Decide {
            approved: Approved::Poor,
        };
        self.write(&r, &commune, &kind, chosen, Some(record)).await
    }

    /// A new decision correcting a household's decided class (a decision is never edited): it
    /// names the decision it corrects and why, and withdraws the household's certificate; a
    /// poor or near-poor household is then certified again. Taken also after the province's
    /// lock, which leaves only this way to change a household.
    pub async fn correct(
        &self,
        review: i64,
        household_code: &str,
        approved: Approved,
        number: &str,
        decided_on: NaiveDate,
        reason: &str,
    ) -> Result<usize, QueryError> {
        let (r, commune) = self.run_review(review).await?;
        let (number, reason) = (number.trim(), reason.trim());
        if number.is_empty() {
            return Err(QueryError::Invalid(msg!("review_decision_number")));
        }
        if reason.is_empty() {
            return Err(QueryError::Invalid(msg!("review_correction_reason")));
        }
        let store = &self.registry.store;
        let cases = store.cases(r.id, None).await?;
        let c = cases
            .iter()
            .find(|c| c.household_code == household_code.trim())
            .ok_or_else(|| {
                QueryError::Invalid(msg!("review_not_on_list", household = household_code))
            })?;
        let corrects = store.case_decision(c.id).await?.ok_or_else(|| {
            QueryError::Invalid(msg!("review_not_decided", household = &c.household_code))
        })?;
        let event = Event::Correct { approved };
        let record = BatchRecord::Decision {
            number: number.to_string(),
            decided_on,
            corrects: Some(corrects),
            reason: Some(reason.to_string()),
            lines: vec![(c.id, approved.code().to_string())],
        };
        self.write(&r, &commune, &event, vec![(c, event.clone())], Some(record))
            .await
    }

    /// A commune review's village meetings, each with the households it agreed on.
    pub async fn meetings(
        &self,
        review: i64,
    ) -> Result<Vec<giamngheo_store::MeetingRow>, QueryError> {
        let r = self.review(review).await?;
        Ok(self.registry.store.meetings(r.id).await?)
    }

    /// A review's decisions in the order they were made, corrections with what they correct.
    pub async fn decisions(
        &self,
        review: i64,
    ) -> Result<Vec<giamngheo_store::DecisionRow>, QueryError> {
        let r = self.review(review).await?;
        Ok(self.registry.store.decisions(r.id).await?)
    }

    /// Certificates for every decided poor and near-poor case, numbered on per commune and
    /// year (`N/GCN-HN.HCN`).
    pub async fn certify(&self, review: i64, issued_on: NaiveDate) -> Result<usize, QueryError> {
        let (r, commune) = self.commune_review(review).await?;
        let cases = self
            .registry
            .store
            .cases(r.id, Some(Step::Decided.code()))
            .await?;
        let chosen: Vec<(&CaseRow, Event)> = cases
            .iter()
            .filter(|c| {
                c.approved
                    .as_deref()
                    .and_then(Approved::from_code)
                    .is_some_and(Approved::certified)
            })
            .map(|c| (c, Event::Certify))
            .collect();
        if chosen.is_empty() {
            return Err(QueryError::Invalid(msg!("review_nothing_to_do")));
        }
        let record = BatchRecord::Certificates {
            year: r.year,
            issued_on,
        };
        self.write(&r, &commune, &Event::Certify, chosen, Some(record))
            .await
    }

    /// A review's decided cases with their decision: number, date, the case, approved class.
    pub async fn decision_lines(
        &self,
        review: i64,
    ) -> Result<Vec<(String, NaiveDate, CaseRow, Approved)>, QueryError> {
        let r = self.review(review).await?;
        let store = &self.registry.store;
        let cases = store.cases(r.id, None).await?;
        let mut out = Vec::new();
        for (number, date, case, approved) in store.decision_lines(r.id).await? {
            let (Some(c), Some(a)) = (
                cases.iter().find(|c| c.id == case),
                Approved::from_code(&approved),
            ) else {
                continue;
            };
            out.push((number, date, c.clone(), a));
        }
        Ok(out)
    }

    /// A complaint about a posted household, answered: a justified one sends it back to be
    /// surveyed again; either way the text and answer are kept in its history.
    pub async fn complaint(
        &self,
        review: i64,
        household_code: &str,
        justified: bool,
        text: &str,
    ) -> Result<usize, QueryError> {
        let (r, commune) = self.commune_review(review).await?;
        let cases = self
            .registry
            .store
            .cases(r.id, Some(Step::Posted.code()))
            .await?;
        let Some(c) = cases
            .iter()
            .find(|c| c.household_code == household_code.trim())
        else {
            return Err(QueryError::Invalid(msg!(
                "review_not_posted",
                household = household_code.trim()
            )));
        };
        let text = text.trim();
        if text.is_empty() {
            return Err(QueryError::Invalid(msg!("review_complaint_text")));
        }
        let event = Event::Complaint { justified };
        self.write_with_detail(
            &r,
            &commune,
            &event,
            vec![(c, event.clone())],
            serde_json::json!({
                "household": c.household_code, "justified": justified, "text": text,
            }),
        )
        .await
    }

    async fn write_with_detail(
        &self,
        r: &ReviewRow,
        commune: &str,
        kind: &Event,
        chosen: Vec<(&CaseRow, Event)>,
        detail: serde_json::Value,
    ) -> Result<usize, QueryError> {
        let steps = self.planned(&chosen)?;
        let n = steps.len();
        self.registry
            .store
            .write_steps(
                &self.who(),
                &StepBatch {
                    review_id: r.id,
                    commune_code: commune.to_string(),
                    event: event_code(kind).into(),
                    detail,
                    steps,
                    record: None,
                },
            )
            .await?;
        Ok(n)
    }

    /// Locks a province's year: every review of it (the plan and the communes' windows), once
    /// every household reviewed has reached the end of its case. Afterwards only a new decision
    /// changes a household. Returns how many reviews were locked.
    pub async fn lock_year(&self, province: &UnitCode, year: i32) -> Result<usize, QueryError> {
        self.actor.read(province)?;
        let UnitCode::Province(p) = province else {
            return Err(Denied::NotFound.into());
        };
        if !self.plans() {
            return Err(Denied::Forbidden.into());
        }
        lock(&self.registry.store, &self.who(), p.as_str(), year).await
    }

    /// Files a household's in-year request (Mẫu 04) on its behalf, in the commune's round that
    /// follows the filing day (opened when it is the first request of that round). The round's
    /// end is its deadline: the procedure's working days from its start. Returns the round.
    pub async fn file_request(
        &self,
        household: i64,
        request: Request,
        filed_on: NaiveDate,
    ) -> Result<i64, QueryError> {
        use giamngheo_rules::chrono::Datelike;
        let h = self.household(household).await?;
        if !self.runs(&h.commune_code) {
            return Err(Denied::Forbidden.into());
        }
        if h.lineage.ended.is_some() {
            return Err(QueryError::Invalid(msg!("household_ended")));
        }
        let (procedure, calendar) = &*self.registry.procedure;
        let starts = round_start(filed_on, procedure.in_year_round_day).ok_or(Denied::NotFound)?;
        let ends = calendar.period_end(starts, procedure.in_year_decision_working_days);
        let store = &self.registry.store;
        let province = h.province_code.clone();
        let existing = store
            .reviews(&province, starts.year())
            .await?
            .into_iter()
            .find(|r| {
                r.kind == "in_year"
                    && r.commune_code.as_deref() == Some(h.commune_code.as_str())
                    && r.starts == starts
            });
        let round = match existing {
            Some(r) if r.locked => return Err(QueryError::Invalid(msg!("review_locked"))),
            Some(r) => r.id,
            None => {
                store
                    .create_review(
                        &self.who(),
                        &NewReview {
                            kind: "in_year".into(),
                            year: starts.year(),
                            province_code: province,
                            commune_code: Some(h.commune_code.clone()),
                            parent_id: None,
                            plan_number: format!("{:02}/{}", starts.month(), starts.year()),
                            plan_date: filed_on,
                            starts,
                            ends,
                        },
                    )
                    .await?
            }
        };
        let previous = h
            .assessments
            .iter()
            .max_by_key(|a| a.year)
            .map(|a| a.class.code().to_string());
        let added = store
            .open_cases(
                &self.who(),
                round,
                &h.commune_code,
                &[NewCase {
                    household_id: household,
                    origin: request.origin().into(),
                    previous_class: previous,
                }],
            )
            .await?;
        if added == 0 {
            return Err(QueryError::Invalid(msg!("review_request_twice")));
        }
        Ok(round)
    }

    /// An in-year request refused in writing, with the reason (kept in the case's history).
    pub async fn refuse(
        &self,
        review: i64,
        household_code: &str,
        reason: &str,
    ) -> Result<usize, QueryError> {
        let (r, commune) = self.commune_review(review).await?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(QueryError::Invalid(msg!("review_refusal_reason")));
        }
        let cases = self.registry.store.cases(r.id, None).await?;
        let Some(c) = cases
            .iter()
            .find(|c| c.household_code == household_code.trim())
        else {
            return Err(Denied::NotFound.into());
        };
        let event = Event::Refuse;
        self.write_with_detail(
            &r,
            &commune,
            &event,
            vec![(c, event.clone())],
            serde_json::json!({
                "household": c.household_code, "reason": reason,
            }),
        )
        .await
    }

    /// How many of a unit's households have no decision yet in the periodic review of a year
    /// (their class that year is the survey's, proposed).
    pub async fn undecided(&self, unit: &UnitCode, year: i32) -> Result<i64, QueryError> {
        Ok(self
            .reviews(unit, year)
            .await?
            .iter()
            .filter(|r| r.kind == "periodic" && window_in(r, unit))
            .map(open_cases)
            .sum())
    }

    /// The in-year cases of a unit past their round's deadline (`today`) without a final result:
    /// (the round, the case), oldest round first.
    pub async fn overdue(
        &self,
        unit: &UnitCode,
        today: NaiveDate,
    ) -> Result<Vec<(ReviewRow, CaseRow)>, QueryError> {
        use giamngheo_rules::chrono::Datelike;
        self.actor.read(unit)?;
        let Some(p) = province_of(unit) else {
            return Err(Denied::NotFound.into());
        };
        let store = &self.registry.store;
        let mut out = Vec::new();
        for year in [today.year() - 1, today.year()] {
            for r in store.reviews(p.as_str(), year).await? {
                if r.kind != "in_year" || !window_in(&r, unit) || r.ends >= today {
                    continue;
                }
                for c in store.cases(r.id, None).await? {
                    if !Step::from_code(&c.step).is_some_and(Step::is_final) {
                        out.push((r.clone(), c));
                    }
                }
            }
        }
        Ok(out)
    }

    /// A review's certificates, by number.
    pub async fn certificates(
        &self,
        review: i64,
    ) -> Result<Vec<giamngheo_store::CertificateRow>, QueryError> {
        let r = self.review(review).await?;
        Ok(self.registry.store.certificates(r.id).await?)
    }
}

/// What the public reads: a commune review's posting.
pub struct Public<'a> {
    pub(crate) registry: &'a crate::Registry,
}

/// A commune's public posting: where and when, and the households on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicPosting {
    pub commune: String,
    pub year: i32,
    pub starts: NaiveDate,
    pub ends: NaiveDate,
    pub places: String,
    /// The cases posted and not sent back to survey since.
    pub cases: Vec<CaseRow>,
}

impl Public<'_> {
    /// A commune review's latest posting; `None` when the review is no commune's or has not
    /// been posted.
    pub async fn posting(&self, review: i64) -> Result<Option<PublicPosting>, QueryError> {
        let store = &self.registry.store;
        let Some(r) = store.review(review).await? else {
            return Ok(None);
        };
        let Some(commune) = r.commune_code.clone() else {
            return Ok(None);
        };
        let Some((starts, ends, places)) = store.posting(r.id).await? else {
            return Ok(None);
        };
        let cases = store
            .cases(r.id, None)
            .await?
            .into_iter()
            .filter(|c| {
                matches!(
                    c.step.as_str(),
                    "posted" | "consulted" | "decided" | "certified"
                )
            })
            .collect();
        Ok(Some(PublicPosting {
            commune,
            year: r.year,
            starts,
            ends,
            places,
            cases,
        }))
    }
}
