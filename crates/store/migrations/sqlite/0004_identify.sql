-- The Identify stage: the readiness check, each organisation's own goals,
-- the strategic environment (SWOT and PESTLE), benefits and risks, and the
-- shortlist of possible partners.

-- The readiness check's questionnaire. Rows come only from migrations, each
-- version with its own ids, so ids are given, not generated.
CREATE TABLE readiness_instruments (
    id BIGINT PRIMARY KEY,
    version INTEGER NOT NULL UNIQUE,
    title TEXT NOT NULL
);

CREATE TABLE readiness_groups (
    id BIGINT PRIMARY KEY,
    instrument_id BIGINT NOT NULL REFERENCES readiness_instruments(id),
    position INTEGER NOT NULL,
    code TEXT NOT NULL,
    label TEXT NOT NULL,
    UNIQUE (instrument_id, code)
);

CREATE TABLE readiness_factors (
    id BIGINT PRIMARY KEY,
    group_id BIGINT NOT NULL REFERENCES readiness_groups(id),
    position INTEGER NOT NULL,
    code TEXT NOT NULL,
    label TEXT NOT NULL,
    advice TEXT NOT NULL
);
CREATE INDEX readiness_factors_group ON readiness_factors(group_id, position);

CREATE TABLE readiness_statements (
    id BIGINT PRIMARY KEY,
    factor_id BIGINT NOT NULL REFERENCES readiness_factors(id),
    position INTEGER NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX readiness_statements_factor ON readiness_statements(factor_id, position);

-- Each time a collaboration takes the check. The latest round is the one
-- people answer; earlier ones are kept to compare.
CREATE TABLE readiness_rounds (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    instrument_id BIGINT NOT NULL REFERENCES readiness_instruments(id),
    opened_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    opened_at BIGINT NOT NULL,
    UNIQUE (collaboration_id, number)
);

-- One person's answer to one statement in one round. value is 1..5, or
-- NULL for "don't know". Only aggregates of these are ever shown to others.
CREATE TABLE readiness_answers (
    round_id BIGINT NOT NULL REFERENCES readiness_rounds(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    statement_id BIGINT NOT NULL REFERENCES readiness_statements(id),
    organisation_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    value INTEGER,
    answered_at BIGINT NOT NULL,
    PRIMARY KEY (round_id, user_id, statement_id),
    CHECK (value IS NULL OR (value >= 1 AND value <= 5))
);

-- An organisation's own goals for collaborating, each tied to one of the
-- four benefits. collaboration_id is NULL for goals that are the
-- organisation's in general.
CREATE TABLE goals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    collaboration_id BIGINT REFERENCES collaborations(id) ON DELETE CASCADE,
    benefit TEXT NOT NULL,
    title TEXT NOT NULL,
    detail TEXT NOT NULL,
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX goals_organisation ON goals(organisation_id, id);
CREATE INDEX goals_collaboration ON goals(collaboration_id, id);

-- SWOT and PESTLE items for a collaboration.
CREATE TABLE environment_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    framework TEXT NOT NULL,
    category TEXT NOT NULL,
    text TEXT NOT NULL,
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX environment_items_collaboration ON environment_items(collaboration_id, framework, category, id);

-- Benefits and risks of collaborating, picked from the catalogue
-- (catalogue_code) or written by the partners, each rated.
CREATE TABLE benefits_risks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    catalogue_code TEXT,
    title TEXT NOT NULL,
    likelihood INTEGER NOT NULL CHECK (likelihood >= 1 AND likelihood <= 5),
    impact INTEGER NOT NULL CHECK (impact >= 1 AND impact <= 5),
    owner_organisation_id BIGINT REFERENCES organisations(id) ON DELETE SET NULL,
    note TEXT NOT NULL,
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX benefits_risks_collaboration ON benefits_risks(collaboration_id, kind, id);

-- Possible partners a collaboration has found, and how approaching each is
-- going. entry_key is the org-id (GB-CHC-…) when there is one, otherwise
-- ORG-<organisation id>, so one body is shortlisted once.
CREATE TABLE shortlist_entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    entry_key TEXT NOT NULL,
    org_identifier TEXT,
    organisation_id BIGINT REFERENCES organisations(id) ON DELETE SET NULL,
    name TEXT NOT NULL,
    status TEXT NOT NULL,
    added_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    added_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (collaboration_id, entry_key)
);

CREATE TABLE shortlist_notes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    entry_id BIGINT NOT NULL REFERENCES shortlist_entries(id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    note TEXT NOT NULL,
    written_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    written_by_name TEXT NOT NULL,
    written_at BIGINT NOT NULL
);
CREATE INDEX shortlist_notes_entry ON shortlist_notes(entry_id, id);

-- Version 1 of the readiness check: its groups, factors and statements are
-- data. A revised check is a new version with new rows; answers keep
-- pointing at the statements they answered, so revising never re-labels them.
INSERT INTO readiness_instruments (id, version, title) VALUES (1, 1, 'Should we collaborate? Readiness check');
INSERT INTO readiness_groups (id, instrument_id, position, code, label) VALUES (1, 1, 1, 'environment', 'Environment');
INSERT INTO readiness_factors (id, group_id, position, code, label, advice) VALUES (1, 1, 1, 'history', 'History of working together', 'Start small. A joint event or one shared piece of work shows how you each work before you commit more.');
INSERT INTO readiness_statements (id, factor_id, position, text) VALUES (1, 1, 1, 'Our organisations have worked together before, and it went well.');
INSERT INTO readiness_statements (id, factor_id, position, text) VALUES (2, 1, 2, 'Organisations in our area are used to working together on shared issues.');
INSERT INTO readiness_factors (id, group_id, position, code, label, advice) VALUES (2, 1, 2, 'legitimacy', 'Seen as the right people to lead', 'Ask the people you serve, funders and the council how they see a joint approach. Involve voices they trust.');
INSERT INTO readiness_statements (id, factor_id, position, text) VALUES (3, 2, 1, 'People in our community would see us as the right organisations to take this on.');
INSERT INTO readiness_factors (id, group_id, position, code, label, advice) VALUES (3, 1, 3, 'climate', 'Political and social climate', 'List who has influence over this issue and what they want. Time the start for when funders and decision-makers will back it.');
INSERT INTO readiness_statements (id, factor_id, position, text) VALUES (4, 3, 1, 'Funders, the council and other decision-makers would support us working together on this.');
INSERT INTO readiness_statements (id, factor_id, position, text) VALUES (5, 3, 2, 'The timing is right: local conditions favour a joint approach now.');
INSERT INTO readiness_groups (id, instrument_id, position, code, label) VALUES (2, 1, 2, 'membership', 'Membership');
INSERT INTO readiness_factors (id, group_id, position, code, label, advice) VALUES (4, 2, 1, 'trust', 'Mutual respect, understanding and trust', 'Spend time together before the hard decisions. Share how each organisation works, its pressures and its values, and agree how you will raise concerns.');
INSERT INTO readiness_statements (id, factor_id, position, text) VALUES (6, 4, 1, 'We trust the other organisations to do what they say they will do.');
INSERT INTO readiness_statements (id, factor_id, position, text) VALUES (7, 4, 2, 'We understand how the other organisations work, and what pressures they face.');
INSERT INTO readiness_factors (id, group_id, position, code, label, advice) VALUES (5, 2, 2, 'mix', 'The right mix of members', 'Check who is missing: people who use services, smaller groups, people with the skills or reach you lack. Invite them in or plan how to hear from them.');
INSERT INTO readiness_statements (id, factor_id, position, text) VALUES (8, 5, 1, 'The organisations involved bring the mix of skills, reach and experience this needs.');
INSERT INTO readiness_factors (id, group_id, position, code, label, advice) VALUES (6, 2, 3, 'self_interest', 'Each sees it in their own interest', 'Ask each organisation to say plainly what it wants to get out of this. Where the answer is thin, reshape the work or let them take a lighter role.');
INSERT INTO readiness_statements (id, factor_id, position, text) VALUES (9, 6, 1, 'Working together on this will clearly benefit my organisation, not only the others.');
INSERT INTO readiness_statements (id, factor_id, position, text) VALUES (10, 6, 2, 'My organisation''s trustees would agree that this collaboration is worth our time.');
INSERT INTO readiness_factors (id, group_id, position, code, label, advice) VALUES (7, 2, 4, 'compromise', 'Ability to compromise', 'Agree early which things each organisation cannot give up, and which it can. Decide how you will settle disagreements before you have one.');
INSERT INTO readiness_statements (id, factor_id, position, text) VALUES (11, 7, 1, 'My organisation is prepared to give ground on how things are done so that we can agree.');
INSERT INTO readiness_groups (id, instrument_id, position, code, label) VALUES (3, 1, 3, 'process', 'Process and structure');
INSERT INTO readiness_factors (id, group_id, position, code, label, advice) VALUES (8, 3, 1, 'stake', 'A shared stake in how it works and what it achieves', 'Give every partner a real part in decisions and in the results, not only in the work. Share credit as well as tasks.');
INSERT INTO readiness_statements (id, factor_id, position, text) VALUES (12, 8, 1, 'Every organisation involved will have a real say in decisions, not only the largest.');
INSERT INTO readiness_factors (id, group_id, position, code, label, advice) VALUES (9, 3, 2, 'layers', 'Decisions made at more than one level', 'Involve staff and volunteers as well as chief officers and trustees. Decide which decisions need the board and which can be made by those doing the work.');
INSERT INTO readiness_statements (id, factor_id, position, text) VALUES (13, 9, 1, 'People at every level of our organisations, not only the leaders, will be involved.');
INSERT INTO readiness_factors (id, group_id, position, code, label, advice) VALUES (10, 3, 3, 'flexibility', 'Flexibility', 'Expect to change how you work as you learn. Review your arrangements after the first few months.');
INSERT INTO readiness_statements (id, factor_id, position, text) VALUES (14, 10, 1, 'We are open to different ways of organising this work.');
INSERT INTO readiness_factors (id, group_id, position, code, label, advice) VALUES (11, 3, 4, 'roles', 'Clear roles', 'Write down who does what and who decides what, and check that each organisation agrees with it.');
INSERT INTO readiness_statements (id, factor_id, position, text) VALUES (15, 11, 1, 'It is clear, or will be made clear, who does what and who decides what.');
INSERT INTO readiness_statements (id, factor_id, position, text) VALUES (16, 11, 2, 'We know who would speak for my organisation in this collaboration.');
INSERT INTO readiness_factors (id, group_id, position, code, label, advice) VALUES (12, 3, 5, 'adaptability', 'Adaptability', 'Agree how you will notice when things change (funding, policy, need) and who will call the partners together to respond.');
INSERT INTO readiness_statements (id, factor_id, position, text) VALUES (17, 12, 1, 'If things change around us, we could change our plans together and carry on.');
INSERT INTO readiness_factors (id, group_id, position, code, label, advice) VALUES (13, 3, 6, 'pace', 'A pace that suits everyone', 'Agree a timetable that the smallest partner can keep up with. Build in time for boards to meet and decide.');
INSERT INTO readiness_statements (id, factor_id, position, text) VALUES (18, 13, 1, 'The pace we have in mind is realistic for all the organisations involved.');
INSERT INTO readiness_groups (id, instrument_id, position, code, label) VALUES (4, 1, 4, 'communication', 'Communication');
INSERT INTO readiness_factors (id, group_id, position, code, label, advice) VALUES (14, 4, 1, 'open_communication', 'Open and frequent communication', 'Agree how often you will be in touch, how, and who passes news back to each organisation. Share bad news early.');
INSERT INTO readiness_statements (id, factor_id, position, text) VALUES (19, 14, 1, 'We keep each other informed, including when things go wrong.');
INSERT INTO readiness_statements (id, factor_id, position, text) VALUES (20, 14, 2, 'I would feel able to raise a concern with the other organisations openly.');
INSERT INTO readiness_factors (id, group_id, position, code, label, advice) VALUES (15, 4, 2, 'informal', 'Informal relationships', 'Make room for people to get to know each other outside formal meetings: shared visits, joint training, a coffee before the meeting.');
INSERT INTO readiness_statements (id, factor_id, position, text) VALUES (21, 15, 1, 'People in our organisations know each other well enough to pick up the phone.');
INSERT INTO readiness_groups (id, instrument_id, position, code, label) VALUES (5, 1, 5, 'purpose', 'Purpose');
INSERT INTO readiness_factors (id, group_id, position, code, label, advice) VALUES (16, 5, 1, 'goals', 'Concrete goals that can be met', 'Turn the big idea into two or three goals you can measure and reach within a year.');
INSERT INTO readiness_statements (id, factor_id, position, text) VALUES (22, 16, 1, 'We could say in a sentence or two what we want to achieve together.');
INSERT INTO readiness_statements (id, factor_id, position, text) VALUES (23, 16, 2, 'Our goals are achievable with what we have.');
INSERT INTO readiness_factors (id, group_id, position, code, label, advice) VALUES (17, 5, 2, 'vision', 'A shared vision', 'Write the shared vision down together and test it with each organisation''s trustees and staff.');
INSERT INTO readiness_statements (id, factor_id, position, text) VALUES (24, 17, 1, 'The organisations involved want the same change for the people we serve.');
INSERT INTO readiness_factors (id, group_id, position, code, label, advice) VALUES (18, 5, 3, 'unique_purpose', 'A purpose no one could reach alone', 'Be clear about what working together adds that each organisation could not do alone. If the answer is nothing, reconsider.');
INSERT INTO readiness_statements (id, factor_id, position, text) VALUES (25, 18, 1, 'This collaboration would achieve something none of us could achieve alone.');
INSERT INTO readiness_groups (id, instrument_id, position, code, label) VALUES (6, 1, 6, 'resources', 'Resources');
INSERT INTO readiness_factors (id, group_id, position, code, label, advice) VALUES (19, 6, 1, 'resources', 'Enough money, staff and time', 'Cost the time that working together takes, including meetings and management, and agree who pays for it.');
INSERT INTO readiness_statements (id, factor_id, position, text) VALUES (26, 19, 1, 'We have, or can find, the money this collaboration needs.');
INSERT INTO readiness_statements (id, factor_id, position, text) VALUES (27, 19, 2, 'Our staff and volunteers have the time to take part properly.');
INSERT INTO readiness_factors (id, group_id, position, code, label, advice) VALUES (20, 6, 2, 'leadership', 'Skilled leadership', 'Agree who will lead and coordinate, and make sure they have the time, skills and support to do it well.');
INSERT INTO readiness_statements (id, factor_id, position, text) VALUES (28, 20, 1, 'Someone with the skills to bring organisations together will lead this work.');
INSERT INTO readiness_statements (id, factor_id, position, text) VALUES (29, 20, 2, 'Our trustees are ready to support and oversee this collaboration.');

