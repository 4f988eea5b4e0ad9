//! A minimal blocking HTTP/1.1 GET over std::net: no Accept-Encoding unless asked for, so bodies
//! come as they are, exactly the bytes wrk will be served.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

/// A response's status and body.
pub struct Response {
    pub status: u16,
    pub body: Vec<u8>,
}

impl Response {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// `GET path` on a fresh connection (`Connection: close`).
pub fn get(address: SocketAddr, path: &str) -> std::io::Result<Response> {
    get_with(address, path, "")
}

/// [`get`] with `extra_headers` (each line ending in CRLF) in the request.
fn get_with(address: SocketAddr, path: &str, extra_headers: &str) -> std::io::Result<Response> {
    let mut stream = TcpStream::connect_timeout(&address, Duration::from_secs(2))?;
    stream.set_read_timeout(Some(Duration::from_secs(120)))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n{extra_headers}\r\n"
    )?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    parse_response(&raw).ok_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("malformed HTTP response to GET {path}"),
        )
    })
}

/// `GET path` expecting 200, with the body; panics with the status otherwise.
pub fn get_ok(address: SocketAddr, path: &str) -> Response {
    get_ok_with(address, path, "")
}

/// [`get_ok`] asking for a gzipped body, as browsers do: the bytes wrk gets with
/// [`crate::load::GZIP`].
pub fn get_ok_gzipped(address: SocketAddr, path: &str) -> Response {
    get_ok_with(address, path, "Accept-Encoding: gzip\r\n")
}

fn get_ok_with(address: SocketAddr, path: &str, extra_headers: &str) -> Response {
    let response = get_with(address, path, extra_headers)
        .unwrap_or_else(|error| panic!("GET {path} on {address}: {error}"));
    assert_eq!(
        response.status, 200,
        "GET {path} on {address} answered {}",
        response.status
    );
    response
}

/// Polls `GET path` until it answers 200; returns how long that took from `since`.
pub fn wait_until_ok(
    address: SocketAddr,
    path: &str,
    since: Instant,
    give_up: Duration,
) -> Option<Duration> {
    while since.elapsed() < give_up {
        if get(address, path).is_ok_and(|response| response.status == 200) {
            return Some(since.elapsed());
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    None
}

fn parse_response(raw: &[u8]) -> Option<Response> {
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&raw[..split]).ok()?;
    let body = &raw[split + 4..];
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split_whitespace().nth(1)?.parse().ok()?;
    let chunked = lines.any(|line| {
        line.split_once(':').is_some_and(|(name, value)| {
            name.eq_ignore_ascii_case("transfer-encoding") && value.trim() == "chunked"
        })
    });
    let body = if chunked {
        dechunk(body)?
    } else {
        body.to_vec()
    };
    Some(Response { status, body })
}

fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&data[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Some(body);
        }
        body.extend_from_slice(data.get(..size)?);
        data = data.get(size + 2..)?;
    }
}
