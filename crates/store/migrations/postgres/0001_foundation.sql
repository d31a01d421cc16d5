-- People, sessions, tokens, organisations and collaborations.
-- Times are whole seconds since 1970-01-01 UTC.

CREATE TABLE users (
    id BIGSERIAL PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    is_operator BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    acting_organisation_id BIGINT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_expiry ON sessions(expires_at);

CREATE TABLE api_tokens (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE TABLE sign_in_attempts (
    id BIGSERIAL PRIMARY KEY,
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX sign_in_attempts_key ON sign_in_attempts(scope, key, at);

CREATE TABLE password_resets (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);

CREATE TABLE organisations (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    name_lower TEXT COLLATE "C" NOT NULL,
    kind TEXT NOT NULL,
    charity_number TEXT,
    company_number TEXT,
    org_identifier TEXT UNIQUE,
    mission TEXT NOT NULL,
    activities TEXT NOT NULL,
    areas_served TEXT NOT NULL,
    causes TEXT NOT NULL,
    website TEXT,
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX organisations_name ON organisations(name_lower, id);

CREATE TABLE memberships (
    organisation_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    joined_at BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, user_id)
);
CREATE INDEX memberships_user ON memberships(user_id, organisation_id);

CREATE TABLE member_invitations (
    id BIGSERIAL PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    role TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    invited_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    accepted_at BIGINT,
    accepted_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    revoked_at BIGINT
);
CREATE INDEX member_invitations_org ON member_invitations(organisation_id, id);

CREATE TABLE collaborations (
    id BIGSERIAL PRIMARY KEY,
    title TEXT NOT NULL,
    purpose TEXT NOT NULL,
    stage TEXT NOT NULL,
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX collaborations_updated ON collaborations(updated_at, id);

CREATE TABLE participants (
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    joined_at BIGINT NOT NULL,
    PRIMARY KEY (collaboration_id, organisation_id)
);
CREATE INDEX participants_org ON participants(organisation_id, collaboration_id);

CREATE TABLE collaboration_invitations (
    id BIGSERIAL PRIMARY KEY,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    message TEXT NOT NULL,
    status TEXT NOT NULL,
    invited_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    invited_by_organisation_id BIGINT REFERENCES organisations(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    responded_at BIGINT,
    responded_by BIGINT REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX collaboration_invitations_org ON collaboration_invitations(organisation_id, status);
CREATE INDEX collaboration_invitations_collab ON collaboration_invitations(collaboration_id, id);
CREATE UNIQUE INDEX collaboration_invitations_one_pending
    ON collaboration_invitations(collaboration_id, organisation_id) WHERE status = 'pending';

CREATE TABLE audit_events (
    id BIGSERIAL PRIMARY KEY,
    at BIGINT NOT NULL,
    user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    user_name TEXT NOT NULL,
    acting_organisation_id BIGINT REFERENCES organisations(id) ON DELETE SET NULL,
    acting_organisation_name TEXT NOT NULL,
    organisation_id BIGINT REFERENCES organisations(id) ON DELETE CASCADE,
    collaboration_id BIGINT REFERENCES collaborations(id) ON DELETE CASCADE,
    action TEXT NOT NULL,
    summary TEXT NOT NULL
);
CREATE INDEX audit_events_collab ON audit_events(collaboration_id, id);
CREATE INDEX audit_events_org ON audit_events(organisation_id, id);
