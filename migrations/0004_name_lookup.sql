-- Leaderboards show members by the display name they last debated under: find a member's
-- names without scanning every debate's names.
CREATE INDEX debate_names_by_user ON debate_names (user_id, debate_id);
