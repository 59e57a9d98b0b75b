-- Households change between reviews: a member born, dead, moved in or out; a household split, merged
-- into another, or moved to another commune. A household that ends (merged, moved) keeps its rows
-- and its past years where they were and names its successor; a household made by a split or a move
-- names its predecessor (a moved household's past years follow it through that name). Every change
-- is kept, dated, with what it took (the members who left, as they were).
ALTER TABLE household ADD COLUMN ended_on DATE;
ALTER TABLE household ADD COLUMN ended_kind TEXT;
ALTER TABLE household ADD COLUMN successor_id INTEGER REFERENCES household (id);
ALTER TABLE household ADD COLUMN predecessor_id INTEGER REFERENCES household (id);
ALTER TABLE household ADD COLUMN origin_kind TEXT;

CREATE TABLE household_change (
    id INTEGER PRIMARY KEY,
    household_id INTEGER NOT NULL REFERENCES household (id),
    kind TEXT NOT NULL,
    happened_on DATE NOT NULL,
    other_household_id INTEGER REFERENCES household (id),
    document TEXT,
    details TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX household_change_household ON household_change (household_id);
CREATE INDEX household_change_other ON household_change (other_household_id);
