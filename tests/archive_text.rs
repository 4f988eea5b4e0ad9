//! Golden tests for the archive text parser: each `tests/fixtures/archive/NAME.txt` is decoded
//! and parsed, and the result must equal `NAME.expected.json`. Run with `UPDATE_GOLDEN=1` to
//! rewrite the expected files, then read the diff: the expected files are the specification.

use std::fs;
use std::path::{Path, PathBuf};

use serde::Serialize;
use tearsheet::ingest::ParsedArticle;
use tearsheet::ingest::archive_text::parse;
use tearsheet::ingest::decode::decode_text;

/// What a golden file holds: the article, plus what `ParsedArticle` does not serialize.
#[derive(Serialize)]
struct Golden<'a> {
    encoding: &'static str,
    #[serde(flatten)]
    article: &'a ParsedArticle,
    warnings: &'a [String],
}

fn fixtures() -> Vec<PathBuf> {
    let directory = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/archive");
    let mut inputs: Vec<PathBuf> = fs::read_dir(&directory)
        .expect("fixture directory")
        .map(|entry| entry.expect("fixture entry").path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "txt"))
        .collect();
    inputs.sort();
    inputs
}

fn expected_path(input: &Path) -> PathBuf {
    input.with_extension("expected.json")
}

fn parse_file(input: &Path) -> (ParsedArticle, &'static str) {
    let bytes = fs::read(input).expect("fixture bytes");
    let decoded = decode_text(&bytes);
    (parse(&decoded.text), decoded.encoding)
}

#[test]
fn archive_files_parse_as_expected() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some_and(|value| value == "1");
    let inputs = fixtures();
    assert!(inputs.len() >= 8, "fixtures are missing: {inputs:?}");
    let mut failures = Vec::new();
    for input in &inputs {
        let (article, encoding) = parse_file(input);
        let golden = Golden {
            encoding,
            article: &article,
            warnings: &article.warnings,
        };
        let actual = serde_json::to_string_pretty(&golden).expect("serializable") + "\n";
        let expected_file = expected_path(input);
        if update {
            fs::write(&expected_file, &actual).expect("write golden file");
            continue;
        }
        let expected = fs::read_to_string(&expected_file).unwrap_or_default();
        if expected != actual {
            failures.push(format!(
                "{}:\n{}",
                expected_file.display(),
                line_diff(&expected, &actual)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "golden files differ (- expected, + actual); rerun with UPDATE_GOLDEN=1 if the change is right\n\n{}",
        failures.join("\n")
    );
}

/// Labels of the format itself, which say where a line goes rather than being part of it.
const FORMAT_LABELS: &[&str] = &[
    "original url:",
    "related article:",
    "read more:",
    "see also:",
];

/// The words of every line must reach the article somewhere, apart from link targets (only
/// web targets are kept, in the HTML) and the format's own labels.
#[test]
fn no_words_are_lost() {
    for input in fixtures() {
        let bytes = fs::read(&input).expect("fixture bytes");
        let text = decode_text(&bytes).text;
        let (article, _) = parse_file(&input);
        let mut kept = vec![
            article.title.clone(),
            article.body_text.clone(),
            article.body_html.clone(),
        ];
        kept.extend(article.published_raw.clone());
        kept.extend(article.original_url.clone());
        kept.extend(article.credits.clone());
        kept.extend(article.warnings.clone());
        for link in &article.related {
            kept.push(link.title.clone());
            kept.extend(link.url.clone());
        }
        let kept = kept.join("\n").to_lowercase();
        for line in text.lines() {
            for word in words(&without_link_targets(without_label(line))) {
                assert!(
                    kept.contains(&word),
                    "{}: `{word}` from line {line:?} is lost",
                    input.display()
                );
            }
        }
    }
}

fn without_label(line: &str) -> &str {
    let lower = line.trim().to_lowercase();
    match FORMAT_LABELS.iter().find(|label| lower.starts_with(*label)) {
        Some(label) => line.trim().get(label.len()..).unwrap_or_default(),
        None => line,
    }
}

fn without_link_targets(line: &str) -> String {
    let mut kept = String::new();
    let mut rest = line;
    while let Some(start) = rest.find("](") {
        kept.push_str(&rest[..start]);
        rest = rest[start..]
            .find(')')
            .map_or("", |end| &rest[start + end + 1..]);
    }
    kept.push_str(rest);
    kept
}

fn words(line: &str) -> Vec<String> {
    line.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// A line diff (longest common subsequence), enough for golden files of a hundred lines.
fn line_diff(expected: &str, actual: &str) -> String {
    let old: Vec<&str> = expected.lines().collect();
    let new: Vec<&str> = actual.lines().collect();
    let mut common = vec![vec![0usize; new.len() + 1]; old.len() + 1];
    for i in (0..old.len()).rev() {
        for j in (0..new.len()).rev() {
            common[i][j] = if old[i] == new[j] {
                common[i + 1][j + 1] + 1
            } else {
                common[i + 1][j].max(common[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut diff) = (0, 0, String::new());
    while i < old.len() || j < new.len() {
        if i < old.len() && j < new.len() && old[i] == new[j] {
            i += 1;
            j += 1;
        } else if i < old.len() && (j == new.len() || common[i + 1][j] >= common[i][j + 1]) {
            diff.push_str(&format!("- {}\n", old[i]));
            i += 1;
        } else {
            diff.push_str(&format!("+ {}\n", new[j]));
            j += 1;
        }
    }
    diff
}
