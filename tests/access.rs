//! Access control: login, sessions, CSRF, throttling, proxies, and refusing to serve openly.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use common::{TestApp, database_url, form_and_token};
use tearsheet::access::{AccessPolicy, hash_password};

const PASSWORD: &str = "correct horse battery";

async fn protected_app(policy: AccessPolicy) -> TestApp {
    let dir = tempfile::tempdir().expect("dir");
    let store = tearsheet::store::Store::open(&database_url(dir.path()))
        .await
        .expect("open");
    store
        .set_password_hash(&hash_password(PASSWORD).expect("hash"))
        .await
        .expect("set");
    TestApp::start_with(
        dir,
        AccessPolicy {
            login_required: true,
            ..policy
        },
    )
    .await
}

fn set_cookie(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(str::to_owned)
}

fn cookie_pair(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap_or_default().to_owned()
}

/// The login form's CSRF token and the visitor cookie it belongs to.
async fn login_form(app: &TestApp) -> (String, String) {
    let (visitor, token, _) = form_and_token(app, "/login").await;
    (visitor, token)
}

async fn post_login(
    app: &TestApp,
    visitor: &str,
    token: &str,
    password: &str,
    extra: &[(&str, &str)],
) -> reqwest::Response {
    let mut request = app
        .client
        .post(app.url("/login"))
        .header("cookie", visitor)
        .form(&[("csrf", token), ("password", password), ("next", "/sites")]);
    for (name, value) in extra {
        request = request.header(*name, *value);
    }
    request.send().await.expect("post")
}

/// Logs in and returns the cookies to send.
async fn log_in(app: &TestApp) -> String {
    let (visitor, token) = login_form(app).await;
    let response = post_login(app, &visitor, &token, PASSWORD, &[]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/sites");
    let session = set_cookie(&response, "tearsheet_session").expect("session cookie");
    assert!(
        session.contains("HttpOnly") && session.contains("SameSite=Lax"),
        "{session}"
    );
    format!("{visitor}; {}", cookie_pair(&session))
}

#[tokio::test]
async fn with_a_password_everything_needs_login() {
    let app = protected_app(AccessPolicy::default()).await;
    let response = app.get("/a/0123456789abcdef/x?y=1").await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        response.headers()["location"],
        "/login?next=%2Fa%2F0123456789abcdef%2Fx%3Fy%3D1"
    );
    assert_eq!(app.get("/api/articles").await.status(), 401);
    assert_eq!(app.get("/healthz").await.status(), 200);
    assert_eq!(app.get("/login").await.status(), 200);

    let cookies = log_in(&app).await;
    let response = app.get_with("/", "cookie", &cookies).await;
    assert_eq!(response.status(), 200);
    let api = app
        .client
        .get(app.url("/api/articles"))
        .basic_auth("me", Some(PASSWORD))
        .send()
        .await
        .expect("get");
    assert_eq!(
        api.status(),
        200,
        "the API takes the password as HTTP Basic auth"
    );
    assert_eq!(
        app.get("/").await.status(),
        303,
        "a page kept in memory for someone logged in is not shown to a visitor"
    );
    assert_eq!(app.get("/api/articles").await.status(), 401);
}

#[tokio::test]
async fn login_failures_look_alike_and_the_eleventh_waits() {
    let app = protected_app(AccessPolicy::default()).await;
    let (visitor, token) = login_form(&app).await;
    for attempt in 0..10 {
        let spoofed = format!("203.0.113.{attempt}");
        let response = post_login(
            &app,
            &visitor,
            &token,
            "wrong",
            &[("x-forwarded-for", &spoofed)],
        )
        .await;
        assert_eq!(response.status(), 401);
        assert!(set_cookie(&response, "tearsheet_session").is_none());
        assert!(
            response
                .text()
                .await
                .expect("body")
                .contains("That password is not right.")
        );
    }
    let response = post_login(
        &app,
        &visitor,
        &token,
        PASSWORD,
        &[("x-forwarded-for", "198.51.100.7")],
    )
    .await;
    assert_eq!(
        response.status(),
        429,
        "a spoofed X-Forwarded-For from an untrusted peer changes nothing"
    );
    let wait: u64 = response.headers()["retry-after"]
        .to_str()
        .expect("h")
        .parse()
        .expect("seconds");
    assert!((1..=60).contains(&wait));
}

#[tokio::test]
async fn sessions_are_new_at_login_survive_restarts_and_end_at_logout() {
    let app = protected_app(AccessPolicy::default()).await;
    let first = log_in(&app).await;
    let second = log_in(&app).await;
    assert_ne!(first, second, "a new session id at every login");

    let again = TestApp::start_with(
        app.dir,
        AccessPolicy {
            login_required: true,
            ..AccessPolicy::default()
        },
    )
    .await;
    let ok = again.get_with("/", "cookie", &first).await;
    assert_eq!(ok.status(), 200, "sessions are stored in SQLite");

    let page = again.get_with("/logout", "cookie", &first).await;
    let html = page.text().await.expect("body");
    let token = dom_query::Document::from(html.as_str())
        .select("input[name=csrf]")
        .attr("value")
        .expect("csrf")
        .to_string();
    let out = again
        .client
        .post(again.url("/logout"))
        .header("cookie", &first)
        .form(&[("csrf", token.as_str())])
        .send()
        .await
        .expect("post");
    assert_eq!(out.status(), 303);
    assert!(set_cookie(&out, "tearsheet_session").is_some_and(|c| c.contains("Max-Age=0")));
    let after = again.get_with("/", "cookie", &first).await;
    assert_eq!(after.status(), 303, "logout ended the session");
}

/// A password sent as HTTP Basic auth is throttled as the login form is, on the same count:
/// otherwise the API would let anyone try passwords without limit.
#[tokio::test]
async fn passwords_sent_as_basic_auth_are_throttled_too() {
    let app = protected_app(AccessPolicy::default()).await;
    let api = |password: &'static str| {
        app.client
            .get(app.url("/api/articles"))
            .basic_auth("me", Some(password))
            .send()
    };
    let at_once: Vec<_> = (0..16).map(|_| api(PASSWORD)).collect();
    for response in futures_util::future::join_all(at_once).await {
        assert_eq!(
            response.expect("get").status(),
            200,
            "a client sending its right password with many requests at once is not throttled"
        );
    }
    let tries: Vec<_> = (0..10).map(|_| api("wrong")).collect();
    for response in futures_util::future::join_all(tries).await {
        assert_eq!(response.expect("get").status(), 401);
    }
    let throttled = api(PASSWORD).await.expect("get");
    assert_eq!(throttled.status(), 429, "the right password waits too");
    assert!(throttled.headers().contains_key("retry-after"));
    let (visitor, token) = login_form(&app).await;
    let response = post_login(&app, &visitor, &token, PASSWORD, &[]).await;
    assert_eq!(
        response.status(),
        429,
        "the login form counts the same tries"
    );
}

/// Tries sent at once are each counted before their check: no more than ten get an answer.
#[tokio::test]
async fn login_tries_sent_at_once_are_all_counted() {
    let app = protected_app(AccessPolicy::default()).await;
    let (visitor, token) = login_form(&app).await;
    let tries: Vec<_> = (0..16)
        .map(|_| post_login(&app, &visitor, &token, "wrong", &[]))
        .collect();
    let statuses: Vec<u16> = futures_util::future::join_all(tries)
        .await
        .iter()
        .map(|response| response.status().as_u16())
        .collect();
    assert_eq!(
        statuses.iter().filter(|&&s| s == 401).count(),
        10,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|&&s| s == 429).count(),
        6,
        "{statuses:?}"
    );
}

#[tokio::test]
async fn state_changing_requests_need_a_token_and_our_own_origin() {
    let app = protected_app(AccessPolicy::default()).await;
    let cookies = log_in(&app).await;
    let html = app
        .get_with("/logout", "cookie", &cookies)
        .await
        .text()
        .await
        .expect("body");
    let token = dom_query::Document::from(html.as_str())
        .select("input[name=csrf]")
        .attr("value")
        .expect("csrf")
        .to_string();
    let host = app.address.to_string();
    let post = |headers: Vec<(&'static str, String)>, token: Option<&str>| {
        let mut request = app
            .client
            .post(app.url("/logout"))
            .header("cookie", &cookies);
        for (name, value) in headers {
            request = request.header(name, value);
        }
        match token {
            Some(token) => request.form(&[("csrf", token)]),
            None => request.form(&[("other", "x")]),
        }
        .send()
    };
    assert_eq!(
        post(vec![], None).await.expect("post").status(),
        403,
        "no token"
    );
    assert_eq!(
        post(vec![], Some("00")).await.expect("post").status(),
        403,
        "wrong token"
    );
    let as_json = app
        .client
        .post(app.url("/logout"))
        .header("cookie", &cookies)
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .expect("post");
    assert_eq!(as_json.status(), 403, "JSON is the API's, not a form's");
    assert_eq!(
        post(
            vec![("origin", "https://evil.example".into())],
            Some(&token)
        )
        .await
        .expect("post")
        .status(),
        403
    );
    assert_eq!(
        post(vec![("sec-fetch-site", "cross-site".into())], Some(&token))
            .await
            .expect("post")
            .status(),
        403
    );
    let ok = post(
        vec![
            ("origin", format!("http://{host}")),
            ("sec-fetch-site", "same-origin".into()),
        ],
        Some(&token),
    );
    assert_eq!(ok.await.expect("post").status(), 303);
}

#[tokio::test]
async fn next_only_leads_to_local_paths() {
    let app = protected_app(AccessPolicy::default()).await;
    for next in ["//evil.com", "/\\evil.com", "https://evil.com"] {
        let (visitor, token) = login_form(&app).await;
        let response = app
            .client
            .post(app.url("/login"))
            .header("cookie", &visitor)
            .form(&[
                ("csrf", token.as_str()),
                ("password", PASSWORD),
                ("next", next),
            ])
            .send()
            .await
            .expect("post");
        assert_eq!(response.headers()["location"], "/", "{next}");
    }
}

#[tokio::test]
async fn public_reading_and_trusted_proxy_logins() {
    let app = protected_app(AccessPolicy {
        public_reading: true,
        ..AccessPolicy::default()
    })
    .await;
    assert_eq!(app.get("/").await.status(), 200);
    assert_eq!(app.get("/api/articles").await.status(), 200);
    assert_eq!(
        app.get("/logout").await.status(),
        303,
        "everything else still needs login"
    );

    let trusted = AccessPolicy {
        trusted_proxies: vec!["127.0.0.1/32".parse().expect("cidr")],
        proxy_user_header: Some("remote-user".into()),
        ..AccessPolicy::default()
    };
    let proxied = protected_app(trusted).await;
    let response = proxied.get_with("/", "remote-user", "ana").await;
    assert_eq!(response.status(), 200);

    let untrusted = AccessPolicy {
        trusted_proxies: vec!["10.0.0.0/8".parse().expect("cidr")],
        proxy_user_header: Some("remote-user".into()),
        ..AccessPolicy::default()
    };
    let direct = protected_app(untrusted).await;
    let response = direct.get_with("/", "remote-user", "ana").await;
    assert_eq!(
        response.status(),
        303,
        "the header counts only from a trusted proxy"
    );
}

/// The open server on a loopback address answers only to this machine's names: a page on
/// another site whose name comes to resolve to 127.0.0.1 (DNS rebinding) gets nothing, neither
/// pages nor a form's token, and cannot delete.
#[tokio::test]
async fn the_open_server_answers_only_to_this_machines_names() {
    let dir = tempfile::tempdir().expect("dir");
    let app = TestApp::start_with(
        dir,
        AccessPolicy {
            loopback_names_only: true,
            ..AccessPolicy::default()
        },
    )
    .await;
    let summary = app.import(&[common::write_corpus(app.dir.path(), 1)]).await;
    assert_eq!(summary.imported, 1);
    let port = app.address.port();
    let rebound = format!("rebind.attacker.example:{port}");
    for path in ["/", "/add", "/api/articles", "/feed.atom"] {
        let response = app.get_with(path, "host", &rebound).await;
        assert_eq!(response.status(), 421, "{path}");
        assert!(response.headers().get("set-cookie").is_none(), "{path}");
    }
    let (article, id) = app.first_listed_article().await;
    let delete = app
        .client
        .post(app.url(&format!("/delete/{id}")))
        .header("host", &rebound)
        .header("origin", format!("http://{rebound}"))
        .header("sec-fetch-site", "same-origin")
        .form(&[("csrf", "0")])
        .send()
        .await
        .expect("post");
    assert_eq!(delete.status(), 421);
    assert_eq!(app.get(&article).await.status(), 200, "still there");
    for host in [format!("localhost:{port}"), format!("[::1]:{port}")] {
        let response = app.get_with("/", "host", &host).await;
        assert_eq!(response.status(), 200, "{host}");
    }
}

#[test]
fn serving_beyond_loopback_needs_a_password_or_no_auth() {
    let dir = tempfile::tempdir().expect("dir");
    let output = Command::new(env!("CARGO_BIN_EXE_tearsheet"))
        .args(["serve", "--listen", "0.0.0.0:0", "--database-url"])
        .arg(database_url(dir.path()))
        .env_remove("TEARSHEET_PASSWORD_HASH")
        .env_remove("TEARSHEET_NO_AUTH")
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("set-password") && stderr.contains("--no-auth"),
        "{stderr}"
    );
}

#[tokio::test]
async fn set_password_stores_an_argon2id_hash() {
    let dir = tempfile::tempdir().expect("dir");
    let run = |password: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tearsheet"))
            .args(["set-password", "--database-url"])
            .arg(database_url(dir.path()))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(format!("{password}\n").as_bytes())
            .expect("write");
        child.wait_with_output().expect("wait")
    };
    assert_eq!(run("short").status.code(), Some(2), "too short");
    assert!(run(PASSWORD).status.success());
    let store = tearsheet::store::Store::open(&database_url(dir.path()))
        .await
        .expect("open");
    let hash = store.password_hash().await.expect("read").expect("stored");
    assert!(hash.starts_with("$argon2id$"));
    assert!(tearsheet::access::verify_password(&hash, PASSWORD));
}

/// Reading pages carry no cookie (a shared cache may keep them, and no token is made for them);
/// a page with a form gives a new visitor the cookie its token belongs to, and the token without
/// that cookie is refused.
#[tokio::test]
async fn only_pages_with_forms_give_a_visitor_cookie() {
    let app = TestApp::start().await;
    for path in ["/", "/sites", "/search?q=harbour"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(set_cookie(&response, "tearsheet_visitor"), None, "{path}");
    }
    let (visitor, token, _) = form_and_token(&app, "/add").await;
    assert!(visitor.starts_with("tearsheet_visitor="), "{visitor}");
    let without_cookie = app
        .client
        .post(app.url("/add"))
        .form(&[("csrf", token.as_str()), ("url", "http://example.invalid/")])
        .send()
        .await
        .expect("post");
    assert_eq!(without_cookie.status(), 403);
}
