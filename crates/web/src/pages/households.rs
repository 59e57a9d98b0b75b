//! A unit's household list (search, filters, paging) and one household with its members and
//! every year's review.

use super::{
    indicator_name, nonempty, page_number, qe, render, unit_code, unit_name, MAX_SEARCH_CHARS,
    PAGE_SIZE,
};
use crate::i18n::{Lang, Pages};
use crate::{AppState, Ctx, WebError};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use giamngheo_app::class_reason;
use giamngheo_app::records::{HouseholdPage, HouseholdQuery};
use giamngheo_app::text::{birth_text, fold_name};
use giamngheo_rules::{Class, Sex, UnitCode};
use giamngheo_survey::Catalogue;
use minijinja::context;
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct HouseholdsQuery {
    q: Option<String>,
    class: Option<String>,
    village: Option<String>,
    ethnic: Option<String>,
    deprivation: Option<String>,
    /// In a province's list: one of its communes.
    commune: Option<String>,
    year: Option<i32>,
    page: Option<i64>,
}

/// The list's filters as a query of the registry (its first page); `None` when the class asked
/// for is none of the four (nothing is found).
pub(crate) fn list_query(
    q: &HouseholdsQuery,
    unit: UnitCode,
    year: i32,
    lang: Lang,
) -> Result<Option<HouseholdQuery>, WebError> {
    if q.q
        .as_deref()
        .is_some_and(|t| t.chars().count() > MAX_SEARCH_CHARS)
    {
        return Err(WebError::Status(StatusCode::BAD_REQUEST, lang));
    }
    let class = match nonempty(&q.class).map(|c| Class::from_code(&c)) {
        Some(None) => return Ok(None),
        Some(c) => c,
        None => None,
    };
    // a province's list narrowed to one of its communes (the scope is checked on the commune)
    let unit = match (unit, nonempty(&q.commune).and_then(|c| UnitCode::parse(&c))) {
        (UnitCode::Province(p), Some(UnitCode::Commune(c)))
            if Catalogue::builtin()
                .commune(c.as_str())
                .is_some_and(|x| x.province_code == p.as_str()) =>
        {
            UnitCode::Commune(c)
        }
        _ => unit,
    };
    Ok(Some(HouseholdQuery {
        text: nonempty(&q.q).map(|t| fold_name(&t)),
        class,
        village: nonempty(&q.village),
        ethnic_code: nonempty(&q.ethnic),
        deprivation: nonempty(&q.deprivation).and_then(|d| d.parse().ok()),
        ..HouseholdQuery::new(unit, year)
    }))
}

pub async fn households(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<HouseholdsQuery>,
) -> Result<Response, WebError> {
    let actor = ctx.user()?;
    let lang = ctx.lang;
    let unit = unit_code(&code, lang)?;
    let scoped = state.registry.for_actor(actor);
    let years = scoped.unit_years(&unit).await.map_err(qe(lang))?;
    let year = q
        .year
        .filter(|y| years.contains(y))
        .or(years.last().copied())
        .unwrap_or(2025);
    let page = page_number(q.page, lang)?;
    let query = list_query(&q, unit, year, lang)?.map(|query| HouseholdQuery {
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
        ..query
    });
    // a class that is none of the four finds nothing
    let found = match &query {
        None => HouseholdPage {
            total: 0,
            more: false,
            lines: Vec::new(),
        },
        Some(query) => scoped.households(query).await.map_err(qe(lang))?,
    };
    let lines: Vec<_> = found
        .lines
        .iter()
        .map(|h| {
            context! {
                id => h.id,
                code => h.code,
                commune => h.commune_name,
                village => h.village,
                head => h.head_name,
                // found through a member who is not the head: that member, and who they are
                matched => h.matched_member.as_ref().filter(|(name, _)| Some(name) != h.head_name.as_ref()).map(|(name, relation)| {
                    match relation.as_deref().and_then(|r| giamngheo_survey::guide::code_meaning("relation", r, lang)) {
                        Some(r) => format!("{name}, {r}"),
                        None => name.clone(),
                    }
                }),
                class => h.class.code(),
                class_name => lang.t(h.class.code()),
                deprivations => h.deprivation_count,
                members => h.members,
                minority => h.is_minority,
            }
        })
        .collect();
    let villages = match unit.commune() {
        Some(commune) => scoped.villages(&commune).await.map_err(qe(lang))?,
        None => Vec::new(),
    };
    // a province's communes, to narrow its list to one
    let communes: Vec<_> = match unit {
        UnitCode::Province(p) => Catalogue::builtin()
            .communes()
            .filter(|c| c.province_code == p.as_str())
            .map(|c| context! { code => c.code, name => c.name })
            .collect(),
        UnitCode::Commune(_) => Vec::new(),
    };
    let std = state.registry.standards().for_year(year);
    let indicators: Vec<_> = std
        .map(|s| {
            s.indicators
                .iter()
                .enumerate()
                .map(|(i, ind)| context! { index => i, name => indicator_name(lang, ind) })
                .collect()
        })
        .unwrap_or_default();
    // the groups of the unit's heads that year, largest first, with how many households; one
    // asked for in the address stays offered even when the unit has none of it
    let mut ethnic: Vec<(String, String)> = scoped
        .ethnic_counts(&unit, year)
        .await
        .map_err(qe(lang))?
        .into_iter()
        .filter_map(|g| {
            let code = g.code?;
            let name = g.name.unwrap_or_else(|| code.clone());
            Some((code, format!("{name} ({})", lang.int(g.households))))
        })
        .collect();
    if let Some(asked) = nonempty(&q.ethnic).filter(|a| ethnic.iter().all(|(c, _)| c != a)) {
        let name = Catalogue::builtin()
            .ethnic_groups()
            .iter()
            .find(|g| g.code == asked)
            .map_or_else(|| asked.clone(), |g| g.name.clone());
        ethnic.push((asked, format!("{name} (0)")));
    }
    let ethnic: Vec<_> = ethnic
        .into_iter()
        .map(|(code, name)| context! { code, name })
        .collect();
    let pages = (found.total + PAGE_SIZE - 1) / PAGE_SIZE;
    // the query string without the page, for the paging links
    let mut keep = Vec::new();
    for (k, v) in [
        ("q", &q.q),
        ("class", &q.class),
        ("village", &q.village),
        ("ethnic", &q.ethnic),
        ("deprivation", &q.deprivation),
        ("commune", &q.commune),
    ] {
        if let Some(v) = nonempty(v) {
            keep.push(format!("{k}={}", crate::urlencode(&v)));
        }
    }
    keep.push(format!("year={year}"));
    let unit_name = unit_name(&unit);
    // a year whose review has not decided every household: the classes listed are proposed
    let undecided = scoped.undecided(&unit, year).await.map_err(qe(lang))?;
    render(
        &state,
        &ctx,
        "households.html",
        context! {
            unit => code,
            unit_name,
            year,
            undecided => (undecided > 0).then(|| lang.int(undecided)),
            years,
            total => if found.more { format!("> {}", lang.int(found.total)) } else { lang.int(found.total) },
            lines,
            page,
            pages,
            keep => keep.join("&"),
            filtered => query.as_ref().is_some_and(HouseholdQuery::filters_anything),
            // leaders see IDs masked, and the exchange format holds them whole
            exports => actor.sees_id_numbers(),
            q => q.q,
            class => q.class,
            village => q.village,
            ethnic_code => q.ethnic,
            deprivation => q.deprivation,
            villages,
            communes,
            commune => q.commune,
            indicators,
            ethnic,
            classes => ["poor", "near_poor", "average", "not_poor"].map(|c| context! { code => c, name => lang.t(c) }),
        },
    )
}

#[derive(Deserialize, Default)]
pub struct HouseholdPageQuery {
    /// A refusal to say, by its message key (only the catalogue's texts are shown).
    refused: Option<String>,
    /// The change just recorded, by its kind.
    done: Option<String>,
}

pub async fn household(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<HouseholdPageQuery>,
) -> Result<Response, WebError> {
    let refused = q
        .refused
        .as_deref()
        .and_then(|k| giamngheo_rules::text::text_of(k, ctx.lang))
        .map(str::to_string);
    let done = q.done.as_deref().and_then(|d| {
        if d == "support" {
            Some(ctx.lang.t("support_done").to_string())
        } else {
            giamngheo_app::changes::KINDS
                .contains(&d)
                .then(|| ctx.lang.t(&format!("change_done:{d}")).to_string())
        }
    });
    household_page(&state, &ctx, id, refused, done, None).await
}

/// The household's page; `refused` says why the change just asked for was not made (and
/// `form` keeps what was typed), `done` what was.
pub(crate) async fn household_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    refused: Option<String>,
    done: Option<String>,
    form: Option<minijinja::Value>,
) -> Result<Response, WebError> {
    let actor = ctx.user()?;
    let lang = ctx.lang;
    // the use case checks the scope and masks the IDs the user may not see whole
    let h = state
        .registry
        .for_actor(actor)
        .household(id)
        .await
        .map_err(qe(lang))?;
    let standards = state.registry.standards();
    let members: Vec<_> = h
        .members
        .iter()
        .map(|m| {
            context! {
                no => m.member_no,
                name => m.full_name,
                id_number => m.id_number,
                birth => if m.birth_precision >= 3 { lang.date(m.birth_date) } else { birth_text(m.birth_date, m.birth_precision as u8) },
                sex => match m.sex { Sex::Female => lang.t("female"), Sex::Male => lang.t("male") },
                ethnic => m.ethnic_name,
                relation => m.relation.as_deref().map(|r| match lang.t(&format!("relation_{r}")) { "?" => r.to_string(), t => t.to_string() }),
            }
        })
        .collect();
    // a year whose review has not decided yet: its survey's class is only proposed
    let undecided = |year: i32| {
        h.cases.iter().any(|c| {
            c.year == year
                && c.kind == "periodic"
                && c.approved.is_none()
                && !matches!(c.step.as_str(), "screened_out" | "refused")
        })
    };
    let cases: Vec<_> = h
        .cases
        .iter()
        .map(|c| {
            let word = |prefix: &str, code: &str| match lang.t(&format!("{prefix}:{code}")) {
                "?" => code.to_string(),
                t => t.to_string(),
            };
            context! {
                review => c.review_id,
                year => c.year,
                kind => lang.t(&format!("round:{}", c.kind)),
                number => c.plan_number,
                step => word("step", &c.step),
                proposed => c.proposed_class.as_deref().map(|p| word("approved", p)),
                approved => c.approved.as_deref().map(|a| word("approved", a)),
                decision => c.decision.as_ref().map(|(n, d)| context! { number => n, date => lang.date(*d) }),
                certificate => c.certificate,
            }
        })
        .collect();
    let assessments: Vec<_> = h
        .assessments
        .iter()
        .map(|a| {
            let std = standards.get(&a.standard);
            let lacking: Vec<String> = std
                .map(|s| {
                    s.indicators
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| *i < 63 && (a.deprivations >> i) & 1 == 1)
                        .map(|(_, ind)| match lang {
                            Lang::Vi => ind.deprived_vi.clone(),
                            Lang::En => ind.deprived_en.clone(),
                        })
                        .collect()
                })
                .unwrap_or_default();
            context! {
                year => a.year,
                standard => std.map(|s| match lang { Lang::Vi => s.name_vi.clone(), Lang::En => s.name_en.clone() }).unwrap_or_else(|| a.standard.clone()),
                survey_date => lang.date(a.survey_date),
                area => lang.t(a.area.code()),
                class => a.class.code(),
                class_name => lang.t(a.class.code()),
                surveyed => a.surveyed_class.map(|c| lang.t(c.code())),
                why => class_reason(standards, a).map(|r| lang.reason(&r)),
                lacking,
                transition => a.transition.as_deref().map(|t| lang.t(t)),
                proposed => undecided(a.year) && a.by.is_none(),
                by => a.by.as_ref().map(|o| other_household(actor, o)),
            }
        })
        .collect();
    let changes: Vec<_> = h
        .changes
        .iter()
        .map(|c| {
            // a change recorded at the other household (it joined this one, or this one came of
            // it) reads from this side
            let here = c.household_id == h.id;
            let kind = match (c.kind.as_str(), here) {
                ("merged", false) => "merged_in".to_string(),
                ("split", false) => "split_from".to_string(),
                ("moved", false) => "moved_from".to_string(),
                (k, _) => k.to_string(),
            };
            context! {
                on => lang.date(c.on),
                kind => lang.t(&format!("change:{kind}")),
                details => change_details(lang, &c.details),
                document => c.document,
                other => c.other.as_ref().map(|o| other_household(actor, o)),
                by => c.recorded_by,
            }
        })
        .collect();
    let support = super::support::history(state, ctx, h.id).await?;
    let may_support =
        actor.imports() && actor.sees_commune(&h.commune_code) && h.lineage.ended.is_none();
    render(
        state,
        ctx,
        "household.html",
        context! {
            support,
            may_support,
            support_choices => may_support.then(|| super::support::form_choices(state, lang)),
            member_choices => h.members.iter().map(|m| context! { no => m.member_no, name => m.full_name }).collect::<Vec<_>>(),
            id => h.id,
            code => h.code,
            commune => h.commune_code,
            commune_name => h.commune_name,
            province_open => UnitCode::parse(&h.province_code).is_some_and(|p| actor.sees(&p)),
            province => h.province_code,
            province_name => h.province_name,
            village => h.village,
            head => h.head_name,
            members,
            assessments,
            cases,
            masked => !actor.sees_id_numbers(),
            // the commune's officers file a household's in-year request on its behalf
            may_request => actor.imports() && actor.sees_commune(&h.commune_code),
            today => super::reviews::today().to_string(),
            refused,
            done,
            form,
            ended => h.lineage.ended.as_ref().map(|(kind, on, o)| context! {
                kind => lang.t(&format!("ended:{kind}")),
                on => lang.date(*on),
                other => other_household(actor, o),
            }),
            origin => h.lineage.origin.as_ref().map(|(kind, o)| context! {
                kind => lang.t(&format!("origin:{kind}")),
                other => other_household(actor, o),
            }),
            changes,
            // the commune's officers record its changes, while the household lasts
            may_change => actor.imports() && actor.sees_commune(&h.commune_code) && h.lineage.ended.is_none(),
            ethnic_groups => Catalogue::builtin().ethnic_groups().iter().map(|g| context! { code => g.code.clone(), name => g.name.clone() }).collect::<Vec<_>>(),
            relations => ["head", "spouse", "child", "parent", "grandchild", "other"].iter().map(|r| context! { code => r, name => lang.t(&format!("relation_{r}")) }).collect::<Vec<_>>(),
        },
    )
}

/// Another household a change names: its code and commune, linked when the reader sees it.
fn other_household(
    actor: &giamngheo_app::access::Actor,
    o: &giamngheo_app::records::OtherHousehold,
) -> minijinja::Value {
    context! {
        id => o.id,
        code => o.code,
        commune => o.commune_name,
        open => actor.sees_commune(&o.commune_code),
    }
}

/// A change's details (the JSON the store kept) as words: the member(s) it took or gave, where
/// from or to, the note.
fn change_details(lang: Lang, details: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(details).unwrap_or_default();
    let person = |m: &serde_json::Value| {
        let name = m["full_name"].as_str().unwrap_or("?");
        match m["birth_date"]
            .as_str()
            .and_then(|b| b.parse::<giamngheo_rules::NaiveDate>().ok())
        {
            Some(b) => format!("{name} ({})", lang.date(b)),
            None => name.to_string(),
        }
    };
    let mut parts = Vec::new();
    if v["member"].is_object() {
        parts.push(person(&v["member"]));
    }
    if let Some(ms) = v["members"].as_array() {
        parts.push(ms.iter().map(person).collect::<Vec<_>>().join(", "));
    }
    if let Some(f) = v["from"].as_str() {
        parts.push(format!("{} {f}", lang.t("change_from")));
    }
    if let Some(t) = v["to"].as_str() {
        parts.push(format!("{} {t}", lang.t("change_to")));
    }
    if let Some(n) = v["note"].as_str() {
        parts.push(n.to_string());
    }
    parts.join(" · ")
}

/// Records a change of the household (a member born, dead, moved in or out; a split, a merge, a
/// move to another commune), from one of the forms of its page.
pub async fn record_change(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    axum::Form(fields): axum::Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    use giamngheo_app::changes::{Change, NewPerson};
    use giamngheo_app::registry::QueryError;
    let actor = ctx.user()?;
    let value = |k: &str| {
        fields
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    ctx.check_csrf(&value("csrf").unwrap_or_default())?;
    let lang = ctx.lang;
    let scoped = state.registry.for_actor(actor);
    // the household must be theirs to change before the form is read
    acts_for(&scoped, id, lang).await?;
    let date = |k: &str| value(k).and_then(|d| d.parse::<giamngheo_rules::NaiveDate>().ok());
    let number = |k: &str| value(k).and_then(|n| n.parse::<i32>().ok());
    let person = || NewPerson {
        full_name: value("full_name").unwrap_or_default(),
        id_number: value("id_number"),
        birth_date: date("birth_date"),
        sex: value("sex").as_deref().and_then(Sex::from_code),
        ethnic_code: value("ethnic"),
        relation: value("relation"),
    };
    let kind = value("kind").unwrap_or_default();
    let missing = || QueryError::Invalid(giamngheo_rules::msg!("change_field_missing"));
    let change = match kind.as_str() {
        "born" => Ok(Change::Born(person())),
        "moved_in" => Ok(Change::MovedIn {
            person: person(),
            from: value("place"),
        }),
        "died" => number("member_no")
            .map(|member_no| Change::Died { member_no })
            .ok_or_else(missing),
        "moved_out" => number("member_no")
            .map(|member_no| Change::MovedOut {
                member_no,
                to: value("place"),
            })
            .ok_or_else(missing),
        "split" => Ok(Change::Split {
            code: value("code").unwrap_or_default(),
            village: value("village"),
            head_name: value("head_name"),
            members: fields
                .iter()
                .filter(|(n, _)| n == "member")
                .filter_map(|(_, v)| v.parse().ok())
                .collect(),
        }),
        "merged" => Ok(Change::Merge {
            into_code: value("code").unwrap_or_default(),
        }),
        "moved" => Ok(Change::Move {
            commune: value("commune").unwrap_or_default(),
            code: value("code").unwrap_or_default(),
            village: value("village"),
        }),
        _ => return Err(WebError::Status(StatusCode::BAD_REQUEST, lang)),
    };
    let Some(on) = date("date") else {
        return Err(WebError::Status(StatusCode::BAD_REQUEST, lang));
    };
    let outcome = match change {
        Ok(c) => {
            scoped
                .change_household(
                    id,
                    c,
                    on,
                    super::reviews::today(),
                    value("document"),
                    value("note"),
                )
                .await
        }
        Err(e) => Err(e),
    };
    match outcome {
        Ok(at) => Ok(
            axum::response::Redirect::to(&format!("/households/{at}?done={kind}")).into_response(),
        ),
        // said on the household's page, the form as it was typed
        Err(QueryError::Invalid(m)) => {
            let form: std::collections::BTreeMap<String, String> = fields
                .iter()
                .filter(|(n, _)| n != "csrf" && n != "member")
                .cloned()
                .collect();
            let mut r = household_page(
                &state,
                &ctx,
                id,
                Some(m.render(lang)),
                None,
                Some(minijinja::Value::from_serialize(&form)),
            )
            .await?;
            *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(r)
        }
        Err(e) => Err(qe(lang)(e)),
    }
}

/// Refuses, before a household's form is read, a user who may not act for it: not found outside
/// their scope, forbidden to those who only read.
pub(crate) async fn acts_for(
    scoped: &giamngheo_app::registry::Scoped<'_>,
    id: i64,
    lang: Lang,
) -> Result<(), WebError> {
    let h = scoped.household(id).await.map_err(qe(lang))?;
    let actor = scoped.actor();
    if actor.imports() && actor.sees_commune(&h.commune_code) {
        Ok(())
    } else {
        Err(WebError::denied(
            giamngheo_app::access::Denied::Forbidden,
            lang,
        ))
    }
}
