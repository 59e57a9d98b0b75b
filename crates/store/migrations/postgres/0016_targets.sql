-- A unit's targets (issue 14): an indicator of programs/target-indicators.toml over a span of
-- years, with the value to reach and the document that set it. A later target for the same unit,
-- indicator and span replaces the earlier one; both are kept.
CREATE TABLE target (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    province_code TEXT NOT NULL REFERENCES province (code),
    unit_code TEXT NOT NULL,
    indicator TEXT NOT NULL,
    from_year INTEGER NOT NULL,
    to_year INTEGER NOT NULL,
    -- exact decimal text, as given
    value TEXT NOT NULL,
    document TEXT NOT NULL,
    note TEXT,
    user_name TEXT NOT NULL,
    at TIMESTAMPTZ NOT NULL
);
CREATE INDEX target_unit ON target (unit_code, indicator, from_year, to_year);
