//! The register import against the real-format sample in
//! `testdata/ccew-sample/` and against broken input. Runs on SQLite, and
//! on PostgreSQL when TEST_DATABASE_URL is set.

use commonground_store::extract::Problem;
use commonground_store::register::{ImportError, ImportSummary, RegisterTable, import_register};
use commonground_store::{Store, testing};
use std::io::Write;
use std::path::{Path, PathBuf};

const NOW: i64 = 1_800_000_000;

/// The register sample, kept in the repository (`testdata/ccew-sample`).
fn sample() -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/ccew-sample");
    if path.join("publicextract.charity.zip").is_file() {
        return Some(path);
    }
    if std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false") {
        panic!("the register sample is not at {}", path.display());
    }
    eprintln!(
        "\n*** SKIPPED: the register sample is not at {} ***\n",
        path.display()
    );
    None
}

async fn import(store: &Store, folder: &Path) -> Result<ImportSummary, ImportError> {
    import_register(store, folder, NOW, &mut |_| {}).await
}

async fn count(store: &Store, table: RegisterTable) -> i64 {
    store
        .read()
        .await
        .unwrap()
        .register_count(table)
        .await
        .unwrap()
}

/// The sample's tables, unzipped into `dir` as .txt files.
fn unzip_sample(sample: &Path, dir: &Path) {
    for entry in std::fs::read_dir(sample).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "zip") {
            let mut archive = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
            let mut inner = archive.by_index(0).unwrap();
            let name = inner.name().unwrap().to_string();
            let mut out = std::fs::File::create(dir.join(name)).unwrap();
            std::io::copy(&mut inner, &mut out).unwrap();
        }
    }
}

fn edit_lines(path: &Path, mut edit: impl FnMut(usize, &str) -> Option<String>) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut out = String::new();
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if let Some(new) = edit(i, line) {
            out.push_str(&new);
        }
    }
    std::fs::write(path, out).unwrap();
}

#[tokio::test]
async fn the_sample_extract_is_imported_whole() {
    let Some(sample) = sample() else { return };
    let dir = tempfile::tempdir().unwrap();
    let store = testing::fresh_store(dir.path()).await.unwrap();
    let summary = import(&store, &sample).await.unwrap();
    assert_eq!(summary.problems, vec![], "{:?}", summary.problems);
    assert_eq!(summary.unusable, vec![]);
    assert_eq!(summary.charity_rows, 572);
    assert_eq!(summary.registered_rows, 397);
    assert_eq!(summary.removed_rows, 175);
    assert_eq!(summary.main_charities, 200);
    assert_eq!(summary.linked_charities, 372);
    assert_eq!(
        (
            summary.inserted,
            summary.updated,
            summary.unchanged,
            summary.removed,
            summary.skipped
        ),
        (200, 0, 0, 0, 0)
    );
    assert_eq!(count(&store, RegisterTable::Charities).await, 200);
    assert_eq!(count(&store, RegisterTable::LinkedCharities).await, 372);
    assert_eq!(count(&store, RegisterTable::Classifications).await, 1278);
    assert_eq!(count(&store, RegisterTable::Areas).await, 413);
    assert_eq!(count(&store, RegisterTable::OtherNames).await, 222);

    let mut tx = store.read().await.unwrap();
    let raymond = tx.register_charity("GB-CHC-207237").await.unwrap().unwrap();
    assert_eq!(raymond.name, "Raymond ton Children Society");
    assert_eq!(raymond.status, "registered");
    assert_eq!(raymond.date_registered.as_deref(), Some("1963-07-25"));
    assert_eq!(raymond.date_removed, None);
    assert_eq!(raymond.latest_income, Some(2_421_985));
    assert_eq!(
        raymond.contact_web.as_deref(),
        Some("https://www.example.com/raymond-ton-children-society")
    );
    assert!(
        raymond
            .charitable_objects
            .as_deref()
            .unwrap()
            .starts_with("Suscipit perferendis officia culpa consectetur."),
        "{raymond:?}"
    );
    // Its six linked charities hang under it, not beside it.
    let linked = tx.register_linked_charities(207237).await.unwrap();
    assert_eq!(linked.len(), 6);
    assert_eq!(linked[0].linked_charity_number, 1);
    assert_eq!(linked[0].name, "Ian side International Development Charity");
    assert_eq!(
        linked[5].name,
        "Sam borough Poverty Charitable Incorporated Organisation"
    );
    assert!(
        tx.register_charity("GB-CHC-207237-1")
            .await
            .unwrap()
            .is_none()
    );

    // A removed charity, with its dates.
    let jessica = tx.register_charity("GB-CHC-201935").await.unwrap().unwrap();
    assert_eq!(jessica.name, "Jessica fort Human Rights Society");
    assert_eq!(jessica.status, "removed");
    assert_eq!(jessica.date_registered.as_deref(), Some("1962-03-23"));
    assert_eq!(jessica.date_removed.as_deref(), Some("2005-07-05"));
    assert_eq!(
        tx.register_classification_codes(201935).await.unwrap(),
        vec![109, 110, 113, 207, 305]
    );
    assert_eq!(
        tx.register_areas(201935).await.unwrap(),
        vec!["Cambridgeshire".to_string()]
    );
    // Non-ASCII names arrive as they are.
    let howard = tx.register_charity("GB-CHC-281345").await.unwrap().unwrap();
    assert_eq!(
        howard.name,
        "Howard\u{2019}s land Religion Charitable Incorporated Organisation"
    );
    // Other names, of a main and of a linked charity.
    assert_eq!(
        tx.register_other_names(525394).await.unwrap(),
        vec!["Joyce borough Disaster Relief CIO".to_string()]
    );
    assert!(tx.register_other_names(1164323).await.unwrap().contains(
        &"William side International Development Charitable Incorporated Organisation".to_string()
    ));
    drop(tx);

    // The same extract again changes nothing.
    let again = import(&store, &sample).await.unwrap();
    assert_eq!(
        (
            again.inserted,
            again.updated,
            again.unchanged,
            again.removed
        ),
        (0, 0, 200, 0)
    );
    assert_eq!(again.rows_written, 0);
    store.close().await;
}

#[tokio::test]
async fn a_newer_extract_updates_in_place_and_marks_missing_charities_removed() {
    let Some(sample) = sample() else { return };
    let dir = tempfile::tempdir().unwrap();
    let store = testing::fresh_store(dir.path()).await.unwrap();
    import(&store, &sample).await.unwrap();

    let newer = dir.path().join("newer");
    std::fs::create_dir(&newer).unwrap();
    unzip_sample(&sample, &newer);
    // 207237 changes its name and income and loses a linked charity;
    // 208791 (registered) is gone from every table; 201935 gets a class.
    edit_lines(&newer.join("publicextract.charity.txt"), |_, line| {
        let f: Vec<&str> = line.split('\t').collect();
        match (f.get(2).copied(), f.get(3).copied()) {
            (Some("208791"), _) => None,
            (Some("207237"), Some("6")) => None,
            (Some("207237"), Some("0")) => Some(
                line.replace(
                    "Raymond ton Children Society",
                    "Raymond Tŷ & \"Children\" Society",
                )
                .replace("\t2421985\t", "\t2500000\t"),
            ),
            _ => Some(line.to_string()),
        }
    });
    for table in [
        "charity_classification",
        "charity_area_of_operation",
        "charity_governing_document",
        "charity_other_names",
    ] {
        edit_lines(
            &newer.join(format!("publicextract.{table}.txt")),
            |_, line| {
                let f: Vec<&str> = line.split('\t').collect();
                match (f.get(2).copied(), f.get(3).copied()) {
                    (Some("208791"), _) | (Some("207237"), Some("6")) => None,
                    _ => Some(line.to_string()),
                }
            },
        );
    }
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(newer.join("publicextract.charity_classification.txt"))
        .unwrap();
    f.write_all(b"2023-09-08 00:00:00.0000000\t201935\t201935\t0\t101\tWhat\tGeneral Charitable Purposes\r\n")
        .unwrap();
    drop(f);

    let summary = import(&store, &newer).await.unwrap();
    assert_eq!(summary.problems, vec![]);
    assert_eq!(summary.main_charities, 199);
    assert_eq!(
        (
            summary.inserted,
            summary.updated,
            summary.unchanged,
            summary.removed
        ),
        (0, 2, 197, 1)
    );
    let mut tx = store.read().await.unwrap();
    let raymond = tx.register_charity("GB-CHC-207237").await.unwrap().unwrap();
    assert_eq!(raymond.name, "Raymond Tŷ & \"Children\" Society");
    assert_eq!(raymond.latest_income, Some(2_500_000));
    assert_eq!(tx.register_linked_charities(207237).await.unwrap().len(), 5);
    let olivia = tx.register_charity("GB-CHC-208791").await.unwrap().unwrap();
    assert_eq!(olivia.status, "removed", "kept, and marked removed");
    assert_eq!(
        tx.register_classification_codes(201935).await.unwrap(),
        vec![101, 109, 110, 113, 207, 305]
    );
    drop(tx);
    assert_eq!(count(&store, RegisterTable::Charities).await, 200);
    assert_eq!(count(&store, RegisterTable::LinkedCharities).await, 371);

    // The original again: 208791 comes back registered, the rest as it was.
    let back = import(&store, &sample).await.unwrap();
    assert_eq!(
        (back.inserted, back.updated, back.unchanged, back.removed),
        (0, 3, 197, 0)
    );
    let mut tx = store.read().await.unwrap();
    let olivia = tx.register_charity("GB-CHC-208791").await.unwrap().unwrap();
    assert_eq!(olivia.status, "registered");
    assert_eq!(tx.register_linked_charities(207237).await.unwrap().len(), 6);
    drop(tx);
    store.close().await;
}

const CHARITY_HEADER: &str = "date_of_extract\torganisation_number\tregistered_charity_number\tlinked_charity_number\tcharity_name\tcharity_type\tcharity_registration_status\tdate_of_registration\tdate_of_removal\tcharity_reporting_status\tlatest_acc_fin_period_start_date\tlatest_acc_fin_period_end_date\tlatest_income\tlatest_expenditure\tcharity_contact_address1\tcharity_contact_address2\tcharity_contact_address3\tcharity_contact_address4\tcharity_contact_address5\tcharity_contact_postcode\tcharity_contact_phone\tcharity_contact_email\tcharity_contact_web\tcharity_company_registration_number\tcharity_insolvent\tcharity_in_administration\tcharity_previously_excepted\tcharity_is_cdf_or_cif\tcharity_is_cio\tcio_is_dissolved\tdate_cio_dissolution_notice\tcharity_activities\tcharity_gift_aid\tcharity_has_land";

/// A charity row: number, linked number, name, status, registered date, income.
fn charity(
    n: i64,
    linked: i64,
    name: &str,
    status: &str,
    registered: &str,
    income: &str,
) -> String {
    let mut f = vec![""; 34];
    let (n, linked) = (n.to_string(), linked.to_string());
    let org = format!("{}{}", n, linked);
    f[0] = "2024-05-01 00:00:00.0000000";
    f[1] = &org;
    f[2] = &n;
    f[3] = &linked;
    f[4] = name;
    f[6] = status;
    f[7] = registered;
    f[12] = income;
    f[24] = "False";
    f[31] = "Runs a lunch club & \"open door\" drop-in.";
    f.join("\t")
}

/// Writes a small extract: the charity table from `rows` with `end` as
/// the line end (and a BOM when asked), the other tables with a header
/// row only.
fn small_extract(dir: &Path, rows: &[String], end: &str, bom: bool) {
    let mut text = String::new();
    if bom {
        text.push('\u{feff}');
    }
    text.push_str(CHARITY_HEADER);
    text.push_str(end);
    for r in rows {
        text.push_str(r);
        text.push_str(end);
    }
    std::fs::write(dir.join("publicextract.charity.txt"), text).unwrap();
    for (table, header) in [
        (
            "charity_classification",
            "date_of_extract\torganisation_number\tregistered_charity_number\tlinked_charity_number\tclassification_code\tclassification_type\tclassification_description",
        ),
        (
            "charity_area_of_operation",
            "date_of_extract\torganisation_number\tregistered_charity_number\tlinked_charity_number\tgeographic_area_type\tgeographic_area_description\tparent_geographic_area_type\tparent_geographic_area_description\twelsh_ind",
        ),
        (
            "charity_governing_document",
            "date_of_extract\torganisation_number\tregistered_charity_number\tlinked_charity_number\tgoverning_document_description\tcharitable_objects\tarea_of_benefit",
        ),
        (
            "charity_other_names",
            "date_of_extract\torganisation_number\tregistered_charity_number\tlinked_charity_number\tcharity_name_id\tcharity_name_type\tcharity_name",
        ),
    ] {
        std::fs::write(
            dir.join(format!("publicextract.{table}.txt")),
            format!("{header}{end}"),
        )
        .unwrap();
    }
}

fn problem(file: &str, line: u64, reason: &str) -> Problem {
    Problem {
        file: file.into(),
        line,
        reason: reason.into(),
    }
}

#[tokio::test]
async fn malformed_rows_are_reported_with_file_line_and_reason_and_skipped() {
    for (end, bom) in [("\r\n", true), ("\n", false), ("\r\n", false)] {
        let dir = tempfile::tempdir().unwrap();
        let store = testing::fresh_store(dir.path()).await.unwrap();
        let extract = dir.path().join("extract");
        std::fs::create_dir(&extract).unwrap();
        let short: String = charity(1000003, 0, "Too Short", "Registered", "", "")
            .split('\t')
            .take(20)
            .collect::<Vec<_>>()
            .join("\t");
        small_extract(
            &extract,
            &[
                charity(
                    1000001,
                    0,
                    "Cymdeithas Llŷn & Eifionydd",
                    "Registered",
                    "2001-02-03 00:00:00.0000000",
                    "12000",
                ),
                charity(
                    1000002,
                    0,
                    "Bad Date Trust",
                    "Registered",
                    "2001-02-30 00:00:00.0000000",
                    "",
                ),
                short,
                charity(
                    1000004,
                    0,
                    "Bad Income \"Fund\"",
                    "Registered",
                    "",
                    "12,000",
                ),
                charity(1000005, 0, "Strange Status", "Dormant", "", ""),
                charity(1000001, 1, "Cymdeithas Llŷn Branch", "Registered", "", ""),
                charity(1000009, 1, "Orphan Branch", "Registered", "", ""),
                String::new(),
                charity(1000006, 0, "Côr Meibion Âber", "Removed", "1990-01-01", "0"),
            ],
            end,
            bom,
        );
        let summary = import(&store, &extract).await.unwrap();
        let file = "publicextract.charity.txt";
        assert_eq!(
            summary.problems,
            vec![
                problem(
                    file,
                    3,
                    "date_of_registration: \"2001-02-30 00:00:00.0000000\" is not a date"
                ),
                problem(file, 4, "it has 20 columns where the header has 34"),
                problem(file, 5, "latest_income: \"12,000\" is not a number"),
                problem(
                    file,
                    6,
                    "charity_registration_status: \"Dormant\" is neither Registered nor Removed"
                ),
                problem(
                    file,
                    8,
                    "linked charity 1000009-1 has no main charity (linked number 0) in the charity table"
                ),
            ],
            "line end {end:?}, BOM {bom}"
        );
        assert_eq!(summary.skipped, 5);
        assert_eq!(summary.charity_rows, 8, "the blank line is not a row");
        assert_eq!((summary.main_charities, summary.linked_charities), (2, 1));
        assert_eq!(summary.inserted, 2);
        let mut tx = store.read().await.unwrap();
        let llyn = tx
            .register_charity("GB-CHC-1000001")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(llyn.name, "Cymdeithas Llŷn & Eifionydd");
        assert_eq!(llyn.date_registered.as_deref(), Some("2001-02-03"));
        assert_eq!(llyn.latest_income, Some(12000));
        assert_eq!(
            llyn.activities.as_deref(),
            Some("Runs a lunch club & \"open door\" drop-in.")
        );
        assert_eq!(
            tx.register_linked_charities(1000001).await.unwrap().len(),
            1
        );
        let cor = tx
            .register_charity("GB-CHC-1000006")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(cor.name, "Côr Meibion Âber");
        assert_eq!(cor.status, "removed");
        assert!(
            tx.register_charity("GB-CHC-1000002")
                .await
                .unwrap()
                .is_none()
        );
        drop(tx);
        store.close().await;
    }
}

#[tokio::test]
async fn a_broken_charity_table_stops_the_import_and_names_the_file() {
    let Some(sample) = sample() else { return };
    let dir = tempfile::tempdir().unwrap();
    let store = testing::fresh_store(dir.path()).await.unwrap();

    // A truncated zip.
    let truncated = dir.path().join("truncated");
    std::fs::create_dir(&truncated).unwrap();
    for entry in std::fs::read_dir(&sample).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, truncated.join(path.file_name().unwrap())).unwrap();
    }
    let zip = truncated.join("publicextract.charity.zip");
    let bytes = std::fs::read(&zip).unwrap();
    std::fs::write(&zip, &bytes[..bytes.len() / 2]).unwrap();
    let err = import(&store, &truncated).await.unwrap_err().to_string();
    assert!(
        err.starts_with("publicextract.charity.zip: is not a complete zip file ("),
        "{err}"
    );
    assert!(err.ends_with("); download it again"), "{err}");

    // A zip whose data is damaged (the directory at its end is intact).
    let mut damaged = bytes.clone();
    for b in &mut damaged[200..2000] {
        *b = b.wrapping_add(1);
    }
    std::fs::write(&zip, &damaged).unwrap();
    let err = import(&store, &truncated).await.unwrap_err().to_string();
    assert!(
        err.starts_with("publicextract.charity.zip: is damaged ("),
        "{err}"
    );

    // A header row that is not the charity table's.
    let wrong = dir.path().join("wrong");
    std::fs::create_dir(&wrong).unwrap();
    small_extract(
        &wrong,
        &[charity(1000001, 0, "A", "Registered", "", "")],
        "\r\n",
        false,
    );
    edit_lines(&wrong.join("publicextract.charity.txt"), |i, line| {
        Some(if i == 0 {
            line.replace("charity_name\t", "name\t")
        } else {
            line.to_string()
        })
    });
    let err = import(&store, &wrong).await.unwrap_err().to_string();
    assert_eq!(
        err,
        "publicextract.charity.txt: the header row is not that of the charity table: it has no column charity_name"
    );
    // Nothing was written.
    assert_eq!(count(&store, RegisterTable::Charities).await, 0);

    // No charity table at all.
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let err = import(&store, &empty).await.unwrap_err().to_string();
    assert_eq!(
        err,
        format!("publicextract.charity.zip: is not in {}", empty.display())
    );
    store.close().await;
}

#[tokio::test]
async fn a_broken_other_table_is_reported_and_its_data_left_as_it_was() {
    let Some(sample) = sample() else { return };
    let dir = tempfile::tempdir().unwrap();
    let store = testing::fresh_store(dir.path()).await.unwrap();
    import(&store, &sample).await.unwrap();

    let broken = dir.path().join("broken");
    std::fs::create_dir(&broken).unwrap();
    for entry in std::fs::read_dir(&sample).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, broken.join(path.file_name().unwrap())).unwrap();
    }
    let zip = broken.join("publicextract.charity_classification.zip");
    let bytes = std::fs::read(&zip).unwrap();
    std::fs::write(&zip, &bytes[..1000]).unwrap();
    std::fs::remove_file(broken.join("publicextract.charity_other_names.zip")).unwrap();

    let summary = import(&store, &broken).await.unwrap();
    let unusable: Vec<String> = summary.unusable.iter().map(|e| e.to_string()).collect();
    assert_eq!(unusable.len(), 2, "{unusable:?}");
    assert!(
        unusable[0]
            .starts_with("publicextract.charity_classification.zip: is not a complete zip file"),
        "{unusable:?}"
    );
    assert_eq!(
        unusable[1],
        format!(
            "publicextract.charity_other_names.zip: is not in {}",
            broken.display()
        )
    );
    assert_eq!(summary.problems, vec![]);
    // The 188 charities with classifications or other names are rewritten
    // (their digests differ without those tables), but their
    // classifications and other names stay as they were.
    assert_eq!((summary.updated, summary.unchanged), (188, 12));
    assert_eq!(count(&store, RegisterTable::Classifications).await, 1278);
    assert_eq!(count(&store, RegisterTable::OtherNames).await, 222);
    assert_eq!(count(&store, RegisterTable::Areas).await, 413);
    store.close().await;
}

#[tokio::test]
async fn a_generated_register_scale_extract_imports_without_a_problem() {
    let dir = tempfile::tempdir().unwrap();
    let store = testing::fresh_store(dir.path()).await.unwrap();
    let extract = dir.path().join("extract");
    std::fs::create_dir(&extract).unwrap();
    let facts =
        commonground_store::fake_register::write_fake_extract(&extract, 3000, true).unwrap();
    assert_eq!(facts.main_charities, 3000);
    let summary = import(&store, &extract).await.unwrap();
    assert_eq!(summary.problems, vec![]);
    assert_eq!(summary.unusable, vec![]);
    assert_eq!(summary.main_charities, facts.main_charities);
    assert_eq!(summary.linked_charities, facts.linked_charities);
    assert_eq!(summary.registered_rows, facts.registered_rows);
    assert_eq!(summary.removed_rows, facts.removed_rows);
    assert_eq!(summary.rows, facts.rows);
    assert_eq!(summary.inserted, 3000);
    assert_eq!(
        count(&store, RegisterTable::Classifications).await,
        facts.classifications as i64
    );
    assert_eq!(
        count(&store, RegisterTable::Areas).await,
        facts.areas as i64
    );
    assert_eq!(
        count(&store, RegisterTable::OtherNames).await,
        facts.other_names as i64
    );
    assert_eq!(
        count(&store, RegisterTable::LinkedCharities).await,
        facts.linked_charities as i64
    );
    // Welsh letters, ampersands and quotes arrive intact.
    let mut tx = store.read().await.unwrap();
    let mut seen_welsh = false;
    let mut seen_quote = false;
    for n in 200_000..203_000 {
        let c = tx
            .register_charity(&format!("GB-CHC-{n}"))
            .await
            .unwrap()
            .unwrap();
        seen_welsh |= c.name.contains('ŷ') || c.name.contains('â') || c.name.contains('ô');
        seen_quote |= c
            .activities
            .as_deref()
            .unwrap_or("")
            .contains("\"pay as you feel\"");
    }
    assert!(seen_welsh && seen_quote);
    drop(tx);
    store.close().await;
}

/// In a file of CRLF lines, a bare LF is part of a field (long texts can
/// hold one), and the row is counted from the line it starts on.
#[tokio::test]
async fn a_line_feed_inside_a_field_of_a_crlf_file_stays_in_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let store = testing::fresh_store(dir.path()).await.unwrap();
    let extract = dir.path().join("extract");
    std::fs::create_dir(&extract).unwrap();
    small_extract(
        &extract,
        &[
            charity(1000001, 0, "Two Lines Trust", "Registered", "", "")
                .replace("Runs a lunch club", "Runs a lunch club\non Tuesdays"),
            charity(1000002, 0, "Bad Date Trust", "Registered", "2001-02-30", ""),
        ],
        "\r\n",
        false,
    );
    let summary = import(&store, &extract).await.unwrap();
    assert_eq!(
        summary.problems,
        vec![problem(
            "publicextract.charity.txt",
            4,
            "date_of_registration: \"2001-02-30\" is not a date"
        )]
    );
    let mut tx = store.read().await.unwrap();
    let two = tx
        .register_charity("GB-CHC-1000001")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        two.activities.as_deref(),
        Some("Runs a lunch club\non Tuesdays & \"open door\" drop-in.")
    );
    drop(tx);
    store.close().await;
}

/// A charity whose row is skipped as malformed is not missing from the
/// extract, so it is not marked removed; nor is anything when no row of
/// the charity table could be read.
#[tokio::test]
async fn a_skipped_charity_is_not_taken_for_removed() {
    let Some(sample) = sample() else { return };
    let dir = tempfile::tempdir().unwrap();
    let store = testing::fresh_store(dir.path()).await.unwrap();
    import(&store, &sample).await.unwrap();

    let newer = dir.path().join("newer");
    std::fs::create_dir(&newer).unwrap();
    unzip_sample(&sample, &newer);
    let charities = newer.join("publicextract.charity.txt");
    edit_lines(&charities, |_, line| {
        let f: Vec<&str> = line.split('\t').collect();
        Some(match (f.get(2).copied(), f.get(3).copied()) {
            (Some("207237"), Some("0")) => {
                line.replace("\t1963-07-25 00:00:00.0000000\t", "\t1963-07-32\t")
            }
            _ => line.to_string(),
        })
    });
    let summary = import(&store, &newer).await.unwrap();
    assert_eq!(summary.problems[0].file, "publicextract.charity.txt");
    assert_eq!(
        summary.problems[0].line,
        problem_line(&charities, "207237", "0")
    );
    assert_eq!(
        summary.problems[0].reason,
        "date_of_registration: \"1963-07-32\" is not a date"
    );
    assert_eq!(summary.removed, 0);
    let mut tx = store.read().await.unwrap();
    let raymond = tx.register_charity("GB-CHC-207237").await.unwrap().unwrap();
    assert_eq!(raymond.status, "registered");
    drop(tx);

    // Every row malformed: nothing is marked removed.
    let broken = dir.path().join("broken");
    std::fs::create_dir(&broken).unwrap();
    unzip_sample(&sample, &broken);
    edit_lines(&broken.join("publicextract.charity.txt"), |i, line| {
        Some(if i == 0 {
            line.to_string()
        } else {
            line.replacen('\t', "\t\t", 1)
        })
    });
    let summary = import(&store, &broken).await.unwrap();
    assert_eq!(summary.skipped as usize, summary.problems.len());
    assert_eq!(summary.main_charities, 0);
    assert_eq!(summary.removed, 0);
    store.close().await;
}

/// The line (counting the header as 1) of a charity row in a file.
fn problem_line(file: &Path, number: &str, linked: &str) -> u64 {
    let text = std::fs::read_to_string(file).unwrap();
    let index = text
        .split('\n')
        .position(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            f.get(2) == Some(&number) && f.get(3) == Some(&linked)
        })
        .unwrap();
    index as u64 + 1
}
