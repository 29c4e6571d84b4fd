-- 0008 for PostgreSQL (see 0008_argument_moderation.sql). Discord ids are BIGINT.
ALTER TABLE debate_arguments ADD COLUMN redacted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE debate_arguments ADD COLUMN message_id BIGINT;
CREATE INDEX debate_arguments_message ON debate_arguments (message_id)
    WHERE message_id IS NOT NULL;
CREATE TABLE argument_reports (
    debate_id    BIGINT NOT NULL REFERENCES debates (id) ON DELETE CASCADE,
    seq          INTEGER NOT NULL,
    reporter_id  BIGINT NOT NULL,
    at           DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (debate_id, seq, reporter_id)
);
ALTER TABLE guild_settings ADD COLUMN report_channel_id BIGINT;
