//! Static files embedded in the binary, served under a content-hash path with a year-long cache.

use std::sync::LazyLock;

use axum::body::Bytes;
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;
use sha2::{Digest, Sha256};

use super::caching::entity_tag;
use super::encoding::{Coding, Compressed};
use crate::error::Error;

const STYLESHEET: &str = include_str!("../../static/style.css");

static STYLESHEET_HASH: LazyLock<String> =
    LazyLock::new(|| hex::encode(&Sha256::digest(STYLESHEET.as_bytes())[..8]));

static STYLESHEET_TAG: LazyLock<HeaderValue> = LazyLock::new(|| entity_tag(STYLESHEET.as_bytes()));

/// The stylesheet compressed, each coding made once.
static COMPRESSED_STYLESHEET: Compressed = Compressed::new();

/// The stylesheet's URL; it changes whenever the stylesheet does.
pub fn stylesheet_path() -> String {
    format!("/static/{}/style.css", *STYLESHEET_HASH)
}

pub async fn serve_asset(
    Path((hash, file)): Path<(String, String)>,
    request_headers: HeaderMap,
) -> Result<Response, Error> {
    if file != "style.css" || hash != *STYLESHEET_HASH {
        return Err(Error::NotFound);
    }
    let headers = HeaderMap::from_iter([
        // One tag for every coding, as for pages (see `caching`).
        (header::ETAG, STYLESHEET_TAG.clone()),
        (
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/css; charset=utf-8"),
        ),
        (
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        ),
    ]);
    Ok(COMPRESSED_STYLESHEET
        .response(
            headers,
            &Bytes::from_static(STYLESHEET.as_bytes()),
            Coding::accepted_by(&request_headers),
        )
        .await)
}
