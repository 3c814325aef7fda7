-- A milestone is addressed once its recipients are decided (mails queued, non-mails recorded); addressed_at is NULL
-- while it is parked until the participant is known. ("Routing" is left to the pipeline: message -> use case.)
ALTER TABLE milestones RENAME COLUMN routed_at TO addressed_at;
