//! Test helpers: a real Tearsheet server on a random port with a fresh SQLite file, and invented
//! archive files to import into it.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use std::sync::Arc;

use std::time::Duration;

use tearsheet::access::AccessPolicy;
use tearsheet::archiver::{Archiver, SubmitLimits};
use tearsheet::article::ArticleId;
use tearsheet::ingest::fetch::FetchPolicy;
use tearsheet::store::{Store, StoredArticle};
use tearsheet::web::{Access, AppState};
use tempfile::TempDir;
use tokio::net::TcpListener;

/// The server's defaults: four fetches at once, 30 submissions a client a minute.
pub const SUBMIT_LIMITS: SubmitLimits = SubmitLimits {
    fetches_at_once: 4,
    per_client_per_minute: 30,
};

/// A running server and the folder holding its database.
pub struct TestApp {
    pub address: SocketAddr,
    pub store: Store,
    pub dir: TempDir,
    pub client: reqwest::Client,
}

impl TestApp {
    pub async fn start() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        Self::start_in(dir).await
    }

    pub async fn start_in(dir: TempDir) -> Self {
        Self::start_with(dir, AccessPolicy::default()).await
    }

    /// A server with a given access policy (the default: loopback, no password), fetching
    /// from loopback (the fixture sites).
    pub async fn start_with(dir: TempDir, policy: AccessPolicy) -> Self {
        let url = database_url(dir.path());
        Self::start_full(dir, &url, policy, true, SUBMIT_LIMITS).await
    }

    /// A server that may fetch private addresses or not, with at most `max_fetches` at once.
    pub async fn start_fetching(
        dir: TempDir,
        allow_private_addresses: bool,
        max_fetches: usize,
    ) -> Self {
        let limits = SubmitLimits {
            fetches_at_once: max_fetches,
            ..SUBMIT_LIMITS
        };
        let url = database_url(dir.path());
        Self::start_full(
            dir,
            &url,
            AccessPolicy::default(),
            allow_private_addresses,
            limits,
        )
        .await
    }

    /// A server fetching from loopback with the given submission limits.
    pub async fn start_limited(dir: TempDir, limits: SubmitLimits) -> Self {
        let url = database_url(dir.path());
        Self::start_full(dir, &url, AccessPolicy::default(), true, limits).await
    }

    /// A server on the database in `dir` opened read-only, as on a read-only disk.
    pub async fn start_read_only(dir: TempDir) -> Self {
        let url = format!("{}?mode=ro", database_url(dir.path()));
        Self::start_full(dir, &url, AccessPolicy::default(), true, SUBMIT_LIMITS).await
    }

    async fn start_full(
        dir: TempDir,
        database_url: &str,
        policy: AccessPolicy,
        allow_private_addresses: bool,
        limits: SubmitLimits,
    ) -> Self {
        let store = Store::open(database_url).await.expect("open store");
        store.watch_other_writers().await.expect("watch");
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let address = listener.local_addr().expect("address");
        let access = Arc::new(Access::load(&store, policy).await.expect("access"));
        let fetching = FetchPolicy {
            allow_private_addresses,
            timeout: Duration::from_secs(5),
            ..FetchPolicy::default()
        };
        let archiver = Archiver::new(store.clone(), fetching, limits).expect("archiver");
        let app = tearsheet::app(AppState {
            store: store.clone(),
            access,
            archiver: Arc::new(archiver),
        });
        tokio::spawn(async move {
            axum::serve(
                listener,
                app.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .await
        });
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_gzip()
            .no_brotli()
            .no_deflate()
            .build()
            .expect("client");
        Self {
            address,
            store,
            dir,
            client,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request")
    }

    /// The permalink and id of the first article the listing links to.
    pub async fn first_listed_article(&self) -> (String, String) {
        let listing = self.page("/").await;
        let permalink = hrefs(&listing)
            .into_iter()
            .find(|href| href.starts_with("/a/"))
            .expect("an article link");
        let id = id_in(&permalink);
        (permalink, id)
    }

    /// A `GET` with one request header set (a cookie, a `Host`, an `Accept-Encoding`...).
    pub async fn get_with(&self, path: &str, name: &str, value: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .header(name, value)
            .send()
            .await
            .expect("request")
    }

    /// The body of a page that must answer 200.
    /// Fills in the form at `path` as a browser does: GET it for the visitor cookie and the
    /// CSRF token, then POST `fields` with them to the same path.
    pub async fn submit_form(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let (cookie, token, _) = form_and_token(self, path).await;
        let mut form = vec![("csrf", token.as_str())];
        form.extend_from_slice(fields);
        self.client
            .post(self.url(path))
            .header("cookie", cookie)
            .form(&form)
            .send()
            .await
            .expect("post")
    }

    /// `POST /api/articles` with `{"url": url}`, as an API client submits a page.
    pub async fn submit_to_api(&self, url: &str) -> reqwest::Response {
        self.client
            .post(self.url("/api/articles"))
            .header("content-type", "application/json")
            .body(serde_json::json!({ "url": url }).to_string())
            .send()
            .await
            .expect("post")
    }

    pub async fn page(&self, path: &str) -> String {
        let response = self.get(path).await;
        assert_eq!(response.status(), 200, "GET {path}");
        response.text().await.expect("body")
    }

    pub async fn import(&self, paths: &[PathBuf]) -> tearsheet::commands::ImportSummary {
        self.import_result(paths).await.expect("import")
    }

    pub async fn import_result(
        &self,
        paths: &[PathBuf],
    ) -> Result<tearsheet::commands::ImportSummary, tearsheet::error::Error> {
        tearsheet::commands::import_paths(&self.store, paths).await
    }
}

pub fn database_url(dir: &Path) -> String {
    format!("sqlite:{}", dir.join("tearsheet.db").display())
}

/// A new database at `url` with the migrations before `version` applied, as an older release
/// left it, for testing the upgrade.
pub async fn database_before_migration(url: &str, version: i64) -> sqlx::SqlitePool {
    let options: sqlx::sqlite::SqliteConnectOptions = url.parse().expect("url");
    let pool = sqlx::SqlitePool::connect_with(options.create_if_missing(true))
        .await
        .expect("connect");
    let mut older = sqlx::migrate!("./migrations");
    older.migrations = older
        .migrations
        .iter()
        .filter(|migration| migration.version < version)
        .cloned()
        .collect::<Vec<_>>()
        .into();
    older.run(&pool).await.expect("older migrations");
    pool
}

/// One invented article in the archive text format.
pub struct FixtureArticle<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub date: &'a str,
    pub url: &'a str,
    pub body: &'a str,
}

impl FixtureArticle<'_> {
    pub fn text(&self) -> String {
        format!(
            "\n{}\n\n{}\n\n{}\n\nOriginal url:\n\n<{}>",
            self.title, self.date, self.body, self.url
        )
    }

    pub fn write(&self, dir: &Path, sequence: usize) -> PathBuf {
        let path = dir.join(format!("{sequence:03}_{}.txt", self.id));
        std::fs::write(&path, self.text()).expect("write fixture");
        path
    }
}

/// Writes `count` invented articles spread over three sites, one per day going back from
/// 2026-05-20, and returns the folder.
pub fn write_corpus(dir: &Path, count: usize) -> PathBuf {
    let folder = dir.join("corpus");
    std::fs::create_dir_all(&folder).expect("corpus folder");
    let sites = ["www.alpha.example", "beta.example", "news.gamma.example"];
    for n in 0..count {
        let date = chrono::NaiveDate::from_ymd_opt(2026, 5, 20).expect("date")
            - chrono::Duration::days(i64::try_from(n / 2).expect("small"));
        let title = format!("Invented story number {n}");
        let url = format!("https://{}/stories/{n}", sites[n % 3]);
        let body = format!(
            "Paragraph one of story {n} tells of a harbour town and its ferries.\n\n\
             Paragraph two of story {n} has a [link](https://docs.example/{n}) and a [dead one](#)."
        );
        FixtureArticle {
            id: &format!("{n:016x}"),
            title: &title,
            date: &date.format("%B %-d, %Y").to_string(),
            url: &url,
            body: &body,
        }
        .write(&folder, n);
    }
    folder
}

/// The article id in a permalink (`/a/<id>/<slug>`).
pub fn id_in(permalink: &str) -> String {
    permalink.split('/').nth(2).expect("id").to_owned()
}

/// Every `href` in a page, in order.
pub fn hrefs(html: &str) -> Vec<String> {
    let document = dom_query::Document::from(html);
    document
        .select("a[href]")
        .iter()
        .filter_map(|a| a.attr("href").map(|href| href.to_string()))
        .collect()
}

/// A form page's visitor cookie (`name=value`) and the CSRF token its form carries; the page
/// must answer 200.
pub async fn form_and_token(app: &TestApp, path: &str) -> (String, String, String) {
    let response = app.get(path).await;
    assert_eq!(response.status(), 200, "GET {path}");
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("tearsheet_visitor="))
        .and_then(|v| v.split(';').next())
        .expect("visitor cookie")
        .to_owned();
    let html = response.text().await.expect("body");
    let token = dom_query::Document::from(html.as_str())
        .select("input[name=csrf]")
        .attr("value")
        .expect("csrf field")
        .to_string();
    (cookie, token, html)
}

/// Every article in the store with its text, in id order, read as the article page reads them.
pub async fn stored_articles(store: &Store) -> Vec<(StoredArticle, String)> {
    let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM articles ORDER BY id")
        .fetch_all(store.pool())
        .await
        .expect("articles");
    let mut articles = Vec::new();
    for id in ids {
        let id = ArticleId::parse(&id).expect("id");
        let article = store.article(&id).await.expect("read").expect("article");
        let text = article.body_text().expect("text");
        articles.push((article, text));
    }
    articles
}
