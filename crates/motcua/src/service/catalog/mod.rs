//! The procedure catalog and reference data: imports, per-province lists, workflows.

pub mod checklists;
pub mod idcard;
pub mod import;
pub mod search;
pub mod search_eval;
pub mod workflows;
