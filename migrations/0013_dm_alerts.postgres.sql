-- 0013 for PostgreSQL (see 0013_dm_alerts.sql).
ALTER TABLE member_alerts DROP CONSTRAINT member_alerts_mode_check;
ALTER TABLE member_alerts ADD CONSTRAINT member_alerts_mode_check
    CHECK (mode IN ('mention', 'dm', 'off'));
