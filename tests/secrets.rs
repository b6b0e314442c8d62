//! The password never appears in logs (at any level), errors or `Debug`
//! output (the options', the core's with its start-ok waiting), nor in the
//! errors of malformed URLs, panic messages of applications that unwrap
//! them, or the CLI's stderr; nor does any 8-character fragment of it. A subscriber records every
//! span field and event at TRACE level while connections are made, used,
//! refused and closed.

mod common;

use std::fmt::Write as _;
use std::sync::{Arc, Mutex};

use amqp091::{Connection, ConnectionOptions};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

const PASSWORD: &str = "s3cr3t-Pa55w0rd-never-logged";

/// A fragment of the password (8 characters or more) in `out`, if any: a
/// secret cut in two still leaks.
fn leak(out: &str) -> Option<&'static str> {
    (0..=PASSWORD.len() - 8)
        .map(|i| &PASSWORD[i..i + 8])
        .find(|w| out.contains(w))
}

/// Records everything, as text.
#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<String>>);

struct Text<'a>(&'a mut String);

impl Visit for Text<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, " {}={:?}", field.name(), value);
    }
}

impl Recorder {
    fn push(&self, f: impl FnOnce(&mut String)) {
        let mut log = self.0.lock().unwrap();
        f(&mut log);
        log.push('\n');
    }
    fn text(&self) -> String {
        self.0.lock().unwrap().clone()
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        self.push(|log| {
            let _ = write!(log, "span {}", span.metadata().name());
            span.record(&mut Text(log));
        });
        Id::from_u64(1)
    }
    fn record(&self, _: &Id, values: &Record<'_>) {
        self.push(|log| values.record(&mut Text(log)));
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        self.push(|log| {
            let _ = write!(
                log,
                "{} {}",
                event.metadata().level(),
                event.metadata().target()
            );
            event.record(&mut Text(log));
        });
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_password_is_never_logged_or_printed() {
    let recorder = Recorder::default();
    tracing::subscriber::set_global_default(recorder.clone()).expect("install the recorder");

    let base = ConnectionOptions::from_url(&common::broker_url()).unwrap();
    let mut outputs = Vec::new();

    // Refused: the broker closes with 403 (the broker logs nothing of ours).
    let mut wrong = base.clone();
    wrong.password = PASSWORD.to_string();
    outputs.push(format!("{wrong:?}"));
    let err = Connection::connect_with(wrong.clone()).await.unwrap_err();
    outputs.push(format!("{err} {err:?}"));

    // AMQPLAIN too.
    wrong.auth_mechanism = amqp091::AuthMechanism::AmqPlain;
    let err = Connection::connect_with(wrong).await.unwrap_err();
    outputs.push(format!("{err} {err:?}"));

    // A password in a URL that is otherwise wrong.
    let url = format!("amqp://guest:{PASSWORD}@localhost:99999/");
    let err = Connection::connect(&url).await.unwrap_err();
    outputs.push(format!("{err} {err:?}"));

    // Accepted: a whole session at TRACE level, with the configured
    // password rewritten into the options' Debug.
    let conn = Connection::connect_with(base.clone()).await.unwrap();
    outputs.push(format!("{conn:?}"));
    let ch = conn.open_channel().await.unwrap();
    let q = ch
        .queue_declare(
            "",
            amqp091::QueueDeclareOptions {
                exclusive: true,
                ..Default::default()
            },
            Default::default(),
        )
        .await
        .unwrap();
    ch.basic_publish(
        "",
        &q.name,
        Default::default(),
        &Default::default(),
        PASSWORD.as_bytes(),
    )
    .await
    .unwrap();
    conn.close().await.unwrap();
    let mut with_secret = base;
    with_secret.password = PASSWORD.to_string();
    outputs.push(format!("{with_secret:?}"));
    outputs.push(format!(
        "{:?}",
        amqp091::proto::Config::from(with_secret.clone())
    ));
    // The protocol core, with the start-ok (and the password) waiting to be written.
    let mut core = amqp091::proto::Connection::new(with_secret.into(), std::time::Instant::now());
    let mut start = amqp091::testing::frames::encode(&[amqp091::testing::frames::method(
        0,
        amqp091::testing::frames::connection_start(),
    )]);
    core.handle_input(&mut start, std::time::Instant::now());
    assert!(
        core.pending_transmit() > 0,
        "the start-ok waits to be written"
    );
    outputs.push(format!("{core:?}"));

    // Malformed URLs that carry a password: no part of it in the error.
    for url in [
        format!("amqp://guest:{PASSWORD}@"),
        format!("amqp://guest:{PASSWORD}@host:notaport/"),
        format!("amqp://guest:{PASSWORD}@[::1/"),
        format!("amqp://guest:{PASSWORD}@host/v?heartbeat=x"),
        format!("amqp://localhost:/{PASSWORD}@127.0.0.1"),
        format!("http://guest:{PASSWORD}@host/"),
    ] {
        if let Err(e) = ConnectionOptions::from_url(&url) {
            outputs.push(format!("{e} {e:?}"));
        }
    }

    let log = recorder.text();
    assert!(
        log.contains("amqp091.connection"),
        "the recorder saw the connection span:\n{log}"
    );
    assert!(log.contains("TRACE"), "trace-level events were recorded");
    // The message body carried the secret on purpose: bodies are not logged either.
    assert_eq!(leak(&log), None, "password in the logs:\n{log}");
    for out in outputs {
        assert_eq!(leak(&out), None, "password in output: {out}");
    }
}

/// What `.unwrap()` and `.expect()` print when an application panics on
/// one of our errors (the message is the error's `Debug`) says nothing of
/// the password: malformed URLs, a refused connection.
#[test]
fn a_panic_on_an_error_says_nothing_of_the_password() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let printed = Arc::new(Mutex::new(String::new()));
    // Panics of this thread are recorded; other tests' go to the usual hook.
    let usual: Arc<dyn Fn(&std::panic::PanicHookInfo<'_>) + Send + Sync> =
        Arc::from(std::panic::take_hook());
    let here = std::thread::current().id();
    std::panic::set_hook(Box::new({
        let (printed, usual) = (printed.clone(), usual.clone());
        move |info| match std::thread::current().id() == here {
            true => {
                let _ = writeln!(printed.lock().unwrap(), "{info}");
            }
            false => usual(info),
        }
    }));
    let urls = [
        format!("amqp://guest:{PASSWORD}@host:notaport/"),
        format!("amqp://guest:{PASSWORD}@[::1/"),
        format!("amqp://localhost:/{PASSWORD}@127.0.0.1"),
        format!("amqp://guest:{PASSWORD}@host/v?heartbeat=x"),
    ];
    let mut panics = 0;
    for url in &urls {
        let r = std::panic::catch_unwind(|| ConnectionOptions::from_url(url).unwrap());
        panics += usize::from(r.is_err());
    }
    // Nothing listens on port 1: the connect fails, the application unwraps.
    let refused = format!("amqp://guest:{PASSWORD}@127.0.0.1:1/%2f");
    let r =
        std::panic::catch_unwind(|| rt.block_on(Connection::connect(&refused)).expect("connect"));
    panics += usize::from(r.is_err());
    std::panic::set_hook(Box::new(move |info| usual(info)));
    let printed = printed.lock().unwrap().clone();
    assert!(panics >= 4, "{panics} panics:\n{printed}");
    assert!(printed.contains("panicked"), "{printed}");
    assert_eq!(
        leak(&printed),
        None,
        "password in a panic message:\n{printed}"
    );
}

/// The CLI's one-line error for a refused login, and for a URL it cannot
/// parse, say nothing of the password.
#[cfg(feature = "cli")]
#[test]
fn the_cli_never_prints_the_password() {
    let base = ConnectionOptions::from_url(&common::broker_url()).unwrap();
    for url in [
        format!(
            "amqp://{}:{PASSWORD}@{}:{}/%2f",
            base.username, base.host, base.port
        ),
        format!("amqp://guest:{PASSWORD}@host:notaport/"),
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_amqp091"))
            .args(["--url", &url, "--timeout", "10", "declare", "queue", "x"])
            .output()
            .expect("run amqp091");
        assert!(!out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stderr.contains("error"), "{stderr}");
        assert_eq!(leak(&stderr), None, "{stderr}");
        assert_eq!(leak(&stdout), None, "{stdout}");
    }
}
