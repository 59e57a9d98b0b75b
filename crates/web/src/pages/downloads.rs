//! Downloads: a unit's report (CSV, XLSX) and a unit's survey of a year as one exchange-format
//! workbook.

use super::households::{list_query, HouseholdsQuery};
use super::{qe, unit_code};
use crate::i18n::Lang;
use crate::{AppState, Ctx, WebError};
use axum::extract::{Path, Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use giamngheo_app::report::BOM;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct FileQuery {
    from: Option<i32>,
    to: Option<i32>,
    target: Option<f64>,
}

pub async fn report_file(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((code, format)): Path<(String, String)>,
    Query(q): Query<FileQuery>,
) -> Result<Response, WebError> {
    let actor = ctx.user()?;
    let unit = unit_code(&code, ctx.lang)?;
    let report = state
        .registry
        .for_actor(actor)
        .unit_report(&unit, (q.from, q.to), q.target)
        .await
        .map_err(qe(ctx.lang))?;
    let body = match format.as_str() {
        "csv" => format!("{BOM}{}", report.to_csv(ctx.lang)).into_bytes(),
        "xlsx" => workbook(|p| report.write_xlsx(p, ctx.lang))?,
        _ => return Err(WebError::Status(StatusCode::NOT_FOUND, ctx.lang)),
    };
    let name = match ctx.lang {
        Lang::Vi => "bao-cao",
        Lang::En => "report",
    };
    Ok(attachment(&format!("{name}-{code}.{format}"), body))
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A workbook's bytes, written by `write` to a temporary file.
pub(crate) fn workbook<E: std::fmt::Display>(
    write: impl FnOnce(&std::path::Path) -> Result<(), E>,
) -> Result<Vec<u8>, WebError> {
    let internal = |e: &dyn std::fmt::Display| WebError::Internal(e.to_string());
    let dir = tempfile::tempdir().map_err(|e| internal(&e))?;
    let path = dir.path().join("book.xlsx");
    write(&path).map_err(|e| internal(&e))?;
    std::fs::read(&path).map_err(|e| internal(&e))
}

/// A download: its type from the name's extension.
pub(crate) fn attachment(name: &str, body: Vec<u8>) -> Response {
    let kind = if name.ends_with(".xlsx") {
        XLSX
    } else {
        "text/csv; charset=utf-8"
    };
    (
        [
            (CONTENT_TYPE, kind.to_string()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// A unit's survey of a year as one workbook in the exchange format (it imports back as it is):
/// the households the list's filters find, or all of them.
pub async fn survey_file(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((code, year)): Path<(String, String)>,
    Query(q): Query<HouseholdsQuery>,
) -> Result<Response, WebError> {
    let actor = ctx.user()?;
    let year: i32 = year
        .strip_suffix(".xlsx")
        .and_then(|y| y.parse().ok())
        .ok_or(WebError::Status(StatusCode::NOT_FOUND, ctx.lang))?;
    let unit = unit_code(&code, ctx.lang)?;
    let query = list_query(&q, unit, year, ctx.lang)?
        .ok_or(WebError::Status(StatusCode::NOT_FOUND, ctx.lang))?;
    let tables = state
        .registry
        .for_actor(actor)
        .survey_export(&query)
        .await
        .map_err(qe(ctx.lang))?;
    let body = workbook(|p| tables.write_xlsx(p))?;
    let part = if query.filters_anything() { "-loc" } else { "" };
    Ok(attachment(
        &format!("khao-sat-{code}-{year}{part}.xlsx"),
        body,
    ))
}
