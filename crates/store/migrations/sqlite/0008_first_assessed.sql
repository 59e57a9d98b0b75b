-- A commune's first year in the registry has no year before it to change from: its households are
-- "first assessed", not newly poor. Its summary says so and counts no transitions.
ALTER TABLE unit_year_summary ADD COLUMN first_assessed BOOLEAN NOT NULL DEFAULT FALSE;

UPDATE unit_year_summary SET first_assessed = TRUE, stayed_poor = 0, poor_to_near_poor = 0,
    escaped = 0, escaped_from_poor = 0, near_poor_to_poor = 0, new_poor = 0, new_near_poor = 0,
    fell_back = 0, stayed_near_poor = 0
WHERE NOT EXISTS (
    SELECT 1 FROM unit_year_summary p
    WHERE p.commune_code = unit_year_summary.commune_code AND p.year = unit_year_summary.year - 1
);
