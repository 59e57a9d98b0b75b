-- Users of the web application, their sessions, and the audit log.
CREATE TABLE app_user (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    full_name TEXT NOT NULL DEFAULT '',
    -- administrator, provincial_officer, commune_officer, leader, inspector
    role TEXT NOT NULL,
    -- the unit the user works in: a province (2 digits) or a commune (5 digits); NULL is the
    -- whole country (administrators and national inspectors)
    unit_code TEXT,
    password_hash TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TEXT NOT NULL
);

CREATE TABLE user_session (
    -- SHA-256 of the session cookie's token: a copy of the table opens no session
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES app_user (id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX user_session_user ON user_session (user_id);

-- Every change: who, when, which record, before and after (JSON). Append-only: each entry holds
-- the SHA-256 of the one before, and the database refuses updates and deletes.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    user_id INTEGER,
    user_name TEXT NOT NULL,
    action TEXT NOT NULL,
    record TEXT NOT NULL,
    unit_code TEXT,
    before_value TEXT,
    after_value TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_record ON audit_log (record);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
