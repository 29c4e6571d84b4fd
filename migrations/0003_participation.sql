-- 0003: participation log, leaderboard counters and privacy opt-outs.
-- Stands alone: debate ids are plain integers (no foreign key into the debate tables), so
-- this file does not depend on 0002.

-- One row per scored act. `source_key` names the act (e.g. "argument:123",
-- "debate:7:vote:42"); UNIQUE (guild_id, source_key) makes a retried or replayed act a no-op.
-- `at` is Unix seconds (UTC); the counters bucket it into ISO week / month / all time.
CREATE TABLE participation_events (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('debate_joined', 'argument_posted',
                                                 'vote_cast', 'debate_won',
                                                 'debate_moderated')),
    debate_id   INTEGER,
    topic_id    TEXT,
    points      INTEGER NOT NULL CHECK (points BETWEEN 0 AND 100),
    at          REAL    NOT NULL,
    source_key  TEXT    NOT NULL CHECK (length(source_key) BETWEEN 1 AND 200),
    UNIQUE (guild_id, source_key)
);
-- forget-me and per-member audits.
CREATE INDEX participation_events_member ON participation_events (guild_id, user_id);

-- Aggregates per (guild, member, period); period is "2026-W48", "2026-11" or "all".
-- Updated in the same transaction as the events they count. `hidden` = 1 while the member
-- has opted out: the rows stay (opt-in brings them back) but no board or rank sees them.
CREATE TABLE member_counters (
    guild_id        INTEGER NOT NULL,
    user_id         INTEGER NOT NULL,
    period          TEXT    NOT NULL,
    points          INTEGER NOT NULL DEFAULT 0,
    debates_joined  INTEGER NOT NULL DEFAULT 0,
    arguments       INTEGER NOT NULL DEFAULT 0,
    votes           INTEGER NOT NULL DEFAULT 0,
    wins            INTEGER NOT NULL DEFAULT 0,
    moderated       INTEGER NOT NULL DEFAULT 0,
    last_active     REAL    NOT NULL,
    hidden          INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
    PRIMARY KEY (guild_id, user_id, period)
) WITHOUT ROWID;
-- The leaderboard read: one guild's period in points order, ties by user id. Covering
-- (`hidden` is listed, though always 0 here, so the planner need not visit the table).
CREATE INDEX member_counters_board
    ON member_counters (guild_id, period, points DESC, user_id, arguments, wins, hidden)
    WHERE hidden = 0;

-- The same per topic (topic ids are the content pack's slugs).
CREATE TABLE member_topic_counters (
    guild_id        INTEGER NOT NULL,
    user_id         INTEGER NOT NULL,
    period          TEXT    NOT NULL,
    topic_id        TEXT    NOT NULL,
    points          INTEGER NOT NULL DEFAULT 0,
    debates_joined  INTEGER NOT NULL DEFAULT 0,
    arguments       INTEGER NOT NULL DEFAULT 0,
    votes           INTEGER NOT NULL DEFAULT 0,
    wins            INTEGER NOT NULL DEFAULT 0,
    moderated       INTEGER NOT NULL DEFAULT 0,
    last_active     REAL    NOT NULL,
    hidden          INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
    PRIMARY KEY (guild_id, user_id, period, topic_id)
) WITHOUT ROWID;
CREATE INDEX member_topic_counters_board
    ON member_topic_counters (guild_id, topic_id, period, points DESC, user_id, arguments,
                              wins, hidden)
    WHERE hidden = 0;

-- Leaderboard buckets: how many visible members of a board sit on each points value. A
-- rank is 1 + the members in higher buckets and a page's start is found by summing buckets,
-- so ranks, totals and deep pages cost O(distinct point values), not O(members). Kept in the
-- same transactions as the counters (hidden rows are not counted).
CREATE TABLE board_buckets (
    guild_id  INTEGER NOT NULL,
    period    TEXT    NOT NULL,
    points    INTEGER NOT NULL,
    members   INTEGER NOT NULL CHECK (members >= 0),
    PRIMARY KEY (guild_id, period, points DESC)
) WITHOUT ROWID;

CREATE TABLE topic_board_buckets (
    guild_id  INTEGER NOT NULL,
    topic_id  TEXT    NOT NULL,
    period    TEXT    NOT NULL,
    points    INTEGER NOT NULL,
    members   INTEGER NOT NULL CHECK (members >= 0),
    PRIMARY KEY (guild_id, topic_id, period, points DESC)
) WITHOUT ROWID;

-- Members who asked not to be counted in a guild. They still debate; nothing is logged for
-- them and their counters are hidden while the row exists.
CREATE TABLE privacy_opt_outs (
    guild_id      INTEGER NOT NULL,
    user_id       INTEGER NOT NULL,
    opted_out_at  REAL    NOT NULL,
    PRIMARY KEY (guild_id, user_id)
) WITHOUT ROWID;
