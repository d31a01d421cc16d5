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
    seq BIGSERIAL PRIMARY KEY,
    doc_key TEXT NOT NULL,
    at BIGINT NOT NULL
);

-- Each trigger records the row's old key and its new key (one key that
-- did not change is recorded once).
CREATE FUNCTION organisations_directory_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    old_key TEXT;
    new_key TEXT;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        old_key := COALESCE(OLD.org_identifier, 'org:' || OLD.id);
        INSERT INTO directory_changes (doc_key, at) VALUES (old_key, EXTRACT(EPOCH FROM now())::BIGINT);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        new_key := COALESCE(NEW.org_identifier, 'org:' || NEW.id);
        IF old_key IS DISTINCT FROM new_key THEN
            INSERT INTO directory_changes (doc_key, at) VALUES (new_key, EXTRACT(EPOCH FROM now())::BIGINT);
        END IF;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER organisations_directory_insert AFTER INSERT ON organisations
FOR EACH ROW EXECUTE FUNCTION organisations_directory_change();

CREATE TRIGGER organisations_directory_update
AFTER UPDATE OF name, kind, org_identifier, mission, activities, areas_served, causes, website ON organisations
FOR EACH ROW EXECUTE FUNCTION organisations_directory_change();

CREATE TRIGGER organisations_directory_delete AFTER DELETE ON organisations
FOR EACH ROW EXECUTE FUNCTION organisations_directory_change();

-- The register is written in bulk, so its triggers run once per statement
-- over the rows it touched, not once per row.
CREATE FUNCTION register_directory_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO directory_changes (doc_key, at)
    SELECT org_identifier, EXTRACT(EPOCH FROM now())::BIGINT FROM new_rows;
    RETURN NULL;
END;
$$;

CREATE FUNCTION register_directory_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO directory_changes (doc_key, at)
    SELECT org_identifier, EXTRACT(EPOCH FROM now())::BIGINT FROM old_rows;
    RETURN NULL;
END;
$$;

CREATE TRIGGER register_charities_directory_insert AFTER INSERT ON register_charities
REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION register_directory_inserted();

CREATE TRIGGER register_charities_directory_update AFTER UPDATE ON register_charities
REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION register_directory_inserted();

CREATE TRIGGER register_charities_directory_delete AFTER DELETE ON register_charities
REFERENCING OLD TABLE AS old_rows
FOR EACH STATEMENT EXECUTE FUNCTION register_directory_removed();
