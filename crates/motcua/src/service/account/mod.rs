//! Accounts: sign-in, sessions and the signed-in actor.

pub mod session;
