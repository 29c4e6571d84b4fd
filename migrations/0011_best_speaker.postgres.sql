-- 0011 for PostgreSQL (see 0011_best_speaker.sql).
CREATE TABLE debate_speaker_votes (
    debate_id    BIGINT NOT NULL REFERENCES debates (id) ON DELETE CASCADE,
    user_id      BIGINT NOT NULL,
    speaker_id   BIGINT NOT NULL,
    cast_at      DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (debate_id, user_id)
);
ALTER TABLE participation_events DROP CONSTRAINT participation_events_kind_check;
ALTER TABLE participation_events ADD CONSTRAINT participation_events_kind_check
    CHECK (kind IN ('debate_joined', 'argument_posted', 'vote_cast', 'debate_won',
                    'debate_moderated', 'best_speaker'));
ALTER TABLE member_counters ADD COLUMN best_speaker INTEGER NOT NULL DEFAULT 0;
ALTER TABLE member_topic_counters ADD COLUMN best_speaker INTEGER NOT NULL DEFAULT 0;
