//! Class `exchange`: types, pre-declared instances, declare and delete.

use amqp091_codec::method::{ExchangeDeclare, ExchangeDelete, QueueBind};

use super::code::*;
use super::connection::{get, publish_to};
use super::{scenario, unobservable, Entry, Reason};
use crate::scenario::{short, Script};

const C: &str = "exchange";

/// exchange.declare of `name` with `kind`.
pub(crate) fn declare(name: &str, kind: &str) -> ExchangeDeclare {
    ExchangeDeclare {
        exchange: short(name),
        kind: short(kind),
        ..Default::default()
    }
}

/// queue.bind of `queue` to `exchange` with `key`.
pub(crate) fn bind(queue: &str, exchange: &str, key: &str) -> QueueBind {
    QueueBind {
        queue: short(queue),
        exchange: short(exchange),
        routing_key: short(key),
        ..Default::default()
    }
}

fn declare_each(s: &mut Script, kinds: &[&str]) {
    s.channel(1);
    for kind in kinds {
        let x = s.exchange(kind);
        s.call(1, declare(&x, kind), "exchange.declare-ok");
    }
}

/// The entries of class `exchange`.
pub(crate) const ENTRIES: &[Entry] = &[
    scenario(
        "exchange/required-types",
        C,
        "fanout and direct exchanges can be declared",
        |s| declare_each(s, &["fanout", "direct"]),
    ),
    scenario(
        "exchange/recommended-types",
        C,
        "topic and headers exchanges can be declared",
        |s| declare_each(s, &["topic", "headers"]),
    ),
    scenario(
        "exchange/required-instances",
        C,
        "amq.fanout, amq.direct, amq.topic and amq.headers exist: a queue binds to each",
        |s| {
            let q = s.queue("q");
            s.channel(1).declare_queue(1, &q);
            for x in ["amq.fanout", "amq.direct", "amq.topic", "amq.headers"] {
                s.call(1, bind(&q, x, "k"), "queue.bind-ok");
            }
        },
    ),
    scenario(
        "exchange/default-exchange",
        C,
        "a message published to \"\" with a queue's name as routing key reaches that queue",
        |s| {
            let q = s.queue("q");
            s.channel(1)
                .declare_queue(1, &q)
                .publish_with(1, publish_to(&q), Default::default(), b"m")
                .call(1, get(&q), "basic.get-ok");
        },
    ),
    scenario(
        "exchange/default-access",
        C,
        "the default exchange cannot be deleted by name: a channel exception",
        |s| {
            s.channel(1)
                .send(
                    1,
                    ExchangeDelete {
                        exchange: short(""),
                        ..Default::default()
                    },
                )
                .expect_channel_close(1, &[ACCESS_REFUSED, NOT_FOUND, PRECONDITION_FAILED]);
        },
    ),
    unobservable(
        "exchange/extensions",
        C,
        "a server may offer other exchange types",
        Reason::Permissive,
    ),
    scenario(
        "exchange/declare/minimum",
        C,
        "16 exchanges can be declared",
        |s| {
            s.channel(1);
            for i in 0..16 {
                let x = s.exchange(&format!("x{i}"));
                s.call(1, declare(&x, "direct"), "exchange.declare-ok");
            }
        },
    ),
    scenario(
        "exchange/declare/exchange/reserved",
        C,
        "declaring a new exchange named amq.* (not passive) is refused with 403",
        |s| {
            let x = format!("amq.{}", s.name("x"));
            s.exchanges.push(x.clone());
            s.channel(1)
                .send(1, declare(&x, "direct"))
                .expect_channel_close(1, &[ACCESS_REFUSED]);
        },
    ),
    scenario(
        "exchange/declare/exchange/syntax",
        C,
        "an exchange name with characters outside letters, digits, - _ . : is refused with 406",
        |s| {
            let x = s.exchange("bad name!");
            s.channel(1)
                .send(1, declare(&x, "direct"))
                .expect_channel_close(1, &[PRECONDITION_FAILED]);
        },
    ),
    scenario(
        "exchange/declare/type/typed",
        C,
        "redeclaring an exchange with another type is a connection error 530 (not-allowed)",
        |s| {
            let x = s.exchange("x");
            s.channel(1)
                .call(1, declare(&x, "direct"), "exchange.declare-ok")
                .send(1, declare(&x, "fanout"))
                .expect_connection_close(&[NOT_ALLOWED]);
        },
    ),
    scenario(
        "exchange/declare/type/support",
        C,
        "declaring an exchange of an unknown type is a connection error 503 (command-invalid)",
        |s| {
            let x = s.exchange("x");
            s.channel(1)
                .send(1, declare(&x, "no-such-type"))
                .expect_connection_close(&[COMMAND_INVALID]);
        },
    ),
    scenario(
        "exchange/declare/passive/not-found",
        C,
        "a passive declare of a missing exchange is a channel error 404",
        |s| {
            let x = s.name("missing");
            let mut d = declare(&x, "direct");
            d.passive = true;
            s.channel(1)
                .send(1, d)
                .expect_channel_close(1, &[NOT_FOUND]);
        },
    ),
    scenario(
        "exchange/declare/passive/equivalent",
        C,
        "redeclaring an exchange with another durable flag is a channel exception (406)",
        |s| {
            let x = s.exchange("x");
            let mut durable = declare(&x, "direct");
            durable.durable = true;
            s.channel(1)
                .call(1, declare(&x, "direct"), "exchange.declare-ok")
                .send(1, durable)
                .expect_channel_close(1, &[PRECONDITION_FAILED]);
        },
    ),
    scenario(
        "exchange/declare/durable/support",
        C,
        "durable and transient exchanges can be declared",
        |s| {
            let a = s.exchange("durable");
            let b = s.exchange("transient");
            let mut d = declare(&a, "direct");
            d.durable = true;
            s.channel(1).call(1, d, "exchange.declare-ok").call(
                1,
                declare(&b, "direct"),
                "exchange.declare-ok",
            );
        },
    ),
    scenario(
        "exchange/delete/exchange/exists",
        C,
        "deleting an exchange that does not exist is a channel error 404",
        |s| {
            let x = s.name("missing");
            s.channel(1)
                .send(
                    1,
                    ExchangeDelete {
                        exchange: short(&x),
                        ..Default::default()
                    },
                )
                .expect_channel_close(1, &[NOT_FOUND]);
        },
    ),
    scenario(
        "exchange/delete/if-unused/in-use",
        C,
        "exchange.delete if-unused of an exchange with a binding is refused with 406",
        |s| {
            let x = s.exchange("x");
            let q = s.queue("q");
            s.channel(1)
                .call(1, declare(&x, "direct"), "exchange.declare-ok")
                .declare_queue(1, &q)
                .call(1, bind(&q, &x, "k"), "queue.bind-ok")
                .send(
                    1,
                    ExchangeDelete {
                        exchange: short(&x),
                        if_unused: true,
                        ..Default::default()
                    },
                )
                .expect_channel_close(1, &[PRECONDITION_FAILED]);
        },
    ),
];
