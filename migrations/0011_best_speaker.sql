-- 0011: best speaker. In the closing vote the audience names the debater who argued best
-- (one choice each); the one named by the most (at least two) scores. A new event kind, so
-- the log's CHECK is widened (SQLite rebuilds the table to change a CHECK), and a counter
-- of best-speaker awards beside the others.
CREATE TABLE debate_speaker_votes (
    debate_id    INTEGER NOT NULL REFERENCES debates (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL,
    speaker_id   INTEGER NOT NULL,
    cast_at      REAL NOT NULL,
    PRIMARY KEY (debate_id, user_id)
);

CREATE TABLE participation_events_0011 (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('debate_joined', 'argument_posted',
                                                 'vote_cast', 'debate_won',
                                                 'debate_moderated', 'best_speaker')),
    debate_id   INTEGER,
    topic_id    TEXT,
    points      INTEGER NOT NULL CHECK (points BETWEEN 0 AND 100),
    at          REAL    NOT NULL,
    source_key  TEXT    NOT NULL CHECK (length(source_key) BETWEEN 1 AND 200),
    UNIQUE (guild_id, source_key)
);
INSERT INTO participation_events_0011 SELECT * FROM participation_events;
DROP TABLE participation_events;
ALTER TABLE participation_events_0011 RENAME TO participation_events;
CREATE INDEX participation_events_member ON participation_events (guild_id, user_id);

ALTER TABLE member_counters ADD COLUMN best_speaker INTEGER NOT NULL DEFAULT 0;
ALTER TABLE member_topic_counters ADD COLUMN best_speaker INTEGER NOT NULL DEFAULT 0;
