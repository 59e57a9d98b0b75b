-- The vn-2022-2025 standard as one DuckDB query: the baseline `scripts/bench` times against
-- `giamngheo classify`. Same files in, the same records out (compared byte for byte).
-- The generated files carry no `area` column, so the area comes from the commune type, as in
-- giamngheo when the column is absent.
-- Parameters are substituted by classify_duckdb.py: {households} {members} {units} {output}.
COPY (
WITH
h AS (
  SELECT row_number() OVER () AS rn, *
  FROM read_csv('{households}', header = true, all_varchar = true)
),
units AS (
  SELECT commune_code, commune_type FROM read_csv('{units}', header = true, all_varchar = true)
),
hs AS (
  SELECT h.*, CAST(h.survey_date AS DATE) AS sd,
         CASE WHEN u.commune_type = 'phường' THEN 'urban' ELSE 'rural' END AS ar
  FROM h LEFT JOIN units u ON u.commune_code = h.commune_code
),
m AS (
  SELECT m.*, hs.sd,
         CAST(CASE length(m.birth_date) WHEN 4 THEN m.birth_date || '-01-01'
                                        WHEN 7 THEN m.birth_date || '-01'
                                        ELSE m.birth_date END AS DATE) AS bd
  FROM read_csv('{members}', header = true, all_varchar = true) m
  JOIN hs USING (household_id)
),
ages AS (
  SELECT *, months // 12 AS years,
         CASE WHEN sex = 'M' THEN (CASE WHEN year(sd) < 2021 THEN 720 ELSE least(723 + 3 * (year(sd) - 2021), 744) END)
              ELSE (CASE WHEN year(sd) < 2021 THEN 660 ELSE least(664 + 4 * (year(sd) - 2021), 720) END) END AS retire
  FROM (SELECT *, (year(sd) - year(bd)) * 12 + month(sd) - month(bd) - CASE WHEN day(sd) < day(bd) THEN 1 ELSE 0 END AS months FROM m)
),
md AS (
  SELECT household_id,
    count(*) AS n,
    bool_or(years >= 15 AND months < retire AND labour IN ('unemployed', 'wage_no_contract')) AS employment,
    sum(CASE WHEN years < 16 OR months >= retire OR disability IN ('severe', 'very_severe') THEN 1 ELSE 0 END) * 100 > count(*) * 50 AS dependants,
    bool_or(years < 16 AND malnourished = '1') AS nutrition,
    bool_or(years >= 6 AND health_insurance = '0') AS health_insurance,
    bool_or(coalesce(in_education, '0') = '0' AND (
      (years BETWEEN 16 AND 17 AND education IN ('none', 'primary')) OR
      (years BETWEEN 18 AND 30 AND education IN ('none', 'primary', 'lower_secondary')))) AS adult_education,
    bool_or(years BETWEEN 3 AND 15 AND schooling <> 'at_level') AS child_schooling
  FROM ages GROUP BY household_id
),
d AS (
  SELECT hs.rn, hs.household_id, hs.ar AS area,
    CASE WHEN hs.ar = 'urban' THEN 2000000 ELSE 1500000 END AS income_line,
    CAST(hs.income_per_capita AS DECIMAL(18, 3)) AS income,
    md.employment, md.dependants, md.nutrition, md.health_insurance, md.adult_education, md.child_schooling,
    (hs.has_house = '0' OR CAST(hs.nondurable_structures AS INTEGER) >= 2) AS housing_quality,
    (CASE WHEN hs.has_house = '0' THEN 0 ELSE CAST(hs.floor_area_m2 AS DECIMAL(18, 3)) END < 8 * md.n) AS housing_area,
    hs.water_source NOT IN ('piped', 'drilled_well', 'protected_well', 'protected_spring', 'rainwater', 'bottled') AS water,
    hs.latrine NOT IN ('septic', 'semi_septic', 'pour_flush', 'double_vault', 'ventilated_pit', 'biogas') AS sanitation,
    hs.internet = '0' AS telecom,
    NOT regexp_matches(coalesce(hs.info_devices, ''), '(^|;)(tv|radio|computer|phone|tablet)(;|$)') AS information
  FROM hs JOIN md USING (household_id)
),
c AS (
  SELECT *,
    CAST(employment AS INTEGER) + CAST(dependants AS INTEGER) + CAST(nutrition AS INTEGER)
    + CAST(health_insurance AS INTEGER) + CAST(adult_education AS INTEGER) + CAST(child_schooling AS INTEGER)
    + CAST(housing_quality AS INTEGER) + CAST(housing_area AS INTEGER) + CAST(water AS INTEGER)
    + CAST(sanitation AS INTEGER) + CAST(telecom AS INTEGER) + CAST(information AS INTEGER) AS deprivation_count
  FROM d
)
SELECT household_id, 'vn-2022-2025' AS standard, area, income_line,
  CASE WHEN income <= income_line AND deprivation_count >= 3 THEN 'poor'
       WHEN income <= income_line THEN 'near_poor'
       WHEN area = 'rural' AND income <= 2250000 THEN 'average'
       WHEN area = 'urban' AND income <= 3000000 THEN 'average'
       ELSE 'not_poor' END AS class,
  deprivation_count,
  nullif(concat_ws(';',
    CASE WHEN employment THEN 'employment' END, CASE WHEN dependants THEN 'dependants' END,
    CASE WHEN nutrition THEN 'nutrition' END, CASE WHEN health_insurance THEN 'health_insurance' END,
    CASE WHEN adult_education THEN 'adult_education' END, CASE WHEN child_schooling THEN 'child_schooling' END,
    CASE WHEN housing_quality THEN 'housing_quality' END, CASE WHEN housing_area THEN 'housing_area' END,
    CASE WHEN water THEN 'water' END, CASE WHEN sanitation THEN 'sanitation' END,
    CASE WHEN telecom THEN 'telecom' END, CASE WHEN information THEN 'information' END), '') AS deprivations
FROM c ORDER BY rn
) TO '{output}' (HEADER, DELIMITER ',', QUOTE '"');
