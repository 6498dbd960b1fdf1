//! Background jobs, run by `serve` on a timer and from the CLI: the deadline sweep, the queue's listener.

pub mod access_log;
pub mod deliver;
pub mod payments;
pub mod queue_listen;
pub mod replica;
pub mod sweep;
