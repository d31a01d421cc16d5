-- The Charity Commission register (England and Wales), as imported by
-- `commonground import-register`, and the change sequence of the partner
-- directory.
--
-- One row per main charity (linked_charity_number 0 in the extract), keyed
-- by its org-id GB-CHC-<registered number>, the key a platform organisation
-- carries too. Linked charities (linked_charity_number > 0) hang under their
-- main charity; so do classifications, areas of operation and other names,
-- each keyed by (registered number, linked number). Dates are YYYY-MM-DD.
-- row_hash is a digest of everything the extract said about the charity
-- and what hangs under it, so a re-import rewrites only what changed.

CREATE TABLE register_charities (
    org_identifier TEXT PRIMARY KEY,
    registered_charity_number BIGINT NOT NULL UNIQUE,
    organisation_number BIGINT NOT NULL,
    name TEXT NOT NULL,
    charity_type TEXT,
    status TEXT NOT NULL,
    date_registered TEXT,
    date_removed TEXT,
    reporting_status TEXT,
    latest_income BIGINT,
    latest_expenditure BIGINT,
    activities TEXT,
    charitable_objects TEXT,
    area_of_benefit TEXT,
    contact_address TEXT,
    contact_postcode TEXT,
    contact_phone TEXT,
    contact_email TEXT,
    contact_web TEXT,
    company_number TEXT,
    is_cio BOOLEAN,
    extract_date TEXT,
    row_hash BIGINT NOT NULL,
    imported_at BIGINT NOT NULL
);

CREATE TABLE register_linked_charities (
    registered_charity_number BIGINT NOT NULL
        REFERENCES register_charities(registered_charity_number) ON DELETE CASCADE,
    linked_charity_number BIGINT NOT NULL,
    organisation_number BIGINT NOT NULL,
    name TEXT NOT NULL,
    status TEXT NOT NULL,
    date_registered TEXT,
    date_removed TEXT,
    latest_income BIGINT,
    activities TEXT,
    charitable_objects TEXT,
    PRIMARY KEY (registered_charity_number, linked_charity_number)
);

-- The classification codes with the register's own wording:
-- 101-117 what, 201-207 who, 301-310 how.
CREATE TABLE register_classification_codes (
    code BIGINT PRIMARY KEY,
    kind TEXT NOT NULL,
    description TEXT NOT NULL
);

CREATE TABLE register_classifications (
    registered_charity_number BIGINT NOT NULL,
    linked_charity_number BIGINT NOT NULL,
    code BIGINT NOT NULL,
    PRIMARY KEY (registered_charity_number, linked_charity_number, code)
);

CREATE TABLE register_areas (
    registered_charity_number BIGINT NOT NULL,
    linked_charity_number BIGINT NOT NULL,
    position BIGINT NOT NULL,
    area_type TEXT NOT NULL,
    area TEXT NOT NULL,
    parent_area_type TEXT,
    parent_area TEXT,
    welsh BOOLEAN,
    PRIMARY KEY (registered_charity_number, linked_charity_number, position)
);

CREATE TABLE register_other_names (
    registered_charity_number BIGINT NOT NULL,
    linked_charity_number BIGINT NOT NULL,
    name_id BIGINT NOT NULL,
    name_type TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (registered_charity_number, linked_charity_number, name_id)
);

-- Every change to what the directory shows, in order. doc_key is the
-- directory record that changed: its org-id, or 'org:<id>' for a platform
-- organisation without one. Each server's search index reads this to keep
-- up with writes made through any server; triggers fill it, so no write
-- path can forget to.
CREATE TABLE directory_changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_key TEXT NOT NULL,
    at BIGINT NOT NULL
);

CREATE TRIGGER organisations_directory_insert AFTER INSERT ON organisations
BEGIN
    INSERT INTO directory_changes (doc_key, at)
    VALUES (COALESCE(NEW.org_identifier, 'org:' || NEW.id), CAST(strftime('%s', 'now') AS INTEGER));
END;

CREATE TRIGGER organisations_directory_update
AFTER UPDATE OF name, kind, org_identifier, mission, activities, areas_served, causes, website ON organisations
BEGIN
    INSERT INTO directory_changes (doc_key, at)
    VALUES (COALESCE(OLD.org_identifier, 'org:' || OLD.id), CAST(strftime('%s', 'now') AS INTEGER));
    INSERT INTO directory_changes (doc_key, at)
    SELECT COALESCE(NEW.org_identifier, 'org:' || NEW.id), CAST(strftime('%s', 'now') AS INTEGER)
    WHERE NEW.org_identifier IS NOT OLD.org_identifier;
END;

CREATE TRIGGER organisations_directory_delete AFTER DELETE ON organisations
BEGIN
    INSERT INTO directory_changes (doc_key, at)
    VALUES (COALESCE(OLD.org_identifier, 'org:' || OLD.id), CAST(strftime('%s', 'now') AS INTEGER));
END;

CREATE TRIGGER register_charities_directory_insert AFTER INSERT ON register_charities
BEGIN
    INSERT INTO directory_changes (doc_key, at)
    VALUES (NEW.org_identifier, CAST(strftime('%s', 'now') AS INTEGER));
END;

CREATE TRIGGER register_charities_directory_update AFTER UPDATE ON register_charities
BEGIN
    INSERT INTO directory_changes (doc_key, at)
    VALUES (NEW.org_identifier, CAST(strftime('%s', 'now') AS INTEGER));
END;

CREATE TRIGGER register_charities_directory_delete AFTER DELETE ON register_charities
BEGIN
    INSERT INTO directory_changes (doc_key, at)
    VALUES (OLD.org_identifier, CAST(strftime('%s', 'now') AS INTEGER));
END;
