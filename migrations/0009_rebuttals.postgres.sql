-- 0009 for PostgreSQL (see 0009_rebuttals.sql).
ALTER TABLE debate_arguments ADD COLUMN reply_to INTEGER;
