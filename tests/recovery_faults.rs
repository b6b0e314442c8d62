//! Automatic recovery through the fault-injecting proxy to the real
//! RabbitMQ: resets, black holes (only heartbeats can tell), cuts in the
//! middle of a frame, and a broker that refuses connections for a while;
//! and under a publish-with-confirms and consume load, no acked message lost
//! and nothing delivered twice without the redelivered flag.

mod common;

use std::collections::{HashMap, HashSet, VecDeque};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

use amqp091::proto::{Config, ConnectionState, Recovery};
use amqp091::testing::proxy::{Fault, Proxy};
use amqp091::{
    BasicConsumeOptions, BasicProperties, Confirm, Connection, ConnectionOptions, Error,
    FieldTable, NoWait, QueueDeclareOptions,
};
use common::{broker_url, temp_queue, unique, within};

fn broker_addr() -> SocketAddr {
    let opts = ConnectionOptions::from_url(&broker_url()).expect("AMQP_URL");
    (opts.host.as_str(), opts.port)
        .to_socket_addrs()
        .expect("resolve the broker's host")
        .find(|a| TcpStream::connect_timeout(a, Duration::from_secs(2)).is_ok())
        .expect("an address of the broker that answers")
}

async fn proxy() -> Proxy {
    Proxy::start(broker_addr()).await.expect("start the proxy")
}

/// Recovery on, through `proxy`, heartbeat `heartbeat` seconds.
async fn connect(proxy: &Proxy, heartbeat: u16) -> Connection {
    let mut opts = ConnectionOptions::from_url(&broker_url()).expect("AMQP_URL");
    opts.host = proxy.addr().ip().to_string();
    opts.port = proxy.addr().port();
    opts.heartbeat = Some(heartbeat);
    let config = Config::from(opts).with_recovery(Recovery {
        initial_delay: Duration::from_millis(50),
        max_delay: Duration::from_millis(500),
        ..Recovery::default()
    });
    within("connect", Connection::connect_with(config))
        .await
        .expect("connect through the proxy")
}

async fn until_state(conn: &Connection, what: &str, pred: impl Fn(&ConnectionState) -> bool) {
    let mut rx = conn.watch_state();
    within(what, async {
        while !pred(&rx.borrow_and_update()) {
            rx.changed().await.expect("state");
        }
    })
    .await
}

fn recovered(n: u32) -> impl Fn(&ConnectionState) -> bool {
    move |s| matches!(s, ConnectionState::Recovered { recoveries } if *recoveries >= n)
}

/// A consumer on a server-named queue bound to an exchange, a message
/// through it, a fault, and after recovery the same channel and consumer
/// handles carry the next message (the queue was declared again under a
/// new name and bound again). Returns the time from the fault to recovered.
async fn survives(fault: Fault, heartbeat: u16) -> Duration {
    let proxy = proxy().await;
    let conn = connect(&proxy, heartbeat).await;
    let ch = conn.open_channel().await.unwrap();
    let exchange = unique("amqp091.recovery.fanout");
    ch.exchange_declare(&exchange, "fanout", Default::default(), FieldTable::new())
        .await
        .unwrap();
    let queue = temp_queue(&ch).await;
    ch.queue_bind(&queue, &exchange, "", NoWait::default(), FieldTable::new())
        .await
        .unwrap();
    let mut consumer = ch
        .basic_consume(
            &queue,
            BasicConsumeOptions {
                no_ack: true,
                ..Default::default()
            },
            FieldTable::new(),
        )
        .await
        .unwrap();
    let props = BasicProperties::default();
    ch.basic_publish(&exchange, "", Default::default(), &props, vec![7u8; 4096])
        .await
        .unwrap();
    assert_eq!(
        within("before", consumer.recv()).await.unwrap().body.len(),
        4096
    );
    let started = Instant::now();
    proxy.inject(fault);
    until_state(&conn, "recovered", recovered(1)).await;
    let took = started.elapsed();
    assert_eq!(proxy.accepted(), 2, "one new connection");
    ch.basic_publish(
        &exchange,
        "",
        Default::default(),
        &props,
        b"after".as_slice(),
    )
    .await
    .unwrap();
    let after = within("after", consumer.recv())
        .await
        .expect("the consumer goes on");
    assert_eq!(&after.body[..], b"after");
    assert!(conn.is_open() && ch.is_open());
    ch.exchange_delete(&exchange, Default::default())
        .await
        .unwrap();
    conn.close().await.unwrap();
    took
}

#[tokio::test]
async fn a_reset_connection_recovers() {
    let took = survives(Fault::Reset, 5).await;
    println!("reset: recovered in {took:?}");
}

#[tokio::test]
async fn a_half_closed_connection_recovers() {
    survives(Fault::HalfClose, 5).await;
}

#[tokio::test]
async fn a_cut_in_the_middle_of_a_frame_recovers() {
    survives(
        Fault::CutAfter {
            bytes_from_server: 100,
        },
        5,
    )
    .await;
}

#[tokio::test]
async fn a_black_hole_is_found_by_heartbeats_within_two_intervals_then_recovered() {
    let proxy = proxy().await;
    let conn = connect(&proxy, 1).await;
    let ch = conn.open_channel().await.unwrap();
    let started = Instant::now();
    proxy.inject(Fault::Blackhole);
    until_state(&conn, "lost", |s| {
        matches!(
            s,
            ConnectionState::Recovering {
                error: Error::Timeout(_),
                ..
            }
        )
    })
    .await;
    let detected = started.elapsed();
    assert!(
        detected <= Duration::from_millis(2000 + 500),
        "two heartbeat intervals of 1 s (plus scheduling): {detected:?}"
    );
    until_state(&conn, "recovered", recovered(1)).await;
    ch.basic_qos(5, Default::default())
        .await
        .expect("the channel works again");
    println!(
        "black hole: detected in {detected:?}, recovered in {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_broker_refusing_connections_for_a_while_is_retried_until_it_is_back() {
    let proxy = proxy().await;
    let conn = connect(&proxy, 5).await;
    let ch = conn.open_channel().await.unwrap();
    proxy.refuse(true);
    proxy.inject(Fault::Reset);
    let mut rx = conn.watch_state();
    within("three failed attempts", async {
        loop {
            if let ConnectionState::Recovering { attempt, .. } = &*rx.borrow_and_update() {
                if *attempt >= 3 {
                    return;
                }
            }
            rx.changed().await.unwrap();
        }
    })
    .await;
    assert!(!conn.is_open());
    proxy.refuse(false);
    until_state(&conn, "recovered", recovered(1)).await;
    ch.basic_qos(5, Default::default())
        .await
        .expect("the channel works again");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn under_load_resets_lose_no_acked_message_and_redeliveries_are_flagged() {
    const TOTAL: u32 = 3000;
    const RESETS: [usize; 3] = [400, 1200, 2000];
    let proxy = proxy().await;
    let conn = connect(&proxy, 5).await;
    let setup = conn.open_channel().await.unwrap();
    let queue = unique("amqp091.recovery.load");
    setup
        .queue_declare(
            &queue,
            QueueDeclareOptions {
                durable: true,
                ..Default::default()
            },
            FieldTable::new(),
        )
        .await
        .unwrap();
    let consuming = conn.open_channel().await.unwrap();
    consuming.basic_qos(200, Default::default()).await.unwrap();
    let mut consumer = consuming
        .basic_consume(&queue, BasicConsumeOptions::default(), FieldTable::new())
        .await
        .unwrap();
    let publishing = conn.open_channel().await.unwrap();
    publishing.confirm_select(NoWait::default()).await.unwrap();
    let q = queue.clone();
    let mut publisher = tokio::spawn(async move {
        let props = BasicProperties::default().with_delivery_mode(2);
        let (mut acked, mut failed) = (Vec::new(), 0u32);
        let mut inflight = VecDeque::new();
        for i in 0..TOTAL {
            match publishing
                .basic_publish("", &q, Default::default(), &props, i.to_string().as_bytes())
                .await
            {
                Ok(c) => inflight.push_back((i, c)),
                Err(_) => failed += 1,
            }
            while inflight.len() >= 100 || (i + 1 == TOTAL && !inflight.is_empty()) {
                let (id, c) = inflight.pop_front().unwrap();
                match c.await {
                    Ok(Confirm::Ack) => acked.push(id),
                    _ => failed += 1,
                }
            }
        }
        (acked, failed)
    });
    let mut seen: HashMap<u32, u32> = HashMap::new();
    let (mut received, mut stale, mut unflagged_twice) = (0usize, 0u32, 0u32);
    let mut resets = RESETS.iter().peekable();
    let mut published: Option<(Vec<u32>, u32)> = None;
    let mut recovery_times = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if let Some((acked, _)) = &published {
            if acked.iter().all(|id| seen.contains_key(id)) {
                break;
            }
        }
        assert!(
            Instant::now() < deadline,
            "not every acked message arrived in 120 s"
        );
        tokio::select! {
            d = consumer.recv() => {
                let d = d.expect("the consumer goes on across recoveries");
                let id: u32 = std::str::from_utf8(&d.body).unwrap().parse().unwrap();
                let n = seen.entry(id).or_insert(0);
                *n += 1;
                if *n > 1 && !d.redelivered {
                    unflagged_twice += 1;
                }
                received += 1;
                match consuming.basic_ack(d.delivery_tag, false).await {
                    Ok(()) => {}
                    Err(Error::StaleDeliveryTag { .. }) => stale += 1,
                    Err(e) => panic!("ack: {e}"),
                }
                if resets.peek().is_some_and(|&&at| received >= at) {
                    resets.next();
                    let t = Instant::now();
                    let before = match conn.state() {
                        ConnectionState::Recovered { recoveries } => recoveries,
                        _ => 0,
                    };
                    proxy.inject(Fault::Reset);
                    until_state(&conn, "recovered", recovered(before + 1)).await;
                    recovery_times.push(t.elapsed());
                }
            }
            p = &mut publisher, if published.is_none() => published = Some(p.unwrap()),
        }
    }
    let (acked, failed) = published.unwrap();
    let lost: Vec<_> = acked.iter().filter(|id| !seen.contains_key(id)).collect();
    println!(
        "published {TOTAL}, acked {}, failed (never acked) {failed}, received {received} ({} distinct), \
         stale acks refused {stale}, resets {}, recovery times {recovery_times:?}, lost 0",
        acked.len(),
        seen.len(),
        recovery_times.len()
    );
    assert!(lost.is_empty(), "acked but never delivered: {lost:?}");
    assert_eq!(
        unflagged_twice, 0,
        "delivered twice without the redelivered flag"
    );
    assert_eq!(recovery_times.len(), RESETS.len());
    assert!(acked.len() as u32 + failed == TOTAL);
    let ids: HashSet<u32> = seen.keys().copied().collect();
    assert!(ids.iter().all(|id| *id < TOTAL));
    setup
        .queue_delete(&queue, Default::default())
        .await
        .unwrap();
    conn.close().await.unwrap();
}

#[tokio::test]
async fn dropping_the_last_handle_while_recovering_stops_the_recovery() {
    let proxy = proxy().await;
    let conn = connect(&proxy, 5).await;
    proxy.refuse(true);
    proxy.inject(Fault::Reset);
    until_state(&conn, "recovering", |s| {
        matches!(s, ConnectionState::Recovering { .. })
    })
    .await;
    let mut state = conn.watch_state();
    drop(conn);
    within("the connection ends", async {
        while !matches!(&*state.borrow_and_update(), ConnectionState::Closed(_)) {
            if state.changed().await.is_err() {
                return; // the driver is gone, and the state with it
            }
        }
    })
    .await;
    let tried = proxy.accepted();
    proxy.refuse(false);
    // Nothing reconnects any more: a fresh connection is the next one the proxy sees.
    let other = connect(&proxy, 5).await;
    assert_eq!(proxy.accepted(), tried + 1);
    other.close().await.unwrap();
}

#[tokio::test]
async fn a_full_consumer_holding_the_lost_connections_deliveries_does_not_stop_confirms() {
    // The consumer's queue (its prefetch, 5) is full of deliveries of the
    // old connection when the new one sends its own prefetch window: a
    // confirm must still get through while the application reads nothing.
    let proxy = proxy().await;
    let conn = connect(&proxy, 5).await;
    let ch = conn.open_channel().await.unwrap();
    let queue = unique("amqp091.recovery.full");
    let durable = QueueDeclareOptions {
        durable: true,
        ..Default::default()
    };
    ch.queue_declare(&queue, durable, FieldTable::new())
        .await
        .unwrap();
    ch.confirm_select(NoWait::default()).await.unwrap();
    let consuming = conn.open_channel().await.unwrap();
    consuming.basic_qos(5, Default::default()).await.unwrap();
    let mut consumer = consuming
        .basic_consume(&queue, BasicConsumeOptions::default(), FieldTable::new())
        .await
        .unwrap();
    let props = BasicProperties::default().persistent();
    for i in 0..10u32 {
        let c = ch
            .basic_publish(
                "",
                &queue,
                Default::default(),
                &props,
                i.to_string().as_bytes(),
            )
            .await
            .unwrap();
        assert!(matches!(within("confirm", c).await, Ok(Confirm::Ack)));
    }
    // Wait until the consumer's queue holds its five (taking none).
    within("five buffered", consumer.wait_queued(5)).await;
    assert_eq!(consumer.len(), 5, "its queue is full");
    proxy.inject(Fault::Reset);
    until_state(&conn, "recovered", recovered(1)).await;
    let c = ch
        .basic_publish("", &queue, Default::default(), &props, b"10".as_slice())
        .await
        .unwrap();
    assert!(
        matches!(
            within("the confirm after recovery", c).await,
            Ok(Confirm::Ack)
        ),
        "the reader went on reading"
    );
    let mut stale = 0;
    let mut fresh = Vec::new();
    while fresh.len() < 11 {
        let d = within("a delivery", consumer.recv()).await.unwrap();
        match consuming.basic_ack(d.delivery_tag, false).await {
            Err(Error::StaleDeliveryTag { .. }) => stale += 1,
            Ok(()) => fresh.push(d),
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!(stale, 5, "the old connection's five are refused as stale");
    assert!(
        fresh.iter().take(5).all(|d| d.redelivered),
        "and came again, flagged"
    );
    ch.queue_delete(&queue, Default::default()).await.unwrap();
    conn.close().await.unwrap();
}
