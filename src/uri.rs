//! Parsing AMQP URIs into [`ConnectionOptions`].
//!
//! The syntax is the one of RabbitMQ's URI specification
//! (<https://www.rabbitmq.com/docs/uri-spec>), with the query parameters that
//! RabbitMQ's clients understand
//! (<https://www.rabbitmq.com/docs/uri-query-parameters>):
//!
//! ```text
//! amqp[s]://[user[:password]@][host][:port][/vhost][?name=value&name=value...]
//! ```
//!
//! Every part is optional; what is left out takes its default
//! (see [`ConnectionOptions::default`]). A few examples:
//!
//! | URL                                        | result                                              |
//! |--------------------------------------------|-----------------------------------------------------|
//! | `amqp://`                                  | all defaults: `guest:guest@localhost:5672`, vhost `/` |
//! | `amqps://rabbit.example`                   | TLS to `rabbit.example:5671`, vhost `/`             |
//! | `amqp://bob:s%40cret@[::1]:5673/prod`      | user `bob`, password `s@cret`, host `::1`, vhost `prod` |
//! | `amqp://host/%2f`                          | vhost `/`                                           |
//! | `amqp://host/`                             | vhost `/` (not the empty one: see below)            |
//! | `amqp://host?heartbeat=10&frame_max=8192`  | heartbeat 10 s, frames of at most 8192 bytes        |
//!
//! The query parameters read (any others are ignored):
//!
//! | parameter                | value                                     | sets |
//! |--------------------------|-------------------------------------------|------|
//! | `heartbeat`              | seconds, 0 to 65535 (0: the server's value) | [`heartbeat`](ConnectionOptions::heartbeat) |
//! | `frame_max`              | bytes, 0 (no limit) or 4096 to 4294967295  | [`frame_max`](ConnectionOptions::frame_max) |
//! | `channel_max`            | 0 (no limit) to 65535                      | [`channel_max`](ConnectionOptions::channel_max) |
//! | `connection_timeout`     | milliseconds, at least 1                   | [`connection_timeout`](ConnectionOptions::connection_timeout) |
//! | `request_timeout`        | seconds (0: no limit)                      | [`request_timeout`](ConnectionOptions::request_timeout) |
//! | `max_message_size`       | bytes, at least 1                          | [`max_message_size`](ConnectionOptions::max_message_size) |
//! | `auth_mechanism`         | `plain`, `amqplain` or `external`          | [`auth_mechanism`](ConnectionOptions::auth_mechanism) |
//! | `locale`                 | 1 to 255 bytes                             | [`locale`](ConnectionOptions::locale) |
//! | `cacertfile`, `certfile`, `keyfile` | a path (TLS)                    | [`ca_file`](ConnectionOptions::ca_file), [`cert_file`](ConnectionOptions::cert_file), [`key_file`](ConnectionOptions::key_file) |
//! | `server_name_indication` | a host name (TLS)                          | [`server_name`](ConnectionOptions::server_name) |
//!
//! **A deliberate departure from RabbitMQ's URI spec:** a path of exactly
//! `/` (`amqp://guest:guest@localhost:5672/`, the Go tutorial's URL) means
//! the vhost `/`, as the Go client (amqp091-go) and pika read it, because
//! that is what everyone copying such a URL means. The spec reads it as the
//! empty vhost, which RabbitMQ does not have (530 NOT_ALLOWED). `%2f` and
//! longer paths are read as the spec says; the empty vhost stays reachable
//! through [`ConnectionOptions::vhost`].
//!
//! Numbers are decimal digits only. `connection_timeout` is in milliseconds
//! (as in RabbitMQ's other clients) and `request_timeout` in seconds.
//!
//! Choices made where the specification leaves room or clients differ:
//!
//! * The authority (user name, password, host and port) ends at the first
//!   `/` or `?`, and the user name and password end at the last `@` before
//!   it (RFC 3986, 3.2). An `@` after that point, in the virtual host or the
//!   query, is an error ([`UriError::MisplacedUserinfo`]) and must be written
//!   `%40`: it almost always means that a password holding `/` or `?` was not
//!   percent-encoded (`amqp://bob:/s3cret@host` would otherwise connect to
//!   `bob` with the default credentials and the virtual host `s3cret@host`).
//!   An `@` in the user name or password is best written `%40` too.
//! * A user name given without a password (`amqp://bob@host`) gets the
//!   empty password, not the default one.
//! * An empty port (`amqp://host:`) means the default port, as RFC 3986 allows.
//! * The virtual host is one path segment: `/` inside its name must be written
//!   `%2f`, and a path such as `/a/b` is an error.
//! * The user name, password, virtual host and query are taken as written,
//!   after percent-decoding; only spaces and control characters must be
//!   percent-encoded there. The host must use the characters RFC 3986 allows in
//!   a host name (non-ASCII letters are accepted too), or be an IPv6 address in
//!   brackets. A `+` is a plus sign, not a space.
//! * A user name or password containing a NUL character (`%00`) is refused:
//!   SASL `PLAIN` separates its fields with NUL.
//! * Query parameter names are matched without regard to ASCII case.
//!   Unknown parameters (for example the TLS options `cacertfile` or `verify`
//!   that other clients read) are ignored, and their values are not even
//!   decoded. A known parameter given twice is an error, except
//!   `auth_mechanism`, which may be repeated: the first supported mechanism
//!   wins.
//! * A fragment (`#...`) is an error: it is usually a `#` in a password that
//!   should have been written `%23`.
//!
//! Errors ([`UriError`]) name the part of the URL at fault and never contain
//! the password.

#[doc(hidden)]
pub mod fuzzing;

pub use crate::connection_options::{Address, AuthMechanism, ConnectionOptions};
use crate::connection_options::{DEFAULT_PORT, DEFAULT_TLS_PORT};

use std::net::Ipv6Addr;
use std::str::FromStr;
use std::time::Duration;

/// Smallest frame size a peer may ask for (`frame-min-size` in the spec).
const FRAME_MIN_SIZE: u32 = 4096;
/// Longest AMQP short string, in bytes.
const SHORT_STRING_MAX: usize = 255;

impl FromStr for ConnectionOptions {
    type Err = UriError;

    /// Same as [`ConnectionOptions::from_url`].
    fn from_str(url: &str) -> Result<Self, Self::Err> {
        Self::from_url(url)
    }
}

impl ConnectionOptions {
    /// Parses an `amqp://` or `amqps://` URL.
    ///
    /// Parts left out of the URL keep their [default](ConnectionOptions::default)
    /// values, except that `amqps` changes the default port to 5671. See the
    /// [module documentation](self) for the syntax and the query parameters.
    ///
    /// # Errors
    ///
    /// A [`UriError`] naming the part of the URL that is wrong. It never
    /// contains the password.
    pub fn from_url(url: &str) -> Result<Self, UriError> {
        let (scheme, rest) = split_scheme(url)?;
        let tls = if scheme.eq_ignore_ascii_case("amqp") {
            false
        } else if scheme.eq_ignore_ascii_case("amqps") {
            true
        } else if rest.starts_with("//") {
            return Err(UriError::Scheme {
                scheme: scheme.to_owned(),
            });
        } else {
            // `user:password@host` without a scheme: what precedes the ':'
            // is a user name, not a scheme, and is not echoed.
            return Err(UriError::MissingScheme);
        };
        let Some(rest) = rest.strip_prefix("//") else {
            return Err(UriError::MissingAuthority {
                scheme: scheme.to_owned(),
            });
        };
        if rest.contains('#') {
            return Err(UriError::Fragment);
        }
        // RFC 3986, 3.2: the authority ends at the first '/' or '?'.
        let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, after_authority) = rest.split_at(authority_end);
        // An '@' after the authority is almost always an unescaped '/' or
        // '?' of a password: `amqp://localhost:/s3cret@host` would otherwise
        // send the default credentials to `localhost` with the virtual host
        // `s3cret@host`. Refused, showing none of it (the module
        // documentation asks for `%40` in a virtual host or a query value).
        if after_authority.contains('@') {
            return Err(UriError::MisplacedUserinfo);
        }
        let (before_query, query) = match after_authority.split_once('?') {
            Some((before, query)) => (before, Some(query)),
            None => (after_authority, None),
        };
        let path = before_query.strip_prefix('/');

        let mut options = ConnectionOptions {
            tls,
            port: if tls { DEFAULT_TLS_PORT } else { DEFAULT_PORT },
            ..ConnectionOptions::default()
        };

        // RFC 3986, 3.2.1: the userinfo ends at the last '@' of the authority
        // (an '@' of the user name or password should be written %40, but
        // one that is not cannot be anything else).
        let (userinfo, host_port) = match authority.rsplit_once('@') {
            Some((userinfo, host_port)) => (Some(userinfo), host_port),
            None => (None, authority),
        };

        if let Some(userinfo) = userinfo {
            let (user, password) = match userinfo.split_once(':') {
                Some((user, password)) => (user, Some(password)),
                None => (userinfo, None),
            };
            options.username = decode_credential(user, "user name")?;
            options.password = match password {
                Some(password) => decode_credential(password, "password")?,
                None => String::new(),
            };
        }

        let (host, port) = parse_host_port(host_port)?;
        if let Some(host) = host {
            options.host = host;
        }
        if let Some(port) = port {
            options.port = port;
        }

        match path {
            // A lone `/` is the vhost `/` (see the module docs).
            Some("") | None => {}
            Some(segment) => options.vhost = parse_vhost(segment)?,
        }
        if let Some(query) = query {
            apply_query(query, &mut options)?;
        }
        Ok(options)
    }
}

/// Why an AMQP URL could not be parsed. Each variant names the part of the URL
/// to fix; none of them carries the password.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UriError {
    /// A list of URLs ([`ConnectionOptions::from_urls`]) whose entries
    /// differ in scheme, credentials or virtual host.
    #[error(
        "invalid list of AMQP URLs: {address} differs from the first URL in scheme, \
         credentials or virtual host (give them once, in the first URL)"
    )]
    MixedList {
        /// The host and port of the entry that differs.
        address: String,
    },
    /// The URL does not start with a scheme such as `amqp:`.
    #[error("invalid AMQP URL: it must start with amqp:// or amqps://")]
    MissingScheme,
    /// The scheme is neither `amqp` nor `amqps`.
    #[error("invalid AMQP URL: scheme {scheme:?} is not supported; use amqp or amqps")]
    Scheme {
        /// The scheme as written.
        scheme: String,
    },
    /// The scheme is not followed by `//`.
    #[error("invalid AMQP URL: \"//\" must follow \"{scheme}:\"")]
    MissingAuthority {
        /// The scheme as written.
        scheme: String,
    },
    /// The URL has a fragment (`#...`), which AMQP URLs do not have.
    #[error(
        "invalid AMQP URL: '#' is not allowed; write a '#' in a user name, \
         password or virtual host as %23"
    )]
    Fragment,
    /// An `@` comes after the host (in the path or the query): probably the
    /// user name or password holds an unescaped `/` or `?`, so that what
    /// looks like a host, port, virtual host or query may be pieces of the
    /// password. None of it is shown.
    #[error(
        "invalid AMQP URL: an '@' comes after the host; if the user name or password \
         contains '/' or '?', write them as %2F and %3F (and an '@' in the virtual host \
         or a query value as %40)"
    )]
    MisplacedUserinfo,
    /// A part holds a space or a control character, which must be
    /// percent-encoded.
    #[error(
        "invalid AMQP URL: the {part} contains a space or control character; \
         percent-encode it"
    )]
    InvalidCharacter {
        /// The part: `"user name"`, `"password"`, `"virtual host"` or
        /// `"query parameter name"`.
        part: &'static str,
    },
    /// A part has a `%` not followed by two hex digits, or decodes to bytes
    /// that are not UTF-8.
    #[error(
        "invalid AMQP URL: the {part} has invalid percent-encoding (each '%' must \
         be followed by two hex digits, and the decoded text must be UTF-8)"
    )]
    PercentEncoding {
        /// The part: `"user name"`, `"password"`, `"host"`, `"virtual host"` or
        /// `"query parameter name"`.
        part: &'static str,
    },
    /// The user name or password decodes to text containing NUL (`%00`).
    #[error("invalid AMQP URL: the {part} contains a NUL character (%00)")]
    NulCharacter {
        /// The part: `"user name"` or `"password"`.
        part: &'static str,
    },
    /// The host is not a valid host name or bracketed IPv6 address.
    #[error("invalid AMQP URL: host {host:?} {reason}")]
    Host {
        /// The host as written.
        host: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The port is not a number from 1 to 65535.
    #[error("invalid AMQP URL: port {text:?} is not a number between 1 and 65535")]
    Port {
        /// The port as written.
        text: String,
    },
    /// The path has more than one segment.
    #[error(
        "invalid AMQP URL: path {path:?} has more than one segment; \
         write a '/' inside the virtual host name as %2f"
    )]
    VhostPath {
        /// The path as written, with its leading `/`.
        path: String,
    },
    /// The decoded virtual host is longer than an AMQP short string allows.
    #[error("invalid AMQP URL: the virtual host is {len} bytes long; at most 255 are allowed")]
    VhostTooLong {
        /// Its length in bytes, after percent-decoding.
        len: usize,
    },
    /// A query parameter has a value it cannot take.
    #[error("invalid AMQP URL: query parameter {name} has value {value:?}, which {reason}")]
    QueryValue {
        /// The parameter's name.
        name: String,
        /// The value as written.
        value: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A query parameter that may appear once appears more than once.
    #[error("invalid AMQP URL: query parameter {name} is given more than once")]
    DuplicateParameter {
        /// The parameter's name.
        name: String,
    },
    /// No `auth_mechanism` value names a supported mechanism.
    #[error(
        "invalid AMQP URL: no supported auth_mechanism among {names}; \
         use plain, amqplain or external"
    )]
    UnsupportedAuthMechanism {
        /// The values given, decoded, quoted and separated by `, `.
        names: String,
    },
}

/// Splits `scheme:rest`, checking the scheme's syntax (RFC 3986, 3.1).
fn split_scheme(url: &str) -> Result<(&str, &str), UriError> {
    let (scheme, rest) = url.split_once(':').ok_or(UriError::MissingScheme)?;
    let mut chars = scheme.chars();
    let well_formed = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if well_formed {
        Ok((scheme, rest))
    } else {
        Err(UriError::MissingScheme)
    }
}

/// Refuses spaces and control characters, which a URL never holds as is.
fn check_raw(text: &str, part: &'static str) -> Result<(), UriError> {
    if text.chars().any(|c| c == ' ' || c.is_ascii_control()) {
        Err(UriError::InvalidCharacter { part })
    } else {
        Ok(())
    }
}

/// Decodes `%XX` escapes; `None` if one is malformed or the result is not UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    if !text.contains('%') {
        return Some(text.to_owned());
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        if byte == b'%' {
            let high = hex_value(*bytes.get(i + 1)?)?;
            let low = hex_value(*bytes.get(i + 2)?)?;
            out.push(high << 4 | low);
            i += 3;
        } else {
            out.push(byte);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The value of one hex digit.
fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

/// Checks and decodes one part of a URL.
fn decode_part(text: &str, part: &'static str) -> Result<String, UriError> {
    check_raw(text, part)?;
    percent_decode(text).ok_or(UriError::PercentEncoding { part })
}

/// Decodes a user name or password, which SASL `PLAIN` cannot carry with NUL.
fn decode_credential(text: &str, part: &'static str) -> Result<String, UriError> {
    let decoded = decode_part(text, part)?;
    if decoded.contains('\0') {
        return Err(UriError::NulCharacter { part });
    }
    Ok(decoded)
}

/// Parses `host[:port]` or `[ipv6][:port]`; `None` for what is empty.
fn parse_host_port(text: &str) -> Result<(Option<String>, Option<u16>), UriError> {
    let (host, port) = if let Some(bracketed) = text.strip_prefix('[') {
        let Some((address, after)) = bracketed.split_once(']') else {
            return Err(UriError::Host {
                host: text.to_owned(),
                reason: "lacks its closing ']'",
            });
        };
        if address.parse::<Ipv6Addr>().is_err() {
            return Err(UriError::Host {
                host: text.to_owned(),
                reason: "is not a valid IPv6 address in brackets",
            });
        }
        let port = if after.is_empty() {
            None
        } else if let Some(port) = after.strip_prefix(':') {
            Some(port)
        } else {
            return Err(UriError::Host {
                host: text.to_owned(),
                reason: "has text after ']' that is not a \":port\"",
            });
        };
        (Some(address.to_owned()), port)
    } else {
        let (raw_host, port) = match text.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (text, None),
        };
        if port.is_some_and(|port| port.contains(':')) {
            return Err(UriError::Host {
                host: text.to_owned(),
                reason: "has more than one ':'; write an IPv6 address in brackets, like [::1]",
            });
        }
        (parse_reg_name(raw_host)?, port)
    };
    let port = match port {
        None | Some("") => None,
        Some(port) => Some(parse_port(port)?),
    };
    Ok((host, port))
}

/// Parses a host name or IPv4 address; `None` if empty.
fn parse_reg_name(raw: &str) -> Result<Option<String>, UriError> {
    if raw.is_empty() {
        return Ok(None);
    }
    // RFC 3986 reg-name: unreserved / pct-encoded / sub-delims; non-ASCII
    // letters are let through for internationalised names.
    let allowed = |c: char| {
        !c.is_ascii()
            || c.is_ascii_alphanumeric()
            || matches!(
                c,
                '-' | '.'
                    | '_'
                    | '~'
                    | '%'
                    | '!'
                    | '$'
                    | '&'
                    | '\''
                    | '('
                    | ')'
                    | '*'
                    | '+'
                    | ','
                    | ';'
                    | '='
            )
    };
    let invalid = |reason| UriError::Host {
        host: raw.to_owned(),
        reason,
    };
    if !raw.chars().all(allowed) {
        return Err(invalid("contains a character not allowed in a host name"));
    }
    let host = percent_decode(raw).ok_or(UriError::PercentEncoding { part: "host" })?;
    let decoded_allowed =
        |c: char| !c.is_control() && !matches!(c, ' ' | ':' | '/' | '?' | '#' | '[' | ']' | '@');
    if !host.chars().all(decoded_allowed) {
        return Err(invalid("decodes to a character not allowed in a host name"));
    }
    Ok(Some(host))
}

/// Parses a port from 1 to 65535, decimal digits only.
fn parse_port(text: &str) -> Result<u16, UriError> {
    match parse_digits::<u16>(text) {
        Some(port) if port != 0 => Ok(port),
        _ => Err(UriError::Port {
            text: text.to_owned(),
        }),
    }
}

/// Parses a non-empty string of ASCII digits (no sign, no spaces).
fn parse_digits<T: FromStr>(text: &str) -> Option<T> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// Parses the path after the authority's `/` into a virtual host name.
fn parse_vhost(segment: &str) -> Result<String, UriError> {
    if segment.contains('/') {
        return Err(UriError::VhostPath {
            path: format!("/{segment}"),
        });
    }
    let vhost = decode_part(segment, "virtual host")?;
    if vhost.len() > SHORT_STRING_MAX {
        return Err(UriError::VhostTooLong { len: vhost.len() });
    }
    Ok(vhost)
}

/// The query parameters this module reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Param {
    Heartbeat,
    FrameMax,
    ChannelMax,
    ConnectionTimeout,
    RequestTimeout,
    MaxMessageSize,
    AuthMechanism,
    Locale,
    CaCertFile,
    CertFile,
    KeyFile,
    ServerNameIndication,
}

impl Param {
    const ALL: [Param; 12] = [
        Param::Heartbeat,
        Param::FrameMax,
        Param::ChannelMax,
        Param::ConnectionTimeout,
        Param::RequestTimeout,
        Param::MaxMessageSize,
        Param::AuthMechanism,
        Param::Locale,
        Param::CaCertFile,
        Param::CertFile,
        Param::KeyFile,
        Param::ServerNameIndication,
    ];

    fn name(self) -> &'static str {
        match self {
            Param::Heartbeat => "heartbeat",
            Param::FrameMax => "frame_max",
            Param::ChannelMax => "channel_max",
            Param::ConnectionTimeout => "connection_timeout",
            Param::RequestTimeout => "request_timeout",
            Param::MaxMessageSize => "max_message_size",
            Param::AuthMechanism => "auth_mechanism",
            Param::Locale => "locale",
            Param::CaCertFile => "cacertfile",
            Param::CertFile => "certfile",
            Param::KeyFile => "keyfile",
            Param::ServerNameIndication => "server_name_indication",
        }
    }

    fn from_name(name: &str) -> Option<Param> {
        Param::ALL
            .into_iter()
            .find(|param| param.name().eq_ignore_ascii_case(name))
    }
}

/// Reads the query's known parameters into `options`.
fn apply_query(query: &str, options: &mut ConnectionOptions) -> Result<(), UriError> {
    let mut seen: Vec<Param> = Vec::new();
    let mut mechanisms: Vec<String> = Vec::new();
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let (raw_name, raw_value) = pair.split_once('=').unwrap_or((pair, ""));
        let name = decode_part(raw_name, "query parameter name")?;
        let Some(param) = Param::from_name(&name) else {
            continue; // not ours: ignored, see the module documentation
        };
        let invalid = |reason| UriError::QueryValue {
            name: param.name().to_owned(),
            value: raw_value.to_owned(),
            reason,
        };
        if raw_value.chars().any(|c| c == ' ' || c.is_ascii_control()) {
            return Err(invalid("contains a space or control character"));
        }
        let value =
            percent_decode(raw_value).ok_or_else(|| invalid("has invalid percent-encoding"))?;
        if param == Param::AuthMechanism {
            mechanisms.push(value);
            continue;
        }
        if seen.contains(&param) {
            return Err(UriError::DuplicateParameter {
                name: param.name().to_owned(),
            });
        }
        seen.push(param);
        match param {
            Param::Heartbeat => {
                let seconds = parse_digits::<u16>(&value)
                    .ok_or_else(|| invalid("is not a whole number of seconds from 0 to 65535"))?;
                options.heartbeat = Some(seconds);
            }
            Param::FrameMax => {
                options.frame_max = parse_digits::<u32>(&value)
                    .filter(|&size| size == 0 || size >= FRAME_MIN_SIZE)
                    .ok_or_else(|| {
                        invalid("is neither 0 (no limit) nor a number from 4096 to 4294967295")
                    })?;
            }
            Param::ChannelMax => {
                options.channel_max = parse_digits::<u16>(&value)
                    .ok_or_else(|| invalid("is not a number from 0 to 65535"))?;
            }
            Param::ConnectionTimeout => {
                let millis = parse_digits::<u64>(&value)
                    .filter(|&millis| millis > 0)
                    .ok_or_else(|| invalid("is not a positive whole number of milliseconds"))?;
                options.connection_timeout = Duration::from_millis(millis);
            }
            Param::RequestTimeout => {
                let seconds = parse_digits::<u64>(&value)
                    .ok_or_else(|| invalid("is not a whole number of seconds (0 for no limit)"))?;
                options.request_timeout = (seconds > 0).then(|| Duration::from_secs(seconds));
            }
            Param::MaxMessageSize => {
                options.max_message_size =
                    parse_digits::<u64>(&value)
                        .filter(|&bytes| bytes > 0)
                        .ok_or_else(|| invalid("is not a positive whole number of bytes"))?;
            }
            Param::Locale => {
                if value.is_empty() {
                    return Err(invalid("is empty"));
                }
                if value.len() > SHORT_STRING_MAX {
                    return Err(invalid("is longer than 255 bytes"));
                }
                options.locale = value;
            }
            Param::CaCertFile | Param::CertFile | Param::KeyFile | Param::ServerNameIndication
                if value.is_empty() =>
            {
                return Err(invalid("is empty"));
            }
            Param::CaCertFile => options.ca_file = Some(value.into()),
            Param::CertFile => options.cert_file = Some(value.into()),
            Param::KeyFile => options.key_file = Some(value.into()),
            Param::ServerNameIndication => options.server_name = Some(value),
            Param::AuthMechanism => {}
        }
    }
    if !mechanisms.is_empty() {
        match mechanisms
            .iter()
            .find_map(|name| AuthMechanism::from_name(name))
        {
            Some(mechanism) => options.auth_mechanism = mechanism,
            None => {
                let names = mechanisms
                    .iter()
                    .map(|name| format!("{name:?}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                return Err(UriError::UnsupportedAuthMechanism { names });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(url: &str) -> ConnectionOptions {
        match ConnectionOptions::from_url(url) {
            Ok(options) => options,
            Err(err) => panic!("{url:?} should parse, got: {err}"),
        }
    }

    fn fail(url: &str) -> UriError {
        match ConnectionOptions::from_url(url) {
            Ok(options) => panic!("{url:?} should fail, got {options:?}"),
            Err(err) => err,
        }
    }

    /// Defaults with the given host, user, password, port and vhost.
    fn expected(host: &str, port: u16, user: &str, pass: &str, vhost: &str) -> ConnectionOptions {
        ConnectionOptions {
            host: host.to_owned(),
            port,
            username: user.to_owned(),
            password: pass.to_owned(),
            vhost: vhost.to_owned(),
            ..ConnectionOptions::default()
        }
    }

    // --- Examples from RabbitMQ's URI specification ---

    #[test]
    fn spec_example_all_parts() {
        assert_eq!(
            parse("amqp://user:pass@host:10000/vhost"),
            expected("host", 10000, "user", "pass", "vhost")
        );
    }

    #[test]
    fn spec_example_percent_encoded_parts() {
        assert_eq!(
            parse("amqp://user%61:%61pass@ho%61st:10000/v%2fhost"),
            expected("hoast", 10000, "usera", "apass", "v/host")
        );
    }

    #[test]
    fn spec_example_scheme_only_gives_defaults() {
        assert_eq!(parse("amqp://"), ConnectionOptions::default());
    }

    #[test]
    fn spec_example_empty_user_and_password() {
        // The spec's example also reads the lone `/` as the empty vhost;
        // here it is `/` (a_lone_slash_is_the_vhost_slash_as_go_and_pika_read_it).
        assert_eq!(
            parse("amqp://:@/"),
            expected("localhost", 5672, "", "", "/")
        );
    }

    #[test]
    fn spec_example_user_only() {
        assert_eq!(
            parse("amqp://user@"),
            expected("localhost", 5672, "user", "", "/")
        );
    }

    #[test]
    fn spec_example_user_and_password_only() {
        assert_eq!(
            parse("amqp://user:pass@"),
            expected("localhost", 5672, "user", "pass", "/")
        );
    }

    #[test]
    fn spec_example_host_only() {
        assert_eq!(
            parse("amqp://host"),
            expected("host", 5672, "guest", "guest", "/")
        );
    }

    #[test]
    fn spec_example_port_only() {
        assert_eq!(
            parse("amqp://:10000"),
            expected("localhost", 10000, "guest", "guest", "/")
        );
    }

    #[test]
    fn spec_example_vhost_only() {
        assert_eq!(
            parse("amqp:///vhost"),
            expected("localhost", 5672, "guest", "guest", "vhost")
        );
    }

    #[test]
    fn a_lone_slash_is_the_vhost_slash_as_go_and_pika_read_it() {
        // The spec reads it as the empty vhost; see the module docs.
        assert_eq!(parse("amqp://host/").vhost, "/");
        assert_eq!(parse("amqp://guest:guest@localhost:5672/").vhost, "/");
    }

    #[test]
    fn spec_example_escaped_slash_vhost() {
        assert_eq!(parse("amqp://host/%2f").vhost, "/");
        assert_eq!(parse("amqp://host/%2F").vhost, "/");
    }

    #[test]
    fn spec_example_ipv6_literal() {
        let options = parse("amqp://[::1]");
        assert_eq!(options.host, "::1");
        assert_eq!(options.port, 5672);
        assert_eq!(options.vhost, "/");
    }

    // --- Defaults and scheme ---

    #[test]
    fn default_is_the_documented_url() {
        assert_eq!(
            parse("amqp://guest:guest@localhost:5672/%2f"),
            ConnectionOptions::default()
        );
        let default = ConnectionOptions::default();
        assert_eq!(default.heartbeat, None);
        assert_eq!(default.frame_max, 131_072);
        assert_eq!(default.channel_max, 2047);
        assert_eq!(default.connection_timeout, Duration::from_secs(30));
        assert_eq!(default.auth_mechanism, AuthMechanism::Plain);
        assert_eq!(default.locale, "en_US");
        assert!(!default.tls);
    }

    #[test]
    fn amqps_means_tls_and_port_5671() {
        let options = parse("amqps://host");
        assert!(options.tls);
        assert_eq!(options.port, 5671);
        assert_eq!(parse("amqps://host:5673").port, 5673);
        assert!(!parse("amqp://host").tls);
    }

    #[test]
    fn scheme_is_case_insensitive() {
        assert!(!parse("AMQP://host").tls);
        let options = parse("AmQpS://host");
        assert!(options.tls);
        assert_eq!(options.port, 5671);
    }

    #[test]
    fn other_scheme_is_an_error_naming_it() {
        let err = fail("http://host");
        assert_eq!(
            err,
            UriError::Scheme {
                scheme: "http".to_owned()
            }
        );
        assert!(err.to_string().contains("\"http\""), "{err}");
        assert!(matches!(fail("amqpx://host"), UriError::Scheme { .. }));
    }

    #[test]
    fn missing_scheme_is_an_error() {
        for url in ["", "localhost", "//host", ":host", "1amqp://host", "a/b:c"] {
            assert_eq!(fail(url), UriError::MissingScheme, "{url:?}");
        }
    }

    #[test]
    fn scheme_without_slashes_is_an_error() {
        assert_eq!(
            fail("amqp:host"),
            UriError::MissingAuthority {
                scheme: "amqp".to_owned()
            }
        );
        assert!(matches!(
            fail("amqps:/host"),
            UriError::MissingAuthority { .. }
        ));
    }

    #[test]
    fn from_str_is_from_url() {
        let parsed: ConnectionOptions = match "amqps://u:p@h:1/v".parse() {
            Ok(options) => options,
            Err(err) => panic!("{err}"),
        };
        assert_eq!(parsed, parse("amqps://u:p@h:1/v"));
        assert_eq!(
            "ftp://h".parse::<ConnectionOptions>(),
            Err(UriError::Scheme {
                scheme: "ftp".to_owned()
            })
        );
    }

    // --- User info ---

    #[test]
    fn userinfo_is_percent_decoded() {
        let options = parse("amqp://us%40er%3A:p%3Aa%2Fss%40%23%25@host");
        assert_eq!(options.username, "us@er:");
        assert_eq!(options.password, "p:a/ss@#%");
        let options = parse("amqp://%C3%A9mile:%E2%82%AC@host");
        assert_eq!(options.username, "émile");
        assert_eq!(options.password, "€");
    }

    #[test]
    fn user_without_password_gets_empty_password() {
        let options = parse("amqp://bob@h");
        assert_eq!(options.username, "bob");
        assert_eq!(options.password, "");
        assert_eq!(options.host, "h");
    }

    #[test]
    fn empty_userinfo_gives_empty_user_and_password() {
        let options = parse("amqp://@h");
        assert_eq!(options.username, "");
        assert_eq!(options.password, "");
    }

    #[test]
    fn password_may_contain_colons() {
        let options = parse("amqp://u:a:b:@h");
        assert_eq!(options.username, "u");
        assert_eq!(options.password, "a:b:");
    }

    #[test]
    fn plus_is_not_a_space() {
        let options = parse("amqp://a+b:c+d@h");
        assert_eq!(options.username, "a+b");
        assert_eq!(options.password, "c+d");
    }

    #[test]
    fn userinfo_ends_at_the_last_at_sign_of_the_authority() {
        let options = parse("amqp://u:p@ss@host");
        assert_eq!(
            (options.username.as_str(), options.password.as_str()),
            ("u", "p@ss")
        );
        assert_eq!(options.host, "host");
        let options = parse("amqp://a@b@c@host/v");
        assert_eq!(
            (options.username.as_str(), options.password.as_str()),
            ("a@b@c", "")
        );
        assert_eq!(
            (options.host.as_str(), options.vhost.as_str()),
            ("host", "v")
        );
    }

    #[test]
    fn a_password_with_an_unescaped_slash_never_becomes_the_vhost() {
        // The password "/s3cret" (or "5672/s3cret") unescaped: the "port" is
        // empty (or digits) and the rest was read as the virtual host.
        for url in [
            "amqp://localhost:/s3cret@127.0.0.1",
            "amqp://localhost:5672/s3cret@127.0.0.1",
            "amqp://localhost:/s3cret@127.0.0.1/%2f",
            "amqp://localhost:?s3cret@127.0.0.1",
            "amqp://user:/s3cret@127.0.0.1?heartbeat=5",
        ] {
            let err = fail(url);
            assert_eq!(err, UriError::MisplacedUserinfo, "{url}");
            for shown in [err.to_string(), format!("{err:?}")] {
                assert!(!shown.contains("s3cret"), "{url:?}: {shown}");
                assert!(!shown.contains("localhost"), "{url:?}: {shown}");
            }
        }
        // Escaped, the same password is the password.
        let options = parse("amqp://localhost:%2Fs3cret@127.0.0.1");
        assert_eq!(options.username, "localhost");
        assert_eq!(options.password, "/s3cret");
        assert_eq!(
            (options.host.as_str(), options.vhost.as_str()),
            ("127.0.0.1", "/")
        );
    }

    #[test]
    fn an_at_sign_in_the_vhost_or_query_must_be_escaped() {
        assert_eq!(fail("amqp://host/v@x"), UriError::MisplacedUserinfo);
        assert_eq!(
            fail("amqp://host/v?locale=a@b"),
            UriError::MisplacedUserinfo
        );
        assert_eq!(parse("amqp://host/v%40x").vhost, "v@x");
        assert_eq!(parse("amqp://host/v?locale=a%40b").locale, "a@b");
    }

    #[test]
    fn a_user_name_before_a_colon_is_not_echoed_as_a_scheme() {
        let err = fail("alice:s3cret@host");
        assert_eq!(err, UriError::MissingScheme);
        assert!(!err.to_string().contains("alice"), "{err}");
    }

    #[test]
    fn nul_in_credentials_is_an_error() {
        assert_eq!(
            fail("amqp://a%00b:p@h"),
            UriError::NulCharacter { part: "user name" }
        );
        assert_eq!(
            fail("amqp://u:p%00@h"),
            UriError::NulCharacter { part: "password" }
        );
    }

    // --- Host ---

    #[test]
    fn host_forms() {
        assert_eq!(
            parse("amqp://rabbit.example.com").host,
            "rabbit.example.com"
        );
        assert_eq!(parse("amqp://192.0.2.7:5673").host, "192.0.2.7");
        assert_eq!(parse("amqp://ho%61st").host, "hoast");
        assert_eq!(parse("amqp://my_host-1~x").host, "my_host-1~x");
        assert_eq!(parse("amqp://bücher.example").host, "bücher.example");
    }

    #[test]
    fn empty_host_is_localhost() {
        assert_eq!(parse("amqp://").host, "localhost");
        assert_eq!(parse("amqp://u:p@:1234/v").host, "localhost");
        assert_eq!(parse("amqp://u:p@/v").host, "localhost");
    }

    #[test]
    fn ipv6_literals() {
        let options = parse("amqp://[::1]:5673/vh");
        assert_eq!(options.host, "::1");
        assert_eq!(options.port, 5673);
        assert_eq!(options.vhost, "vh");
        assert_eq!(parse("amqps://u:p@[2001:db8::1]").host, "2001:db8::1");
        assert_eq!(parse("amqp://[::ffff:192.0.2.1]:").port, 5672);
    }

    #[test]
    fn bad_ipv6_literals_are_errors() {
        for url in [
            "amqp://[::g]",
            "amqp://[::1",
            "amqp://[::1]x",
            "amqp://[]",
            "amqp://[v1.x]",
            "amqp://[fe80::1%25eth0]",
        ] {
            assert!(matches!(fail(url), UriError::Host { .. }), "{url:?}");
        }
        assert!(matches!(fail("amqp://[::1]:x"), UriError::Port { .. }));
    }

    #[test]
    fn unbracketed_ipv6_is_an_error_with_a_hint() {
        let err = fail("amqp://::1");
        assert!(matches!(err, UriError::Host { .. }), "{err:?}");
        assert!(err.to_string().contains("brackets"), "{err}");
    }

    #[test]
    fn bad_host_characters_are_errors() {
        for url in [
            "amqp://ho st",
            "amqp://ho<st",
            "amqp://ho[st",
            "amqp://ho\"st",
            "amqp://host\n",
            "amqp://h%2fx",
            "amqp://h%3ax",
            "amqp://h%20x",
        ] {
            assert!(matches!(fail(url), UriError::Host { .. }), "{url:?}");
        }
    }

    // --- Port ---

    #[test]
    fn missing_or_empty_port_is_the_default() {
        assert_eq!(parse("amqp://host").port, 5672);
        assert_eq!(parse("amqp://host:").port, 5672);
        assert_eq!(parse("amqps://host:/v").port, 5671);
    }

    #[test]
    fn port_range() {
        assert_eq!(parse("amqp://h:1").port, 1);
        assert_eq!(parse("amqp://h:65535").port, 65535);
        assert_eq!(parse("amqp://h:05672").port, 5672);
    }

    #[test]
    fn bad_port_is_an_error_naming_it() {
        for text in ["0", "65536", "99999", "abc", "-1", "+5", " 5", "5a", "1e3"] {
            let url = format!("amqp://h:{text}/v");
            let err = fail(&url);
            assert_eq!(
                err,
                UriError::Port {
                    text: text.to_owned()
                },
                "{url:?}"
            );
        }
        assert_eq!(
            fail("amqp://host:99999").to_string(),
            "invalid AMQP URL: port \"99999\" is not a number between 1 and 65535"
        );
    }

    // --- Virtual host ---

    #[test]
    fn vhost_forms() {
        assert_eq!(parse("amqp://host").vhost, "/");
        assert_eq!(parse("amqp://host?heartbeat=1").vhost, "/");
        assert_eq!(parse("amqp://host/").vhost, "/");
        assert_eq!(parse("amqp://host/?heartbeat=1").vhost, "/");
        assert_eq!(parse("amqp://host/foo").vhost, "foo");
        assert_eq!(parse("amqp://host/%2Fa%2fb").vhost, "/a/b");
        // An '@' in the vhost must be escaped (see an_at_sign_in_the_vhost_or_query_must_be_escaped).
        assert_eq!(parse("amqp://host/a:b%40c").vhost, "a:b@c");
        assert_eq!(parse("amqp://host/caf%C3%A9").vhost, "café");
    }

    #[test]
    fn vhost_with_unescaped_slash_is_an_error() {
        assert_eq!(
            fail("amqp://host/a/b"),
            UriError::VhostPath {
                path: "/a/b".to_owned()
            }
        );
        assert!(matches!(
            fail("amqp://host/foo/"),
            UriError::VhostPath { .. }
        ));
        assert!(matches!(fail("amqp://host//"), UriError::VhostPath { .. }));
        let err = fail("amqp://host/a/b");
        assert!(err.to_string().contains("%2f"), "{err}");
    }

    #[test]
    fn vhost_length_is_limited_to_255_bytes() {
        assert_eq!(
            parse(&format!("amqp://h/{}", "v".repeat(255))).vhost.len(),
            255
        );
        assert_eq!(
            fail(&format!("amqp://h/{}", "v".repeat(256))),
            UriError::VhostTooLong { len: 256 }
        );
        // Counted after decoding: 255 escapes decode to 255 bytes.
        assert_eq!(
            parse(&format!("amqp://h/{}", "%41".repeat(255)))
                .vhost
                .len(),
            255
        );
        // And in bytes, not characters: 128 'é' are 256 bytes.
        assert_eq!(
            fail(&format!("amqp://h/{}", "%C3%A9".repeat(128))),
            UriError::VhostTooLong { len: 256 }
        );
    }

    #[test]
    fn long_credentials_are_allowed() {
        let long = "x".repeat(1000);
        let options = parse(&format!("amqp://{long}:{long}@h"));
        assert_eq!(options.username.len(), 1000);
        assert_eq!(options.password.len(), 1000);
    }

    // --- Percent-encoding and raw characters ---

    #[test]
    fn percent_decoding_errors_name_the_part() {
        let cases = [
            ("amqp://%zz@h", "user name"),
            ("amqp://u%4@h", "user name"),
            ("amqp://%C3%28@h", "user name"),
            ("amqp://u:%zz@h", "password"),
            ("amqp://u:p%4@h", "password"),
            ("amqp://u:%ff@h", "password"),
            ("amqp://ho%zzst", "host"),
            ("amqp://host%4", "host"),
            ("amqp://h%ff", "host"),
            ("amqp://h/%zz", "virtual host"),
            ("amqp://h/v%", "virtual host"),
            ("amqp://h/%ff", "virtual host"),
            ("amqp://h?%zz=1", "query parameter name"),
            ("amqp://h?heart%4=1", "query parameter name"),
        ];
        for (url, part) in cases {
            assert_eq!(fail(url), UriError::PercentEncoding { part }, "{url:?}");
        }
    }

    #[test]
    fn spaces_and_control_characters_are_errors() {
        let cases = [
            ("amqp://a b@h", "user name"),
            ("amqp://u:p\tw@h", "password"),
            ("amqp://h/v h", "virtual host"),
            ("amqp://h/vhost\n", "virtual host"),
            ("amqp://h?a b=1", "query parameter name"),
        ];
        for (url, part) in cases {
            assert_eq!(fail(url), UriError::InvalidCharacter { part }, "{url:?}");
        }
    }

    #[test]
    fn fragment_is_an_error() {
        assert_eq!(fail("amqp://host#frag"), UriError::Fragment);
        assert_eq!(fail("amqp://host/v#"), UriError::Fragment);
        assert_eq!(fail("amqp://host?heartbeat=5#x"), UriError::Fragment);
        assert_eq!(fail("amqp://u:pa#ss@host"), UriError::Fragment);
    }

    // --- Query parameters ---

    #[test]
    fn heartbeat_parameter() {
        assert_eq!(parse("amqp://h").heartbeat, None);
        assert_eq!(parse("amqp://h?heartbeat=5").heartbeat, Some(5));
        assert_eq!(parse("amqp://h?heartbeat=0").heartbeat, Some(0));
        assert_eq!(parse("amqp://h?heartbeat=65535").heartbeat, Some(65535));
        for value in ["65536", "abc", "", "-1", "+5", "1.5"] {
            let err = fail(&format!("amqp://h?heartbeat={value}"));
            assert!(
                matches!(&err, UriError::QueryValue { name, value: v, .. }
                    if name == "heartbeat" && v == value),
                "{value:?}: {err:?}"
            );
        }
        assert!(matches!(
            fail("amqp://h?heartbeat"),
            UriError::QueryValue { .. }
        ));
    }

    #[test]
    fn frame_max_parameter() {
        assert_eq!(parse("amqp://h").frame_max, 131_072);
        assert_eq!(parse("amqp://h?frame_max=0").frame_max, 0);
        assert_eq!(parse("amqp://h?frame_max=4096").frame_max, 4096);
        assert_eq!(parse("amqp://h?frame_max=4294967295").frame_max, u32::MAX);
        for value in ["1", "4095", "4294967296", "x", ""] {
            let err = fail(&format!("amqp://h?frame_max={value}"));
            assert!(
                matches!(&err, UriError::QueryValue { name, .. } if name == "frame_max"),
                "{value:?}: {err:?}"
            );
        }
    }

    #[test]
    fn channel_max_parameter() {
        assert_eq!(parse("amqp://h").channel_max, 2047);
        assert_eq!(parse("amqp://h?channel_max=0").channel_max, 0);
        assert_eq!(parse("amqp://h?channel_max=65535").channel_max, 65535);
        for value in ["65536", "-1", "many"] {
            assert!(matches!(
                fail(&format!("amqp://h?channel_max={value}")),
                UriError::QueryValue { .. }
            ));
        }
    }

    #[test]
    fn request_timeout_parameter_is_in_seconds_and_zero_means_none() {
        assert_eq!(
            ConnectionOptions::default().request_timeout,
            Some(Duration::from_secs(60))
        );
        assert_eq!(
            parse("amqp://h?request_timeout=5").request_timeout,
            Some(Duration::from_secs(5))
        );
        assert_eq!(parse("amqp://h?request_timeout=0").request_timeout, None);
        for bad in ["-1", "1.5", "", "x", "99999999999999999999"] {
            let err = fail(&format!("amqp://h?request_timeout={bad}"));
            assert!(
                matches!(&err, UriError::QueryValue { name, .. } if name == "request_timeout"),
                "{bad:?}: {err:?}"
            );
        }
        assert_eq!(
            fail("amqp://h?request_timeout=1&request_timeout=2"),
            UriError::DuplicateParameter {
                name: "request_timeout".to_owned()
            }
        );
    }

    #[test]
    fn max_message_size_parameter_is_in_bytes() {
        assert_eq!(ConnectionOptions::default().max_message_size, 128 << 20);
        assert_eq!(
            parse("amqp://h?max_message_size=1048576").max_message_size,
            1 << 20
        );
        assert_eq!(
            parse("amqp://h?MAX_MESSAGE_SIZE=18446744073709551615").max_message_size,
            u64::MAX
        );
        for bad in ["0", "-1", "1e6", "", "18446744073709551616"] {
            let err = fail(&format!("amqp://h?max_message_size={bad}"));
            assert!(
                matches!(&err, UriError::QueryValue { name, .. } if name == "max_message_size"),
                "{bad:?}: {err:?}"
            );
        }
    }

    #[test]
    fn connection_timeout_parameter_is_in_milliseconds() {
        assert_eq!(
            parse("amqp://h?connection_timeout=10000").connection_timeout,
            Duration::from_secs(10)
        );
        assert_eq!(
            parse("amqp://h?connection_timeout=1").connection_timeout,
            Duration::from_millis(1)
        );
        assert_eq!(
            parse("amqp://h?connection_timeout=18446744073709551615").connection_timeout,
            Duration::from_millis(u64::MAX)
        );
        for value in ["0", "1s", "-5", "18446744073709551616", ""] {
            assert!(matches!(
                fail(&format!("amqp://h?connection_timeout={value}")),
                UriError::QueryValue { .. }
            ));
        }
    }

    #[test]
    fn auth_mechanism_parameter() {
        assert_eq!(
            parse("amqp://h?auth_mechanism=plain").auth_mechanism,
            AuthMechanism::Plain
        );
        assert_eq!(
            parse("amqp://h?auth_mechanism=AMQPlain").auth_mechanism,
            AuthMechanism::AmqPlain
        );
        assert_eq!(
            parse("amqps://h?auth_mechanism=EXTERNAL").auth_mechanism,
            AuthMechanism::External
        );
    }

    #[test]
    fn repeated_auth_mechanism_takes_the_first_supported() {
        assert_eq!(
            parse("amqp://h?auth_mechanism=scram-sha-256&auth_mechanism=external&auth_mechanism=plain")
                .auth_mechanism,
            AuthMechanism::External
        );
        assert_eq!(
            parse("amqp://h?auth_mechanism=amqplain&heartbeat=1&auth_mechanism=plain")
                .auth_mechanism,
            AuthMechanism::AmqPlain
        );
    }

    #[test]
    fn no_supported_auth_mechanism_is_an_error() {
        let err = fail("amqp://h?auth_mechanism=foo&auth_mechanism=bar");
        assert_eq!(
            err,
            UriError::UnsupportedAuthMechanism {
                names: "\"foo\", \"bar\"".to_owned()
            }
        );
        assert!(err.to_string().contains("\"foo\", \"bar\""), "{err}");
        assert!(matches!(
            fail("amqp://h?auth_mechanism="),
            UriError::UnsupportedAuthMechanism { .. }
        ));
    }

    #[test]
    fn locale_parameter() {
        assert_eq!(parse("amqp://h?locale=de_DE").locale, "de_DE");
        assert_eq!(parse("amqp://h?locale=en%5FGB").locale, "en_GB");
        assert!(matches!(
            fail("amqp://h?locale="),
            UriError::QueryValue { .. }
        ));
        assert!(matches!(
            fail(&format!("amqp://h?locale={}", "x".repeat(256))),
            UriError::QueryValue { .. }
        ));
    }

    #[test]
    fn all_parameters_together() {
        let options = parse(
            "amqps://u:p@h:1/v?heartbeat=10&frame_max=8192&channel_max=16\
             &connection_timeout=2500&auth_mechanism=external&locale=fr_FR",
        );
        assert_eq!(
            options,
            ConnectionOptions {
                host: "h".to_owned(),
                port: 1,
                tls: true,
                username: "u".to_owned(),
                password: "p".to_owned(),
                vhost: "v".to_owned(),
                heartbeat: Some(10),
                frame_max: 8192,
                channel_max: 16,
                connection_timeout: Duration::from_millis(2500),
                auth_mechanism: AuthMechanism::External,
                locale: "fr_FR".to_owned(),
                ..ConnectionOptions::default()
            }
        );
    }

    #[test]
    fn unknown_parameters_are_ignored() {
        let options = parse(
            "amqps://h?depth=3&verify=verify_peer\
             &fail_if_no_peer_cert=true&password=%zz&heartbeat=7&flag",
        );
        assert_eq!(options.heartbeat, Some(7));
        assert_eq!(
            options,
            ConnectionOptions {
                host: "h".to_owned(),
                port: 5671,
                tls: true,
                heartbeat: Some(7),
                ..ConnectionOptions::default()
            }
        );
    }

    #[test]
    fn parameter_names_are_case_insensitive_and_decoded() {
        assert_eq!(parse("amqp://h?HeartBeat=5").heartbeat, Some(5));
        assert_eq!(parse("amqp://h?heart%62eat=5").heartbeat, Some(5));
        assert_eq!(parse("amqp://h?heartbeat=%35").heartbeat, Some(5));
    }

    #[test]
    fn duplicate_parameter_is_an_error() {
        assert_eq!(
            fail("amqp://h?heartbeat=5&heartbeat=6"),
            UriError::DuplicateParameter {
                name: "heartbeat".to_owned()
            }
        );
        assert!(matches!(
            fail("amqp://h?locale=a&LOCALE=b"),
            UriError::DuplicateParameter { .. }
        ));
    }

    #[test]
    fn empty_query_pieces_are_skipped() {
        assert_eq!(parse("amqp://h?"), parse("amqp://h"));
        assert_eq!(parse("amqp://h?&&heartbeat=5&").heartbeat, Some(5));
    }

    #[test]
    fn bad_query_value_encoding_is_an_error_naming_the_parameter() {
        let err = fail("amqp://h?heartbeat=%zz");
        assert_eq!(
            err,
            UriError::QueryValue {
                name: "heartbeat".to_owned(),
                value: "%zz".to_owned(),
                reason: "has invalid percent-encoding",
            }
        );
        assert!(matches!(
            fail("amqp://h?locale=a%20b c"),
            UriError::QueryValue { .. }
        ));
    }

    #[test]
    fn query_value_error_text() {
        assert_eq!(
            fail("amqp://h?heartbeat=abc").to_string(),
            "invalid AMQP URL: query parameter heartbeat has value \"abc\", which is not a \
             whole number of seconds from 0 to 65535"
        );
    }

    // --- Secrecy ---

    #[test]
    fn debug_does_not_show_the_password() {
        let options = parse("amqp://alice:Sup3rS3cret@host/v");
        let debug = format!("{options:?}");
        assert!(!debug.contains("Sup3rS3cret"), "{debug}");
        assert!(debug.contains("***"), "{debug}");
        assert!(debug.contains("alice"), "{debug}");
        assert!(debug.contains("host"), "{debug}");
        let pretty = format!("{options:#?}");
        assert!(!pretty.contains("Sup3rS3cret"), "{pretty}");
    }

    #[test]
    fn errors_never_show_the_password() {
        let urls = [
            "amqp://user:Sup3rS3cret@host:99999",
            "amqp://user:Sup3rS3cret@ho st",
            "amqp://user:Sup3rS3cret@[::1",
            "amqp://user:Sup3rS3cret@host/a/b",
            "amqp://user:Sup3rS3cret@host?heartbeat=x",
            "amqp://user:Sup3rS3cret@host?auth_mechanism=x",
            "amqp://user:Sup3rS3cret@host#x",
            "amqp://user:Sup3rS3cret%zz@host",
            "amqp://user:Sup3rS3cret%00@host",
            "amqp://user:Sup3rS3cret\n@host",
            "amqp://user:Sup3rS3cret@host/%zz",
            "amqp://user:Sup3r/S3cret@host",
            "amqp://user:Sup3r?S3cret@host",
            "amqp://user:Sup3r#S3cret@host",
            "amqp://user:Sup3r:S3cret/x@host",
            "amqp://user:Sup3rS3cret/@host",
            "http://user:Sup3rS3cret@host",
            "amqp:user:Sup3rS3cret@host",
        ];
        for url in urls {
            let err = fail(url);
            for shown in [err.to_string(), format!("{err:?}")] {
                assert!(!shown.contains("Sup3r"), "{url:?}: {shown}");
                assert!(!shown.contains("S3cret"), "{url:?}: {shown}");
            }
        }
    }

    #[test]
    fn misplaced_userinfo_hides_the_host_and_port() {
        assert_eq!(fail("amqp://user:pa/ss@host"), UriError::MisplacedUserinfo);
        assert_eq!(fail("amqp://user:pa?ss@host"), UriError::MisplacedUserinfo);
        // Without an '@' further on, the port is shown as usual.
        assert_eq!(
            fail("amqp://host:pass/vhost"),
            UriError::Port {
                text: "pass".to_owned()
            }
        );
    }

    #[test]
    fn auth_mechanism_names() {
        assert_eq!(AuthMechanism::Plain.name(), "PLAIN");
        assert_eq!(AuthMechanism::AmqPlain.name(), "AMQPLAIN");
        assert_eq!(AuthMechanism::External.name(), "EXTERNAL");
        assert_eq!(AuthMechanism::default(), AuthMechanism::Plain);
    }

    #[test]
    fn error_texts_name_the_part() {
        assert_eq!(
            fail("amqp://u:%zz@h").to_string(),
            "invalid AMQP URL: the password has invalid percent-encoding (each '%' must \
             be followed by two hex digits, and the decoded text must be UTF-8)"
        );
        assert_eq!(
            fail("amqp://h/a/b").to_string(),
            "invalid AMQP URL: path \"/a/b\" has more than one segment; write a '/' inside \
             the virtual host name as %2f"
        );
        assert_eq!(
            fail("mqtt://h").to_string(),
            "invalid AMQP URL: scheme \"mqtt\" is not supported; use amqp or amqps"
        );
        assert!(fail(&format!("amqp://h/{}", "v".repeat(300)))
            .to_string()
            .contains("300 bytes"));
    }
}

#[cfg(test)]
mod tls_parameter_tests {
    use super::*;

    #[test]
    fn tls_file_parameters() {
        let o = ConnectionOptions::from_url(
            "amqps://h/?cacertfile=/etc/ca%20dir/ca.pem&certfile=c.pem&keyfile=k.pem&server_name_indication=broker.example",
        )
        .unwrap();
        assert!(o.tls);
        assert_eq!(o.port, 5671);
        assert_eq!(
            o.ca_file.as_deref(),
            Some(std::path::Path::new("/etc/ca dir/ca.pem"))
        );
        assert_eq!(o.cert_file.as_deref(), Some(std::path::Path::new("c.pem")));
        assert_eq!(o.key_file.as_deref(), Some(std::path::Path::new("k.pem")));
        assert_eq!(o.server_name.as_deref(), Some("broker.example"));
        assert!(ConnectionOptions::from_url("amqps://h/?cacertfile=").is_err());
    }
}
