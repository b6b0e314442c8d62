//! The body of the `uri` fuzz target (`fuzz/fuzz_targets/uri.rs`), here so
//! that ordinary tests replay its corpus on stable Rust
//! (`tests/fuzz_uri_corpus.rs`).
//!
//! The input is read (as lossy UTF-8) two ways:
//!
//! * as a whole URL: parsing must not panic;
//! * as `user \n password \n host[:port] \n rest`, assembled into
//!   `amqp://user:password@host[:port]rest` with the password as written
//!   (it may hold `/`, `?`, `@`, `#`, `%`, anything). The oracle: no part
//!   of the password may reach any output other than the password field.
//!   It is checked differentially: the same URL with every letter and
//!   digit of the password changed (those of `%XX` escapes kept, so that
//!   the URL's structure is the same) must give the same error, or the
//!   same options apart from the password; and when parsing succeeds, the
//!   password must be the one written, decoded.

use super::{percent_decode, ConnectionOptions};

/// Characters removed from the user name so that the password starts right
/// after its `:`.
const NOT_IN_USER: &[char] = &[':', '@', '/', '?', '#'];
/// Characters removed from the host and port so that the userinfo ends at
/// the `@` before them.
const NOT_IN_HOST: &[char] = &['@', '/', '?', '#'];

/// Runs one fuzz input; panics when the oracle fails.
pub fn uri_parse(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    // The whole input as a URL: no panic, and its Debug never fails.
    if let Ok(options) = ConnectionOptions::from_url(&text) {
        let _ = format!("{options:?}");
    }

    let mut parts = text.splitn(4, '\n');
    let user: String = parts
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| !NOT_IN_USER.contains(c))
        .collect();
    let password = parts.next().unwrap_or_default();
    let host: String = parts
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| !NOT_IN_HOST.contains(c))
        .collect();
    let mut rest = parts.next().unwrap_or_default().to_owned();
    if !rest.is_empty() && !rest.starts_with(['/', '?']) {
        // So that the authority ends where `rest` starts.
        rest.insert(0, '/');
    }
    let url = |password: &str| format!("amqp://{user}:{password}@{host}{rest}");
    let other = disguise(password);
    let first = ConnectionOptions::from_url(&url(password));
    let second = ConnectionOptions::from_url(&url(&other));
    match (first, second) {
        (Err(a), Err(b)) => {
            assert_eq!(a, b, "the error depends on the password");
            assert_eq!(a.to_string(), b.to_string());
        }
        (Ok(mut a), Ok(mut b)) => {
            assert_eq!(
                Some(a.password.as_str()),
                percent_decode(password).as_deref(),
                "the password is not the one written"
            );
            assert_eq!(Some(b.password.as_str()), percent_decode(&other).as_deref());
            a.password.clear();
            b.password.clear();
            assert_eq!(a, b, "an option other than the password depends on it");
            assert_eq!(format!("{a:?}"), format!("{b:?}"));
        }
        (a, b) => panic!("one password parses and a disguise of it does not: {a:?} / {b:?}"),
    }
}

/// The password with every ASCII letter and digit changed to the next one
/// of its kind, except the two characters after each `%`.
fn disguise(password: &str) -> String {
    let mut out = String::with_capacity(password.len());
    let mut keep = 0;
    for c in password.chars() {
        if keep > 0 {
            keep -= 1;
            out.push(c);
            continue;
        }
        if c == '%' {
            keep = 2;
        }
        out.push(next_of_kind(c));
    }
    out
}

/// `a` → `b`, `z` → `a`, `9` → `0`; anything else as it is.
fn next_of_kind(c: char) -> char {
    let rotate = |base: u8, len: u8| {
        let offset = (c as u8 - base + 1) % len;
        char::from(base + offset)
    };
    match c {
        'a'..='z' => rotate(b'a', 26),
        'A'..='Z' => rotate(b'A', 26),
        '0'..='9' => rotate(b'0', 10),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disguise_keeps_escapes_and_changes_the_rest() {
        assert_eq!(disguise("az9/%2Fq"), "ba0/%2Fr");
        assert_eq!(disguise(""), "");
        assert_eq!(disguise("é%"), "é%");
    }

    #[test]
    fn the_oracle_accepts_a_well_formed_url() {
        uri_parse(b"bob\ns%40cret:x\nrabbit.example:5673\n/prod?heartbeat=5");
    }
}
