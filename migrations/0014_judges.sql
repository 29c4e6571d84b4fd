-- 0014: judges. A moderator may name judges for a debate; their ballots, cast in the
-- closing vote, then decide the winner (Tabbycat-style) instead of the audience's vote.
CREATE TABLE debate_judges (
    debate_id    INTEGER NOT NULL REFERENCES debates (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL,
    named_at     REAL NOT NULL,
    PRIMARY KEY (debate_id, user_id)
);
CREATE TABLE debate_ballots (
    debate_id    INTEGER NOT NULL REFERENCES debates (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL,
    side         TEXT NOT NULL CHECK (side IN ('pro', 'con')),
    cast_at      REAL NOT NULL,
    PRIMARY KEY (debate_id, user_id)
);
