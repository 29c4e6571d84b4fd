-- 0010: scheduled debates. Each is a Discord scheduled event too (`event_id`); the bot
-- reminds before `starts_at` and starts the debate at it (late within a grace period if it
-- was down then). `weekly` ones schedule the next week's when they start.
CREATE TABLE debate_schedules (
    id            INTEGER PRIMARY KEY,
    guild_id      INTEGER NOT NULL,
    channel_id    INTEGER NOT NULL,
    topic_id      TEXT NOT NULL,
    format_id     TEXT NOT NULL,
    phase_seconds INTEGER,
    starts_at     REAL NOT NULL,
    weekly        INTEGER NOT NULL DEFAULT 0,
    event_id      INTEGER,
    language      TEXT NOT NULL DEFAULT 'en',
    status        TEXT NOT NULL DEFAULT 'scheduled'
                  CHECK (status IN ('scheduled', 'reminded', 'started', 'cancelled', 'missed')),
    debate_id     INTEGER,
    created_by    INTEGER NOT NULL,
    created_at    REAL NOT NULL
);
CREATE INDEX debate_schedules_pending ON debate_schedules (starts_at)
    WHERE status IN ('scheduled', 'reminded');
CREATE INDEX debate_schedules_guild ON debate_schedules (guild_id, starts_at);
