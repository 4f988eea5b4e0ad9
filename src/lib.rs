//! Tearsheet: a self-hosted web reader for archived articles.

pub mod access;
pub mod archiver;
pub mod article;
pub mod cli;
pub mod commands;
pub mod error;
pub mod ingest;
pub mod logging;
pub mod search;
pub mod store;
pub mod web;

pub use web::app;
