//! `semantics/no-wait/…`: every method with a no-wait flag, sent with it
//! set. The spec's domain `no-wait`: "If set, the server will not respond to
//! the method." Each scenario sends the method with the flag, then
//! `basic.qos` (which has no such flag): the next frame must be its
//! `qos-ok`, not the method's own reply; a last step checks that the method
//! took effect. `confirm.select`'s flag is `confirm/select/nowait`.

use amqp091_codec::method::{
    BasicCancel, BasicConsume, BasicQos, ExchangeBind, ExchangeDeclare, ExchangeDelete,
    ExchangeUnbind, QueueBind, QueueDelete, QueuePurge,
};

use super::code::*;
use super::connection::{get, passive_declare, publish_to};
use super::exchange::{bind, declare};
use super::{scenario, scenario_if, Entry, Needs};
use crate::scenario::{short, Script};

const C: &str = "semantics";

/// Nothing answers the no-wait method: the next reply is basic.qos's.
fn then_only_qos_ok(s: &mut Script) -> &mut Script {
    s.call(1, BasicQos::default(), "basic.qos-ok")
}

/// A passive exchange.declare of the direct exchange `name` (with its type,
/// though a passive declare ignores it: this checks existence only).
fn exchange_exists(name: &str) -> ExchangeDeclare {
    ExchangeDeclare {
        passive: true,
        ..declare(name, "direct")
    }
}

/// Two exchanges, `destination` bound to `source` with key `k` when `bound`.
fn two_exchanges(s: &mut Script, bound: bool) -> (String, String) {
    let (source, destination) = (s.exchange("source"), s.exchange("destination"));
    s.channel(1)
        .call(1, declare(&source, "direct"), "exchange.declare-ok")
        .call(1, declare(&destination, "fanout"), "exchange.declare-ok");
    if bound {
        s.call(
            1,
            exchange_bind(&destination, &source, false),
            "exchange.bind-ok",
        );
    }
    (source, destination)
}

fn exchange_bind(destination: &str, source: &str, no_wait: bool) -> ExchangeBind {
    ExchangeBind {
        destination: short(destination),
        source: short(source),
        routing_key: short("k"),
        no_wait,
        ..Default::default()
    }
}

const E2E: Needs = Needs::Capability("exchange_exchange_bindings");

/// The entries: one per method with a no-wait flag.
pub(crate) const ENTRIES: &[Entry] = &[
    scenario(
        "semantics/no-wait/exchange.declare",
        C,
        "exchange.declare with no-wait gets no reply, and declares",
        |s| {
            let x = s.exchange("x");
            let mut d = declare(&x, "direct");
            d.no_wait = true;
            s.channel(1).send(1, d);
            then_only_qos_ok(s).call(1, exchange_exists(&x), "exchange.declare-ok");
        },
    ),
    scenario(
        "semantics/no-wait/exchange.delete",
        C,
        "exchange.delete with no-wait gets no reply, and deletes",
        |s| {
            let x = s.exchange("x");
            let delete = ExchangeDelete {
                exchange: short(&x),
                no_wait: true,
                ..Default::default()
            };
            s.channel(1)
                .call(1, declare(&x, "direct"), "exchange.declare-ok")
                .send(1, delete);
            then_only_qos_ok(s)
                .send(1, exchange_exists(&x))
                .expect_channel_close(1, &[NOT_FOUND]);
        },
    ),
    scenario_if(
        "semantics/no-wait/exchange.bind",
        C,
        "exchange.bind with no-wait gets no reply, and binds",
        E2E,
        |s| {
            let (source, destination) = two_exchanges(s, false);
            let q = s.queue("q");
            s.declare_queue(1, &q)
                .call(1, bind(&q, &destination, ""), "queue.bind-ok")
                .send(1, exchange_bind(&destination, &source, true));
            // Routed source -> destination -> queue.
            then_only_qos_ok(s)
                .publish(1, &source, "k", b"m")
                .call(1, get(&q), "basic.get-ok");
        },
    ),
    scenario_if(
        "semantics/no-wait/exchange.unbind",
        C,
        "exchange.unbind with no-wait gets no reply, and unbinds",
        E2E,
        |s| {
            let (source, destination) = two_exchanges(s, true);
            let q = s.queue("q");
            let unbind = ExchangeUnbind {
                destination: short(&destination),
                source: short(&source),
                routing_key: short("k"),
                no_wait: true,
                ..Default::default()
            };
            s.declare_queue(1, &q)
                .call(1, bind(&q, &destination, ""), "queue.bind-ok")
                .send(1, unbind);
            // Nothing routed any more.
            then_only_qos_ok(s)
                .publish(1, &source, "k", b"m")
                .call(1, get(&q), "basic.get-empty");
        },
    ),
    scenario(
        "semantics/no-wait/queue.declare",
        C,
        "queue.declare with no-wait gets no reply, and declares",
        |s| {
            let q = s.queue("q");
            let mut d = s.queue_declare(&q);
            d.no_wait = true;
            let passive = passive_declare(&q);
            s.channel(1).send(1, d);
            then_only_qos_ok(s).call(1, passive, "queue.declare-ok");
        },
    ),
    scenario(
        "semantics/no-wait/queue.bind",
        C,
        "queue.bind with no-wait gets no reply, and binds",
        |s| {
            let (q, x) = (s.queue("q"), s.exchange("x"));
            let b = QueueBind {
                no_wait: true,
                ..bind(&q, &x, "k")
            };
            s.channel(1)
                .call(1, declare(&x, "direct"), "exchange.declare-ok")
                .declare_queue(1, &q)
                .send(1, b);
            then_only_qos_ok(s)
                .publish(1, &x, "k", b"m")
                .call(1, get(&q), "basic.get-ok");
        },
    ),
    scenario(
        "semantics/no-wait/queue.purge",
        C,
        "queue.purge with no-wait gets no reply, and purges",
        |s| {
            let q = s.queue("q");
            let purge = QueuePurge {
                queue: short(&q),
                no_wait: true,
                ..Default::default()
            };
            s.channel(1)
                .declare_queue(1, &q)
                .publish_with(1, publish_to(&q), Default::default(), b"m")
                // The message is in the queue before the purge.
                .call(1, BasicQos::default(), "basic.qos-ok")
                .send(1, purge);
            then_only_qos_ok(s).call(1, get(&q), "basic.get-empty");
        },
    ),
    scenario(
        "semantics/no-wait/queue.delete",
        C,
        "queue.delete with no-wait gets no reply, and deletes",
        |s| {
            let q = s.queue("q");
            let delete = QueueDelete {
                queue: short(&q),
                no_wait: true,
                ..Default::default()
            };
            let passive = passive_declare(&q);
            s.channel(1).declare_queue(1, &q).send(1, delete);
            then_only_qos_ok(s)
                .send(1, passive)
                .expect_channel_close(1, &[NOT_FOUND]);
        },
    ),
    scenario(
        "semantics/no-wait/basic.consume",
        C,
        "basic.consume with no-wait gets no reply, and consumes",
        |s| {
            let q = s.queue("q");
            let consume = BasicConsume {
                queue: short(&q),
                consumer_tag: short("nowait-consumer"),
                no_ack: true,
                no_wait: true,
                ..Default::default()
            };
            s.channel(1).declare_queue(1, &q).send(1, consume);
            then_only_qos_ok(s)
                .publish_with(1, publish_to(&q), Default::default(), b"m")
                .expect_method(1, "basic.deliver");
        },
    ),
    scenario(
        "semantics/no-wait/basic.cancel",
        C,
        "basic.cancel with no-wait gets no reply, and cancels",
        |s| {
            let q = s.queue("q");
            let cancel = BasicCancel {
                consumer_tag: short("nowait-consumer"),
                no_wait: true,
            };
            s.channel(1).declare_queue(1, &q);
            super::channel::consume(s, 1, &q, "nowait-consumer").send(1, cancel);
            // Nothing is delivered to the cancelled consumer: the message
            // stays in the queue.
            then_only_qos_ok(s)
                .publish_with(1, publish_to(&q), Default::default(), b"m")
                .call(1, get(&q), "basic.get-ok");
        },
    ),
];
