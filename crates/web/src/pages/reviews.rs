//! The annual review on pages: a unit's reviews (the province's plan, each commune's window, with
//! their progress), a commune's review board (cases by step and village, and the step the commune
//! takes next, for all the cases at it), and the public posting, which anyone reads without
//! logging in (names, villages and proposed classes; no ID numbers, no incomes).

use super::{qe, render, unit_code, unit_name};
use crate::i18n::{Lang, Pages};
use crate::{AppState, Ctx, WebError};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use giamngheo_app::reviews::PlanForm;
use giamngheo_app::QueryError;
use giamngheo_rules::review::Step;
use giamngheo_rules::{NaiveDate, UnitCode};
use minijinja::context;
use serde::Deserialize;
use std::collections::BTreeMap;

/// A step in the reader's words.
fn step_name(lang: Lang, code: &str) -> String {
    lang.texts()
        .get(format!("step:{code}").as_str())
        .map_or_else(|| code.to_string(), |t| t.to_string())
}

/// An approved or proposed class in the reader's words.
fn class_name(lang: Lang, code: &str) -> String {
    lang.texts()
        .get(format!("approved:{code}").as_str())
        .map_or_else(|| code.to_string(), |t| t.to_string())
}

fn date_text(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    s.trim().parse().ok()
}

#[derive(Deserialize, Default)]
pub struct ReviewsQuery {
    year: Option<i32>,
}

pub async fn unit_reviews(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<ReviewsQuery>,
) -> Result<Response, WebError> {
    let year = q.year.unwrap_or_else(|| chrono_year(&ctx));
    reviews_page(&state, &ctx, &code, year, None, StatusCode::OK).await
}

/// Today in Vietnam.
pub(crate) fn today() -> NaiveDate {
    (giamngheo_rules::chrono::Utc::now()
        + giamngheo_rules::chrono::Duration::seconds(giamngheo_rules::text::VIETNAM_UTC_OFFSET))
    .date_naive()
}

/// This year in Vietnam.
fn chrono_year(_ctx: &Ctx) -> i32 {
    use giamngheo_rules::chrono::Datelike;
    (giamngheo_rules::chrono::Utc::now()
        + giamngheo_rules::chrono::Duration::seconds(giamngheo_rules::text::VIETNAM_UTC_OFFSET))
    .year()
}

async fn reviews_page(
    state: &AppState,
    ctx: &Ctx,
    code: &str,
    year: i32,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let actor = ctx.user()?;
    let lang = ctx.lang;
    let unit = unit_code(code, lang)?;
    let scoped = state.registry.for_actor(actor);
    actor.read(&unit).map_err(|d| WebError::denied(d, lang))?;
    let reviews = scoped.reviews(&unit, year).await.map_err(qe(lang))?;
    let plans: Vec<_> = reviews
        .iter()
        .filter(|r| r.commune_code.is_none())
        .map(|r| {
            context! {
                id => r.id, number => r.plan_number, date => date_text(r.plan_date),
                starts => date_text(r.starts), ends => date_text(r.ends), locked => r.locked,
            }
        })
        .collect();
    let windows: Vec<_> = reviews
        .iter()
        .filter(|r| giamngheo_app::reviews::window_in(r, &unit))
        .map(|r| {
            let total: i64 = r.steps.iter().map(|(_, n)| n).sum();
            let done: i64 = r
                .steps
                .iter()
                .filter(|(s, _)| Step::from_code(s).is_some_and(Step::is_final))
                .map(|(_, n)| n)
                .sum();
            context! {
                id => r.id,
                commune => r.commune_code.as_deref().and_then(UnitCode::parse).as_ref().map(unit_name),
                number => r.plan_number,
                kind => lang.t(&format!("round:{}", r.kind)),
                starts => date_text(r.starts), ends => date_text(r.ends),
                cases => lang.int(total), done => lang.int(done),
                percent => if total > 0 { lang.pct(giamngheo_rules::percent(done as u64, total as u64)) } else { String::new() },
            }
        })
        .collect();
    let is_province = matches!(unit, UnitCode::Province(_));
    let plans_here = is_province && actor.plans_reviews();
    let runs_here = !is_province && actor.imports();
    let mut r = render(
        state,
        ctx,
        "reviews.html",
        context! {
            unit => code, unit_name => unit_name(&unit), year, is_province, plans, windows,
            may_plan => plans_here, may_open => runs_here && !reviews.iter().all(|r| r.commune_code.is_some()),
            plan_ids => reviews.iter().filter(|r| r.commune_code.is_none()).map(|r| r.id).collect::<Vec<_>>(),
            locked => reviews.iter().any(|r| r.locked),
            error,
        },
    )?;
    *r.status_mut() = status;
    Ok(r)
}

#[derive(Deserialize)]
pub struct PlanFormData {
    csrf: String,
    year: i32,
    plan_number: String,
    plan_date: String,
    starts: String,
    ends: String,
    /// A commune's window: the province's plan it sits in.
    #[serde(default)]
    parent: Option<i64>,
}

pub async fn create_review(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Form(f): Form<PlanFormData>,
) -> Result<Response, WebError> {
    let actor = ctx.user()?;
    ctx.check_csrf(&f.csrf)?;
    let lang = ctx.lang;
    let unit = unit_code(&code, lang)?;
    let scoped = state.registry.for_actor(actor);
    // the unit must be theirs, and the role one that plans there, before the form is read
    actor.read(&unit).map_err(|d| WebError::denied(d, lang))?;
    let plans = match unit {
        UnitCode::Province(_) => actor.plans_reviews(),
        UnitCode::Commune(_) => actor.imports(),
    };
    if !plans {
        return Err(WebError::denied(
            giamngheo_app::access::Denied::Forbidden,
            lang,
        ));
    }
    let (Some(plan_date), Some(starts), Some(ends)) = (
        parse_date(&f.plan_date),
        parse_date(&f.starts),
        parse_date(&f.ends),
    ) else {
        let why = lang.t("review_dates_needed").to_string();
        return reviews_page(
            &state,
            &ctx,
            &code,
            f.year,
            Some(why),
            StatusCode::BAD_REQUEST,
        )
        .await;
    };
    let form = PlanForm {
        year: f.year,
        plan_number: f.plan_number.clone(),
        plan_date,
        starts,
        ends,
    };
    let made = match (&unit, f.parent) {
        (UnitCode::Province(_), _) => scoped.plan_review(&unit, &form).await,
        (UnitCode::Commune(c), Some(parent)) => scoped.plan_commune(parent, c, &form).await,
        (UnitCode::Commune(_), None) => Err(QueryError::Invalid(giamngheo_rules::msg!(
            "review_plan_number"
        ))),
    };
    match made {
        Ok(id) if unit.commune().is_some() => {
            Ok(Redirect::to(&format!("/reviews/{id}")).into_response())
        }
        Ok(_) => {
            Ok(Redirect::to(&format!("/units/{code}/reviews?year={}", f.year)).into_response())
        }
        Err(QueryError::Invalid(m)) => {
            reviews_page(
                &state,
                &ctx,
                &code,
                f.year,
                Some(m.render(lang)),
                StatusCode::BAD_REQUEST,
            )
            .await
        }
        Err(e) => Err(qe(lang)(e)),
    }
}

#[derive(Deserialize, Default)]
pub struct BoardQuery {
    step: Option<String>,
    done: Option<String>,
}

pub async fn board(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<BoardQuery>,
) -> Result<Response, WebError> {
    board_page(
        &state,
        &ctx,
        id,
        q.step.as_deref(),
        q.done.as_deref(),
        None,
        StatusCode::OK,
    )
    .await
}

/// A commune's review the user may read, with the user's handle and the commune (a province's
/// plan has no page of its own here: not found).
async fn commune_review<'a>(
    state: &'a AppState,
    ctx: &'a Ctx,
    id: i64,
) -> Result<
    (
        giamngheo_app::Scoped<'a>,
        giamngheo_app::records::ReviewRow,
        String,
    ),
    WebError,
> {
    let actor = ctx.user()?;
    let lang = ctx.lang;
    let scoped = state.registry.for_actor(actor);
    let review = scoped.review(id).await.map_err(qe(lang))?;
    let Some(commune) = review.commune_code.clone() else {
        return Err(WebError::Status(StatusCode::NOT_FOUND, lang));
    };
    Ok((scoped, review, commune))
}

/// The board of a review with an error above it (a request it cannot take).
pub(crate) async fn board_with_error(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    error: String,
) -> Result<Response, WebError> {
    board_page(
        state,
        ctx,
        id,
        None,
        None,
        Some(error),
        StatusCode::BAD_REQUEST,
    )
    .await
}

async fn board_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    step: Option<&str>,
    done: Option<&str>,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let lang = ctx.lang;
    let (scoped, review, commune) = commune_review(state, ctx, id).await?;
    let actor = scoped.actor();
    let cases = scoped.cases(id, None).await.map_err(qe(lang))?;
    // villages × steps
    let mut grid: BTreeMap<String, BTreeMap<&str, i64>> = BTreeMap::new();
    let mut counts: BTreeMap<&str, i64> = BTreeMap::new();
    for c in &cases {
        let v = c.village.clone().unwrap_or_else(|| "–".into());
        *grid
            .entry(v)
            .or_default()
            .entry(c.step.as_str())
            .or_default() += 1;
        *counts.entry(c.step.as_str()).or_default() += 1;
    }
    let steps: Vec<_> = Step::ALL
        .iter()
        .filter(|s| counts.contains_key(s.code()))
        .map(|s| context! { code => s.code(), name => step_name(lang, s.code()), count => lang.int(counts[s.code()]) })
        .collect();
    let mut grid: Vec<(String, BTreeMap<&str, i64>)> = grid.into_iter().collect();
    grid.sort_by(|a, b| giamngheo_app::text::natural_cmp(&a.0, &b.0));
    let villages: Vec<_> = grid
        .iter()
        .map(|(v, by)| {
            let row: Vec<String> = Step::ALL
                .iter()
                .filter(|s| counts.contains_key(s.code()))
                .map(|s| by.get(s.code()).map(|n| lang.int(*n)).unwrap_or_default())
                .collect();
            context! { name => v, counts => row }
        })
        .collect();
    let shown: Vec<_> = cases
        .iter()
        .filter(|c| step.is_none_or(|s| c.step == s))
        .take(500)
        .map(|c| {
            context! {
                code => c.household_code, head => c.head_name, village => c.village,
                step => step_name(lang, &c.step),
                previous => c.previous_class.as_deref().map(|p| class_name(lang, p)),
                proposed => c.proposed_class.as_deref().map(|p| class_name(lang, p)),
                approved => c.approved.as_deref().map(|a| class_name(lang, a)),
                household => c.household_id,
                case => c.id,
                to_survey => c.step == "screened",
            }
        })
        .collect();
    // the villages with surveyed cases, for their meetings
    let mut meeting_villages: Vec<String> = cases
        .iter()
        .filter(|c| c.step == "surveyed")
        .map(|c| c.village.clone().unwrap_or_default())
        .collect();
    meeting_villages.sort();
    meeting_villages.dedup();
    let has = |s: &str| counts.contains_key(s);
    let runs = actor.imports() && actor.sees_commune(&commune) && !review.locked;
    let procedure = state.registry.procedure();
    let opinion = procedure.higher_opinion_on(review.ends);
    let procedure = context! {
        posting_days => procedure.posting_working_days,
        quorum => procedure.meeting_quorum_percent,
        opinion => match lang { Lang::Vi => opinion.name_vi.clone(), Lang::En => opinion.name_en.clone() },
    };
    let certificates = scoped.certificates(id).await.map_err(qe(lang))?;
    let decisions: Vec<_> = scoped
        .decisions(id)
        .await
        .map_err(qe(lang))?
        .into_iter()
        .map(|d| context! { number => d.number, date => date_text(d.decided_on), households => lang.int(d.households), corrects => d.corrects })
        .collect();
    let mut r = render(
        state,
        ctx,
        "review.html",
        context! {
            id,
            commune,
            commune_name => UnitCode::parse(&commune).as_ref().map(unit_name),
            province => review.province_code,
            year => review.year,
            number => review.plan_number,
            starts => date_text(review.starts), ends => date_text(review.ends),
            total => lang.int(cases.len() as i64),
            steps, villages, shown, step,
            more => cases.iter().filter(|c| step.is_none_or(|s| c.step == s)).count() > 500,
            runs,
            // last year's lists are taken once; households asking join until the posting
            may_list => !cases.iter().any(|c| c.origin == "on_list") && !cases.iter().any(|c| matches!(c.step.as_str(), "posted" | "consulted" | "decided" | "certified")),
            may_apply => review.kind == "periodic" && !cases.iter().any(|c| matches!(c.step.as_str(), "posted" | "consulted" | "decided" | "certified")),
            today => today().to_string(),
            can_screen => has("listed"),
            can_survey => has("screened"),
            meeting_villages,
            can_post => has("agreed"),
            can_consult => has("posted"),
            posted_households => cases.iter().filter(|c| c.step == "posted").map(|c| context! { code => c.household_code, head => c.head_name }).collect::<Vec<_>>(),
            in_year => review.kind == "in_year",
            open_households => cases.iter().filter(|c| !Step::from_code(&c.step).is_some_and(Step::is_final)).map(|c| context! { code => c.household_code, head => c.head_name }).collect::<Vec<_>>(),
            overdue => review.kind == "in_year" && today() > review.ends && cases.iter().any(|c| !Step::from_code(&c.step).is_some_and(Step::is_final)),
            can_decide => has("consulted"),
            can_certify => cases.iter().any(|c| c.step == "decided" && matches!(c.approved.as_deref(), Some("poor" | "near_poor"))),
            any_posted => cases.iter().any(|c| matches!(c.step.as_str(), "posted" | "consulted" | "decided" | "certified")),
            any_met => cases.iter().any(|c| matches!(c.step.as_str(), "agreed" | "posted" | "consulted" | "decided" | "certified")),
            decided => cases.iter().any(|c| matches!(c.step.as_str(), "decided" | "certified")),
            // a correction is a new decision: taken even after the province's lock
            may_correct => actor.imports() && actor.sees_commune(&commune),
            decided_households => cases.iter().filter(|c| matches!(c.step.as_str(), "decided" | "certified")).map(|c| context! { code => c.household_code, head => c.head_name, approved => c.approved.as_deref().map(|a| class_name(lang, a)) }).collect::<Vec<_>>(),
            approved_classes => giamngheo_rules::review::Approved::ALL.iter().map(|a| context! { code => a.code(), name => class_name(lang, a.code()) }).collect::<Vec<_>>(),
            procedure,
            certificates => certificates.len(),
            decisions,
            done => done.map(|d| lang.t(&format!("review_done_{d}")).to_string()),
            error,
        },
    )?;
    *r.status_mut() = status;
    Ok(r)
}

#[derive(Deserialize)]
pub struct StepForm {
    csrf: String,
    #[serde(default)]
    village: Option<String>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    participants: Option<u32>,
    #[serde(default)]
    in_favour: Option<u32>,
    #[serde(default)]
    places: Option<String>,
    #[serde(default)]
    number: Option<String>,
    #[serde(default)]
    eligible: Option<String>,
    /// A complaint: the household's code, its text and answer, and whether it is justified.
    #[serde(default)]
    household: Option<String>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    justified: Option<String>,
    /// A correcting decision's class.
    #[serde(default)]
    approved: Option<String>,
    /// What a household's application asks for (`poor`, `near_poor`).
    #[serde(default)]
    kind: Option<String>,
}

/// A step the commune takes for every case at it: `list`, `screen`, `survey`, `meeting`, `post`,
/// `consult`, `decide`, `certify`.
pub async fn take_step(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, action)): Path<(i64, String)>,
    Form(f): Form<StepForm>,
) -> Result<Response, WebError> {
    let actor = ctx.user()?;
    ctx.check_csrf(&f.csrf)?;
    let lang = ctx.lang;
    let scoped = state.registry.for_actor(actor);
    // the review must be theirs, and theirs to run, before a word is said about the form
    let review = scoped.review(id).await.map_err(qe(lang))?;
    let runs = review
        .commune_code
        .as_deref()
        .is_some_and(|c| actor.imports() && actor.sees_commune(c));
    if review.commune_code.is_none() {
        return Err(WebError::Status(StatusCode::NOT_FOUND, lang));
    }
    if !runs {
        return Err(WebError::denied(
            giamngheo_app::access::Denied::Forbidden,
            lang,
        ));
    }
    let date = f.date.as_deref().and_then(parse_date);
    let need_date = || QueryError::Invalid(giamngheo_rules::msg!("review_date_needed"));
    let done = match action.as_str() {
        "list" => scoped.list_households(id).await.map(|n| n as usize),
        "screen" => {
            let ids: Vec<i64> = scoped
                .cases(id, Some(Step::Listed))
                .await
                .map_err(qe(lang))?
                .iter()
                .map(|c| c.id)
                .collect();
            scoped
                .screen(id, &ids, f.eligible.as_deref() != Some("0"))
                .await
        }
        "survey" => scoped.survey_from_assessments(id).await,
        "apply" => match (
            date,
            f.kind
                .as_deref()
                .and_then(giamngheo_app::reviews::Request::from_code),
        ) {
            (Some(d), Some(kind)) => scoped
                .apply(id, f.household.as_deref().unwrap_or(""), kind, d, today())
                .await
                .map(|n| n as usize),
            (None, _) => Err(need_date()),
            (Some(_), None) => Err(QueryError::Invalid(giamngheo_rules::msg!(
                "review_apply_kind"
            ))),
        },
        "refuse" => {
            scoped
                .refuse(
                    id,
                    f.household.as_deref().unwrap_or(""),
                    f.text.as_deref().unwrap_or(""),
                )
                .await
        }
        "complaint" => {
            scoped
                .complaint(
                    id,
                    f.household.as_deref().unwrap_or(""),
                    f.justified.as_deref() == Some("1"),
                    f.text.as_deref().unwrap_or(""),
                )
                .await
        }
        "correct" => match (
            date,
            f.approved
                .as_deref()
                .and_then(giamngheo_rules::review::Approved::from_code),
        ) {
            (Some(d), Some(approved)) => {
                scoped
                    .correct(
                        id,
                        f.household.as_deref().unwrap_or(""),
                        approved,
                        f.number.as_deref().unwrap_or(""),
                        d,
                        f.text.as_deref().unwrap_or(""),
                    )
                    .await
            }
            (None, _) => Err(need_date()),
            (Some(_), None) => Err(QueryError::Invalid(giamngheo_rules::msg!(
                "review_correction_class"
            ))),
        },
        "meeting" => match date {
            Some(d) => {
                let village = f.village.as_deref().filter(|v| !v.is_empty());
                scoped
                    .village_meeting(
                        id,
                        village,
                        d,
                        f.participants.unwrap_or(0),
                        f.in_favour.unwrap_or(0),
                        None,
                    )
                    .await
            }
            None => Err(need_date()),
        },
        "post" => match date {
            Some(d) => scoped.post(id, d, f.places.as_deref().unwrap_or("")).await,
            None => Err(need_date()),
        },
        "consult" => match date {
            Some(d) => scoped.consult(id, d).await,
            None => Err(need_date()),
        },
        "decide" => match date {
            Some(d) => {
                scoped
                    .decide(id, f.number.as_deref().unwrap_or(""), d)
                    .await
            }
            None => Err(need_date()),
        },
        "certify" => match date {
            Some(d) => scoped.certify(id, d).await,
            None => Err(need_date()),
        },
        _ => return Err(WebError::Status(StatusCode::NOT_FOUND, lang)),
    };
    match done {
        Ok(_) => Ok(Redirect::to(&format!("/reviews/{id}?done={action}")).into_response()),
        Err(QueryError::Invalid(m)) => {
            board_page(
                &state,
                &ctx,
                id,
                None,
                None,
                Some(m.render(lang)),
                StatusCode::BAD_REQUEST,
            )
            .await
        }
        Err(e) => Err(qe(lang)(e)),
    }
}

/// The public posting of a commune's review: who is proposed as what, for anyone to read and
/// complain about, without logging in. No ID numbers, no incomes.
pub async fn public_posting(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let lang = ctx.lang;
    let posting = state
        .registry
        .public()
        .posting(id)
        .await
        .map_err(qe(lang))?;
    let Some(p) = posting else {
        return Err(WebError::Status(StatusCode::NOT_FOUND, lang));
    };
    let mut by_class: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    // by village as people name them (Bản 2 before Bản 10), then by name
    let mut cases: Vec<_> = p.cases.iter().collect();
    cases.sort_by(|a, b| {
        giamngheo_app::text::natural_cmp(
            a.village.as_deref().unwrap_or(""),
            b.village.as_deref().unwrap_or(""),
        )
        .then_with(|| a.head_name.cmp(&b.head_name))
    });
    let lines: Vec<_> = cases
        .into_iter()
        .map(|c| {
            let proposed = giamngheo_rules::review::Approved::for_class(
                c.previous_class.as_deref().and_then(giamngheo_rules::Class::from_code),
                c.proposed_class.as_deref().and_then(giamngheo_rules::Class::from_code).unwrap_or(giamngheo_rules::Class::NotPoor),
            );
            let e = by_class.entry(proposed.code().to_string()).or_default();
            e.0 += 1;
            e.1 += c.members;
            context! { head => c.head_name, village => c.village, class => class_name(lang, proposed.code()), code => proposed.code() }
        })
        .collect();
    let notice: Vec<_> = giamngheo_rules::review::Approved::ALL
        .iter()
        .filter(|a| **a != giamngheo_rules::review::Approved::NotListed)
        .map(|a| {
            let (h, m) = by_class.get(a.code()).copied().unwrap_or_default();
            context! { name => class_name(lang, a.code()), households => lang.int(h), persons => lang.int(m) }
        })
        .collect();
    render(
        &state,
        &ctx,
        "posting.html",
        context! {
            commune_name => UnitCode::parse(&p.commune).as_ref().map(unit_name),
            year => p.year,
            starts => date_text(p.starts), ends => date_text(p.ends), places => p.places,
            lines, notice,
        },
    )
}

/// A review's certificates, printable on A4: one a page, with the fields of the certificate
/// (the commune's committee, the number, the head, the household's class and year, the members).
pub async fn certificates(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    use giamngheo_rules::chrono::Datelike;
    let lang = ctx.lang;
    let (scoped, review, commune) = commune_review(&state, &ctx, id).await?;
    let lines = scoped.decision_lines(id).await.map_err(qe(lang))?;
    let mut pages = Vec::new();
    let mut revoked = Vec::new();
    for cert in scoped.certificates(id).await.map_err(qe(lang))? {
        // a withdrawn certificate is named, not printed again
        if let Some(by) = &cert.revoked_by {
            let case = lines.iter().find(|l| l.2.id == cert.case_id).map(|l| &l.2);
            revoked.push(context! {
                number => cert.number, by,
                household => case.map(|c| c.household_code.clone()),
                head => case.and_then(|c| c.head_name.clone()),
            });
            continue;
        }
        let Some((_, decided_on, case, approved)) = lines.iter().find(|l| l.2.id == cert.case_id)
        else {
            continue;
        };
        // the use case masks ID numbers for those who may not see them whole
        let h = scoped
            .household(case.household_id)
            .await
            .map_err(qe(lang))?;
        let head = h
            .members
            .iter()
            .find(|m| m.relation.as_deref() == Some("head"))
            .or(h.members.first());
        let members: Vec<_> = h
            .members
            .iter()
            .map(|m| {
                let year = m.birth_date.year().to_string();
                let male = m.sex == giamngheo_rules::Sex::Male;
                context! {
                    no => m.member_no, name => m.full_name, ethnic => m.ethnic_name,
                    relation => m.relation.as_deref().map(|r| match lang.t(&format!("relation_{r}")) { "?" => r.to_string(), t => t.to_string() }),
                    male => male.then(|| year.clone()), female => (!male).then_some(year),
                }
            })
            .collect();
        pages.push(context! {
            number => cert.number,
            issued => date_text(cert.issued_on),
            issued_day => cert.issued_on.day(), issued_month => cert.issued_on.month(), issued_year => cert.issued_on.year(),
            decided => date_text(*decided_on),
            class => class_name(lang, approved.code()),
            head => head.and_then(|m| m.full_name.clone()).or(h.head_name.clone()),
            head_ethnic => head.and_then(|m| m.ethnic_name.clone()),
            head_id => head.and_then(|m| m.id_number.clone()),
            residence => format!("{}, {}, {}", h.village.clone().unwrap_or_default(), h.commune_name, h.province_name),
            members,
        });
    }
    render(
        &state,
        &ctx,
        "certificates.html",
        context! {
            basis => legal_basis(&state, review.year).into_iter().take(2).collect::<Vec<_>>(),
            id,
            commune_name => UnitCode::parse(&commune).as_ref().map(unit_name),
            year => review.year,
            pages,
            revoked,
        },
    )
}

/// The minutes of a commune review's village meetings, one to a printed page: the village,
/// date, participants and votes, whether the meeting agreed (at least the procedure's share in
/// favour), and the households it agreed on with their proposed class.
pub async fn meetings(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let lang = ctx.lang;
    let (scoped, review, commune) = commune_review(&state, &ctx, id).await?;
    let quorum = state.registry.procedure().meeting_quorum_percent;
    let meetings: Vec<_> = scoped
        .meetings(id)
        .await
        .map_err(qe(lang))?
        .iter()
        .map(|m| {
            let share = if m.participants > 0 {
                lang.pct(giamngheo_rules::percent(m.in_favour.max(0) as u64, m.participants as u64))
            } else {
                String::new()
            };
            context! {
                village => m.village, date => date_text(m.held_on),
                participants => lang.int(m.participants.into()), in_favour => lang.int(m.in_favour.into()),
                share, agreed => m.agreed, note => m.note, recorded_by => m.user_name,
                households => m.households.iter().map(|(code, head, class, members)| context! {
                    code, head, members,
                    class => class.as_deref().map(|c| class_name(lang, c)),
                }).collect::<Vec<_>>(),
            }
        })
        .collect();
    render(
        &state,
        &ctx,
        "meetings.html",
        context! {
            id, quorum,
            commune_name => UnitCode::parse(&commune).as_ref().map(unit_name),
            year => review.year,
            meetings,
        },
    )
}

/// A decision's number and date, and its households by approved class.
type Decision<'a> = (
    String,
    NaiveDate,
    BTreeMap<giamngheo_rules::review::Approved, Vec<&'a giamngheo_app::records::CaseRow>>,
);

/// A review's decisions with their annex lists (poor, near-poor, escaped poor, escaped
/// near-poor, not listed), printable on A4.
pub async fn decisions(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let lang = ctx.lang;
    let (scoped, review, commune) = commune_review(&state, &ctx, id).await?;
    let lines = scoped.decision_lines(id).await.map_err(qe(lang))?;
    let made = scoped.decisions(id).await.map_err(qe(lang))?;
    // decision → annex → households
    let mut by_decision: Vec<Decision<'_>> = Vec::new();
    for (number, date, case, approved) in &lines {
        if by_decision.last().is_none_or(|d| &d.0 != number) {
            by_decision.push((number.clone(), *date, BTreeMap::new()));
        }
        if let Some(d) = by_decision.last_mut() {
            d.2.entry(*approved).or_default().push(case);
        }
    }
    let basis = legal_basis(&state, review.year);
    let decisions: Vec<_> = by_decision
        .iter()
        .map(|(number, date, annexes)| {
            use giamngheo_rules::chrono::Datelike;
            let d = made.iter().find(|d| &d.number == number);
            let corrects = d.and_then(|d| d.corrects.clone());
            // the year's decision recognises the four lists; a household it leaves off is in
            // no annex (a correction lists every household it changes)
            let annexes: Vec<_> = annexes
                .iter()
                .filter(|(a, _)| corrects.is_some() || **a != giamngheo_rules::review::Approved::NotListed)
                .map(|(a, cases)| {
                    let mut cases = cases.clone();
                    cases.sort_by(|x, y| {
                        giamngheo_app::text::natural_cmp(x.village.as_deref().unwrap_or(""), y.village.as_deref().unwrap_or(""))
                            .then_with(|| x.household_code.cmp(&y.household_code))
                    });
                    context! {
                        name => class_name(lang, a.code()),
                        title => lang.t(&format!("annex_title_{}", a.code())),
                        households => lang.int(cases.len() as i64),
                        persons => lang.int(cases.iter().map(|c| c.members).sum::<i64>()),
                        lines => cases.iter().map(|c| context! { code => c.household_code, head => c.head_name, village => c.village, members => c.members }).collect::<Vec<_>>(),
                    }
                })
                .collect();
            context! {
                number, date => date_text(*date), annexes, corrects,
                day => date.day(), month => date.month(), year_of => date.year(),
                reason => d.and_then(|d| d.reason.clone()),
            }
        })
        .collect();
    render(
        &state,
        &ctx,
        "decisions.html",
        context! {
            id,
            commune_name => UnitCode::parse(&commune).as_ref().map(unit_name),
            year => review.year,
            decisions,
            basis,
        },
    )
}

/// What a commune's decision and certificate of a review year cite ("Căn cứ ..."): the law on
/// local government, the decree of the standard that governs the year, the procedure's
/// instruments, as data.
fn legal_basis(state: &AppState, year: i32) -> Vec<String> {
    let standard = state.registry.standards().for_year(year);
    let decree = standard.map(|s| {
        s.legal_basis_vi
            .clone()
            .unwrap_or_else(|| s.legal_basis.clone())
    });
    std::iter::once("Luật Tổ chức chính quyền địa phương".to_string())
        .chain(decree)
        .chain(state.registry.procedure().legal_basis_vi.iter().cloned())
        .collect()
}

#[derive(Deserialize)]
pub struct LockForm {
    csrf: String,
    year: i32,
}

/// The provincial officer locks the province's year once every household has its result.
pub async fn lock_year(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Form(f): Form<LockForm>,
) -> Result<Response, WebError> {
    let actor = ctx.user()?;
    ctx.check_csrf(&f.csrf)?;
    let lang = ctx.lang;
    let unit = unit_code(&code, lang)?;
    actor.read(&unit).map_err(|d| WebError::denied(d, lang))?;
    if !actor.plans_reviews() || unit.province().is_none() {
        return Err(WebError::denied(
            giamngheo_app::access::Denied::Forbidden,
            lang,
        ));
    }
    match state
        .registry
        .for_actor(actor)
        .lock_year(&unit, f.year)
        .await
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("/units/{code}/reviews?year={}", f.year)).into_response())
        }
        Err(QueryError::Invalid(m)) => {
            reviews_page(
                &state,
                &ctx,
                &code,
                f.year,
                Some(m.render(lang)),
                StatusCode::BAD_REQUEST,
            )
            .await
        }
        Err(e) => Err(qe(lang)(e)),
    }
}

#[derive(Deserialize)]
pub struct RequestForm {
    csrf: String,
    kind: String,
    date: String,
}

/// A household's in-year request (Mẫu 04), filed by the commune's officer; to its round's board.
pub async fn file_request(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<RequestForm>,
) -> Result<Response, WebError> {
    let actor = ctx.user()?;
    ctx.check_csrf(&f.csrf)?;
    let lang = ctx.lang;
    let scoped = state.registry.for_actor(actor);
    // the household must be theirs, and theirs to act for, before the form is read
    super::households::acts_for(&scoped, id, lang).await?;
    let (Some(kind), Some(date)) = (
        giamngheo_app::reviews::Request::from_code(&f.kind),
        parse_date(&f.date),
    ) else {
        return Err(WebError::Status(StatusCode::BAD_REQUEST, lang));
    };
    match scoped.file_request(id, kind, date).await {
        Ok(round) => Ok(Redirect::to(&format!("/reviews/{round}?done=request")).into_response()),
        // said on the household's page (its key only: the words come from the catalogue)
        Err(QueryError::Invalid(m)) => {
            Ok(Redirect::to(&format!("/households/{id}?refused={}", m.key)).into_response())
        }
        Err(e) => Err(qe(lang)(e)),
    }
}
