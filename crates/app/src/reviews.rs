//! The annual review run in the system: the province's plan, each commune's window inside it, the
//! commune's list of households to review, and the steps of their cases, each checked by the
//! state machine of `rules::review` before it is written (all the cases of a step, or none).
//!
//! Provincial officers plan; commune officers (and the provincial officers above them) run their
//! commune's cases; everyone in scope reads.

use crate::access::{province_of, Denied, Role};
use crate::registry::{QueryError, Scoped};
use giamngheo_rules::review::{Case, Event, Step};
use giamngheo_rules::{msg, Class, CommuneCode, NaiveDate, UnitCode};
use giamngheo_store::{CaseRow, NewCase, NewReview, ReviewRow, StepBatch, StepWrite};

/// A plan as an officer fills it in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanForm {
    pub year: i32,
    pub plan_number: String,
    pub plan_date: NaiveDate,
    pub starts: NaiveDate,
    pub ends: NaiveDate,
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
        matches!(
            self.actor.role,
            Role::Administrator | Role::ProvincialOfficer
        )
    }

    /// Whether the user runs a commune's cases: its officer, or an officer of its province.
    fn runs(&self, commune: &str) -> bool {
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

    /// A commune's review: the review, which must be a commune's window the user runs.
    async fn commune_review(&self, id: i64) -> Result<(ReviewRow, String), QueryError> {
        let r = self.review(id).await?;
        let Some(commune) = r.commune_code.clone() else {
            return Err(Denied::NotFound.into());
        };
        if !self.runs(&commune) {
            return Err(Denied::Forbidden.into());
        }
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
        let (procedure, calendar) = &*self.registry.procedure;
        let cases = self.registry.store.cases(r.id, None).await?;
        let mut steps = Vec::new();
        for id in case_ids {
            let c = cases.iter().find(|c| c.id == *id).ok_or(Denied::NotFound)?;
            let now = case_state(c)?;
            let next = now.apply(event, procedure, calendar).map_err(|e| {
                QueryError::Invalid(
                    msg!("review_step_refused", household = &c.household_code)
                        .nested("why", giamngheo_rules::text::Msg::new(e.key)),
                )
            })?;
            steps.push(StepWrite {
                case_id: c.id,
                from: now.step.code().into(),
                to: next.step.code().into(),
                proposed_class: next.proposed.map(|p| p.code().to_string()),
                posting_ends: next.posting_ends,
                approved: next.approved.map(|a| a.code().to_string()),
            });
        }
        let detail = match event {
            Event::Screen { eligible } => serde_json::json!({ "eligible": eligible }),
            Event::Survey { class } => serde_json::json!({ "class": class.code() }),
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
            Event::Decide { approved } | Event::Correct { approved } => {
                serde_json::json!({ "approved": approved.code() })
            }
            Event::Certify | Event::Refuse => serde_json::json!({}),
        };
        let n = steps.len();
        self.registry
            .store
            .write_steps(
                &self.who(),
                &StepBatch {
                    review_id: r.id,
                    commune_code: commune,
                    event: event_code(event).into(),
                    detail,
                    steps,
                },
            )
            .await?;
        Ok(n)
    }
}
