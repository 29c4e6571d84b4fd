-- 0009: rebuttals. An argument may answer an earlier argument of the other side (by its
-- number in the same debate).
ALTER TABLE debate_arguments ADD COLUMN reply_to INTEGER;
