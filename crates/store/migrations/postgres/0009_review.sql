-- The annual review as a procedure: a province's plan and each commune's window inside it (one
-- review per unit and year, or per in-year round), one case per household and review with its
-- step, the append-only history of every step, the village meetings, the public postings, the
-- commune chairman's decisions (never edited: a correction is a new decision naming the one it
-- corrects) and the certificates, numbered per commune and year.
CREATE TABLE review (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind TEXT NOT NULL,
    year INTEGER NOT NULL,
    province_code TEXT NOT NULL REFERENCES province (code),
    commune_code TEXT REFERENCES commune (code),
    parent_id BIGINT REFERENCES review (id),
    plan_number TEXT NOT NULL,
    plan_date DATE NOT NULL,
    starts DATE NOT NULL,
    ends DATE NOT NULL,
    locked_at TIMESTAMPTZ,
    created_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX review_unit ON review (kind, year, province_code, COALESCE(commune_code, ''), starts);

CREATE TABLE review_case (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    review_id BIGINT NOT NULL REFERENCES review (id),
    household_id BIGINT NOT NULL REFERENCES household (id),
    commune_code TEXT NOT NULL REFERENCES commune (code),
    origin TEXT NOT NULL,
    previous_class TEXT,
    step TEXT NOT NULL,
    proposed_class TEXT,
    posting_ends DATE,
    approved TEXT,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (review_id, household_id)
);
CREATE INDEX review_case_board ON review_case (review_id, step);

CREATE TABLE review_event (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES review_case (id),
    step_from TEXT NOT NULL,
    step_to TEXT NOT NULL,
    event TEXT NOT NULL,
    detail JSONB,
    user_name TEXT NOT NULL,
    at TIMESTAMPTZ NOT NULL
);
CREATE INDEX review_event_case ON review_event (case_id, id);

CREATE TABLE village_meeting (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    review_id BIGINT NOT NULL REFERENCES review (id),
    village_id BIGINT REFERENCES village (id),
    held_on DATE NOT NULL,
    participants INTEGER NOT NULL,
    in_favour INTEGER NOT NULL,
    agreed BOOLEAN NOT NULL,
    note TEXT,
    user_name TEXT NOT NULL,
    at TIMESTAMPTZ NOT NULL
);

CREATE TABLE review_posting (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    review_id BIGINT NOT NULL REFERENCES review (id),
    starts DATE NOT NULL,
    ends DATE NOT NULL,
    places TEXT NOT NULL,
    user_name TEXT NOT NULL,
    at TIMESTAMPTZ NOT NULL
);

CREATE TABLE review_decision (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    review_id BIGINT NOT NULL REFERENCES review (id),
    commune_code TEXT NOT NULL REFERENCES commune (code),
    number TEXT NOT NULL,
    decided_on DATE NOT NULL,
    corrects_id BIGINT REFERENCES review_decision (id),
    user_name TEXT NOT NULL,
    at TIMESTAMPTZ NOT NULL,
    UNIQUE (commune_code, number)
);

CREATE TABLE review_decision_line (
    decision_id BIGINT NOT NULL REFERENCES review_decision (id),
    case_id BIGINT NOT NULL REFERENCES review_case (id),
    approved TEXT NOT NULL,
    PRIMARY KEY (decision_id, case_id)
);

CREATE TABLE certificate (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES review_case (id),
    commune_code TEXT NOT NULL REFERENCES commune (code),
    year INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    number TEXT NOT NULL,
    issued_on DATE NOT NULL,
    UNIQUE (commune_code, year, seq)
);
