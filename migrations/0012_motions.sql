-- 0012: motions a server writes itself. Members propose, moderators approve (or reject, or
-- write one approved at once); an approved motion is debated as topic "motion:<id>".
CREATE TABLE guild_motions (
    id           INTEGER PRIMARY KEY,
    guild_id     INTEGER NOT NULL,
    text         TEXT NOT NULL,
    framing      TEXT,
    status       TEXT NOT NULL CHECK (status IN ('proposed', 'approved', 'rejected')),
    proposed_by  INTEGER NOT NULL,
    decided_by   INTEGER,
    created_at   REAL NOT NULL
);
CREATE INDEX guild_motions_guild ON guild_motions (guild_id, status, id);
