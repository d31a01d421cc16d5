//! The partner directory's search: which records match (never the order
//! among equals), on SQLite and, with TEST_DATABASE_URL, on PostgreSQL.

use commonground_domain::organisations::{OrgKind, Profile};
use commonground_domain::register::{IncomeBand, Status};
use commonground_store::directory::{Directory, DirectoryQuery, Refreshed};
use commonground_store::register::import_register;
use commonground_store::{Store, testing};
use std::collections::BTreeSet;
use std::path::Path;

const NOW: i64 = 1_800_000_000;
const D: &str = "2024-05-01 00:00:00.0000000";

struct Fixture {
    /// Kept for the life of the test: the SQLite file lives in it.
    _dir: tempfile::TempDir,
    store: Store,
    user: i64,
}

/// A charity row of the extract's 34 columns.
fn charity(
    n: i64,
    linked: i64,
    name: &str,
    status: &str,
    income: &str,
    activities: &str,
) -> String {
    let mut f = vec![String::new(); 34];
    f[0] = D.into();
    f[1] = format!("{n}{linked}");
    f[2] = n.to_string();
    f[3] = linked.to_string();
    f[4] = name.into();
    f[6] = status.into();
    f[12] = income.into();
    f[31] = activities.into();
    f.join("\t")
}

/// Writes the extract the tests search: five charities (one with a linked
/// charity), with classifications, areas, objects and other names.
fn write_extract(dir: &Path) {
    let header = |cols: &str| format!("{}\r\n", cols.replace(' ', "\t"));
    let mut charity_txt = header(
        "date_of_extract organisation_number registered_charity_number linked_charity_number charity_name charity_type charity_registration_status date_of_registration date_of_removal charity_reporting_status latest_acc_fin_period_start_date latest_acc_fin_period_end_date latest_income latest_expenditure charity_contact_address1 charity_contact_address2 charity_contact_address3 charity_contact_address4 charity_contact_address5 charity_contact_postcode charity_contact_phone charity_contact_email charity_contact_web charity_company_registration_number charity_insolvent charity_in_administration charity_previously_excepted charity_is_cdf_or_cif charity_is_cio cio_is_dissolved date_cio_dissolution_notice charity_activities charity_gift_aid charity_has_land",
    );
    for row in [
        charity(
            1000001,
            0,
            "Cymdeithas Llŷn & Eifionydd",
            "Registered",
            "12000",
            "Runs a Welsh-language lunch club for older people",
        ),
        charity(
            1000001,
            1,
            "Pwllheli Branch",
            "Registered",
            "",
            "Beekeeping classes",
        ),
        charity(
            1000002,
            0,
            "Côr Meibion Âber",
            "Removed",
            "900",
            "A male voice choir",
        ),
        charity(
            1000003,
            0,
            "Riverside Food Bank",
            "Registered",
            "250000",
            "Emergency food parcels for families \"in crisis\"",
        ),
        charity(
            1000004,
            0,
            "Northgate Youth Project",
            "Registered",
            "2500000",
            "Youth clubs and mentoring for young people",
        ),
        charity(
            1000005,
            0,
            "100% Fun & Games Trust",
            "Registered",
            "",
            "Play sessions for children",
        ),
    ] {
        charity_txt.push_str(&row);
        charity_txt.push_str("\r\n");
    }
    std::fs::write(dir.join("publicextract.charity.txt"), charity_txt).unwrap();

    let mut class = header(
        "date_of_extract organisation_number registered_charity_number linked_charity_number classification_code classification_type classification_description",
    );
    for (n, code, kind, text) in [
        (1000001, 101, "What", "General Charitable Purposes"),
        (1000001, 202, "Who", "Elderly/old People"),
        (1000002, 109, "What", "Arts/culture/heritage/science"),
        (1000003, 105, "What", "The Prevention Or Relief Of Poverty"),
        (1000003, 201, "Who", "Children/young People"),
        (1000003, 306, "How", "Provides Services"),
        (1000004, 102, "What", "Education/training"),
        (1000004, 201, "Who", "Children/young People"),
    ] {
        class.push_str(&format!("{D}\t{n}0\t{n}\t0\t{code}\t{kind}\t{text}\r\n"));
    }
    std::fs::write(dir.join("publicextract.charity_classification.txt"), class).unwrap();

    let mut areas = header(
        "date_of_extract organisation_number registered_charity_number linked_charity_number geographic_area_type geographic_area_description parent_geographic_area_type parent_geographic_area_description welsh_ind",
    );
    for (n, area) in [
        (1000001, "Gwynedd"),
        (1000002, "Ynys Môn"),
        (1000003, "Leeds City"),
        (1000004, "Leeds City"),
        (1000004, "Bradford City"),
    ] {
        areas.push_str(&format!(
            "{D}\t{n}0\t{n}\t0\tLocal Authority\t{area}\t\t\tFalse\r\n"
        ));
    }
    std::fs::write(
        dir.join("publicextract.charity_area_of_operation.txt"),
        areas,
    )
    .unwrap();

    let mut docs = header(
        "date_of_extract organisation_number registered_charity_number linked_charity_number governing_document_description charitable_objects area_of_benefit",
    );
    docs.push_str(&format!(
        "{D}\t10000030\t1000003\t0\tCONSTITUTION\tThe relief of hardship among the inhabitants of Armley\tLEEDS\r\n"
    ));
    std::fs::write(
        dir.join("publicextract.charity_governing_document.txt"),
        docs,
    )
    .unwrap();

    let mut names = header(
        "date_of_extract organisation_number registered_charity_number linked_charity_number charity_name_id charity_name_type charity_name",
    );
    names.push_str(&format!(
        "{D}\t10000040\t1000004\t0\t77\tWorking name\tNYP Mentoring\r\n"
    ));
    std::fs::write(dir.join("publicextract.charity_other_names.txt"), names).unwrap();
}

async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store = testing::fresh_store(dir.path()).await.unwrap();
    let extract = dir.path().join("extract");
    std::fs::create_dir(&extract).unwrap();
    write_extract(&extract);
    let summary = import_register(&store, &extract, NOW, &mut |_| {})
        .await
        .unwrap();
    assert_eq!(summary.problems, vec![]);
    assert_eq!(summary.inserted, 5);
    let mut tx = store.write().await.unwrap();
    let user = tx
        .create_user("ann@example.org", "Ann", "x", false, NOW)
        .await
        .unwrap()
        .id;
    tx.commit().await.unwrap();
    Fixture {
        _dir: dir,
        store,
        user,
    }
}

fn profile(name: &str, org_identifier: Option<&str>, activities: &str, areas: &[&str]) -> Profile {
    Profile {
        name: name.into(),
        kind: if org_identifier.is_some() {
            OrgKind::RegisteredCharity
        } else {
            OrgKind::CommunityGroup
        },
        charity_number: org_identifier.map(|o| o.trim_start_matches("GB-CHC-").to_string()),
        company_number: None,
        org_identifier: org_identifier.map(str::to_string),
        mission: "Bringing neighbours together".into(),
        activities: activities.into(),
        areas_served: areas.iter().map(|a| a.to_string()).collect(),
        causes: vec!["Loneliness".into()],
        website: None,
    }
}

async fn create_org(f: &Fixture, p: &Profile) -> i64 {
    let mut tx = f.store.write().await.unwrap();
    let org = tx.create_organisation(p, f.user, NOW).await.unwrap();
    tx.commit().await.unwrap();
    org.id
}

fn text(t: &str) -> DirectoryQuery {
    DirectoryQuery {
        text: t.into(),
        per_page: 20,
        page: 1,
        ..DirectoryQuery::default()
    }
}

/// The names that match, as a set: tests check which, not the order.
fn names(d: &Directory, query: &DirectoryQuery) -> BTreeSet<String> {
    let page = d.search(query).unwrap();
    assert_eq!(
        page.total as usize,
        page.results.len(),
        "all results fit on one page here"
    );
    page.results.into_iter().map(|r| r.name).collect()
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|n| n.to_string()).collect()
}

#[tokio::test]
async fn words_match_without_case_or_accents_in_names_activities_objects_and_other_names() {
    let f = fixture().await;
    let d = Directory::open(&f.store).await.unwrap();
    assert_eq!(d.len(), 5, "linked charities are not records of their own");
    for q in ["Llyn", "llŷn", "LLŶN", "LLYN"] {
        assert_eq!(
            names(&d, &text(q)),
            set(&["Cymdeithas Llŷn & Eifionydd"]),
            "{q}"
        );
    }
    assert_eq!(
        names(&d, &text("cor meibion aber")),
        set(&["Côr Meibion Âber"])
    );
    // Activities, objects, other names, a linked charity's name and activities.
    assert_eq!(
        names(&d, &text("lunch club")),
        set(&["Cymdeithas Llŷn & Eifionydd"])
    );
    assert_eq!(names(&d, &text("Armley")), set(&["Riverside Food Bank"]));
    assert_eq!(names(&d, &text("NYP")), set(&["Northgate Youth Project"]));
    assert_eq!(
        names(&d, &text("pwllheli")),
        set(&["Cymdeithas Llŷn & Eifionydd"])
    );
    assert_eq!(
        names(&d, &text("beekeeping")),
        set(&["Cymdeithas Llŷn & Eifionydd"])
    );
    // Every word must match.
    assert_eq!(
        names(&d, &text("young people")),
        set(&["Northgate Youth Project"])
    );
    assert_eq!(names(&d, &text("youth food")), set(&[]));
    assert_eq!(
        names(&d, &text("people")),
        set(&["Cymdeithas Llŷn & Eifionydd", "Northgate Youth Project"])
    );
    // Nothing typed is syntax.
    assert_eq!(
        names(&d, &text("\"in crisis\"")),
        set(&["Riverside Food Bank"])
    );
    assert_eq!(names(&d, &text("100%")), set(&["100% Fun & Games Trust"]));
    let hit = &d.search(&text("riverside")).unwrap().results[0];
    assert_eq!(hit.org_identifier.as_deref(), Some("GB-CHC-1000003"));
    assert_eq!(hit.organisation_id, None);
    assert_eq!(hit.status.as_deref(), Some("registered"));
    assert_eq!(hit.latest_income, Some(250_000));
    assert_eq!(hit.areas, vec!["Leeds City".to_string()]);
    assert_eq!(hit.classifications, vec![105, 201, 306]);
    assert_eq!(
        hit.activities,
        "Emergency food parcels for families \"in crisis\""
    );
    f.store.close().await;
}

#[tokio::test]
async fn hostile_queries_never_fail() {
    let f = fixture().await;
    let d = Directory::open(&f.store).await.unwrap();
    let long = "ŷ".repeat(5000);
    let longer = "food ".repeat(1000);
    for q in [
        "",
        " ",
        "\"",
        "\"\"\"",
        "*",
        "%",
        "%%",
        "_",
        "'",
        "' OR 1=1 --",
        "AND",
        "OR NOT",
        "NOT",
        "-",
        "+food",
        "food*",
        "(",
        ")",
        "[]",
        "{}",
        ":",
        "title:food",
        "^2",
        "~",
        "\\",
        "\0",
        "\u{feff}",
        "🙂",
        "食物",
        "a\tb\nc",
        long.as_str(),
        longer.as_str(),
    ] {
        let page = d.search(&text(q)).unwrap_or_else(|e| panic!("{q:?}: {e}"));
        assert!(page.total <= 5, "{q:?}");
    }
    // Empty (or nothing but punctuation) lists every record.
    assert_eq!(d.search(&text("")).unwrap().total, 5);
    assert_eq!(d.search(&text("*%\"")).unwrap().total, 5);
    assert_eq!(names(&d, &text(&longer)), set(&["Riverside Food Bank"]));
    // Pages out of range are clamped, never an error.
    let mut q = text("");
    q.page = u32::MAX;
    q.per_page = u32::MAX;
    let page = d.search(&q).unwrap();
    assert_eq!((page.total, page.results.len()), (5, 0));
    q.page = 0;
    q.per_page = 0;
    let page = d.search(&q).unwrap();
    assert_eq!((page.page, page.per_page, page.results.len()), (1, 1, 1));
    f.store.close().await;
}

#[tokio::test]
async fn filters_by_classification_area_income_band_and_status() {
    let f = fixture().await;
    let d = Directory::open(&f.store).await.unwrap();
    let q = |edit: &dyn Fn(&mut DirectoryQuery)| {
        let mut q = text("");
        edit(&mut q);
        names(&d, &q)
    };
    assert_eq!(
        q(&|q| q.who = vec![201]),
        set(&["Riverside Food Bank", "Northgate Youth Project"])
    );
    assert_eq!(
        q(&|q| q.what = vec![105, 109]),
        set(&["Riverside Food Bank", "Côr Meibion Âber"])
    );
    assert_eq!(
        q(&|q| {
            q.what = vec![105, 102];
            q.how = vec![306];
        }),
        set(&["Riverside Food Bank"])
    );
    // A code of the wrong kind matches nothing.
    assert_eq!(q(&|q| q.what = vec![201]), set(&[]));
    assert_eq!(
        q(&|q| q.areas = vec!["leeds city".into()]),
        set(&["Riverside Food Bank", "Northgate Youth Project"])
    );
    assert_eq!(
        q(&|q| q.areas = vec!["YNYS MON".into()]),
        set(&["Côr Meibion Âber"])
    );
    assert_eq!(
        q(&|q| q.income_bands = vec![IncomeBand::Under10k, IncomeBand::From1mTo10m]),
        set(&["Côr Meibion Âber", "Northgate Youth Project"])
    );
    assert_eq!(
        q(&|q| q.status = Some(Status::Removed)),
        set(&["Côr Meibion Âber"])
    );
    assert_eq!(q(&|q| q.status = Some(Status::Registered)).len(), 4);
    // Words and filters together.
    assert_eq!(
        q(&|q| {
            q.text = "people".into();
            q.who = vec![201];
        }),
        set(&["Northgate Youth Project"])
    );
    // Pages.
    let mut paged = text("");
    paged.per_page = 2;
    let mut seen = BTreeSet::new();
    for page in 1..=3 {
        paged.page = page;
        let p = d.search(&paged).unwrap();
        assert_eq!(p.total, 5);
        assert_eq!(p.results.len(), if page < 3 { 2 } else { 1 });
        seen.extend(p.results.into_iter().map(|r| r.name));
    }
    assert_eq!(seen.len(), 5);
    f.store.close().await;
}

#[tokio::test]
async fn a_platform_organisation_and_its_charity_are_one_record_and_changes_are_found_after_a_refresh()
 {
    let f = fixture().await;
    let first = Directory::open(&f.store).await.unwrap();
    // A second server on the same database.
    let second = Directory::open(&f.store).await.unwrap();

    // The Llŷn charity joins the platform, with its org-id.
    let llyn = create_org(
        &f,
        &profile(
            "Llŷn Lunch Club",
            Some("GB-CHC-1000001"),
            "Lunches and outings",
            &["Gwynedd", "Conwy"],
        ),
    )
    .await;
    // A community group without a number.
    let group = create_org(
        &f,
        &profile("Abersoch Knitters", None, "Knitting circle", &["Gwynedd"]),
    )
    .await;

    assert_eq!(
        names(&first, &text("knitting")),
        set(&[]),
        "not before a refresh"
    );
    for d in [&first, &second] {
        assert_eq!(d.refresh(&f.store).await.unwrap(), Refreshed::Records(2));
        assert_eq!(d.len(), 6);
        assert_eq!(names(d, &text("knitting")), set(&["Abersoch Knitters"]));
        // One record: the platform's name, the register's status and codes,
        // found by the register's name too.
        for q in ["llyn", "eifionydd", "outings"] {
            let page = d.search(&text(q)).unwrap();
            assert_eq!(page.total, 1, "{q}");
            let hit = &page.results[0];
            assert_eq!(hit.name, "Llŷn Lunch Club");
            assert_eq!(hit.organisation_id, Some(llyn));
            assert_eq!(hit.org_identifier.as_deref(), Some("GB-CHC-1000001"));
            assert_eq!(hit.status.as_deref(), Some("registered"));
            assert_eq!(hit.classifications, vec![101, 202]);
            assert_eq!(hit.areas, vec!["Gwynedd".to_string(), "Conwy".to_string()]);
        }
        let knitters = &d.search(&text("knitters")).unwrap().results[0];
        assert_eq!(knitters.org_identifier, None);
        assert_eq!(knitters.organisation_id, Some(group));
        assert_eq!(knitters.status, None);
        assert_eq!(d.refresh(&f.store).await.unwrap(), Refreshed::Records(0));
    }

    // The group renames itself and gets a charity number it shares with
    // nobody; the old name is gone, the new one found, still one record.
    let mut tx = f.store.write().await.unwrap();
    let scope = tx.org_scope(f.user, group).await.unwrap().unwrap();
    tx.update_organisation(
        &scope,
        &profile(
            "Abersoch Knitting Circle",
            Some("GB-CHC-1100001"),
            "Knitting circle",
            &["Gwynedd"],
        ),
        NOW + 1,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    // A newer register extract marks Côr Meibion Âber registered again.
    let extract = f._dir.path().join("extract");
    let charities = extract.join("publicextract.charity.txt");
    let changed = std::fs::read_to_string(&charities).unwrap().replace(
        "Côr Meibion Âber\t\tRemoved",
        "Côr Meibion Âber\t\tRegistered",
    );
    std::fs::write(&charities, changed).unwrap();
    let summary = import_register(&f.store, &extract, NOW + 2, &mut |_| {})
        .await
        .unwrap();
    assert_eq!(summary.updated, 1);

    for d in [&first, &second] {
        d.refresh(&f.store).await.unwrap();
        assert_eq!(d.len(), 6);
        assert_eq!(
            names(d, &text("abersoch")),
            set(&["Abersoch Knitting Circle"])
        );
        let hit = &d.search(&text("abersoch")).unwrap().results[0];
        assert_eq!(hit.org_identifier.as_deref(), Some("GB-CHC-1100001"));
        let mut removed = text("");
        removed.status = Some(Status::Removed);
        assert_eq!(names(d, &removed), set(&[]));
    }
    // A directory built afresh agrees with the refreshed ones.
    let third = Directory::open(&f.store).await.unwrap();
    for q in ["", "abersoch", "llyn", "cor"] {
        assert_eq!(names(&third, &text(q)), names(&first, &text(q)), "{q}");
    }
    f.store.close().await;
}

#[tokio::test]
async fn old_changes_are_cleared_away_and_a_directory_built_later_still_finds_everything() {
    let f = fixture().await;
    create_org(
        &f,
        &profile("Abersoch Knitters", None, "Knitting circle", &["Gwynedd"]),
    )
    .await;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    use commonground_store::directory::{KEEP_CHANGES, prune_changes};
    // Nothing is a day old yet.
    assert_eq!(prune_changes(&f.store, now).await.unwrap(), 0);
    // A day and more later, all six changes (five charities, one group) go.
    let later = now + KEEP_CHANGES.as_secs() as i64 + 60;
    assert_eq!(prune_changes(&f.store, later).await.unwrap(), 6);
    let d = Directory::open(&f.store).await.unwrap();
    assert_eq!(d.len(), 6);
    assert_eq!(names(&d, &text("knitting")), set(&["Abersoch Knitters"]));
    assert_eq!(d.refresh(&f.store).await.unwrap(), Refreshed::Records(0));
    f.store.close().await;
}
