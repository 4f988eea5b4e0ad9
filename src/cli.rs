//! The command line: `tearsheet serve`, `tearsheet import`.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Where the database lives when nothing is configured: `tearsheet.db` in the working directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite:tearsheet.db";
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

#[derive(Debug, Parser)]
#[command(
    name = "tearsheet",
    version,
    about = "A self-hosted web reader for archived articles"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the archive over HTTP.
    Serve(ServeArgs),
    /// Import archive text files (files or folders, read recursively).
    Import(ImportArgs),
    /// Write a consistent copy of the database to FILE, even while the server runs.
    Backup(BackupArgs),
}

#[derive(Debug, Args)]
pub struct DatabaseArgs {
    /// SQLite database URL; the file is created on first use.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    pub database_url: String,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "TEARSHEET_LISTEN", default_value = DEFAULT_LISTEN)]
    pub listen: SocketAddr,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Archive text files, or folders to read recursively.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Where to write the copy; must not exist yet.
    pub file: PathBuf,
    #[command(flatten)]
    pub database: DatabaseArgs,
}
