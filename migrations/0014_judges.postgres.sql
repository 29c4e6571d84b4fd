-- 0014 for PostgreSQL (see 0014_judges.sql).
CREATE TABLE debate_judges (
    debate_id    BIGINT NOT NULL REFERENCES debates (id) ON DELETE CASCADE,
    user_id      BIGINT NOT NULL,
    named_at     DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (debate_id, user_id)
);
CREATE TABLE debate_ballots (
    debate_id    BIGINT NOT NULL REFERENCES debates (id) ON DELETE CASCADE,
    user_id      BIGINT NOT NULL,
    side         TEXT NOT NULL CHECK (side IN ('pro', 'con')),
    cast_at      DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (debate_id, user_id)
);
