-- Support given to households and their members (issue 14): one benefit to one household, or to
-- one of its members, by a decision of a day, judged eligible under a rule set of
-- programs/support-rules.toml (or recorded over a refusal, with the officer's written reason).
-- The member is copied as they were (members may later leave the household), so that duplicates
-- are found by personal ID and by folded name with birth date across households and years.
CREATE TABLE support_record (
    id INTEGER PRIMARY KEY,
    province_code TEXT NOT NULL REFERENCES province (code),
    commune_code TEXT NOT NULL REFERENCES commune (code),
    household_id INTEGER NOT NULL REFERENCES household (id),
    member_no INTEGER,
    person_name TEXT,
    -- folded name and birth date, `name|YYYY-MM-DD`
    person_key TEXT,
    id_number TEXT,
    kind TEXT NOT NULL,
    program TEXT,
    item TEXT,
    decision TEXT NOT NULL,
    decided_on DATE NOT NULL,
    -- decided, delivered; for housing also started, completed
    status TEXT NOT NULL,
    delivered_on DATE,
    started_on DATE,
    completed_on DATE,
    rule_set TEXT,
    refused_rule TEXT,
    override_reason TEXT,
    file TEXT,
    note TEXT,
    user_name TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX support_household ON support_record (household_id, decided_on);
CREATE INDEX support_commune ON support_record (commune_code, decided_on);
CREATE INDEX support_province ON support_record (province_code, kind);
CREATE INDEX support_id_number ON support_record (id_number);
CREATE INDEX support_person ON support_record (person_key);

-- A record's amount by funding source, the household's counterpart included; a part in kind
-- carries how it was valued. VND, exact integers.
CREATE TABLE support_part (
    record_id INTEGER NOT NULL REFERENCES support_record (id),
    source TEXT NOT NULL,
    in_kind BOOLEAN NOT NULL DEFAULT FALSE,
    amount BIGINT NOT NULL CHECK (amount >= 0),
    valuation TEXT,
    PRIMARY KEY (record_id, source, in_kind)
);
