-- 0007: how a member is told it is their turn to speak. No row: mentioned in the phase
-- card (the default); 'off': not alerted.
CREATE TABLE member_alerts (
    user_id    INTEGER PRIMARY KEY,
    mode       TEXT NOT NULL CHECK (mode IN ('mention', 'off')),
    updated_at TEXT NOT NULL
);
