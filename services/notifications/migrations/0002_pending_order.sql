-- A mail waits while an earlier one about the same participant to the same recipient is pending
-- (delivery_store.claim_due): one index probe per candidate instead of a walk through the participant's history.
CREATE INDEX deliveries_pending_in_order ON deliveries (participant_id, recipient_id, seq) WHERE status = 'pending';
