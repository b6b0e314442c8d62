//! The broker to test: an `amqp://` URL taken apart, and the loopback check
//! (the runner sends deliberately broken traffic, so by default only to
//! this machine).

use std::net::IpAddr;

/// Host, port, credentials and virtual host of the broker under test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Host name or address (IPv6 without brackets).
    pub host: String,
    /// TCP port.
    pub port: u16,
    /// User name for PLAIN.
    pub user: String,
    /// Password for PLAIN.
    pub password: String,
    /// Virtual host (`amqp://h` is `/`; `amqp://h/` is the empty name).
    pub vhost: String,
}

/// A URL the runner cannot use.
#[derive(Debug, thiserror::Error)]
#[error("bad broker URL: {0}")]
pub struct UrlError(pub String);

impl Target {
    /// Parses `amqp://user:password@host:port/vhost` (percent-decoded; the
    /// query, if any, is ignored). `amqps` is refused: the runner speaks
    /// plain TCP.
    pub fn parse(url: &str) -> Result<Target, UrlError> {
        let rest = url
            .strip_prefix("amqp://")
            .ok_or_else(|| UrlError(format!("{url:?} does not start with amqp://")))?;
        let rest = rest.split(['?', '#']).next().unwrap_or("");
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], Some(&rest[i + 1..])),
            None => (rest, None),
        };
        let (userinfo, hostport) = match authority.rfind('@') {
            Some(i) => (Some(&authority[..i]), &authority[i + 1..]),
            None => (None, authority),
        };
        let (user, password) = match userinfo {
            Some(u) => match u.find(':') {
                Some(i) => (decode(&u[..i])?, decode(&u[i + 1..])?),
                None => (decode(u)?, "guest".to_string()),
            },
            None => ("guest".to_string(), "guest".to_string()),
        };
        let (host, port) = if let Some(v6) = hostport.strip_prefix('[') {
            let end = v6
                .find(']')
                .ok_or_else(|| UrlError("unclosed [ in the host".into()))?;
            let port = v6[end + 1..].strip_prefix(':');
            (v6[..end].to_string(), port)
        } else {
            match hostport.rfind(':') {
                Some(i) => (hostport[..i].to_string(), Some(&hostport[i + 1..])),
                None => (hostport.to_string(), None),
            }
        };
        let port = match port {
            Some(p) => p.parse().map_err(|_| UrlError(format!("bad port {p:?}")))?,
            None => 5672,
        };
        let host = if host.is_empty() {
            "localhost".to_string()
        } else {
            decode(&host)?
        };
        let vhost = match path {
            None => "/".to_string(),
            Some(p) => decode(p)?,
        };
        Ok(Target {
            host,
            port,
            user,
            password,
            vhost,
        })
    }

    /// `host:port` for connecting.
    pub fn addr(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }

    /// The URL without the password (for reports).
    pub fn display(&self) -> String {
        format!(
            "amqp://{}@{}/{}",
            self.user,
            self.addr(),
            encode_vhost(&self.vhost)
        )
    }

    /// Whether every address the host resolves to is a loopback address.
    pub async fn is_loopback(&self) -> bool {
        if let Ok(ip) = self.host.parse::<IpAddr>() {
            return ip.is_loopback();
        }
        match tokio::net::lookup_host(self.addr()).await {
            Ok(addrs) => {
                let addrs: Vec<_> = addrs.collect();
                !addrs.is_empty() && addrs.iter().all(|a| a.ip().is_loopback())
            }
            Err(_) => false,
        }
    }
}

fn encode_vhost(v: &str) -> String {
    v.replace('%', "%25").replace('/', "%2f")
}

fn decode(s: &str) -> Result<String, UrlError> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| UrlError(format!("bad percent-escape in {s:?}")))?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| UrlError(format!("{s:?} is not UTF-8 once decoded")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_usual_urls() {
        let t = Target::parse("amqp://guest:guest@localhost:5672/%2f").unwrap();
        assert_eq!(
            (t.host.as_str(), t.port, t.vhost.as_str()),
            ("localhost", 5672, "/")
        );
        assert_eq!(Target::parse("amqp://h").unwrap().vhost, "/");
        assert_eq!(Target::parse("amqp://h/").unwrap().vhost, "");
        let t = Target::parse("amqp://u:p%40ss@[::1]:5674/v?heartbeat=1").unwrap();
        assert_eq!(
            (
                t.password.as_str(),
                t.host.as_str(),
                t.port,
                t.vhost.as_str()
            ),
            ("p@ss", "::1", 5674, "v")
        );
        assert!(Target::parse("http://x").is_err());
    }
}
