-- A round's revision goes up with every change to its answers, in the same
-- transaction, so a server can keep a round's combined results and know
-- for certain, from the round's row alone, whether they are still right.
ALTER TABLE readiness_rounds ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;

CREATE FUNCTION readiness_answers_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE readiness_rounds SET revision = revision + 1 WHERE id = OLD.round_id;
    END IF;
    IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.round_id <> OLD.round_id) THEN
        UPDATE readiness_rounds SET revision = revision + 1 WHERE id = NEW.round_id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER readiness_answers_revision AFTER INSERT OR UPDATE OR DELETE ON readiness_answers
FOR EACH ROW EXECUTE FUNCTION readiness_answers_revision();
