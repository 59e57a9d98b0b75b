//! Importing a survey through the page: the upload streamed to disk, the import run on its
//! own, its page showing the progress and then every error.

use super::render;
use crate::{AppState, Ctx, WebError};
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;

pub async fn import_form(State(state): State<AppState>, ctx: Ctx) -> Result<Response, WebError> {
    let actor = ctx.user()?;
    if !actor.may_import_somewhere() {
        return Err(WebError::Status(StatusCode::FORBIDDEN, ctx.lang));
    }
    render(&state, &ctx, "import.html", context! { result => () })
}

/// The blank import template: the exchange format's two sheets with their headers, and a guide
/// to every column and code in the user's language (for those who may import).
pub async fn import_template(ctx: Ctx) -> Result<Response, WebError> {
    let actor = ctx.user()?;
    if !actor.may_import_somewhere() {
        return Err(WebError::Status(StatusCode::FORBIDDEN, ctx.lang));
    }
    let lang = ctx.lang;
    let body = super::downloads::workbook(|p| giamngheo_survey::guide::write_template(p, lang))?;
    let name = match lang {
        crate::i18n::Lang::Vi => "mau-nhap-khao-sat.xlsx",
        crate::i18n::Lang::En => "survey-import-template.xlsx",
    };
    Ok(super::downloads::attachment(name, body))
}

/// Phiếu B as an XLSForm for ODK Collect or KoboToolbox (for those who may import): villages
/// without signal capture offline, and the exports come back through the import.
pub async fn import_xlsform(ctx: Ctx) -> Result<Response, WebError> {
    let actor = ctx.user()?;
    if !actor.may_import_somewhere() {
        return Err(WebError::Status(StatusCode::FORBIDDEN, ctx.lang));
    }
    // ODK compares a form's versions: the form changes with the program's version
    let version = env!("CARGO_PKG_VERSION").replace('.', "");
    let body =
        super::downloads::workbook(|p| giamngheo_survey::xlsform::write_xlsform(p, &version))?;
    Ok(super::downloads::attachment("phieu-b-xlsform.xlsx", body))
}

pub async fn import(
    State(state): State<AppState>,
    ctx: Ctx,
    mut form: Multipart,
) -> Result<Response, WebError> {
    let actor = ctx.user()?.clone();
    let lang = ctx.lang;
    if !actor.may_import_somewhere() {
        return Err(WebError::Status(StatusCode::FORBIDDEN, lang));
    }
    let bad = || WebError::Status(StatusCode::BAD_REQUEST, lang);
    // a body over the limit is 413, any other unreadable form 400
    let unreadable =
        |e: axum::extract::multipart::MultipartError| WebError::Status(e.status(), lang);
    let dir = tempfile::tempdir_in(state.upload_dir.as_path())
        .map_err(|e| WebError::Internal(e.to_string()))?;
    let (mut csrf, mut year, mut legacy) = (String::new(), None::<i32>, false);
    let mut households: Option<std::path::PathBuf> = None;
    let mut members: Option<std::path::PathBuf> = None;
    while let Some(field) = form.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or_default().to_string();
        match name.as_str() {
            "csrf" => csrf = field.text().await.map_err(unreadable)?,
            "year" => year = field.text().await.map_err(unreadable)?.trim().parse().ok(),
            "legacy_units" => legacy = true,
            "households" | "members" => {
                // the form sends its token first: no file of a forged request is written
                ctx.check_csrf(&csrf)?;
                let file_name = field.file_name().unwrap_or_default().to_lowercase();
                let ext = if file_name.ends_with(".xlsx") {
                    "xlsx"
                } else {
                    "csv"
                };
                let path = dir.path().join(format!("{name}.{ext}"));
                // streamed to disk a chunk at a time: memory holds one chunk, whatever the size
                let written = save_field(field, &path).await.map_err(|e| match e {
                    SaveError::Read(e) => unreadable(e),
                    SaveError::Write(e) => WebError::Internal(e.to_string()),
                })?;
                if written == 0 {
                    continue;
                }
                if name == "households" {
                    households = Some(path);
                } else {
                    members = Some(path);
                }
            }
            _ => {}
        }
    }
    ctx.check_csrf(&csrf)?;
    let (Some(year), Some(households)) = (year, households) else {
        return Err(bad());
    };
    let files = giamngheo_app::import::SurveyFiles {
        households,
        members,
    };
    // the import runs on its own; the page that follows shows its progress, then its result
    let id = crate::jobs::next_id();
    state.jobs.start(id, actor.user_id, year);
    let jobs = state.jobs.clone();
    let registry = state.registry.clone();
    tokio::spawn(async move {
        let progress_jobs = jobs.clone();
        let mut progress = move |done: u64, all: u64| progress_jobs.progress(id, done, all);
        let result = registry
            .for_actor(&actor)
            .import_survey(year, legacy, &files, &mut progress)
            .await;
        // the uploaded files' names in place of the temporary ones
        let dir_text = format!("{}/", dir.path().display());
        let show = |e: &giamngheo_survey::RowError| crate::jobs::Shown {
            file: e.file.replace(&dir_text, ""),
            error: e.clone(),
        };
        let finished = match result {
            Ok(report) => crate::jobs::Finished {
                outcome: report.outcome.clone(),
                errors: report.errors.iter().take(500).map(show).collect(),
                more_errors: report.errors.len().saturating_sub(500),
                warnings: report.warnings.iter().take(500).map(show).collect(),
            },
            Err(e) => {
                tracing::error!("import: {e}");
                let file: std::sync::Arc<str> = "".into();
                let failed = giamngheo_survey::RowError::file(
                    &file,
                    giamngheo_rules::msg!("import_failed", error = e),
                );
                crate::jobs::Finished {
                    outcome: giamngheo_app::import::FileOutcome::Rejected { errors: 1 },
                    errors: vec![crate::jobs::Shown {
                        file: String::new(),
                        error: failed,
                    }],
                    more_errors: 0,
                    warnings: Vec::new(),
                }
            }
        };
        jobs.finish(id, finished);
        drop(dir);
    });
    Ok(Redirect::to(&format!("/import/jobs/{id}")).into_response())
}

pub(crate) enum SaveError {
    Read(axum::extract::multipart::MultipartError),
    Write(std::io::Error),
}

/// Writes an uploaded file to `path` as it arrives; the bytes written.
pub(crate) async fn save_field(
    mut field: axum::extract::multipart::Field<'_>,
    path: &std::path::Path,
) -> Result<u64, SaveError> {
    use tokio::io::AsyncWriteExt;
    let mut file = tokio::fs::File::create(path)
        .await
        .map_err(SaveError::Write)?;
    let mut written = 0u64;
    while let Some(chunk) = field.chunk().await.map_err(SaveError::Read)? {
        file.write_all(&chunk).await.map_err(SaveError::Write)?;
        written += chunk.len() as u64;
    }
    file.flush().await.map_err(SaveError::Write)?;
    Ok(written)
}

/// An import's page: its progress while it runs (the page reloads itself every second, no
/// script needed), then its result with every error.
pub async fn import_job(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<u64>,
) -> Result<Response, WebError> {
    let actor = ctx.user()?;
    let lang = ctx.lang;
    // another user's import is not there for this one (and asking for it is a denial)
    let job = match state.jobs.get(id) {
        Some(j) if j.user_id == actor.user_id => j,
        Some(_) => return Err(WebError::Denied(StatusCode::NOT_FOUND, lang)),
        None => return Err(WebError::Status(StatusCode::NOT_FOUND, lang)),
    };
    let Some(done) = &job.finished else {
        let percent = (100 * job.done).checked_div(job.all).unwrap_or(0).min(100);
        return render(
            &state,
            &ctx,
            "import.html",
            context! { running => context! { percent, year => job.year } },
        );
    };
    let outcome = match done.outcome {
        giamngheo_app::import::FileOutcome::Imported {
            households,
            members,
            import_id,
        } => {
            context! { kind => "imported", households => lang.int(households as i64), members => lang.int(members as i64), import_id }
        }
        giamngheo_app::import::FileOutcome::AlreadyImported { import_id } => {
            context! { kind => "already", import_id }
        }
        giamngheo_app::import::FileOutcome::Rejected { errors } => {
            context! { kind => "rejected", errors => lang.int(errors as i64) }
        }
        // the page's uploads are imported, never only checked
        giamngheo_app::import::FileOutcome::Checked { .. } => {
            context! { kind => "rejected", errors => lang.int(0) }
        }
    };
    let status = if done.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut r = render(
        &state,
        &ctx,
        "import.html",
        context! {
            result => context! {
                outcome,
                year => job.year,
                errors => done.errors.iter().map(|e| e.text(lang)).collect::<Vec<_>>(),
                more_errors => done.more_errors,
                warnings => done.warnings.iter().map(|e| e.text(lang)).collect::<Vec<_>>(),
            }
        },
    )?;
    *r.status_mut() = status;
    Ok(r)
}

/// A form of one uploaded file (a money or support list): its other fields, and the file saved
/// in a directory of its own that goes when the upload does.
pub(crate) struct OneFile {
    _dir: tempfile::TempDir,
    temp: String,
    fields: std::collections::HashMap<String, String>,
    /// Where the file was saved (`upload.csv` or `upload.xlsx`).
    pub path: std::path::PathBuf,
    /// Its name as the user's machine called it, for messages.
    pub shown: String,
}

impl OneFile {
    pub fn field(&self, name: &str) -> String {
        self.fields.get(name).cloned().unwrap_or_default()
    }

    /// A row's refusal as `FILE:ROW: column: message`, the file by the name the user gave it.
    pub fn error(&self, e: &giamngheo_survey::RowError, lang: crate::i18n::Lang) -> String {
        let file = e
            .file
            .replace(&format!("{}/upload.xlsx", self.temp), &self.shown)
            .replace(&format!("{}/upload.csv", self.temp), &self.shown);
        let at = if e.row > 0 {
            format!("{file}:{}", e.row)
        } else {
            file
        };
        let column = if e.column.is_empty() {
            String::new()
        } else {
            format!(" {}:", e.column)
        };
        format!("{at}:{column} {}", e.message.render(lang))
    }
}

/// A unit's upload by who imports there: the unit in the user's scope (404 otherwise), the
/// user one who imports (403 otherwise), then the form's one file.
pub(crate) async fn unit_upload<'a>(
    state: &crate::AppState,
    ctx: &'a crate::Ctx,
    code: &str,
    form: &mut axum::extract::Multipart,
) -> Result<(&'a giamngheo_app::access::Actor, OneFile), crate::WebError> {
    let actor = ctx.user()?;
    let lang = ctx.lang;
    let unit = super::unit_code(code, lang)?;
    actor
        .read(&unit)
        .map_err(|d| crate::WebError::denied(d, lang))?;
    if !actor.imports() {
        return Err(crate::WebError::denied(
            giamngheo_app::access::Denied::Forbidden,
            lang,
        ));
    }
    Ok((actor, one_file(state, ctx, form).await?))
}

/// Reads a form of one file field (`file`) and text fields: the CSRF token first (no file of a
/// forged request is written), the file streamed to disk a chunk at a time. A form without its
/// file is a bad request.
pub(crate) async fn one_file(
    state: &crate::AppState,
    ctx: &crate::Ctx,
    form: &mut axum::extract::Multipart,
) -> Result<OneFile, crate::WebError> {
    use crate::WebError;
    let lang = ctx.lang;
    let unreadable =
        |e: axum::extract::multipart::MultipartError| WebError::Status(e.status(), lang);
    let dir = tempfile::tempdir_in(state.upload_dir.as_path())
        .map_err(|e| WebError::Internal(e.to_string()))?;
    let mut fields = std::collections::HashMap::new();
    let mut file = None;
    while let Some(field) = form.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            ctx.check_csrf(fields.get("csrf").map(String::as_str).unwrap_or_default())?;
            let lower = field.file_name().unwrap_or_default().to_lowercase();
            let ext = if lower.ends_with(".xlsx") {
                "xlsx"
            } else {
                "csv"
            };
            let shown = field
                .file_name()
                .map(|n| n.rsplit(['/', '\\']).next().unwrap_or(n).to_string())
                .unwrap_or_default();
            let path = dir.path().join(format!("upload.{ext}"));
            save_field(field, &path).await.map_err(|e| match e {
                SaveError::Read(e) => unreadable(e),
                SaveError::Write(e) => WebError::Internal(e.to_string()),
            })?;
            file = Some((path, shown));
        } else if fields.len() < 16 {
            let text: String = field.text().await.map_err(unreadable)?;
            fields.insert(name, text.chars().take(200).collect());
        }
    }
    ctx.check_csrf(fields.get("csrf").map(String::as_str).unwrap_or_default())?;
    let Some((path, shown)) = file else {
        return Err(WebError::Status(axum::http::StatusCode::BAD_REQUEST, lang));
    };
    Ok(OneFile {
        temp: dir.path().display().to_string(),
        _dir: dir,
        fields,
        path,
        shown,
    })
}
