//! `tearsheet serve`: the web server, until SIGINT or SIGTERM.

use tokio::net::TcpListener;

use crate::cli::ServeArgs;
use crate::error::Error;
use crate::store::Store;
use crate::web::AppState;

pub async fn run(args: ServeArgs) -> Result<(), Error> {
    let store = Store::open(&args.database.database_url).await?;
    let listener = TcpListener::bind(args.listen).await?;
    tracing::info!(address = %listener.local_addr()?, "serving");
    println!("Tearsheet is serving on http://{}", listener.local_addr()?);
    axum::serve(listener, crate::app(AppState::new(store)))
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    tracing::info!("stopped");
    Ok(())
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
