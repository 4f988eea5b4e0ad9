//! The baseline: nginx serving the same bytes as static files, with its own config in a temp
//! folder, as the current user.

use std::net::SocketAddr;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::http;
use crate::processes::{ChildProcess, current_uid, free_port};

/// Starts nginx on a free loopback port serving `root`; waits until `probe` answers 200.
pub fn start(nginx: &Path, dir: &Path, root: &Path, probe: &str) -> (ChildProcess, SocketAddr) {
    let port = free_port();
    let address = SocketAddr::from(([127, 0, 0, 1], port));
    let config = dir.join("nginx.conf");
    std::fs::write(&config, config_text(dir, root, address)).expect("write nginx.conf");
    let process = ChildProcess::spawn(
        "nginx",
        Command::new(nginx)
            .arg("-p")
            .arg(dir)
            .arg("-c")
            .arg(&config)
            .arg("-e")
            .arg(dir.join("error.log"))
            .stdout(Stdio::null())
            .stderr(Stdio::inherit()),
    );
    let started = Instant::now();
    if http::wait_until_ok(address, probe, started, Duration::from_secs(10)).is_none() {
        let log = std::fs::read_to_string(dir.join("error.log")).unwrap_or_default();
        panic!("nginx did not answer GET {probe} on {address} within 10 s; error.log:\n{log}");
    }
    (process, address)
}

/// nginx at its plain best for small static files: sendfile, open-file cache, keep-alive without
/// a request limit (Tearsheet has none either), no access log.
fn config_text(dir: &Path, root: &Path, address: SocketAddr) -> String {
    let dir = dir.display();
    // As root, nginx would hand the workers to `nobody`, who cannot read a private temp folder.
    let user = if current_uid() == Some(0) {
        "user root root;"
    } else {
        ""
    };
    format!(
        "{user}
daemon off;
worker_processes 2;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{
    worker_connections 1024;
}}
http {{
    access_log off;
    client_body_temp_path {dir}/client_body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    types {{
        text/html html;
        application/atom+xml atom;
    }}
    default_type application/octet-stream;
    charset utf-8;
    # A page's gzipped bytes, saved beside it, for a request that takes gzip.
    gzip_static on;
    gzip_vary on;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    open_file_cache max=64;
    keepalive_timeout 65;
    keepalive_requests 1000000;
    server {{
        listen {address};
        root {root};
    }}
}}
",
        root = root.display()
    )
}
