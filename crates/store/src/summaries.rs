//! Each commune's figures of a year, kept as a row of `unit_year_summary` that every import
//! refreshes, so that dashboards and reports read a few rows, never the households.

use crate::dialect::{Pool, Tx};
use crate::{Result, Store};
use giamngheo_rules::UnitCode;
use sqlx::Row;

/// A commune's figures for a year, kept up to date as assessments are written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommuneSummary {
    pub commune_code: String,
    pub commune_name: String,
    pub year: i32,
    pub standard: String,
    pub households: i64,
    pub poor: i64,
    pub near_poor: i64,
    pub average: i64,
    pub not_poor: i64,
    pub urban_households: i64,
    pub urban_poor: i64,
    pub urban_near_poor: i64,
    pub minority_households: i64,
    pub minority_poor: i64,
    pub minority_near_poor: i64,
    pub without_working_capacity: i64,
    pub stayed_poor: i64,
    pub poor_to_near_poor: i64,
    pub escaped: i64,
    pub escaped_from_poor: i64,
    pub near_poor_to_poor: i64,
    pub new_poor: i64,
    pub new_near_poor: i64,
    pub fell_back: i64,
    pub stayed_near_poor: i64,
    pub moved_away_poor: i64,
    pub moved_away_near_poor: i64,
    pub poor_start: i64,
    /// The commune's first year in the registry: no year before it, so no transitions (all
    /// the transition counts are 0, not "newly poor").
    pub first_assessed: bool,
    /// Households lacking each indicator (by position in the standard) among the poor.
    pub lacking_poor: [i64; 16],
    pub lacking_near_poor: [i64; 16],
}

impl CommuneSummary {
    /// poor at the start + new + fell back + from near-poor - escaped - to near-poor - moved
    /// away = poor at the end; a first year has no stock to start from, and holds.
    pub fn stock_holds(&self) -> bool {
        self.first_assessed
            || self.poor_start + self.new_poor + self.fell_back + self.near_poor_to_poor
                == self.poor
                    + self.escaped_from_poor
                    + self.poor_to_near_poor
                    + self.moved_away_poor
    }
}

impl Store {
    /// The summaries of a unit's communes for the years `from..=to`: a province (2-digit code)
    /// or one commune (5-digit code), in commune and year order.
    pub async fn summaries(
        &self,
        unit: &UnitCode,
        from: i32,
        to: i32,
    ) -> Result<Vec<CommuneSummary>> {
        let filter = format!("{} = $1", crate::unit_column(unit));
        let sql = format!(
            "SELECT s.*, c.name AS commune_name FROM unit_year_summary s \
             JOIN commune c ON c.code = s.commune_code \
             WHERE {filter} AND s.year >= $2 AND s.year <= $3 ORDER BY s.commune_code, s.year"
        );
        per_backend!(Pool, &self.pool, |pool, pg| {
            let rows = sqlx::query(&sql)
                .bind(unit.as_str())
                .bind(from)
                .bind(to)
                .fetch_all(pool)
                .await?;
            rows.iter()
                .map(|r| {
                    let n = |c: &str| -> Result<i64> {
                        Ok(r.try_get::<i32, _>(c)
                            .map(i64::from)
                            .or_else(|_| r.try_get::<i64, _>(c))?)
                    };
                    let mut lacking_poor = [0i64; 16];
                    let mut lacking_near_poor = [0i64; 16];
                    for i in 0..16 {
                        lacking_poor[i] = n(&format!("poor_lacking_{i}"))?;
                        lacking_near_poor[i] = n(&format!("near_poor_lacking_{i}"))?;
                    }
                    Ok(CommuneSummary {
                        commune_code: r.try_get("commune_code")?,
                        commune_name: r.try_get("commune_name")?,
                        year: n("year")? as i32,
                        standard: r.try_get("standard")?,
                        households: n("households")?,
                        poor: n("poor")?,
                        near_poor: n("near_poor")?,
                        average: n("average")?,
                        not_poor: n("not_poor")?,
                        urban_households: n("urban_households")?,
                        urban_poor: n("urban_poor")?,
                        urban_near_poor: n("urban_near_poor")?,
                        minority_households: n("minority_households")?,
                        minority_poor: n("minority_poor")?,
                        minority_near_poor: n("minority_near_poor")?,
                        without_working_capacity: n("without_working_capacity")?,
                        stayed_poor: n("stayed_poor")?,
                        poor_to_near_poor: n("poor_to_near_poor")?,
                        escaped: n("escaped")?,
                        escaped_from_poor: n("escaped_from_poor")?,
                        near_poor_to_poor: n("near_poor_to_poor")?,
                        new_poor: n("new_poor")?,
                        new_near_poor: n("new_near_poor")?,
                        fell_back: n("fell_back")?,
                        stayed_near_poor: n("stayed_near_poor")?,
                        moved_away_poor: n("moved_away_poor")?,
                        moved_away_near_poor: n("moved_away_near_poor")?,
                        poor_start: n("poor_start")?,
                        first_assessed: r.try_get("first_assessed")?,
                        lacking_poor,
                        lacking_near_poor,
                    })
                })
                .collect()
        })
    }
}

/// Classes counted in the summaries, in their columns' order.
const TRANSITION_COLUMNS: &[(&str, &str)] = &[
    ("stayed_poor", "a.transition = 'stayed_poor'"),
    ("poor_to_near_poor", "a.transition = 'poor_to_near_poor'"),
    ("escaped", "a.transition = 'escaped'"),
    (
        "escaped_from_poor",
        "a.transition = 'escaped' AND p.class = 'poor'",
    ),
    ("near_poor_to_poor", "a.transition = 'near_poor_to_poor'"),
    ("new_poor", "a.transition = 'new_poor'"),
    ("new_near_poor", "a.transition = 'new_near_poor'"),
    ("fell_back", "a.transition = 'fell_back'"),
    ("stayed_near_poor", "a.transition = 'stayed_near_poor'"),
];

/// The summary statement: one row per commune of the year, from its assessments, joined with
/// the same communes' households of the year before (for the stock and those who moved away).
fn summary_sql(communes: usize) -> String {
    let count = |cond: &str| format!("SUM(CASE WHEN {cond} THEN 1 ELSE 0 END)");
    let mut cur: Vec<(String, String)> = [
        ("households", "COUNT(*)".to_string()),
        ("poor", count("a.class = 'poor'")),
        ("near_poor", count("a.class = 'near_poor'")),
        ("average", count("a.class = 'average'")),
        ("not_poor", count("a.class = 'not_poor'")),
        ("urban_households", count("a.area = 'urban'")),
        ("urban_poor", count("a.area = 'urban' AND a.class = 'poor'")),
        (
            "urban_near_poor",
            count("a.area = 'urban' AND a.class = 'near_poor'"),
        ),
        ("minority_households", count("a.is_minority")),
        ("minority_poor", count("a.is_minority AND a.class = 'poor'")),
        (
            "minority_near_poor",
            count("a.is_minority AND a.class = 'near_poor'"),
        ),
        (
            "without_working_capacity",
            count("a.class IN ('poor', 'near_poor') AND a.without_working_capacity"),
        ),
    ]
    .into_iter()
    .map(|(c, e)| (c.to_string(), e))
    .collect();
    for (col, cond) in TRANSITION_COLUMNS {
        cur.push((col.to_string(), count(cond)));
    }
    for (class, prefix) in [("poor", "poor_lacking"), ("near_poor", "near_poor_lacking")] {
        for i in 0..16 {
            cur.push((
                format!("{prefix}_{i}"),
                count(&format!(
                    "a.class = '{class}' AND ((a.deprivations >> {i}) & 1) = 1"
                )),
            ));
        }
    }
    let list = |from: usize| {
        (0..communes)
            .map(|i| format!("${}", i + from))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let names: Vec<&str> = cur.iter().map(|(c, _)| c.as_str()).collect();
    format!(
        "INSERT INTO unit_year_summary (commune_code, year, standard, {names}, \
         moved_away_poor, moved_away_near_poor, poor_start, first_assessed) \
         SELECT cur.commune_code, $1, cur.standard, {cur_cols}, \
         COALESCE(prev.moved_away_poor, 0), COALESCE(prev.moved_away_near_poor, 0), \
         COALESCE(prev.poor_start, 0), prev.commune_code IS NULL \
         FROM (SELECT h.commune_code AS commune_code, MIN(a.standard) AS standard, {exprs} \
               FROM assessment a JOIN household h ON h.id = a.household_id \
               LEFT JOIN assessment p ON p.household_id = a.household_id AND p.year = a.year - 1 \
               WHERE a.year = $1 AND h.commune_code IN ({in_cur}) GROUP BY h.commune_code) cur \
         LEFT JOIN (SELECT qh.commune_code AS commune_code, \
               {poor_start} AS poor_start, {away_poor} AS moved_away_poor, \
               {away_near} AS moved_away_near_poor \
               FROM assessment q JOIN household qh ON qh.id = q.household_id \
               LEFT JOIN assessment r ON r.household_id = q.household_id AND r.year = $1 \
               WHERE q.year = $1 - 1 AND qh.commune_code IN ({in_prev}) \
               GROUP BY qh.commune_code) prev ON prev.commune_code = cur.commune_code",
        names = names.join(", "),
        // a commune without a year before has no transitions
        cur_cols = names
            .iter()
            .map(|c| {
                if TRANSITION_COLUMNS.iter().any(|(t, _)| t == c) {
                    format!("CASE WHEN prev.commune_code IS NULL THEN 0 ELSE cur.{c} END")
                } else {
                    format!("cur.{c}")
                }
            })
            .collect::<Vec<_>>()
            .join(", "),
        exprs = cur
            .iter()
            .map(|(c, e)| format!("{e} AS {c}"))
            .collect::<Vec<_>>()
            .join(", "),
        in_cur = list(2),
        in_prev = list(2 + communes),
        poor_start = count("q.class = 'poor'"),
        away_poor = count("q.class = 'poor' AND r.id IS NULL"),
        away_near = count("q.class = 'near_poor' AND r.id IS NULL"),
    )
}

/// Recomputes the summaries of these communes for a year, from their assessments.
pub(crate) async fn refresh_summaries(tx: &mut Tx, year: i32, communes: &[&str]) -> Result<()> {
    let delete = format!(
        "DELETE FROM unit_year_summary WHERE year = $1 AND commune_code IN ({})",
        (0..communes.len())
            .map(|i| format!("${}", i + 2))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let insert = summary_sql(communes.len());
    let (delete_ethnic, insert_ethnic) = ethnic_sql(communes.len());
    per_backend!(Tx, tx, |tx, pg| {
        for sql in [&delete, &delete_ethnic] {
            let mut q = sqlx::query(sql).bind(year);
            for c in communes {
                q = q.bind(*c);
            }
            q.execute(&mut **tx).await?;
        }
        let mut q = sqlx::query(&insert).bind(year);
        for c in communes.iter().chain(communes) {
            q = q.bind(*c);
        }
        q.execute(&mut **tx).await?;
        let mut q = sqlx::query(&insert_ethnic).bind(year);
        for c in communes {
            q = q.bind(*c);
        }
        q.execute(&mut **tx).await?;
    });
    Ok(())
}

/// The statements that replace these communes' rows of `unit_year_ethnic` for a year ($1; the
/// communes from $2).
fn ethnic_sql(communes: usize) -> (String, String) {
    let list = (0..communes)
        .map(|i| format!("${}", i + 2))
        .collect::<Vec<_>>()
        .join(", ");
    (
        format!("DELETE FROM unit_year_ethnic WHERE year = $1 AND commune_code IN ({list})"),
        format!(
            "INSERT INTO unit_year_ethnic \
             (commune_code, year, ethnic_code, households, poor, near_poor) \
             SELECT h.commune_code, $1, COALESCE(a.head_ethnic, ''), COUNT(*), \
             SUM(CASE WHEN a.class = 'poor' THEN 1 ELSE 0 END), \
             SUM(CASE WHEN a.class = 'near_poor' THEN 1 ELSE 0 END) \
             FROM assessment a JOIN household h ON h.id = a.household_id \
             WHERE a.year = $1 AND h.commune_code IN ({list}) \
             GROUP BY h.commune_code, COALESCE(a.head_ethnic, '')"
        ),
    )
}

/// A unit's households of a year whose head belongs to one ethnic group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EthnicCount {
    /// The group's 2-digit code; `None` when the head's group is not known.
    pub code: Option<String>,
    /// The group's name in the catalogue, when the code is known to it.
    pub name: Option<String>,
    pub households: i64,
    pub poor: i64,
    pub near_poor: i64,
}

impl Store {
    /// The ethnic groups of a unit's household heads in a year, with their households, poor and
    /// near-poor, the largest group first (the unknown last); groups without a household are
    /// not listed.
    pub async fn ethnic_counts(&self, unit: &UnitCode, year: i32) -> Result<Vec<EthnicCount>> {
        let sql = format!(
            "SELECT e.ethnic_code, MIN(g.name), CAST(SUM(e.households) AS BIGINT), \
             CAST(SUM(e.poor) AS BIGINT), CAST(SUM(e.near_poor) AS BIGINT) \
             FROM unit_year_ethnic e JOIN commune c ON c.code = e.commune_code \
             LEFT JOIN ethnic_group g ON g.catalogue = $3 AND g.code = e.ethnic_code \
             WHERE {} = $1 AND e.year = $2 GROUP BY e.ethnic_code",
            crate::unit_column(unit)
        );
        let mut counts: Vec<EthnicCount> = per_backend!(Pool, &self.pool, |pool, pg| {
            let rows: Vec<(String, Option<String>, i64, i64, i64)> = sqlx::query_as(&sql)
                .bind(unit.as_str())
                .bind(year)
                .bind(crate::reference::ETHNIC_CATALOGUE_1979)
                .fetch_all(pool)
                .await?;
            rows.into_iter()
                .filter(|r| r.2 > 0)
                .map(|(code, name, households, poor, near_poor)| EthnicCount {
                    code: Some(code).filter(|c| !c.is_empty()),
                    name,
                    households,
                    poor,
                    near_poor,
                })
                .collect()
        });
        counts.sort_by(|a, b| {
            (a.code.is_none(), std::cmp::Reverse(a.households), &a.code).cmp(&(
                b.code.is_none(),
                std::cmp::Reverse(b.households),
                &b.code,
            ))
        });
        Ok(counts)
    }
}
