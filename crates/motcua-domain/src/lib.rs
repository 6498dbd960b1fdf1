//! Pure domain of motcua: units, procedures, dossiers and the legal-time calendar. No IO, no async.

pub mod agency;
pub mod calendar;
pub mod catalog;
pub mod checklist;
pub mod codes;
pub mod error;
pub mod fees;
pub mod ids;
pub mod labels;
pub mod money;
pub mod payment;
pub mod person;
pub mod qr;
pub mod queue;
pub mod report;
pub mod role;
pub mod search;
pub mod status;
pub mod supplement;
pub mod text;
pub mod workflow;

pub use error::DomainError;
