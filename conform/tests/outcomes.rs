//! The runner's own verdicts, against a scripted broker: each outcome
//! (pass, fail, deviation, not applicable, error, timeout), a broker that
//! stops answering, and the JSON and JUnit outputs.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use amqp091_codec::method::{
    ChannelClose, ChannelOpenOk, ConnectionCloseOk, ConnectionOpenOk, ConnectionStart,
    ConnectionTune, ExchangeDeclareOk, ExchangeDeleteOk,
};
use amqp091_codec::{FieldTable, FieldValue, Frame, FrameDecoder, LongStr, Method};
use amqp091_conform::catalogue::{self, Entry};
use amqp091_conform::deviations::Deviations;
use amqp091_conform::exec::Timing;
use amqp091_conform::report;
use amqp091_conform::runner::{self, Config, Outcome, Report};
use amqp091_conform::target::Target;
use bytes::BytesMut;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// How the scripted broker answers a method after the handshake (`None`: silence).
type Responder = fn(u16, &Method) -> Option<Method>;

/// A scripted broker: `product`, no capabilities, answering with `respond`.
/// Connection number `refuse` (1-based) is closed right after its protocol
/// header; after `serve` connections the listener goes away.
struct Script {
    product: &'static str,
    respond: Responder,
    refuse: Option<usize>,
    serve: Option<usize>,
}

async fn start(script: Script) -> Target {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let script = Arc::new(script);
    let count = Arc::new(AtomicUsize::new(0));
    tokio::spawn(async move {
        loop {
            let Ok((sock, _)) = listener.accept().await else {
                return;
            };
            let n = count.fetch_add(1, Ordering::SeqCst) + 1;
            let this = script.clone();
            tokio::spawn(async move {
                let _ = serve(sock, &this, this.refuse == Some(n)).await;
            });
            if script.serve == Some(n) {
                return; // the listener drops: the broker stopped answering
            }
        }
    });
    Target::parse(&format!("amqp://guest:guest@127.0.0.1:{port}/%2f")).unwrap()
}

async fn send(sock: &mut TcpStream, channel: u16, method: Method) -> std::io::Result<()> {
    let mut buf = BytesMut::new();
    Frame::Method { channel, method }.encode(&mut buf);
    sock.write_all(&buf).await
}

async fn serve(mut sock: TcpStream, script: &Script, refuse: bool) -> std::io::Result<()> {
    let mut header = [0u8; 8];
    sock.read_exact(&mut header).await?;
    if refuse {
        return Ok(());
    }
    let mut props = FieldTable::new();
    props.insert(
        "product",
        FieldValue::LongStr(LongStr::from(script.product)),
    );
    props.insert("version", FieldValue::LongStr(LongStr::from("1.0")));
    let start = ConnectionStart {
        version_major: 0,
        version_minor: 9,
        server_properties: props,
        mechanisms: LongStr::from("PLAIN"),
        locales: LongStr::from("en_US"),
    };
    send(&mut sock, 0, start.into()).await?;
    let mut buf = BytesMut::new();
    let mut decoder = FrameDecoder::new(0);
    loop {
        let frame = loop {
            if let Some(f) = decoder
                .decode_frame(&mut buf)
                .map_err(std::io::Error::other)?
            {
                break f;
            }
            if sock.read_buf(&mut buf).await? == 0 {
                return Ok(());
            }
        };
        let Frame::Method { channel, method } = frame else {
            continue;
        };
        let reply: Option<Method> = match &method {
            Method::ConnectionStartOk(_) => Some(
                ConnectionTune {
                    channel_max: 10,
                    frame_max: 131_072,
                    heartbeat: 0,
                }
                .into(),
            ),
            Method::ConnectionTuneOk(_) => None,
            Method::ConnectionOpen(_) => Some(ConnectionOpenOk::default().into()),
            Method::ChannelOpen(_) => Some(ChannelOpenOk::default().into()),
            Method::ConnectionClose(_) => {
                send(&mut sock, 0, ConnectionCloseOk::default().into()).await?;
                return Ok(());
            }
            Method::ChannelCloseOk(_) => None,
            Method::QueueDeclare(d) if d.exclusive && d.queue.as_bytes().ends_with(b".probe") => {
                Some(
                    amqp091_codec::method::QueueDeclareOk {
                        queue: d.queue.clone(),
                        ..Default::default()
                    }
                    .into(),
                )
            }
            other => (script.respond)(channel, other),
        };
        if let Some(reply) = reply {
            send(&mut sock, channel, reply).await?;
        }
    }
}

fn entries(keys: &[&str]) -> Vec<Entry> {
    keys.iter()
        .map(|k| {
            *catalogue::all()
                .iter()
                .find(|e| e.key == *k)
                .expect("a catalogue key")
        })
        .collect()
}

async fn run(target: Target, keys: &[&str]) -> Report {
    let config = Config {
        target,
        timing: Timing {
            reply: Duration::from_millis(300),
            silence: Duration::from_millis(100),
        },
        restart_cmd: None,
        run_id: "test-run".into(),
        deviations: Deviations::builtin(),
        scenario_limit: Duration::from_secs(10),
    };
    runner::run(&config, &entries(keys))
        .await
        .expect("the probe connects")
}

const NOT_FOUND: &str = "exchange/declare/passive/not-found";
const DELETE_MISSING: &str = "exchange/delete/exchange/exists";

fn close_404(_: u16, m: &Method) -> Option<Method> {
    match m {
        Method::ExchangeDeclare(_) => Some(
            ChannelClose {
                reply_code: 404,
                ..Default::default()
            }
            .into(),
        ),
        _ => None,
    }
}

fn always_ok(_: u16, m: &Method) -> Option<Method> {
    match m {
        Method::ExchangeDeclare(_) => Some(ExchangeDeclareOk::default().into()),
        Method::ExchangeDelete(_) => Some(ExchangeDeleteOk::default().into()),
        _ => None,
    }
}

fn silent(_: u16, _: &Method) -> Option<Method> {
    None
}

fn broker(product: &'static str, respond: Responder) -> Script {
    Script {
        product,
        respond,
        refuse: None,
        serve: None,
    }
}

#[tokio::test]
async fn pass_when_the_broker_closes_the_channel_with_404() {
    let report = run(start(broker("Scripted", close_404)).await, &[NOT_FOUND]).await;
    assert_eq!(
        report.results[0].outcome,
        Outcome::Pass,
        "{:?}",
        report.results[0]
    );
    assert_eq!(report.exit_code(false), 0);
}

#[tokio::test]
async fn fail_with_expected_observed_and_frames() {
    let report = run(start(broker("Scripted", always_ok)).await, &[NOT_FOUND]).await;
    let r = &report.results[0];
    assert_eq!(r.outcome, Outcome::Fail);
    assert_eq!(
        r.expected.as_deref(),
        Some("ch1 channel.close reply-code 404")
    );
    assert!(
        r.observed
            .as_deref()
            .unwrap()
            .contains("exchange.declare-ok"),
        "{r:?}"
    );
    assert!(r
        .frames
        .iter()
        .any(|f| f.contains(">> ch1 exchange.declare") && f.contains("passive=true")));
    assert_eq!(report.exit_code(false), 1);
}

#[tokio::test]
async fn deviation_when_the_product_documents_it() {
    let report = run(
        start(broker("RabbitMQ", always_ok)).await,
        &[DELETE_MISSING],
    )
    .await;
    let r = &report.results[0];
    assert_eq!(r.outcome, Outcome::Deviation, "{r:?}");
    assert!(r.note.as_deref().unwrap().contains("rabbitmq.com"));
    assert_eq!(report.exit_code(false), 0);
    assert_eq!(report.exit_code(true), 1, "--strict counts deviations");
    // The same behaviour from another product is a failure.
    let report = run(start(broker("Other", always_ok)).await, &[DELETE_MISSING]).await;
    assert_eq!(report.results[0].outcome, Outcome::Fail);
}

#[tokio::test]
async fn not_applicable_without_the_capability_or_when_not_observable() {
    let report = run(
        start(broker("Scripted", silent)).await,
        &["extensions/basic.nack", "connection/close-ok/reporting"],
    )
    .await;
    assert!(
        report
            .results
            .iter()
            .all(|r| r.outcome == Outcome::NotApplicable),
        "{:?}",
        report.results
    );
    assert!(report.results[0]
        .note
        .as_deref()
        .unwrap()
        .contains("capabilities.basic.nack"));
    assert_eq!(report.exit_code(true), 0);
}

#[tokio::test]
async fn rules_that_restart_the_broker_are_not_applicable_without_a_restart_command() {
    let keys = [
        "basic/01",
        "queue/declare/durable/persistence",
        "queue/bind/durable-exchange",
    ];
    let report = run(start(broker("Scripted", always_ok)).await, &keys).await;
    for r in &report.results {
        assert_eq!(r.outcome, Outcome::NotApplicable, "{r:?}");
        assert!(
            r.note.as_deref().unwrap_or("").contains("--restart-cmd"),
            "{r:?}"
        );
        assert!(r.frames.is_empty(), "nothing was sent: {r:?}");
    }
}

/// Answers exchange.declare even with no-wait set, and basic.qos.
fn answers_no_wait(_: u16, m: &Method) -> Option<Method> {
    match m {
        Method::ExchangeDeclare(_) => Some(ExchangeDeclareOk::default().into()),
        Method::BasicQos(_) => Some(amqp091_codec::method::BasicQosOk::default().into()),
        _ => None,
    }
}

#[tokio::test]
async fn a_broker_that_answers_a_no_wait_method_fails_its_scenario() {
    let report = run(
        start(broker("Scripted", answers_no_wait)).await,
        &["semantics/no-wait/exchange.declare"],
    )
    .await;
    let r = &report.results[0];
    assert_eq!(r.outcome, Outcome::Fail, "{r:?}");
    assert!(
        r.observed
            .as_deref()
            .unwrap_or("")
            .contains("exchange.declare-ok"),
        "{r:?}"
    );
}

#[tokio::test]
async fn timeout_when_the_broker_does_not_answer() {
    let report = run(start(broker("Scripted", silent)).await, &[NOT_FOUND]).await;
    let r = &report.results[0];
    assert_eq!(r.outcome, Outcome::Timeout, "{r:?}");
    assert_eq!(r.observed.as_deref(), Some("nothing within 300 ms"));
    assert_eq!(report.exit_code(false), 1);
}

#[tokio::test]
async fn error_when_the_scenario_cannot_connect() {
    // Connection 1 is the probe; the scenario's (2) is refused; the probe after it (3) works.
    let script = Script {
        refuse: Some(2),
        ..broker("Scripted", close_404)
    };
    let report = run(start(script).await, &[NOT_FOUND]).await;
    assert_eq!(
        report.results[0].outcome,
        Outcome::Error,
        "{:?}",
        report.results[0]
    );
    assert_eq!(report.exit_code(false), 1);
}

#[tokio::test]
async fn a_broker_that_stops_answering_fails_that_scenario_and_errors_the_rest() {
    // Serves the probe and the first scenario's connection, then stops listening.
    let script = Script {
        serve: Some(2),
        ..broker("Scripted", silent)
    };
    let report = run(start(script).await, &[NOT_FOUND, DELETE_MISSING]).await;
    let (first, second) = (&report.results[0], &report.results[1]);
    assert_eq!(first.outcome, Outcome::Fail);
    assert!(
        first
            .observed
            .as_deref()
            .unwrap()
            .starts_with("broker stopped answering"),
        "{first:?}"
    );
    assert_eq!(second.outcome, Outcome::Error);
    assert!(second.note.as_deref().unwrap().contains(NOT_FOUND));
}

#[tokio::test]
async fn no_broker_at_all_is_a_connection_error() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let url = format!("amqp://127.0.0.1:{port}");
    let code = amqp091_conform::cli::run(
        amqp091_conform::cli::parse([url.as_str(), "--timeout", "300ms"]).unwrap(),
    )
    .await;
    assert_eq!(code, 2);
}

#[tokio::test]
async fn remote_brokers_are_refused_without_allow_remote() {
    let o = amqp091_conform::cli::parse(["amqp://192.0.2.1:5672"]).unwrap();
    assert_eq!(amqp091_conform::cli::run(o).await, 2);
    assert!(amqp091_conform::cli::parse(["--bogus"]).is_err());
}

#[tokio::test]
async fn json_and_junit_outputs() {
    let target = start(broker("Scripted", always_ok)).await;
    let report = run(
        target,
        &[NOT_FOUND, "extensions/basic.nack", DELETE_MISSING],
    )
    .await;

    let json = report::json(&report);
    let text = json.to_string();
    let parsed: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(parsed["broker"]["product"], "Scripted");
    assert_eq!(parsed["summary"]["fail"], 2);
    assert_eq!(parsed["summary"]["not_applicable"], 1);
    let results = parsed["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    assert_eq!(results[0]["rule"], NOT_FOUND);
    assert_eq!(results[0]["outcome"], "fail");
    assert_eq!(results[0]["expected"], "ch1 channel.close reply-code 404");
    assert!(results[0]["frames"].as_array().unwrap().len() > 5);
    assert_eq!(results[1]["outcome"], "not applicable");

    let junit = report::junit(&report);
    assert!(junit.starts_with("<?xml"));
    assert!(junit.contains("<testsuites name=\"amqp091 conform Scripted 1.0\" tests=\"3\" failures=\"2\" errors=\"0\">"));
    assert!(junit.contains(&format!(
        "<testcase classname=\"exchange\" name=\"{NOT_FOUND}\""
    )));
    assert!(junit.contains("<failure type=\"fail\""));
    assert!(junit
        .contains("<skipped message=\"the broker does not advertise capabilities.basic.nack\"/>"));
    assert_eq!(
        junit.matches("<testcase").count(),
        junit.matches("</testcase>").count()
    );

    // Markdown masks the run id.
    let md = report::markdown(&report);
    assert!(!md.contains("test-run") && md.contains("RUN."), "{md}");
}
