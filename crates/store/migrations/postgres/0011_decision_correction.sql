-- A decision that corrects an earlier one says why; a certificate the correction withdraws names
-- the decision that withdrew it (it is kept, never deleted).
ALTER TABLE review_decision ADD COLUMN reason TEXT;
ALTER TABLE certificate ADD COLUMN revoked_by INTEGER REFERENCES review_decision (id);
