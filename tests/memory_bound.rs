//! What a client holds for an application that does not keep up, in bytes
//! and in resident memory: its own test binary, so that the process's
//! memory is this test's alone. A scripted broker over an in-memory pipe,
//! tokio's paused clock.

use std::time::Duration;

use amqp091::testing::frames::{self, connection_tune};
use amqp091::testing::peer;
use amqp091::{BasicConsumeOptions, ConnectionOptions};

const MIB: usize = 1 << 20;

/// Resident memory of this process (VmRSS), in bytes.
fn rss() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<usize>().ok())
        .map_or(0, |kb| kb * 1024)
}

async fn bounded<T>(what: &str, f: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(10), f)
        .await
        .unwrap_or_else(|_| panic!("{what}: still waiting after 10 s"))
}

#[tokio::test(start_paused = true)]
async fn the_delivery_buffer_bounds_the_bytes_and_memory_a_slow_application_costs() {
    // 32 messages of 1 MiB to a no-ack consumer whose queue could hold 1000
    // of them: the connection's 4 MiB delivery buffer is what stops the reader.
    let mut config = amqp091::proto::Config::from(ConnectionOptions {
        heartbeat: Some(0),
        ..Default::default()
    });
    config.delivery_buffer_bytes = 4 * MIB;
    let (conn, mut peer) =
        peer::connect_with_buffer(config, connection_tune(16, 131_072, 0), 64 * 1024).await;
    let ch = peer.open_channel(&conn).await;
    let options = BasicConsumeOptions {
        no_ack: true,
        capacity: Some(1000),
        ..Default::default()
    };
    let mut consumer = peer.consume(&ch, options).await;
    let tag = consumer.tag().to_string();
    let channel = ch.id();
    let before = rss();
    let sender = tokio::spawn(async move {
        for n in 1..=32u64 {
            let mut body = vec![0u8; MIB];
            body[..8].copy_from_slice(&n.to_be_bytes());
            // In frames of at most the negotiated 128 KiB.
            let mut delivery = vec![frames::method(channel, frames::basic_deliver(&tag, n))];
            delivery.extend(frames::content(
                channel,
                frames::BASIC,
                Default::default(),
                &body,
                131_072,
            ));
            peer.send(&delivery).await;
        }
        peer
    });
    // With the clock paused, this sleep ends only when every task waits:
    // the client has stopped reading and the sender is stuck on the pipe.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let held = conn.buffered_delivery_bytes();
    assert!(held >= 4 * MIB, "the buffer filled: {held}");
    assert!(
        held <= 5 * MIB + 4096,
        "at most the buffer and one message: {held}"
    );
    assert!(consumer.len() <= 5, "{} queued", consumer.len());
    assert!(!sender.is_finished(), "the server is held back");
    // The client's 5 MiB, the sender's message and its frames (2 MiB), and
    // the allocator's slack; without the buffer it would be 32 MiB and more.
    let grown = rss().saturating_sub(before);
    assert!(
        grown < 16 * MIB,
        "resident memory grew by {} MiB",
        grown / MIB
    );
    for n in 1..=32u64 {
        let d = bounded("delivery", consumer.recv()).await.unwrap();
        assert_eq!(&d.body[..8], &n.to_be_bytes());
        assert!(conn.buffered_delivery_bytes() <= 5 * MIB + 4096);
    }
    bounded("sender", sender).await.unwrap();
}
