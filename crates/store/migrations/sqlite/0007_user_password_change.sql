-- A password set for a user by someone else (a reset) is to be changed by the user at their next
-- login, so that nobody but the user keeps knowing it.
ALTER TABLE app_user ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;
