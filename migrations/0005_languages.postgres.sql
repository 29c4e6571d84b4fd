-- 0005 for PostgreSQL (see 0005_languages.sql). Discord ids are BIGINT.
ALTER TABLE guild_settings ADD COLUMN language TEXT;
CREATE TABLE member_languages (
    user_id    BIGINT PRIMARY KEY,
    language   TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
