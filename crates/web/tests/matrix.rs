//! Every route and method of the application, against the anonymous visitor, each role, and
//! units and records inside and outside each user's scope: table-driven. The table is checked
//! against the router's own list of routes (`giamngheo_web::routes`), so a route added without
//! an entry here fails this test, and so does an entry for a route that is gone. Run on SQLite
//! and, when a server is given, PostgreSQL.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use giamngheo_testing::databases;
use std::collections::BTreeSet;

mod support;
use support::*;

/// The users of the site (support::site), each with the units they may open.
const USERS: &[(&str, &[&str])] = &[
    ("admin", &["11", "03325", "03328", "01"]),
    ("tinh", &["11", "03325", "03328"]),
    ("hanoi", &["01"]),
    ("xa", &["03325"]),
    ("lanhdao", &["11", "03325", "03328"]),
    ("thanhtra", &["11", "03325", "03328"]),
];

/// Units asked for: the province and two of its communes (the registry's), a province with
/// nothing imported, and a code that is no unit.
const UNITS: &[&str] = &["11", "03325", "03328", "01", "99999"];

/// Who asks: nobody logged in, or a user with their session cookie and its CSRF token.
#[derive(Clone)]
struct Asker {
    name: Option<&'static str>,
    cookie: String,
    csrf: String,
}

impl Asker {
    fn sees(&self, unit: &str) -> bool {
        self.name.is_some_and(|n| {
            USERS
                .iter()
                .any(|(u, units)| *u == n && units.contains(&unit))
        })
    }

    fn is(&self, names: &[&str]) -> bool {
        self.name.is_some_and(|n| names.contains(&n))
    }
}

/// The records of the registry the matrix asks for.
struct Records {
    /// A household of each of the registry's communes.
    households: Vec<(i64, &'static str)>,
    /// An import job started by `xa`.
    job: String,
    /// Accounts with their unit: a commune officer of 03325 made for the matrix (whose password
    /// it may reset), the administrator (the whole country), and an id that is no account.
    accounts: Vec<(i64, Option<&'static str>)>,
    /// The province's review plan of 2026, and the window of 03325 inside it.
    plan: i64,
    window: i64,
    /// A screened case of the window, waiting for its Phiếu B.
    case: i64,
    /// A model of each of the two communes, and an id that is no model.
    models: Vec<(i64, Option<&'static str>)>,
}

/// One request of a route and the status it must get.
struct Probe {
    method: &'static str,
    uri: String,
    body: Option<(String, String)>,
    expect: StatusCode,
}

fn get(uri: impl Into<String>, expect: StatusCode) -> Probe {
    Probe {
        method: "GET",
        uri: uri.into(),
        body: None,
        expect,
    }
}

fn post(uri: &str, kind: &str, body: String, expect: StatusCode) -> Probe {
    Probe {
        method: "POST",
        uri: uri.into(),
        body: Some((kind.into(), body)),
        expect,
    }
}

fn form(uri: &str, body: String, expect: StatusCode) -> Probe {
    post(uri, "application/x-www-form-urlencoded", body, expect)
}

use StatusCode as S;

/// A page of a unit: to the login page without a session, 404 outside the scope (and for a
/// code that is no unit), `ok` inside.
fn unit_page(a: &Asker, unit: &str, ok: StatusCode) -> StatusCode {
    match a.name {
        None => S::SEE_OTHER,
        Some(_) if !a.sees(unit) => S::NOT_FOUND,
        Some(_) => ok,
    }
}

/// The same for the API, which answers 401 without a session.
fn unit_api(a: &Asker, unit: &str) -> StatusCode {
    match a.name {
        None => S::UNAUTHORIZED,
        Some(_) if !a.sees(unit) => S::NOT_FOUND,
        Some(_) => S::OK,
    }
}

/// A role's page: to the login page without a session, 403 for the other roles.
fn role_page(a: &Asker, roles: &[&str]) -> StatusCode {
    match a.name {
        None => S::SEE_OTHER,
        Some(_) if a.is(roles) => S::OK,
        Some(_) => S::FORBIDDEN,
    }
}

const IMPORTERS: &[&str] = &["admin", "tinh", "hanoi", "xa"];
const MANAGERS: &[&str] = &["admin", "tinh", "hanoi"];

/// An account's page: 403 for the roles that manage nobody; for a manager, `ok` when the
/// account is theirs to manage (the administrator's every account, a provincial officer's those
/// of their communes), 404 otherwise (and for no account).
fn account_page(a: &Asker, account: Option<Option<&str>>, ok: StatusCode) -> StatusCode {
    match a.name {
        None => S::SEE_OTHER,
        Some(_) if !a.is(MANAGERS) => S::FORBIDDEN,
        Some(manager) => match account {
            None => S::NOT_FOUND,
            Some(_) if manager == "admin" => ok,
            Some(Some(unit)) if unit.len() == 5 && a.sees(unit) => ok,
            Some(_) => S::NOT_FOUND,
        },
    }
}
const AUDITORS: &[&str] = &["admin", "thanhtra"];

/// The routes the matrix has an entry for: exactly the router's (checked below).
const TABLE: &[(&str, &str)] = &[
    ("GET", "/"),
    ("GET", "/login"),
    ("POST", "/login"),
    ("POST", "/logout"),
    ("GET", "/lang/{code}"),
    ("GET", "/units/{code}"),
    ("GET", "/units/{code}/households"),
    ("GET", "/units/{code}/report.{format}"),
    ("GET", "/units/{code}/survey-{year}"),
    ("GET", "/households/{id}"),
    ("POST", "/households/{id}/request"),
    ("POST", "/households/{id}/changes"),
    ("GET", "/units/{code}/money"),
    ("GET", "/units/{code}/money/plans"),
    ("POST", "/units/{code}/money/plans"),
    ("POST", "/units/{code}/money/payments"),
    ("POST", "/units/{code}/money/estimates"),
    ("GET", "/units/{code}/reviews"),
    ("POST", "/units/{code}/reviews"),
    ("POST", "/units/{code}/reviews/lock"),
    ("GET", "/reviews/{id}"),
    ("GET", "/reviews/{id}/certificates"),
    ("GET", "/reviews/{id}/decisions"),
    ("GET", "/reviews/{id}/meetings"),
    ("POST", "/reviews/{id}/{action}"),
    ("GET", "/reviews/{id}/cases/{case}/survey"),
    ("POST", "/reviews/{id}/cases/{case}/survey"),
    ("GET", "/public/reviews/{id}"),
    ("GET", "/import"),
    ("POST", "/import"),
    ("GET", "/import/jobs/{id}"),
    ("GET", "/import/template.xlsx"),
    ("GET", "/money/template.xlsx"),
    ("GET", "/units/{code}/money/{file}"),
    ("POST", "/units/{code}/money/import"),
    ("GET", "/import/phieu-b-xlsform.xlsx"),
    ("GET", "/users"),
    ("POST", "/users"),
    ("GET", "/users/{id}"),
    ("POST", "/users/{id}"),
    ("POST", "/users/{id}/active"),
    ("POST", "/users/{id}/password"),
    ("GET", "/account/password"),
    ("POST", "/account/password"),
    ("GET", "/audit"),
    ("GET", "/audit/head.json"),
    ("POST", "/audit/verify"),
    ("GET", "/static/style.css"),
    ("GET", "/healthz"),
    ("GET", "/api/v1/openapi.json"),
    ("GET", "/api/v1/me"),
    ("GET", "/api/v1/units/{code}/report"),
    ("GET", "/api/v1/units/{code}/households"),
    ("GET", "/api/v1/units/{code}/ethnic-groups"),
    ("GET", "/api/v1/units/{code}/money"),
    ("GET", "/api/v1/units/{code}/money/plans"),
    ("POST", "/api/v1/units/{code}/money/plans"),
    ("POST", "/api/v1/units/{code}/money/payments"),
    ("POST", "/api/v1/units/{code}/money/estimates"),
    ("GET", "/api/v1/households/{id}"),
    ("GET", "/units/{code}/support"),
    ("GET", "/units/{code}/support/duplicates"),
    ("POST", "/units/{code}/support/import"),
    ("POST", "/households/{id}/support"),
    ("GET", "/support/template.xlsx"),
    ("GET", "/api/v1/units/{code}/support"),
    ("POST", "/api/v1/units/{code}/support"),
    ("GET", "/api/v1/units/{code}/support/duplicates"),
    ("GET", "/api/v1/households/{id}/support"),
    ("GET", "/units/{code}/targets"),
    ("POST", "/units/{code}/targets"),
    ("GET", "/api/v1/units/{code}/targets"),
    ("GET", "/units/{code}/support/{file}"),
    ("GET", "/units/{code}/models"),
    ("GET", "/units/{code}/models/{file}"),
    ("GET", "/checks"),
    ("POST", "/checks"),
    ("POST", "/units/{code}/models/import"),
    ("GET", "/models/template.xlsx"),
    ("GET", "/models/{id}"),
    ("GET", "/units/{code}/outcomes"),
    ("GET", "/api/v1/units/{code}/models"),
    ("POST", "/api/v1/units/{code}/models"),
    ("GET", "/api/v1/units/{code}/outcomes"),
    ("GET", "/api/v1/models/{id}"),
];

/// The probes of a route of [`TABLE`], for one asker.
fn probes(method: &str, path: &str, a: &Asker, r: &Records) -> Vec<Probe> {
    let units = || UNITS.iter().copied();
    let households = || {
        r.households
            .iter()
            .map(|(id, c)| (id.to_string(), Some(*c)))
            .chain([("999999".to_string(), None)])
    };
    let accounts = || {
        r.accounts
            .iter()
            .map(|(id, unit)| (*id, Some(*unit)))
            .chain([(999_999, None)])
    };
    let household_page = |commune: Option<&str>, anon: StatusCode| match (a.name, commune) {
        (None, _) => anon,
        (Some(_), Some(c)) if a.sees(c) => S::OK,
        _ => S::NOT_FOUND,
    };
    match (method, path) {
        ("GET", "/") => vec![get(
            "/",
            match a.name {
                Some("admin") => S::OK,
                // everyone else lands on their unit; nobody logged in, on the login page
                _ => S::SEE_OTHER,
            },
        )],
        ("GET", "/login") => vec![get("/login", S::OK)],
        // a login form posted without the token it came with is refused; a real login is
        // tried for every user by `support::Site::login`
        ("POST", "/login") => vec![form(
            "/login",
            format!(
                "name=tinh&password={}&csrf={}",
                enc(PASSWORD),
                "0".repeat(64)
            ),
            S::FORBIDDEN,
        )],
        ("POST", "/logout") => vec![
            form(
                "/logout",
                format!("csrf={}", "0".repeat(64)),
                if a.name.is_some() {
                    S::FORBIDDEN
                } else {
                    S::SEE_OTHER
                },
            ),
            // (a real logout ends the session: tried last, see below)
        ],
        ("GET", "/lang/{code}") => vec![
            get("/lang/en?back=/units/11", S::SEE_OTHER),
            get("/lang/vi", S::SEE_OTHER),
            get("/lang/fr", S::NOT_FOUND),
        ],
        ("GET", "/units/{code}") => units()
            .map(|u| get(format!("/units/{u}"), unit_page(a, u, S::OK)))
            .collect(),
        ("GET", "/units/{code}/households") => units()
            .map(|u| get(format!("/units/{u}/households"), unit_page(a, u, S::OK)))
            .collect(),
        ("GET", "/units/{code}/report.{format}") => units()
            .flat_map(|u| {
                [
                    get(format!("/units/{u}/report.csv"), unit_page(a, u, S::OK)),
                    get(format!("/units/{u}/report.xlsx"), unit_page(a, u, S::OK)),
                    // no such format
                    get(
                        format!("/units/{u}/report.pdf"),
                        unit_page(a, u, S::NOT_FOUND),
                    ),
                ]
            })
            .collect(),
        ("GET", "/units/{code}/survey-{year}") => units()
            .flat_map(|u| {
                // personal IDs: not for leaders; nothing imported for 01, nor for 2024
                let ok = if a.is(&["lanhdao"]) {
                    S::FORBIDDEN
                } else if u == "01" {
                    S::NOT_FOUND
                } else {
                    S::OK
                };
                let none = if a.is(&["lanhdao"]) {
                    S::FORBIDDEN
                } else {
                    S::NOT_FOUND
                };
                [
                    get(format!("/units/{u}/survey-2025.xlsx"), unit_page(a, u, ok)),
                    get(
                        format!("/units/{u}/survey-2024.xlsx"),
                        unit_page(a, u, none),
                    ),
                    // not a year: no such download, whoever asks
                    get(
                        format!("/units/{u}/survey-x.xlsx"),
                        if a.name.is_some() {
                            S::NOT_FOUND
                        } else {
                            S::SEE_OTHER
                        },
                    ),
                ]
            })
            .collect(),
        ("GET", "/households/{id}") => households()
            .map(|(id, c)| get(format!("/households/{id}"), household_page(c, S::SEE_OTHER)))
            .collect(),
        ("GET", "/units/{code}/money") => units()
            .map(|u| {
                get(
                    format!("/units/{u}/money?year=2025"),
                    unit_page(a, u, S::OK),
                )
            })
            .collect(),
        ("GET", "/units/{code}/money/plans") => units()
            .map(|u| {
                get(
                    format!("/units/{u}/money/plans?year=2025"),
                    unit_page(a, u, S::OK),
                )
            })
            .collect(),
        // an empty line: refused in words (422) for who plans (the province's officers), after
        // the scope and the role
        ("POST", "/units/{code}/money/plans") => units()
            .map(|u| {
                let ok = if a.is(&["admin", "tinh", "hanoi"]) {
                    S::UNPROCESSABLE_ENTITY
                } else {
                    S::FORBIDDEN
                };
                form(
                    &format!("/units/{u}/money/plans"),
                    format!("csrf={}&unit_code={u}&budget_year=2025", a.csrf),
                    unit_page(a, u, ok),
                )
            })
            .collect(),
        // a payment without its fields: refused in words for who records there (a province's
        // own payments by its officers, a commune's by the officers of its scope)
        ("POST", "/units/{code}/money/payments" | "/units/{code}/money/estimates") => units()
            .map(|u| {
                let records = if u.len() == 2 {
                    a.is(&["admin", "tinh", "hanoi"])
                } else {
                    a.is(IMPORTERS)
                };
                let ok = if records {
                    S::UNPROCESSABLE_ENTITY
                } else {
                    S::FORBIDDEN
                };
                form(
                    &path.replace("{code}", u),
                    format!("csrf={}&unit_code={u}&budget_year=2025", a.csrf),
                    unit_page(a, u, ok),
                )
            })
            .collect(),
        ("GET", "/units/{code}/reviews") => units()
            .map(|u| get(format!("/units/{u}/reviews"), unit_page(a, u, S::OK)))
            .collect(),
        // dates missing: a bad request for who plans there (the province's officers, or the
        // commune's), after the scope and the role
        ("POST", "/units/{code}/reviews") => units()
            .map(|u| {
                let plans = if u.len() == 2 {
                    a.is(&["admin", "tinh", "hanoi"])
                } else {
                    a.is(IMPORTERS)
                };
                let ok = if plans { S::BAD_REQUEST } else { S::FORBIDDEN };
                form(
                    &format!("/units/{u}/reviews"),
                    format!(
                        "csrf={}&year=2026&plan_number=1&plan_date=&starts=&ends=",
                        a.csrf
                    ),
                    unit_page(a, u, ok),
                )
            })
            .collect(),
        // a year without reviews: a bad request for the province's planners
        ("POST", "/units/{code}/reviews/lock") => units()
            .map(|u| {
                let ok = if u.len() == 2 && a.is(&["admin", "tinh", "hanoi"]) {
                    S::BAD_REQUEST
                } else {
                    S::FORBIDDEN
                };
                form(
                    &format!("/units/{u}/reviews/lock"),
                    format!("csrf={}&year=2030", a.csrf),
                    unit_page(a, u, ok),
                )
            })
            .collect(),
        ("GET", "/reviews/{id}") => vec![
            get(
                format!("/reviews/{}", r.window),
                unit_page(a, "03325", S::OK),
            ),
            // a province's plan has no board
            get(
                format!("/reviews/{}", r.plan),
                unit_page(a, "11", S::NOT_FOUND),
            ),
            get("/reviews/987654", unit_page(a, "99999", S::NOT_FOUND)),
        ],
        ("GET", "/reviews/{id}/certificates") => vec![
            get(
                format!("/reviews/{}/certificates", r.window),
                unit_page(a, "03325", S::OK),
            ),
            get(
                format!("/reviews/{}/certificates", r.plan),
                unit_page(a, "11", S::NOT_FOUND),
            ),
        ],
        ("GET", "/reviews/{id}/meetings") => vec![
            get(
                format!("/reviews/{}/meetings", r.window),
                unit_page(a, "03325", S::OK),
            ),
            get(
                format!("/reviews/{}/meetings", r.plan),
                unit_page(a, "11", S::NOT_FOUND),
            ),
        ],
        ("GET", "/reviews/{id}/decisions") => vec![
            get(
                format!("/reviews/{}/decisions", r.window),
                unit_page(a, "03325", S::OK),
            ),
            get(
                format!("/reviews/{}/decisions", r.plan),
                unit_page(a, "11", S::NOT_FOUND),
            ),
        ],
        // a step without its date: a bad request for who runs the commune's cases
        ("POST", "/reviews/{id}/{action}") => {
            let ok = if a.is(IMPORTERS) {
                S::BAD_REQUEST
            } else {
                S::FORBIDDEN
            };
            vec![
                form(
                    &format!("/reviews/{}/consult", r.window),
                    format!("csrf={}", a.csrf),
                    unit_page(a, "03325", ok),
                ),
                // a household's application (Mẫu 01) without its day
                form(
                    &format!("/reviews/{}/apply", r.window),
                    format!("csrf={}&household=DB-001&kind=poor", a.csrf),
                    unit_page(a, "03325", ok),
                ),
                form(
                    &format!("/reviews/{}/nothing", r.window),
                    format!("csrf={}", a.csrf),
                    unit_page(
                        a,
                        "03325",
                        if a.is(IMPORTERS) {
                            S::NOT_FOUND
                        } else {
                            S::FORBIDDEN
                        },
                    ),
                ),
            ]
        }
        // the form of a screened case: for who runs the commune's cases
        ("GET", "/reviews/{id}/cases/{case}/survey") => {
            let ok = if a.is(IMPORTERS) { S::OK } else { S::FORBIDDEN };
            vec![
                get(
                    format!("/reviews/{}/cases/{}/survey", r.window, r.case),
                    unit_page(a, "03325", ok),
                ),
                get(
                    format!("/reviews/{}/cases/999999/survey", r.window),
                    unit_page(
                        a,
                        "03325",
                        if a.is(IMPORTERS) {
                            S::NOT_FOUND
                        } else {
                            S::FORBIDDEN
                        },
                    ),
                ),
            ]
        }
        // an empty form checked: its errors, for who runs the cases; refused to anyone else
        ("POST", "/reviews/{id}/cases/{case}/survey") => {
            let ok = if a.is(IMPORTERS) {
                S::UNPROCESSABLE_ENTITY
            } else {
                S::FORBIDDEN
            };
            vec![form(
                &format!("/reviews/{}/cases/{}/survey", r.window, r.case),
                format!("csrf={}&action=check", a.csrf),
                unit_page(a, "03325", ok),
            )]
        }
        // public, but only once posted: this window is not
        ("GET", "/public/reviews/{id}") => vec![
            get(format!("/public/reviews/{}", r.window), S::NOT_FOUND),
            get(format!("/public/reviews/{}", r.plan), S::NOT_FOUND),
        ],
        // no such request or change: a bad request for the commune's officers, after scope
        // and role
        ("POST", "/households/{id}/request" | "/households/{id}/changes") => households()
            .map(|(id, c)| {
                let expect = match (a.name, c) {
                    (None, _) => S::SEE_OTHER,
                    (Some(_), Some(c)) if a.sees(c) && a.is(IMPORTERS) => S::BAD_REQUEST,
                    (Some(_), Some(c)) if a.sees(c) => S::FORBIDDEN,
                    _ => S::NOT_FOUND,
                };
                form(
                    &path.replace("{id}", &id),
                    format!("csrf={}&kind=x&date=2026-02-10", a.csrf),
                    expect,
                )
            })
            .collect(),
        ("GET", "/import") => vec![get("/import", role_page(a, IMPORTERS))],
        ("GET", "/import/phieu-b-xlsform.xlsx") => {
            vec![get("/import/phieu-b-xlsform.xlsx", role_page(a, IMPORTERS))]
        }
        ("GET", "/import/template.xlsx") => {
            vec![get("/import/template.xlsx", role_page(a, IMPORTERS))]
        }
        ("GET", "/units/{code}/money/{file}") => units()
            .flat_map(|u| {
                [
                    ("export.csv", "payments"),
                    ("export.xlsx", "estimates"),
                    ("export.xlsx", "plans"),
                ]
                .map(|(file, kind)| {
                    get(
                        format!("/units/{u}/money/{file}?year=2025&kind={kind}"),
                        unit_page(a, u, S::OK),
                    )
                })
            })
            .collect(),
        ("GET", "/money/template.xlsx") => {
            vec![get("/money/template.xlsx", role_page(a, IMPORTERS))]
        }
        // a money upload without its file: a bad request for who writes money there
        ("POST", "/units/{code}/money/import") => units()
            .map(|u| {
                let (kind, body) = multipart(&[("csrf", &a.csrf), ("kind", "payments")]);
                let ok = if a.is(IMPORTERS) {
                    S::BAD_REQUEST
                } else {
                    S::FORBIDDEN
                };
                post(
                    &format!("/units/{u}/money/import"),
                    &kind,
                    body,
                    unit_page(a, u, ok),
                )
            })
            .collect(),
        // a form without its file: refused for the roles that may not import, a bad request
        // for those that may (so that the matrix imports nothing)
        ("POST", "/import") => {
            let (kind, body) = multipart(&[("csrf", &a.csrf), ("year", "2025")]);
            let expect = match role_page(a, IMPORTERS) {
                S::OK => S::BAD_REQUEST,
                other => other,
            };
            vec![post("/import", &kind, body, expect)]
        }
        ("GET", "/import/jobs/{id}") => vec![
            get(
                r.job.clone(),
                match a.name {
                    None => S::SEE_OTHER,
                    Some("xa") => S::OK,
                    // another user's import is not there for them
                    Some(_) => S::NOT_FOUND,
                },
            ),
            get(
                "/import/jobs/987654321",
                if a.name.is_some() {
                    S::NOT_FOUND
                } else {
                    S::SEE_OTHER
                },
            ),
        ],
        ("GET", "/users") => vec![get("/users", role_page(a, MANAGERS))],
        // a name too short: refused as a bad request to a manager (nothing is created)
        ("POST", "/users") => vec![form(
            "/users",
            format!("csrf={}&name=x&role=leader&unit=03325", a.csrf),
            match role_page(a, MANAGERS) {
                S::OK => S::BAD_REQUEST,
                other => other,
            },
        )],
        ("GET", "/users/{id}") => accounts()
            .map(|(id, unit)| get(format!("/users/{id}"), account_page(a, unit, S::OK)))
            .collect(),
        // no such role: a bad request for the account's manager, after the scope
        ("POST", "/users/{id}") => accounts()
            .map(|(id, unit)| {
                form(
                    &format!("/users/{id}"),
                    format!("csrf={}&role=king&unit=03325&full_name=x", a.csrf),
                    account_page(a, unit, S::BAD_REQUEST),
                )
            })
            .collect(),
        ("POST", "/users/{id}/active") => accounts()
            .map(|(id, unit)| {
                form(
                    &format!("/users/{id}/active"),
                    format!("csrf={}&active=2", a.csrf),
                    account_page(a, unit, S::BAD_REQUEST),
                )
            })
            .collect(),
        // a real reset of the matrix's own account; the administrator's own is refused
        ("POST", "/users/{id}/password") => accounts()
            .map(|(id, unit)| {
                let ok = if unit == Some(None) {
                    S::BAD_REQUEST
                } else {
                    S::OK
                };
                form(
                    &format!("/users/{id}/password"),
                    format!("csrf={}", a.csrf),
                    account_page(a, unit, ok),
                )
            })
            .collect(),
        ("GET", "/account/password") => vec![get(
            "/account/password",
            if a.name.is_some() {
                S::OK
            } else {
                S::SEE_OTHER
            },
        )],
        // the current password wrong: nothing changes
        ("POST", "/account/password") => vec![form(
            "/account/password",
            format!(
                "csrf={}&current=wrong&new=abcdefghij&repeated=abcdefghij",
                a.csrf
            ),
            if a.name.is_some() {
                S::BAD_REQUEST
            } else {
                S::SEE_OTHER
            },
        )],
        ("GET", "/audit") => vec![get("/audit", role_page(a, AUDITORS))],
        ("GET", "/audit/head.json") => vec![get("/audit/head.json", role_page(a, AUDITORS))],
        ("POST", "/audit/verify") => vec![form(
            "/audit/verify",
            format!("csrf={}&id=1&hash={}", a.csrf, "a".repeat(64)),
            match role_page(a, AUDITORS) {
                // nobody logged in has no token to give: the form is refused before the user
                S::SEE_OTHER => S::SEE_OTHER,
                other => other,
            },
        )],
        ("GET", "/static/style.css") => vec![get("/static/style.css", S::OK)],
        ("GET", "/healthz") => vec![get("/healthz", S::OK)],
        ("GET", "/api/v1/openapi.json") => vec![get("/api/v1/openapi.json", S::OK)],
        ("GET", "/api/v1/me") => vec![get(
            "/api/v1/me",
            if a.name.is_some() {
                S::OK
            } else {
                S::UNAUTHORIZED
            },
        )],
        ("GET", "/api/v1/units/{code}/report") => units()
            .map(|u| get(format!("/api/v1/units/{u}/report"), unit_api(a, u)))
            .collect(),
        ("GET", "/api/v1/units/{code}/households") => units()
            .map(|u| get(format!("/api/v1/units/{u}/households"), unit_api(a, u)))
            .collect(),
        ("GET", "/api/v1/units/{code}/ethnic-groups") => units()
            .map(|u| get(format!("/api/v1/units/{u}/ethnic-groups"), unit_api(a, u)))
            .collect(),
        ("GET", "/api/v1/units/{code}/money") => units()
            .map(|u| get(format!("/api/v1/units/{u}/money?year=2025"), unit_api(a, u)))
            .collect(),
        ("GET", "/api/v1/units/{code}/money/plans") => units()
            .map(|u| {
                get(
                    format!("/api/v1/units/{u}/money/plans?year=2025"),
                    unit_api(a, u),
                )
            })
            .collect(),
        // no rows: refused in words for who writes the kind there, after scope and role
        (
            "POST",
            "/api/v1/units/{code}/money/plans"
            | "/api/v1/units/{code}/money/payments"
            | "/api/v1/units/{code}/money/estimates",
        ) => units()
            .map(|u| {
                let writes = if path.ends_with("/plans") {
                    a.is(&["admin", "tinh", "hanoi"])
                } else {
                    a.is(IMPORTERS)
                };
                let expect = match a.name {
                    None => S::UNAUTHORIZED,
                    Some(_) if !a.sees(u) => S::NOT_FOUND,
                    Some(_) if writes => S::UNPROCESSABLE_ENTITY,
                    Some(_) => S::FORBIDDEN,
                };
                post(
                    &path.replace("{code}", u),
                    "application/json",
                    r#"{"rows": []}"#.into(),
                    expect,
                )
            })
            .collect(),
        ("GET", "/api/v1/households/{id}") => households()
            .map(|(id, c)| {
                get(
                    format!("/api/v1/households/{id}"),
                    household_page(c, S::UNAUTHORIZED),
                )
            })
            .collect(),
        ("GET", "/units/{code}/support" | "/units/{code}/support/duplicates") => units()
            .map(|u| get(path.replace("{code}", u), unit_page(a, u, S::OK)))
            .collect(),
        ("GET", "/support/template.xlsx") => {
            vec![get("/support/template.xlsx", role_page(a, IMPORTERS))]
        }
        // an upload without its file: a bad request for who records support there
        ("POST", "/units/{code}/support/import") => units()
            .map(|u| {
                let (kind, body) = multipart(&[("csrf", &a.csrf)]);
                let ok = if a.is(IMPORTERS) {
                    S::BAD_REQUEST
                } else {
                    S::FORBIDDEN
                };
                post(
                    &format!("/units/{u}/support/import"),
                    &kind,
                    body,
                    unit_page(a, u, ok),
                )
            })
            .collect(),
        // a support form without its fields: refused in words for the commune's officers, after
        // scope and role
        ("POST", "/households/{id}/support") => households()
            .map(|(id, c)| {
                let expect = match (a.name, c) {
                    (None, _) => S::SEE_OTHER,
                    (Some(_), Some(c)) if a.sees(c) && a.is(IMPORTERS) => S::UNPROCESSABLE_ENTITY,
                    (Some(_), Some(c)) if a.sees(c) => S::FORBIDDEN,
                    _ => S::NOT_FOUND,
                };
                form(
                    &format!("/households/{id}/support"),
                    format!("csrf={}&kind=x", a.csrf),
                    expect,
                )
            })
            .collect(),
        ("GET", "/api/v1/units/{code}/support" | "/api/v1/units/{code}/support/duplicates") => {
            units()
                .map(|u| get(path.replace("{code}", u), unit_api(a, u)))
                .collect()
        }
        // no rows: refused in words for who records support there
        ("POST", "/api/v1/units/{code}/support") => units()
            .map(|u| {
                let expect = match a.name {
                    None => S::UNAUTHORIZED,
                    Some(_) if !a.sees(u) => S::NOT_FOUND,
                    Some(_) if a.is(IMPORTERS) => S::UNPROCESSABLE_ENTITY,
                    Some(_) => S::FORBIDDEN,
                };
                post(
                    &format!("/api/v1/units/{u}/support"),
                    "application/json",
                    r#"{"rows": []}"#.into(),
                    expect,
                )
            })
            .collect(),
        ("GET", "/api/v1/households/{id}/support") => households()
            .map(|(id, c)| {
                get(
                    format!("/api/v1/households/{id}/support"),
                    household_page(c, S::UNAUTHORIZED),
                )
            })
            .collect(),
        ("GET", "/units/{code}/targets") => units()
            .map(|u| get(format!("/units/{u}/targets"), unit_page(a, u, S::OK)))
            .collect(),
        // a target without its fields: refused in words for the province's officers
        ("POST", "/units/{code}/targets") => units()
            .map(|u| {
                let ok = if a.is(&["admin", "tinh", "hanoi"]) {
                    S::UNPROCESSABLE_ENTITY
                } else {
                    S::FORBIDDEN
                };
                form(
                    &format!("/units/{u}/targets"),
                    format!("csrf={}", a.csrf),
                    unit_page(a, u, ok),
                )
            })
            .collect(),
        ("GET", "/api/v1/units/{code}/targets") => units()
            .map(|u| get(format!("/api/v1/units/{u}/targets"), unit_api(a, u)))
            .collect(),
        ("GET", "/units/{code}/support/{file}") => units()
            .flat_map(|u| {
                [
                    get(
                        format!("/units/{u}/support/export.csv"),
                        unit_page(a, u, S::OK),
                    ),
                    get(
                        format!("/units/{u}/support/export.xlsx"),
                        unit_page(a, u, S::OK),
                    ),
                ]
            })
            .collect(),
        ("GET", "/checks") => vec![get(
            "/checks",
            match a.name {
                None => S::SEE_OTHER,
                Some(_) => S::OK,
            },
        )],
        // an upload without its file: a bad request for anyone logged in
        ("POST", "/checks") => {
            let (kind, body) = multipart(&[("csrf", &a.csrf)]);
            vec![post(
                "/checks",
                &kind,
                body,
                match a.name {
                    None => S::SEE_OTHER,
                    Some(_) => S::BAD_REQUEST,
                },
            )]
        }
        ("GET", "/units/{code}/models/{file}") => units()
            .flat_map(|u| {
                ["export.xlsx", "export.csv", "participants.csv"]
                    .map(|f| get(format!("/units/{u}/models/{f}"), unit_page(a, u, S::OK)))
            })
            .collect(),
        ("GET", "/units/{code}/models" | "/units/{code}/outcomes") => units()
            .map(|u| get(path.replace("{code}", u), unit_page(a, u, S::OK)))
            .collect(),
        ("GET", "/api/v1/units/{code}/models" | "/api/v1/units/{code}/outcomes") => units()
            .map(|u| get(path.replace("{code}", u), unit_api(a, u)))
            .collect(),
        ("GET", "/models/template.xlsx") => {
            vec![get("/models/template.xlsx", role_page(a, IMPORTERS))]
        }
        // an upload without its file: a bad request for who records support there
        ("POST", "/units/{code}/models/import") => units()
            .map(|u| {
                let (kind, body) = multipart(&[("csrf", &a.csrf)]);
                let ok = if a.is(IMPORTERS) {
                    S::BAD_REQUEST
                } else {
                    S::FORBIDDEN
                };
                post(
                    &format!("/units/{u}/models/import"),
                    &kind,
                    body,
                    unit_page(a, u, ok),
                )
            })
            .collect(),
        ("GET", "/models/{id}" | "/api/v1/models/{id}") => r
            .models
            .iter()
            .map(|(id, c)| {
                let anon = if path.starts_with("/api/") {
                    S::UNAUTHORIZED
                } else {
                    S::SEE_OTHER
                };
                get(
                    path.replace("{id}", &id.to_string()),
                    household_page(*c, anon),
                )
            })
            .collect(),
        // nothing to write: refused in words for who records support there
        ("POST", "/api/v1/units/{code}/models") => units()
            .map(|u| {
                let expect = match a.name {
                    None => S::UNAUTHORIZED,
                    Some(_) if !a.sees(u) => S::NOT_FOUND,
                    Some(_) if a.is(IMPORTERS) => S::UNPROCESSABLE_ENTITY,
                    Some(_) => S::FORBIDDEN,
                };
                post(
                    &format!("/api/v1/units/{u}/models"),
                    "application/json",
                    r#"{"models": [], "participants": []}"#.into(),
                    expect,
                )
            })
            .collect(),
        _ => panic!("{method} {path} is not in the matrix's TABLE"),
    }
}

fn multipart(fields: &[(&str, &str)]) -> (String, String) {
    let b = "MaTrIxBoUnDaRy";
    let mut body = String::new();
    for (name, value) in fields {
        body.push_str(&format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    body.push_str(&format!("--{b}--\r\n"));
    (format!("multipart/form-data; boundary={b}"), body)
}

async fn send(site: &Site, a: &Asker, p: &Probe) -> Answer {
    let mut req = Request::builder()
        .method(p.method)
        .uri(&p.uri)
        .header(header::COOKIE, &a.cookie);
    if let Some((kind, _)) = &p.body {
        req = req.header(header::CONTENT_TYPE, kind);
    }
    // the API's writes carry the session's token in a header
    if p.method == "POST" && p.uri.starts_with("/api/") {
        req = req.header("x-csrf-token", &a.csrf);
    }
    let body = p.body.as_ref().map_or(String::new(), |(_, b)| b.clone());
    site.send(req.body(Body::from(body)).expect("request"))
        .await
}

#[tokio::test]
async fn every_route_and_method_against_every_role_and_scope() {
    let routes = giamngheo_web::routes();
    for db in databases().await {
        let site = site(&db.url).await;
        let records = {
            let mut households = Vec::new();
            for c in ["03325", "03328"] {
                households.push((household_of(&site, c).await, c));
            }
            // an import of xa's (the registry's file again: already imported, nothing changes)
            let xa = site.login("xa").await;
            let page = site.get("/import", &xa).await;
            let csrf = value_of(&page.body, "csrf");
            let read = |f: &str| std::fs::read_to_string(examples().join(f)).expect("read");
            let (h, m) = (read("households.csv"), read("members.csv"));
            let b = "JoBbOuNdArY";
            let mut body = String::new();
            for (name, value) in [("csrf", csrf.as_str()), ("year", "2025")] {
                body.push_str(&format!(
                    "--{b}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                ));
            }
            for (name, text) in [("households", &h), ("members", &m)] {
                body.push_str(&format!(
                    "--{b}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{name}.csv\"\r\n\r\n{text}\r\n"
                ));
            }
            body.push_str(&format!("--{b}--\r\n"));
            let r = site
                .send(
                    Request::post("/import")
                        .header(header::COOKIE, &xa)
                        .header(
                            header::CONTENT_TYPE,
                            format!("multipart/form-data; boundary={b}"),
                        )
                        .body(Body::from(body))
                        .expect("request"),
                )
                .await;
            assert_eq!(r.status, S::SEE_OTHER, "{}", r.body);
            let job = r.location.expect("the job's page");
            // its end: the file is the registry's already
            let start = std::time::Instant::now();
            loop {
                let page = site.get(&job, &xa).await;
                if !page.body.contains("http-equiv=\"refresh\"") {
                    assert!(page.body.contains("Tệp này đã được nhập"), "{}", page.body);
                    break;
                }
                assert!(start.elapsed() < std::time::Duration::from_secs(30));
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
            let registry = &site.state.registry;
            let matrix = registry
                .unscoped()
                .add_user(&giamngheo_app::NewAccount {
                    name: "matrix".into(),
                    full_name: String::new(),
                    role: giamngheo_app::access::Role::CommuneOfficer,
                    unit: giamngheo_rules::UnitCode::parse("03325"),
                    password: PASSWORD.into(),
                })
                .await
                .expect("the matrix's account");
            let admin = registry
                .unscoped()
                .users()
                .await
                .expect("users")
                .into_iter()
                .find(|u| u.name == "admin")
                .expect("admin")
                .id;
            let officer = giamngheo_app::access::Actor {
                user_id: 0,
                name: "tinh".into(),
                full_name: String::new(),
                role: giamngheo_app::access::Role::ProvincialOfficer,
                unit: giamngheo_rules::UnitCode::parse("11"),
            };
            let scoped = registry.for_actor(&officer);
            let form = giamngheo_app::reviews::PlanForm {
                year: 2026,
                plan_number: "12/KH-UBND".into(),
                plan_date: "2026-08-20".parse().expect("date"),
                starts: "2026-09-01".parse().expect("date"),
                ends: "2026-12-14".parse().expect("date"),
            };
            let plan = scoped
                .plan_review(
                    &giamngheo_rules::UnitCode::parse("11").expect("unit"),
                    &form,
                )
                .await
                .expect("a plan");
            let window = scoped
                .plan_commune(
                    plan,
                    &giamngheo_rules::CommuneCode::parse("03325").expect("commune"),
                    &form,
                )
                .await
                .expect("a window");
            // the 2025 lists on the window's list, screened: each waits for its survey
            scoped.list_households(window).await.expect("listed");
            let listed: Vec<i64> = scoped
                .cases(window, None)
                .await
                .expect("cases")
                .iter()
                .map(|c| c.id)
                .collect();
            scoped
                .screen(window, &listed, true)
                .await
                .expect("screened");
            let case = *listed.first().expect("a case");
            // a livelihood model in each commune
            let mut models = Vec::new();
            for (i, commune) in ["03325", "03328"].into_iter().enumerate() {
                let cells: std::collections::HashMap<String, String> = [
                    ("code", format!("MH-{i}")),
                    ("name", "Mô hình nuôi dê".to_string()),
                    ("kind", "livelihood_model".to_string()),
                    ("communes", commune.to_string()),
                    ("decision", format!("{}/QĐ-UBND", 30 + i)),
                    ("decided_on", "2025-02-10".to_string()),
                    ("central_recurrent", "100000000".to_string()),
                ]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect();
                let file = giamngheo_app::models::ModelFile {
                    models: Some((
                        "matrix".into(),
                        vec![giamngheo_app::money::Row { number: 2, cells }],
                    )),
                    participants: None,
                };
                registry
                    .for_actor(&officer)
                    .write_models(&file, "2026-12-01".parse().expect("day"))
                    .await
                    .expect("a model");
                let id = registry
                    .for_actor(&officer)
                    .models(&giamngheo_rules::UnitCode::parse(commune).expect("commune"))
                    .await
                    .expect("models")
                    .first()
                    .expect("the model")
                    .model
                    .id;
                models.push((id, Some(commune)));
            }
            models.push((999_999, None));
            Records {
                models,
                households,
                job,
                accounts: vec![(matrix, Some("03325")), (admin, None)],
                plan,
                window,
                case,
            }
        };
        let mut askers = vec![Asker {
            name: None,
            cookie: String::new(),
            csrf: String::new(),
        }];
        for (name, units) in USERS {
            let cookie = site.login(name).await;
            // every page of a logged-in user carries the logout form and the session's token
            let page = site.get(&format!("/units/{}", units[0]), &cookie).await;
            assert_eq!(page.status, S::OK, "{name}");
            let csrf = value_of(&page.body, "csrf");
            askers.push(Asker {
                name: Some(name),
                cookie,
                csrf,
            });
        }

        // the table holds the router's routes, each once, and nothing else
        let served: BTreeSet<(&str, &str)> =
            routes.iter().map(|r| (r.method, r.path.as_str())).collect();
        assert_eq!(served.len(), routes.len(), "a route registered twice");
        let table: BTreeSet<(&str, &str)> = TABLE.iter().copied().collect();
        let missing: Vec<_> = served.difference(&table).collect();
        assert!(
            missing.is_empty(),
            "routes without an entry in the matrix: {missing:?}"
        );
        let stale: Vec<_> = table.difference(&served).collect();
        assert!(
            stale.is_empty(),
            "entries of the matrix for no route: {stale:?}"
        );

        let mut checked = 0;
        for route in &routes {
            for a in &askers {
                for p in probes(route.method, &route.path, a, &records) {
                    let r = send(&site, a, &p).await;
                    assert_eq!(
                        r.status,
                        p.expect,
                        "{}: {} {} as {}: {}",
                        db.name,
                        p.method,
                        p.uri,
                        a.name.unwrap_or("nobody"),
                        &r.body[..r.body.len().min(300)]
                    );
                    checked += 1;
                }
            }
        }
        // who the API says is logged in, and where home is
        for a in askers.iter().skip(1) {
            let name = a.name.unwrap_or_default();
            let me = site.get("/api/v1/me", &a.cookie).await;
            assert!(
                me.body.contains(&format!("\"name\":\"{name}\"")),
                "{}",
                me.body
            );
            let home = site.get("/", &a.cookie).await;
            match USERS.iter().find(|(n, _)| *n == name) {
                Some(("admin", _)) => assert!(home.body.contains("href=\"/units/11\"")),
                Some((_, units)) => {
                    assert_eq!(
                        home.location,
                        Some(format!("/units/{}", units[0])),
                        "{name}"
                    )
                }
                None => unreachable!(),
            }
        }
        // a method a path does not take, and a path no route has
        for a in &askers {
            for uri in ["/nowhere", "/units/11/nothing", "/api/v1/nothing"] {
                let r = site.get(uri, &a.cookie).await;
                assert_eq!(r.status, S::NOT_FOUND, "{uri}");
            }
            let r = send(
                &site,
                a,
                &Probe {
                    method: "DELETE",
                    uri: "/units/11".into(),
                    body: None,
                    expect: S::METHOD_NOT_ALLOWED,
                },
            )
            .await;
            assert_eq!(r.status, S::METHOD_NOT_ALLOWED);
        }
        // logging out, last: the session ends, its pages go to the login page again
        for a in askers.iter().skip(1) {
            let r = site
                .post_form("/logout", &a.cookie, &format!("csrf={}", a.csrf))
                .await;
            assert_eq!(r.status, S::SEE_OTHER, "{:?}", a.name);
            assert_eq!(
                site.get("/api/v1/me", &a.cookie).await.status,
                S::UNAUTHORIZED
            );
        }
        assert!(checked > 500, "{checked} probes");
        site.state.registry.close().await;
    }
}
