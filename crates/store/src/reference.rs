//! Reference data every registry holds: administrative units of 2025 and before, the crosswalk
//! between them, and the ethnic groups.

use crate::dialect::Pool;
use crate::{Result, Store};
use giamngheo_rules::units::Reference;
use sqlx::QueryBuilder;

/// The catalogue the stored ethnic codes come from (QĐ 121-TCTK/PPCĐ, 1979).
pub const ETHNIC_CATALOGUE_1979: &str = "1979";

impl Store {
    /// Loads the administrative units, crosswalk and ethnic groups when the registry has none
    /// yet (first start). Returns whether it loaded them. One transaction.
    pub async fn load_reference(&self, r: &Reference) -> Result<bool> {
        per_backend!(Pool, &self.pool, |pool, pg| {
            let mut tx = pool.begin().await?;
            let have: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM province")
                .fetch_one(&mut *tx)
                .await?;
            if have > 0 {
                return Ok(false);
            }
            // multi-row statements: one round trip per few hundred rows
            for chunk in r.provinces.chunks(256) {
                let mut q = QueryBuilder::new("INSERT INTO province (code, name, kind) ");
                q.push_values(chunk, |mut row, p| {
                    row.push_bind(&p.code).push_bind(&p.name).push_bind(&p.kind);
                });
                q.build().execute(&mut *tx).await?;
            }
            for chunk in r.communes.chunks(256) {
                let mut q = QueryBuilder::new(
                    "INSERT INTO commune (code, province_code, name, kind, lat, lon, area_km2) ",
                );
                q.push_values(chunk, |mut row, (c, place)| {
                    row.push_bind(&c.code)
                        .push_bind(&c.province_code)
                        .push_bind(&c.name)
                        .push_bind(&c.kind)
                        .push_bind(place.lat)
                        .push_bind(place.lon)
                        .push_bind(place.area_km2);
                });
                q.build().execute(&mut *tx).await?;
            }
            for chunk in r.legacy.chunks(256) {
                let mut q = QueryBuilder::new(
                    "INSERT INTO legacy_commune (code, name, kind, district_code, district_name, \
                     province_code, province_name) ",
                );
                q.push_values(chunk, |mut row, c| {
                    row.push_bind(&c.code)
                        .push_bind(&c.name)
                        .push_bind(&c.kind)
                        .push_bind(&c.district_code)
                        .push_bind(&c.district_name)
                        .push_bind(&c.province_code)
                        .push_bind(&c.province_name);
                });
                q.build().execute(&mut *tx).await?;
            }
            for chunk in r.crosswalk.chunks(256) {
                let mut q = QueryBuilder::new(
                    "INSERT INTO commune_crosswalk (old_code, new_code, kind, is_default) ",
                );
                q.push_values(chunk, |mut row, x| {
                    row.push_bind(&x.old_code)
                        .push_bind(&x.new_code)
                        .push_bind(&x.kind)
                        .push_bind(x.is_default);
                });
                q.build().execute(&mut *tx).await?;
            }
            for chunk in r.ethnic_groups.chunks(256) {
                let mut q = QueryBuilder::new(
                    "INSERT INTO ethnic_group (catalogue, code, name, is_minority) ",
                );
                q.push_values(chunk, |mut row, g| {
                    row.push_bind(ETHNIC_CATALOGUE_1979)
                        .push_bind(&g.code)
                        .push_bind(&g.name)
                        .push_bind(g.is_minority);
                });
                q.build().execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(true)
        })
    }

    /// The 2025 commune a pre-2025 commune's households are reported under: the crosswalk's
    /// default target. (Codes of the two lists overlap: a year recorded before the reform uses
    /// pre-2025 codes, which are mapped through here; later years use 2025 codes as they are.)
    pub async fn reform_target(&self, old_code: &str) -> Result<Option<String>> {
        per_backend!(Pool, &self.pool, |pool, pg| {
            Ok(sqlx::query_scalar(
                "SELECT new_code FROM commune_crosswalk WHERE old_code = $1 AND is_default",
            )
            .bind(old_code)
            .fetch_optional(pool)
            .await?)
        })
    }
}
