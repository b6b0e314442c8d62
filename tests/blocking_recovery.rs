//! The blocking client recovers too: through the fault-injecting proxy to
//! the real RabbitMQ, a reset connection comes back with the same channel
//! and consumer, a publish made while it was down is held and confirmed
//! after, and a delivery tag of the old connection is refused.

mod common;

use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use amqp091::blocking::Connection;
use amqp091::proto::Config;
use amqp091::testing::proxy::{Fault, Proxy};
use amqp091::{
    BasicConsumeOptions, BasicProperties, Confirm, ConnectionOptions, ConnectionState, Error,
    FieldTable, NoWait, Recovery,
};
use common::{broker_url, unique};

#[test]
fn a_reset_connection_recovers_with_the_same_blocking_handles() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let opts = ConnectionOptions::from_url(&broker_url()).unwrap();
    let broker = (opts.host.as_str(), opts.port)
        .to_socket_addrs()
        .unwrap()
        .find(|a| TcpStream::connect_timeout(a, Duration::from_secs(2)).is_ok())
        .unwrap();
    let proxy = rt.block_on(Proxy::start(broker)).unwrap();
    let mut through = opts.clone();
    through.host = proxy.addr().ip().to_string();
    through.port = proxy.addr().port();
    through.heartbeat = Some(5);
    let config = Config::from(through).with_recovery(Recovery {
        initial_delay: Duration::from_millis(20),
        ..Recovery::default()
    });
    let conn = Connection::connect_with(config).unwrap();
    let ch = conn.open_channel().unwrap();
    let exchange = unique("amqp091.blocking.recovery");
    ch.exchange_declare(&exchange, "fanout", Default::default(), FieldTable::new())
        .unwrap();
    let exclusive = amqp091::QueueDeclareOptions {
        exclusive: true,
        ..Default::default()
    };
    let queue = ch
        .queue_declare("", exclusive, FieldTable::new())
        .unwrap()
        .name;
    ch.queue_bind(&queue, &exchange, "", NoWait::default(), FieldTable::new())
        .unwrap();
    let mut consumer = ch
        .basic_consume(&queue, BasicConsumeOptions::default(), FieldTable::new())
        .unwrap();
    ch.confirm_select(NoWait::default()).unwrap();
    let props = BasicProperties::default();
    let publish = |body: &str| {
        ch.basic_publish(&exchange, "", Default::default(), &props, body)
            .unwrap()
            .wait()
    };
    assert_eq!(publish("before").unwrap(), Confirm::Ack);
    let before = consumer.recv_timeout(Duration::from_secs(10)).unwrap();
    let recovered = std::thread::spawn({
        let conn = conn.clone();
        move || {
            let back = |s: &ConnectionState| matches!(s, ConnectionState::Recovered { .. });
            conn.wait_state(back, Duration::from_secs(30))
        }
    });
    assert_eq!(proxy.inject(Fault::Reset), 1);
    // Until the client has seen the reset, a publish may still go to the
    // old connection and fail unconfirmed; after, it is held and confirmed
    // once the connection is back.
    let mut confirmed = None;
    for _ in 0..100 {
        match publish("after") {
            Ok(verdict) => {
                confirmed = Some(verdict);
                break;
            }
            Err(Error::Io { .. }) => continue,
            Err(e) => panic!("publish: {e}"),
        }
    }
    assert_eq!(confirmed, Some(Confirm::Ack));
    // A thread can wait for the recovery instead of polling the state.
    let waited = recovered.join().unwrap();
    assert!(
        matches!(waited, Ok(ConnectionState::Recovered { recoveries: 1 })),
        "{waited:?}"
    );
    let closed = |s: &ConnectionState| matches!(s, ConnectionState::Closed(_));
    assert!(matches!(
        conn.wait_state(closed, Duration::from_millis(20)),
        Err(std::sync::mpsc::RecvTimeoutError::Timeout)
    ));
    assert!(
        matches!(conn.state(), ConnectionState::Recovered { recoveries: 1 }),
        "{:?}",
        conn.state()
    );
    let after = loop {
        let d = consumer
            .recv_timeout(Duration::from_secs(10))
            .expect("the consumer goes on");
        if &d.body[..] == b"after" {
            break d;
        }
    };
    assert!(matches!(
        ch.basic_ack(before.delivery_tag, false),
        Err(Error::StaleDeliveryTag { .. })
    ));
    ch.basic_ack(after.delivery_tag, false).unwrap();
    ch.exchange_delete(&exchange, Default::default()).unwrap();
    conn.close().unwrap();
}

#[test]
fn a_full_blocking_consumer_holding_the_lost_connections_deliveries_does_not_stop_confirms() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let opts = ConnectionOptions::from_url(&broker_url()).unwrap();
    let broker = (opts.host.as_str(), opts.port)
        .to_socket_addrs()
        .unwrap()
        .find(|a| TcpStream::connect_timeout(a, Duration::from_secs(2)).is_ok())
        .unwrap();
    let proxy = rt.block_on(Proxy::start(broker)).unwrap();
    let mut through = opts.clone();
    through.host = proxy.addr().ip().to_string();
    through.port = proxy.addr().port();
    let config = Config::from(through).with_recovery(Recovery {
        initial_delay: Duration::from_millis(20),
        ..Recovery::default()
    });
    let conn = Connection::connect_with(config).unwrap();
    let ch = conn.open_channel().unwrap();
    let queue = unique("amqp091.blocking.full");
    let durable = amqp091::QueueDeclareOptions {
        durable: true,
        ..Default::default()
    };
    ch.queue_declare(&queue, durable, FieldTable::new())
        .unwrap();
    ch.confirm_select(NoWait::default()).unwrap();
    let consuming = conn.open_channel().unwrap();
    consuming.basic_qos(5, Default::default()).unwrap();
    let mut consumer = consuming
        .basic_consume(&queue, BasicConsumeOptions::default(), FieldTable::new())
        .unwrap();
    let props = BasicProperties::default().persistent();
    let publish = |body: &str| {
        let mut confirm = ch
            .basic_publish("", &queue, Default::default(), &props, body)
            .unwrap();
        confirm
            .wait_timeout(Duration::from_secs(30))
            .expect("a confirm within 30 s: the reader must go on reading")
    };
    for i in 0..10 {
        assert_eq!(publish(&i.to_string()).unwrap(), Confirm::Ack);
    }
    // The queue holds its five (the prefetch) once the reader has them:
    // a request on the consumer's channel is answered after them.
    let mut round_trips = 0;
    while consumer.len() < 5 {
        round_trips += 1;
        assert!(round_trips < 100, "the five deliveries did not come");
        consuming.basic_qos(5, Default::default()).unwrap();
    }
    assert_eq!(proxy.inject(Fault::Reset), 1);
    let mut confirmed = None;
    for _ in 0..100 {
        match publish("10") {
            Ok(verdict) => {
                confirmed = Some(verdict);
                break;
            }
            Err(Error::Io { .. }) => continue,
            Err(e) => panic!("publish: {e}"),
        }
    }
    assert_eq!(confirmed, Some(Confirm::Ack), "the reader went on reading");
    let (mut stale, mut fresh) = (0, 0);
    while fresh < 6 {
        let d = consumer
            .recv_timeout(Duration::from_secs(10))
            .expect("a delivery");
        match consuming.basic_ack(d.delivery_tag, false) {
            Err(Error::StaleDeliveryTag { .. }) => stale += 1,
            Ok(()) => fresh += 1,
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!(stale, 5, "the old connection's five are refused as stale");
    ch.queue_delete(&queue, Default::default()).unwrap();
    conn.close().unwrap();
}
