//! Recovery across a restart of the private RabbitMQ (`scripts/broker.sh
//! stop`, then `start`): a durable queue with persistent messages, a
//! consumer that comes back by itself, and the accounting of every acked
//! publish. Ignored by default, since it stops the broker every other
//! test uses; `scripts/test-all.sh` (and CI) run it on its own:
//! `cargo test --all-features --test broker_restart -- --ignored --nocapture`.

mod common;

use std::collections::HashMap;
use std::process::Command;
use std::time::{Duration, Instant};

use amqp091::proto::Config;
use amqp091::{
    BasicConsumeOptions, BasicProperties, Confirm, Connection, ConnectionOptions, ConnectionState,
    Error, FieldTable, NoWait, QueueDeclareOptions, Recovery,
};
use common::{broker_url, unique, within};

fn broker(action: &str) {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/broker.sh");
    let status = Command::new("bash")
        .arg(script)
        .arg(action)
        .env("AMQP_URL", broker_url())
        .status()
        .expect("run scripts/broker.sh");
    assert!(status.success(), "scripts/broker.sh {action}: {status}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "restarts the private broker: run alone with --ignored (scripts/test-all.sh does)"]
async fn a_broker_restart_is_recovered_with_durable_queues_and_no_acked_message_lost() {
    const BEFORE: u32 = 300;
    const AFTER: u32 = 300;
    let mut options = ConnectionOptions::from_url(&broker_url()).unwrap();
    options.heartbeat = Some(5);
    let config = Config::from(options).with_recovery(Recovery {
        max_delay: Duration::from_secs(1),
        ..Recovery::default()
    });
    let conn = within("connect", Connection::connect_with(config))
        .await
        .unwrap();
    let ch = conn.open_channel().await.unwrap();
    let queue = unique("amqp091.restart");
    let durable = QueueDeclareOptions {
        durable: true,
        ..Default::default()
    };
    ch.queue_declare(&queue, durable, FieldTable::new())
        .await
        .unwrap();
    ch.confirm_select(NoWait::default()).await.unwrap();
    let props = BasicProperties::default().persistent();
    let mut acked = Vec::new();
    for i in 0..BEFORE {
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
        if matches!(within("confirm", c).await, Ok(Confirm::Ack)) {
            acked.push(i);
        }
    }
    let consuming = conn.open_channel().await.unwrap();
    consuming.basic_qos(50, Default::default()).await.unwrap();
    let mut consumer = consuming
        .basic_consume(&queue, BasicConsumeOptions::default(), FieldTable::new())
        .await
        .unwrap();
    let mut seen: HashMap<u32, u32> = HashMap::new();
    let take = |d: amqp091::Delivery, seen: &mut HashMap<u32, u32>| {
        let id: u32 = std::str::from_utf8(&d.body).unwrap().parse().unwrap();
        let n = seen.entry(id).or_insert(0);
        *n += 1;
        assert!(
            *n == 1 || d.redelivered,
            "{id} twice without the redelivered flag"
        );
        d.delivery_tag
    };
    // Half of them consumed and acked before the restart.
    while seen.len() < (BEFORE / 2) as usize {
        let d = within("a delivery", consumer.recv()).await.unwrap();
        let tag = take(d, &mut seen);
        consuming.basic_ack(tag, false).await.unwrap();
    }
    let mut events = conn.recovery_events();
    let stopped = Instant::now();
    tokio::task::spawn_blocking(|| broker("stop"))
        .await
        .unwrap();
    tokio::task::spawn_blocking(|| broker("start"))
        .await
        .unwrap();
    let mut rx = conn.watch_state();
    within("recovered after the restart", async {
        while !matches!(&*rx.borrow_and_update(), ConnectionState::Recovered { .. }) {
            rx.changed().await.unwrap();
        }
    })
    .await;
    let recovered_in = stopped.elapsed();
    let mut seen_events = Vec::new();
    while let Ok(e) = events.try_recv() {
        seen_events.push(format!("{e:?}"));
    }
    for i in BEFORE..BEFORE + AFTER {
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
        match tokio::time::timeout(Duration::from_secs(30), c).await {
            Ok(Ok(Confirm::Ack)) => acked.push(i),
            Ok(other) => panic!("publish {i} after the restart: {other:?}"),
            Err(_) => panic!(
                "publish {i} after the restart: no confirm in 30 s; state {:?}, channel open {}, recovery: {seen_events:#?}",
                conn.state(),
                ch.is_open()
            ),
        }
    }
    // The consumer came back by itself: every acked message arrives.
    while !acked.iter().all(|id| seen.contains_key(id)) {
        let d = within("a delivery after the restart", consumer.recv())
            .await
            .expect("the consumer is back");
        let tag = take(d, &mut seen);
        match consuming.basic_ack(tag, false).await {
            Ok(()) | Err(Error::StaleDeliveryTag { .. }) => {}
            Err(e) => panic!("ack: {e}"),
        }
    }
    eprintln!(
        "broker restart: published {}, acked {}, consumed {} distinct ({} deliveries), lost 0; \
         stop to recovered {recovered_in:?}",
        BEFORE + AFTER,
        acked.len(),
        seen.len(),
        seen.values().sum::<u32>()
    );
    ch.queue_delete(&queue, Default::default()).await.unwrap();
    conn.close().await.unwrap();
}

/// `amqp091 conform --restart-cmd` runs the three rules about what survives
/// a restart (a durable queue, a durable binding, a persistent message)
/// against RabbitMQ, restarting it with the project's script; all pass.
#[cfg(feature = "cli")]
#[test]
#[ignore = "restarts the private broker: run alone with --ignored (scripts/test-all.sh does)"]
fn conform_restarts_the_broker_for_the_rules_about_what_survives_it() {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/broker.sh");
    let restart = format!("bash {script} restart");
    let url = broker_url();
    // Three restarts of about 20 s each.
    let limit = Duration::from_secs(240);
    let out = common::bin::amqp_within(
        &[
            "conform",
            &url,
            "--restart-cmd",
            &restart,
            "--rule",
            "queue/declare/durable/persistence",
            "--rule",
            "queue/bind/durable-exchange",
            "--rule",
            "basic/01",
        ],
        limit,
    );
    let stdout = common::bin::text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("3 entries against RabbitMQ"), "{stdout}");
    assert!(stdout.contains(": 3 pass, 0 fail,"), "{stdout}");
}
