//! The validation page: a file of stated figures uploaded and checked against the validation
//! rules, every broken rule listed with both sides' values and the rows they come from, beside
//! the rules themselves.

use super::render;
use crate::i18n::Lang;
use crate::{AppState, Ctx, WebError};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use giamngheo_app::QueryError;
use giamngheo_rules::validation::ValidationRules;
use minijinja::{context, Value};

fn rules_view(rules: &ValidationRules, lang: Lang) -> Vec<Value> {
    rules
        .rules
        .iter()
        .map(|r| {
            context! {
                code => r.code,
                name => match lang { Lang::Vi => &r.name_vi, Lang::En => &r.name_en },
                test => format!("{} {} {}", r.left_text, r.op.symbol(), r.right_text),
                tolerance => (!r.tolerance.is_zero()).then(|| r.tolerance.normalize().to_string()),
                levels => r.levels.join(", "),
            }
        })
        .collect()
}

async fn page(
    state: &AppState,
    ctx: &Ctx,
    shown: Option<String>,
    found: Option<Vec<Value>>,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    ctx.user()?;
    let rules = ValidationRules::builtin().map_err(WebError::Internal)?;
    let mut r = render(
        state,
        ctx,
        "checks.html",
        context! {
            rules => rules_view(&rules, ctx.lang),
            shown, found, errors,
        },
    )?;
    *r.status_mut() = status;
    Ok(r)
}

/// The validation page: the rules, and the upload of a file to check.
pub async fn checks_page(State(state): State<AppState>, ctx: Ctx) -> Result<Response, WebError> {
    page(&state, &ctx, None, None, Vec::new(), StatusCode::OK).await
}

/// A file of stated figures checked: every broken rule, or the file's bad rows.
pub async fn check_upload(
    State(state): State<AppState>,
    ctx: Ctx,
    mut form: axum::extract::Multipart,
) -> Result<Response, WebError> {
    ctx.user()?;
    let lang = ctx.lang;
    let upload = super::import::one_file(&state, &ctx, &mut form).await?;
    let rules = ValidationRules::builtin().map_err(WebError::Internal)?;
    match giamngheo_app::checks::check_file(&upload.path, &rules) {
        Ok(found) => {
            let rows = found
                .iter()
                .map(|f| {
                    context! {
                        row => f.row,
                        unit => f.unit,
                        rule => match lang { Lang::Vi => &f.rule.name_vi, Lang::En => &f.rule.name_en },
                        left => format!("{} = {}", f.rule.left_text, f.left.normalize()),
                        op => f.rule.op.symbol(),
                        right => format!("{} = {}", f.rule.right_text, f.right.normalize()),
                        cells => f.cells.join("; "),
                    }
                })
                .collect();
            page(
                &state,
                &ctx,
                Some(upload.shown.clone()),
                Some(rows),
                Vec::new(),
                StatusCode::OK,
            )
            .await
        }
        Err(QueryError::Rejected(rows)) => {
            let errors = rows
                .iter()
                .take(500)
                .map(|e| upload.error(e, lang))
                .collect();
            page(
                &state,
                &ctx,
                Some(upload.shown.clone()),
                None,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(super::qe(lang)(e)),
    }
}
