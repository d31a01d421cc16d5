-- The Review stage: health checks of the partnership. A lead opens a round
-- (a quick pulse or a full review) with a closing date; every member of the
-- lead and partner organisations at that moment is invited. Answers are
-- only ever shown aggregated, under the anonymity rules in
-- commonground_domain::health_checks.

-- The questionnaires. Rows come only from migrations, each version with its
-- own ids, so ids are given, not generated. A new wording is a new version;
-- old rounds keep the questions they were asked.
CREATE TABLE health_questionnaires (
    id BIGINT PRIMARY KEY,
    kind TEXT NOT NULL,
    version BIGINT NOT NULL,
    title TEXT NOT NULL,
    UNIQUE (kind, version)
);

CREATE TABLE health_groups (
    id BIGINT PRIMARY KEY,
    questionnaire_id BIGINT NOT NULL REFERENCES health_questionnaires(id),
    position BIGINT NOT NULL,
    code TEXT NOT NULL,
    label TEXT NOT NULL,
    UNIQUE (questionnaire_id, code)
);

CREATE TABLE health_questions (
    id BIGINT PRIMARY KEY,
    group_id BIGINT NOT NULL REFERENCES health_groups(id),
    position BIGINT NOT NULL,
    code TEXT NOT NULL,
    label TEXT NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX health_questions_group ON health_questions(group_id, position);

CREATE TABLE health_rounds (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    number BIGINT NOT NULL,
    questionnaire_id BIGINT NOT NULL REFERENCES health_questionnaires(id),
    closes_on TEXT NOT NULL,
    opened_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    opened_at BIGINT NOT NULL,
    closed_at BIGINT,
    UNIQUE (collaboration_id, number)
);

-- Who was asked, fixed when the round opens, so "everyone has answered"
-- means the same thing for the whole round.
CREATE TABLE health_invitees (
    round_id BIGINT NOT NULL REFERENCES health_rounds(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    PRIMARY KEY (round_id, user_id)
);
CREATE INDEX health_invitees_user ON health_invitees(user_id, round_id);

-- One person's response: the organisation they answered for and their
-- comment. Only aggregates of these are ever shown to anyone else.
CREATE TABLE health_responses (
    round_id BIGINT NOT NULL REFERENCES health_rounds(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    comment TEXT NOT NULL,
    answered_at BIGINT NOT NULL,
    PRIMARY KEY (round_id, user_id)
);

-- value is 1..5 (full) or 1..3 (pulse: red, amber, green), or NULL for
-- "don't know".
CREATE TABLE health_answers (
    round_id BIGINT NOT NULL REFERENCES health_rounds(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    question_id BIGINT NOT NULL REFERENCES health_questions(id),
    value BIGINT,
    PRIMARY KEY (round_id, user_id, question_id),
    CHECK (value IS NULL OR (value >= 1 AND value <= 5))
);

INSERT INTO health_questionnaires (id, kind, version, title) VALUES (1, 'pulse', 1, 'Quick pulse');
INSERT INTO health_groups (id, questionnaire_id, position, code, label) VALUES (1, 1, 1, 'pulse', 'How it is going');
INSERT INTO health_questions (id, group_id, position, code, label, text) VALUES (1, 1, 1, 'progress', 'Progress', 'We are making the progress we agreed on.');
INSERT INTO health_questions (id, group_id, position, code, label, text) VALUES (2, 1, 2, 'decisions', 'Decision-making', 'Decisions are made fairly, and every partner has a real say.');
INSERT INTO health_questions (id, group_id, position, code, label, text) VALUES (3, 1, 3, 'communication', 'Communication', 'We hear what we need to know, in time, including bad news.');
INSERT INTO health_questions (id, group_id, position, code, label, text) VALUES (4, 1, 4, 'workload', 'Workload', 'The work and the cost are shared in a way that feels fair.');
INSERT INTO health_questions (id, group_id, position, code, label, text) VALUES (5, 1, 5, 'trust', 'Trust', 'I trust the other partners to do what they say they will.');

INSERT INTO health_questionnaires (id, kind, version, title) VALUES (2, 'full', 1, 'Full review');
INSERT INTO health_groups (id, questionnaire_id, position, code, label) VALUES (2, 2, 1, 'principles', 'Partnering principles');
INSERT INTO health_questions (id, group_id, position, code, label, text) VALUES (101, 2, 1, 'equity', 'Equity', 'Every partner''s voice counts the same, whatever its size or budget.');
INSERT INTO health_questions (id, group_id, position, code, label, text) VALUES (102, 2, 2, 'decisions', 'Decision-making', 'Decisions are made fairly, and every partner has a real say in them.');
INSERT INTO health_questions (id, group_id, position, code, label, text) VALUES (103, 2, 3, 'transparency', 'Transparency', 'Partners are open with each other about money, problems and plans.');
INSERT INTO health_questions (id, group_id, position, code, label, text) VALUES (104, 2, 4, 'mutual_benefit', 'Mutual benefit', 'My organisation gets enough out of this partnership for what it puts in.');
INSERT INTO health_groups (id, questionnaire_id, position, code, label) VALUES (3, 2, 2, 'environment', 'Environment');
INSERT INTO health_questions (id, group_id, position, code, label, text) VALUES (105, 3, 1, 'legitimacy', 'Standing in the community', 'People in our community see this partnership as the right one for the job.');
INSERT INTO health_groups (id, questionnaire_id, position, code, label) VALUES (4, 2, 3, 'membership', 'Membership');
INSERT INTO health_questions (id, group_id, position, code, label, text) VALUES (106, 4, 1, 'trust', 'Trust', 'We trust each other to do what we say we will.');
INSERT INTO health_questions (id, group_id, position, code, label, text) VALUES (107, 4, 2, 'compromise', 'Give and take', 'Partners give ground when it helps the shared work.');
INSERT INTO health_groups (id, questionnaire_id, position, code, label) VALUES (5, 2, 4, 'process', 'Process and structure');
INSERT INTO health_questions (id, group_id, position, code, label, text) VALUES (108, 5, 1, 'roles', 'Clear roles', 'It is clear who does what, and who decides what.');
INSERT INTO health_questions (id, group_id, position, code, label, text) VALUES (109, 5, 2, 'pace', 'Pace', 'The pace of the work suits every partner.');
INSERT INTO health_groups (id, questionnaire_id, position, code, label) VALUES (6, 2, 5, 'communication', 'Communication');
INSERT INTO health_questions (id, group_id, position, code, label, text) VALUES (110, 6, 1, 'open_communication', 'Open communication', 'I can raise a concern with the other partners and be heard.');
INSERT INTO health_groups (id, questionnaire_id, position, code, label) VALUES (7, 2, 6, 'purpose', 'Purpose');
INSERT INTO health_questions (id, group_id, position, code, label, text) VALUES (111, 7, 1, 'vision', 'Shared vision', 'We still share the same idea of what we are here to achieve.');
INSERT INTO health_questions (id, group_id, position, code, label, text) VALUES (112, 7, 2, 'goals', 'Goals within reach', 'Our goals are concrete and we are on the way to meeting them.');
INSERT INTO health_groups (id, questionnaire_id, position, code, label) VALUES (8, 2, 7, 'resources', 'Resources');
INSERT INTO health_questions (id, group_id, position, code, label, text) VALUES (113, 8, 1, 'resources', 'Money, staff and time', 'The partnership has the money, staff and time the work needs.');
INSERT INTO health_questions (id, group_id, position, code, label, text) VALUES (114, 8, 2, 'leadership', 'Leadership', 'The partnership is well led and coordinated.');
