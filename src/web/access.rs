//! Applying the access policy to requests: who is logged in, what they may reach, CSRF checks
//! on every state-changing request, and the login and logout pages.

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use axum::body::{Body, to_bytes};
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine;
use tokio::sync::Semaphore;

use super::AppState;
use super::views::with_retry_after;
use crate::access::{
    AccessPolicy, ClientLimit, CsrfKey, LOGIN_TRIES_PER_MINUTE, is_loopback_name, verify_password,
};
use crate::error::Error;

pub const SESSION_COOKIE: &str = "tearsheet_session";
pub const VISITOR_COOKIE: &str = "tearsheet_visitor";
/// Form bodies read for their CSRF token are capped; real forms are tiny.
const MAX_FORM_BYTES: usize = 64 * 1024;

/// The access policy with what it needs at run time.
pub struct Access {
    pub policy: AccessPolicy,
    pub csrf: CsrfKey,
    pub failed_logins: ClientLimit,
    /// Password checks running at once: each takes argon2's 19 MiB and most of a core's time
    /// for a while, so many at once would exhaust the server. One per core, and fewer than a
    /// client's tries a minute (see [`check_password`]).
    password_checks: Arc<Semaphore>,
}

impl Access {
    /// The policy with the CSRF secret kept in the database (made on first start).
    pub async fn load(store: &crate::store::Store, policy: AccessPolicy) -> Result<Self, Error> {
        let secret = store.csrf_secret(&crate::access::new_token()).await?;
        Ok(Self {
            policy,
            csrf: CsrfKey::new(&secret),
            failed_logins: ClientLimit::logins(),
            password_checks: Arc::new(Semaphore::new(
                std::thread::available_parallelism()
                    .map_or(1, usize::from)
                    .min(LOGIN_TRIES_PER_MINUTE as usize - 1),
            )),
        })
    }
}

/// Facts about the current request, set by [`guard`] for handlers to read.
#[derive(Clone)]
pub struct Visitor {
    pub client: IpAddr,
    /// Whether the browser reached us over HTTPS (as a trusted proxy says).
    pub https: bool,
    forms: Arc<FormIdentity>,
}

/// Who a form is made for: the visitor's cookie, or a new one made (and sent by [`guard`])
/// when a page first asks for a CSRF token. Pages without a form make neither, so a reader's
/// page costs no token and carries no `Set-Cookie`.
struct FormIdentity {
    access: Arc<Access>,
    cookie: Option<String>,
    made: OnceLock<(String, String)>,
}

impl Visitor {
    /// The CSRF token for this visitor's forms.
    pub fn csrf_token(&self) -> String {
        let forms = &self.forms;
        let (_, token) = forms.made.get_or_init(|| {
            let id = forms
                .cookie
                .clone()
                .unwrap_or_else(crate::access::new_token);
            let token = forms.access.csrf.token_for(&id);
            (id, token)
        });
        token.clone()
    }

    /// The visitor id a token was made for, when the visitor had no cookie yet.
    fn new_id(&self) -> Option<&str> {
        let forms = &self.forms;
        match (&forms.cookie, forms.made.get()) {
            (None, Some((id, _))) => Some(id),
            _ => None,
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Visitor {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Error> {
        parts
            .extensions
            .get::<Visitor>()
            .cloned()
            .ok_or(Error::NotFound)
    }
}

/// Middleware for every route: identify the visitor, refuse what they may not reach, check
/// CSRF on state-changing requests, and give new visitors their CSRF cookie.
pub async fn guard(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let access = &state.access;
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::from([127, 0, 0, 1]), |info| info.0.ip());
    let headers = request.headers();
    let from_proxy = access.policy.is_trusted_proxy(peer);
    let client = if from_proxy {
        forwarded_client(headers, &access.policy).unwrap_or(peer)
    } else {
        peer
    };
    if access.policy.loopback_names_only
        && let Some(host) = headers.get(header::HOST)
        && !host.to_str().is_ok_and(is_loopback_name)
    {
        return not_this_machine();
    }
    let https = from_proxy && header_is(headers, "x-forwarded-proto", "https");
    let visitor_cookie = cookie(headers, VISITOR_COOKIE).filter(|id| id.len() == 64);
    let logged_in = match is_logged_in(&state, headers, from_proxy, client).await {
        Ok(PasswordCheck::Right) => true,
        Ok(PasswordCheck::Wrong) => false,
        Ok(PasswordCheck::TooManyTries(wait)) => return too_many_tries(wait),
        Err(error) => return error.into_response(),
    };

    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    if access.policy.login_required
        && !logged_in
        && !is_open(&method, &path, access.policy.public_reading)
    {
        return login_needed(&method, &path, request.uri().query());
    }
    if is_state_changing(&method) {
        request = match check_csrf(request, &access.csrf, visitor_cookie.as_deref()).await {
            Ok(request) => request,
            Err(response) => return response,
        };
    }
    let visitor = Visitor {
        client,
        https,
        forms: Arc::new(FormIdentity {
            access: Arc::clone(access),
            cookie: visitor_cookie,
            made: OnceLock::new(),
        }),
    };
    request.extensions_mut().insert(visitor.clone());
    let mut response = next.run(request).await;
    let is_page = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(b"text/html"));
    if let Some(id) = visitor.new_id()
        && is_page
    {
        let cookie = session_cookie(VISITOR_COOKIE, id, "Strict", None, visitor.https);
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

/// Whether the request comes from someone logged in: a proxy's user, a session, or a password
/// given as HTTP Basic auth (checked as a login is, throttled alike).
async fn is_logged_in(
    state: &AppState,
    headers: &HeaderMap,
    from_proxy: bool,
    client: IpAddr,
) -> Result<PasswordCheck, Error> {
    let policy = &state.access.policy;
    if !policy.login_required {
        return Ok(PasswordCheck::Right);
    }
    if from_proxy
        && let Some(name) = &policy.proxy_user_header
        && headers
            .get(name.as_str())
            .is_some_and(|user| !user.is_empty())
    {
        return Ok(PasswordCheck::Right);
    }
    if let Some(session) = cookie(headers, SESSION_COOKIE) {
        return Ok(match state.store.is_session_valid(&session).await? {
            true => PasswordCheck::Right,
            false => PasswordCheck::Wrong,
        });
    }
    match basic_password(headers) {
        Some(password) => check_password(state, client, &password).await,
        None => Ok(PasswordCheck::Wrong),
    }
}

/// What checking a password found.
pub enum PasswordCheck {
    Right,
    Wrong,
    /// The client tried too often; it may try again after this long.
    TooManyTries(Duration),
}

/// Checks a password against the configured hash. Checks take turns, and each try is counted
/// when its turn comes, before the check: tries sent at once cannot all pass the throttle
/// before the first failure is counted. An API client sending its right password with many
/// requests at once is never throttled: fewer checks run at once than a client may try, and
/// each right one clears the count. A turn ends when its check does, even if the request that
/// asked is gone (the check cannot be stopped).
pub async fn check_password(
    state: &AppState,
    client: IpAddr,
    password: &str,
) -> Result<PasswordCheck, Error> {
    let access = &state.access;
    // The semaphore is never closed, so a turn always comes.
    let turn = Arc::clone(&access.password_checks)
        .acquire_owned()
        .await
        .ok();
    if let Err(wait) = access.failed_logins.take(client) {
        return Ok(PasswordCheck::TooManyTries(wait));
    }
    let hash = match &access.policy.password_hash_from_env {
        Some(hash) => Some(hash.clone()),
        None => state.store.password_hash().await?,
    };
    let password = password.to_owned();
    let matches = tokio::task::spawn_blocking(move || {
        let _turn = turn;
        hash.is_some_and(|hash| verify_password(&hash, &password))
    })
    .await
    .unwrap_or(false);
    if matches {
        access.failed_logins.clear(client);
        Ok(PasswordCheck::Right)
    } else {
        Ok(PasswordCheck::Wrong)
    }
}

/// A `421` for a request naming another host while the server answers only to this machine's
/// names (see [`AccessPolicy::loopback_names_only`]).
fn not_this_machine() -> Response {
    (
        StatusCode::MISDIRECTED_REQUEST,
        "Without a password, Tearsheet answers only to localhost, 127.0.0.1 and [::1]. To reach \
         it under another name, set a password (tearsheet set-password).\n",
    )
        .into_response()
}

/// A `429` for a client over the login throttle, to a request that is not the login form.
fn too_many_tries(wait: Duration) -> Response {
    let response = (
        StatusCode::TOO_MANY_REQUESTS,
        "Too many password attempts. Please wait a minute and try again.\n",
    )
        .into_response();
    with_retry_after(response, Some(wait))
}

/// Routes anyone may reach: logging in, assets, the health check, and (with public reading)
/// the reading pages, their feeds and the read-only API.
fn is_open(method: &Method, path: &str, public_reading: bool) -> bool {
    if path == "/login" || path.starts_with("/static/") || path == "/healthz" {
        return true;
    }
    let reading = (method == Method::GET || method == Method::HEAD)
        && (path == "/"
            || path.starts_with("/a/")
            || ["/search", "/sites", "/feed.atom", "/search.atom"].contains(&path)
            || path == "/api/articles"
            || path.starts_with("/api/articles/"));
    public_reading && reading
}

fn login_needed(method: &Method, path: &str, query: Option<&str>) -> Response {
    if path.starts_with("/api/") || method != Method::GET {
        let mut response = (StatusCode::UNAUTHORIZED, "login required\n").into_response();
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"Tearsheet\""),
        );
        return response;
    }
    let next = match query {
        Some(query) => format!("{path}?{query}"),
        None => path.to_owned(),
    };
    let next: String = url::form_urlencoded::byte_serialize(next.as_bytes()).collect();
    Redirect::to(&format!("/login?next={next}")).into_response()
}

fn is_state_changing(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// A state-changing request must come from our own pages: a browser's `Sec-Fetch-Site` and
/// `Origin` must not name another site, and a form must carry this visitor's token.
async fn check_csrf(
    request: Request,
    key: &CsrfKey,
    visitor_id: Option<&str>,
) -> Result<Request, Response> {
    let forbidden = || {
        (
            StatusCode::FORBIDDEN,
            "This request did not come from Tearsheet's own pages.\n",
        )
            .into_response()
    };
    let headers = request.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok())
        && !matches!(site, "same-origin" | "none")
    {
        return Err(forbidden());
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or_default();
        let same = origin
            .to_str()
            .ok()
            .and_then(|o| o.split_once("://"))
            .is_some_and(|(_, o)| o == host);
        if !same {
            return Err(forbidden());
        }
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    // Neither a JSON body nor the DELETE method can be sent cross-site without a CORS
    // preflight, which Tearsheet never answers. Only the API takes JSON: a form's route, which
    // may not read its body at all (deleting, logging out), needs its token whatever the type.
    let is_api = request.uri().path().starts_with("/api/");
    if (is_api && content_type.starts_with("application/json"))
        || request.method() == Method::DELETE
    {
        return Ok(request);
    }
    if !content_type.starts_with("application/x-www-form-urlencoded") {
        return Err(forbidden());
    }
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, MAX_FORM_BYTES)
        .await
        .map_err(|_| (StatusCode::PAYLOAD_TOO_LARGE, "Form too large.\n").into_response())?;
    let token = url::form_urlencoded::parse(&bytes)
        .find(|(name, _)| name == "csrf")
        .map(|(_, value)| value.into_owned());
    match token {
        Some(token) if visitor_id.is_some_and(|id| key.verify(id, &token)) => {
            Ok(Request::from_parts(parts, Body::from(bytes)))
        }
        _ => Err(forbidden()),
    }
}

/// The client address a trusted proxy reports: the rightmost `X-Forwarded-For` entry that is
/// not itself a trusted proxy.
fn forwarded_client(headers: &HeaderMap, policy: &AccessPolicy) -> Option<IpAddr> {
    let chain = headers.get("x-forwarded-for")?.to_str().ok()?;
    chain
        .split(',')
        .rev()
        .filter_map(|hop| hop.trim().parse::<IpAddr>().ok())
        .find(|hop| !policy.is_trusted_proxy(*hop))
}

fn header_is(headers: &HeaderMap, name: &str, value: &str) -> bool {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case(value))
}

/// The value of one cookie from the `Cookie` headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

/// The password of an `Authorization: Basic` header (any user name), for API clients.
fn basic_password(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let encoded = value.strip_prefix("Basic ")?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    text.split_once(':')
        .map(|(_, password)| password.to_owned())
}

/// A `Set-Cookie` value: HttpOnly always, `Secure` when the browser came over HTTPS.
pub fn session_cookie(
    name: &str,
    value: &str,
    same_site: &str,
    max_age: Option<i64>,
    secure: bool,
) -> HeaderValue {
    let mut cookie = format!("{name}={value}; Path=/; HttpOnly; SameSite={same_site}");
    if let Some(seconds) = max_age {
        cookie.push_str(&format!("; Max-Age={seconds}"));
    }
    if secure {
        cookie.push_str("; Secure");
    }
    HeaderValue::from_str(&cookie)
        .unwrap_or_else(|_| HeaderValue::from_static("invalid=; Max-Age=0"))
}
