-- 0015: public web pages (debate archive, leaderboards) per server; off unless its admins
-- turn them on with /settings web-pages.
ALTER TABLE guild_settings ADD COLUMN web_pages INTEGER NOT NULL DEFAULT 0;
