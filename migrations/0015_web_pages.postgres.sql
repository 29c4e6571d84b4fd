-- 0015 for PostgreSQL (see 0015_web_pages.sql): the same statement.
ALTER TABLE guild_settings ADD COLUMN web_pages INTEGER NOT NULL DEFAULT 0;
