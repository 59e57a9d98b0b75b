//! Households as the web pages and the API read them: lists with search, filters and paging, and
//! one household with its members and every year's assessment.

use crate::dialect::{as_text, like_escape, Pool};
use crate::{decoded, Result, Store};
use giamngheo_rules::chrono::NaiveDate;
use giamngheo_rules::{Area, Class, CommuneCode, Sex, UnitCode};
use sqlx::{QueryBuilder, Row};

/// What a household list shows, and which page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HouseholdQuery {
    /// A province or a commune.
    pub unit: UnitCode,
    /// The review year whose class and deprivations are shown and filtered on.
    pub year: i32,
    /// Folded text (no diacritics, lower case) found in a member's name or the household code.
    pub text: Option<String>,
    pub class: Option<Class>,
    pub village: Option<String>,
    /// Ethnic group code of the household's head (1979 catalogue, 2 digits).
    pub ethnic_code: Option<String>,
    /// Position of an indicator in the year's standard: households lacking it.
    pub deprivation: Option<u32>,
    pub limit: i64,
    pub offset: i64,
}

impl HouseholdQuery {
    /// Whether the query filters the unit's households at all.
    pub fn filters_anything(&self) -> bool {
        self.text.as_deref().is_some_and(|t| !t.is_empty())
            || self.class.is_some()
            || self.village.is_some()
            || self.ethnic_code.is_some()
            || self.deprivation.is_some()
    }

    /// The first 50 households of a unit's year, unfiltered.
    pub fn new(unit: UnitCode, year: i32) -> HouseholdQuery {
        HouseholdQuery {
            unit,
            year,
            text: None,
            class: None,
            village: None,
            ethnic_code: None,
            deprivation: None,
            limit: 50,
            offset: 0,
        }
    }
}

/// A line of a household list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HouseholdLine {
    pub id: i64,
    pub commune_code: String,
    pub commune_name: String,
    pub code: String,
    pub village: Option<String>,
    pub head_name: Option<String>,
    pub class: Class,
    pub deprivation_count: i32,
    pub members: i32,
    pub is_minority: bool,
    /// When the list was searched by name: the member whose name matched (the first, by member
    /// number), with their relation to the head.
    pub matched_member: Option<(String, Option<String>)>,
}

/// A page of a household list and how many households match in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HouseholdPage {
    /// Households matching; at most [`COUNT_CAP`] when `more` (a search is not counted past it).
    pub total: i64,
    /// More households match than `total` says.
    pub more: bool,
    pub lines: Vec<HouseholdLine>,
}

/// A search across a province is counted up to this many matches.
pub const COUNT_CAP: i64 = 10_000;

/// A member as the registry holds them now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberLine {
    pub member_no: i32,
    pub full_name: Option<String>,
    pub id_number: Option<String>,
    pub birth_date: NaiveDate,
    pub birth_precision: i32,
    pub sex: Sex,
    pub ethnic_code: Option<String>,
    pub ethnic_name: Option<String>,
    pub relation: Option<String>,
}

/// One year's assessment of a household.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessmentLine {
    pub year: i32,
    pub standard: String,
    pub survey_date: NaiveDate,
    pub area: Area,
    pub income_line: i64,
    pub income_per_capita: Option<String>,
    pub b1_score: Option<String>,
    pub class: Class,
    /// The survey's class, when a decision recognised another (`class` is the decided one).
    pub surveyed_class: Option<Class>,
    pub deprivations: i64,
    pub deprivation_count: i32,
    pub transition: Option<String>,
    pub without_working_capacity: Option<bool>,
    pub members: i32,
    pub import_id: Option<i64>,
    /// Every answer of the year, as JSON.
    pub answers: String,
    /// The household it was made by, when that is another (a household that moved: its years
    /// in the commune it left).
    pub by: Option<crate::OtherHousehold>,
}

/// A household with its members and every year's assessment (latest first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HouseholdDetail {
    pub id: i64,
    pub commune_code: String,
    pub commune_name: String,
    pub province_code: String,
    pub province_name: String,
    pub code: String,
    pub village: Option<String>,
    pub head_name: Option<String>,
    pub members: Vec<MemberLine>,
    pub assessments: Vec<AssessmentLine>,
    /// Its cases in the reviews, latest first.
    pub cases: Vec<HouseholdCase>,
    /// How it began and ended (split, merged, moved).
    pub lineage: crate::Lineage,
    /// Its changes between reviews, latest first.
    pub changes: Vec<crate::ChangeLine>,
}

/// A household's case in a review: the round, the step it is at, the class proposed and the
/// class decided, with the decision and certificate that gave them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HouseholdCase {
    pub review_id: i64,
    pub year: i32,
    pub kind: String,
    pub plan_number: String,
    pub step: String,
    pub proposed_class: Option<String>,
    pub approved: Option<String>,
    /// The latest decision naming the case: its number and date.
    pub decision: Option<(String, NaiveDate)>,
    pub certificate: Option<String>,
}

fn filters<'a, DB: sqlx::Database>(q: &mut QueryBuilder<'a, DB>, f: &'a HouseholdQuery, pg: bool)
where
    String: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    i32: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    i64: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    // communes first, in code order, then their households in code order: a page is read in
    // order and the reading stops there (SQLite keeps a CROSS JOIN's order as written)
    let join = crate::dialect::ordered_join(pg);
    q.push(format!(
        " FROM commune c {join} household h ON h.commune_code = c.code \
         {join} assessment a ON a.household_id = h.id AND a.year = "
    ))
    .push_bind(f.year)
    .push(" LEFT JOIN village v ON v.id = h.village_id WHERE ");
    q.push(crate::unit_column(&f.unit))
        .push(" = ")
        .push_bind(f.unit.as_str().to_string());
    if let Some(text) = f.text.as_ref().filter(|t| !t.is_empty()) {
        let pattern = format!("%{}%", like_escape(text));
        q.push(" AND (LOWER(h.code) LIKE ")
            .push_bind(pattern.clone())
            .push(
                " ESCAPE '\\' OR EXISTS (SELECT 1 FROM member m WHERE m.household_id = h.id \
                 AND m.name_key LIKE ",
            )
            .push_bind(pattern)
            .push(" ESCAPE '\\'))");
    }
    if let Some(class) = f.class {
        q.push(" AND a.class = ")
            .push_bind(class.code().to_string());
    }
    if let Some(village) = &f.village {
        q.push(" AND v.name = ").push_bind(village.clone());
    }
    if let Some(e) = &f.ethnic_code {
        // the head's group on that year's form, as the summaries count it
        q.push(" AND a.head_ethnic = ").push_bind(e.clone());
    }
    if let Some(i) = f.deprivation.filter(|i| *i < 16) {
        q.push(" AND (a.deprivations & ")
            .push_bind(1i64 << i)
            .push(") <> 0");
    }
}

/// A village's households of a year by class (read from the commune's assessments: a commune
/// holds a few thousand households).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VillageFigures {
    /// `None` for households without a village.
    pub village: Option<String>,
    pub households: i64,
    pub poor: i64,
    pub near_poor: i64,
}

impl Store {
    /// The villages of a commune with their households by class in a year, by village name.
    pub async fn village_figures(
        &self,
        commune: &CommuneCode,
        year: i32,
    ) -> Result<Vec<VillageFigures>> {
        per_backend!(Pool, &self.pool, |pool, pg| {
            let rows: Vec<(Option<String>, i64, i64, i64)> = sqlx::query_as(
                "SELECT v.name, COUNT(*), \
                 CAST(SUM(CASE WHEN a.class = 'poor' THEN 1 ELSE 0 END) AS BIGINT), \
                 CAST(SUM(CASE WHEN a.class = 'near_poor' THEN 1 ELSE 0 END) AS BIGINT) \
                 FROM household h JOIN assessment a ON a.household_id = h.id AND a.year = $2 \
                 LEFT JOIN village v ON v.id = h.village_id WHERE h.commune_code = $1 \
                 GROUP BY v.name ORDER BY v.name",
            )
            .bind(commune.as_str())
            .bind(year)
            .fetch_all(pool)
            .await?;
            Ok(rows
                .into_iter()
                .map(|(village, households, poor, near_poor)| VillageFigures {
                    village,
                    households,
                    poor,
                    near_poor,
                })
                .collect())
        })
    }

    /// A page of the households of a unit assessed in a year, with the query's filters, in
    /// commune and household code order.
    pub async fn households(&self, f: &HouseholdQuery) -> Result<HouseholdPage> {
        // unfiltered (or by class only), the count is in the summaries
        let only_class = f.text.as_deref().is_none_or(str::is_empty)
            && f.village.is_none()
            && f.ethnic_code.is_none()
            && f.deprivation.is_none();
        let from_summaries = f.class.map_or("households", Class::code).to_string();
        let from_summaries = Some(from_summaries).filter(|_| only_class);
        per_backend!(Pool, &self.pool, |pool, pg| {
            let (total, more) = if let Some(column) = from_summaries {
                let unit = crate::unit_column(&f.unit);
                let total: Option<i64> = sqlx::query_scalar(&format!(
                    "SELECT CAST(SUM(s.{column}) AS BIGINT) FROM unit_year_summary s \
                     JOIN commune c ON c.code = s.commune_code WHERE {unit} = $1 AND s.year = $2"
                ))
                .bind(f.unit.as_str())
                .bind(f.year)
                .fetch_one(pool)
                .await?;
                (total.unwrap_or(0), false)
            } else {
                let mut q = QueryBuilder::new("SELECT COUNT(*) FROM (SELECT 1");
                filters(&mut q, f, pg);
                q.push(" LIMIT ").push_bind(COUNT_CAP + 1).push(") x");
                let n: i64 = q.build_query_scalar().fetch_one(pool).await?;
                (n.min(COUNT_CAP), n > COUNT_CAP)
            };
            let mut q = QueryBuilder::new(
                "SELECT h.id, h.commune_code, c.name, h.code, v.name, h.head_name, a.class, \
                 a.deprivation_count, a.members, a.is_minority",
            );
            // found through a member's name: the first such member, with their relation
            match f.text.as_ref().filter(|t| !t.is_empty()) {
                Some(text) => {
                    let pattern = format!("%{}%", like_escape(text));
                    for column in ["full_name", "relation"] {
                        q.push(format!(
                            ", (SELECT m.{column} FROM member m WHERE m.household_id = h.id \
                             AND m.name_key LIKE "
                        ))
                        .push_bind(pattern.clone())
                        .push(" ESCAPE '\\' ORDER BY m.member_no LIMIT 1)");
                    }
                }
                None => {
                    q.push(", NULL, NULL");
                }
            }
            filters(&mut q, f, pg);
            q.push(" ORDER BY c.code, h.code LIMIT ")
                .push_bind(f.limit.clamp(1, 500))
                .push(" OFFSET ")
                .push_bind(f.offset.max(0));
            let lines = q
                .build()
                .fetch_all(pool)
                .await?
                .iter()
                .map(|r| {
                    Ok(HouseholdLine {
                        id: r.try_get(0)?,
                        commune_code: r.try_get(1)?,
                        commune_name: r.try_get(2)?,
                        code: r.try_get(3)?,
                        village: r.try_get(4)?,
                        head_name: r.try_get(5)?,
                        class: decoded(&r.try_get::<String, _>(6)?, Class::from_code, "class")?,
                        deprivation_count: r.try_get(7)?,
                        members: r.try_get(8)?,
                        is_minority: r.try_get(9)?,
                        matched_member: r
                            .try_get::<Option<String>, _>(10)?
                            .map(|name| (name, r.try_get::<Option<String>, _>(11).ok().flatten())),
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            Ok(HouseholdPage { total, more, lines })
        })
    }

    /// Every household matching the query's filters (not its page), as (commune, code): what a
    /// filtered export keeps.
    pub async fn household_keys(&self, f: &HouseholdQuery) -> Result<Vec<(String, String)>> {
        per_backend!(Pool, &self.pool, |pool, pg| {
            let mut q = QueryBuilder::new("SELECT h.commune_code, h.code");
            filters(&mut q, f, pg);
            Ok(q.build_query_as().fetch_all(pool).await?)
        })
    }

    /// The villages of a commune that have households, by name.
    pub async fn villages(&self, commune: &CommuneCode) -> Result<Vec<String>> {
        per_backend!(Pool, &self.pool, |pool, pg| {
            Ok(
                sqlx::query_scalar(
                    "SELECT name FROM village WHERE commune_code = $1 ORDER BY name",
                )
                .bind(commune.as_str())
                .fetch_all(pool)
                .await?,
            )
        })
    }

    /// The years a unit has assessments for, from its summaries.
    pub async fn years_of(&self, unit: &UnitCode) -> Result<Vec<i32>> {
        let filter = format!("{} = $1", crate::unit_column(unit));
        let sql = format!(
            "SELECT DISTINCT s.year FROM unit_year_summary s JOIN commune c \
             ON c.code = s.commune_code WHERE {filter} ORDER BY s.year"
        );
        per_backend!(Pool, &self.pool, |pool, pg| {
            Ok(sqlx::query_scalar(&sql)
                .bind(unit.as_str())
                .fetch_all(pool)
                .await?)
        })
    }

    /// A household with its members and assessments; `None` when there is none of that id.
    pub async fn household(&self, id: i64) -> Result<Option<HouseholdDetail>> {
        per_backend!(Pool, &self.pool, |pool, pg| {
            let Some(h) = sqlx::query(
                "SELECT h.id, h.commune_code, c.name, c.province_code, p.name, h.code, v.name, \
                 h.head_name FROM household h JOIN commune c ON c.code = h.commune_code \
                 JOIN province p ON p.code = c.province_code \
                 LEFT JOIN village v ON v.id = h.village_id WHERE h.id = $1",
            )
            .bind(id)
            .fetch_optional(pool)
            .await?
            else {
                return Ok(None);
            };
            let members = sqlx::query(
                "SELECT m.member_no, m.full_name, m.id_number, m.birth_date, m.birth_precision, \
                 m.sex, m.ethnic_code, g.name, m.relation FROM member m \
                 LEFT JOIN ethnic_group g ON g.catalogue = m.ethnic_catalogue \
                 AND g.code = m.ethnic_code WHERE m.household_id = $1 ORDER BY m.member_no",
            )
            .bind(id)
            .fetch_all(pool)
            .await?
            .iter()
            .map(|r| {
                Ok(MemberLine {
                    member_no: r.try_get(0)?,
                    full_name: r.try_get(1)?,
                    id_number: r.try_get(2)?,
                    birth_date: r.try_get(3)?,
                    birth_precision: r.try_get(4)?,
                    sex: decoded(&r.try_get::<String, _>(5)?, Sex::from_code, "sex")?,
                    ethnic_code: r.try_get(6)?,
                    ethnic_name: r.try_get(7)?,
                    relation: r.try_get(8)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
            let mut assessments = self.assessment_lines(id).await?;
            let cases = sqlx::query(
                "SELECT r.id, r.year, r.kind, r.plan_number, c.step, c.proposed_class, \
                 c.approved, d.number, d.decided_on, \
                 (SELECT g.number FROM certificate g WHERE g.case_id = c.id \
                  ORDER BY g.id DESC LIMIT 1) \
                 FROM review_case c JOIN review r ON r.id = c.review_id \
                 LEFT JOIN review_decision d ON d.id = (SELECT MAX(l.decision_id) \
                  FROM review_decision_line l WHERE l.case_id = c.id) \
                 WHERE c.household_id = $1 ORDER BY r.year DESC, r.starts DESC, r.id DESC",
            )
            .bind(id)
            .fetch_all(pool)
            .await?
            .iter()
            .map(|r| {
                let number: Option<String> = r.try_get(7)?;
                let on: Option<NaiveDate> = r.try_get(8)?;
                Ok(HouseholdCase {
                    review_id: r.try_get(0)?,
                    year: r.try_get(1)?,
                    kind: r.try_get(2)?,
                    plan_number: r.try_get(3)?,
                    step: r.try_get(4)?,
                    proposed_class: r.try_get(5)?,
                    approved: r.try_get(6)?,
                    decision: number.zip(on),
                    certificate: r.try_get(9)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
            let lineage = self.lineage(id).await?;
            // a household that moved keeps its past years where they were made: they follow it
            let mut from = lineage.origin.clone();
            let mut hops = 0;
            while let Some((kind, before)) = from.take() {
                hops += 1;
                if kind != "moved" || hops > 16 {
                    break;
                }
                let mut past = self.assessment_lines(before.id).await?;
                for a in &mut past {
                    a.by = Some(before.clone());
                }
                assessments.extend(past);
                from = self.lineage(before.id).await?.origin;
            }
            assessments.sort_by_key(|a| std::cmp::Reverse(a.year));
            Ok(Some(HouseholdDetail {
                lineage,
                changes: self.household_changes(id).await?,
                cases,
                id: h.try_get(0)?,
                commune_code: h.try_get(1)?,
                commune_name: h.try_get(2)?,
                province_code: h.try_get(3)?,
                province_name: h.try_get(4)?,
                code: h.try_get(5)?,
                village: h.try_get(6)?,
                head_name: h.try_get(7)?,
                members,
                assessments,
            }))
        })
    }
}

impl Store {
    /// A household's assessments, latest first.
    async fn assessment_lines(&self, id: i64) -> Result<Vec<AssessmentLine>> {
        per_backend!(Pool, &self.pool, |pool, pg| {
            let text = |column: &str| as_text(pg, column);
            sqlx::query(&format!(
                "SELECT year, standard, survey_date, area, income_line, \
                 {}, {}, class, deprivations, \
                 deprivation_count, transition, without_working_capacity, members, import_id, \
                 {}, surveyed_class FROM assessment WHERE household_id = $1 ORDER BY year DESC",
                text("income_per_capita"),
                text("b1_score"),
                text("answers")
            ))
            .bind(id)
            .fetch_all(pool)
            .await?
            .iter()
            .map(|r| {
                Ok(AssessmentLine {
                    year: r.try_get(0)?,
                    standard: r.try_get(1)?,
                    survey_date: r.try_get(2)?,
                    area: decoded(&r.try_get::<String, _>(3)?, Area::from_code, "area")?,
                    income_line: r.try_get(4)?,
                    income_per_capita: r.try_get(5)?,
                    b1_score: r.try_get(6)?,
                    class: decoded(&r.try_get::<String, _>(7)?, Class::from_code, "class")?,
                    deprivations: r.try_get(8)?,
                    deprivation_count: r.try_get(9)?,
                    transition: r.try_get(10)?,
                    without_working_capacity: r.try_get(11)?,
                    members: r.try_get(12)?,
                    import_id: r.try_get(13)?,
                    answers: r.try_get(14)?,
                    surveyed_class: r
                        .try_get::<Option<String>, _>(15)?
                        .map(|c| decoded(&c, Class::from_code, "surveyed_class"))
                        .transpose()?,
                    by: None,
                })
            })
            .collect()
        })
    }
}

/// A household's assessment of a year, as stored: enough to write the survey back out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportRow {
    pub commune_code: String,
    pub code: String,
    pub village: Option<String>,
    pub head_name: Option<String>,
    /// Every answer of the year, as JSON.
    pub answers: String,
}

impl Store {
    /// The assessments of a unit (province or commune code) for a year, in the order they were
    /// imported, with each household's code, commune, village and head.
    pub async fn assessments_of_year(&self, unit: &UnitCode, year: i32) -> Result<Vec<ExportRow>> {
        let filter = format!("{} = $1", crate::unit_column(unit));
        per_backend!(Pool, &self.pool, |pool, pg| {
            let answers = as_text(pg, "a.answers");
            let sql = format!(
                "SELECT h.commune_code, h.code, v.name, h.head_name, {answers} \
                 FROM assessment a JOIN household h ON h.id = a.household_id \
                 JOIN commune c ON c.code = h.commune_code \
                 LEFT JOIN village v ON v.id = h.village_id \
                 WHERE {filter} AND a.year = $2 ORDER BY a.id"
            );
            let rows = sqlx::query(&sql)
                .bind(unit.as_str())
                .bind(year)
                .fetch_all(pool)
                .await?;
            Ok(rows
                .iter()
                .map(|r| ExportRow {
                    commune_code: r.get(0),
                    code: r.get(1),
                    village: r.get(2),
                    head_name: r.get(3),
                    answers: r.get(4),
                })
                .collect())
        })
    }

    /// A household's latest assessment up to `year`: its year and every answer, as JSON.
    pub async fn latest_answers(
        &self,
        household_id: i64,
        year: i32,
    ) -> Result<Option<(i32, String)>> {
        per_backend!(Pool, &self.pool, |pool, pg| {
            let answers = as_text(pg, "answers");
            let sql = format!(
                "SELECT year, {answers} FROM assessment WHERE household_id = $1 AND year <= $2 \
                 ORDER BY year DESC LIMIT 1"
            );
            Ok(sqlx::query(&sql)
                .bind(household_id)
                .bind(year)
                .fetch_optional(pool)
                .await?
                .map(|r| (r.get(0), r.get(1))))
        })
    }
}
