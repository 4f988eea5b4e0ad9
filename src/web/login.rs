//! Logging in and out.

use std::time::Duration;

use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::AppState;
use super::access::{
    PasswordCheck, SESSION_COOKIE, Visitor, check_password, cookie, session_cookie,
};
use super::views::{LoginPage, LogoutPage, render, with_retry_after};
use crate::access::new_token;
use crate::error::Error;

/// Sessions last a month; logging out or changing the password ends them sooner.
const SESSION_DAYS: i64 = 30;

#[derive(Debug, Deserialize)]
pub struct LoginParams {
    #[serde(default)]
    next: String,
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

pub async fn show_login_form(visitor: Visitor, Query(params): Query<LoginParams>) -> Response {
    render(
        StatusCode::OK,
        &LoginPage {
            next: safe_next(&params.next),
            error: None,
            csrf: visitor.csrf_token(),
        },
    )
}

/// Every failure answers the same; the 11th within a minute from one client waits.
pub async fn log_in(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<LoginForm>,
) -> Result<Response, Error> {
    let next = safe_next(&form.next);
    match check_password(&state, visitor.client, &form.password).await? {
        PasswordCheck::Right => {}
        PasswordCheck::Wrong => {
            let page = LoginPage {
                next,
                error: Some("That password is not right."),
                csrf: visitor.csrf_token(),
            };
            return Ok(render(StatusCode::UNAUTHORIZED, &page));
        }
        PasswordCheck::TooManyTries(wait) => {
            return Ok(too_many_attempts(wait, next, visitor.csrf_token()));
        }
    }
    let session = new_token();
    let expires = chrono::Utc::now() + chrono::Duration::days(SESSION_DAYS);
    state
        .store
        .create_session(&session, &expires.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .await?;
    let cookie = session_cookie(
        SESSION_COOKIE,
        &session,
        "Lax",
        Some(SESSION_DAYS * 86_400),
        visitor.https,
    );
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to(&next)).into_response())
}

pub async fn show_logout_form(visitor: Visitor) -> Response {
    render(
        StatusCode::OK,
        &LogoutPage {
            csrf: visitor.csrf_token(),
        },
    )
}

pub async fn log_out(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
) -> Result<Response, Error> {
    if let Some(session) = cookie(&headers, SESSION_COOKIE) {
        state.store.end_session(&session).await?;
    }
    let expired = session_cookie(SESSION_COOKIE, "", "Lax", Some(0), visitor.https);
    Ok(([(header::SET_COOKIE, expired)], Redirect::to("/")).into_response())
}

fn too_many_attempts(wait: Duration, next: String, csrf: String) -> Response {
    let page = LoginPage {
        next,
        error: Some("Too many attempts. Please wait a minute and try again."),
        csrf,
    };
    with_retry_after(render(StatusCode::TOO_MANY_REQUESTS, &page), Some(wait))
}

/// Only a path on this site: `//evil.example`, `/\evil.example` and absolute URLs become `/`.
pub fn safe_next(next: &str) -> String {
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(char::is_control);
    if local {
        next.to_owned()
    } else {
        "/".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_only_accepts_local_paths() {
        assert_eq!(
            safe_next("/a/0123456789abcdef/x?y=1"),
            "/a/0123456789abcdef/x?y=1"
        );
        for hostile in [
            "//evil.com",
            "/\\evil.com",
            "https://evil.com",
            "evil.com",
            "",
            "/\t/evil.com",
            "\\\\evil.com",
        ] {
            assert_eq!(safe_next(hostile), "/", "{hostile:?}");
        }
    }
}
