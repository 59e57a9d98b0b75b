-- The ethnic group of each assessed household's head as that year's form gave it, and each
-- commune's households, poor and near-poor of a year by that group: the household list offers
-- only the groups a unit has, and reports by ethnic group read these rows, never the members.
ALTER TABLE assessment ADD COLUMN head_ethnic TEXT;

-- Years imported before this column existed take the head's group from the member list the
-- registry keeps (the head, or the first member when none is marked head, as is_minority did).
UPDATE assessment SET head_ethnic = (
    SELECT m.ethnic_code FROM member m WHERE m.household_id = assessment.household_id
    ORDER BY CASE WHEN m.relation = 'head' THEN 0 ELSE 1 END, m.member_no LIMIT 1
);

CREATE TABLE unit_year_ethnic (
    commune_code TEXT NOT NULL REFERENCES commune (code),
    year INTEGER NOT NULL,
    -- '' when the head's group is not known
    ethnic_code TEXT NOT NULL,
    households INTEGER NOT NULL,
    poor INTEGER NOT NULL,
    near_poor INTEGER NOT NULL,
    PRIMARY KEY (commune_code, year, ethnic_code)
);

INSERT INTO unit_year_ethnic (commune_code, year, ethnic_code, households, poor, near_poor)
SELECT h.commune_code, a.year, COALESCE(a.head_ethnic, ''), COUNT(*),
    SUM(CASE WHEN a.class = 'poor' THEN 1 ELSE 0 END),
    SUM(CASE WHEN a.class = 'near_poor' THEN 1 ELSE 0 END)
FROM assessment a JOIN household h ON h.id = a.household_id
GROUP BY h.commune_code, a.year, COALESCE(a.head_ethnic, '');
