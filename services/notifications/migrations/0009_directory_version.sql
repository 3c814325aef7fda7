-- Issue 14: every milestone reads the whole directory of recipients (the addressing rules run over it). With a few
-- hundred recipients that read cost 15-26 ms per milestone (fetching and converting the rows). A process now keeps
-- the directory it read and reads it again only when this version changed: one row, bumped by every statement that
-- writes `recipients`. The version comes from a sequence, so a rolled-back change leaves a number no committed
-- directory ever has (a process that cached what it saw inside that transaction never serves it to another).
CREATE SEQUENCE directory_versions;

CREATE TABLE directory_version (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    version bigint NOT NULL
);
INSERT INTO directory_version (version) VALUES (nextval('directory_versions'));

-- SET search_path FROM CURRENT: the trigger fires for any writer, also one whose search_path is another schema
-- (tools/bench/preload.py writes every schema's tables by their qualified names).
CREATE FUNCTION directory_changed() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    UPDATE directory_version SET version = nextval('directory_versions');
    RETURN NULL;
END
$$;

CREATE TRIGGER directory_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON recipients
    FOR EACH STATEMENT EXECUTE FUNCTION directory_changed();
