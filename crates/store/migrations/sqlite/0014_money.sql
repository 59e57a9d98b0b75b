-- The program's money (issue 13). A capital plan is a document (the province's decision, its
-- number and date) setting amounts for a unit's budget year: a province's plan is its total, a
-- commune's is what the province allocated it. A revision is another document setting the lines
-- it changes; the plan in force on a date is, for each line, the latest document on or before it.
-- Amounts are VND, exact integers.
CREATE TABLE capital_plan (
    id INTEGER PRIMARY KEY,
    province_code TEXT NOT NULL REFERENCES province (code),
    unit_code TEXT NOT NULL,
    budget_year INTEGER NOT NULL,
    document TEXT NOT NULL,
    decided_on DATE NOT NULL,
    note TEXT,
    user_name TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX capital_plan_province ON capital_plan (province_code, budget_year);
CREATE INDEX capital_plan_unit ON capital_plan (unit_code, budget_year);

CREATE TABLE capital_plan_line (
    plan_id INTEGER NOT NULL REFERENCES capital_plan (id),
    program TEXT NOT NULL,
    item TEXT NOT NULL,
    source TEXT NOT NULL,
    origin_year INTEGER NOT NULL,
    amount BIGINT NOT NULL CHECK (amount >= 0),
    PRIMARY KEY (plan_id, item, source, origin_year)
);

-- A payment from a unit's plan (date, amount, source, item, document or receipt). One paid above
-- the plan is an advance, with its reason.
CREATE TABLE disbursement (
    id INTEGER PRIMARY KEY,
    province_code TEXT NOT NULL REFERENCES province (code),
    unit_code TEXT NOT NULL,
    budget_year INTEGER NOT NULL,
    program TEXT NOT NULL,
    item TEXT NOT NULL,
    source TEXT NOT NULL,
    origin_year INTEGER NOT NULL,
    paid_on DATE NOT NULL,
    amount BIGINT NOT NULL CHECK (amount > 0),
    document TEXT NOT NULL,
    advance INTEGER NOT NULL DEFAULT 0,
    advance_reason TEXT,
    user_name TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX disbursement_unit ON disbursement (unit_code, budget_year, paid_on);
CREATE INDEX disbursement_province ON disbursement (province_code, budget_year);

-- What a unit expects to have disbursed by the year's end, as estimated on a date; the latest
-- estimate of a line counts. Kept apart from what was paid.
CREATE TABLE disbursement_estimate (
    id INTEGER PRIMARY KEY,
    province_code TEXT NOT NULL REFERENCES province (code),
    unit_code TEXT NOT NULL,
    budget_year INTEGER NOT NULL,
    program TEXT NOT NULL,
    item TEXT NOT NULL,
    source TEXT NOT NULL,
    origin_year INTEGER NOT NULL,
    as_of DATE NOT NULL,
    amount BIGINT NOT NULL CHECK (amount >= 0),
    user_name TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX disbursement_estimate_province ON disbursement_estimate (province_code, budget_year);

-- Each line's disbursements by month, kept up to date as payments are written, so that a money
-- dashboard reads a few rows, never the payments.
CREATE TABLE disbursement_month (
    province_code TEXT NOT NULL,
    budget_year INTEGER NOT NULL,
    unit_code TEXT NOT NULL,
    item TEXT NOT NULL,
    source TEXT NOT NULL,
    origin_year INTEGER NOT NULL,
    month INTEGER NOT NULL,
    amount BIGINT NOT NULL,
    advances BIGINT NOT NULL,
    payments BIGINT NOT NULL,
    PRIMARY KEY (province_code, budget_year, unit_code, item, source, origin_year, month)
);
