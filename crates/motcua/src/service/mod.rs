//! Use cases: one function and one transaction per action, shared by the API, the CLI and the jobs, grouped by area.

pub mod account;
pub mod admin;
pub mod catalog;
pub mod demo;
pub mod dossier;
pub mod feedback;
pub mod money;
pub mod notify;
pub mod queue;
pub mod reports;
pub mod results;
