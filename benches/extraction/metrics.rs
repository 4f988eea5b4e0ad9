//! The two benchmarks' text metrics and the metadata matching rules, as defined in the
//! benchmark README (`../shared/bench/README.md`).

use std::collections::HashMap;

use chrono::NaiveDate;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Regex `\w` (Unicode): letters, marks, digits, connector punctuation. `is_alphanumeric` also
/// admits the rare "other" numbers (`²`, `½`), which `\w` does not; they change no figure here.
fn is_word_character(character: char) -> bool {
    character.is_alphanumeric()
        || is_combining_mark(character)
        || matches!(
            character,
            '_' | '\u{200c}' | '\u{200d}' | '\u{203f}' | '\u{2040}'
        )
}

/// Every match of `\w+`.
pub fn tokens(text: &str) -> Vec<&str> {
    text.split(|character: char| !is_word_character(character))
        .filter(|token| !token.is_empty())
        .collect()
}

fn counts<T: std::hash::Hash + Eq>(items: impl IntoIterator<Item = T>) -> HashMap<T, usize> {
    let mut counts = HashMap::new();
    for item in items {
        *counts.entry(item).or_insert(0) += 1;
    }
    counts
}

/// True, false and missed positives between two multisets.
fn overlap<T: std::hash::Hash + Eq>(
    truth: &HashMap<T, usize>,
    predicted: &HashMap<T, usize>,
) -> (usize, usize, usize) {
    let common: usize = predicted
        .iter()
        .map(|(item, &count)| count.min(truth.get(item).copied().unwrap_or(0)))
        .sum();
    let predicted_total: usize = predicted.values().sum();
    let truth_total: usize = truth.values().sum();
    (common, predicted_total - common, truth_total - common)
}

/// Runs of 4 consecutive tokens; fewer than 4 tokens make one shorter shingle, none make none.
fn shingles(text: &str) -> HashMap<Vec<&str>, usize> {
    let tokens = tokens(text);
    if tokens.is_empty() {
        return HashMap::new();
    }
    if tokens.len() < 4 {
        return counts([tokens]);
    }
    counts(tokens.windows(4).map(<[&str]>::to_vec))
}

/// One AEB page: its precision (when tp+fp > 0) and recall (when tp+fn > 0).
pub struct ShinglePage {
    pub precision: Option<f64>,
    pub recall: Option<f64>,
}

pub fn shingle_page(truth: &str, predicted: &str) -> ShinglePage {
    let (tp, fp, fn_) = overlap(&shingles(truth), &shingles(predicted));
    let total = (tp + fp + fn_).max(1) as f64;
    let (tp, fp, fn_) = (tp as f64 / total, fp as f64 / total, fn_ as f64 / total);
    let ratio = |hits: f64, misses: f64| {
        if fp == 0.0 && fn_ == 0.0 {
            1.0
        } else if hits == 0.0 && misses == 0.0 {
            0.0
        } else {
            hits / (hits + misses)
        }
    };
    ShinglePage {
        precision: (tp + fp > 0.0).then(|| ratio(tp, fp)),
        recall: (tp + fn_ > 0.0).then(|| ratio(tp, fn_)),
    }
}

/// The harmonic mean of a precision and a recall, 0 when both are 0.
pub fn f1(precision: f64, recall: f64) -> f64 {
    if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    }
}

/// WCXB word F1 of one page, over lower-cased tokens counted as multisets.
pub fn word_f1(truth: &str, predicted: &str) -> f64 {
    let words = |text: &str| counts(tokens(&text.to_lowercase()).into_iter().map(str::to_owned));
    let (common, fp, fn_) = overlap(&words(truth), &words(predicted));
    let (predicted_total, truth_total) = (common + fp, common + fn_);
    if predicted_total == 0 && truth_total == 0 {
        return 1.0;
    }
    if common == 0 {
        return 0.0;
    }
    f1(
        common as f64 / predicted_total as f64,
        common as f64 / truth_total as f64,
    )
}

/// NFKC, lower case, words only.
fn normalized(text: &str) -> String {
    let text: String = text.nfkc().collect::<String>().to_lowercase();
    tokens(&text).join(" ")
}

/// Equal after normalising, or the truth inside a longer predicted title.
pub fn title_matches(truth: &str, predicted: &str) -> bool {
    let (truth, predicted) = (normalized(truth), normalized(predicted));
    !predicted.is_empty() && (truth == predicted || predicted.contains(&truth))
}

/// Equal, or one containing the other.
pub fn author_matches(truth: &str, predicted: &str) -> bool {
    let (truth, predicted) = (normalized(truth), normalized(predicted));
    !truth.is_empty()
        && !predicted.is_empty()
        && (truth.contains(&predicted) || predicted.contains(&truth))
}

/// The same calendar day, one day either way tolerated for time zones. A truth that names only
/// a month (`2024-05`) matches any day of that month.
pub fn date_matches(truth: &str, predicted: &str) -> bool {
    let Some(predicted) = predicted
        .get(..10)
        .and_then(|day| NaiveDate::parse_from_str(day, "%Y-%m-%d").ok())
    else {
        return false;
    };
    let truth = truth.trim();
    if let Ok(day) = NaiveDate::parse_from_str(truth.get(..10).unwrap_or(truth), "%Y-%m-%d") {
        return (predicted - day).num_days().abs() <= 1;
    }
    truth.len() == 7 && predicted.to_string().starts_with(truth)
}
