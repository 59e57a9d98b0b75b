//! Phiếu B for one household of a commune's review: every answer of the exchange format on a
//! page (members added one at a time, no script needed), checked on the server by the importer
//! itself and classified before it is saved. The officer checks, reads the class with its
//! reasons, then saves: the answers become the household's survey of the year and the case is
//! surveyed with that class.

use super::{qe, render, unit_name};
use crate::i18n::{Lang, Pages};
use crate::{AppState, Ctx, WebError};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use giamngheo_app::survey_form::{
    household_fields, member_fields, SurveyAnswers, SurveyChecked, SurveyForm, MEMBERS_FILE,
};
use giamngheo_app::QueryError;
use giamngheo_rules::UnitCode;
use minijinja::context;
use std::collections::BTreeMap;

/// The most member rows a form holds (a household of more is entered by file).
const MAX_MEMBERS: usize = 40;

/// How a field is entered.
fn kind(column: &str) -> &'static str {
    match column {
        "survey_date" => "date",
        "info_devices" => "checks",
        "income_per_capita" | "b1_score" | "floor_area_m2" => "number",
        // coded columns, the catalogue's ethnic groups, and the count of structures (0 to 3)
        c if codes(c).is_some() => "select",
        "ethnicity" | "nondurable_structures" => "select",
        _ => "text",
    }
}

/// The codes a column takes (from the exchange format's guide), if it is one of codes.
fn codes(column: &str) -> Option<&'static [(&'static str, &'static str, &'static str)]> {
    giamngheo_survey::guide::COLUMNS
        .iter()
        .find(|c| c.column == column && !c.codes.is_empty())
        .map(|c| c.codes)
}

/// A field of the form: its name, label, kind, value, the options of a select, and the
/// errors the importer found in it.
fn field(
    lang: Lang,
    name: String,
    column: &str,
    value: &str,
    errors: &[String],
) -> minijinja::Value {
    let options: Vec<_> = match column {
        "ethnicity" => giamngheo_survey::units::Catalogue::builtin()
            .ethnic_groups()
            .iter()
            .map(|g| context! { code => g.code, name => format!("{} ({})", g.name, g.code) })
            .collect(),
        "nondurable_structures" => (0..=3)
            .map(|n| context! { code => n.to_string(), name => n.to_string() })
            .collect(),
        c => codes(c)
            .into_iter()
            .flatten()
            .map(|(code, vi, en)| {
                context! { code => code, name => match lang { Lang::Vi => *vi, Lang::En => *en } }
            })
            .collect(),
    };
    let chosen: Vec<&str> = value.split(';').map(str::trim).collect();
    context! {
        name, column,
        label => giamngheo_survey::guide::label(column, lang),
        kind => kind(column),
        value, chosen, options, errors,
    }
}

/// The page of a case's form, with what a check or a save found.
#[allow(clippy::too_many_arguments)]
fn form_page(
    state: &AppState,
    ctx: &Ctx,
    review: i64,
    form: &SurveyForm,
    answers: &SurveyAnswers,
    checked: Option<&SurveyChecked>,
    problem: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let lang = ctx.lang;
    // the importer's errors, by field: the households file's one row is the household, the
    // members file's row n is member n - 1
    let mut by_field: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut general: Vec<String> = Vec::new();
    let given: Vec<usize> = answers
        .members
        .iter()
        .enumerate()
        .filter(|(_, m)| m.values().any(|v| !v.trim().is_empty()))
        .map(|(i, _)| i)
        .collect();
    for e in checked.map(|c| c.errors.as_slice()).unwrap_or_default() {
        let text = e.message.render(lang);
        let is_members = e.file.ends_with(MEMBERS_FILE);
        let key = if e.column.is_empty() {
            None
        } else if is_members {
            // the n-th member written on the file is the form's row it came from
            (e.row as usize)
                .checked_sub(2)
                .and_then(|n| given.get(n))
                .map(|i| format!("m{i}_{}", e.column))
        } else {
            Some(format!("h_{}", e.column))
        };
        match key {
            Some(k) if k.starts_with('m') || household_fields().any(|f| k == format!("h_{f}")) => {
                let label = giamngheo_survey::guide::label(&e.column, lang);
                general.push(format!("{label}: {text}"));
                by_field.entry(k).or_default().push(text);
            }
            _ => general.push(text),
        }
    }
    let none = Vec::new();
    let errors_of = |k: &str| by_field.get(k).unwrap_or(&none).clone();
    let household: Vec<_> = household_fields()
        .map(|c| {
            let name = format!("h_{c}");
            let v = answers.household.get(c).map_or("", String::as_str);
            field(lang, name.clone(), c, v, &errors_of(&name))
        })
        .collect();
    let members: Vec<_> = answers
        .members
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let fields: Vec<_> = member_fields()
                .map(|c| {
                    let name = format!("m{i}_{c}");
                    let v = m.get(c).map_or("", String::as_str);
                    field(lang, name.clone(), c, v, &errors_of(&name))
                })
                .collect();
            context! { number => i + 1, fields }
        })
        .collect();
    let proposal = checked.and_then(|c| c.proposal.as_ref()).map(|p| {
        context! {
            class => lang.t(&format!("approved:{}", p.class.code())),
            code => p.class.code(),
            why => lang.reason(&p.reason),
            deprived => p.deprived.iter().map(|(_, vi, en)| match lang { Lang::Vi => vi.clone(), Lang::En => en.clone() }).collect::<Vec<_>>(),
        }
    });
    let warnings: Vec<String> = checked
        .map(|c| c.warnings.iter().map(|w| w.message.render(lang)).collect())
        .unwrap_or_default();
    let c = &form.case;
    let mut r = render(
        state,
        ctx,
        "survey_form.html",
        context! {
            review, case => c.id, year => form.year, from_year => form.from_year,
            code => c.household_code, head => c.head_name, village => c.village,
            commune => c.commune_code,
            commune_name => UnitCode::parse(&c.commune_code).as_ref().map(unit_name),
            household, members, proposal, warnings, general, problem,
            checked => checked.is_some_and(|c| c.errors.is_empty()),
            can_add => answers.members.len() < MAX_MEMBERS,
        },
    )?;
    *r.status_mut() = status;
    Ok(r)
}

pub async fn survey_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((review, case)): Path<(i64, i64)>,
) -> Result<Response, WebError> {
    let actor = ctx.user()?;
    let lang = ctx.lang;
    let scoped = state.registry.for_actor(actor);
    let mut form = match scoped.survey_form(review, case).await {
        Ok(f) => f,
        Err(QueryError::Invalid(m)) => return not_screened(&state, &ctx, review, m, lang).await,
        Err(e) => return Err(qe(lang)(e)),
    };
    // one empty row to add a member on
    form.answers.members.push(BTreeMap::new());
    let answers = form.answers.clone();
    form_page(
        &state,
        &ctx,
        review,
        &form,
        &answers,
        None,
        None,
        StatusCode::OK,
    )
}

/// A case that is not waiting for its survey: the board, saying so.
async fn not_screened(
    state: &AppState,
    ctx: &Ctx,
    review: i64,
    m: giamngheo_rules::Msg,
    lang: Lang,
) -> Result<Response, WebError> {
    super::reviews::board_with_error(state, ctx, review, m.render(lang)).await
}

/// A number as an officer types it, in the exchange format's way: thousands dots dropped from
/// an amount of money ("1.000.000"), a decimal comma made a point ("36,5").
fn number_typed(column: &str, v: &str) -> String {
    let v: String = v.chars().filter(|c| !c.is_whitespace()).collect();
    let grouped = |s: &str| {
        let mut parts = s.split('.');
        parts.next().is_some_and(|p| (1..=3).contains(&p.len()))
            && parts.all(|p| p.len() == 3)
            && s.contains('.')
            && s.chars().all(|c| c.is_ascii_digit() || c == '.')
    };
    if column == "income_per_capita" && grouped(&v) {
        return v.replace('.', "");
    }
    if v.matches(',').count() == 1 && !v.contains('.') {
        return v.replace(',', ".");
    }
    v
}

/// The form's answers from its posted fields (`h_<column>`, `m<n>_<column>`; the devices'
/// boxes each a field of the same name).
fn answers_from(fields: &[(String, String)]) -> SurveyAnswers {
    let mut a = SurveyAnswers::default();
    for (k, v) in fields {
        if let Some(c) = k.strip_prefix("h_") {
            if household_fields().any(|f| f == c) {
                let v = if kind(c) == "number" {
                    number_typed(c, v)
                } else {
                    v.clone()
                };
                let e = a.household.entry(c.to_string()).or_default();
                if !e.is_empty() && !v.is_empty() {
                    e.push(';');
                }
                e.push_str(&v);
            }
        } else if let Some((n, c)) = k.strip_prefix('m').and_then(|r| r.split_once('_')) {
            let Ok(n) = n.parse::<usize>() else { continue };
            if n >= MAX_MEMBERS || !member_fields().any(|f| f == c) {
                continue;
            }
            while a.members.len() <= n {
                a.members.push(BTreeMap::new());
            }
            a.members[n].insert(c.to_string(), v.clone());
        }
    }
    a
}

pub async fn submit_survey_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((review, case)): Path<(i64, i64)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let actor = ctx.user()?;
    let value = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    ctx.check_csrf(value("csrf").unwrap_or(""))?;
    let lang = ctx.lang;
    let scoped = state.registry.for_actor(actor);
    // the case must be theirs and waiting for its survey before the answers are read
    let form = match scoped.survey_form(review, case).await {
        Ok(f) => f,
        Err(QueryError::Invalid(m)) => return not_screened(&state, &ctx, review, m, lang).await,
        Err(e) => return Err(qe(lang)(e)),
    };
    let mut answers = answers_from(&fields);
    match value("action") {
        Some("add_member") => {
            if answers.members.len() < MAX_MEMBERS {
                answers.members.push(BTreeMap::new());
            }
            form_page(
                &state,
                &ctx,
                review,
                &form,
                &answers,
                None,
                None,
                StatusCode::OK,
            )
        }
        Some(action @ ("check" | "save")) => {
            let save = action == "save";
            match scoped.submit_survey(review, case, &answers, save).await {
                Ok(c) if c.saved => {
                    Ok(Redirect::to(&format!("/reviews/{review}?done=form")).into_response())
                }
                Ok(c) => {
                    let status = if c.errors.is_empty() {
                        StatusCode::OK
                    } else {
                        StatusCode::UNPROCESSABLE_ENTITY
                    };
                    form_page(
                        &state,
                        &ctx,
                        review,
                        &form,
                        &answers,
                        Some(&c),
                        None,
                        status,
                    )
                }
                Err(QueryError::Invalid(m)) => form_page(
                    &state,
                    &ctx,
                    review,
                    &form,
                    &answers,
                    None,
                    Some(m.render(lang)),
                    StatusCode::BAD_REQUEST,
                ),
                Err(e) => Err(qe(lang)(e)),
            }
        }
        _ => Err(WebError::Status(StatusCode::BAD_REQUEST, lang)),
    }
}

#[cfg(test)]
mod tests {
    use super::number_typed;

    #[test]
    fn numbers_typed_the_vietnamese_way_read_as_the_exchange_format_writes_them() {
        assert_eq!(number_typed("income_per_capita", "1.000.000"), "1000000");
        assert_eq!(number_typed("income_per_capita", "1 500 000"), "1500000");
        assert_eq!(number_typed("income_per_capita", "850000"), "850000");
        // not groups of three: left for the importer to refuse in words
        assert_eq!(number_typed("income_per_capita", "1.00.000"), "1.00.000");
        assert_eq!(number_typed("floor_area_m2", "36,5"), "36.5");
        assert_eq!(number_typed("floor_area_m2", "36.5"), "36.5");
        // a floor area keeps its point: 1.500 m² is one and a half
        assert_eq!(number_typed("floor_area_m2", "1.500"), "1.500");
        assert_eq!(number_typed("b1_score", "12,5"), "12.5");
    }
}
