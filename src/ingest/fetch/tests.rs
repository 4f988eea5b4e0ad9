//! Names that resolve to refused addresses, with stub DNS answers and a listener that counts
//! connections. (The integration tests in `tests/fetch` cover everything that needs no DNS.)

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use super::*;

/// A server on a loopback address that answers every request with `answer` and counts connections.
struct CountingServer {
    address: SocketAddr,
    connections: Arc<AtomicUsize>,
}

impl CountingServer {
    async fn start(ip: IpAddr, answer: String) -> Self {
        let listener = TcpListener::bind((ip, 0)).await.expect("bind loopback");
        let address = listener.local_addr().expect("local address");
        let connections = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&connections);
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                counter.fetch_add(1, Ordering::SeqCst);
                let answer = answer.clone();
                tokio::spawn(async move {
                    let mut request = [0u8; 4096];
                    let _ = stream.read(&mut request).await;
                    let _ = stream.write_all(answer.as_bytes()).await;
                });
            }
        });
        Self {
            address,
            connections,
        }
    }

    fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

fn page(body: &str) -> String {
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

fn fetcher(answers: &[(&str, &[IpAddr])], allowed_networks: Vec<IpNet>) -> Fetcher {
    let answers = answers
        .iter()
        .map(|(name, ips)| ((*name).to_owned(), ips.to_vec()))
        .collect::<HashMap<_, _>>();
    let policy = FetchPolicy {
        allowed_networks,
        timeout: Duration::from_secs(5),
        ..FetchPolicy::default()
    };
    Fetcher::with_lookup(policy, Lookup::Stub(Arc::new(answers))).expect("build fetcher")
}

fn submitted(text: &str) -> SubmittedUrl {
    SubmittedUrl::parse(text).expect("valid test URL")
}

const LOOPBACK: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);
/// A documentation address (192.0.2.0/24): public by the rules, routed nowhere.
const PUBLIC: IpAddr = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1));

#[tokio::test]
async fn a_name_that_resolves_to_loopback_is_refused() {
    let server = CountingServer::start(LOOPBACK, page("secret")).await;
    let fetcher = fetcher(&[("intranet.example", &[LOOPBACK])], Vec::new());
    let url = submitted(&format!(
        "http://intranet.example:{}/",
        server.address.port()
    ));
    assert_eq!(
        fetcher.fetch(&url).await.map(|page| page.body),
        Err(FetchError::AddressNotAllowed)
    );
    assert_eq!(server.connections(), 0);
}

#[tokio::test]
async fn one_private_address_among_public_ones_refuses_the_name() {
    let server = CountingServer::start(LOOPBACK, page("secret")).await;
    let fetcher = fetcher(&[("rebind.example", &[PUBLIC, LOOPBACK])], Vec::new());
    let url = submitted(&format!("http://rebind.example:{}/", server.address.port()));
    assert_eq!(
        fetcher.fetch(&url).await.map(|page| page.body),
        Err(FetchError::AddressNotAllowed)
    );
    assert_eq!(server.connections(), 0);
}

/// The stub answer is what the connection uses: the resolver pins it.
#[tokio::test]
async fn an_allowed_network_is_reached_through_the_resolver() {
    let server = CountingServer::start(LOOPBACK, page("intranet page")).await;
    let loopback_only: IpNet = "127.0.0.1/32".parse().expect("valid network");
    let fetcher = fetcher(&[("wiki.intranet", &[LOOPBACK])], vec![loopback_only]);
    let url = submitted(&format!("http://wiki.intranet:{}/", server.address.port()));
    let page = fetcher
        .fetch(&url)
        .await
        .expect("allowed network is reachable");
    assert_eq!(page.body, b"intranet page");
    assert_eq!(server.connections(), 1);
}

/// Linux routes all of 127/8 to loopback, so 127.0.0.2 is a second reachable host that the
/// allowed network (127.0.0.1/32) leaves out.
#[tokio::test]
async fn a_redirect_to_a_name_that_resolves_privately_is_refused() {
    let second_loopback = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2));
    let target = CountingServer::start(second_loopback, page("secret")).await;
    let redirect = format!(
        "HTTP/1.1 302 Found\r\nLocation: http://metadata.example:{}/\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        target.address.port()
    );
    let first = CountingServer::start(LOOPBACK, redirect).await;
    let allowed: IpNet = "127.0.0.1/32".parse().expect("valid network");
    let fetcher = fetcher(
        &[
            ("news.example", &[LOOPBACK]),
            ("metadata.example", &[second_loopback]),
        ],
        vec![allowed],
    );
    let url = submitted(&format!("http://news.example:{}/", first.address.port()));
    assert_eq!(
        fetcher.fetch(&url).await.map(|page| page.body),
        Err(FetchError::RedirectNotAllowed)
    );
    assert_eq!(first.connections(), 1);
    assert_eq!(target.connections(), 0);
}

#[tokio::test]
async fn a_name_without_addresses_is_unreachable() {
    let fetcher = fetcher(&[], Vec::new());
    let url = submitted("http://nowhere.example/");
    assert_eq!(
        fetcher.fetch(&url).await.map(|page| page.body),
        Err(FetchError::Unreachable)
    );
}
