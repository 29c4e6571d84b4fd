-- 0006: the language a debate speaks in its thread (its cards, notices and transcript),
-- fixed when it starts: the server's language then. Older debates spoke English.
ALTER TABLE debates ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
