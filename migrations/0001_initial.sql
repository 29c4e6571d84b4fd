-- 0001: per-guild settings.
-- moderator_role_id: members with this role steer debates, in addition to those with
-- the Manage Threads permission.
CREATE TABLE guild_settings (
    guild_id          INTEGER PRIMARY KEY,
    moderator_role_id INTEGER,
    updated_at        TEXT NOT NULL
);
