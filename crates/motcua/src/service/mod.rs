//! Use cases: one function and one transaction per action, shared by the API, the CLI and the jobs.

pub mod bundles;
pub mod demo;
pub mod documents;
pub mod dossiers;
pub mod forms;
pub mod import;
pub mod keys;
pub mod process;
pub mod session;
pub mod sweep;
pub mod tracking;
pub mod workflows;
