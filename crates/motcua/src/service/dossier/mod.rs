//! Dossiers: intake, views and work lists; every workflow action; interlinked bundles; documents; forms 02–07;
//! public tracking.

pub mod bundles;
pub mod documents;
pub mod dossiers;
pub mod drafts;
pub mod forms;
pub mod process;
pub mod records;
pub mod rules;
pub mod supplement;
pub mod tracking;
pub mod view;
pub mod worklists;
