//! The browser's side of a login: the cookies' names and how a cookie is read. Passwords,
//! sessions, tokens and the login limiter are use cases of `giamngheo_app::session`.

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "gn_session";
/// The language cookie's name.
pub const LANG_COOKIE: &str = "gn_lang";
/// The login form's CSRF cookie (before there is a session).
pub const LOGIN_CSRF_COOKIE: &str = "gn_login_csrf";

pub use giamngheo_app::session::{
    is_token, same_token, token, token_hash, Held, LoginLimiter, SESSION_HOURS,
};

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
    fn cookies_are_found_by_name() {
        let h = "a=1; gn_session=abc; gn_lang=en";
        assert_eq!(cookie(h, "gn_session"), Some("abc"));
        assert_eq!(cookie(h, "gn_lang"), Some("en"));
        assert_eq!(cookie(h, "b"), None);
    }
}
