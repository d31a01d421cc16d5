-- Every write records an audit entry in its own transaction. These
-- revisions go up with each entry, in that same transaction, so a server
-- can keep what it worked out from a collaboration's content (the stage
-- checklists) and know from two numbers whether it is still right: the
-- collaboration's revision and the sum of its organisations' revisions
-- (both only ever go up). Counters rather than the newest entry's id,
-- because ids from a sequence can become visible out of order.
ALTER TABLE collaborations ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;
ALTER TABLE organisations ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;

CREATE FUNCTION audit_events_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.collaboration_id IS NOT NULL THEN
        UPDATE collaborations SET revision = revision + 1 WHERE id = NEW.collaboration_id;
    END IF;
    IF NEW.organisation_id IS NOT NULL THEN
        UPDATE organisations SET revision = revision + 1 WHERE id = NEW.organisation_id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER audit_events_revision AFTER INSERT ON audit_events
FOR EACH ROW EXECUTE FUNCTION audit_events_revision();
