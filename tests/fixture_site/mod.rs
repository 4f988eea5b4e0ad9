//! A small HTTP/1.1 site on a loopback address for fetch tests: hand-written answers, a count of
//! accepted connections, and the requests it read.

// Each test binary that includes this module uses a different part of it.
#![allow(dead_code)]

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub const LOOPBACK: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);
/// Linux routes all of 127/8 to loopback: a second local host for "allowed network" tests.
pub const SECOND_LOOPBACK: IpAddr = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2));

/// A request as the site read it. Header names are lower case.
#[derive(Debug, Clone)]
pub struct SeenRequest {
    pub path: String,
    pub headers: Vec<(String, String)>,
}

impl SeenRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(seen, _)| seen.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// How the site answers one request. The connection closes after the answer.
#[derive(Debug, Clone)]
pub enum Answer {
    /// These bytes (status line, headers and body) at once.
    Now(Vec<u8>),
    /// The head at once, then the body one byte at a time.
    Trickle {
        head: Vec<u8>,
        body: Vec<u8>,
        every: Duration,
    },
    /// Another answer, after a pause.
    After(Duration, Box<Answer>),
    /// Nothing: the connection is held open and never answered.
    Silence,
}

#[derive(Default)]
struct SiteLog {
    connections: AtomicUsize,
    requests: Mutex<Vec<SeenRequest>>,
}

pub struct FixtureSite {
    address: SocketAddr,
    log: Arc<SiteLog>,
}

type Route = dyn Fn(&SeenRequest) -> Answer + Send + Sync;

impl FixtureSite {
    /// Starts a site on `ip`, port chosen by the system, answering each request with `route`.
    pub async fn start(
        ip: IpAddr,
        route: impl Fn(&SeenRequest) -> Answer + Send + Sync + 'static,
    ) -> FixtureSite {
        let listener = TcpListener::bind((ip, 0)).await.expect("bind loopback");
        Self::serve(listener, Arc::new(route))
    }

    /// Like [`start`](Self::start) on a given port; `None` when the address cannot be bound
    /// (no IPv6 on this machine, or the port is taken on that address).
    pub async fn start_on(
        address: SocketAddr,
        route: impl Fn(&SeenRequest) -> Answer + Send + Sync + 'static,
    ) -> Option<FixtureSite> {
        let listener = TcpListener::bind(address).await.ok()?;
        Some(Self::serve(listener, Arc::new(route)))
    }

    /// A site on 127.0.0.1 giving the same answer to every request.
    pub async fn answering(answer: Answer) -> FixtureSite {
        Self::start(LOOPBACK, move |_| answer.clone()).await
    }

    fn serve(listener: TcpListener, route: Arc<Route>) -> FixtureSite {
        let address = listener.local_addr().expect("local address");
        let log = Arc::new(SiteLog::default());
        let site_log = Arc::clone(&log);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                site_log.connections.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(answer_connection(
                    stream,
                    Arc::clone(&route),
                    Arc::clone(&site_log),
                ));
            }
        });
        FixtureSite { address, log }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    pub fn port(&self) -> u16 {
        self.address.port()
    }

    pub fn connections(&self) -> usize {
        self.log.connections.load(Ordering::SeqCst)
    }

    pub fn requests(&self) -> Vec<SeenRequest> {
        self.log.requests.lock().expect("request log").clone()
    }
}

async fn answer_connection(mut stream: TcpStream, route: Arc<Route>, log: Arc<SiteLog>) {
    let Some(request) = read_request(&mut stream).await else {
        return;
    };
    log.requests
        .lock()
        .expect("request log")
        .push(request.clone());
    let mut answer = route(&request);
    // Write errors are expected: the fetcher hangs up on pages it refuses.
    loop {
        match answer {
            Answer::Now(bytes) => {
                let _ = stream.write_all(&bytes).await;
            }
            Answer::Trickle { head, body, every } => {
                let _ = stream.write_all(&head).await;
                for byte in body {
                    tokio::time::sleep(every).await;
                    if stream.write_all(&[byte]).await.is_err() {
                        return;
                    }
                }
            }
            Answer::After(pause, later) => {
                tokio::time::sleep(pause).await;
                answer = *later;
                continue;
            }
            Answer::Silence => {
                tokio::time::sleep(Duration::from_secs(120)).await;
            }
        }
        break;
    }
    let _ = stream.shutdown().await;
}

/// Reads the request line and headers; a fetch for a page sends no body.
async fn read_request(stream: &mut TcpStream) -> Option<SeenRequest> {
    let mut head = Vec::new();
    let mut buffer = [0u8; 4096];
    while !head.windows(4).any(|window| window == b"\r\n\r\n") {
        let read = stream.read(&mut buffer).await.ok()?;
        if read == 0 || head.len() > 64 * 1024 {
            return None;
        }
        head.extend_from_slice(&buffer[..read]);
    }
    let head = String::from_utf8_lossy(&head);
    let mut lines = head.split("\r\n");
    let path = lines.next()?.split(' ').nth(1)?.to_owned();
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    Some(SeenRequest { path, headers })
}

/// A response with the given status (`"200 OK"`), headers and body. `Content-Length` is added
/// unless the headers set it or `Transfer-Encoding`.
pub fn response(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut head = format!("HTTP/1.1 {status}\r\nConnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    let framed = headers.iter().any(|(name, _)| {
        name.eq_ignore_ascii_case("content-length")
            || name.eq_ignore_ascii_case("transfer-encoding")
    });
    if !framed {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

/// A body in `Transfer-Encoding: chunked` framing, in chunks of 64 KiB.
pub fn chunked(body: &[u8]) -> Vec<u8> {
    let mut framed = Vec::with_capacity(body.len() + body.len() / 1000 + 16);
    for chunk in body.chunks(64 * 1024) {
        framed.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        framed.extend_from_slice(chunk);
        framed.extend_from_slice(b"\r\n");
    }
    framed.extend_from_slice(b"0\r\n\r\n");
    framed
}

pub fn html_page(body: &str) -> Answer {
    Answer::Now(response(
        "200 OK",
        &[("Content-Type", "text/html; charset=utf-8")],
        body.as_bytes(),
    ))
}

pub fn redirect(status: &str, location: &str) -> Answer {
    Answer::Now(response(status, &[("Location", location)], b""))
}
