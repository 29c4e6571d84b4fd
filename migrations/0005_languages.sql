-- 0005: the language Rostrum speaks. A server's choice (NULL: follow its Discord language)
-- and a member's own (no row: follow their Discord app's language).
ALTER TABLE guild_settings ADD COLUMN language TEXT;
CREATE TABLE member_languages (
    user_id    INTEGER PRIMARY KEY,
    language   TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
