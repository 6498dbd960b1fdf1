//! Accounts: sign-in, sessions and the signed-in actor; keys at start.

pub mod keys;
pub mod session;
