//! Who may do what: the access policy, passwords (argon2id), CSRF tokens, and the login
//! throttle. The web layer applies these; nothing here knows about HTTP.

use std::collections::HashMap;
use std::net::IpAddr;
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
}

impl AccessPolicy {
    pub fn is_trusted_proxy(&self, address: IpAddr) -> bool {
        self.trusted_proxies
            .iter()
            .any(|net| net.contains(&address))
    }
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

/// Failed logins per client address within a sliding minute; past the limit, the client waits.
pub struct LoginThrottle {
    failures: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl LoginThrottle {
    pub const WINDOW: Duration = Duration::from_secs(60);
    pub const MAX_FAILURES: u32 = 10;
    /// Addresses remembered at most; beyond that, expired entries are dropped first.
    const MAX_CLIENTS: usize = 10_000;

    pub fn new() -> Self {
        Self {
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// `Err(wait)` when this client has failed too often and must wait before trying again.
    pub fn check(&self, client: IpAddr) -> Result<(), Duration> {
        let failures = self
            .failures
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match failures.get(&client) {
            Some((since, count))
                if *count >= Self::MAX_FAILURES && since.elapsed() < Self::WINDOW =>
            {
                Err(Self::WINDOW
                    .saturating_sub(since.elapsed())
                    .max(Duration::from_secs(1)))
            }
            _ => Ok(()),
        }
    }

    pub fn record_failure(&self, client: IpAddr) {
        let mut failures = self
            .failures
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if failures.len() >= Self::MAX_CLIENTS {
            failures.retain(|_, (since, _)| since.elapsed() < Self::WINDOW);
        }
        let entry = failures.entry(client).or_insert((Instant::now(), 0));
        if entry.0.elapsed() >= Self::WINDOW {
            *entry = (Instant::now(), 0);
        }
        entry.1 += 1;
    }

    pub fn clear(&self, client: IpAddr) {
        self.failures
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .remove(&client);
    }
}

impl Default for LoginThrottle {
    fn default() -> Self {
        Self::new()
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
        let throttle = LoginThrottle::new();
        let client: IpAddr = [192, 0, 2, 1].into();
        for _ in 0..10 {
            assert!(throttle.check(client).is_ok());
            throttle.record_failure(client);
        }
        let wait = throttle.check(client).expect_err("throttled");
        assert!(wait <= LoginThrottle::WINDOW && wait >= Duration::from_secs(1));
        assert!(
            throttle.check([192, 0, 2, 2].into()).is_ok(),
            "other clients unaffected"
        );
        throttle.clear(client);
        assert!(throttle.check(client).is_ok());
    }
}
