-- 0007 for PostgreSQL (see 0007_turn_alerts.sql). Discord ids are BIGINT.
CREATE TABLE member_alerts (
    user_id    BIGINT PRIMARY KEY,
    mode       TEXT NOT NULL CHECK (mode IN ('mention', 'off')),
    updated_at TEXT NOT NULL
);
