-- A household's page lists its cases in every review: found by the household.
CREATE INDEX review_case_household ON review_case (household_id);
