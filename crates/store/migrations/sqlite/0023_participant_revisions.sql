-- "My tasks" is kept per person by the revision of every collaboration
-- their organisations take part in. Reading those revisions from the
-- collaborations table meant one lookup per collaboration (about 200 for
-- a busy council for voluntary service); reading them from an index on
-- participants, by organisation, is one short range per organisation.
--
-- Each participant row carries its collaboration's revision. Two triggers
-- keep the copy exact, as 0002 does for updated_at: a new participant
-- starts with the collaboration's revision, and every change of a
-- collaboration's revision is copied to its participants, whichever
-- statement makes it (the audit triggers of 0014, in the same
-- transaction).

ALTER TABLE participants ADD COLUMN collab_revision BIGINT NOT NULL DEFAULT 0;

UPDATE participants SET collab_revision =
    (SELECT c.revision FROM collaborations c WHERE c.id = participants.collaboration_id);

-- Replaces participants_org (organisation_id, collaboration_id): the same
-- order, with the revision beside it, so the read needs no visit to the
-- table.
CREATE INDEX participants_org_revision
    ON participants(organisation_id, collaboration_id, collab_revision);
DROP INDEX participants_org;

CREATE TRIGGER participants_start_revision AFTER INSERT ON participants
BEGIN
    UPDATE participants SET collab_revision =
        (SELECT c.revision FROM collaborations c WHERE c.id = NEW.collaboration_id)
    WHERE collaboration_id = NEW.collaboration_id AND organisation_id = NEW.organisation_id;
END;

CREATE TRIGGER participants_follow_revision AFTER UPDATE OF revision ON collaborations
WHEN NEW.revision <> OLD.revision
BEGIN
    UPDATE participants SET collab_revision = NEW.revision WHERE collaboration_id = NEW.id;
END;
