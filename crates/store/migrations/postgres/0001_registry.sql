-- The registry: reference units, households, members and one assessment per household and year.
CREATE TABLE province (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL
);

CREATE TABLE commune (
    code TEXT PRIMARY KEY,
    province_code TEXT NOT NULL REFERENCES province (code),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    lat DOUBLE PRECISION,
    lon DOUBLE PRECISION,
    area_km2 DOUBLE PRECISION
);
CREATE INDEX commune_province ON commune (province_code);

CREATE TABLE legacy_commune (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    district_code TEXT NOT NULL,
    district_name TEXT NOT NULL,
    province_code TEXT NOT NULL,
    province_name TEXT NOT NULL
);

CREATE TABLE commune_crosswalk (
    old_code TEXT NOT NULL,
    new_code TEXT NOT NULL REFERENCES commune (code),
    kind TEXT NOT NULL,
    is_default BOOLEAN NOT NULL,
    PRIMARY KEY (old_code, new_code)
);

CREATE TABLE ethnic_group (
    catalogue TEXT NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    is_minority BOOLEAN NOT NULL,
    PRIMARY KEY (catalogue, code)
);

CREATE TABLE village (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    commune_code TEXT NOT NULL REFERENCES commune (code),
    name TEXT NOT NULL,
    UNIQUE (commune_code, name)
);

CREATE TABLE import (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    year INTEGER NOT NULL,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    households INTEGER NOT NULL,
    members INTEGER NOT NULL,
    imported_at TIMESTAMPTZ NOT NULL,
    UNIQUE (sha256, year)
);

CREATE TABLE household (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    commune_code TEXT NOT NULL REFERENCES commune (code),
    code TEXT NOT NULL,
    village_id BIGINT REFERENCES village (id),
    head_name TEXT,
    UNIQUE (commune_code, code)
);

CREATE TABLE member (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    household_id BIGINT NOT NULL REFERENCES household (id),
    member_no INTEGER NOT NULL,
    full_name TEXT,
    -- the name folded (no diacritics, lower case) for search and duplicate checks
    name_key TEXT,
    id_number TEXT UNIQUE,
    birth_date DATE NOT NULL,
    birth_precision INTEGER NOT NULL,
    sex TEXT NOT NULL,
    ethnic_catalogue TEXT,
    ethnic_code TEXT,
    relation TEXT,
    UNIQUE (household_id, member_no)
);
CREATE INDEX member_name_birth ON member (name_key, birth_date);

CREATE TABLE assessment (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    household_id BIGINT NOT NULL REFERENCES household (id),
    year INTEGER NOT NULL,
    import_id BIGINT REFERENCES import (id),
    standard TEXT NOT NULL,
    survey_date DATE NOT NULL,
    area TEXT NOT NULL,
    income_line BIGINT NOT NULL,
    -- exact decimal, as given
    income_per_capita NUMERIC,
    b1_score NUMERIC,
    class TEXT NOT NULL,
    -- the standard's indicators lacked, as bits in the standard's order, and how many
    deprivations BIGINT NOT NULL,
    deprivation_count INTEGER NOT NULL,
    without_working_capacity BOOLEAN,
    is_minority BOOLEAN NOT NULL,
    members INTEGER NOT NULL,
    -- every answer of the household and its members that year, as JSON
    answers JSONB NOT NULL,
    UNIQUE (household_id, year)
);
CREATE INDEX assessment_year ON assessment (year, class);
