//! Logins: argon2 password hashes, sessions kept in the database (the cookie carries a random
//! token, the database its SHA-256), CSRF tokens on every form, and a limit on failed logins.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "gn_session";
/// The language cookie's name.
pub const LANG_COOKIE: &str = "gn_lang";
/// The login form's CSRF cookie (before there is a session).
pub const LOGIN_CSRF_COOKIE: &str = "gn_login_csrf";
/// How long a session lasts.
pub const SESSION_HOURS: i64 = 10;

/// Failed logins allowed per user name or address within [`LIMIT_WINDOW`].
pub const LIMIT_FAILURES: usize = 5;
pub const LIMIT_WINDOW: Duration = Duration::from_secs(15 * 60);

/// An argon2id hash of a password, in the PHC string format.
pub fn hash_password(password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// Whether `password` matches a stored hash.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A random token: 32 bytes, hex.
pub fn token() -> String {
    let mut b = [0u8; 32];
    OsRng.fill_bytes(&mut b);
    hex(&b)
}

/// SHA-256 of a token, hex: what the database keeps of a session's token.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Compares two tokens in time independent of where they differ.
pub fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Failed logins by key (a user name, an address), to refuse more once there are too many.
#[derive(Debug, Default)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

impl LoginLimiter {
    /// Whether any of the keys has had too many failures lately.
    pub fn blocked(&self, keys: &[&str]) -> bool {
        let now = Instant::now();
        let Ok(mut map) = self.failures.lock() else {
            return false;
        };
        keys.iter().any(|k| {
            map.get_mut(*k).is_some_and(|v| {
                v.retain(|t| now.duration_since(*t) < LIMIT_WINDOW);
                v.len() >= LIMIT_FAILURES
            })
        })
    }

    pub fn failed(&self, keys: &[&str]) {
        if let Ok(mut map) = self.failures.lock() {
            // a flood of names must not grow the map without bound
            if map.len() > 100_000 {
                map.clear();
            }
            for k in keys {
                map.entry((*k).to_string())
                    .or_default()
                    .push(Instant::now());
            }
        }
    }

    pub fn succeeded(&self, keys: &[&str]) {
        if let Ok(mut map) = self.failures.lock() {
            for k in keys {
                map.remove(*k);
            }
        }
    }
}

/// A cookie's value from a `Cookie` header.
pub fn cookie<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').find_map(|kv| {
        let (k, v) = kv.trim().split_once('=')?;
        (k == name).then_some(v)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_and_verify() {
        let h = hash_password("mật khẩu dài 123").expect("hash");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("mật khẩu dài 123", &h));
        assert!(!verify_password("mat khau dai 123", &h));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn tokens_are_random_and_compared_whole() {
        let (a, b) = (token(), token());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert!(same_token(&a, &a.clone()));
        assert!(!same_token(&a, &b));
        assert!(!same_token(&a, &a[..63]));
        assert_eq!(token_hash("x").len(), 64);
    }

    #[test]
    fn the_limiter_blocks_after_five_failures() {
        let l = LoginLimiter::default();
        for _ in 0..LIMIT_FAILURES - 1 {
            l.failed(&["user:a", "ip:1"]);
        }
        assert!(!l.blocked(&["user:a"]));
        l.failed(&["user:a", "ip:1"]);
        assert!(l.blocked(&["user:a"]));
        assert!(
            l.blocked(&["user:b", "ip:1"]),
            "the address is blocked for any name"
        );
        assert!(!l.blocked(&["user:b", "ip:2"]));
        l.succeeded(&["user:a", "ip:1"]);
        assert!(!l.blocked(&["user:a", "ip:1"]));
    }

    #[test]
    fn cookies_are_found_by_name() {
        let h = "a=1; gn_session=abc; gn_lang=en";
        assert_eq!(cookie(h, "gn_session"), Some("abc"));
        assert_eq!(cookie(h, "gn_lang"), Some("en"));
        assert_eq!(cookie(h, "b"), None);
    }
}
