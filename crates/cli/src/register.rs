//! `commonground import-register PATH`: the Charity Commission register
//! extract into the database, with a progress bar on a terminal and plain
//! lines in a log.
//!
//! Exit status: 0 when the import finished, even with malformed rows
//! (each is listed with its file, line and reason) or with another table
//! missing or damaged (listed; what the database held of that table is
//! kept). Non-zero only when the charity table itself cannot be used, or
//! the database fails: then nothing more is written.

use crate::Global;
use crate::settings;
use commonground_store::register::{ImportError, ImportProgress, ImportSummary};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;

#[derive(clap::Args, Debug)]
pub struct ImportRegister {
    /// The folder holding the extract: the publicextract.<table>.zip files
    /// as downloaded, or the .txt files inside them.
    #[arg(value_name = "PATH")]
    pub path: PathBuf,
}

pub async fn import_register(global: &Global, args: &ImportRegister) -> Result<(), String> {
    let (store, database) = settings::open_migrated(global).await?;
    eprintln!(
        "Importing the register extract in {} into {}…",
        args.path.display(),
        database.describe()
    );
    let started = Instant::now();
    let mut progress = Progress::new(std::io::stderr().is_terminal());
    let result = commonground_store::register::import_register(
        &store,
        &args.path,
        settings::now(),
        &mut |p| progress.show(p),
    )
    .await;
    progress.finish();
    store.close().await;
    let summary = match result {
        Ok(summary) => summary,
        Err(ImportError::Extract(e)) => {
            return Err(format!("{e}\nNothing was imported."));
        }
        Err(ImportError::Store(e)) => {
            return Err(format!(
                "the database failed during the import: {e}\nThe charities written before it failed are kept; run the import again to finish."
            ));
        }
    };
    for problem in &summary.problems {
        eprintln!("Skipped {problem}");
    }
    for table in &summary.unusable {
        eprintln!("Not used: {table}. What the database held from that table was kept.");
    }
    print_summary(&summary, started.elapsed().as_secs_f64());
    Ok(())
}

fn print_summary(s: &ImportSummary, seconds: f64) {
    println!(
        "Read {} charity rows ({} registered, {} removed): {} main charities and {} linked charities under them.",
        s.charity_rows, s.registered_rows, s.removed_rows, s.main_charities, s.linked_charities
    );
    println!(
        "Inserted {}, updated {}, unchanged {}, marked removed {}; skipped {} malformed rows (of {} rows in all tables).",
        s.inserted, s.updated, s.unchanged, s.removed, s.skipped, s.rows
    );
    if !s.unusable.is_empty() {
        println!(
            "{} table(s) could not be used; see the messages above.",
            s.unusable.len()
        );
    }
    println!(
        "Wrote {} rows in {seconds:.1} seconds (reading {:.1} s, writing {:.1} s, analysing {:.1} s); the tables are analysed.",
        s.rows_written,
        s.reading.as_secs_f64(),
        s.writing.as_secs_f64(),
        s.analysing.as_secs_f64()
    );
}

/// A progress bar on a terminal; a line per step otherwise.
struct Progress {
    terminal: bool,
    bar: Option<ProgressBar>,
    step: String,
    last_line: Instant,
}

impl Progress {
    fn new(terminal: bool) -> Progress {
        Progress {
            terminal,
            bar: None,
            step: String::new(),
            last_line: Instant::now(),
        }
    }

    fn show(&mut self, p: ImportProgress) {
        let (step, done, total, bytes) = match p {
            ImportProgress::Reading { table, done, total } => {
                (format!("Reading {table}"), done, total, true)
            }
            ImportProgress::Writing { done, total } => {
                ("Writing charities".to_string(), done, total, false)
            }
            ImportProgress::Removing => ("Marking missing charities removed".into(), 0, 0, false),
            ImportProgress::Analysing => ("Analysing the tables".into(), 0, 0, false),
        };
        let new_step = step != self.step;
        if new_step {
            self.finish();
            self.step = step.clone();
        }
        if self.terminal {
            let bar = self.bar.get_or_insert_with(|| {
                let bar = ProgressBar::new(total.max(1));
                let template = if total == 0 {
                    "{spinner} {msg}"
                } else if bytes {
                    "{msg:32} [{bar:30}] {bytes}/{total_bytes} ({eta})"
                } else {
                    "{msg:32} [{bar:30}] {pos}/{len} ({eta})"
                };
                bar.set_style(
                    ProgressStyle::with_template(template)
                        .unwrap_or_else(|_| ProgressStyle::default_bar())
                        .progress_chars("=> "),
                );
                bar.set_message(step);
                bar
            });
            bar.set_length(total.max(1));
            bar.set_position(done);
        } else if new_step
            || self.last_line.elapsed().as_secs() >= 5
            || (total > 0 && done >= total)
        {
            if total > 0 && !bytes {
                eprintln!("  {}: {done} of {total}", self.step);
            } else if total > 0 {
                eprintln!("  {}: {} of {} MB", self.step, done >> 20, total >> 20);
            } else {
                eprintln!("  {}…", self.step);
            }
            self.last_line = Instant::now();
        }
    }

    fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish();
        }
    }
}
