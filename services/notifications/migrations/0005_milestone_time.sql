-- When each milestone happened by its event's `ce_time`: recruitment's facts (an organisation involved, a lead handed
-- over) and the other stages' milestones come on different topics, so a milestone may be addressed before this stage
-- has read an involvement that came first; the involvement then catches the milestones after it up. NULL for
-- milestones kept before.
ALTER TABLE milestones ADD COLUMN occurred_at timestamptz;
CREATE INDEX milestones_occurred ON milestones (participant_id, occurred_at) WHERE occurred_at IS NOT NULL;
