//! Integration tests: the real router, sessions and server functions over a real PostgreSQL
//! (a fresh migrated database per test, made by `#[sqlx::test]` from DATABASE_URL).
#![cfg(feature = "ssr")]
#![allow(dead_code)]

mod account;
mod api_keys;
mod api_v1;
mod applications;
mod assets;
mod audit_chain;
mod audit_log;
mod authorization;
mod branding;
mod certifications;
mod cli;
mod clients;
mod close_runs;
mod commissions;
mod common;
mod database;
mod deals;
mod deals_direct;
mod dns;
mod embedded_postgres;
mod faults;
mod governance;
mod health;
mod impersonation;
mod invoices;
mod leads;
mod mail;
mod observability;
mod overload;
mod pages;
mod paging;
mod read_models;
mod recovery;
mod reference;
mod sign_in;
mod smtp_sink;
mod spreadsheets;
mod team;
mod tenancy;
mod two_factor;
mod two_servers;
mod webhooks;
