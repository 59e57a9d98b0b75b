-- Livelihood models and production projects (issue 14): a province's project with its communes,
-- its budget by funding source (the households' counterpart included, in cash or in kind), the
-- area class its cost-sharing was judged on, and its outputs. Its participants are support
-- records (of the support kind its model kind names) that carry the model's id, so that they are
-- judged, counted and checked for duplicates like any other support.
CREATE TABLE model (
    id INTEGER PRIMARY KEY,
    province_code TEXT NOT NULL REFERENCES province (code),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    program TEXT,
    item TEXT,
    decision TEXT NOT NULL,
    decided_on DATE NOT NULL,
    starts_on DATE NOT NULL,
    ends_on DATE,
    -- extremely_difficult, difficult or other; and the document that classed it, when the
    -- officer gave one
    area_class TEXT NOT NULL,
    area_basis TEXT,
    outputs TEXT,
    refused_rule TEXT,
    override_reason TEXT,
    file TEXT,
    note TEXT,
    user_name TEXT NOT NULL,
    at TEXT NOT NULL,
    UNIQUE (province_code, code)
);

CREATE TABLE model_commune (
    model_id INTEGER NOT NULL REFERENCES model (id),
    commune_code TEXT NOT NULL REFERENCES commune (code),
    PRIMARY KEY (model_id, commune_code)
);
CREATE INDEX model_commune_code ON model_commune (commune_code);

-- VND, exact integers.
CREATE TABLE model_part (
    model_id INTEGER NOT NULL REFERENCES model (id),
    source TEXT NOT NULL,
    in_kind BOOLEAN NOT NULL DEFAULT FALSE,
    amount BIGINT NOT NULL CHECK (amount >= 0),
    valuation TEXT,
    PRIMARY KEY (model_id, source, in_kind)
);

ALTER TABLE support_record ADD COLUMN model_id INTEGER REFERENCES model (id);
CREATE INDEX support_model ON support_record (model_id);
