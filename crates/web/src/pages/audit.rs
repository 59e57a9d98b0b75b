//! The audit log for inspectors and administrators: its entries in their scope, the state of
//! its hash chain, the head to export, and the check against a head exported earlier.

use super::downloads::attachment;
use super::{nonempty, page_number, qe, render, PAGE_SIZE};
use crate::i18n::{Lang, Pages};
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
                // the time as officers read it: Vietnam's (UTC+7)
                at => lang.moment_seconds(e.at.timestamp() + giamngheo_rules::text::VIETNAM_UTC_OFFSET),
                user => e.user_name,
                action => entry_action(lang, &e.action, e.unit_code.as_deref(), e.after.as_deref()),
                record => e.record,
                unit => e.unit_code.as_deref().map(unit_label),
                changes => changes(lang, e.before.as_deref(), e.after.as_deref()),
                hash => e.hash.get(..12).unwrap_or_default().to_string(),
            }
        })
        .collect();
    let actions: Vec<_> = ACTIONS
        .iter()
        .map(|a| context! { code => a, name => action_text(lang, a) })
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
            actions,
            scoped => actor.unit.is_some(),
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

/// The actions the log records, in the order the filter offers them.
pub const ACTIONS: [&str; 21] = [
    "session.login",
    "session.login_failed",
    "session.login_limited",
    "session.logout",
    "access.denied",
    "import",
    "import.refused",
    "user.add",
    "user.update",
    "user.disable",
    "user.enable",
    "user.reset_password",
    "user.password",
    "review.plan",
    "review.list",
    "review.screen",
    "review.survey",
    "review.meeting",
    "review.post",
    "review.consult",
    "review.decide",
];

/// A unit in words: its name and code ("Xã Mường Phăng (03325)"); a code that is no unit of
/// 2025, as recorded.
pub fn unit_label(code: &str) -> String {
    match giamngheo_rules::UnitCode::parse(code).and_then(|u| giamngheo_app::report::unit_name(&u))
    {
        Some(name) => format!("{name} ({code})"),
        None => code.to_string(),
    }
}

/// An entry's action in words, with what it was about when the entry says: an import names its
/// year and unit ("Nhập dữ liệu khảo sát năm 2025 cho Xã Mường Phăng").
fn entry_action(lang: Lang, action: &str, unit: Option<&str>, after: Option<&str>) -> String {
    let text = action_text(lang, action);
    if action != "import" {
        return text;
    }
    let year = after
        .and_then(|a| serde_json::from_str::<serde_json::Value>(a).ok())
        .and_then(|v| v.get("year").and_then(serde_json::Value::as_i64));
    let name = unit
        .and_then(giamngheo_rules::UnitCode::parse)
        .and_then(|u| giamngheo_app::report::unit_name(&u));
    match (year, name) {
        (Some(y), Some(n)) => format!(
            "{text} {} {y} {} {n}",
            lang.t("year_word"),
            lang.t("for_unit")
        ),
        (Some(y), None) => format!("{text} {} {y}", lang.t("year_word")),
        _ => text,
    }
}

/// The page text of `key` when the pages have one.
fn known(lang: Lang, key: &str) -> Option<&'static str> {
    lang.texts().get(key).copied()
}

/// An action in words; one the pages do not know yet, as it was recorded.
pub fn action_text(lang: Lang, code: &str) -> String {
    known(lang, &format!("action:{code}"))
        .unwrap_or(code)
        .to_string()
}

/// A field's value in words: a known code by its name, a number the language's way, a list
/// shortened after five.
fn value_text(lang: Lang, field: &str, v: &serde_json::Value) -> String {
    use serde_json::Value;
    match v {
        Value::Null => "–".into(),
        Value::Bool(b) => lang.t(if *b { "yes" } else { "no" }).into(),
        Value::Number(n) => match n.as_i64() {
            Some(i) if field != "year" => lang.int(i),
            _ => n.to_string(),
        },
        Value::String(s) if field == "unit_code" || field == "communes" => unit_label(s),
        Value::String(s) => known(lang, &format!("value:{field}:{s}"))
            .unwrap_or(s)
            .to_string(),
        Value::Array(items) => {
            let mut shown: Vec<String> = items
                .iter()
                .take(5)
                .map(|i| value_text(lang, field, i))
                .collect();
            if items.len() > 5 {
                shown.push(format!("… ({})", lang.int(items.len() as i64)));
            }
            shown.join(", ")
        }
        Value::Object(_) => v.to_string(),
    }
}

/// What an entry changed, field by field: its name in words, the value before and after (one
/// of them empty when the entry created or removed it); fields that stayed the same are left
/// out. A value that is not a JSON object is shown whole.
pub fn changes(lang: Lang, before: Option<&str>, after: Option<&str>) -> Vec<minijinja::Value> {
    use serde_json::{Map, Value};
    // an object, or the text as it was
    let parse = |s: Option<&str>| -> Result<Map<String, Value>, String> {
        match s {
            None => Ok(Map::new()),
            Some(t) => match serde_json::from_str::<Value>(t) {
                Ok(Value::Object(m)) => Ok(m),
                _ => Err(t.to_string()),
            },
        }
    };
    let (b, a) = match (parse(before), parse(after)) {
        (Ok(b), Ok(a)) => (b, a),
        (b, a) => {
            let raw = |r: Result<Map<String, Value>, String>| match r {
                Ok(m) if m.is_empty() => String::new(),
                Ok(m) => Value::Object(m).to_string(),
                Err(t) => t,
            };
            return vec![context! { field => "", before => raw(b), after => raw(a) }];
        }
    };
    let mut fields: Vec<&String> = a.keys().collect();
    fields.extend(b.keys().filter(|k| !a.contains_key(*k)));
    fields
        .into_iter()
        .filter(|f| b.get(*f) != a.get(*f))
        .map(|f| {
            let name = known(lang, &format!("field:{f}")).unwrap_or(f);
            context! {
                field => name,
                before => b.get(f).map(|v| value_text(lang, f, v)),
                after => a.get(f).map(|v| value_text(lang, f, v)),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(v: &[minijinja::Value]) -> Vec<String> {
        v.iter()
            .map(|c| {
                let get = |k: &str| {
                    c.get_attr(k)
                        .ok()
                        .filter(|x| !x.is_none() && !x.is_undefined())
                        .map(|x| x.to_string())
                        .unwrap_or_default()
                };
                format!("{}: {} → {}", get("field"), get("before"), get("after"))
            })
            .collect()
    }

    #[test]
    fn every_action_has_words_in_both_languages() {
        for a in ACTIONS {
            for lang in [Lang::Vi, Lang::En] {
                assert_ne!(action_text(lang, a), a, "{a} in {lang:?}");
            }
        }
        assert_eq!(
            action_text(Lang::Vi, "session.login_failed"),
            "Đăng nhập sai"
        );
        assert_eq!(action_text(Lang::Vi, "new.thing"), "new.thing");
        // an import names its year and unit
        let import = r#"{"year":2025,"households":3}"#;
        assert_eq!(
            entry_action(Lang::Vi, "import", Some("03325"), Some(import)),
            "Nhập dữ liệu khảo sát năm 2025 cho Xã Mường Phăng"
        );
        assert_eq!(
            entry_action(Lang::En, "import", Some("11"), Some(import)),
            "Survey imported year 2025 for Điện Biên"
        );
        assert_eq!(
            entry_action(Lang::Vi, "import", None, Some(import)),
            "Nhập dữ liệu khảo sát năm 2025"
        );
        assert_eq!(unit_label("99999"), "99999");
    }

    #[test]
    fn a_change_is_shown_field_by_field_in_words() {
        let created = changes(
            Lang::Vi,
            None,
            Some(
                r#"{"name":"xa","full_name":"Lò Văn A","role":"commune_officer","unit_code":"03325"}"#,
            ),
        );
        assert_eq!(
            shown(&created),
            // in the order the entry keeps them
            [
                "Họ tên:  → Lò Văn A",
                "Tên đăng nhập:  → xa",
                "Vai trò:  → cán bộ xã",
                "Đơn vị:  → Xã Mường Phăng (03325)"
            ]
        );
        // only what changed, before and after
        let changed = changes(
            Lang::En,
            Some(r#"{"role":"leader","unit_code":"11","full_name":"A"}"#),
            Some(r#"{"role":"inspector","unit_code":"11","full_name":"A"}"#),
        );
        assert_eq!(shown(&changed), ["Role: leader → inspector"]);
        let refused = changes(
            Lang::Vi,
            None,
            Some(r#"{"address":null,"reason":"password"}"#),
        );
        assert_eq!(
            shown(&refused),
            ["Địa chỉ máy:  → –", "Lý do:  → sai mật khẩu"]
        );
        let import = changes(
            Lang::Vi,
            None,
            Some(r#"{"households":12500,"communes":["1","2","3","4","5","6","7"],"year":2025}"#),
        );
        assert_eq!(
            shown(&import),
            [
                "Xã:  → 1, 2, 3, 4, 5, … (7)",
                "Số hộ:  → 12.500",
                "Năm:  → 2025"
            ]
        );
        // what is not an object is shown as it was
        assert_eq!(shown(&changes(Lang::Vi, None, Some("[1"))), [":  → [1"]);
        assert!(changes(Lang::Vi, None, None).is_empty());
    }
}
