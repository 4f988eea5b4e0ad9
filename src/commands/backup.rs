//! `tearsheet backup FILE`: a consistent copy of the database (`VACUUM INTO`).

use crate::cli::BackupArgs;
use crate::error::Error;
use crate::store::Store;

pub async fn run(args: BackupArgs) -> Result<(), Error> {
    if args.file.exists() {
        return Err(Error::Config(format!(
            "{} already exists; choose a new file",
            args.file.display()
        )));
    }
    let store = Store::open(&args.database.database_url).await?;
    store.backup(&args.file).await?;
    println!("backup written to {}", args.file.display());
    Ok(())
}
