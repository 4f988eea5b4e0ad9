//! `tearsheet set-password`: store an argon2id hash of a new password; every session ends.

use std::io::{BufRead, IsTerminal};

use crate::access::hash_password;
use crate::cli::SetPasswordArgs;
use crate::error::Error;
use crate::store::Store;

/// Shorter passwords are refused: this one guards a server that fetches URLs on request.
const MIN_PASSWORD_CHARS: usize = 10;

pub async fn run(args: SetPasswordArgs) -> Result<(), Error> {
    let password = read_password()?;
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(Error::Config(format!(
            "the password must have at least {MIN_PASSWORD_CHARS} characters"
        )));
    }
    let store = Store::open(&args.database.database_url).await?;
    let hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|error| Error::Config(format!("hashing failed: {error}")))??;
    store.set_password_hash(&hash).await?;
    println!("password set; every existing session has ended");
    Ok(())
}

/// From the terminal without echo (asked twice), or the first line of stdin when piped.
fn read_password() -> Result<String, Error> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("New password: ")?;
        let second = rpassword::prompt_password("Again: ")?;
        if first != second {
            return Err(Error::Config("the two passwords differ".to_owned()));
        }
        return Ok(first);
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}
