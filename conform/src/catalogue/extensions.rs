//! RabbitMQ's extensions to 0-9-1, each run only when the broker
//! advertises its capability in connection.start (or, for direct reply-to,
//! when the product is RabbitMQ).

use amqp091_codec::method::{
    BasicConsume, BasicGet, BasicNack, BasicQos, ExchangeBind, QueueDelete,
};
use amqp091_codec::{BasicProperties, Method};

use super::channel::consume;
use super::code::*;
use super::connection::{get, publish_to};
use super::exchange::{bind, declare};
use super::{scenario_if, unobservable, Entry, Needs, Reason};
use crate::scenario::{short, Expect};
use crate::session::HandshakeOptions;

const C: &str = "extensions";

/// The extension entries.
pub(crate) const ENTRIES: &[Entry] = &[
    scenario_if(
        "extensions/basic.nack",
        C,
        "basic.nack with requeue puts the message back, marked redelivered",
        Needs::Capability("basic.nack"),
        |s| {
            let q = s.queue("q");
            s.channel(1)
                .declare_queue(1, &q)
                .publish(1, "", &q, b"m")
                .call(
                    1,
                    BasicGet {
                        queue: short(&q),
                        ..Default::default()
                    },
                    "basic.get-ok",
                )
                .send(
                    1,
                    BasicNack {
                        delivery_tag: 1,
                        multiple: false,
                        requeue: true,
                    },
                )
                .call_check(
                    1,
                    get(&q),
                    "basic.get-ok",
                    "redelivered=true",
                    |r| match &r.method {
                        Method::BasicGetOk(g) if g.redelivered => Ok(()),
                        _ => Err("redelivered=false".into()),
                    },
                );
        },
    ),
    scenario_if(
        "extensions/consumer_cancel_notify",
        C,
        "deleting a queue sends basic.cancel to its consumers",
        Needs::Capability("consumer_cancel_notify"),
        |s| {
            let q = s.queue("q");
            s.channel(1).declare_queue(1, &q);
            consume(s, 1, &q, "c1");
            // Deleted from another connection, so that the cancel is the only frame here.
            let delete = QueueDelete {
                queue: short(&q),
                ..Default::default()
            };
            s.on(1).channel(1).call(1, delete, "queue.delete-ok");
            s.on(0).expect_method(1, "basic.cancel");
        },
    ),
    scenario_if(
        "extensions/exchange_exchange_bindings",
        C,
        "exchange.bind routes from one exchange to another",
        Needs::Capability("exchange_exchange_bindings"),
        |s| {
            let a = s.exchange("a");
            let b = s.exchange("b");
            let q = s.queue("q");
            s.channel(1)
                .call(1, declare(&a, "fanout"), "exchange.declare-ok")
                .call(1, declare(&b, "fanout"), "exchange.declare-ok")
                .call(
                    1,
                    ExchangeBind {
                        destination: short(&b),
                        source: short(&a),
                        ..Default::default()
                    },
                    "exchange.bind-ok",
                )
                .declare_queue(1, &q)
                .call(1, bind(&q, &b, ""), "queue.bind-ok")
                .publish(1, &a, "", b"m")
                .call(1, get(&q), "basic.get-ok");
        },
    ),
    scenario_if(
        "extensions/per_consumer_qos",
        C,
        "basic.qos global=false limits each consumer: prefetch 1 gives one unacknowledged delivery",
        Needs::Capability("per_consumer_qos"),
        |s| {
            let q = s.queue("q");
            s.channel(1)
                .declare_queue(1, &q)
                .publish(1, "", &q, b"1")
                .publish(1, "", &q, b"2");
            s.call(
                1,
                BasicQos {
                    prefetch_count: 1,
                    global: false,
                    ..Default::default()
                },
                "basic.qos-ok",
            )
            .call(
                1,
                BasicConsume {
                    queue: short(&q),
                    ..Default::default()
                },
                "basic.consume-ok",
            )
            .expect_method(1, "basic.deliver")
            .expect_silence();
        },
    ),
    scenario_if(
        "extensions/authentication_failure_close",
        C,
        "a wrong password is answered with connection.close 403 (access-refused)",
        Needs::Capability("authentication_failure_close"),
        |s| {
            s.connect_with(HandshakeOptions {
                wrong_password: true,
                stop_after_start_ok: true,
                ..Default::default()
            })
            .expect_connection_close(&[ACCESS_REFUSED]);
        },
    ),
    unobservable(
        "extensions/connection.blocked",
        C,
        "connection.blocked is sent when the broker raises a resource alarm",
        Reason::NotInducible,
    ),
    scenario_if(
        "extensions/direct-reply-to",
        C,
        "a consumer on amq.rabbitmq.reply-to makes reply-to of a publish a routable pseudo-queue",
        Needs::Product("RabbitMQ"),
        |s| {
            let q = s.queue("q");
            s.channel(1)
                .declare_queue(1, &q)
                .call(
                    1,
                    BasicConsume {
                        queue: short("amq.rabbitmq.reply-to"),
                        no_ack: true,
                        ..Default::default()
                    },
                    "basic.consume-ok",
                )
                .publish_with(
                    1,
                    publish_to(&q),
                    BasicProperties::default().with_reply_to(short("amq.rabbitmq.reply-to")),
                    b"request",
                )
                .call_check(
                    1,
                    get(&q),
                    "basic.get-ok",
                    "reply-to amq.rabbitmq.reply-to.*",
                    |r| {
                        let reply_to = r.properties.as_ref().and_then(|p| p.reply_to.clone());
                        match reply_to {
                            Some(rt) if rt.as_bytes().starts_with(b"amq.rabbitmq.reply-to.") => {
                                Ok(())
                            }
                            other => Err(format!("reply-to {other:?}")),
                        }
                    },
                )
                .expect(Expect::Silence);
        },
    ),
];
