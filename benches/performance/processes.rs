//! Child processes the benchmark starts (import, server, nginx), stopped when dropped, also on
//! panic, and what /proc says about their memory.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus};
use std::time::{Duration, Instant};

/// A running child. Dropping it sends SIGTERM (so nginx's master takes its workers down with it
/// and the server checkpoints its database), then SIGKILL if it has not gone after a few seconds.
pub struct ChildProcess {
    name: &'static str,
    child: Child,
}

impl ChildProcess {
    pub fn spawn(name: &'static str, command: &mut Command) -> Self {
        let child = command
            .spawn()
            .unwrap_or_else(|error| panic!("cannot start {name} ({command:?}): {error}"));
        Self { name, child }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The exit status, if the process has ended.
    pub fn exited(&mut self) -> Option<ExitStatus> {
        self.child
            .try_wait()
            .unwrap_or_else(|error| panic!("cannot wait for {}: {error}", self.name))
    }

    /// A `kB` field of /proc/PID/status (`VmRSS`, `VmHWM`), or `None` once the process is gone.
    pub fn memory_kb(&self, field: &str) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).ok()?;
        status.lines().find_map(|line| {
            let value = line.strip_prefix(field)?.strip_prefix(':')?;
            value.trim().trim_end_matches("kB").trim().parse().ok()
        })
    }

    /// CPU time used so far (user + system), in clock ticks (1/100 s on Linux).
    pub fn cpu_ticks(&self) -> Option<u64> {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.pid())).ok()?;
        // The command name (field 2) may hold spaces; the fields after its ')' are plain.
        let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
        Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
    }

    /// Waits until the process uses (almost) no CPU: requests wrk gave up on may still be running.
    /// Returns how long that took.
    pub fn wait_until_idle(&self, give_up: Duration) -> Duration {
        let started = Instant::now();
        let mut before = self.cpu_ticks();
        while started.elapsed() < give_up {
            std::thread::sleep(Duration::from_millis(250));
            let now = self.cpu_ticks();
            // At most 2 ticks (20 ms at 100 Hz) in 250 ms: idle.
            if let (Some(before), Some(now)) = (before, now)
                && now.saturating_sub(before) <= 2
            {
                break;
            }
            before = now;
        }
        started.elapsed()
    }

    /// Waits for the process to end by itself, sampling its peak RSS (`VmHWM`) while it runs.
    pub fn wait_with_peak_rss(mut self) -> (ExitStatus, u64) {
        let mut peak_kb = 0;
        loop {
            if let Some(status) = self.exited() {
                return (status, peak_kb);
            }
            if let Some(kb) = self.memory_kb("VmHWM") {
                peak_kb = peak_kb.max(kb);
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for ChildProcess {
    fn drop(&mut self) {
        if self.exited().is_some() {
            return;
        }
        // Polite first: only SIGTERM lets nginx stop its workers.
        let _ = Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if self.exited().is_some() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        eprintln!("{} did not stop on SIGTERM; killing it", self.name);
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A loopback port that was free a moment ago.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free loopback port")
}

/// Finds a program on PATH, or in the sbin folders where Debian puts nginx.
pub fn find_program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin", "/sbin", "/usr/local/sbin"].map(PathBuf::from))
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// The numeric user id this process runs as.
pub fn current_uid() -> Option<u32> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("Uid:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
