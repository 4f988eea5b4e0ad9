//! Scores gathered page by page, printed as one table (or JSON).

use std::collections::BTreeMap;
use std::fmt::Write;
use std::time::Duration;

use serde_json::{Value, json};
use tearsheet::ingest::ParsedArticle;

use crate::dataset::{Layout, Truth};
use crate::metrics::{author_matches, date_matches, f1, shingle_page, title_matches, word_f1};

/// What the pipeline gave for one page.
pub struct Outcome {
    pub text: String,
    pub title: Option<String>,
    pub author: Option<String>,
    pub date: Option<String>,
    pub error: Option<String>,
    pub elapsed: Duration,
}

impl Outcome {
    pub fn extracted(article: ParsedArticle, elapsed: Duration) -> Self {
        Self {
            text: article.body_text,
            title: Some(article.title),
            author: article.byline,
            date: article.published_at,
            error: None,
            elapsed,
        }
    }

    /// A page with no article scores as an empty extraction.
    pub fn failed(error: String, elapsed: Duration) -> Self {
        Self {
            text: String::new(),
            title: None,
            author: None,
            date: None,
            error: Some(error),
            elapsed,
        }
    }

    /// The same outcome with another text: a reading the pipeline chose between.
    pub fn with_text(&self, text: String) -> Self {
        Self {
            text,
            title: self.title.clone(),
            author: self.author.clone(),
            date: self.date.clone(),
            error: self.error.clone(),
            elapsed: self.elapsed,
        }
    }

    /// The page's text scores, for the per-page log.
    pub fn score(&self, truth: &Truth) -> Value {
        let shingles = shingle_page(&truth.text, &self.text);
        json!({
            "word_f1": word_f1(&truth.text, &self.text),
            "shingle_p": shingles.precision,
            "shingle_r": shingles.recall,
        })
    }
}

/// A text's score on one page by the dataset's own metric: shingle F1 (AEB), word F1 (WCXB).
pub fn page_score(layout: Layout, truth: &Truth, text: &str) -> f64 {
    match layout {
        Layout::Aeb => {
            let shingles = shingle_page(&truth.text, text);
            f1(
                shingles.precision.unwrap_or(0.0),
                shingles.recall.unwrap_or(0.0),
            )
        }
        Layout::Wcxb => word_f1(&truth.text, text),
    }
}

/// How many pages had a field in their truth, and how many of those the pipeline got right.
#[derive(Default, Clone, Copy)]
struct Found {
    expected: usize,
    matched: usize,
}

impl Found {
    fn add(&mut self, truth: Option<&str>, predicted: Option<&str>, rule: fn(&str, &str) -> bool) {
        if let Some(truth) = truth {
            self.expected += 1;
            self.matched += usize::from(predicted.is_some_and(|predicted| rule(truth, predicted)));
        }
    }

    fn share(self) -> Option<f64> {
        (self.expected > 0).then(|| self.matched as f64 / self.expected as f64)
    }
}

pub struct Report {
    layout: Layout,
    precisions: Vec<f64>,
    recalls: Vec<f64>,
    word_f1_by_type: BTreeMap<String, Vec<f64>>,
    title: Found,
    author: Found,
    date: Found,
    milliseconds: Vec<f64>,
    errors: BTreeMap<String, usize>,
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len().max(1) as f64
}

impl Report {
    pub fn new(layout: Layout) -> Self {
        Self {
            layout,
            precisions: Vec::new(),
            recalls: Vec::new(),
            word_f1_by_type: BTreeMap::new(),
            title: Found::default(),
            author: Found::default(),
            date: Found::default(),
            milliseconds: Vec::new(),
            errors: BTreeMap::new(),
        }
    }

    pub fn add(&mut self, truth: &Truth, outcome: Outcome) {
        let shingles = shingle_page(&truth.text, &outcome.text);
        self.precisions.extend(shingles.precision);
        self.recalls.extend(shingles.recall);
        self.word_f1_by_type
            .entry(truth.page_type.clone())
            .or_default()
            .push(word_f1(&truth.text, &outcome.text));
        self.title.add(
            truth.title.as_deref(),
            outcome.title.as_deref(),
            title_matches,
        );
        self.author.add(
            truth.author.as_deref(),
            outcome.author.as_deref(),
            author_matches,
        );
        self.date
            .add(truth.date.as_deref(), outcome.date.as_deref(), date_matches);
        self.milliseconds
            .push(outcome.elapsed.as_secs_f64() * 1000.0);
        if let Some(error) = outcome.error {
            *self.errors.entry(error).or_insert(0) += 1;
        }
    }

    fn shingle_scores(&self) -> (f64, f64, f64) {
        let (precision, recall) = (mean(&self.precisions), mean(&self.recalls));
        (f1(precision, recall), precision, recall)
    }

    fn all_word_f1(&self) -> f64 {
        let all: Vec<f64> = self.word_f1_by_type.values().flatten().copied().collect();
        mean(&all)
    }

    /// Median, 99th percentile (nearest rank) and maximum.
    fn timings(&self) -> (f64, f64, f64) {
        let mut sorted = self.milliseconds.clone();
        sorted.sort_by(f64::total_cmp);
        let rank = |share: f64| {
            let index = ((share * sorted.len() as f64).ceil() as usize).max(1) - 1;
            sorted.get(index).copied().unwrap_or(0.0)
        };
        (rank(0.5), rank(0.99), sorted.last().copied().unwrap_or(0.0))
    }

    fn error_count(&self) -> usize {
        self.errors.values().sum()
    }

    pub fn table(&self, dataset: &str) -> String {
        let mut out = String::new();
        let pages = self.milliseconds.len();
        let _ = writeln!(out, "extraction benchmark: {dataset} ({pages} pages)");
        let _ = writeln!(out, "| measure | value |\n|---|---|");
        let mut row = |name: &str, value: String| {
            let _ = writeln!(out, "| {name} | {value} |");
        };
        self.text_rows(&mut row);
        for (name, found) in [
            ("title", self.title),
            ("author", self.author),
            ("date", self.date),
        ] {
            if let Some(share) = found.share() {
                row(
                    &format!("{name} found ({} with truth)", found.expected),
                    format!("{share:.3}"),
                );
            }
        }
        let (median, p99, max) = self.timings();
        row(
            "ms per page: median / p99 / max",
            format!("{median:.2} / {p99:.1} / {max:.1}"),
        );
        row("errors", self.error_count().to_string());
        for (error, count) in &self.errors {
            row(&format!("  {error}"), count.to_string());
        }
        out
    }

    /// The text scores alone, as a table: for the ceiling, whose metadata and times are the
    /// pipeline's own.
    pub fn text_table(&self, heading: &str) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{heading}\n| measure | value |\n|---|---|");
        self.text_rows(&mut |name: &str, value: String| {
            let _ = writeln!(out, "| {name} | {value} |");
        });
        out
    }

    fn text_rows(&self, row: &mut impl FnMut(&str, String)) {
        match self.layout {
            Layout::Aeb => {
                let (f1, precision, recall) = self.shingle_scores();
                row("AEB shingle F1", format!("{f1:.3}"));
                row("AEB precision", format!("{precision:.3}"));
                row("AEB recall", format!("{recall:.3}"));
            }
            Layout::Wcxb => {
                row("word F1, all pages", format!("{:.3}", self.all_word_f1()));
                for (page_type, scores) in &self.word_f1_by_type {
                    row(
                        &format!("word F1, {page_type} ({})", scores.len()),
                        format!("{:.3}", mean(scores)),
                    );
                }
            }
        }
    }

    /// The text scores alone, as JSON.
    pub fn text_json(&self) -> Value {
        let (f1, precision, recall) = self.shingle_scores();
        let by_type: BTreeMap<&String, f64> = self
            .word_f1_by_type
            .iter()
            .map(|(page_type, scores)| (page_type, mean(scores)))
            .collect();
        json!({
            "shingle": {"f1": f1, "precision": precision, "recall": recall},
            "word_f1": {"all": self.all_word_f1(), "by_type": by_type},
        })
    }

    pub fn json(&self, dataset: &str) -> Value {
        let (median, p99, max) = self.timings();
        let text = self.text_json();
        json!({
            "dataset": dataset,
            "pages": self.milliseconds.len(),
            "shingle": text["shingle"],
            "word_f1": text["word_f1"],
            "found": {
                "title": self.title.share(),
                "author": self.author.share(),
                "date": self.date.share(),
            },
            "ms": {"median": median, "p99": p99, "max": max},
            "errors": self.errors,
        })
    }
}
