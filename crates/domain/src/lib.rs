//! The rules of Common Ground, free of IO: values that can only be built
//! valid, roles, the access policy, and the stages of a collaboration.
//!
//! Everything here is pure and synchronous so it can be tested directly.

pub mod agreements;
pub mod aims;
pub mod approval;
pub mod benefits_risks;
pub mod collaborations;
pub mod comms;
pub mod contacts;
pub mod decisions;
pub mod due_diligence;
pub mod environment;
pub mod errors;
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
pub mod policy;
pub mod problems;
#[cfg(test)]
mod properties;
pub mod proposals;
#[cfg(test)]
mod proposals_properties;
pub mod readiness;
pub mod recurring;
pub mod register;
pub mod resources;
pub mod responsibilities;
pub mod risks;
pub mod shortlist;
pub mod stage;
pub mod story;
#[cfg(test)]
mod structures_properties;
pub mod tasks;
pub mod values;

pub use errors::{FieldError, FieldErrors, RuleError};
