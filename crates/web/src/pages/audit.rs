//! The audit log for inspectors and administrators: its entries in their scope, the state of
//! its hash chain, the head to export, and the check against a head exported earlier.

use super::downloads::attachment;
use super::{nonempty, page_number, qe, render, PAGE_SIZE};
use crate::{auth, AppState, Ctx, WebError};
use axum::extract::{Query, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;
use axum::Form;
use giamngheo_app::records::{Anchor, AuditFilter, AuditHead};
use minijinja::context;
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct AuditQuery {
    user: Option<String>,
    action: Option<String>,
    record: Option<String>,
    page: Option<i64>,
}

pub async fn audit(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<AuditQuery>,
) -> Result<Response, WebError> {
    audit_page(&state, &ctx, &q, None).await
}

/// The audit log's page, with the result of a check against an exported head when one was asked.
async fn audit_page(
    state: &AppState,
    ctx: &Ctx,
    q: &AuditQuery,
    anchor: Option<(i64, String, Anchor)>,
) -> Result<Response, WebError> {
    let actor = ctx.user()?;
    let lang = ctx.lang;
    let page = page_number(q.page, lang)?;
    let filter = AuditFilter {
        user_name: nonempty(&q.user),
        action: nonempty(&q.action),
        record: nonempty(&q.record),
        units: None,
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
    };
    let (entries, chain) = state
        .registry
        .for_actor(actor)
        .audit_log(&filter)
        .await
        .map_err(qe(lang))?;
    let entries: Vec<_> = entries
        .into_iter()
        .map(|e| {
            context! {
                id => e.id,
                at => format!("{} {}", lang.date(e.at.date_naive()), e.at.format("%H:%M:%S")),
                user => e.user_name,
                action => e.action,
                record => e.record,
                unit => e.unit_code,
                before => e.before,
                after => e.after,
                hash => e.hash.get(..12).unwrap_or_default().to_string(),
            }
        })
        .collect();
    let (anchor_id, anchor_hash, anchor) = match anchor {
        Some((id, hash, a)) => (
            Some(id),
            Some(hash),
            Some(match a {
                Anchor::Holds => "chain_anchor_ok",
                Anchor::Missing => "chain_anchor_missing",
                Anchor::Differs => "chain_anchor_differs",
            }),
        ),
        None => (None, None, None),
    };
    render(
        state,
        ctx,
        "audit.html",
        context! {
            entries,
            page,
            chain_ok => chain.is_ok(),
            broken_at => chain.err(),
            user => q.user,
            action => q.action,
            record => q.record,
            anchor,
            anchor_id,
            anchor_hash,
        },
    )
}

/// The audit log's last entry as JSON, for an inspector to keep outside the system and check the
/// log against later.
pub async fn audit_head(State(state): State<AppState>, ctx: Ctx) -> Result<Response, WebError> {
    let actor = ctx.user()?;
    let head = state
        .registry
        .for_actor(actor)
        .audit_head()
        .await
        .map_err(qe(ctx.lang))?;
    let body = AuditHead::export(head.as_ref());
    let mut r = attachment("audit-head.json", body.to_string().into_bytes());
    r.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    Ok(r)
}

#[derive(Deserialize)]
pub struct AnchorForm {
    csrf: String,
    id: String,
    hash: String,
}

/// Checks the audit log against a head exported earlier.
pub async fn audit_verify(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(f): Form<AnchorForm>,
) -> Result<Response, WebError> {
    let actor = ctx.user()?;
    ctx.check_csrf(&f.csrf)?;
    let lang = ctx.lang;
    let bad = || WebError::Status(StatusCode::BAD_REQUEST, lang);
    let id: i64 = f.id.trim().parse().map_err(|_| bad())?;
    let hash = f.hash.trim().to_ascii_lowercase();
    if id < 1 || !auth::is_token(&hash) {
        return Err(bad());
    }
    let anchor = state
        .registry
        .for_actor(actor)
        .audit_anchor(id, &hash)
        .await
        .map_err(qe(lang))?;
    audit_page(
        &state,
        &ctx,
        &AuditQuery::default(),
        Some((id, hash, anchor)),
    )
    .await
}
