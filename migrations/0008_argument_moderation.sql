-- 0008: moderating arguments. A redacted argument keeps its place (its number) but not its
-- text; `message_id` is the argument's card in the thread, so a report from its message menu
-- finds it and a redaction can edit it. Reports are one per member per argument. A server may
-- name a channel where reports are posted for its moderators.
ALTER TABLE debate_arguments ADD COLUMN redacted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE debate_arguments ADD COLUMN message_id INTEGER;
CREATE INDEX debate_arguments_message ON debate_arguments (message_id)
    WHERE message_id IS NOT NULL;
CREATE TABLE argument_reports (
    debate_id    INTEGER NOT NULL REFERENCES debates (id) ON DELETE CASCADE,
    seq          INTEGER NOT NULL,
    reporter_id  INTEGER NOT NULL,
    at           REAL NOT NULL,
    PRIMARY KEY (debate_id, seq, reporter_id)
);
ALTER TABLE guild_settings ADD COLUMN report_channel_id INTEGER;
