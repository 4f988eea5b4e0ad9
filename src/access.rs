//! Who may do what: the access policy, passwords (argon2id), CSRF tokens, and the login
//! throttle. The web layer applies these; nothing here knows about HTTP.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use hmac::{Hmac, Mac};
use ipnet::IpNet;
use sha2::Sha256;

use crate::error::Error;

/// How the server decides who is logged in.
#[derive(Debug, Clone, Default)]
pub struct AccessPolicy {
    /// Login is required for anything beyond reading (and for reading unless `public_reading`).
    pub login_required: bool,
    /// A password hash given in the environment; otherwise the one stored in the database.
    pub password_hash_from_env: Option<String>,
    pub public_reading: bool,
    /// Reverse proxies whose `X-Forwarded-*` and user headers are believed.
    pub trusted_proxies: Vec<IpNet>,
    /// The header a trusted proxy sets to the logged-in user's name (e.g. `Remote-User`).
    pub proxy_user_header: Option<String>,
    /// Answer only requests naming this machine (`localhost`, `127.0.0.1`, `[::1]`) as their
    /// host: the open server on a loopback address. A page on another site whose name comes to
    /// resolve to 127.0.0.1 (DNS rebinding) then cannot read or change the archive. A reverse
    /// proxy in front must then send the upstream address as the host, as nginx does unless
    /// told otherwise: a trusted proxy's word cannot be told from a rebound page's, since both
    /// come from this machine.
    pub loopback_names_only: bool,
}

impl AccessPolicy {
    pub fn is_trusted_proxy(&self, address: IpAddr) -> bool {
        self.trusted_proxies
            .iter()
            .any(|net| net.contains(&address))
    }
}

/// Whether a `Host` header's value names this machine: `localhost` or a name under it, or a
/// loopback address, with any port.
pub fn is_loopback_name(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(bracketed) => bracketed.split_once(']').map_or("", |(address, _)| address),
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    let name = name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase();
    name == "localhost"
        || name.ends_with(".localhost")
        || name
            .parse::<IpAddr>()
            .is_ok_and(|address| address.is_loopback())
}

/// An argon2id hash of `password` in PHC string form.
pub fn hash_password(password: &str) -> Result<String, Error> {
    let salt = SaltString::encode_b64(&random_bytes::<16>())
        .map_err(|error| Error::Config(format!("password salt: {error}")))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| Error::Config(format!("password hash: {error}")))
}

pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// Whether a stored or configured hash is one we can check passwords against.
pub fn is_valid_password_hash(hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| parsed.algorithm.as_str() == "argon2id")
}

/// 32 random bytes as hex: session ids, visitor ids, secrets.
pub fn new_token() -> String {
    hex::encode(random_bytes::<32>())
}

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    // The OS random source failing is not something a web server can work around.
    getrandom::getrandom(&mut bytes).expect("the operating system's random source is unavailable");
    bytes
}

/// Signs CSRF tokens: a form's token is the HMAC of the visitor's cookie, so a page on another
/// site can neither read nor forge it.
#[derive(Clone)]
pub struct CsrfKey(Vec<u8>);

impl CsrfKey {
    pub fn new(secret: &str) -> Self {
        Self(secret.as_bytes().to_vec())
    }

    pub fn token_for(&self, visitor: &str) -> String {
        hex::encode(self.mac(visitor).finalize().into_bytes())
    }

    pub fn verify(&self, visitor: &str, token: &str) -> bool {
        hex::decode(token).is_ok_and(|bytes| self.mac(visitor).verify_slice(&bytes).is_ok())
    }

    fn mac(&self, visitor: &str) -> Hmac<Sha256> {
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&self.0).expect("HMAC takes keys of any length");
        mac.update(visitor.as_bytes());
        mac
    }
}

/// Password tries a client may make in a minute before it must wait.
pub const LOGIN_TRIES_PER_MINUTE: u32 = 10;

/// Counts what each client did within a window (failed logins, submitted URLs); past the
/// limit, the client waits until its window ends. An IPv6 client is its /64 network: one
/// machine is usually given a whole /64 and may take any address in it.
pub struct ClientLimit {
    max: u32,
    window: Duration,
    counts: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl ClientLimit {
    /// Addresses remembered at most; beyond that, expired entries are dropped first.
    const MAX_CLIENTS: usize = 10_000;

    /// At most `max` per client within each `window`; a `max` of 0 never limits.
    pub fn new(max: u32, window: Duration) -> Self {
        Self {
            max,
            window,
            counts: Mutex::new(HashMap::new()),
        }
    }

    /// Failed logins: the 11th within a minute waits.
    pub fn logins() -> Self {
        Self::new(LOGIN_TRIES_PER_MINUTE, Duration::from_secs(60))
    }

    /// Checks and counts at once: `Err(wait)` (and nothing counted) when this client has
    /// reached the limit and must wait before trying again.
    pub fn take(&self, client: IpAddr) -> Result<(), Duration> {
        let client = network_of(client);
        let mut counts = self.lock();
        if let Some((since, count)) = counts.get(&client) {
            self.over(*since, *count)?;
        }
        self.count(&mut counts, client);
        Ok(())
    }

    pub fn clear(&self, client: IpAddr) {
        let client = network_of(client);
        self.lock().remove(&client);
    }

    fn over(&self, since: Instant, count: u32) -> Result<(), Duration> {
        let elapsed = since.elapsed();
        if self.max > 0 && count >= self.max && elapsed < self.window {
            Err(self
                .window
                .saturating_sub(elapsed)
                .max(Duration::from_secs(1)))
        } else {
            Ok(())
        }
    }

    fn count(&self, counts: &mut HashMap<IpAddr, (Instant, u32)>, client: IpAddr) {
        if counts.len() >= Self::MAX_CLIENTS {
            counts.retain(|_, (since, _)| since.elapsed() < self.window);
        }
        let entry = counts.entry(client).or_insert((Instant::now(), 0));
        if entry.0.elapsed() >= self.window {
            *entry = (Instant::now(), 0);
        }
        entry.1 += 1;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<IpAddr, (Instant, u32)>> {
        self.counts
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The address a client is counted under: an IPv4 address (also written as IPv6) as it is, an
/// IPv6 address as its /64 network.
fn network_of(client: IpAddr) -> IpAddr {
    match client {
        IpAddr::V4(_) => client,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & !u128::from(u64::MAX))),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let hash = hash_password("correct horse").expect("hash");
        assert!(hash.starts_with("$argon2id$"));
        assert!(is_valid_password_hash(&hash));
        assert!(verify_password(&hash, "correct horse"));
        assert!(!verify_password(&hash, "wrong"));
        assert!(!verify_password("not a hash", "correct horse"));
    }

    #[test]
    fn csrf_tokens_belong_to_one_visitor() {
        let key = CsrfKey::new("secret");
        let token = key.token_for("visitor-a");
        assert!(key.verify("visitor-a", &token));
        assert!(!key.verify("visitor-b", &token));
        assert!(!CsrfKey::new("other").verify("visitor-a", &token));
        assert!(!key.verify("visitor-a", "zz"));
    }

    #[test]
    fn the_eleventh_failure_within_a_minute_waits() {
        let throttle = ClientLimit::logins();
        let client: IpAddr = [192, 0, 2, 1].into();
        for _ in 0..10 {
            assert!(throttle.take(client).is_ok());
        }
        let wait = throttle.take(client).expect_err("throttled");
        assert!(wait <= Duration::from_secs(60) && wait >= Duration::from_secs(1));
        assert!(
            throttle.take([192, 0, 2, 2].into()).is_ok(),
            "other clients unaffected"
        );
        throttle.clear(client);
        assert!(throttle.take(client).is_ok());
    }

    #[test]
    fn taking_counts_until_the_limit_and_a_new_window_starts_afresh() {
        let limit = ClientLimit::new(3, Duration::from_millis(200));
        let client: IpAddr = [198, 51, 100, 7].into();
        for _ in 0..3 {
            assert!(limit.take(client).is_ok());
        }
        assert!(limit.take(client).is_err(), "the fourth within the window");
        assert!(
            limit.take(client).is_err(),
            "refusals are not counted as more"
        );
        std::thread::sleep(Duration::from_millis(250));
        assert!(limit.take(client).is_ok(), "a new window");
    }

    #[test]
    fn loopback_names_are_told_from_others() {
        for host in [
            "localhost",
            "localhost:8080",
            "LOCALHOST.",
            "app.localhost:3000",
            "127.0.0.1",
            "127.1.2.3:8080",
            "[::1]",
            "[::1]:8080",
        ] {
            assert!(is_loopback_name(host), "{host}");
        }
        for host in [
            "rebind.attacker.example:8080",
            "localhost.attacker.example",
            "127.0.0.1.nip.io",
            "10.0.0.1:8080",
            "[::2]:8080",
            "[::1",
            "",
        ] {
            assert!(!is_loopback_name(host), "{host}");
        }
    }

    #[test]
    fn an_ipv6_client_is_counted_by_its_64_network() {
        let limit = ClientLimit::new(2, Duration::from_secs(60));
        let address = |text: &str| text.parse::<IpAddr>().expect("address");
        assert!(limit.take(address("2001:db8:1:2::1")).is_ok());
        assert!(limit.take(address("2001:db8:1:2:ffff::9")).is_ok());
        assert!(
            limit.take(address("2001:db8:1:2:abcd::1")).is_err(),
            "another address of the same /64"
        );
        assert!(
            limit.take(address("2001:db8:1:3::1")).is_ok(),
            "the next /64"
        );
        assert!(limit.take(address("192.0.2.1")).is_ok());
        assert!(limit.take(address("::ffff:192.0.2.1")).is_ok());
        assert!(
            limit.take(address("192.0.2.1")).is_err(),
            "an IPv4 address written as IPv6 is the same client"
        );
    }

    #[test]
    fn a_limit_of_zero_never_limits() {
        let limit = ClientLimit::new(0, Duration::from_secs(60));
        let client: IpAddr = [198, 51, 100, 8].into();
        for _ in 0..100 {
            assert!(limit.take(client).is_ok());
        }
    }
}
