-- 0001 for PostgreSQL: per-guild settings (see 0001_initial.sql). Discord ids are BIGINT.
CREATE TABLE guild_settings (
    guild_id          BIGINT PRIMARY KEY,
    moderator_role_id BIGINT,
    updated_at        TEXT NOT NULL
);
