-- Issue 14: a digest tells the urgent milestones its recipient was mailed about at once (digest_store.entries). Found
-- by recipient alone, that read every mail the recipient ever got: 608 ms for one organisation's mailbox after
-- 1,000,000 preloaded journeys (tools/bench/preload.py), growing with the history. With the milestone in the key only
-- the urgent ones are read (0.1 ms). It replaces the index by recipient, whose other users (cancel_pending_to) it
-- serves as well, so that recording a mail keeps the same number of indexes to update.
-- Building it write-locks `deliveries` for as long as it takes (80 s for 23 million mails on the bench machine).
DROP INDEX deliveries_of_recipient;
CREATE INDEX deliveries_of_recipient ON deliveries (recipient_id, milestone, recorded_at);
