//! Class `queue`: declare, bind, unbind, purge and delete.

use std::sync::{Arc, Mutex};

use amqp091_codec::method::{BasicGet, ChannelClose, QueueDelete, QueuePurge, QueueUnbind};
use amqp091_codec::Method;

use super::channel::consume;
use super::code::*;
use super::connection::{get, passive_declare, publish_to};
use super::exchange::{bind, declare};
use super::{scenario, scenario_if, unobservable, Entry, Needs, Reason};
use crate::scenario::{short, Received, Script};

const C: &str = "queue";

fn unbind(queue: &str, exchange: &str, key: &str) -> QueueUnbind {
    QueueUnbind {
        queue: short(queue),
        exchange: short(exchange),
        routing_key: short(key),
        ..Default::default()
    }
}

fn delete(queue: &str) -> QueueDelete {
    QueueDelete {
        queue: short(queue),
        ..Default::default()
    }
}

fn purge(queue: &str) -> QueuePurge {
    QueuePurge {
        queue: short(queue),
        ..Default::default()
    }
}

/// A check that get-ok (or purge-ok, declare-ok) reports `n` messages.
pub(crate) fn count(n: u32) -> impl Fn(&Received) -> Result<(), String> + Send + Sync {
    move |r| {
        let got = match &r.method {
            Method::BasicGetOk(m) => m.message_count,
            Method::QueuePurgeOk(m) => m.message_count,
            Method::QueueDeleteOk(m) => m.message_count,
            Method::QueueDeclareOk(m) => m.message_count,
            _ => return Err("no message-count".into()),
        };
        if got == n {
            Ok(())
        } else {
            Err(format!("message-count {got}"))
        }
    }
}

/// On a fresh channel, a method naming the empty queue is a 404.
fn unknown_empty_queue(s: &mut Script, method: Method) {
    s.channel(1)
        .send(1, method)
        .expect_channel_close(1, &[NOT_FOUND]);
}

/// The entries of class `queue`.
pub(crate) const ENTRIES: &[Entry] = &[
    scenario(
        "queue/declare/default-binding",
        C,
        "a new queue is bound to the default exchange by its name",
        |s| {
            let q = s.queue("q");
            s.channel(1)
                .declare_queue(1, &q)
                .publish_with(1, publish_to(&q), Default::default(), b"m")
                .call(1, get(&q), "basic.get-ok");
        },
    ),
    scenario("queue/declare/minimum-queues", C, "256 queues can be declared", |s| {
        s.channel(1);
        for i in 0..256 {
            let mut d = s.queue_declare(&s.name(&format!("q{i}")));
            d.exclusive = true; // gone with the connection: nothing to clean up
            s.call(1, d, "queue.declare-ok");
        }
    }),
    scenario(
        "queue/declare/queue/default-name",
        C,
        "queues declared with an empty name get unique, non-empty server-generated names",
        |s| {
            let names = Arc::new(Mutex::new(Vec::<String>::new()));
            s.channel(1);
            for _ in 0..3 {
                let names = names.clone();
                let mut d = s.queue_declare("");
                d.exclusive = true;
                s.call_check(1, d, "queue.declare-ok", "a new, non-empty name", move |r| {
                    let Method::QueueDeclareOk(ok) = &r.method else { return Err("not declare-ok".into()) };
                    let name = String::from_utf8_lossy(ok.queue.as_bytes()).into_owned();
                    let mut seen = names.lock().map_err(|_| "poisoned".to_string())?;
                    if name.is_empty() || seen.contains(&name) {
                        return Err(format!("name {name:?} (earlier: {:?})", seen));
                    }
                    seen.push(name);
                    Ok(())
                });
            }
        },
    ),
    scenario(
        "queue/declare/queue/reserved",
        C,
        "declaring a new queue named amq.* (not passive) is refused with 403",
        |s| {
            let q = format!("amq.{}", s.name("q"));
            s.queues.push(q.clone());
            let d = s.queue_declare(&q);
            s.channel(1).send(1, d).expect_channel_close(1, &[ACCESS_REFUSED]);
        },
    ),
    scenario(
        "queue/declare/queue/syntax",
        C,
        "a queue name with characters outside letters, digits, - _ . : is refused with 406",
        |s| {
            let q = s.queue("bad name!");
            let d = s.queue_declare(&q);
            s.channel(1).send(1, d).expect_channel_close(1, &[PRECONDITION_FAILED]);
        },
    ),
    scenario(
        "queue/declare/passive/passive",
        C,
        "a passive declare of an existing queue gets declare-ok; of a missing one, a channel error 404",
        |s| {
            let q = s.queue("q");
            let missing = s.name("missing");
            let p = passive_declare(&q);
            let pm = passive_declare(&missing);
            s.channel(1)
                .declare_queue(1, &q)
                .call(1, p, "queue.declare-ok")
                .send(1, pm)
                .expect_channel_close(1, &[NOT_FOUND]);
        },
    ),
    scenario(
        "queue/declare/passive/equivalent",
        C,
        "redeclaring a queue with another durable flag is a channel exception (406)",
        |s| {
            let q = s.queue("q");
            let mut d = s.queue_declare(&q);
            d.durable = true;
            s.channel(1).declare_queue(1, &q).send(1, d).expect_channel_close(1, &[PRECONDITION_FAILED]);
        },
    ),
    scenario_if(
        "queue/declare/durable/persistence",
        C,
        "a durable queue survives a restart",
        Needs::Restart,
        |s| {
            let q = s.queue("q");
            let mut d = s.queue_declare(&q);
            d.durable = true;
            s.channel(1).call(1, d, "queue.declare-ok").restart_broker();
            let passive = passive_declare(&q);
            s.channel(1).call(1, passive, "queue.declare-ok");
        },
    ),
    scenario("queue/declare/durable/types", C, "durable and transient queues can be declared", |s| {
        let a = s.queue("durable");
        let b = s.queue("transient");
        let mut d = s.queue_declare(&a);
        d.durable = true;
        s.channel(1).call(1, d, "queue.declare-ok").declare_queue(1, &b);
    }),
    scenario("queue/declare/exclusive/types", C, "exclusive and shared queues can be declared", |s| {
        let a = s.queue("exclusive");
        let b = s.queue("shared");
        let mut d = s.queue_declare(&a);
        d.exclusive = true;
        s.channel(1).call(1, d, "queue.declare-ok").declare_queue(1, &b);
    }),
    scenario(
        "queue/declare/exclusive/exclusive",
        C,
        "another connection's use of an exclusive queue is refused with 405 (resource-locked)",
        |s| {
            let q = s.queue("q");
            let mut d = s.queue_declare(&q);
            d.exclusive = true;
            let p = passive_declare(&q);
            s.channel(1).call(1, d, "queue.declare-ok");
            s.on(1).channel(1).send(1, p).expect_channel_close(1, &[RESOURCE_LOCKED]);
        },
    ),
    scenario(
        "queue/declare/auto-delete/pre-existence",
        C,
        "redeclaring existing queues with the auto-delete flag reversed is accepted and changes nothing",
        |s| {
            let a = s.queue("auto");
            let b = s.queue("explicit");
            let mut auto = s.queue_declare(&a);
            auto.auto_delete = true;
            let mut auto_b = s.queue_declare(&b);
            auto_b.auto_delete = true;
            let passive = passive_declare(&b);
            s.channel(1)
                .call(1, auto, "queue.declare-ok")
                .declare_queue(1, &b)
                .declare_queue(1, &a)
                .call(1, auto_b, "queue.declare-ok");
            // b was not auto-delete: after a consumer comes and goes it still exists.
            consume(s, 1, &b, "c1");
            s.call(1, amqp091_codec::method::BasicCancel { consumer_tag: short("c1"), ..Default::default() }, "basic.cancel-ok")
                .call(1, passive, "queue.declare-ok");
        },
    ),
    scenario("queue/bind/duplicates", C, "binding twice with identical arguments is accepted", |s| {
        let q = s.queue("q");
        s.channel(1)
            .declare_queue(1, &q)
            .call(1, bind(&q, "amq.direct", "k"), "queue.bind-ok")
            .call(1, bind(&q, "amq.direct", "k"), "queue.bind-ok");
    }),
    scenario(
        "queue/bind/unique",
        C,
        "a message matching several bindings of a queue is enqueued once",
        |s| {
            let q = s.queue("q");
            s.channel(1).declare_queue(1, &q);
            for key in ["a.*", "*.b", "a.b", "#"] {
                s.call(1, bind(&q, "amq.topic", key), "queue.bind-ok");
            }
            s.publish(1, "amq.topic", "a.b", b"m")
                .call_check(1, get(&q), "basic.get-ok", "message-count 0", count(0))
                .call(1, get(&q), "basic.get-empty");
        },
    ),
    scenario(
        "queue/bind/transient-exchange",
        C,
        "a durable queue can bind to a transient exchange",
        |s| {
            let x = s.exchange("x");
            let q = s.queue("q");
            let mut d = s.queue_declare(&q);
            d.durable = true;
            s.channel(1)
                .call(1, declare(&x, "direct"), "exchange.declare-ok")
                .call(1, d, "queue.declare-ok")
                .call(1, bind(&q, &x, "k"), "queue.bind-ok");
        },
    ),
    scenario_if(
        "queue/bind/durable-exchange",
        C,
        "bindings of durable queues to durable exchanges survive a restart",
        Needs::Restart,
        |s| {
            let (q, x) = (s.queue("q"), s.exchange("x"));
            let mut d = s.queue_declare(&q);
            d.durable = true;
            let mut dx = declare(&x, "direct");
            dx.durable = true;
            s.channel(1)
                .call(1, dx, "exchange.declare-ok")
                .call(1, d, "queue.declare-ok")
                .call(1, bind(&q, &x, "k"), "queue.bind-ok")
                .restart_broker();
            // The binding routes: a message published to the exchange with
            // the key reaches the queue (get-ok, not get-empty).
            s.channel(1)
                .publish(1, &x, "k", b"m")
                .call(1, get(&q), "basic.get-ok");
        },
    ),
    scenario("queue/bind/binding-count", C, "a queue can be bound to 4 exchanges", |s| {
        let q = s.queue("q");
        s.channel(1).declare_queue(1, &q);
        for i in 0..4 {
            let x = s.exchange(&format!("x{i}"));
            s.call(1, declare(&x, "direct"), "exchange.declare-ok")
                .call(1, bind(&q, &x, "k"), "queue.bind-ok");
        }
    }),
    scenario(
        "queue/bind/queue/queue-known",
        C,
        "binding the empty queue name on a channel that declared none is a channel error 404",
        |s| unknown_empty_queue(s, bind("", "amq.direct", "k").into()),
    ),
    scenario("queue/bind/queue/must-exist", C, "binding a missing queue is a channel error 404", |s| {
        let q = s.name("missing");
        s.channel(1).send(1, bind(&q, "amq.direct", "k")).expect_channel_close(1, &[NOT_FOUND]);
    }),
    scenario(
        "queue/bind/exchange/exchange-existence",
        C,
        "binding to a missing exchange is a channel error 404",
        |s| {
            let q = s.queue("q");
            let x = s.name("missing");
            s.channel(1).declare_queue(1, &q).send(1, bind(&q, &x, "k")).expect_channel_close(1, &[NOT_FOUND]);
        },
    ),
    scenario(
        "queue/bind/exchange/default-exchange",
        C,
        "queue.bind accepts the empty exchange name as the default exchange",
        |s| {
            let q = s.queue("q");
            s.channel(1).declare_queue(1, &q).call(1, bind(&q, "", &q), "queue.bind-ok");
        },
    ),
    scenario(
        "queue/bind/routing-key/direct-exchange-key-matching",
        C,
        "a direct exchange routes a message to a queue bound with an equal key, and only then",
        |s| {
            let q = s.queue("q");
            s.channel(1)
                .declare_queue(1, &q)
                .call(1, bind(&q, "amq.direct", "K"), "queue.bind-ok")
                .publish(1, "amq.direct", "R", b"other")
                .publish(1, "amq.direct", "K", b"same")
                .call_check(1, get(&q), "basic.get-ok", "the message routed with K", |r| {
                    match r.body.as_deref() {
                        Some(b"same") => Ok(()),
                        other => Err(format!("body {other:?}")),
                    }
                })
                .call(1, get(&q), "basic.get-empty");
        },
    ),
    scenario(
        "queue/unbind/01",
        C,
        "a failing unbind (from a missing exchange) raises a connection exception",
        |s| {
            let q = s.queue("q");
            let x = s.name("missing");
            s.channel(1)
                .declare_queue(1, &q)
                .send(1, unbind(&q, &x, "k"))
                .expect_connection_close(&[NOT_FOUND, COMMAND_INVALID, NOT_ALLOWED]);
        },
    ),
    scenario(
        "queue/unbind/queue/queue-known",
        C,
        "unbinding the empty queue name on a channel that declared none is a channel error 404",
        |s| unknown_empty_queue(s, unbind("", "amq.direct", "k").into()),
    ),
    scenario("queue/unbind/queue/must-exist", C, "unbinding a missing queue is a channel error 404", |s| {
        let q = s.name("missing");
        s.channel(1).send(1, unbind(&q, "amq.direct", "k")).expect_channel_close(1, &[NOT_FOUND]);
    }),
    scenario(
        "queue/unbind/exchange/must-exist",
        C,
        "unbinding from a missing exchange is a channel error 404",
        |s| {
            let q = s.queue("q");
            let x = s.name("missing");
            s.channel(1).declare_queue(1, &q).send(1, unbind(&q, &x, "k")).expect_channel_close(1, &[NOT_FOUND]);
        },
    ),
    scenario(
        "queue/unbind/exchange/default-exchange",
        C,
        "queue.unbind accepts the empty exchange name as the default exchange",
        |s| {
            let q = s.queue("q");
            s.channel(1).declare_queue(1, &q).call(1, unbind(&q, "", &q), "queue.unbind-ok");
        },
    ),
    scenario(
        "queue/purge/02",
        C,
        "purge leaves delivered, unacknowledged messages: they come back when their channel closes",
        |s| {
            let q = s.queue("q");
            s.channel(1)
                .declare_queue(1, &q)
                .publish(1, "", &q, b"a")
                .publish(1, "", &q, b"b")
                .call(1, BasicGet { queue: short(&q), ..Default::default() }, "basic.get-ok")
                .call_check(1, purge(&q), "queue.purge-ok", "message-count 1", count(1))
                .call(1, ChannelClose { reply_code: 200, ..Default::default() }, "channel.close-ok")
                .channel(2)
                .call_check(2, get(&q), "basic.get-ok", "redelivered=true", |r| match &r.method {
                    Method::BasicGetOk(g) if g.redelivered => Ok(()),
                    _ => Err("redelivered=false".into()),
                });
        },
    ),
    unobservable("queue/purge/03", C, "a server may keep purged messages for administrators", Reason::ServerInternal),
    scenario(
        "queue/purge/queue/queue-known",
        C,
        "purging the empty queue name on a channel that declared none is a channel error 404",
        |s| unknown_empty_queue(s, purge("").into()),
    ),
    scenario("queue/purge/queue/must-exist", C, "purging a missing queue is a channel error 404", |s| {
        let q = s.name("missing");
        s.channel(1).send(1, purge(&q)).expect_channel_close(1, &[NOT_FOUND]);
    }),
    unobservable(
        "queue/delete/01",
        C,
        "messages of a deleted queue go to a dead-letter queue administrators can use",
        Reason::ServerInternal,
    ),
    scenario(
        "queue/delete/queue/queue-known",
        C,
        "deleting the empty queue name on a channel that declared none is a channel error 404",
        |s| unknown_empty_queue(s, delete("").into()),
    ),
    scenario("queue/delete/queue/must-exist", C, "deleting a missing queue is a channel error 404", |s| {
        let q = s.name("missing");
        s.channel(1).send(1, delete(&q)).expect_channel_close(1, &[NOT_FOUND]);
    }),
    scenario(
        "queue/delete/if-unused/in-use",
        C,
        "queue.delete if-unused of a queue with a consumer is refused with 406",
        |s| {
            let q = s.queue("q");
            s.channel(1).declare_queue(1, &q);
            consume(s, 1, &q, "c1");
            let mut d = delete(&q);
            d.if_unused = true;
            s.send(1, d).expect_channel_close(1, &[PRECONDITION_FAILED]);
        },
    ),
    scenario(
        "queue/delete/if-empty/not-empty",
        C,
        "queue.delete if-empty of a queue with messages is refused with 406",
        |s| {
            let q = s.queue("q");
            let mut d = delete(&q);
            d.if_empty = true;
            s.channel(1)
                .declare_queue(1, &q)
                .publish(1, "", &q, b"m")
                .send(1, d)
                .expect_channel_close(1, &[PRECONDITION_FAILED]);
        },
    ),
];
