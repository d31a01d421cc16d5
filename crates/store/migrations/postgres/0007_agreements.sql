-- The Plan stage's shared aims and the agreement builder.

-- Goes up whenever a lead or partner organisation joins, leaves or changes
-- role. Approvals record it, so a change of parties reopens approval.
ALTER TABLE collaborations ADD COLUMN parties_epoch BIGINT NOT NULL DEFAULT 0;

-- The shared aims of a collaboration. Each may point at a benefit the
-- partners recorded in Identify (benefits_risks of kind 'benefit').
CREATE TABLE aims (
    id BIGSERIAL PRIMARY KEY,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    benefit_id BIGINT REFERENCES benefits_risks(id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    indicator TEXT NOT NULL,
    baseline TEXT NOT NULL,
    target TEXT NOT NULL,
    target_date TEXT,
    version BIGINT NOT NULL,
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX aims_collaboration ON aims(collaboration_id, id);

-- The set of aims as a whole: its version goes up with every change to any
-- aim, and approvals are of one version of the set.
CREATE TABLE aim_sets (
    collaboration_id BIGINT PRIMARY KEY REFERENCES collaborations(id) ON DELETE CASCADE,
    version BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- An organisation's approval of one version of the set of aims, at the
-- collaboration's parties_epoch then: when either moves on, it no longer counts.
CREATE TABLE aim_approvals (
    id BIGSERIAL PRIMARY KEY,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    organisation_name TEXT NOT NULL,
    version BIGINT NOT NULL,
    parties_epoch BIGINT NOT NULL,
    approved_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    approved_by_name TEXT NOT NULL,
    approved_at BIGINT NOT NULL
);
CREATE INDEX aim_approvals_collaboration ON aim_approvals(collaboration_id, organisation_id, id);

-- An agreement between the partners, built from sections. version goes up
-- by one with every saved change; content_hash is the SHA-256 of the
-- current text of every section.
CREATE TABLE agreements (
    id BIGSERIAL PRIMARY KEY,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    version BIGINT NOT NULL,
    content_hash TEXT NOT NULL,
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX agreements_collaboration ON agreements(collaboration_id, id);

-- The current text of each section, and the version it last changed in.
CREATE TABLE agreement_sections (
    agreement_id BIGINT NOT NULL REFERENCES agreements(id) ON DELETE CASCADE,
    section_key TEXT NOT NULL,
    position BIGINT NOT NULL,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    version BIGINT NOT NULL,
    PRIMARY KEY (agreement_id, section_key)
);

-- Every version: who saved it, when, and its content hash. section_key is
-- the section changed, NULL for the first version (every section).
CREATE TABLE agreement_versions (
    agreement_id BIGINT NOT NULL REFERENCES agreements(id) ON DELETE CASCADE,
    version BIGINT NOT NULL,
    section_key TEXT,
    content_hash TEXT NOT NULL,
    saved_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    saved_by_name TEXT NOT NULL,
    saved_at BIGINT NOT NULL,
    PRIMARY KEY (agreement_id, version)
);

-- What changed: the text a section took in a version. The text of any
-- section at version v is its revision with the highest version <= v, so
-- a save writes one row, however many versions there are.
CREATE TABLE agreement_revisions (
    agreement_id BIGINT NOT NULL REFERENCES agreements(id) ON DELETE CASCADE,
    section_key TEXT NOT NULL,
    version BIGINT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (agreement_id, section_key, version)
);

-- An organisation's approval of one version (with its content hash).
-- parties_epoch as in aim_approvals.
CREATE TABLE agreement_approvals (
    id BIGSERIAL PRIMARY KEY,
    agreement_id BIGINT NOT NULL REFERENCES agreements(id) ON DELETE CASCADE,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    organisation_name TEXT NOT NULL,
    version BIGINT NOT NULL,
    content_hash TEXT NOT NULL,
    parties_epoch BIGINT NOT NULL,
    approved_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    approved_by_name TEXT NOT NULL,
    approved_at BIGINT NOT NULL
);
CREATE INDEX agreement_approvals_agreement ON agreement_approvals(agreement_id, organisation_id, id);

-- Comments on a section, with the version they were written against.
CREATE TABLE agreement_comments (
    id BIGSERIAL PRIMARY KEY,
    agreement_id BIGINT NOT NULL REFERENCES agreements(id) ON DELETE CASCADE,
    section_key TEXT NOT NULL,
    version BIGINT NOT NULL,
    body TEXT NOT NULL,
    organisation_name TEXT NOT NULL,
    written_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    written_by_name TEXT NOT NULL,
    written_at BIGINT NOT NULL
);
CREATE INDEX agreement_comments_agreement ON agreement_comments(agreement_id, section_key, id);
