//! `commonground import-register` run as an operator runs it, on SQLite in
//! a temporary folder: what it prints, and its exit status.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn commonground(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_commonground"));
    command.current_dir(dir).stdin(Stdio::null());
    for name in [
        "DATABASE_URL",
        "RUST_LOG",
        "COMMONGROUND_DATA_DIR",
        "COMMONGROUND_LOG_FORMAT",
    ] {
        command.env_remove(name);
    }
    command
}

fn run(dir: &Path, extract: &Path) -> (Output, String, String) {
    let output = commonground(dir)
        .arg("--data-dir")
        .arg(dir.join("data"))
        .arg("import-register")
        .arg(extract)
        .output()
        .expect("the program runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output, stdout, stderr)
}

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

#[test]
fn the_sample_imports_with_a_summary_and_again_changes_nothing() {
    let Some(sample) = sample() else { return };
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("data")).unwrap();
    let (output, stdout, stderr) = run(dir.path(), &sample);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(
        stdout.contains(
            "Read 572 charity rows (397 registered, 175 removed): 200 main charities and 372 linked charities under them.\n"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "Inserted 200, updated 0, unchanged 0, marked removed 0; skipped 0 malformed rows (of 3057 rows in all tables).\n"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("the tables are analysed."), "{stdout}");
    // Not a terminal: plain progress lines, no bar.
    assert!(stderr.contains("  Reading charity: "), "{stderr}");
    assert!(
        stderr.contains("  Writing charities: 200 of 200\n"),
        "{stderr}"
    );
    assert!(
        !stderr.contains('\r') && !stderr.contains("Skipped"),
        "{stderr}"
    );

    let (output, stdout, _) = run(dir.path(), &sample);
    assert!(output.status.success());
    assert!(
        stdout.contains("Inserted 0, updated 0, unchanged 200, marked removed 0;"),
        "{stdout}"
    );
}

const HEADER: &str = "date_of_extract\torganisation_number\tregistered_charity_number\tlinked_charity_number\tcharity_name\tcharity_type\tcharity_registration_status\tdate_of_registration\tdate_of_removal\tcharity_reporting_status\tlatest_acc_fin_period_start_date\tlatest_acc_fin_period_end_date\tlatest_income\tlatest_expenditure\tcharity_contact_address1\tcharity_contact_address2\tcharity_contact_address3\tcharity_contact_address4\tcharity_contact_address5\tcharity_contact_postcode\tcharity_contact_phone\tcharity_contact_email\tcharity_contact_web\tcharity_company_registration_number\tcharity_insolvent\tcharity_in_administration\tcharity_previously_excepted\tcharity_is_cdf_or_cif\tcharity_is_cio\tcio_is_dissolved\tdate_cio_dissolution_notice\tcharity_activities\tcharity_gift_aid\tcharity_has_land";

fn row(n: i64, name: &str, registered: &str) -> String {
    let mut f = vec![String::new(); 34];
    f[1] = n.to_string();
    f[2] = n.to_string();
    f[3] = "0".into();
    f[4] = name.into();
    f[6] = "Registered".into();
    f[7] = registered.into();
    f.join("\t")
}

#[test]
fn a_malformed_row_is_listed_and_skipped_and_the_import_succeeds() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("data")).unwrap();
    let extract = dir.path().join("extract");
    std::fs::create_dir(&extract).unwrap();
    std::fs::write(
        extract.join("publicextract.charity.txt"),
        format!(
            "\u{feff}{HEADER}\r\n{}\r\n{}\r\n",
            row(
                1000001,
                "Cymdeithas Llŷn & \"Eifionydd\"",
                "2001-02-03 00:00:00.0000000"
            ),
            row(1000002, "Bad Date Trust", "31/02/2001"),
        ),
    )
    .unwrap();
    let (output, stdout, stderr) = run(dir.path(), &extract);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(
        stderr.contains(
            "Skipped publicextract.charity.txt line 3: date_of_registration: \"31/02/2001\" is not a date\n"
        ),
        "{stderr}"
    );
    // The other tables are missing: each is named, and the import goes on.
    assert!(
        stderr.contains("Not used: publicextract.charity_classification.zip: is not in "),
        "{stderr}"
    );
    assert!(
        stdout.contains("Inserted 1, updated 0, unchanged 0, marked removed 0; skipped 1 malformed rows (of 2 rows in all tables)."),
        "{stdout}"
    );
    assert!(stdout.contains("4 table(s) could not be used"), "{stdout}");
}

#[test]
fn an_unusable_charity_table_fails_and_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("data")).unwrap();
    let extract = dir.path().join("extract");
    std::fs::create_dir(&extract).unwrap();
    // A zip cut short.
    std::fs::write(
        extract.join("publicextract.charity.zip"),
        b"PK\x03\x04 not really",
    )
    .unwrap();
    let (output, stdout, stderr) = run(dir.path(), &extract);
    assert_eq!(output.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("Error: publicextract.charity.zip: is not a complete zip file ("),
        "{stderr}"
    );
    assert!(stderr.contains("Nothing was imported."), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");

    let (output, _, stderr) = run(dir.path(), &dir.path().join("nowhere"));
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr.contains("nowhere: is not a folder."), "{stderr}");
}
