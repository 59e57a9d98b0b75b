//! What a commune chairman's decision recognises is the household's class of that year in every
//! figure. A decision normally recognises the survey's class; a correcting decision may
//! recognise another. The assessment then takes the decided class, keeps the survey's in
//! `surveyed_class`, and the transitions that follow from it (the household's, and those of a
//! household it moved into) are counted again. A survey imported again for a decided year
//! leaves the decision standing: it is applied once more over the new answers.

use crate::dialect::Tx;
use crate::import::transition_of;
use crate::Result;
use giamngheo_rules::review::Approved;
use giamngheo_rules::transition::{Transition, FALL_BACK_YEARS};
use giamngheo_rules::Class;
use std::collections::{BTreeSet, HashMap};

/// A household of the year whose latest decision recognises a class other than the one stored.
struct Decided {
    household: i64,
    class: String,
    surveyed: String,
    approved: String,
}

/// Applies the latest decision of each household of these communes' reviews of `year` to its
/// assessment of that year. Returns the (year, commune) whose assessments changed (the year
/// itself, and later years whose transitions moved), for their summaries to be refreshed.
pub(crate) async fn apply_decisions(
    tx: &mut Tx,
    year: i32,
    communes: &[&str],
) -> Result<BTreeSet<(i32, String)>> {
    let mut touched = BTreeSet::new();
    if communes.is_empty() {
        return Ok(touched);
    }
    let list = (0..communes.len())
        .map(|i| format!("${}", i + 2))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT a.household_id, l.decision_id, a.class, a.surveyed_class, l.approved \
         FROM review_case k JOIN review r ON r.id = k.review_id \
         JOIN review_decision_line l ON l.case_id = k.id \
         JOIN assessment a ON a.household_id = k.household_id AND a.year = r.year \
         WHERE r.year = $1 AND k.commune_code IN ({list})"
    );
    type Row = (i64, i64, String, Option<String>, String);
    let rows: Vec<Row> = per_backend!(Tx, tx, |t, pg| {
        let mut q = sqlx::query_as::<_, Row>(&sql).bind(year);
        for c in communes {
            q = q.bind(*c);
        }
        q.fetch_all(&mut **t).await?
    });
    // a household's latest decision of the year, whichever of its cases it was taken in
    let mut latest: HashMap<i64, (i64, Decided)> = HashMap::new();
    for (household, decision, class, surveyed, approved) in rows {
        let surveyed = surveyed.unwrap_or_else(|| class.clone());
        let d = Decided {
            household,
            class,
            surveyed,
            approved,
        };
        match latest.get(&household) {
            Some((at, _)) if *at > decision => {}
            _ => {
                latest.insert(household, (decision, d));
            }
        }
    }
    let mut changed: Vec<(i64, String, Option<String>)> = Vec::new();
    for (_, d) in latest.into_values() {
        let (Some(approved), Some(surveyed)) = (
            Approved::from_code(&d.approved),
            Class::from_code(&d.surveyed),
        ) else {
            continue;
        };
        let now = approved.class_after(surveyed).code().to_string();
        if now != d.class {
            let kept = (now != d.surveyed).then_some(d.surveyed);
            changed.push((d.household, now, kept));
        }
    }
    if changed.is_empty() {
        return Ok(touched);
    }
    per_backend!(Tx, tx, |t, pg| {
        for (household, class, surveyed) in &changed {
            sqlx::query(
                "UPDATE assessment SET class = $1, surveyed_class = $2 \
                 WHERE household_id = $3 AND year = $4",
            )
            .bind(class)
            .bind(surveyed)
            .bind(household)
            .bind(year)
            .execute(&mut **t)
            .await?;
        }
    });
    let ids: Vec<i64> = changed.iter().map(|(h, _, _)| *h).collect();
    transitions_again(tx, year, &ids, &mut touched).await?;
    Ok(touched)
}

/// A household's year: its class and the transition stored.
type YearOf = (i32, Option<Class>, Option<String>);

/// Counts again the transitions of `year` and the years that follow it (as far as a fall back
/// looks) for these households and the households they moved into.
async fn transitions_again(
    tx: &mut Tx,
    year: i32,
    ids: &[i64],
    touched: &mut BTreeSet<(i32, String)>,
) -> Result<()> {
    for chunk in ids.chunks(400) {
        let list = chunk
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        // the households, the households that moved from them, and who each came from
        let households: Vec<(i64, Option<i64>, String)> = per_backend!(Tx, tx, |t, pg| {
            sqlx::query_as(&format!(
                "SELECT id, predecessor_id, commune_code FROM household \
                 WHERE id IN ({list}) OR predecessor_id IN ({list})"
            ))
            .fetch_all(&mut **t)
            .await?
        });
        let mut all: BTreeSet<i64> = households.iter().map(|h| h.0).collect();
        all.extend(households.iter().filter_map(|h| h.1));
        let every = all
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        let years: Vec<(i64, i32, String, Option<String>)> = per_backend!(Tx, tx, |t, pg| {
            sqlx::query_as(&format!(
                "SELECT household_id, year, class, transition FROM assessment \
                 WHERE household_id IN ({every})"
            ))
            .fetch_all(&mut **t)
            .await?
        });
        let mut by_household: HashMap<i64, Vec<YearOf>> = HashMap::new();
        for (h, y, class, transition) in years {
            by_household
                .entry(h)
                .or_default()
                .push((y, Class::from_code(&class), transition));
        }
        let mut moved: Vec<(i64, i32, Option<&'static str>)> = Vec::new();
        for (id, predecessor, commune) in &households {
            let own = by_household.get(id).cloned().unwrap_or_default();
            let before = predecessor
                .and_then(|p| by_household.get(&p).cloned())
                .unwrap_or_default();
            let class_of = |y: i32| {
                own.iter()
                    .chain(&before)
                    .find(|(at, _, _)| *at == y)
                    .and_then(|(_, c, _)| *c)
            };
            for (y, _, stored) in own
                .iter()
                .filter(|(y, _, _)| *y >= year && *y <= year + 1 + FALL_BACK_YEARS)
            {
                let now = transition_of(*y, class_of).map(Transition::code);
                if now != stored.as_deref() {
                    moved.push((*id, *y, now));
                }
                if now != stored.as_deref() {
                    touched.insert((*y, commune.clone()));
                }
            }
            // the year's own figures changed with its class, and the next year's stock with it
            if chunk.contains(id) {
                touched.insert((year, commune.clone()));
                touched.insert((year + 1, commune.clone()));
            }
        }
        per_backend!(Tx, tx, |t, pg| {
            for (household, y, transition) in &moved {
                sqlx::query(
                    "UPDATE assessment SET transition = $1 WHERE household_id = $2 AND year = $3",
                )
                .bind(transition)
                .bind(household)
                .bind(y)
                .execute(&mut **t)
                .await?;
            }
        });
    }
    Ok(())
}
