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
    let store = Store::open(&args.database.database_url).await?;
    let started = Instant::now();
    let summary = import_paths(&store, &args.paths).await?;
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
    let mut summary = ImportSummary::default();
    let mut batch = Vec::with_capacity(BATCH);
    for path in paths.iter().flat_map(|path| archive_paths(path)) {
        let read = match path {
            Ok(path) => read_archive_file(&path),
            Err(skip) => Err(skip),
        };
        match read {
            Ok(file) => {
                for warning in &file.warnings {
                    eprintln!("warning: {}: {warning}", file.article.source_name);
                }
                batch.push(file);
            }
            Err(skip) => {
                eprintln!("skipped {}: {}", skip.path.display(), skip.reason);
                summary.skipped += 1;
            }
        }
        if batch.len() == BATCH {
            save_batch(store, &mut batch, &mut summary).await?;
        }
    }
    save_batch(store, &mut batch, &mut summary).await?;
    Ok(summary)
}

async fn save_batch(
    store: &Store,
    batch: &mut Vec<ArchiveFile>,
    summary: &mut ImportSummary,
) -> Result<(), Error> {
    if batch.is_empty() {
        return Ok(());
    }
    let articles: Vec<_> = batch.drain(..).map(|file| file.article).collect();
    for outcome in store.save_all(&articles).await? {
        match outcome {
            SaveOutcome::Inserted => summary.imported += 1,
            SaveOutcome::Updated => summary.updated += 1,
            SaveOutcome::Unchanged => summary.unchanged += 1,
        }
    }
    Ok(())
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
