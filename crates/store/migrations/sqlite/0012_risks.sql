-- The Implement stage's risk register: risks and key challenges of one
-- collaboration, each rated for likelihood and impact (1 to 5), with an
-- owner, a mitigation, a review date (YYYY-MM-DD as text) and a status.
-- score is likelihood times impact, kept so the list sorts and filters by
-- it through an index. source is where a suggested risk came from
-- ('identify:<id>' or 'common:<code>'); it is unique in the collaboration
-- so a suggestion is added once only, even by two people at once.
-- version counts the changes, so a change based on an older one is refused.
CREATE TABLE risks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    category TEXT NOT NULL,
    likelihood BIGINT NOT NULL CHECK (likelihood >= 1 AND likelihood <= 5),
    impact BIGINT NOT NULL CHECK (impact >= 1 AND impact <= 5),
    score BIGINT NOT NULL,
    owner_organisation_id BIGINT REFERENCES organisations(id) ON DELETE SET NULL,
    owner_person_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    mitigation TEXT NOT NULL,
    review_on TEXT,
    status TEXT NOT NULL,
    source TEXT,
    version BIGINT NOT NULL,
    updated_by_name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX risks_source ON risks(collaboration_id, source);
CREATE INDEX risks_collab_score ON risks(collaboration_id, score, id);
CREATE INDEX risks_collab_status ON risks(collaboration_id, status, score);
CREATE INDEX risks_collab_owner ON risks(collaboration_id, owner_organisation_id, score);
CREATE INDEX risks_collab_review ON risks(collaboration_id, review_on);

-- Every change of a risk's likelihood or impact: who, when, from and to.
CREATE TABLE risk_score_changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    risk_id BIGINT NOT NULL REFERENCES risks(id) ON DELETE CASCADE,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    changed_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    changed_by_name TEXT NOT NULL,
    changed_at BIGINT NOT NULL,
    from_likelihood BIGINT NOT NULL,
    from_impact BIGINT NOT NULL,
    to_likelihood BIGINT NOT NULL,
    to_impact BIGINT NOT NULL
);
CREATE INDEX risk_score_changes_risk ON risk_score_changes(risk_id, id);
CREATE INDEX risk_score_changes_collab ON risk_score_changes(collaboration_id);
