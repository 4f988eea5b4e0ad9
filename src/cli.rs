//! The command line: `tearsheet serve`, `tearsheet import`, `tearsheet extract`.

use std::net::SocketAddr;
use std::num::NonZeroUsize;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use url::Url;

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
    /// Write every article to DIR in the archive text format (importable again, same permalinks).
    Export(ExportArgs),
    /// Write a consistent copy of the database to FILE, even while the server runs.
    Backup(BackupArgs),
    /// Set the password that protects the archive (read from the terminal, or stdin).
    SetPassword(SetPasswordArgs),
    /// Extract the article from saved web pages (`.html` or `.html.gz`) and print it.
    Extract(ExtractArgs),
    /// Extract archived pages again from the copies stored when they were fetched (the
    /// permalinks stay); articles imported from text files are skipped.
    Reextract(ReextractArgs),
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
    #[command(flatten)]
    pub access: AccessArgs,
    /// Allow fetching pages on private and local networks (off by default: a server that
    /// fetches any URL it is given must not become a way into the network it runs in).
    #[arg(long, env = "TEARSHEET_ALLOW_PRIVATE_ADDRESSES")]
    pub allow_private_addresses: bool,
    /// At most this many page fetches at once; further submissions are told to retry.
    #[arg(long, env = "TEARSHEET_MAX_FETCHES", default_value_t = 4)]
    pub max_fetches: usize,
    /// Submissions (form and API) one client address may make a minute; 0 for no limit.
    #[arg(long, env = "TEARSHEET_SUBMITS_PER_MINUTE", default_value_t = 30)]
    pub submits_per_minute: u32,
    /// Fetch pages through this HTTP proxy (environment proxy variables are ignored).
    #[arg(long, env = "TEARSHEET_FETCH_PROXY")]
    pub fetch_proxy: Option<url::Url>,
}

#[derive(Debug, Args)]
pub struct AccessArgs {
    /// Serve without a password on a non-loopback address (anyone who can reach it can add and
    /// read articles).
    #[arg(long, env = "TEARSHEET_NO_AUTH")]
    pub no_auth: bool,
    /// With a password set, let anyone read; adding and managing articles still need login.
    #[arg(long, env = "TEARSHEET_PUBLIC_READING")]
    pub public_reading: bool,
    /// An argon2id password hash (PHC string) to use instead of the one `set-password` stores.
    #[arg(long, env = "TEARSHEET_PASSWORD_HASH", hide_env_values = true)]
    pub password_hash: Option<String>,
    /// Reverse proxies (CIDR, repeatable) whose X-Forwarded-For / X-Forwarded-Proto are believed.
    #[arg(
        long = "trusted-proxy",
        env = "TEARSHEET_TRUSTED_PROXIES",
        value_delimiter = ','
    )]
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// A header that trusted proxies set to the logged-in user's name (e.g. Remote-User).
    #[arg(
        long,
        env = "TEARSHEET_PROXY_USER_HEADER",
        requires = "trusted_proxies"
    )]
    pub proxy_user_header: Option<String>,
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

#[derive(Debug, Args)]
pub struct SetPasswordArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// A new or empty folder.
    pub dir: PathBuf,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// The page's address, for relative links and the site; by default the canonical link the
    /// page gives, else https://unknown.invalid/.
    #[arg(long, value_parser = parse_page_url)]
    pub url: Option<Url>,
    /// Print one JSON object per file and line.
    #[arg(long)]
    pub json: bool,
    /// Saved pages, `.html` or `.html.gz`.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ReextractArgs {
    /// Every article in the archive.
    #[arg(long, conflicts_with = "ids", required_unless_present = "ids")]
    pub all: bool,
    /// Article ids (the 16 hex digits in a permalink).
    pub ids: Vec<String>,
    /// Pages extracted at once, with up to four times as many read ahead [default: the
    /// machine's cores].
    #[arg(long, short = 'j')]
    pub jobs: Option<NonZeroUsize>,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

fn parse_page_url(text: &str) -> Result<Url, String> {
    let url = Url::parse(text).map_err(|error| error.to_string())?;
    if matches!(url.scheme(), "http" | "https") {
        Ok(url)
    } else {
        Err("an http or https URL is needed".to_owned())
    }
}
