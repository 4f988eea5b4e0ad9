//! The synthetic archive: deterministic invented articles in the archive text format.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::Path;

use crate::words;

/// Every run with the same article count writes the same corpus.
const SEED: u64 = 0x7ea5_5ee7_b3c4_2026;
/// Invented rare words appended to the common vocabulary (the tail of the Zipf law).
const RARE_WORDS: usize = 20_000;
const SITES: usize = 200;
/// Days since 1970-01-01 of 2005-01-01 and 2026-06-30: the span of publication dates.
const FIRST_DAY: i64 = 12_784;
const LAST_DAY: i64 = 20_634;

/// What was written, for the report and for picking the pages to load.
pub struct Corpus {
    pub files: usize,
    pub bytes: u64,
    /// Sites with at least one article.
    pub sites: usize,
    /// The site with the most articles.
    pub busiest_site: String,
    pub busiest_site_articles: usize,
    /// Articles whose text holds both [`words::SEARCH_WORDS`].
    pub search_matches: usize,
}

/// A tiny xorshift64 generator: deterministic, and no `rand` dependency for a benchmark.
pub struct Xorshift(u64);

impl Xorshift {
    pub fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A number in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// A number in `low..=high`.
    pub fn between(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Draws items with a Zipf law: the first is the most frequent, the n-th 1/n as often.
struct Zipf<T> {
    items: Vec<T>,
    cumulative: Vec<f64>,
}

impl<T> Zipf<T> {
    fn new(items: Vec<T>, exponent: f64) -> Self {
        let mut total = 0.0;
        let cumulative = (1..=items.len())
            .map(|rank| {
                total += 1.0 / (rank as f64).powf(exponent);
                total
            })
            .collect();
        Self { items, cumulative }
    }

    fn draw_index(&self, rng: &mut Xorshift) -> usize {
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        let target = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * total;
        let index = self.cumulative.partition_point(|&c| c < target);
        index.min(self.items.len() - 1)
    }

    fn draw(&self, rng: &mut Xorshift) -> &T {
        &self.items[self.draw_index(rng)]
    }
}

/// The vocabularies, built once per corpus.
struct Vocabulary {
    english: Zipf<String>,
    title_words: Vec<&'static str>,
    russian: Zipf<&'static str>,
    cjk: Zipf<char>,
    sites: Zipf<String>,
    first_names: Vec<&'static str>,
    last_names: Vec<&'static str>,
    agencies: Vec<&'static str>,
}

impl Vocabulary {
    fn new(rng: &mut Xorshift) -> Self {
        let mut seen = HashSet::new();
        let common: Vec<String> = words::ENGLISH
            .split_whitespace()
            .map(str::to_owned)
            .filter(|word| seen.insert(word.clone()))
            .collect();
        let syllables: Vec<&str> = words::SYLLABLES.split_whitespace().collect();
        let mut english = common.clone();
        while english.len() < common.len() + RARE_WORDS {
            let word: String = (0..rng.between(2, 4))
                .map(|_| *rng.pick(&syllables))
                .collect();
            if seen.insert(word.clone()) {
                english.push(word);
            }
        }
        Self {
            english: Zipf::new(english, 1.0),
            // Titles use the nouns and verbs, not "the of and".
            title_words: words::ENGLISH.split_whitespace().skip(60).collect(),
            russian: Zipf::new(words::RUSSIAN.split_whitespace().collect(), 1.0),
            cjk: Zipf::new(
                words::CJK.chars().filter(|c| !c.is_whitespace()).collect(),
                1.0,
            ),
            sites: Zipf::new(site_names(rng), 0.8),
            first_names: words::FIRST_NAMES.split_whitespace().collect(),
            last_names: words::LAST_NAMES.split_whitespace().collect(),
            agencies: words::AGENCIES.split_whitespace().collect(),
        }
    }
}

/// About [`SITES`] distinct invented hosts, in a seeded order (the first drawn most often).
fn site_names(rng: &mut Xorshift) -> Vec<String> {
    let prefixes: Vec<&str> = words::SITE_PREFIXES.split_whitespace().collect();
    let stems: Vec<&str> = words::SITE_STEMS.split_whitespace().collect();
    let mut names = Vec::with_capacity(prefixes.len() * stems.len());
    for prefix in &prefixes {
        for stem in &stems {
            names.push(format!("{prefix}-{stem}.example"));
        }
    }
    for i in (1..names.len()).rev() {
        names.swap(i, rng.below(i + 1));
    }
    names.truncate(SITES);
    names
}

/// The script an article is written in.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Script {
    Latin,
    Cyrillic,
    Cjk,
}

/// Writes `count` articles as `NNNNNN_<id>.txt` files into `dir`.
pub fn write(dir: &Path, count: usize) -> std::io::Result<Corpus> {
    let mut rng = Xorshift::new(SEED);
    let vocabulary = Vocabulary::new(&mut rng);
    let width = count.to_string().len().max(3);
    let mut per_site = vec![0usize; SITES];
    let mut corpus = Corpus {
        files: count,
        bytes: 0,
        sites: 0,
        busiest_site: String::new(),
        busiest_site_articles: 0,
        search_matches: 0,
    };
    let mut text = String::new();
    for sequence in 0..count {
        text.clear();
        let site_index = vocabulary.sites.draw_index(&mut rng);
        per_site[site_index] += 1;
        let site = &vocabulary.sites.items[site_index];
        let script = match rng.below(100) {
            0..=2 => Script::Cyrillic,
            3..=4 => Script::Cjk,
            _ => Script::Latin,
        };
        write_article(&mut text, &mut rng, &vocabulary, site, script);
        if words::SEARCH_WORDS
            .iter()
            .all(|word| contains_word(&text, word))
        {
            corpus.search_matches += 1;
        }
        let id = rng.next_u64();
        std::fs::write(dir.join(format!("{sequence:0width$}_{id:016x}.txt")), &text)?;
        corpus.bytes += text.len() as u64;
    }
    corpus.sites = per_site.iter().filter(|n| **n > 0).count();
    if let Some((index, articles)) = per_site.iter().enumerate().max_by_key(|(_, n)| **n) {
        corpus.busiest_site = vocabulary.sites.items[index].clone();
        corpus.busiest_site_articles = *articles;
    }
    Ok(corpus)
}

fn contains_word(text: &str, word: &str) -> bool {
    text.split(|c: char| !c.is_alphanumeric())
        .any(|token| token.eq_ignore_ascii_case(word))
}

/// One article, laid out like the archive's files: blank lines, title, date, credits, body
/// with links and "Related article" lines, closing line, trailer.
fn write_article(
    out: &mut String,
    rng: &mut Xorshift,
    vocabulary: &Vocabulary,
    site: &str,
    script: Script,
) {
    let title = title(rng, vocabulary, script);
    let day = FIRST_DAY + rng.below((LAST_DAY - FIRST_DAY + 1) as usize) as i64;
    let (year, month, day_of_month) = civil_from_days(day);
    let _ = write!(
        out,
        "\n\n{title}\n\n{}\n\n\n\n",
        date_text(rng, year, month, day_of_month)
    );
    if rng.chance(0.3) {
        let _ = write!(
            out,
            "By {} {}\n\n",
            rng.pick(&vocabulary.first_names),
            rng.pick(&vocabulary.last_names)
        );
    }
    if rng.chance(0.2) {
        let _ = write!(out, "{}\n\n", rng.pick(&vocabulary.agencies));
    }
    let target_words = rng.between(600, 1_500);
    let mut written = 0;
    while written < target_words {
        let length = rng.between(40, 120).min(target_words - written).max(10);
        paragraph(out, rng, vocabulary, script, length);
        out.push_str("\n\n");
        written += length;
        if rng.chance(0.06) {
            let related = title_of_words(rng, vocabulary, 6);
            let _ = write!(out, "Related article: [{related}](#)\n\n");
        }
    }
    if rng.chance(0.2) {
        let _ = write!(
            out,
            "{} contributed reporting.\n\n",
            rng.pick(&vocabulary.agencies)
        );
    }
    let slug = match script {
        Script::Latin => title
            .split_whitespace()
            .map(str::to_ascii_lowercase)
            .collect::<Vec<_>>()
            .join("-"),
        Script::Cyrillic | Script::Cjk => "article".to_owned(),
    };
    let www = if rng.chance(0.5) { "www." } else { "" };
    let _ = write!(
        out,
        "Original url:\n\n<https://{www}{site}/{year}/{month:02}/{day_of_month:02}/{slug}-a{:05}>",
        rng.below(100_000)
    );
}

fn title(rng: &mut Xorshift, vocabulary: &Vocabulary, script: Script) -> String {
    match script {
        Script::Latin => {
            let count = rng.between(7, 9);
            title_of_words(rng, vocabulary, count)
        }
        Script::Cyrillic => {
            let words: Vec<&str> = (0..rng.between(6, 9))
                .map(|_| *vocabulary.russian.draw(rng))
                .collect();
            capitalise(&words.join(" "))
        }
        Script::Cjk => (0..rng.between(14, 24))
            .map(|_| *vocabulary.cjk.draw(rng))
            .collect(),
    }
}

/// Title-cased nouns and verbs; eight of them make about 60 characters.
fn title_of_words(rng: &mut Xorshift, vocabulary: &Vocabulary, count: usize) -> String {
    let words: Vec<String> = (0..count)
        .map(|_| capitalise(rng.pick::<&str>(&vocabulary.title_words)))
        .collect();
    words.join(" ")
}

/// A paragraph of sentences; Latin ones carry some `[link](https://...)` and `[dead](#)` links.
fn paragraph(
    out: &mut String,
    rng: &mut Xorshift,
    vocabulary: &Vocabulary,
    script: Script,
    words: usize,
) {
    let mut left = words;
    let mut first_sentence = true;
    while left > 0 {
        let length = rng.between(6, 24).min(left);
        left -= length;
        match script {
            Script::Cjk => {
                for i in 0..length * 2 {
                    out.push(*vocabulary.cjk.draw(rng));
                    if i % 9 == 8 && i + 1 < length * 2 {
                        out.push('，');
                    }
                }
                out.push('。');
            }
            Script::Cyrillic | Script::Latin => {
                if !first_sentence {
                    out.push(' ');
                }
                sentence(out, rng, vocabulary, script, length);
            }
        }
        first_sentence = false;
    }
}

fn sentence(
    out: &mut String,
    rng: &mut Xorshift,
    vocabulary: &Vocabulary,
    script: Script,
    length: usize,
) {
    for i in 0..length {
        let word = match script {
            Script::Cyrillic => *vocabulary.russian.draw(rng),
            _ => vocabulary.english.draw(rng).as_str(),
        };
        let word = if i == 0 {
            capitalise(word)
        } else {
            word.to_owned()
        };
        if i > 0 {
            out.push_str(if i % 7 == 0 && rng.chance(0.3) {
                ", "
            } else {
                " "
            });
        }
        if script == Script::Latin && i > 0 && rng.chance(0.006) {
            if rng.chance(0.7) {
                let _ = write!(out, "[{word}](#)");
            } else {
                let site = vocabulary.sites.draw(rng);
                let _ = write!(
                    out,
                    "[{word}](https://{site}/{}/{word})",
                    2005 + rng.below(22)
                );
            }
        } else {
            out.push_str(&word);
        }
    }
    out.push('.');
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// The shapes sites print dates in, mostly `May 20, 2026`.
fn date_text(rng: &mut Xorshift, year: i64, month: u32, day: u32) -> String {
    let name = words::MONTHS[(month - 1) as usize];
    match rng.below(100) {
        0..=79 => format!("{name} {day}, {year}"),
        80..=87 => format!("{day} {name} {year}"),
        88..=95 => format!("{year}-{month:02}-{day:02}"),
        _ => format!(
            "{name} {day}, {year} {}:{:02} {}",
            rng.between(1, 12),
            rng.below(60),
            if rng.chance(0.5) { "am" } else { "pm" }
        ),
    }
}

/// (year, month, day) of a day number since 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}
