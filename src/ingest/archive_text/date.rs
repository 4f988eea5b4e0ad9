//! Publication dates as sites print them, read into the ISO shape the store sorts by.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};

/// A date line is short; a longer line is a sentence that happens to mention a date.
const MAX_DATE_LENGTH: usize = 64;

/// Years outside this range are misreadings (`26` for 2026, a street number).
const PLAUSIBLE_YEARS: std::ops::RangeInclusive<i32> = 1800..=2200;

/// Shapes of the date part once month names are canonical and commas are gone.
const DATE_FORMATS: &[&str] = &[
    "%b %d %Y", "%d %b %Y", "%Y %b %d", "%Y-%m-%d", "%Y/%m/%d", "%d.%m.%Y",
];

const TIME_FORMATS: &[&str] = &["%H:%M", "%H:%M:%S", "%I:%M %p", "%I:%M:%S %p"];

/// English month names and abbreviations, and the Russian genitive (`20 мая 2026`).
const MONTHS: &[(&str, &[&str])] = &[
    ("Jan", &["jan", "january", "января"]),
    ("Feb", &["feb", "february", "февраля"]),
    ("Mar", &["mar", "march", "марта"]),
    ("Apr", &["apr", "april", "апреля"]),
    ("May", &["may", "мая"]),
    ("Jun", &["jun", "june", "июня"]),
    ("Jul", &["jul", "july", "июля"]),
    ("Aug", &["aug", "august", "августа"]),
    ("Sep", &["sep", "sept", "september", "сентября"]),
    ("Oct", &["oct", "october", "октября"]),
    ("Nov", &["nov", "november", "ноября"]),
    ("Dec", &["dec", "december", "декабря"]),
];

/// Words around a date that say nothing about it: weekdays, lead-ins, separators.
const NOISE_WORDS: &[&[&str]] = &[
    &["monday", "mon"],
    &["tuesday", "tue", "tues"],
    &["wednesday", "wed"],
    &["thursday", "thu", "thur", "thurs"],
    &["friday", "fri"],
    &["saturday", "sat"],
    &["sunday", "sun"],
    &["at", "on", "published", "updated", "posted", "last", "date"],
    &["г", "года"],
    &["|", "-", "–", "—", "·", "/"],
];

/// Zone abbreviations with one meaning and no daylight-saving ambiguity in the abbreviation itself.
/// Others (`ET`, `CST`, `IST`) are recognised as zones but ignored: the time stays local.
const ZONES: &[(&str, i32)] = &[
    ("utc", 0),
    ("gmt", 0),
    ("z", 0),
    ("est", -5),
    ("edt", -4),
    ("cdt", -5),
    ("mst", -7),
    ("mdt", -6),
    ("pst", -8),
    ("pdt", -7),
    ("bst", 1),
    ("cet", 1),
    ("cest", 2),
    ("msk", 3),
    ("jst", 9),
];

/// Reads a whole line as a date: `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM:SS`, or that with `Z` when the
/// line gave a zone (converted to UTC). `None` when the line is anything but a date.
pub fn parse_date(line: &str) -> Option<String> {
    let line = line.trim();
    if line.len() > MAX_DATE_LENGTH || !line.bytes().any(|byte| byte.is_ascii_digit()) {
        return None;
    }
    whole_line_date(line).or_else(|| printed_date(line))
}

/// Shapes read from the whole line at once: RFC 3339, RFC 2822, ISO without a zone, CJK dates.
fn whole_line_date(line: &str) -> Option<String> {
    if let Ok(at) =
        DateTime::parse_from_rfc3339(line).or_else(|_| DateTime::parse_from_rfc2822(line))
    {
        return in_utc(at.naive_utc());
    }
    if let Some(at) = ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(line, format).ok())
    {
        return local(at);
    }
    // Chinese and Japanese sites print `2026年5月20日`, with no spaces to split at.
    let date = NaiveDate::parse_from_str(line, "%Y年%m月%d日").ok()?;
    PLAUSIBLE_YEARS
        .contains(&date.year())
        .then(|| date.format("%Y-%m-%d").to_string())
}

/// A date as an editor printed it, e.g. `Wednesday, Sept. 3, 2025 at 4:15 p.m. EDT`.
fn printed_date(line: &str) -> Option<String> {
    let parts = DateParts::read(line)?;
    let date = parse_date_part(&parts.date.join(" "))?;
    if parts.time.is_empty() {
        return Some(date.format("%Y-%m-%d").to_string());
    }
    let time = parse_time_part(&parts.time)?;
    let at = date.and_time(time);
    match parts.zone {
        Zone::Offset(offset) => in_utc(offset.from_local_datetime(&at).single()?.naive_utc()),
        Zone::Unknown | Zone::None => local(at),
    }
}

fn parse_date_part(date: &str) -> Option<NaiveDate> {
    let found = DATE_FORMATS
        .iter()
        .find_map(|format| NaiveDate::parse_from_str(date, format).ok())
        .or_else(|| unambiguous_slash_date(date))?;
    PLAUSIBLE_YEARS.contains(&found.year()).then_some(found)
}

/// `05/20/2026` is American and `20/05/2026` European; only a day above 12 tells them apart.
fn unambiguous_slash_date(date: &str) -> Option<NaiveDate> {
    let american = NaiveDate::parse_from_str(date, "%m/%d/%Y").ok();
    let european = NaiveDate::parse_from_str(date, "%d/%m/%Y").ok();
    match (american, european) {
        (Some(american), Some(european)) if american != european => None,
        (american, european) => american.or(european),
    }
}

fn parse_time_part(time: &[String]) -> Option<NaiveTime> {
    let mut time = time.join(" ");
    // chrono needs minutes; `10 pm` has none.
    if let Some(hour_end) = time.find(' ')
        && !time[..hour_end].contains(':')
    {
        time.insert_str(hour_end, ":00");
    }
    TIME_FORMATS
        .iter()
        .find_map(|format| NaiveTime::parse_from_str(&time, format).ok())
}

fn in_utc(at: NaiveDateTime) -> Option<String> {
    PLAUSIBLE_YEARS
        .contains(&at.year())
        .then(|| at.and_utc().format("%Y-%m-%dT%H:%M:%SZ").to_string())
}

fn local(at: NaiveDateTime) -> Option<String> {
    PLAUSIBLE_YEARS
        .contains(&at.year())
        .then(|| at.format("%Y-%m-%dT%H:%M:%S").to_string())
}

fn is_noise(word: &str) -> bool {
    NOISE_WORDS.iter().any(|group| group.contains(&word))
}

enum Zone {
    None,
    Offset(FixedOffset),
    /// A zone was named but its offset is not known here.
    Unknown,
}

/// The words of a date line sorted into date and time parts, in canonical spelling for chrono.
struct DateParts {
    date: Vec<String>,
    time: Vec<String>,
    zone: Zone,
}

impl DateParts {
    /// `None` as soon as one word is neither part of a date nor known noise around one.
    fn read(line: &str) -> Option<Self> {
        let mut parts = Self {
            date: Vec::new(),
            time: Vec::new(),
            zone: Zone::None,
        };
        let words = line.split(|c: char| c.is_whitespace() || c == ',');
        for word in words.filter(|word| !word.is_empty()) {
            parts.add(word)?;
        }
        (!parts.date.is_empty()).then_some(parts)
    }

    fn add(&mut self, word: &str) -> Option<()> {
        let has_letters = word.chars().any(char::is_alphabetic);
        if has_letters && word.bytes().any(|byte| byte.is_ascii_digit()) {
            return self.add_mixed(word);
        }
        if !has_letters {
            return self.add_numeric(word);
        }
        // `a.m.`, `Sept.` and `Published:` lose their punctuation.
        let plain: String = word
            .chars()
            .filter(|c| !matches!(c, '.' | ':'))
            .collect::<String>()
            .to_lowercase();
        if is_noise(&plain) {
            return Some(());
        }
        if let Some((canonical, _)) = MONTHS
            .iter()
            .find(|(_, names)| names.contains(&plain.as_str()))
        {
            self.date.push((*canonical).to_owned());
        } else if plain == "am" || plain == "pm" {
            self.add_meridiem(&plain);
        } else if !self.is_zone_position() {
            return None;
        } else if let Some((_, hours)) = ZONES.iter().find(|(name, _)| *name == plain) {
            self.zone = Zone::Offset(FixedOffset::east_opt(hours * 3600)?);
        } else if (2..=5).contains(&word.len()) && word.bytes().all(|b| b.is_ascii_uppercase()) {
            self.zone = Zone::Unknown;
        } else {
            return None;
        }
        Some(())
    }

    /// Numbers, `10:32`, `2026-05-20`, `+03:00`.
    fn add_numeric(&mut self, word: &str) -> Option<()> {
        if is_noise(word) {
            return Some(());
        }
        if (word.starts_with('+') || word.starts_with('-')) && self.is_zone_position() {
            let offset = word.parse::<FixedOffset>().ok()?;
            self.zone = Zone::Offset(offset);
        } else if word.contains(':') {
            self.time.push(word.to_owned());
        } else {
            self.date.push(word.to_owned());
        }
        Some(())
    }

    /// `am` after `10:32`, or after a bare hour (`10 pm`) that was taken for part of the date.
    fn add_meridiem(&mut self, meridiem: &str) {
        if self.time.is_empty()
            && let Some(hour) = self.date.pop_if(|word| word.len() <= 2)
        {
            self.time.push(hour);
        }
        self.time.push(meridiem.to_uppercase());
    }

    /// `20th`, `10:32am`, `10pm`.
    fn add_mixed(&mut self, word: &str) -> Option<()> {
        let lower = word.to_ascii_lowercase().replace('.', "");
        for suffix in ["am", "pm"] {
            if let Some(time) = lower.strip_suffix(suffix) {
                self.time.push(time.to_owned());
                self.add_meridiem(suffix);
                return Some(());
            }
        }
        for suffix in ["st", "nd", "rd", "th"] {
            if let Some(day) = lower.strip_suffix(suffix)
                && day.bytes().all(|byte| byte.is_ascii_digit())
            {
                self.date.push(day.to_owned());
                return Some(());
            }
        }
        None
    }

    /// A zone can only follow a time (`10:32 am EDT`), never stand in for part of a date.
    fn is_zone_position(&self) -> bool {
        !self.time.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::parse_date;

    #[test]
    fn printed_dates() {
        let cases = [
            ("May 20, 2026", "2026-05-20"),
            ("May 20 2026", "2026-05-20"),
            ("20 May 2026", "2026-05-20"),
            ("2026-05-20", "2026-05-20"),
            ("Wednesday, May 20, 2026", "2026-05-20"),
            ("Wed, May 20, 2026", "2026-05-20"),
            ("Sept. 3, 2025", "2025-09-03"),
            ("Sep 3 2025", "2025-09-03"),
            ("3 Sept 2025", "2025-09-03"),
            ("Dec. 31, 1999", "1999-12-31"),
            ("MAY 20, 2026", "2026-05-20"),
            ("May 20th, 2026", "2026-05-20"),
            ("Published: May 20, 2026", "2026-05-20"),
            ("Updated on 20 May 2026", "2026-05-20"),
            ("20.05.2026", "2026-05-20"),
            ("2026/05/20", "2026-05-20"),
            ("20/05/2026", "2026-05-20"),
            ("05/20/2026", "2026-05-20"),
            ("20 мая 2026", "2026-05-20"),
            ("3 сентября 2025 г.", "2025-09-03"),
            ("2026年5月20日", "2026-05-20"),
        ];
        for (line, expected) in cases {
            assert_eq!(parse_date(line).as_deref(), Some(expected), "{line}");
        }
    }

    #[test]
    fn printed_dates_with_times() {
        let cases = [
            ("May 20, 2026 10:32 am", "2026-05-20T10:32:00"),
            ("May 20, 2026 at 10:32 a.m.", "2026-05-20T10:32:00"),
            ("May 20, 2026 at 10:32 p.m.", "2026-05-20T22:32:00"),
            ("May 20, 2026, 12:05 AM", "2026-05-20T00:05:00"),
            ("May 20, 2026 10:32pm", "2026-05-20T22:32:00"),
            ("May 20, 2026 10 pm", "2026-05-20T22:00:00"),
            ("20 May 2026 14:05", "2026-05-20T14:05:00"),
            ("2026-05-20 14:05:09", "2026-05-20T14:05:09"),
            (
                "Wednesday, Sept. 3, 2025 at 4:15 p.m.",
                "2025-09-03T16:15:00",
            ),
            ("10:32 am, May 20, 2026", "2026-05-20T10:32:00"),
            ("May 20, 2026 10:32 am ET", "2026-05-20T10:32:00"),
        ];
        for (line, expected) in cases {
            assert_eq!(parse_date(line).as_deref(), Some(expected), "{line}");
        }
    }

    #[test]
    fn zones_become_utc() {
        let cases = [
            ("2026-05-20T10:32:00Z", "2026-05-20T10:32:00Z"),
            ("2026-05-20T10:32:00+03:00", "2026-05-20T07:32:00Z"),
            ("2026-05-20T23:30:00.250-02:00", "2026-05-21T01:30:00Z"),
            ("Wed, 20 May 2026 10:32:00 +0300", "2026-05-20T07:32:00Z"),
            ("Wed, 20 May 2026 10:32:00 GMT", "2026-05-20T10:32:00Z"),
            ("May 20, 2026 10:32 am EDT", "2026-05-20T14:32:00Z"),
            ("May 20, 2026 10:32 UTC", "2026-05-20T10:32:00Z"),
            ("20 May 2026 10:32 +03:00", "2026-05-20T07:32:00Z"),
        ];
        for (line, expected) in cases {
            assert_eq!(parse_date(line).as_deref(), Some(expected), "{line}");
        }
    }

    #[test]
    fn timestamps_without_zone_stay_local() {
        assert_eq!(
            parse_date("2026-05-20T10:32:00").as_deref(),
            Some("2026-05-20T10:32:00")
        );
        assert_eq!(
            parse_date("2026-05-20T10:32").as_deref(),
            Some("2026-05-20T10:32:00")
        );
    }

    #[test]
    fn lines_that_are_not_dates() {
        let lines = [
            "",
            "kremlin.ru",
            "Breaking news",
            "By Jane Doe",
            "Photo: AP",
            "2026",
            "May 2026",
            "20 May",
            "Room 101, 2026",
            "May 32, 2026",
            "Feb 30, 2026",
            "13/13/2026",
            "04/05/2026",
            "May 20, 26",
            "May 20, 2026 25:61",
            "May 20, 2026 is when the deal was signed in Beijing by both sides",
            "+03:00 May 20 2026",
            "The 3 Musketeers",
            "EDT May 20 2026",
            "Jane Doe, May 20, 2026",
            "20 мая",
            "2026年5月",
        ];
        for line in lines {
            assert_eq!(parse_date(line), None, "{line}");
        }
    }
}
