//! The procedure catalog and reference data: imports, per-province lists, workflows.

pub mod checklists;
pub mod import;
pub mod workflows;
