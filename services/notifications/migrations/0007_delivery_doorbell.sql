-- Wake the delivery loops when a transaction that queued a mail, or finished one (the next mail to the same
-- recipient about the same participant may go now: mails keep their order), commits. Their poll is the fallback.
CREATE FUNCTION deliveries_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify(TG_TABLE_SCHEMA || '_deliveries', '');
    RETURN NULL;
END $$;
CREATE TRIGGER deliveries_notify AFTER INSERT OR UPDATE OF status ON deliveries
    FOR EACH STATEMENT EXECUTE FUNCTION deliveries_notify();
