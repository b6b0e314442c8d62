//! The broker the integration tests talk to: the one at `AMQP_URL`, or the
//! project's private RabbitMQ, started by `scripts/broker.sh` when nothing
//! answers there.
#![allow(dead_code)] // each test binary uses part of it

#[cfg(feature = "cli")]
pub mod bin;

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

/// Runs `rabbitmqctl` against the project's private RabbitMQ (the one
/// `scripts/broker.sh` starts, node `amqp091@localhost`, files under
/// `target/rabbitmq`). Panics when it fails: the tests that need it manage
/// the broker (users, forced closes) and cannot run against another one.
pub fn rabbitmqctl(args: &[&str]) -> String {
    let home = concat!(env!("CARGO_MANIFEST_DIR"), "/target/rabbitmq");
    let out = std::process::Command::new("/usr/lib/rabbitmq/bin/rabbitmqctl")
        .arg("-n")
        .arg("amqp091@localhost")
        .args(args)
        .env("HOME", home)
        .output()
        .unwrap_or_else(|e| panic!("rabbitmqctl {args:?}: {e}"));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "rabbitmqctl {args:?} failed (these tests need the private RabbitMQ of scripts/broker.sh): {}{}",
        text,
        String::from_utf8_lossy(&out.stderr)
    );
    text
}

/// A user of its own on the private RabbitMQ (all permissions on `/`), so
/// that a test can have the broker close its connections and no others'.
pub fn own_user(prefix: &str) -> (String, String) {
    let user = unique(prefix);
    rabbitmqctl(&["add_user", &user, "pw"]);
    rabbitmqctl(&["set_permissions", "-p", "/", &user, ".*", ".*", ".*"]);
    (user, "pw".to_string())
}
