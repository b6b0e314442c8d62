//! The client (without recovery) through the fault-injecting proxy to the
//! real broker: each way a connection breaks ends it with the right error,
//! fails what was pending, and panics nowhere; a slow network breaks
//! nothing.

mod common;

use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use amqp091::testing::proxy::{Fault, Proxy};
use amqp091::{
    BasicAckOptions, BasicConsumeOptions, BasicProperties, Confirm, Connection, ConnectionOptions,
    Error, FieldTable, NoWait, QueueDeclareOptions, TimeoutKind,
};
use common::{broker_url, temp_queue, within};

/// The broker's socket address (the first of its host's addresses that
/// accepts a connection), to put behind the proxy.
fn broker_addr() -> SocketAddr {
    let opts = ConnectionOptions::from_url(&broker_url()).expect("AMQP_URL");
    (opts.host.as_str(), opts.port)
        .to_socket_addrs()
        .expect("resolve the broker's host")
        .find(|a| TcpStream::connect_timeout(a, Duration::from_secs(2)).is_ok())
        .expect("an address of the broker that answers")
}

/// A proxy in front of the broker.
async fn proxy() -> Proxy {
    Proxy::start(broker_addr())
        .await
        .expect("start the proxy (the broker must be on this machine)")
}

/// The broker URL's options, pointed at the proxy.
fn options(proxy: &Proxy, heartbeat: Option<u16>) -> ConnectionOptions {
    let mut opts = ConnectionOptions::from_url(&broker_url()).expect("AMQP_URL");
    opts.host = proxy.addr().ip().to_string();
    opts.port = proxy.addr().port();
    if heartbeat.is_some() {
        opts.heartbeat = heartbeat;
    }
    opts
}

async fn connect(proxy: &Proxy, heartbeat: Option<u16>) -> Connection {
    within(
        "connect through the proxy",
        Connection::connect_with(options(proxy, heartbeat)),
    )
    .await
    .expect("connect through the proxy")
}

fn is_io(e: &Error) -> bool {
    matches!(e, Error::Io { .. })
}

/// Panics anywhere in this test binary (a driver task's included) since it
/// started counting.
fn panics() -> usize {
    static COUNT: AtomicUsize = AtomicUsize::new(0);
    static HOOK: OnceLock<()> = OnceLock::new();
    HOOK.get_or_init(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            COUNT.fetch_add(1, Ordering::SeqCst);
            default(info);
        }));
    });
    COUNT.load(Ordering::SeqCst)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reset_ends_the_connection_with_an_io_error_and_fails_every_pending_call() {
    let proxy = proxy().await;
    let conn = connect(&proxy, None).await;
    let ch = conn.open_channel().await.expect("open a channel");
    let queue = temp_queue(&ch).await;
    ch.confirm_select(NoWait::default())
        .await
        .expect("confirms");
    let mut consumer = ch
        .basic_consume(&queue, BasicConsumeOptions::default(), FieldTable::new())
        .await
        .expect("consume");

    // Hold everything back, so that calls are still waiting at the reset.
    assert_eq!(proxy.inject(Fault::Blackhole), 1);
    let confirm = ch
        .basic_publish(
            "",
            &queue,
            Default::default(),
            &BasicProperties::default(),
            "x",
        )
        .await
        .expect("publishing needs no answer");
    let declare = tokio::spawn({
        let ch = ch.clone();
        async move {
            ch.queue_declare("", QueueDeclareOptions::default(), FieldTable::new())
                .await
        }
    });
    let open = tokio::spawn({
        let conn = conn.clone();
        async move { conn.open_channel().await.map(|_| ()) }
    });

    assert_eq!(proxy.inject(Fault::Reset), 1);
    let end = within("the connection's end", conn.closed()).await;
    assert!(is_io(&end), "ended with {end:?}");
    let confirm = within("the confirm", confirm.wait()).await;
    assert!(matches!(&confirm, Err(e) if is_io(e)), "{confirm:?}");
    let declare = within("the declare", declare).await.expect("join");
    assert!(matches!(&declare, Err(e) if is_io(e)), "{declare:?}");
    let open = within("the channel.open", open).await.expect("join");
    assert!(matches!(&open, Err(e) if is_io(e)), "{open:?}");
    let delivery = within("the consumer", consumer.next_delivery()).await;
    assert!(
        matches!(&delivery, Err(amqp091::proto::ConsumerEnd::Closed(e)) if is_io(e)),
        "{delivery:?}"
    );
    // Later calls fail with the same reason.
    let later = conn.open_channel().await.map(|_| ());
    assert!(matches!(&later, Err(e) if is_io(e)), "{later:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn blackhole_is_a_heartbeat_timeout_within_two_intervals() {
    let proxy = proxy().await;
    let conn = connect(&proxy, Some(1)).await;
    assert_eq!(conn.tuning().heartbeat, 1, "heartbeat=1 negotiated");
    let ch = conn.open_channel().await.expect("open a channel");
    temp_queue(&ch).await;

    assert_eq!(proxy.inject(Fault::Blackhole), 1);
    let started = Instant::now();
    let interval = Duration::from_secs(1);
    let margin = Duration::from_millis(500);
    let end = tokio::time::timeout(2 * interval + margin, conn.closed())
        .await
        .unwrap_or_else(|_| panic!("no end within 2 heartbeat intervals + {margin:?}"));
    let took = started.elapsed();
    assert!(
        matches!(end, Error::Timeout(TimeoutKind::Heartbeat)),
        "ended with {end:?}"
    );
    // The proxy closed nothing: only the silence told.
    assert_eq!(proxy.ended(), 0);
    eprintln!("blackhole detected after {took:?} (heartbeat 1 s)");
    // The broker's last frame came at most an interval before the black
    // hole, and the deadline is two intervals after it.
    assert!(took >= interval, "detected after only {took:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn half_close_towards_the_client_ends_the_connection_with_an_io_error() {
    let proxy = proxy().await;
    let conn = connect(&proxy, None).await;
    let ch = conn.open_channel().await.expect("open a channel");
    temp_queue(&ch).await;

    assert_eq!(proxy.inject(Fault::HalfClose), 1);
    let end = within("the connection's end", conn.closed()).await;
    match &end {
        Error::Io { source, .. } => {
            assert_eq!(source.kind(), std::io::ErrorKind::UnexpectedEof, "{end}")
        }
        other => panic!("ended with {other:?}"),
    }
    let later = ch
        .queue_declare("", QueueDeclareOptions::default(), FieldTable::new())
        .await;
    assert!(matches!(&later, Err(e) if is_io(e)), "{later:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cut_in_the_middle_of_a_4_kib_delivery_ends_the_connection_without_a_panic() {
    let panics_before = panics();
    let proxy = proxy().await;
    let conn = connect(&proxy, None).await;
    let ch = conn.open_channel().await.expect("open a channel");
    let queue = temp_queue(&ch).await;
    ch.confirm_select(NoWait::default())
        .await
        .expect("confirms");
    let body = vec![b'm'; 4096];
    for _ in 0..20 {
        let confirm = ch
            .basic_publish(
                "",
                &queue,
                Default::default(),
                &BasicProperties::default(),
                &body,
            )
            .await
            .expect("publish");
        assert_eq!(
            within("a confirm", confirm.wait())
                .await
                .expect("a confirm"),
            Confirm::Ack
        );
    }

    // One unacked delivery at a time: after the first, the broker is
    // silent until the ack, so the stream stands at a frame boundary.
    let consume_ch = conn.open_channel().await.expect("open a channel");
    consume_ch
        .basic_qos(1, Default::default())
        .await
        .expect("qos");
    let mut consumer = consume_ch
        .basic_consume(&queue, BasicConsumeOptions::default(), FieldTable::new())
        .await
        .expect("consume");
    let first = within("the first delivery", consumer.next_delivery())
        .await
        .expect("a delivery");
    assert_eq!(first.body.len(), 4096);

    // The next delivery is a basic.deliver and a content header (well under
    // 2000 bytes together), then a body frame of 4104: 2000 bytes from here
    // end inside the body frame.
    assert_eq!(
        proxy.inject(Fault::CutAfter {
            bytes_from_server: 2000
        }),
        1
    );
    first.ack(BasicAckOptions::default()).await.expect("ack");
    let end = within("the consumer's end", consumer.next_delivery()).await;
    assert!(
        matches!(&end, Err(amqp091::proto::ConsumerEnd::Closed(e)) if is_io(e)),
        "{end:?}"
    );
    let end = within("the connection's end", conn.closed()).await;
    assert!(is_io(&end), "ended with {end:?}");
    within("the proxy's link to end", proxy.wait_ended(1)).await;
    assert_eq!(panics(), panics_before, "something panicked");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delay_of_20_ms_each_way_leaves_everything_working() {
    let proxy = proxy().await;
    let delay = Duration::from_millis(20);
    // From the first byte: the handshake is delayed too.
    proxy.inject_persistent(Fault::Delay(delay));
    let conn = connect(&proxy, Some(1)).await;
    let ch = conn.open_channel().await.expect("open a channel");
    let started = Instant::now();
    let queue = temp_queue(&ch).await;
    let took = started.elapsed();
    assert!(
        took >= 2 * delay,
        "a queue.declare took {took:?}: no delay?"
    );

    ch.confirm_select(NoWait::default())
        .await
        .expect("confirms");
    let mut confirms = Vec::new();
    for i in 0..100u32 {
        let confirm = ch
            .basic_publish(
                "",
                &queue,
                Default::default(),
                &BasicProperties::default(),
                i.to_be_bytes().as_slice(),
            )
            .await
            .expect("publish");
        confirms.push(confirm);
    }
    for confirm in confirms {
        assert_eq!(
            within("a confirm", confirm.wait())
                .await
                .expect("a confirm"),
            Confirm::Ack
        );
    }
    let mut consumer = ch
        .basic_consume(&queue, BasicConsumeOptions::default(), FieldTable::new())
        .await
        .expect("consume");
    for i in 0..100u32 {
        let d = within("a delivery", consumer.next_delivery())
            .await
            .expect("a delivery");
        assert_eq!(&d.body[..], i.to_be_bytes());
        d.ack(BasicAckOptions::default()).await.expect("ack");
    }
    // Heartbeats of 1 s keep the connection alive across the delay.
    assert!(conn.is_open());
    within("close", conn.close()).await.expect("a clean close");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refusing_proxy_fails_connect_with_an_io_error() {
    let proxy = proxy().await;
    proxy.refuse(true);
    let result = within("connect", Connection::connect_with(options(&proxy, None))).await;
    assert!(matches!(&result, Err(e) if is_io(e)), "{:?}", result.err());
    assert_eq!(proxy.accepted(), 1);
    proxy.refuse(false);
    let conn = connect(&proxy, None).await;
    within("close", conn.close()).await.expect("a clean close");
}
