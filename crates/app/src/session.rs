//! Logins: argon2 password hashes, sessions kept in the database (the browser holds a random
//! token, the database only its SHA-256), and a limit on failed logins per name and per address.
//! Every login, refusal and logout is in the audit log.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, SaltString};
use argon2::Argon2;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a session lasts.
pub const SESSION_HOURS: i64 = 10;

/// Failed logins allowed per user name within [`LIMIT_WINDOW`].
pub const LIMIT_FAILURES: usize = 5;
/// Failed logins allowed per client address within [`LIMIT_WINDOW`]: more than per name, since
/// the officers of one office may share one address.
pub const LIMIT_ADDRESS_FAILURES: usize = 10;
pub const LIMIT_WINDOW: Duration = Duration::from_secs(15 * 60);
/// Names, and addresses, the limiter follows at most (each a few hundred bytes).
pub const LIMIT_KEYS: usize = 50_000;

/// An argon2id hash of a password, in the PHC string format.
pub fn hash_password(password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// Argon2's working memory (19 MiB a check with the default parameters), kept between checks.
/// Allocated afresh for each login, the allocator handed it back in pieces and the process
/// grew under a flood of failed logins (the fuzzer reached 2 GiB in 45,000 attempts); reused,
/// it costs one buffer per check running at once.
static MEMORY: Mutex<Vec<Vec<argon2::Block>>> = Mutex::new(Vec::new());

/// Checks running at once, at most (and buffers kept): each holds its memory for the check's
/// time, so that a flood of logins waits instead of taking the machine's memory.
pub const CONCURRENT_CHECKS: usize = 4;

fn take_memory(blocks: usize) -> Vec<argon2::Block> {
    let mut pool = MEMORY.lock().unwrap_or_else(|p| p.into_inner());
    match pool.iter().position(|b| b.len() >= blocks) {
        Some(i) => pool.swap_remove(i),
        None => vec![argon2::Block::default(); blocks],
    }
}

fn give_memory(mut memory: Vec<argon2::Block>) {
    // what the check computed is not left lying in the buffer
    memory.fill(argon2::Block::default());
    let mut pool = MEMORY.lock().unwrap_or_else(|p| p.into_inner());
    if pool.len() < CONCURRENT_CHECKS {
        pool.push(memory);
    }
}

/// Whether `password` matches a stored hash (argon2, with the parameters the hash names),
/// computed in reused memory: see [`MEMORY`].
pub fn verify_password(password: &str, hash: &str) -> bool {
    let Ok(h) = PasswordHash::new(hash) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (h.salt, h.hash) else {
        return false;
    };
    let (Ok(algorithm), Ok(version), Ok(params)) = (
        argon2::Algorithm::try_from(h.algorithm),
        argon2::Version::try_from(h.version.unwrap_or(0x13)),
        argon2::Params::try_from(&h),
    ) else {
        return false;
    };
    let mut salt_buf = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_buf) else {
        return false;
    };
    let blocks = params.block_count();
    let argon = Argon2::new(algorithm, version, params);
    let mut memory = take_memory(blocks);
    let mut out = vec![0u8; expected.len()];
    let done = argon
        .hash_password_into_with_memory(password.as_bytes(), salt, &mut out, &mut memory[..blocks])
        .is_ok();
    give_memory(memory);
    // Output's comparison takes the same time whatever the bytes
    done && argon2::password_hash::Output::new(&out).is_ok_and(|o| o == expected)
}

static CHECKS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(CONCURRENT_CHECKS);

/// [`verify_password`] on a thread meant for blocking work (a check takes tens of
/// milliseconds), at most [`CONCURRENT_CHECKS`] at once.
pub async fn check_password(password: &str, hash: &str) -> bool {
    let Ok(_running) = CHECKS.acquire().await else {
        return false;
    };
    let (password, hash) = (password.to_string(), hash.to_string());
    tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .unwrap_or(false)
}

/// A random token: 32 bytes, hex.
pub fn token() -> String {
    let mut b = [0u8; 32];
    OsRng.fill_bytes(&mut b);
    hex(&b)
}

/// A password made up for a user by a reset: twelve letters and digits that cannot be misread
/// for one another (no 0/o, 1/l/i), in three groups, about 60 bits from the operating system.
pub fn temporary_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut out = String::with_capacity(14);
    for i in 0..12 {
        if i > 0 && i % 4 == 0 {
            out.push('-');
        }
        // rejection sampling: every letter equally likely
        let c = loop {
            let b = (OsRng.next_u32() & 0xff) as usize;
            if b < 256 - 256 % ALPHABET.len() {
                break ALPHABET[b % ALPHABET.len()];
            }
        };
        out.push(char::from(c));
    }
    out
}

/// A random number of 53 bits from the operating system: an id nobody can guess (and that a
/// JSON number holds exactly).
pub fn random_id() -> u64 {
    OsRng.next_u64() >> 11
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

/// Whether a text has the form of a token this site hands out (64 lowercase hex digits).
pub fn is_token(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Failed logins, counted per user name and per client address independently: either one over
/// its limit within the window holds further logins back. A successful login clears its name's
/// failures only, never its address's (an attacker cannot reset the count by logging into an
/// account of their own). Memory is bounded: when a table is full, expired entries go first,
/// then the entries with the fewest failures that hold nothing back; an entry that holds logins
/// back is never dropped to make room.
#[derive(Debug)]
pub struct LoginLimiter {
    names: Mutex<Tracker>,
    addresses: Mutex<Tracker>,
}

impl Default for LoginLimiter {
    fn default() -> Self {
        LoginLimiter::new(LIMIT_FAILURES, LIMIT_ADDRESS_FAILURES, LIMIT_KEYS)
    }
}

/// Why a login is held back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Held {
    Name,
    Address,
}

impl LoginLimiter {
    pub fn new(per_name: usize, per_address: usize, keys: usize) -> LoginLimiter {
        LoginLimiter {
            names: Mutex::new(Tracker::new(per_name, keys)),
            addresses: Mutex::new(Tracker::new(per_address, keys)),
        }
    }

    /// Whether a login for this name from this address is held back, and why.
    pub fn held(&self, name: &str, address: Option<&str>) -> Option<Held> {
        self.hold(name, address).map(|(h, _)| h)
    }

    /// As [`LoginLimiter::held`], and whether this is the first refusal of the hold (the one
    /// worth recording: a flood of refused attempts writes one line, not one per attempt).
    pub fn hold(&self, name: &str, address: Option<&str>) -> Option<(Held, bool)> {
        let now = Instant::now();
        if let Some(first) = lock(&self.names).blocked(name, now) {
            return Some((Held::Name, first));
        }
        let by_address = address.and_then(|a| lock(&self.addresses).blocked(a, now));
        by_address.map(|first| (Held::Address, first))
    }

    pub fn failed(&self, name: &str, address: Option<&str>) {
        let now = Instant::now();
        lock(&self.names).fail(name, now);
        if let Some(a) = address {
            lock(&self.addresses).fail(a, now);
        }
    }

    /// A login of this name succeeded: its name's failures are forgotten.
    pub fn succeeded(&self, name: &str) {
        let mut names = lock(&self.names);
        names.map.remove(name);
        names.reported.remove(name);
    }

    /// Names and addresses followed now.
    pub fn len(&self) -> (usize, usize) {
        (lock(&self.names).map.len(), lock(&self.addresses).map.len())
    }
}

fn lock(m: &Mutex<Tracker>) -> std::sync::MutexGuard<'_, Tracker> {
    // a panic elsewhere while holding the lock leaves counts that are still counts
    m.lock().unwrap_or_else(|p| p.into_inner())
}

#[derive(Debug)]
struct Tracker {
    limit: usize,
    cap: usize,
    /// The latest failures of each key, oldest first, at most `limit` of them.
    map: HashMap<String, Vec<Instant>>,
    /// Keys whose current hold has been refused once already.
    reported: std::collections::HashSet<String>,
}

impl Tracker {
    fn new(limit: usize, cap: usize) -> Tracker {
        Tracker {
            limit: limit.max(1),
            cap: cap.max(1),
            map: HashMap::new(),
            reported: Default::default(),
        }
    }

    fn recent(v: &[Instant], now: Instant) -> usize {
        v.iter()
            .filter(|t| now.duration_since(**t) < LIMIT_WINDOW)
            .count()
    }

    /// `Some(first)` when the key is held back, `first` on its first refusal.
    fn blocked(&mut self, key: &str, now: Instant) -> Option<bool> {
        if self
            .map
            .get(key)
            .is_some_and(|v| Self::recent(v, now) >= self.limit)
        {
            Some(self.reported.insert(key.to_string()))
        } else {
            self.reported.remove(key);
            None
        }
    }

    fn fail(&mut self, key: &str, now: Instant) {
        self.reported.remove(key);
        if !self.map.contains_key(key) && self.map.len() >= self.cap {
            self.make_room(now);
            if self.map.len() >= self.cap {
                // every entry holds logins back: the newcomer is still counted by its other key
                return;
            }
        }
        let v = self.map.entry(key.to_string()).or_default();
        v.push(now);
        if v.len() > self.limit {
            v.remove(0);
        }
    }

    fn make_room(&mut self, now: Instant) {
        self.map.retain(|_, v| {
            v.retain(|t| now.duration_since(*t) < LIMIT_WINDOW);
            !v.is_empty()
        });
        let map = &self.map;
        self.reported.retain(|k| map.contains_key(k));
        if self.map.len() < self.cap {
            return;
        }
        // a tenth of the table at a time, the least suspicious first
        let limit = self.limit;
        let mut candidates: Vec<(usize, String)> = self
            .map
            .iter()
            .filter(|(_, v)| v.len() < limit)
            .map(|(k, v)| (v.len(), k.clone()))
            .collect();
        candidates.sort_unstable();
        for (_, k) in candidates.into_iter().take((self.cap / 10).max(1)) {
            self.map.remove(&k);
            self.reported.remove(&k);
        }
    }
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
        // a hash made with other parameters (an older account's, argon2i) is checked with them,
        // in memory of another size than the pool's
        let params = argon2::Params::new(8 * 1024, 3, 1, None).expect("params");
        let salt = SaltString::generate(&mut OsRng);
        let other = Argon2::new(argon2::Algorithm::Argon2i, argon2::Version::V0x13, params)
            .hash_password(b"cu", &salt)
            .expect("hash")
            .to_string();
        assert!(other.starts_with("$argon2i$") && other.contains("m=8192,t=3"));
        assert!(verify_password("cu", &other));
        assert!(!verify_password("cũ", &other));
        assert!(
            verify_password("mật khẩu dài 123", &h),
            "after a smaller buffer"
        );
        // a hash cut short, or its salt missing, is no match
        assert!(!verify_password("mật khẩu dài 123", &h[..h.len() - 4]));
        let no_salt = h.rsplitn(3, '$').last().expect("head").to_string();
        assert!(!verify_password("mật khẩu dài 123", &no_salt));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn checks_run_aside_and_agree_with_the_plain_check() {
        let h = hash_password("mật khẩu dài 123").expect("hash");
        let checks: Vec<_> = (0..CONCURRENT_CHECKS * 2)
            .map(|i| {
                let h = h.clone();
                tokio::spawn(async move {
                    let password = if i % 2 == 0 {
                        "mật khẩu dài 123"
                    } else {
                        "sai"
                    };
                    check_password(password, &h).await
                })
            })
            .collect();
        for (i, check) in checks.into_iter().enumerate() {
            assert_eq!(check.await.expect("check"), i % 2 == 0, "check {i}");
        }
        assert!(MEMORY.lock().expect("pool").len() <= CONCURRENT_CHECKS);
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
    fn the_limiter_counts_names_and_addresses_apart() {
        let l = LoginLimiter::new(5, 10, 1000);
        for _ in 0..4 {
            l.failed("a", Some("1"));
        }
        assert_eq!(l.held("a", Some("1")), None, "four failures: not yet");
        l.failed("a", Some("1"));
        assert_eq!(
            l.hold("a", Some("1")),
            Some((Held::Name, true)),
            "five: the name"
        );
        assert_eq!(
            l.hold("a", Some("1")),
            Some((Held::Name, false)),
            "said once"
        );
        assert_eq!(l.held("a", Some("2")), Some(Held::Name), "from anywhere");
        assert_eq!(l.held("b", Some("1")), None, "the address has 5 of 10");
        for i in 0..5 {
            l.failed(&format!("n{i}"), Some("1"));
        }
        assert_eq!(
            l.held("b", Some("1")),
            Some(Held::Address),
            "ten: the address"
        );
        assert_eq!(l.held("b", Some("2")), None);
        // a success clears the name, never the address
        l.succeeded("a");
        assert_eq!(l.held("a", Some("2")), None);
        assert_eq!(l.held("a", Some("1")), Some(Held::Address));
    }

    #[test]
    fn a_full_limiter_keeps_those_it_holds_back() {
        let l = LoginLimiter::new(5, 10, 100);
        for _ in 0..5 {
            l.failed("victim", Some("attacker"));
        }
        // a flood of one-off names from many addresses
        for i in 0..10_000 {
            l.failed(
                &format!("flood{i}"),
                Some(&format!("10.0.{}.{}", i / 256, i % 256)),
            );
        }
        let (names, addresses) = l.len();
        assert!(
            names <= 100 && addresses <= 100,
            "{names} names, {addresses} addresses"
        );
        assert_eq!(l.held("victim", None), Some(Held::Name));
        assert_eq!(
            l.held("x", Some("attacker")),
            None,
            "5 of 10 for the address"
        );
        for _ in 0..5 {
            l.failed("other", Some("attacker"));
        }
        assert_eq!(l.held("x", Some("attacker")), Some(Held::Address));
    }

    #[test]
    fn tokens_have_one_form() {
        assert!(is_token(&token()));
        assert!(!is_token(""));
        assert!(!is_token(&"A".repeat(64)));
        assert!(!is_token(&"a".repeat(63)));
    }
}
