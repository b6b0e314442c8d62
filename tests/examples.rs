//! Every example runs end to end against the broker, and does what its
//! tutorial says.

mod common;

#[allow(dead_code)]
#[path = "../examples/hello_world.rs"]
mod hello_world;
#[allow(dead_code)]
#[path = "../examples/publish_subscribe.rs"]
mod publish_subscribe;
#[allow(dead_code)]
#[path = "../examples/publisher_confirms.rs"]
mod publisher_confirms;
#[allow(dead_code)]
#[path = "../examples/recovery.rs"]
mod recovery;
#[allow(dead_code)]
#[path = "../examples/redis_pubsub.rs"]
mod redis_pubsub;
#[allow(dead_code)]
#[path = "../examples/routing.rs"]
mod routing;
#[allow(dead_code)]
#[path = "../examples/rpc.rs"]
mod rpc;
#[allow(dead_code)]
#[path = "../examples/streams.rs"]
mod streams;
#[allow(dead_code)]
#[path = "../examples/topics.rs"]
mod topics;
#[allow(dead_code)]
#[path = "../examples/work_queues.rs"]
mod work_queues;

use std::time::Duration;

async fn bounded<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(60), f)
        .await
        .expect("example finished")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tutorial_1_hello_world() {
    let got = bounded(hello_world::run(&common::broker_url()))
        .await
        .unwrap();
    assert_eq!(got, "Hello World!");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tutorial_2_work_queues_share_tasks_fairly() {
    let counts = bounded(work_queues::run(&common::broker_url()))
        .await
        .unwrap();
    assert_eq!(
        counts.iter().sum::<usize>(),
        5,
        "every task done once: {counts:?}"
    );
    assert!(
        counts.iter().all(|&c| c >= 1),
        "prefetch 1 shares the work: {counts:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tutorial_3_every_subscriber_gets_every_line() {
    let got = bounded(publish_subscribe::run(&common::broker_url()))
        .await
        .unwrap();
    assert_eq!(got.len(), 2);
    for lines in got {
        assert_eq!(
            lines,
            [
                "info: Hello World!",
                "warning: disk 80% full",
                "error: disk full"
            ]
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tutorial_4_routing_by_severity() {
    let (errors, all) = bounded(routing::run(&common::broker_url())).await.unwrap();
    assert_eq!(errors, ["error:disk failed"]);
    assert_eq!(
        all,
        ["info:starting", "warning:slow disk", "error:disk failed"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tutorial_5_topics() {
    let (critical, kern) = bounded(topics::run(&common::broker_url())).await.unwrap();
    assert_eq!(critical, ["kern.critical", "cron.critical"]);
    assert_eq!(kern, ["kern.critical", "kern.info"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tutorial_6_rpc() {
    let answers = bounded(rpc::run(&common::broker_url())).await.unwrap();
    assert_eq!(answers, [0, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publisher_confirms_three_ways() {
    let acked = bounded(publisher_confirms::run(&common::broker_url()))
        .await
        .unwrap();
    assert_eq!(acked, [1000, 1000, 1000]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streams_merge_two_consumers_and_ack_every_delivery() {
    let mut got = bounded(streams::run(&common::broker_url(), 4))
        .await
        .unwrap();
    got.sort();
    let mut want: Vec<String> = (0..4)
        .flat_map(|i| [format!("later {i}"), format!("urgent {i}")])
        .collect();
    want.sort();
    assert_eq!(got, want);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_pubsub_delivers_what_redis_would_for_channels_and_globs() {
    let got = bounded(redis_pubsub::run(&common::broker_url()))
        .await
        .unwrap();
    assert_eq!(
        got,
        [
            "message news.tech rust 2.0",
            "pmessage news.* news.tech rust 2.0",
            "pmessage news.* news.sport.f1 pole",
            "pmessage h?llo hello hi",
            "pmessage h?llo hallo hoi",
            "message end 1",
            "pmessage news.* news.tech again",
            "message end 2",
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recovery_goes_on_with_the_same_handles_after_the_connection_is_reset() {
    use amqp091::testing::proxy::{Fault, Proxy};
    use std::net::ToSocketAddrs;
    let url = common::broker_url();
    let opts = amqp091::ConnectionOptions::from_url(&url).unwrap();
    let broker = (opts.host.as_str(), opts.port)
        .to_socket_addrs()
        .unwrap()
        .find(|a| std::net::TcpStream::connect(a).is_ok())
        .unwrap();
    let proxy = Proxy::start(broker).await.unwrap();
    let through = format!(
        "amqp://{}:{}@{}/%2f",
        opts.username,
        opts.password,
        proxy.addr()
    );
    let report = bounded(recovery::run(
        &through,
        12,
        Duration::from_millis(20),
        |i| {
            if i == 5 {
                proxy.inject(Fault::Reset);
            }
        },
    ))
    .await
    .unwrap();
    assert_eq!(report.recoveries, 1, "{report:?}");
    assert!(
        report.acked >= 11,
        "at most the publish in flight is unconfirmed: {report:?}"
    );
    assert_eq!(report.acked + report.unconfirmed, 12);
    // The example's queue is exclusive: it goes with the old connection,
    // and so does a delivery in flight when the reset hits (the one
    // published just before it). Durable queues lose nothing: see
    // tests/recovery_faults.rs.
    assert!(
        report.received + 1 >= report.acked,
        "every acked message arrived but the one in flight: {report:?}"
    );
}
