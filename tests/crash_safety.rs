//! SIGKILL in the middle of `tearsheet import`, twenty times over: the database stays whole, no
//! article is half-written, and running the import again finishes the job.
//!
//! Each run is killed right after it has run a chosen number of `INSERT INTO articles`
//! statements, which it reports through sqlx's statement log (`RUST_LOG=sqlx::query=debug`).
//! At that moment it is inside a write transaction, between inserting articles' rows and writing
//! their bodies, raw sources and search entries, so a kill leaves half-written articles behind
//! unless the write is one transaction.

mod common;

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, Stdio};

use common::{database_url, stored_articles, write_corpus};
use tearsheet::store::Store;

/// Articles in the corpus: more than the kills below can get through, so that every killed run
/// still has articles left to write.
const ARTICLES: usize = 2500;

/// Imports commit 500 files at a time (`BATCH` in the import command), and insert their rows 64
/// to a statement (`ROWS_PER_STATEMENT` in the store): 8 statements a batch.
const STATEMENTS_PER_BATCH: usize = 8;
const FILES_PER_BATCH: usize = 500;

/// After how many logged `INSERT INTO articles` statements each run is killed. A count up to 8
/// kills the run before its first commit (after the first statement, the middle, the last one
/// before the commit), and a count above it after a commit, mid-way through the next batch: the
/// database grows by a batch every few runs, and each kill finds it in a different state.
const KILL_AFTER_STATEMENTS: [usize; 20] = [
    1, 4, 7, 12, 2, 8, 3, 10, 7, 2, 5, 6, 9, 3, 8, 11, 1, 5, 7, 6,
];

const SIGKILL: i32 = 9;

fn import(database_dir: &Path, corpus: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tearsheet"));
    command
        .arg("import")
        .arg("--database-url")
        .arg(database_url(database_dir))
        .arg(corpus)
        .env_remove("DATABASE_URL");
    command
}

/// Runs an import and SIGKILLs it as soon as it has logged that many statements inserting into
/// `articles` (counted in this run only: articles already in the database are left unchanged,
/// not inserted). Panics unless the process was still running and died of the signal.
fn import_killed_after(database_dir: &Path, corpus: &Path, statements: usize) {
    let mut child = import(database_dir, corpus)
        .env("RUST_LOG", "sqlx::query=debug")
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start tearsheet import");
    let mut log = BufReader::new(child.stderr.take().expect("stderr")).lines();
    let mut seen = 0;
    while seen < statements {
        let Some(line) = log.next() else { break };
        if line
            .expect("read the import's log")
            .contains("INSERT INTO articles")
        {
            seen += 1;
        }
    }
    assert_eq!(
        seen, statements,
        "the import ended before {statements} statements inserting articles \
         (or sqlx no longer logs statements at debug level)"
    );
    assert!(
        child.try_wait().expect("import status").is_none(),
        "the import finished before it could be killed"
    );
    child.kill().expect("SIGKILL the import");
    let status = child.wait().expect("wait for the killed import");
    assert_eq!(status.signal(), Some(SIGKILL), "{status}");
    // The log is closed only now, so the import never saw a broken pipe before the kill.
    drop(log);
}

/// Checks the database as the killed import left it and returns the ids it holds: SQLite's
/// integrity check passes (it checks the FTS5 index too), and every article is whole (its row, its text, its raw source
/// and its search entry, and nothing in the index or raw sources without an article).
async fn whole_articles(database_dir: &Path) -> BTreeSet<String> {
    let store = Store::open(&database_url(database_dir))
        .await
        .expect("open the database after the kill");
    let pool = store.pool();
    let integrity: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(pool)
        .await
        .expect("integrity_check");
    assert_eq!(integrity, ["ok"]);

    let rows: Vec<(String, String, String, String)> = stored_articles(&store)
        .await
        .into_iter()
        .map(|(article, text)| (article.id, article.title, text, article.body_html))
        .collect();
    for (id, title, body_text, body_html) in &rows {
        let n = usize::from_str_radix(id, 16).expect("the corpus ids are hex numbers");
        assert_eq!(*title, format!("Invented story number {n}"));
        assert!(
            body_text.contains(&format!("Paragraph two of story {n} has a link")),
            "{id}: {body_text:?}"
        );
        assert!(
            body_html.contains(&format!("href=\"https://docs.example/{n}\"")),
            "{id}: {body_html:?}"
        );
    }
    let count = |sql: &'static str| async move {
        sqlx::query_scalar::<_, i64>(sql)
            .fetch_one(pool)
            .await
            .expect(sql)
    };
    let articles = i64::try_from(rows.len()).expect("count");
    // Every corpus article's body says "harbour", and its title "Invented".
    for (sql, expected) in [
        ("SELECT count(*) FROM raw_sources", articles),
        ("SELECT count(*) FROM articles", articles),
        (
            "SELECT count(*) FROM articles AS a
             WHERE NOT EXISTS (SELECT 1 FROM raw_sources AS r WHERE r.article_id = a.id)",
            0,
        ),
        (
            "SELECT count(*) FROM article_search WHERE article_search MATCH 'body:harbour'",
            articles,
        ),
        (
            "SELECT count(*) FROM article_search WHERE article_search MATCH 'title:invented'",
            articles,
        ),
        (
            "SELECT count(*) FROM articles WHERE rowid NOT IN
                 (SELECT rowid FROM article_search WHERE article_search MATCH 'body:harbour')",
            0,
        ),
    ] {
        assert_eq!(count(sql).await, expected, "{sql}");
    }
    store.pool().close().await;
    rows.into_iter().map(|(id, ..)| id).collect()
}

#[tokio::test]
async fn killed_imports_leave_whole_articles_and_a_rerun_finishes() {
    let dir = tempfile::tempdir().expect("dir");
    let corpus = write_corpus(dir.path(), ARTICLES);
    let mut saved = BTreeSet::new();
    let mut grew = 0;
    for statements in KILL_AFTER_STATEMENTS {
        let left = ARTICLES - saved.len();
        assert!(
            left >= FILES_PER_BATCH,
            "the kills got through the whole corpus"
        );
        let statements_left = left / FILES_PER_BATCH * STATEMENTS_PER_BATCH;
        import_killed_after(dir.path(), &corpus, statements.min(statements_left - 1));
        let now = whole_articles(dir.path()).await;
        assert!(now.is_superset(&saved), "a killed import lost articles");
        grew += usize::from(now.len() > saved.len());
        saved = now;
    }
    assert!(grew >= 3, "only {grew} killed runs committed anything");

    let rerun = import(dir.path(), &corpus)
        .output()
        .expect("run the import");
    let stdout = String::from_utf8_lossy(&rerun.stdout);
    assert!(
        rerun.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&rerun.stderr)
    );
    let resumed = format!(
        "imported {}, updated 0, unchanged {}, skipped 0",
        ARTICLES - saved.len(),
        saved.len()
    );
    assert!(stdout.contains(&resumed), "{stdout}");
    let expected: BTreeSet<String> = (0..ARTICLES).map(|n| format!("{n:016x}")).collect();
    assert_eq!(whole_articles(dir.path()).await, expected);
}
