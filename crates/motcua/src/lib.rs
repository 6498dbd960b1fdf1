//! motcua: the one-stop public administrative service system — storage, services, HTTP API and CLI.

#![recursion_limit = "256"]

pub mod auth;
pub mod blob;
pub mod cli;
pub mod clock;
pub mod config;
pub mod crypto;
pub mod error;
pub mod fsperm;
pub mod http;
pub mod integrations;
pub mod jobs;
pub mod keys;
pub mod metrics;
pub mod pdf;
pub mod queue_bus;
pub mod ratelimit;
pub mod sandbox_gateway;
pub mod scope;
pub mod search_index;
pub mod service;
pub mod state;
pub mod store;
pub mod telemetry;
