//! Publication dates as pages print them, read into `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SSZ`.

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
    let day = local_day(raw)?;
    PLAUSIBLE_YEARS
        .contains(&day.year())
        .then(|| format!("{:04}-{:02}-{:02}", day.year(), day.month(), day.day()))
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
        ] {
            assert_eq!(normalize_date(raw).as_deref(), Some(expected), "{raw}");
        }
    }

    #[test]
    fn nonsense_is_not_a_date() {
        for raw in ["", "yesterday", "0001-01-01", "2024-13-40", "1712345678"] {
            assert_eq!(normalize_date(raw), None, "{raw}");
        }
    }
}
