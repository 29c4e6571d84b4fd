-- 0002: debates and everything needed to resume one after a restart.
-- Times are Unix seconds (REAL, UTC). A live debate is one in lobby, running or paused.

CREATE TABLE debates (
    id               INTEGER PRIMARY KEY,
    guild_id         INTEGER NOT NULL,
    channel_id       INTEGER NOT NULL,      -- where /debate start ran
    thread_id        INTEGER,               -- the debate's own thread
    lobby_message_id INTEGER,               -- the card with the join/vote buttons
    topic_id         TEXT NOT NULL,
    format_id        TEXT NOT NULL,
    phase_seconds    INTEGER,               -- overrides every phase's length when set
    status           TEXT NOT NULL
                     CHECK (status IN ('lobby', 'running', 'paused', 'finished', 'cancelled')),
    phase_index      INTEGER,               -- NULL in the lobby
    deadline         REAL,                  -- absolute, while running
    paused_remaining REAL,                  -- seconds, while paused
    warnings_sent    TEXT NOT NULL DEFAULT '',  -- comma-separated marks (60,10)
    created_by       INTEGER NOT NULL,
    created_at       REAL NOT NULL,
    finished_at      REAL,
    result           TEXT                   -- JSON of core.debate.Result
);
-- One live debate per channel, enforced by the database itself.
CREATE UNIQUE INDEX debates_live_channel ON debates (guild_id, channel_id)
    WHERE status IN ('lobby', 'running', 'paused');
CREATE INDEX debates_live ON debates (status) WHERE status IN ('lobby', 'running', 'paused');
CREATE INDEX debates_guild ON debates (guild_id, id DESC);
CREATE INDEX debates_thread ON debates (thread_id);

CREATE TABLE debate_members (
    debate_id    INTEGER NOT NULL REFERENCES debates (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL,
    side         TEXT CHECK (side IN ('pro', 'con')),  -- NULL: a removed audience member
    joined_at    REAL NOT NULL,
    removed      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (debate_id, user_id)
);

-- Display names as last seen, for transcripts and cards (members may leave the server).
CREATE TABLE debate_names (
    debate_id    INTEGER NOT NULL REFERENCES debates (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL,
    display_name TEXT NOT NULL,
    PRIMARY KEY (debate_id, user_id)
);

-- One row per phase that started: when, its deadline as last set, and when it ended.
CREATE TABLE debate_phases (
    debate_id    INTEGER NOT NULL REFERENCES debates (id) ON DELETE CASCADE,
    phase_index  INTEGER NOT NULL,
    phase_id     TEXT NOT NULL,
    started_at   REAL NOT NULL,
    deadline     REAL,
    ended_at     REAL,
    PRIMARY KEY (debate_id, phase_index)
);

CREATE TABLE debate_arguments (
    debate_id    INTEGER NOT NULL REFERENCES debates (id) ON DELETE CASCADE,
    seq          INTEGER NOT NULL,
    user_id      INTEGER NOT NULL,
    side         TEXT NOT NULL CHECK (side IN ('pro', 'con')),
    phase_id     TEXT NOT NULL,
    text         TEXT NOT NULL,
    posted_at    REAL NOT NULL,
    PRIMARY KEY (debate_id, seq)
);

-- Keyed by (debate, vote phase, member): a double click or a replay never counts twice.
CREATE TABLE debate_votes (
    debate_id    INTEGER NOT NULL REFERENCES debates (id) ON DELETE CASCADE,
    phase_id     TEXT NOT NULL,
    user_id      INTEGER NOT NULL,
    choice       TEXT NOT NULL CHECK (choice IN ('pro', 'con', 'undecided')),
    cast_at      REAL NOT NULL,
    PRIMARY KEY (debate_id, phase_id, user_id)
);

-- Moderator actions: who did what, when.
CREATE TABLE debate_audit (
    id           INTEGER PRIMARY KEY,
    debate_id    INTEGER NOT NULL REFERENCES debates (id) ON DELETE CASCADE,
    actor_id     INTEGER NOT NULL,
    action       TEXT NOT NULL,
    detail       TEXT NOT NULL DEFAULT '',
    at           REAL NOT NULL
);
CREATE INDEX debate_audit_debate ON debate_audit (debate_id, id);

-- Announcements committed with the state change that caused them, deleted once posted,
-- so a crash between the two re-posts on restart instead of losing the announcement.
CREATE TABLE debate_outbox (
    id           INTEGER PRIMARY KEY,
    debate_id    INTEGER NOT NULL REFERENCES debates (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    payload      TEXT NOT NULL,        -- JSON
    created_at   REAL NOT NULL
);
