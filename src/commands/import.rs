//! `tearsheet import PATH...`: archive text files into the database, in batched transactions.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use walkdir::WalkDir;

use crate::cli::ImportArgs;
use crate::error::Error;
use crate::ingest::archive_file::{ArchiveFile, Skipped, read_archive_file};
use crate::store::{SaveOutcome, Store};

/// Files saved per transaction: large enough to amortise the commit, small enough to keep each
/// write lock short for a server running beside the import.
const BATCH: usize = 500;

/// What an import did, counted per file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub imported: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub skipped: usize,
}

pub async fn run(args: ImportArgs) -> Result<ExitCode, Error> {
    let store = Store::open_for_import(&args.database.database_url).await?;
    let started = Instant::now();
    let summary = import_paths(&store, &args.paths).await?;
    store.fold_write_ahead_log().await?;
    let seconds = started.elapsed().as_secs_f64();
    let files = summary.imported + summary.updated + summary.unchanged + summary.skipped;
    println!(
        "imported {}, updated {}, unchanged {}, skipped {} ({files} files in {seconds:.2} s, {:.0} files/s)",
        summary.imported,
        summary.updated,
        summary.unchanged,
        summary.skipped,
        files as f64 / seconds.max(1e-9),
    );
    Ok(if summary.skipped == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Imports files and folders (recursively, `.txt` files only inside folders). Files that cannot
/// be read or hold no article are reported on stderr and skipped; the rest goes on.
pub async fn import_paths(store: &Store, paths: &[PathBuf]) -> Result<ImportSummary, Error> {
    // Reading and parsing (CPU) run on other threads while the previous batch is written, so
    // both cores stay busy and the database never waits for the disk walk.
    let (batches, mut parsed) = tokio::sync::mpsc::channel::<Vec<Result<ArchiveFile, Skipped>>>(2);
    let paths = paths.to_vec();
    let reader = tokio::task::spawn_blocking(move || {
        let mut files = paths.iter().flat_map(|path| archive_paths(path)).peekable();
        while files.peek().is_some() {
            let batch: Vec<_> = files.by_ref().take(BATCH).collect();
            if batches.blocking_send(read_in_parallel(batch)).is_err() {
                break;
            }
        }
    });
    let mut summary = ImportSummary::default();
    while let Some(batch) = parsed.recv().await {
        let mut articles = Vec::with_capacity(batch.len());
        for read in batch {
            match read {
                Ok(file) => {
                    for warning in &file.warnings {
                        eprintln!("warning: {}: {warning}", file.path.display());
                    }
                    articles.push(file.article);
                }
                Err(skip) => {
                    eprintln!("skipped {}: {}", skip.path.display(), skip.reason);
                    summary.skipped += 1;
                }
            }
        }
        for outcome in store.save_all(&articles).await? {
            match outcome {
                SaveOutcome::Inserted => summary.imported += 1,
                SaveOutcome::Updated => summary.updated += 1,
                SaveOutcome::Unchanged => summary.unchanged += 1,
            }
        }
    }
    reader
        .await
        .map_err(|error| Error::Config(format!("reading files failed: {error}")))?;
    Ok(summary)
}

/// Reads and parses a batch on every core, keeping the files' order. A file that makes the
/// parser panic is skipped and reported like any other bad file.
fn read_in_parallel(mut batch: Vec<Result<PathBuf, Skipped>>) -> Vec<Result<ArchiveFile, Skipped>> {
    let workers = std::thread::available_parallelism().map_or(1, usize::from);
    let chunk = batch.len().div_ceil(workers).max(1);
    let mut chunks = Vec::with_capacity(workers);
    while !batch.is_empty() {
        let rest = batch.split_off(chunk.min(batch.len()));
        chunks.push(std::mem::replace(&mut batch, rest));
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|paths| scope.spawn(move || paths.into_iter().map(read_one).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|handle| handle.join().unwrap_or_default())
            .collect()
    })
}

fn read_one(path: Result<PathBuf, Skipped>) -> Result<ArchiveFile, Skipped> {
    let path = path?;
    std::panic::catch_unwind(|| read_archive_file(&path))
        .unwrap_or_else(|_| Err(Skipped::new(&path, "the parser failed on this file")))
}

/// The files to import under `path`: the file itself, or every `.txt` file below a folder, in
/// name order. Symbolic links inside folders are not followed (they could lead anywhere).
fn archive_paths(path: &Path) -> impl Iterator<Item = Result<PathBuf, Skipped>> {
    let is_folder = path.is_dir();
    WalkDir::new(path)
        .follow_links(false)
        .follow_root_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_map(move |entry| match entry {
            Err(error) => Some(Err(Skipped {
                path: error.path().map_or_else(|| path.to_owned(), Path::to_owned),
                reason: error.to_string(),
            })),
            Ok(entry) if entry.file_type().is_dir() => None,
            Ok(entry) if is_folder && !has_txt_extension(entry.path()) => None,
            Ok(entry) if entry.path_is_symlink() && entry.depth() > 0 => Some(Err(Skipped {
                path: entry.into_path(),
                reason: "symbolic link inside a folder, not followed".to_owned(),
            })),
            Ok(entry) => Some(Ok(entry.into_path())),
        })
}

fn has_txt_extension(path: &Path) -> bool {
    path.extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("txt"))
}
