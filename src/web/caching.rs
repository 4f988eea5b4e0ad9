//! Revalidation: every successful GET answer carries an `ETag` made from its bytes, and a
//! browser that already holds those bytes gets `304 Not Modified` without them.

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

/// Pages are rendered whole in memory; the largest (a feed of full articles) is far below this.
pub const MAX_PAGE_BYTES: usize = 64 * 1024 * 1024;

/// Tags `200` answers to `GET`/`HEAD` with a weak `ETag` (weak: the bytes are the same page,
/// whatever compression the response gets on its way out), asks browsers to check before
/// reusing a page (`no-cache`, unless the handler set its own policy), and answers a matching
/// `If-None-Match` with `304`.
pub async fn revalidate(request: Request, next: Next) -> Response {
    let cacheable = matches!(*request.method(), Method::GET | Method::HEAD);
    let if_none_match = request.headers().get(header::IF_NONE_MATCH).cloned();
    let response = next.run(request).await;
    if !cacheable || response.status() != StatusCode::OK {
        return response;
    }
    let (mut parts, mut body) = response.into_parts();
    let tag = match parts.headers.get(header::ETAG) {
        Some(tag) => tag.clone(),
        None => {
            let Ok(bytes) = to_bytes(body, MAX_PAGE_BYTES).await else {
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            };
            let tag = entity_tag(&bytes);
            parts.headers.insert(header::ETAG, tag.clone());
            body = Body::from(bytes);
            tag
        }
    };
    parts
        .headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-cache"));
    if if_none_match.is_some_and(|known| names(&known, &tag)) {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_LENGTH);
        // The tag is the same whatever the coding; a 304 that named one could relabel a
        // cache's copy in the other.
        parts.headers.remove(header::CONTENT_ENCODING);
        return Response::from_parts(parts, Body::empty());
    }
    Response::from_parts(parts, body)
}

/// A weak `ETag` for a page's bytes: the first 96 bits of their SHA-256.
pub fn entity_tag(bytes: &[u8]) -> HeaderValue {
    let digest = Sha256::digest(bytes);
    HeaderValue::from_str(&format!("W/\"{}\"", hex::encode(&digest[..12])))
        .expect("hex is a valid header value")
}

/// Whether an `If-None-Match` list names `tag` (weak comparison, so `W/` is ignored on both).
fn names(if_none_match: &HeaderValue, tag: &HeaderValue) -> bool {
    let bare = |t: &str| t.trim().trim_start_matches("W/").to_owned();
    let tag = bare(tag.to_str().unwrap_or_default());
    if_none_match
        .to_str()
        .unwrap_or_default()
        .split(',')
        .any(|known| known.trim() == "*" || bare(known) == tag)
}
