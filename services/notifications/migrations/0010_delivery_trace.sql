-- Issue 16: a mail is sent later than the milestone that queued it, by the delivery worker. The trace context of
-- that handling (W3C traceparent and tracestate, shared/tracing.py) is kept with the row, so the mail's span joins
-- the trace of the partner's command it goes back to. NULL: nothing was traced (a digest starts its own trace).
ALTER TABLE deliveries ADD COLUMN traceparent text, ADD COLUMN tracestate text;
