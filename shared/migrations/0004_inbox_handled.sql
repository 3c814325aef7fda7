-- The inbox purge (shared/inbox.py InboxPurge) deletes the rows handled before the retention: this index finds them
-- without reading the whole table, and keeps the purge's cost proportional to what it deletes. (It also serves the
-- bench's reporting lag, which reads the rows handled since a run began.) Built once over the whole history a
-- deployment's inbox holds before its first purge, while that table is write-locked.
CREATE INDEX inbox_handled ON inbox (handled_at);
