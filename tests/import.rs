//! `tearsheet import` as a user runs it: the real binary, real files, a fresh SQLite file.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{FixtureArticle, TestApp, database_url, write_corpus};
use tearsheet::store::Store;

fn import(database_dir: &Path, paths: &[&Path]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tearsheet"))
        .arg("import")
        .arg("--database-url")
        .arg(database_url(database_dir))
        .args(paths)
        .env_remove("DATABASE_URL")
        .output()
        .expect("run tearsheet import")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

async fn permalinks(database_dir: &Path) -> Vec<(String, String)> {
    let store = Store::open(&database_url(database_dir))
        .await
        .expect("open");
    sqlx::query_as("SELECT id, slug FROM articles ORDER BY id")
        .fetch_all(store.pool())
        .await
        .expect("permalinks")
}

#[tokio::test]
async fn reimporting_is_idempotent_and_a_changed_file_updates_in_place() {
    let dir = tempfile::tempdir().expect("dir");
    let corpus = write_corpus(dir.path(), 20);
    let first = import(dir.path(), &[&corpus]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(
        stdout(&first).contains("imported 20, updated 0, unchanged 0, skipped 0"),
        "{}",
        stdout(&first)
    );
    let log = dir.path().join("tearsheet.db-wal");
    assert!(
        std::fs::metadata(&log).map_or(true, |log| log.len() == 0),
        "the import leaves its write-ahead log folded into the database file"
    );

    let again = import(dir.path(), &[&corpus]);
    assert!(
        stdout(&again).contains("imported 0, updated 0, unchanged 20, skipped 0"),
        "{}",
        stdout(&again)
    );

    let before = permalinks(dir.path()).await;
    let changed = corpus.join(format!("003_{:016x}.txt", 3));
    let text = std::fs::read_to_string(&changed).expect("read");
    std::fs::write(&changed, text.replace("harbour town", "river town")).expect("write");
    let third = import(dir.path(), &[&corpus]);
    assert!(
        stdout(&third).contains("imported 0, updated 1, unchanged 19, skipped 0"),
        "{}",
        stdout(&third)
    );
    assert_eq!(permalinks(dir.path()).await, before, "permalinks stay");
}

#[tokio::test]
async fn permalinks_are_identical_after_importing_into_a_fresh_database() {
    let sources = tempfile::tempdir().expect("dir");
    let corpus = write_corpus(sources.path(), 12);
    // Files without an id in their name get one derived from their URL (or text).
    FixtureArticle {
        id: "x",
        title: "No id in the name",
        date: "2026-05-01",
        url: "https://x.example/a",
        body: "Text.",
    }
    .write(&corpus, 900);
    std::fs::rename(corpus.join("900_x.txt"), corpus.join("loose-article.txt")).expect("rename");
    std::fs::write(
        corpus.join("no-url.txt"),
        "A title\n\nJust some text without a trailer.\n",
    )
    .expect("write");

    let (one, two) = (
        tempfile::tempdir().expect("dir"),
        tempfile::tempdir().expect("dir"),
    );
    assert!(import(one.path(), &[&corpus]).status.success());
    assert!(import(two.path(), &[&corpus]).status.success());
    let first = permalinks(one.path()).await;
    assert_eq!(first.len(), 14);
    assert_eq!(first, permalinks(two.path()).await);
}

#[tokio::test]
async fn bad_files_are_reported_and_skipped_and_the_rest_imports() {
    let dir = tempfile::tempdir().expect("dir");
    let corpus = write_corpus(dir.path(), 3);
    std::fs::write(corpus.join("empty.txt"), "").expect("write");
    std::fs::write(corpus.join("blank.txt"), "\n  \r\n").expect("write");
    std::fs::write(corpus.join("bom.txt"), "\u{feff}\n").expect("write");
    std::fs::write(corpus.join("spaces.txt"), "\u{a0}\n\u{3000}\n").expect("write");
    std::os::unix::fs::symlink("/dev/zero", corpus.join("zero.txt")).expect("symlink");
    let missing = dir.path().join("missing.txt");

    let output = import(dir.path(), &[&corpus, &missing]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stdout(&output).contains("imported 3, updated 0, unchanged 0, skipped 6"),
        "{}",
        stdout(&output)
    );
    let names = [
        "empty.txt",
        "blank.txt",
        "bom.txt",
        "spaces.txt",
        "zero.txt",
        "missing.txt",
    ];
    for name in names {
        assert!(
            stderr
                .lines()
                .any(|line| line.starts_with("skipped") && line.contains(name)),
            "{name}: {stderr}"
        );
    }

    // Nothing already stored is lost when a later import has bad files.
    let app = TestApp::start_in(dir).await;
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM articles")
        .fetch_one(app.store.pool())
        .await
        .expect("count");
    assert_eq!(count, 3);
}

#[test]
fn an_unusable_database_is_a_fatal_error_with_status_2() {
    let dir = tempfile::tempdir().expect("dir");
    let corpus = write_corpus(dir.path(), 1);
    let output = Command::new(env!("CARGO_BIN_EXE_tearsheet"))
        .args(["import", "--database-url"])
        .arg(format!(
            "sqlite:{}/no/such/folder/t.db",
            dir.path().display()
        ))
        .arg(&corpus)
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert!(!output.stderr.is_empty());
}

#[test]
fn every_command_has_help() {
    for args in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["import", "--help"],
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_tearsheet"))
            .args(&args)
            .output()
            .expect("run");
        assert!(output.status.success(), "{args:?}");
        assert!(stdout(&output).contains("Usage"), "{args:?}");
    }
}

/// Each archived article's URL key, by id (`None`: saved without one, another article holds it).
async fn url_keys(store: &Store) -> Vec<(String, Option<String>)> {
    sqlx::query_as("SELECT id, url_key FROM articles ORDER BY id")
        .fetch_all(store.pool())
        .await
        .expect("url keys")
}

#[tokio::test]
async fn a_url_archived_twice_stays_with_the_first_file_and_a_file_given_twice_is_saved_once() {
    let app = TestApp::start().await;
    let folder = app.dir.path().join("first");
    std::fs::create_dir_all(&folder).expect("folder");
    let article = |id, url| FixtureArticle {
        id,
        title: "Ferry timetable changes for the winter",
        date: "May 2, 2026",
        url,
        body: "The harbour office printed the new timetable on Tuesday.",
    };
    let first = article("00000000000000a1", "https://port.example/winter").write(&folder, 1);
    article("00000000000000b2", "https://port.example/winter").write(&folder, 2);
    let summary = app.import(&[folder.clone(), first.clone()]).await;
    assert_eq!(
        (summary.imported, summary.unchanged),
        (2, 1),
        "the file named again is unchanged"
    );
    let keys = url_keys(&app.store).await;
    let winter = keys[0].1.clone().expect("the first file keeps its URL");
    assert!(winter.contains("port.example/winter"), "{winter}");
    assert_eq!(
        keys[1].1, None,
        "the second file of the same URL is saved without it"
    );

    // The first article moves to another URL; a file after it in the same import takes the URL
    // it left, and one before it does not get the URL it moves to.
    let second = app.dir.path().join("second");
    std::fs::create_dir_all(&second).expect("folder");
    article("00000000000000c3", "https://port.example/summer").write(&second, 0);
    article("00000000000000a1", "https://port.example/summer").write(&second, 1);
    article("00000000000000d4", "https://port.example/winter").write(&second, 2);
    let summary = app.import(&[second]).await;
    assert_eq!((summary.imported, summary.updated), (2, 1));
    let keys = url_keys(&app.store).await;
    let key_of = |id: &str| {
        keys.iter()
            .find(|(key_id, _)| key_id == id)
            .map(|(_, key)| key.clone())
            .expect("archived")
    };
    assert_eq!(key_of("00000000000000a1"), None, "c3 holds summer first");
    assert!(
        key_of("00000000000000c3")
            .expect("summer")
            .contains("summer")
    );
    assert_eq!(
        key_of("00000000000000d4"),
        Some(winter.clone()),
        "winter was left by a1"
    );
    assert_eq!(key_of("00000000000000b2"), None);

    // An article archived again without a URL leaves its URL to the next file that has it.
    let third = app.dir.path().join("third");
    std::fs::create_dir_all(&third).expect("folder");
    let without_url = article("00000000000000d4", "https://port.example/winter")
        .text()
        .replace("Original url:\n\n<https://port.example/winter>", "");
    assert!(!without_url.contains("port.example"), "{without_url}");
    std::fs::write(third.join("001_00000000000000d4.txt"), without_url).expect("write");
    article("00000000000000e5", "https://port.example/winter").write(&third, 2);
    let summary = app.import(&[third]).await;
    assert_eq!((summary.imported, summary.updated), (1, 1));
    let keys = url_keys(&app.store).await;
    assert_eq!(
        keys.last(),
        Some(&("00000000000000e5".to_owned(), Some(winter)))
    );
    assert!(keys.contains(&("00000000000000d4".to_owned(), None)));
}
