-- A round's revision goes up with every change to its answers, in the same
-- transaction, so a server can keep a round's combined results and know
-- for certain, from the round's row alone, whether they are still right.
ALTER TABLE readiness_rounds ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;

CREATE TRIGGER readiness_answers_revision_insert AFTER INSERT ON readiness_answers
BEGIN
    UPDATE readiness_rounds SET revision = revision + 1 WHERE id = NEW.round_id;
END;

CREATE TRIGGER readiness_answers_revision_update AFTER UPDATE ON readiness_answers
BEGIN
    UPDATE readiness_rounds SET revision = revision + 1 WHERE id IN (OLD.round_id, NEW.round_id);
END;

CREATE TRIGGER readiness_answers_revision_delete AFTER DELETE ON readiness_answers
BEGIN
    UPDATE readiness_rounds SET revision = revision + 1 WHERE id = OLD.round_id;
END;
