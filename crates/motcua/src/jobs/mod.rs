//! Background jobs, run by `serve` on a timer and from the CLI: the deadline sweep.

pub mod sweep;
