//! The broker the integration tests talk to: the one at `AMQP_URL`, or the
//! project's private RabbitMQ, started by `scripts/broker.sh` when nothing
//! answers there.
#![allow(dead_code)] // each test binary uses part of it

use std::net::{TcpStream, ToSocketAddrs};
use std::sync::OnceLock;
use std::time::Duration;

/// Default URL; `%2f` is the vhost `/`.
pub const DEFAULT_URL: &str = "amqp://guest:guest@localhost:5672/%2f";

fn answers(url: &str) -> bool {
    let rest = url.split("://").nth(1).unwrap_or(url);
    let hostport = rest.rsplit('@').next().unwrap_or(rest);
    let hostport = hostport.split(['/', '?']).next().unwrap_or(hostport);
    let hostport = if hostport.contains(':') {
        hostport.to_string()
    } else {
        format!("{hostport}:5672")
    };
    hostport
        .to_socket_addrs()
        .ok()
        .and_then(|mut addrs| addrs.next())
        .is_some_and(|addr| TcpStream::connect_timeout(&addr, Duration::from_secs(2)).is_ok())
}

/// The broker URL, after making sure something answers there. Panics with
/// instructions when no broker can be reached or started.
pub fn broker_url() -> String {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| {
        let url = std::env::var("AMQP_URL").unwrap_or_else(|_| DEFAULT_URL.to_string());
        if answers(&url) {
            return url;
        }
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/broker.sh");
        let status = std::process::Command::new("bash")
            .arg(script)
            .arg("start")
            .env("AMQP_URL", &url)
            .status();
        match status {
            Ok(s) if s.success() && answers(&url) => url,
            other => panic!(
                "no AMQP broker answers at {url} and scripts/broker.sh could not start one ({other:?}).\n\
                 Start one with `scripts/broker.sh start`, or point AMQP_URL at a broker."
            ),
        }
    })
    .clone()
}

/// A name no other test (or earlier run) uses.
pub fn unique(prefix: &str) -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!(
        "{prefix}-{}-{nanos}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// Bounds every wait on the broker, so a bug fails the test instead of hanging it.
pub async fn within<T>(what: &str, f: impl std::future::Future<Output = T>) -> T {
    match tokio::time::timeout(Duration::from_secs(60), f).await {
        Ok(v) => v,
        Err(_) => panic!("{what}: no answer within 60 s"),
    }
}

/// A server-named exclusive queue (gone with the connection).
pub async fn temp_queue(ch: &amqp091::Channel) -> String {
    ch.queue_declare(
        "",
        amqp091::QueueDeclareOptions {
            exclusive: true,
            ..Default::default()
        },
        amqp091::FieldTable::new(),
    )
    .await
    .expect("declare a server-named queue")
    .name
}
