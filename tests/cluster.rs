//! Against the real three-node RabbitMQ cluster of `scripts/cluster.sh`:
//! what the cluster itself guarantees, before any client-side failover.
//! Ignored by default (starting the cluster takes 10-25 s); run with
//! `cargo test --all-features --test cluster -- --ignored`.

mod common;

use std::collections::HashMap;
use std::process::Command;
use std::time::Instant;

use amqp091::{
    BasicAckOptions, BasicConsumeOptions, BasicProperties, Confirm, Connection, Error, FieldTable,
    NoWait, QueueDeclareOptions,
};
use common::{unique, within};

/// The node's AMQP URL (nodes 1, 2, 3 listen on 127.0.0.1:5681, 5682, 5683).
fn node_url(n: u16) -> String {
    format!("amqp://guest:guest@127.0.0.1:{}/%2f", 5680 + n)
}

/// Runs `scripts/cluster.sh ARGS`, failing the test if it fails.
fn cluster(args: &[&str]) {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/cluster.sh");
    let status = Command::new("bash")
        .arg(script)
        .args(args)
        .status()
        .expect("run scripts/cluster.sh");
    assert!(status.success(), "scripts/cluster.sh {args:?}: {status}");
}

/// Starts node 1 again when the test ends, passed or failed.
struct RestartOnDrop(&'static str);

impl Drop for RestartOnDrop {
    fn drop(&mut self) {
        cluster(&["restart", self.0]);
    }
}

fn quorum() -> FieldTable {
    let mut args = FieldTable::new();
    args.insert("x-queue-type", "quorum");
    args
}

fn durable() -> QueueDeclareOptions {
    QueueDeclareOptions {
        durable: true,
        ..Default::default()
    }
}

const MESSAGES: u32 = 500;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the three-node cluster: scripts/cluster.sh start; run with --ignored"]
async fn acked_messages_in_a_quorum_queue_survive_kill_9_of_the_node_they_were_published_through() {
    tokio::task::spawn_blocking(|| cluster(&["start"]))
        .await
        .expect("cluster.sh start");
    let queue = unique("cluster-quorum");

    // Declare and publish with confirms through node 1 (which leads the queue).
    let conn1 = within("connect to node 1", Connection::connect(&node_url(1)))
        .await
        .expect("connect to node 1");
    let ch = conn1.open_channel().await.expect("open a channel");
    ch.queue_declare(&queue, durable(), quorum())
        .await
        .expect("declare a quorum queue");
    ch.confirm_select(NoWait::default())
        .await
        .expect("confirms");
    let props = BasicProperties::default().persistent();
    let mut confirms = Vec::new();
    for i in 0..MESSAGES {
        let body = format!("message {i}");
        let confirm = ch
            .basic_publish("", &queue, Default::default(), &props, body.as_str())
            .await
            .expect("publish");
        confirms.push(confirm);
    }
    let mut acked = 0;
    for confirm in confirms {
        let c = within("a confirm", confirm.wait())
            .await
            .expect("a confirm");
        assert_eq!(c, Confirm::Ack);
        acked += 1;
    }

    // The same queue through node 2: one cluster.
    let conn2 = within("connect to node 2", Connection::connect(&node_url(2)))
        .await
        .expect("connect to node 2");
    let peek = conn2.open_channel().await.expect("open a channel");
    let info = peek
        .queue_declare(
            &queue,
            QueueDeclareOptions {
                passive: true,
                ..durable()
            },
            FieldTable::new(),
        )
        .await
        .expect("the queue, seen from node 2");
    assert_eq!(info.message_count, MESSAGES);

    let _restart = RestartOnDrop("1");
    let killed = Instant::now();
    tokio::task::spawn_blocking(|| cluster(&["kill", "1"]))
        .await
        .expect("cluster.sh kill 1");
    let end = within("node 1's connection to end", conn1.closed()).await;
    assert!(matches!(end, Error::Io { .. }), "ended with {end:?}");

    // Every acked message, from node 2, once each (or again, redelivered).
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut attempts = 0;
    let mut first_delivery = None;
    while seen.len() < MESSAGES as usize {
        attempts += 1;
        assert!(
            attempts <= 20,
            "gave up after 20 consumers: {} of {MESSAGES} seen",
            seen.len()
        );
        let ch = conn2.open_channel().await.expect("open a channel");
        ch.basic_qos(100, Default::default()).await.expect("qos");
        let mut consumer = match within(
            "basic.consume on node 2",
            ch.basic_consume(&queue, BasicConsumeOptions::default(), FieldTable::new()),
        )
        .await
        {
            Ok(c) => c,
            // The queue may have no leader for a moment after the kill.
            Err(e) => {
                eprintln!("consume attempt {attempts}: {e}");
                continue;
            }
        };
        while seen.len() < MESSAGES as usize {
            let d = match within("a delivery", consumer.next_delivery()).await {
                Ok(d) => d,
                Err(end) => {
                    eprintln!("consumer {attempts} ended: {end:?}");
                    break;
                }
            };
            first_delivery.get_or_insert_with(|| killed.elapsed());
            let body = String::from_utf8_lossy(&d.body).into_owned();
            let times = seen.entry(body.clone()).or_insert(0);
            *times += 1;
            assert!(
                *times == 1 || d.redelivered,
                "{body} delivered twice without the redelivered flag"
            );
            d.ack(BasicAckOptions::default()).await.expect("ack");
        }
    }
    for i in 0..MESSAGES {
        assert!(
            seen.contains_key(&format!("message {i}")),
            "message {i} lost"
        );
    }
    eprintln!(
        "published and acked {acked}, consumed {} distinct from node 2 ({} deliveries), lost 0; \
         first delivery {:?} after the kill",
        seen.len(),
        seen.values().sum::<u32>(),
        first_delivery.unwrap_or_default()
    );
    peek.queue_delete(&queue, Default::default())
        .await
        .expect("delete the queue");
    within("close", conn2.close()).await.expect("close");
}
