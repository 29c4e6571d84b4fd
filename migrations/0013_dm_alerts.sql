-- 0013: turn alerts by DM, for members who ask for them ('dm'). SQLite rebuilds the table to
-- widen its CHECK.
CREATE TABLE member_alerts_0013 (
    user_id    INTEGER PRIMARY KEY,
    mode       TEXT NOT NULL CHECK (mode IN ('mention', 'dm', 'off')),
    updated_at TEXT NOT NULL
);
INSERT INTO member_alerts_0013 SELECT user_id, mode, updated_at FROM member_alerts;
DROP TABLE member_alerts;
ALTER TABLE member_alerts_0013 RENAME TO member_alerts;
