-- A province's communes in code order, so that its household list is read in order and stops
-- at the page (without it the whole province's households are sorted for every page).
CREATE INDEX commune_province_code ON commune (province_code, code);
