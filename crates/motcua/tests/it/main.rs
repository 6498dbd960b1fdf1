//! Integration tests: store, API, CLI and a real socket, on SQLite and (with `MOTCUA_TEST_PG`) PostgreSQL.
// Test helpers are plain async fns, not `#[test]`s, so clippy's allow-unwrap-in-tests does not reach them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

mod api_auth;
mod api_calendar;
mod api_catalog;
mod api_dossiers;
mod api_units;
mod approval;
mod browser;
mod browser_floor;
mod browser_pay;
mod checklist;
mod cli;
mod deadlines;
mod notify;
mod online;
mod openapi;
mod payments;
mod platform;
mod queue;
mod queue_admin;
mod queue_floor;
mod replica;
mod reports;
mod search;
mod security;
mod tracking;
mod web;
mod webdriver;
mod workflow;
