//! Search ranking: bm25 as FTS5 computes it, except that each searched word's article count
//! comes from its first matches instead of from all of them.
//!
//! bm25 weighs a word by how few articles hold it. FTS5's own `bm25()` finds that number by
//! reading every match of every word before the first score: for a word held by a third of
//! 100,000 articles that is about 4 ms, most of a two-word search. `search_rank()` reads at
//! most [`SAMPLED_MATCHES`] matches of each word, oldest first. A rarer word is counted exactly,
//! so on an archive where no word reaches that number the scores are bm25's own; a commoner
//! word's count is scaled from the share of the archive's rowids its first matches span. A word
//! in more than half the archive weighs almost nothing either way, so the estimate matters only
//! between those bounds.
//!
//! SQL: `search_rank(article_search, first_rowid, last_rowid)`, the rowid range of the archive,
//! with the column weights of [`COLUMN_WEIGHTS`].

use std::ffi::{c_int, c_void};
use std::ptr;

use libsqlite3_sys::{
    Fts5Context, Fts5ExtensionApi, SQLITE_DONE, SQLITE_ERROR, SQLITE_MISUSE, SQLITE_OK, SQLITE_ROW,
    fts5_api, sqlite3, sqlite3_bind_pointer, sqlite3_context, sqlite3_finalize, sqlite3_prepare_v2,
    sqlite3_result_double, sqlite3_result_error_code, sqlite3_step, sqlite3_value,
    sqlite3_value_int64,
};
use sqlx::SqliteConnection;

/// Matches of one word read before its count is estimated rather than counted.
pub const SAMPLED_MATCHES: i64 = 2_000;

/// How much a match weighs in each column of `article_search`: body, title, people, site.
const COLUMN_WEIGHTS: [f64; 4] = [1.0, 10.0, 3.0, 3.0];

/// bm25's constants, as FTS5 sets them.
const K1: f64 = 1.2;
const B: f64 = 0.75;

/// Makes `search_rank()` available on a new connection.
pub(super) async fn register(connection: &mut SqliteConnection) -> Result<(), sqlx::Error> {
    let mut handle = connection.lock_handle().await?;
    let database = handle.as_raw_handle().as_ptr();
    // SAFETY: the handle is a live connection, held locked for the whole call.
    let code = unsafe { register_on(database) };
    if code == SQLITE_OK {
        Ok(())
    } else {
        Err(sqlx::Error::Configuration(
            format!("registering search_rank() failed (SQLite code {code})").into(),
        ))
    }
}

/// # Safety
/// `database` must be a valid, open connection not used by another thread during the call.
unsafe fn register_on(database: *mut sqlite3) -> c_int {
    // SAFETY: as the caller promises; the pointer FTS5 writes is read only after the step.
    unsafe {
        let api = match fts5_api_of(database) {
            Ok(api) => api,
            Err(code) => return code,
        };
        match (*api).xCreateFunction {
            Some(create) => create(
                api,
                c"search_rank".as_ptr(),
                ptr::null_mut(),
                Some(search_rank),
                None,
            ),
            None => SQLITE_MISUSE,
        }
    }
}

/// FTS5's extension interface, which SQLite hands out through `SELECT fts5(?)`.
///
/// # Safety
/// As [`register_on`].
unsafe fn fts5_api_of(database: *mut sqlite3) -> Result<*mut fts5_api, c_int> {
    // SAFETY: the statement is prepared, stepped and finalized here; `api` outlives it.
    unsafe {
        let mut statement = ptr::null_mut();
        let code = sqlite3_prepare_v2(
            database,
            c"SELECT fts5(?1)".as_ptr(),
            -1,
            &mut statement,
            ptr::null_mut(),
        );
        if code != SQLITE_OK {
            return Err(code);
        }
        let mut api: *mut fts5_api = ptr::null_mut();
        sqlite3_bind_pointer(
            statement,
            1,
            (&raw mut api).cast(),
            c"fts5_api_ptr".as_ptr(),
            None,
        );
        let stepped = sqlite3_step(statement);
        sqlite3_finalize(statement);
        if stepped != SQLITE_ROW || api.is_null() {
            return Err(SQLITE_ERROR);
        }
        Ok(api)
    }
}

/// What one query's scores share, worked out at its first row.
struct QueryWeights {
    /// bm25's inverse document frequency of each phrase of the query.
    rarity: Vec<f64>,
    /// Tokens in an average article.
    average_length: f64,
    /// Scratch space: each phrase's weighted count in the row being scored.
    frequency: Vec<f64>,
}

/// The FTS5 auxiliary function. Errors become SQLite errors of the statement.
unsafe extern "C" fn search_rank(
    api: *const Fts5ExtensionApi,
    fts: *mut Fts5Context,
    context: *mut sqlite3_context,
    argument_count: c_int,
    arguments: *mut *mut sqlite3_value,
) {
    // SAFETY: FTS5 passes a valid API, cursor and context, and `argument_count` arguments.
    unsafe {
        let rowids = if argument_count == 2 {
            Ok((
                sqlite3_value_int64(*arguments),
                sqlite3_value_int64(*arguments.add(1)),
            ))
        } else {
            Err(SQLITE_MISUSE)
        };
        match rowids.and_then(|rowids| score(&*api, fts, rowids)) {
            Ok(score) => sqlite3_result_double(context, score),
            Err(code) => sqlite3_result_error_code(context, code),
        }
    }
}

/// A function of FTS5's interface, which this SQLite always provides.
fn provided<F>(function: Option<F>) -> Result<F, c_int> {
    function.ok_or(SQLITE_MISUSE)
}

/// Turns an SQLite result code into a `Result`.
fn checked(code: c_int) -> Result<(), c_int> {
    if code == SQLITE_OK { Ok(()) } else { Err(code) }
}

/// The current row's score: negative, lower is better, as `bm25()` gives it.
///
/// # Safety
/// `fts` must be the cursor FTS5 passed with `api`.
unsafe fn score(
    api: &Fts5ExtensionApi,
    fts: *mut Fts5Context,
    rowids: (i64, i64),
) -> Result<f64, c_int> {
    // SAFETY: as the caller promises; the auxiliary data is the `QueryWeights` set below.
    unsafe {
        let weights = query_weights(api, fts, rowids)?;
        weights.frequency.fill(0.0);
        let mut instances = 0;
        checked(provided(api.xInstCount)?(fts, &mut instances))?;
        for instance in 0..instances {
            let (mut phrase, mut column, mut offset) = (0, 0, 0);
            checked(provided(api.xInst)?(
                fts,
                instance,
                &mut phrase,
                &mut column,
                &mut offset,
            ))?;
            let weight = usize::try_from(column)
                .ok()
                .and_then(|column| COLUMN_WEIGHTS.get(column))
                .copied()
                .unwrap_or(1.0);
            if let Some(frequency) = usize::try_from(phrase)
                .ok()
                .and_then(|phrase| weights.frequency.get_mut(phrase))
            {
                *frequency += weight;
            }
        }
        let mut length = 0;
        checked(provided(api.xColumnSize)?(fts, -1, &mut length))?;
        let length_norm = 1.0 - B + B * f64::from(length) / weights.average_length;
        let total: f64 = weights
            .rarity
            .iter()
            .zip(&weights.frequency)
            .map(|(rarity, frequency)| {
                rarity * frequency * (K1 + 1.0) / (frequency + K1 * length_norm)
            })
            .sum();
        Ok(-total)
    }
}

/// The query's [`QueryWeights`], worked out at its first row and kept by FTS5 until its end.
///
/// # Safety
/// As [`score`].
unsafe fn query_weights<'a>(
    api: &Fts5ExtensionApi,
    fts: *mut Fts5Context,
    (first_rowid, last_rowid): (i64, i64),
) -> Result<&'a mut QueryWeights, c_int> {
    // SAFETY: the only auxiliary data this function sets is a boxed `QueryWeights`, freed by
    // FTS5 through `drop_query_weights` when the query ends.
    unsafe {
        let kept = provided(api.xGetAuxdata)?(fts, 0).cast::<QueryWeights>();
        if let Some(kept) = kept.as_mut() {
            return Ok(kept);
        }
        let mut articles = 0;
        checked(provided(api.xRowCount)?(fts, &mut articles))?;
        let mut tokens = 0;
        checked(provided(api.xColumnTotalSize)?(fts, -1, &mut tokens))?;
        let phrases = provided(api.xPhraseCount)?(fts);
        let mut rarity = Vec::new();
        for phrase in 0..phrases {
            let mut count = MatchCount::default();
            checked(provided(api.xQueryPhrase)?(
                fts,
                phrase,
                (&raw mut count).cast(),
                Some(count_match),
            ))?;
            let holding = count.estimate(first_rowid, last_rowid).min(articles) as f64;
            let idf = ((articles as f64 - holding + 0.5) / (holding + 0.5)).ln();
            rarity.push(if idf > 0.0 { idf } else { 1e-6 });
        }
        let weights = Box::new(QueryWeights {
            frequency: vec![0.0; rarity.len()],
            rarity,
            average_length: tokens as f64 / articles.max(1) as f64,
        });
        let weights = Box::into_raw(weights);
        checked(provided(api.xSetAuxdata)?(
            fts,
            weights.cast(),
            Some(drop_query_weights),
        ))?;
        Ok(&mut *weights)
    }
}

unsafe extern "C" fn drop_query_weights(weights: *mut c_void) {
    // SAFETY: FTS5 calls this once, with the pointer `query_weights` made by `Box::into_raw`.
    drop(unsafe { Box::from_raw(weights.cast::<QueryWeights>()) });
}

/// The matches of one phrase read so far, oldest first.
#[derive(Default)]
struct MatchCount {
    matches: i64,
    /// The rowid of the last match read, once reading stopped early.
    stopped_at: Option<i64>,
}

impl MatchCount {
    /// Articles holding the phrase: exact when every match was read, otherwise scaled from the
    /// share of the rowid range that the matches read cover.
    fn estimate(&self, first_rowid: i64, last_rowid: i64) -> i64 {
        match self.stopped_at {
            None => self.matches,
            Some(stopped_at) => {
                let covered = (stopped_at - first_rowid + 1).max(1) as f64;
                let range = (last_rowid - first_rowid + 1).max(1) as f64;
                (self.matches as f64 * range / covered).round() as i64
            }
        }
    }
}

unsafe extern "C" fn count_match(
    api: *const Fts5ExtensionApi,
    fts: *mut Fts5Context,
    count: *mut c_void,
) -> c_int {
    // SAFETY: `count` is the `MatchCount` that `query_weights` passed; `api` and `fts` are
    // FTS5's own for the phrase being read.
    unsafe {
        let count = &mut *count.cast::<MatchCount>();
        count.matches += 1;
        if count.matches < SAMPLED_MATCHES {
            return SQLITE_OK;
        }
        match (*api).xRowid {
            Some(rowid) => {
                count.stopped_at = Some(rowid(fts));
                SQLITE_DONE
            }
            None => SQLITE_MISUSE,
        }
    }
}
