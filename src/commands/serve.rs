//! `tearsheet serve`: the web server, until SIGINT or SIGTERM.

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::TcpListener;

use crate::access::{AccessPolicy, is_valid_password_hash};
use crate::archiver::{Archiver, SubmitLimits};
use crate::cli::{AccessArgs, ServeArgs};
use crate::error::Error;
use crate::ingest::fetch::FetchPolicy;
use crate::store::Store;
use crate::web::{Access, AppState};

pub async fn run(args: ServeArgs) -> Result<(), Error> {
    let store = Store::open(&args.database.database_url).await?;
    store.watch_other_writers().await?;
    let policy = access_policy(&store, args.access, args.listen).await?;
    let access = Arc::new(Access::load(&store, policy).await?);
    let fetching = FetchPolicy {
        allow_private_addresses: args.allow_private_addresses,
        proxy: args.fetch_proxy,
        ..FetchPolicy::default()
    };
    if args.allow_private_addresses {
        tracing::warn!("fetching from private and local network addresses is allowed");
    }
    let limits = SubmitLimits {
        fetches_at_once: args.max_fetches,
        per_client_per_minute: args.submits_per_minute,
    };
    let archiver = Archiver::new(store.clone(), fetching, limits)
        .map_err(|error| Error::Config(format!("page fetcher: {}", error.user_message())))?;
    let listener = TcpListener::bind(args.listen).await?;
    tracing::info!(address = %listener.local_addr()?, "serving");
    println!("Tearsheet is serving on http://{}", listener.local_addr()?);
    let app = crate::app(AppState {
        store,
        access,
        archiver: Arc::new(archiver),
    });
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    tracing::info!("stopped");
    Ok(())
}

/// Loopback without a password: one person on their own machine, no login. Anywhere else a
/// password (or a trusted proxy that logs people in) is required, or an explicit `--no-auth`.
async fn access_policy(
    store: &Store,
    args: AccessArgs,
    listen: SocketAddr,
) -> Result<AccessPolicy, Error> {
    if let Some(hash) = &args.password_hash
        && !is_valid_password_hash(hash)
    {
        return Err(Error::Config(
            "TEARSHEET_PASSWORD_HASH is not an argon2id PHC string".to_owned(),
        ));
    }
    let has_password = args.password_hash.is_some() || store.password_hash().await?.is_some();
    let login_required = !args.no_auth && (has_password || args.proxy_user_header.is_some());
    if !login_required && !listen.ip().is_loopback() && !args.no_auth {
        return Err(Error::Config(format!(
            "refusing to serve on {listen} without a password: run `tearsheet set-password` (or set \
             TEARSHEET_PASSWORD_HASH), or pass --no-auth to serve it open to everyone who can reach it"
        )));
    }
    if args.no_auth {
        tracing::warn!("--no-auth: anyone who can reach {listen} can read and add articles");
    }
    Ok(AccessPolicy {
        login_required,
        password_hash_from_env: args.password_hash,
        public_reading: args.public_reading,
        trusted_proxies: args.trusted_proxies,
        proxy_user_header: args.proxy_user_header,
        loopback_names_only: !login_required && listen.ip().is_loopback(),
    })
}

async fn shutdown_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
