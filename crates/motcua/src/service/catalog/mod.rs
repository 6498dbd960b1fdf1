//! The procedure catalog and reference data: imports, per-province lists, workflows.

pub mod import;
pub mod workflows;
