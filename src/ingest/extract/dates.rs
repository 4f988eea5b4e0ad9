//! Publication dates as pages print them ("2024-05-17T10:00:00+02:00", "May 17th, 2024", "17. Mai
//! 2024", "17/05/2024"), read into `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SSZ`.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Timelike, Utc};

/// Dates outside this range are typos or placeholders (`0001-01-01`), not publication dates.
const PLAUSIBLE_YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;

/// Formats with an offset, beyond RFC 3339 itself (no colon in the offset, no seconds, a space).
const ZONED_FORMATS: &[&str] = &[
    "%Y-%m-%dT%H:%M:%S%.f%z",
    "%Y-%m-%dT%H:%M:%S%z",
    "%Y-%m-%dT%H:%M%z",
    "%Y-%m-%d %H:%M:%S%.f%z",
    "%Y-%m-%d %H:%M:%S%z",
    "%Y-%m-%d %H:%M:%S %z",
];

/// Date and time without a zone: only the day can be trusted.
const LOCAL_FORMATS: &[&str] = &[
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
];

const DATE_FORMATS: &[&str] = &[
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y.%m.%d",
    "%Y%m%d",
    "%B %d, %Y",
    "%b %d, %Y",
    "%b. %d, %Y",
    "%A, %B %d, %Y",
    "%d %B %Y",
    "%d %b %Y",
    "%A %d %B %Y",
];

/// The date in the store's form: UTC date and time when the source gave a zone, the day as
/// printed when it gave none (converting would need a zone we do not know), `None` when it
/// cannot be read.
pub fn normalize_date(raw: &str) -> Option<String> {
    let raw = raw.trim();
    if raw.is_empty() || raw.len() > 64 {
        return None;
    }
    if let Some(moment) = zoned(raw) {
        let moment = moment.with_timezone(&Utc);
        return PLAUSIBLE_YEARS.contains(&moment.year()).then(|| {
            format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
                moment.year(),
                moment.month(),
                moment.day(),
                moment.hour(),
                moment.minute(),
                moment.second()
            )
        });
    }
    let Some(day) = local_day(raw) else {
        // A date inside a longer value, as some CMSs write it: "Thu, 09/25/2025 - 11:38". A
        // value such as "03-09-2026" is left to the page's other dates: sites write both orders.
        return written_date(raw, DayOrder::Refuse);
    };
    PLAUSIBLE_YEARS
        .contains(&day.year())
        .then(|| format!("{:04}-{:02}-{:02}", day.year(), day.month(), day.day()))
}

/// Whether a declared date is written year first, as machines and citation tags write dates
/// (`2024-05-17T10:00Z`, `2024/05/17`, `2024 May 17`), rather than for people (`May 17, 2024`).
/// A page template that fills a machine-readable field with a display string often gives the
/// day the page was last published, not the article's date.
pub fn is_machine_written(raw: &str) -> bool {
    let raw = raw.trim().as_bytes();
    raw.len() > 4 && raw[..4].iter().all(u8::is_ascii_digit)
}

fn zoned(raw: &str) -> Option<DateTime<chrono::FixedOffset>> {
    DateTime::parse_from_rfc3339(raw)
        .ok()
        .or_else(|| {
            ZONED_FORMATS
                .iter()
                .find_map(|format| DateTime::parse_from_str(raw, format).ok())
        })
        .or_else(|| DateTime::parse_from_rfc2822(raw).ok())
}

fn local_day(raw: &str) -> Option<NaiveDate> {
    if let Some(moment) = LOCAL_FORMATS
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(raw, format).ok())
    {
        return Some(moment.date());
    }
    DATE_FORMATS
        .iter()
        .find_map(|format| NaiveDate::parse_from_str(raw, format).ok())
        .or_else(|| {
            // `2024-03-05 (updated ...)`: the leading ISO date is the one meant.
            let prefix = raw.get(..10)?;
            NaiveDate::parse_from_str(prefix, "%Y-%m-%d").ok()
        })
}

/// Month names in the languages most often met, lower case, with their numbers.
const MONTHS: &[(&str, u32)] = &[
    ("january", 1),
    ("jan", 1),
    ("januar", 1),
    ("janvier", 1),
    ("enero", 1),
    ("gennaio", 1),
    ("janeiro", 1),
    ("januari", 1),
    ("jänner", 1),
    ("february", 2),
    ("feb", 2),
    ("februar", 2),
    ("février", 2),
    ("fevrier", 2),
    ("febrero", 2),
    ("febbraio", 2),
    ("fevereiro", 2),
    ("februari", 2),
    ("march", 3),
    ("mar", 3),
    ("märz", 3),
    ("mars", 3),
    ("marzo", 3),
    ("março", 3),
    ("maart", 3),
    ("april", 4),
    ("apr", 4),
    ("avril", 4),
    ("abril", 4),
    ("aprile", 4),
    ("may", 5),
    ("mai", 5),
    ("mayo", 5),
    ("maggio", 5),
    ("maio", 5),
    ("mei", 5),
    ("june", 6),
    ("jun", 6),
    ("juni", 6),
    ("juin", 6),
    ("junio", 6),
    ("giugno", 6),
    ("junho", 6),
    ("july", 7),
    ("jul", 7),
    ("juli", 7),
    ("juillet", 7),
    ("julio", 7),
    ("luglio", 7),
    ("julho", 7),
    ("august", 8),
    ("aug", 8),
    ("août", 8),
    ("aout", 8),
    ("agosto", 8),
    ("augustus", 8),
    ("september", 9),
    ("sep", 9),
    ("sept", 9),
    ("septembre", 9),
    ("septiembre", 9),
    ("settembre", 9),
    ("setembro", 9),
    ("october", 10),
    ("oct", 10),
    ("oktober", 10),
    ("octobre", 10),
    ("octubre", 10),
    ("ottobre", 10),
    ("outubro", 10),
    ("november", 11),
    ("nov", 11),
    ("novembre", 11),
    ("noviembre", 11),
    ("novembro", 11),
    ("december", 12),
    ("dec", 12),
    ("dezember", 12),
    ("décembre", 12),
    ("decembre", 12),
    ("diciembre", 12),
    ("dicembre", 12),
    ("dezembro", 12),
];

/// The first date written out in a text: `2024-05-17`, `17.05.2024`, `05/17/2024`,
/// `May 17th, 2024`, `17 May 2024`, `17. Mai 2024`, `2024 May 17`.
pub fn date_in_text(text: &str) -> Option<String> {
    written_date(text, DayOrder::Guess)
}

/// How `03/09/2026` is read: by the separator's usual order, or not at all.
#[derive(Clone, Copy, PartialEq, Eq)]
enum DayOrder {
    Guess,
    Refuse,
}

fn written_date(text: &str, order: DayOrder) -> Option<String> {
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .collect();
    numeric_date(text, order).or_else(|| {
        words.windows(3).find_map(|window| {
            let (first, second, third) = (window[0], window[1], window[2]);
            // "2023 Jan 7", as scholarly citations write it.
            if let (Some(year), Some(month), Some(day)) = (year(first), month(second), day(third)) {
                return iso_day(year, month, day);
            }
            let year = year(third)?;
            match (month(first), day(second), day(first), month(second)) {
                (Some(month), Some(day), _, _) | (_, _, Some(day), Some(month)) => {
                    iso_day(year, month, day)
                }
                _ => None,
            }
        })
    })
}

/// The text before the first word that begins a date (a month name or a number): "Ann Lee ·
/// May 5, 2024" -> "Ann Lee · ".
pub fn before_date(text: &str) -> &str {
    let mut start = None;
    for (index, character) in text.char_indices() {
        if character.is_alphanumeric() {
            let word_start = *start.get_or_insert(index);
            let word_end = text[word_start..]
                .find(|c: char| !c.is_alphanumeric())
                .map_or(text.len(), |end| word_start + end);
            let word = &text[word_start..word_end];
            if word.starts_with(|c: char| c.is_ascii_digit()) || month(word).is_some() {
                return &text[..word_start];
            }
        } else {
            start = None;
        }
    }
    text
}

/// `2024-05-17`, `2024/05/17`, `17.05.2024`, `17/05/2024` or `05/17/2024` (day and month told
/// apart when one is over 12; otherwise `/` is read the American way and `.` or `-` the
/// European way).
fn numeric_date(text: &str, order: DayOrder) -> Option<String> {
    let bytes = text.as_bytes();
    let mut start = 0;
    while start < bytes.len() {
        if !bytes[start].is_ascii_digit() || (start > 0 && bytes[start - 1].is_ascii_digit()) {
            start += 1;
            continue;
        }
        let mut end = start;
        while end < bytes.len() && (bytes[end].is_ascii_digit() || b"-/.".contains(&bytes[end])) {
            end += 1;
        }
        let run = text[start..end].trim_end_matches(['-', '/', '.']);
        start = end.max(start + 1);
        let Some(separator) = run.bytes().find(|b| !b.is_ascii_digit()) else {
            continue;
        };
        let parts: Vec<&str> = run.split(char::from(separator)).collect();
        let [a, b, c] = parts[..] else { continue };
        let (Ok(a_value), Ok(b_value), Ok(c_value)) =
            (a.parse::<u32>(), b.parse::<u32>(), c.parse::<u32>())
        else {
            continue;
        };
        let found = if a.len() == 4 {
            iso_day(a_value, b_value, c_value)
        } else if c.len() == 4 && a.len() <= 2 && b.len() <= 2 {
            let ambiguous = a_value <= 12 && b_value <= 12 && a_value != b_value;
            if ambiguous && order == DayOrder::Refuse {
                continue;
            }
            match (a_value > 12, b_value > 12, separator) {
                (true, _, _) => iso_day(c_value, b_value, a_value),
                (_, true, _) | (_, _, b'/') => iso_day(c_value, a_value, b_value),
                _ => iso_day(c_value, b_value, a_value),
            }
        } else {
            None
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

fn month(word: &str) -> Option<u32> {
    let word = word.to_lowercase();
    MONTHS
        .iter()
        .find(|(name, _)| *name == word)
        .map(|&(_, number)| number)
}

/// `17`, `17th`, `1st`.
fn day(word: &str) -> Option<u32> {
    let digits = word.trim_end_matches(['s', 't', 'n', 'd', 'r', 'h']);
    let day: u32 = (digits.len() <= 2).then(|| digits.parse().ok()).flatten()?;
    (1..=31).contains(&day).then_some(day)
}

fn year(word: &str) -> Option<u32> {
    (word.len() == 4).then(|| word.parse().ok()).flatten()
}

pub fn iso_day(year: u32, month: u32, day: u32) -> Option<String> {
    let year = i32::try_from(year).ok()?;
    let date = chrono::NaiveDate::from_ymd_opt(year, month, day)?;
    (1990..=2100)
        .contains(&year)
        .then(|| date.format("%Y-%m-%d").to_string())
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zoned_times_become_utc() {
        for (raw, expected) in [
            ("2024-03-05T14:30:00+01:00", "2024-03-05T13:30:00Z"),
            ("2024-03-05T14:30:00.123-0500", "2024-03-05T19:30:00Z"),
            ("2024-03-05T00:30+02:00", "2024-03-04T22:30:00Z"),
            ("2024-03-05T14:30:00Z", "2024-03-05T14:30:00Z"),
            ("Tue, 05 Mar 2024 14:30:00 GMT", "2024-03-05T14:30:00Z"),
        ] {
            assert_eq!(normalize_date(raw).as_deref(), Some(expected), "{raw}");
        }
    }

    #[test]
    fn days_stay_days() {
        for (raw, expected) in [
            ("2024-03-05", "2024-03-05"),
            ("2024-03-05T23:30:00", "2024-03-05"),
            ("2024-03-05 23:30", "2024-03-05"),
            ("March 5, 2024", "2024-03-05"),
            ("5 Mar 2024", "2024-03-05"),
            ("20240305", "2024-03-05"),
            ("2024-03-05 (updated)", "2024-03-05"),
            ("Mon, 03/25/2024 - 11:38", "2024-03-25"),
            ("Published 5 March 2024", "2024-03-05"),
            ("05-05-2024", "2024-05-05"),
            ("2024 Mar 5", "2024-03-05"),
            ("2024 March 5th", "2024-03-05"),
        ] {
            assert_eq!(normalize_date(raw).as_deref(), Some(expected), "{raw}");
        }
    }

    #[test]
    fn machine_written_dates() {
        for raw in [
            "2024-03-05",
            " 2024-03-05T14:30:00Z",
            "2024/03/05",
            "2024 Mar 5",
            "20240305",
        ] {
            assert!(is_machine_written(raw), "{raw}");
        }
        for raw in ["Mar 5, 2024", "05/03/2024", "5.3.2024", "2024"] {
            assert!(!is_machine_written(raw), "{raw}");
        }
    }

    #[test]
    fn nonsense_is_not_a_date() {
        for raw in [
            "",
            "yesterday",
            "0001-01-01",
            "2024-13-40",
            "1712345678",
            "03-09-2024",
        ] {
            assert_eq!(normalize_date(raw), None, "{raw}");
        }
    }

    #[test]
    fn dates_in_text() {
        for (text, expected) in [
            (
                "Posted on Friday, May 17th, 2024 by Ann",
                Some("2024-05-17"),
            ),
            ("17 May 2024, 10:30", Some("2024-05-17")),
            ("Veröffentlicht am 17. Mai 2024", Some("2024-05-17")),
            ("Updated 2024-05-17T10:00", Some("2024-05-17")),
            ("17.05.2024", Some("2024-05-17")),
            ("05/17/2024", Some("2024-05-17")),
            ("17/05/2024", Some("2024-05-17")),
            ("Lancet Rev. 2024 May 17;12(3):45", Some("2024-05-17")),
            ("Tel. 555-1234", None),
            ("may 5 people", None),
        ] {
            assert_eq!(date_in_text(text).as_deref(), expected, "{text}");
        }
    }
}
