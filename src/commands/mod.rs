//! What each command of the command line does; the only place that prints to stdout.
#![allow(clippy::print_stdout)]

mod backup;
mod export;
mod extract;
mod import;
mod reextract;
mod serve;
mod set_password;

use std::process::ExitCode;

use crate::cli::{Cli, Command};

pub use export::export_archive;
pub use import::{ImportSummary, import_paths};
pub use reextract::{ReextractSummary, reextract};

/// Runs a command. Exit status: 0 success, 1 partial success (import skipped files), 2 failure.
pub async fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Command::Serve(args) => serve::run(args).await.map(|()| ExitCode::SUCCESS),
        Command::Import(args) => import::run(args).await,
        Command::Export(args) => export::run(args).await.map(|()| ExitCode::SUCCESS),
        Command::Backup(args) => backup::run(args).await.map(|()| ExitCode::SUCCESS),
        Command::SetPassword(args) => set_password::run(args).await.map(|()| ExitCode::SUCCESS),
        Command::Extract(args) => extract::run(args),
        Command::Reextract(args) => reextract::run(args).await,
    };
    result.unwrap_or_else(|error| {
        tracing::error!("{error}");
        eprintln!("tearsheet: {error}");
        ExitCode::from(2)
    })
}
