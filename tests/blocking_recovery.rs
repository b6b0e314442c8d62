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
