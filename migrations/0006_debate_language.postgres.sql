-- 0006 for PostgreSQL (see 0006_debate_language.sql).
ALTER TABLE debates ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
