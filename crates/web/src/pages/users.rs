//! Users managed on a page: the administrator's every account, a provincial officer's the
//! accounts of their communes (`giamngheo_app::accounts` decides who manages whom). An account is
//! added, changed, disabled or enabled, and its password reset to one made up here and shown
//! once; every user changes their own password on `/account/password`.

use super::{qe, render, unit_name};
use crate::i18n::{Lang, Pages};
use crate::{AppState, Ctx, WebError};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use giamngheo_app::access::Role;
use giamngheo_app::accounts::{AccountAction, AccountForm};
use giamngheo_app::records::User;
use giamngheo_app::{QueryError, Scoped};
use giamngheo_rules::{msg, Msg, UnitCode};
use giamngheo_survey::Catalogue;
use minijinja::context;
use serde::Deserialize;

/// A role in the reader's words, as a list or a choice shows it: with a capital.
fn role_name(lang: Lang, code: &str) -> String {
    let name = lang
        .texts()
        .get(format!("value:role:{code}").as_str())
        .map_or_else(|| code.to_string(), |t| t.to_string());
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => name,
    }
}

/// An account as the list and the form show it.
fn account_view(lang: Lang, u: &User) -> minijinja::Value {
    let unit = u.unit_code.as_deref().and_then(UnitCode::parse);
    context! {
        id => u.id,
        name => u.name,
        full_name => u.full_name,
        role => u.role,
        role_name => role_name(lang, &u.role),
        unit => u.unit_code,
        unit_name => unit.as_ref().map(unit_name),
        active => u.active,
        must_change => u.must_change_password,
    }
}

/// The roles the user may give, and the units they may give (a provincial officer's communes;
/// for an administrator, any code typed).
fn choices(lang: Lang, scoped: &Scoped<'_>) -> (Vec<minijinja::Value>, Vec<minijinja::Value>) {
    let roles = scoped
        .roles_given()
        .into_iter()
        .map(|r| context! { code => r.code(), name => role_name(lang, r.code()) })
        .collect();
    let units = match (scoped.actor().role, scoped.actor().unit) {
        (Role::ProvincialOfficer, Some(UnitCode::Province(p))) => {
            // by name, as an officer looks for one
            let mut communes: Vec<_> = Catalogue::builtin()
                .communes()
                .filter(|c| c.province_code == p.as_str())
                .collect();
            communes.sort_by_cached_key(|c| giamngheo_app::text::fold_name(&c.name));
            communes
                .into_iter()
                .map(|c| context! { code => c.code, name => c.name })
                .collect()
        }
        _ => Vec::new(),
    };
    (roles, units)
}

#[derive(Deserialize, Default)]
pub struct UsersQuery {
    q: Option<String>,
}

pub async fn users(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<UsersQuery>,
) -> Result<Response, WebError> {
    list_page(&state, &ctx, q.q.as_deref(), None, StatusCode::OK).await
}

/// The list with the add form; `refused` keeps a refused form's values and says why.
async fn list_page(
    state: &AppState,
    ctx: &Ctx,
    q: Option<&str>,
    refused: Option<(&AddForm, String)>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let actor = ctx.user()?;
    let lang = ctx.lang;
    let scoped = state.registry.for_actor(actor);
    let filter = q
        .map(giamngheo_app::text::fold_name)
        .filter(|f| !f.is_empty());
    let accounts: Vec<_> = scoped
        .accounts()
        .await
        .map_err(qe(lang))?
        .iter()
        .filter(|u| {
            filter.as_ref().is_none_or(|f| {
                giamngheo_app::text::fold_name(&format!("{} {}", u.name, u.full_name))
                    .contains(f.as_str())
            })
        })
        .map(|u| account_view(lang, u))
        .collect();
    let (roles, units) = choices(lang, &scoped);
    let mut r = render(
        state,
        ctx,
        "users.html",
        context! {
            accounts,
            q,
            roles,
            units,
            error => refused.as_ref().map(|(_, e)| e.clone()),
            form => refused.map(|(f, _)| context! {
                name => f.name, full_name => f.full_name, role => f.role, unit => f.unit,
            }),
        },
    )?;
    *r.status_mut() = status;
    Ok(r)
}

#[derive(Deserialize)]
pub struct AddForm {
    csrf: String,
    name: String,
    #[serde(default)]
    full_name: String,
    role: String,
    #[serde(default)]
    unit: String,
}

/// A form's role and unit as the use case takes them, or why not.
fn account_form(full_name: &str, role: &str, unit: &str) -> Result<AccountForm, Msg> {
    let role = Role::from_code(role).ok_or_else(|| msg!("cli_unknown_role", role = role))?;
    let unit = match unit.trim() {
        "" => None,
        u => Some(UnitCode::parse(u).ok_or_else(|| msg!("cli_unknown_user_unit", unit = u))?),
    };
    Ok(AccountForm {
        full_name: full_name.to_string(),
        role,
        unit,
    })
}

/// What a refused use case says, when it says why; anything else is answered as a page.
fn invalid(lang: Lang, e: QueryError) -> Result<String, WebError> {
    match e {
        QueryError::Invalid(m) => Ok(m.render(lang)),
        other => Err(qe(lang)(other)),
    }
}

pub async fn add_user(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(f): Form<AddForm>,
) -> Result<Response, WebError> {
    let actor = ctx.user()?;
    ctx.check_csrf(&f.csrf)?;
    let lang = ctx.lang;
    let scoped = state.registry.for_actor(actor);
    let form = match account_form(&f.full_name, &f.role, &f.unit) {
        Ok(form) => form,
        Err(e) => {
            let why = e.render(lang);
            return list_page(&state, &ctx, None, Some((&f, why)), StatusCode::BAD_REQUEST).await;
        }
    };
    let password = giamngheo_app::session::temporary_password();
    match scoped.add_account(&f.name, &form, &password).await {
        Ok(id) => user_page(&state, &ctx, id, Some(("account_created", password)), false).await,
        Err(e) => {
            let why = invalid(lang, e)?;
            list_page(&state, &ctx, None, Some((&f, why)), StatusCode::BAD_REQUEST).await
        }
    }
}

#[derive(Deserialize, Default)]
pub struct SavedQuery {
    saved: Option<String>,
}

pub async fn user(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<SavedQuery>,
) -> Result<Response, WebError> {
    user_page(&state, &ctx, id, None, q.saved.is_some()).await
}

/// An account's page; `password` is a password just made up, with the sentence that says why,
/// shown this once.
async fn user_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    password: Option<(&str, String)>,
    saved: bool,
) -> Result<Response, WebError> {
    edit_page(state, ctx, id, password, saved, None).await
}

async fn edit_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    password: Option<(&str, String)>,
    saved: bool,
    error: Option<String>,
) -> Result<Response, WebError> {
    let actor = ctx.user()?;
    let lang = ctx.lang;
    let scoped = state.registry.for_actor(actor);
    let account = scoped.account(id).await.map_err(qe(lang))?;
    let (roles, units) = choices(lang, &scoped);
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let mut r = render(
        state,
        ctx,
        "user.html",
        context! {
            account => account_view(lang, &account),
            own => account.id == actor.user_id,
            roles,
            units,
            saved,
            error,
            password_note => password.as_ref().map(|(k, _)| lang.t(k)),
            password => password.map(|(_, p)| p),
        },
    )?;
    *r.status_mut() = status;
    Ok(r)
}

#[derive(Deserialize)]
pub struct EditForm {
    csrf: String,
    #[serde(default)]
    full_name: String,
    role: String,
    #[serde(default)]
    unit: String,
}

pub async fn update_user(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<EditForm>,
) -> Result<Response, WebError> {
    let actor = ctx.user()?;
    ctx.check_csrf(&f.csrf)?;
    let lang = ctx.lang;
    let scoped = state.registry.for_actor(actor);
    let form = match account_form(&f.full_name, &f.role, &f.unit) {
        Ok(form) => form,
        Err(e) => {
            // the account must be theirs before a word is said about the form
            scoped.account(id).await.map_err(qe(lang))?;
            return edit_page(&state, &ctx, id, None, false, Some(e.render(lang))).await;
        }
    };
    match scoped
        .change_account(id, AccountAction::Update, Some(&form))
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/users/{id}?saved=1")).into_response()),
        Err(e) => {
            let why = invalid(lang, e)?;
            edit_page(&state, &ctx, id, None, false, Some(why)).await
        }
    }
}

#[derive(Deserialize)]
pub struct ActiveForm {
    csrf: String,
    active: String,
}

pub async fn set_active(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<ActiveForm>,
) -> Result<Response, WebError> {
    let actor = ctx.user()?;
    ctx.check_csrf(&f.csrf)?;
    let lang = ctx.lang;
    let scoped = state.registry.for_actor(actor);
    // the account must be theirs before a word is said about the form
    scoped.account(id).await.map_err(qe(lang))?;
    let action = match f.active.as_str() {
        "1" => AccountAction::Enable,
        "0" => AccountAction::Disable,
        _ => return Err(WebError::Status(StatusCode::BAD_REQUEST, lang)),
    };
    match scoped.change_account(id, action, None).await {
        Ok(_) => Ok(Redirect::to(&format!("/users/{id}?saved=1")).into_response()),
        Err(e) => {
            let why = invalid(lang, e)?;
            edit_page(&state, &ctx, id, None, false, Some(why)).await
        }
    }
}

#[derive(Deserialize)]
pub struct CsrfOnly {
    csrf: String,
}

pub async fn reset_password(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    let actor = ctx.user()?;
    ctx.check_csrf(&f.csrf)?;
    let lang = ctx.lang;
    let scoped = state.registry.for_actor(actor);
    match scoped.reset_password(id).await {
        Ok(password) => {
            user_page(
                &state,
                &ctx,
                id,
                Some(("password_reset_note", password)),
                false,
            )
            .await
        }
        Err(e) => {
            let why = invalid(lang, e)?;
            edit_page(&state, &ctx, id, None, false, Some(why)).await
        }
    }
}

pub async fn password_form(State(state): State<AppState>, ctx: Ctx) -> Result<Response, WebError> {
    password_page(&state, &ctx, None, false, StatusCode::OK)
}

fn password_page(
    state: &AppState,
    ctx: &Ctx,
    error: Option<String>,
    done: bool,
    status: StatusCode,
) -> Result<Response, WebError> {
    ctx.account_user()?;
    let mut r = render(
        state,
        ctx,
        "password.html",
        context! {
            error,
            done,
            forced => ctx.must_change_password,
            min => giamngheo_app::registry::MIN_PASSWORD_CHARS,
        },
    )?;
    *r.status_mut() = status;
    Ok(r)
}

#[derive(Deserialize)]
pub struct PasswordForm {
    csrf: String,
    current: String,
    new: String,
    repeated: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(f): Form<PasswordForm>,
) -> Result<Response, WebError> {
    let actor = ctx.account_user()?;
    ctx.check_csrf(&f.csrf)?;
    let lang = ctx.lang;
    let keep = ctx
        .session
        .as_ref()
        .map(|s| s.token_hash.clone())
        .unwrap_or_default();
    let scoped = state.registry.for_actor(actor);
    match scoped
        .change_own_password(&f.current, &f.new, &f.repeated, &keep)
        .await
    {
        Ok(()) => {
            let ctx = Ctx {
                must_change_password: false,
                ..ctx
            };
            password_page(&state, &ctx, None, true, StatusCode::OK)
        }
        Err(e) => {
            let why = invalid(lang, e)?;
            password_page(&state, &ctx, Some(why), false, StatusCode::BAD_REQUEST)
        }
    }
}
