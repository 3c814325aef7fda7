-- A due date whose handler fails with an error that is not an outage is set aside with the error, so it cannot
-- stop the sweep (and every other due date) for good.
ALTER TABLE timers ADD COLUMN failure text;
