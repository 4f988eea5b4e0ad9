//! The `tearsheet` binary: parse the command line, start logging, run the command.

use std::process::ExitCode;

use clap::Parser;
use tearsheet::cli::Cli;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    tearsheet::logging::init();
    tearsheet::commands::run(cli).await
}
