//! Automatic recovery against the real RabbitMQ: the broker closes the
//! connection (320 CONNECTION_FORCED, as when a node shuts down), and the
//! same handles go on: channels, consumers on server-named queues,
//! bindings and publisher confirms, with nothing reported acked that the
//! broker did not ack. Faults on the wire (resets, black holes, cuts) are
//! in `tests/recovery_faults.rs`.

mod common;

use std::time::Duration;

use amqp091::proto::{Config, ConnectionState, Recovery, RecoveryEvent};
use amqp091::{
    BasicConsumeOptions, BasicProperties, Confirm, Connection, ConnectionOptions, Error,
    ExchangeDeclareOptions, FieldTable, NoWait,
};
use common::{broker_url, own_user, rabbitmqctl, unique, within};

fn config_for(user: &str, password: &str) -> Config {
    let mut options = ConnectionOptions::from_url(&broker_url()).expect("AMQP_URL");
    options.username = user.to_string();
    options.password = password.to_string();
    options.heartbeat = Some(5);
    Config::from(options).with_recovery(Recovery {
        initial_delay: Duration::from_millis(50),
        ..Recovery::default()
    })
}

/// Waits until the connection's state satisfies `pred`.
async fn state_becomes(conn: &Connection, what: &str, pred: impl Fn(&ConnectionState) -> bool) {
    let mut rx = conn.watch_state();
    within(what, async {
        loop {
            if pred(&rx.borrow_and_update()) {
                return;
            }
            rx.changed()
                .await
                .expect("state sender lives with the connection");
        }
    })
    .await
}

#[tokio::test]
async fn a_connection_the_broker_forces_closed_recovers_and_its_handles_go_on() {
    let (user, password) = own_user("amqp091-recovery");
    let conn = Connection::connect_with(config_for(&user, &password))
        .await
        .expect("connect");
    let ch = conn.open_channel().await.unwrap();
    ch.confirm_select(NoWait::default()).await.unwrap();
    let exchange = unique("amqp091.recovery.x");
    ch.exchange_declare(
        &exchange,
        "fanout",
        ExchangeDeclareOptions {
            auto_delete: true,
            ..Default::default()
        },
        FieldTable::new(),
    )
    .await
    .unwrap();
    let queue = common::temp_queue(&ch).await;
    ch.queue_bind(&queue, &exchange, "", NoWait::default(), FieldTable::new())
        .await
        .unwrap();
    let mut consumer = ch
        .basic_consume(&queue, BasicConsumeOptions::default(), FieldTable::new())
        .await
        .unwrap();
    let props = BasicProperties::default();
    let confirm = ch
        .basic_publish(&exchange, "", Default::default(), &props, b"before")
        .await
        .unwrap();
    assert!(matches!(within("confirm", confirm).await, Ok(Confirm::Ack)));
    let before = within("delivery before", consumer.recv())
        .await
        .expect("delivery");
    assert_eq!(&before.body[..], b"before");

    let mut events = conn.recovery_events();
    rabbitmqctl(&["close_all_user_connections", &user, "recovery test"]);
    state_becomes(&conn, "recovering", |s| {
        matches!(
            s,
            ConnectionState::Recovering { .. } | ConnectionState::Recovered { .. }
        )
    })
    .await;
    state_becomes(&conn, "recovered", |s| {
        matches!(s, ConnectionState::Recovered { recoveries: 1 })
    })
    .await;

    // The exclusive server-named queue is a new one: the application hears its name.
    let renamed = within("the queue's new name", async {
        loop {
            match events.recv().await.expect("recovery events") {
                RecoveryEvent::QueueRenamed { old, new } => return (old, new),
                RecoveryEvent::Recovered { .. } => panic!("recovered without renaming the queue"),
                _ => {}
            }
        }
    })
    .await;
    assert_eq!(renamed.0, queue.as_str());
    assert_ne!(renamed.1, queue.as_str());
    // The same channel and consumer handles; the queue is bound again, and
    // the consumer follows it.
    let confirm = ch
        .basic_publish(&exchange, "", Default::default(), &props, b"after")
        .await
        .unwrap();
    assert!(
        confirm.sequence() > Some(1),
        "publish numbers go on across the recovery: {confirm:?}"
    );
    assert!(matches!(
        within("confirm after", confirm).await,
        Ok(Confirm::Ack)
    ));
    let after = within("delivery after", consumer.recv())
        .await
        .expect("the consumer goes on");
    assert_eq!(&after.body[..], b"after");
    assert!(
        after.delivery_tag > before.delivery_tag,
        "delivery tags go on"
    );
    let stale = ch.basic_ack(before.delivery_tag, false).await;
    assert!(
        matches!(stale, Err(Error::StaleDeliveryTag { .. })),
        "a tag of the old connection is refused, not sent: {stale:?}"
    );
    ch.basic_ack(after.delivery_tag, false)
        .await
        .expect("a new tag is acked");
    assert!(ch.is_open() && conn.is_open());
    conn.close().await.unwrap();
    rabbitmqctl(&["delete_user", &user]);
}

#[tokio::test]
async fn without_recovery_a_forced_close_ends_the_connection() {
    let (user, password) = own_user("amqp091-norecovery");
    let mut config = config_for(&user, &password);
    config.recovery = None;
    let conn = Connection::connect_with(config).await.expect("connect");
    let ch = conn.open_channel().await.unwrap();
    rabbitmqctl(&["close_all_user_connections", &user, "no recovery"]);
    let err = within("closed", conn.closed()).await;
    assert_eq!(err.reply_code().map(|c| c.0), Some(320), "{err}");
    assert!(matches!(conn.state(), ConnectionState::Closed(_)));
    assert!(ch.basic_qos(1, Default::default()).await.is_err());
    rabbitmqctl(&["delete_user", &user]);
}
