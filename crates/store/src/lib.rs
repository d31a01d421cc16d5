//! Persistence for Common Ground.
//!
//! One query path serves SQLite and PostgreSQL: statements are written once
//! in the SQL both understand, with `?` placeholders that are rewritten to
//! `$1, $2 …` for PostgreSQL, and run through sqlx's native drivers. Every
//! lookup of shared data takes the acting person, so nothing outside their
//! organisations can be read through this crate by accident.

pub mod accounts;
pub mod agreements;
pub mod aims;
pub mod audit;
pub mod backup;
pub mod benefits_risks;
pub mod calendar;
pub mod collaborations;
pub mod comms;
pub mod contacts;
mod db;
pub mod decisions;
pub mod demo;
pub mod directory;
pub mod due_diligence;
pub mod environment;
pub mod export;
pub mod extract;
pub mod fake_register;
pub mod fit;
pub mod forward;
pub mod goals;
pub mod governance;
pub mod health_checks;
pub mod identify;
pub mod meetings;
pub mod model;
pub mod notifications;
pub mod organisations;
pub mod outcomes;
pub mod plan;
pub mod problems;
pub mod proposals;
pub mod readiness;
pub mod recurring;
pub mod register;
pub mod responsibilities;
pub mod risks;
pub mod shortlist;
pub mod story;
pub mod tasks;
pub mod testing;

pub use db::{Backend, ConnectOptions, Store, StoreError, Tx};

/// A fresh random secret, as 64 hex characters (256 bits).
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random source failed");
    to_hex(&bytes)
}

/// The SHA-256 of a secret token, in hex. Tokens are stored only as hashes.
pub fn hash_token(token: &str) -> String {
    use sha2::Digest;
    to_hex(&sha2::Sha256::digest(token.as_bytes()))
}

pub(crate) fn to_hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(HEX[(b >> 4) as usize] as char);
        out.push(HEX[(b & 0xf) as usize] as char);
    }
    out
}

/// Lists such as areas served are stored one item a line.
pub(crate) fn join_list(items: &[String]) -> String {
    items.join("\n")
}

pub(crate) fn split_list(stored: &str) -> Vec<String> {
    stored
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect()
}
