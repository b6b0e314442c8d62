//! Class `basic` (and the delivery-tag and redelivered domains): qos,
//! consumers, publishing, acknowledgements, recovery.

use std::sync::{Arc, Mutex};

use amqp091_codec::method::{
    BasicAck, BasicCancel, BasicConsume, BasicGet, BasicPublish, BasicQos, BasicRecover,
    BasicRecoverAsync, BasicReject, ConfirmSelect, ConnectionClose, ExchangeDeclare, QueueDelete,
    TxCommit, TxSelect,
};
use amqp091_codec::{BasicProperties, Method};

use super::channel::consume;
use super::code::*;
use super::connection::{get, publish_to};

use super::{scenario, scenario_if, unobservable, Entry, Needs, Reason};
use crate::scenario::{short, Received, Script};
use crate::session::HandshakeOptions;

const C: &str = "basic";

/// basic.get in acknowledgement mode.
fn get_ack(queue: &str) -> BasicGet {
    BasicGet {
        queue: short(queue),
        ..Default::default()
    }
}

fn ack(tag: u64) -> BasicAck {
    BasicAck {
        delivery_tag: tag,
        multiple: false,
    }
}

fn redelivered(r: &Received) -> Result<(), String> {
    match &r.method {
        Method::BasicGetOk(g) if g.redelivered => Ok(()),
        Method::BasicDeliver(d) if d.redelivered => Ok(()),
        _ => Err("redelivered=false".into()),
    }
}

fn body_is(want: &'static [u8]) -> impl Fn(&Received) -> Result<(), String> + Send + Sync {
    move |r| match r.body.as_deref() {
        Some(b) if b == want => Ok(()),
        other => Err(format!("body {:?}", other.map(String::from_utf8_lossy))),
    }
}

/// Closes connection `conn` with the close handshake.
fn close(s: &mut Script) -> &mut Script {
    s.call(
        0,
        ConnectionClose {
            reply_code: 200,
            ..Default::default()
        },
        "connection.close-ok",
    )
}

/// A queue with one message in it, on channel 1.
fn queue_with(s: &mut Script, bodies: &[&'static [u8]]) -> String {
    let q = s.queue("q");
    s.channel(1).declare_queue(1, &q);
    for b in bodies {
        s.publish(1, "", &q, b);
    }
    q
}

/// The entries of class `basic`.
pub(crate) const ENTRIES: &[Entry] = &[
    scenario(
        "delivery-tag/channel-local",
        C,
        "a delivery tag acknowledged on another channel is unknown there: a channel error 406",
        |s| {
            let q = queue_with(s, &[b"m"]);
            s.call(1, get_ack(&q), "basic.get-ok")
                .channel(2)
                .send(2, ack(1))
                .expect_channel_close(2, &[PRECONDITION_FAILED]);
        },
    ),
    scenario("delivery-tag/non-zero", C, "delivery tags are never zero", |s| {
        let q = queue_with(s, &[b"m"]);
        s.call_check(1, get_ack(&q), "basic.get-ok", "delivery-tag != 0", |r| match &r.method {
            Method::BasicGetOk(g) if g.delivery_tag != 0 => Ok(()),
            _ => Err("delivery-tag 0".into()),
        });
    }),
    scenario(
        "redelivered/implementation",
        C,
        "a message left unacknowledged by a closed connection comes back with redelivered=true",
        |s| {
            let q = queue_with(s, &[b"m"]);
            s.call(1, get_ack(&q), "basic.get-ok");
            close(s);
            s.on(1).channel(1).call_check(1, get(&q), "basic.get-ok", "redelivered=true", redelivered);
        },
    ),
    unobservable("redelivered/hinting", C, "clients treat redelivered as a hint", Reason::ClientObligation),
    scenario_if("basic/01", C, "persistent messages survive a restart", Needs::Restart, |s| {
        // As the rule's scenario: a durable queue (persistence without one
        // makes no sense) and a persistent message that is the broker's
        // before the restart: confirmed where the broker offers publisher
        // confirms, committed in a transaction otherwise.
        let q = s.queue("q");
        let mut d = s.queue_declare(&q);
        d.durable = true;
        let persistent = BasicProperties::default().persistent();
        let confirms = s.env.server.capability("publisher_confirms");
        s.channel(1).call(1, d, "queue.declare-ok");
        if confirms {
            s.call(1, ConfirmSelect { nowait: false }, "confirm.select-ok")
                .publish_with(1, publish_to(&q), persistent, b"kept")
                .expect_method(1, "basic.ack");
        } else {
            s.call(1, TxSelect {}, "tx.select-ok")
                .publish_with(1, publish_to(&q), persistent, b"kept")
                .call(1, TxCommit {}, "tx.commit-ok");
        }
        s.restart_broker();
        s.channel(1).call_check(1, get(&q), "basic.get-ok", "the body \"kept\"", |r| {
            match r.body.as_deref() {
                Some(b"kept") => Ok(()),
                other => Err(format!("body {other:?}")),
            }
        });
    }),
    unobservable("basic/02", C, "persistent messages are not dropped on queue overflow", Reason::NotInducible),
    unobservable("basic/03", C, "a server may throttle publishers with channel.flow", Reason::Permissive),
    unobservable("basic/04", C, "a server may page transient messages to disk", Reason::Permissive),
    unobservable("basic/05", C, "a server may drop transient messages by priority", Reason::Permissive),
    scenario(
        "basic/06",
        C,
        "priorities 0-4 and 5-9 are two levels: a priority-9 message overtakes earlier priority-0 ones",
        |s| {
            let q = s.queue("q");
            s.channel(1).declare_queue(1, &q);
            for _ in 0..3 {
                s.publish_with(1, publish_to(&q), BasicProperties::default().with_priority(0), b"low");
            }
            s.publish_with(1, publish_to(&q), BasicProperties::default().with_priority(9), b"high")
                .call_check(1, get(&q), "basic.get-ok", "the priority-9 message first", body_is(b"high"));
        },
    ),
    unobservable("basic/07", C, "a server may implement up to 10 priority levels", Reason::Permissive),
    scenario(
        "basic/08",
        C,
        "messages of one priority arrive in publication order whatever their persistence",
        |s| {
            let q = s.queue("q");
            s.channel(1).declare_queue(1, &q);
            let bodies: [&'static [u8]; 4] = [b"1", b"2", b"3", b"4"];
            for (i, b) in bodies.iter().enumerate() {
                let mode = if i % 2 == 0 { 2 } else { 1 };
                s.publish_with(1, publish_to(&q), BasicProperties::default().with_delivery_mode(mode), b);
            }
            for b in bodies {
                s.call_check(1, get(&q), "basic.get-ok", "the next message in order", body_is(b));
            }
        },
    ),
    scenario("basic/09", C, "consumers with no-ack receive deliveries", |s| {
        let q = queue_with(s, &[b"m"]);
        consume(s, 1, &q, "c1").expect_method(1, "basic.deliver");
    }),
    scenario(
        "basic/10",
        C,
        "with explicit acks, the unacknowledged half comes back after reconnecting",
        |s| {
            let q = queue_with(s, &[b"1", b"2", b"3", b"4"]);
            for _ in 0..4 {
                s.call(1, get_ack(&q), "basic.get-ok");
            }
            // A round trip on the channel before the close: a broker that
            // handles the connection's close apart from the channel's
            // frames (GarageMQ) could otherwise requeue a message whose
            // ack was on its way, and the verdict would change between runs.
            s.send(1, ack(1))
                .send(1, ack(2))
                .call(1, BasicQos::default(), "basic.qos-ok");
            close(s);
            s.on(1)
                .channel(1)
                .call_check(1, get(&q), "basic.get-ok", "message 3", body_is(b"3"))
                .call_check(1, get(&q), "basic.get-ok", "message 4", body_is(b"4"))
                .call(1, get(&q), "basic.get-empty");
        },
    ),
    scenario(
        "basic/qos/prefetch-size/01",
        C,
        "a message larger than prefetch-size is still delivered when nothing is unacknowledged",
        |s| {
            let q = queue_with(s, &[b"a message longer than ten octets"]);
            s.call(1, BasicQos { prefetch_size: 10, ..Default::default() }, "basic.qos-ok")
                .call(1, BasicConsume { queue: short(&q), ..Default::default() }, "basic.consume-ok")
                .expect_method(1, "basic.deliver");
        },
    ),
    scenario(
        "basic/qos/prefetch-count/01",
        C,
        "with prefetch-count 2, exactly 2 unacknowledged deliveries arrive, one more per ack",
        |s| {
            let q = queue_with(s, &[b"1", b"2", b"3", b"4", b"5"]);
            s.call(1, BasicQos { prefetch_count: 2, ..Default::default() }, "basic.qos-ok")
                .call(1, BasicConsume { queue: short(&q), ..Default::default() }, "basic.consume-ok")
                .expect_method(1, "basic.deliver")
                .expect_method(1, "basic.deliver")
                .expect_silence()
                .send(1, ack(1))
                .expect_method(1, "basic.deliver")
                .expect_silence();
        },
    ),
    scenario("basic/consume/01", C, "16 consumers can consume from one queue", |s| {
        let q = queue_with(s, &[]);
        for i in 0..16 {
            consume(s, 1, &q, &format!("c{i}"));
        }
    }),
    scenario(
        "basic/consume/consumer-tag/01",
        C,
        "a second consumer with the same tag on a channel is a connection error 530",
        |s| {
            let q = queue_with(s, &[]);
            consume(s, 1, &q, "c1");
            s.send(1, BasicConsume { queue: short(&q), consumer_tag: short("c1"), no_ack: true, ..Default::default() })
                .expect_connection_close(&[NOT_ALLOWED]);
        },
    ),
    scenario(
        "basic/consume/consumer-tag/02",
        C,
        "server-generated consumer tags are unique across the channels of a connection",
        |s| {
            let q = queue_with(s, &[]);
            let tags = Arc::new(Mutex::new(Vec::<Vec<u8>>::new()));
            s.channel(2);
            for ch in [1u16, 2, 1, 2] {
                let tags = tags.clone();
                s.call_check(
                    ch,
                    BasicConsume { queue: short(&q), no_ack: true, ..Default::default() },
                    "basic.consume-ok",
                    "a tag not seen before",
                    move |r| {
                        let Method::BasicConsumeOk(ok) = &r.method else { return Err("not consume-ok".into()) };
                        let mut seen = tags.lock().map_err(|_| "poisoned".to_string())?;
                        let tag = ok.consumer_tag.as_bytes().to_vec();
                        if seen.contains(&tag) {
                            return Err("a tag already given".into());
                        }
                        seen.push(tag);
                        Ok(())
                    },
                );
            }
        },
    ),
    scenario(
        "basic/consume/exclusive/01",
        C,
        "an exclusive consume on a queue that has consumers is refused with 403",
        |s| {
            let q = queue_with(s, &[]);
            consume(s, 1, &q, "c1");
            s.on(1)
                .channel(1)
                .send(1, BasicConsume { queue: short(&q), exclusive: true, ..Default::default() })
                .expect_channel_close(1, &[ACCESS_REFUSED]);
        },
    ),
    scenario(
        "basic/cancel/01",
        C,
        "basic.cancel of a valid tag whose queue was deleted is answered with cancel-ok",
        |s| {
            s.connect_with(HandshakeOptions { capabilities: false, ..Default::default() });
            let q = queue_with(s, &[]);
            consume(s, 1, &q, "c1");
            s.call(1, QueueDelete { queue: short(&q), ..Default::default() }, "queue.delete-ok")
                .call(1, BasicCancel { consumer_tag: short("c1"), ..Default::default() }, "basic.cancel-ok");
        },
    ),
    scenario(
        "basic/publish/exchange/must-exist",
        C,
        "publishing to a missing exchange is a channel error 404",
        |s| {
            let x = s.name("missing");
            s.channel(1).publish(1, &x, "k", b"m").expect_channel_close(1, &[NOT_FOUND]);
        },
    ),
    scenario(
        "basic/publish/exchange/default-exchange",
        C,
        "basic.publish accepts the empty exchange name as the default exchange",
        |s| {
            let q = queue_with(s, &[b"m"]);
            s.call(1, get(&q), "basic.get-ok");
        },
    ),
    scenario(
        "basic/publish/exchange/02",
        C,
        "publishing to an internal exchange is a channel error 403",
        |s| {
            let x = s.exchange("internal");
            s.channel(1)
                .call(
                    1,
                    ExchangeDeclare { exchange: short(&x), kind: short("direct"), internal: true, ..Default::default() },
                    "exchange.declare-ok",
                )
                .publish(1, &x, "k", b"m")
                .expect_channel_close(1, &[ACCESS_REFUSED]);
        },
    ),
    unobservable("basic/publish/exchange/03", C, "an exchange may refuse content (540)", Reason::Permissive),
    scenario(
        "basic/publish/mandatory/01",
        C,
        "an unroutable mandatory message comes back as basic.return 312 (no-route)",
        |s| {
            let nowhere = s.name("nowhere");
            s.channel(1)
                .publish_with(
                    1,
                    BasicPublish { exchange: short("amq.direct"), routing_key: short(&nowhere), mandatory: true, ..Default::default() },
                    BasicProperties::default(),
                    b"m",
                )
                .expect_check(1, "basic.return", "reply-code 312", |r| match &r.method {
                    Method::BasicReturn(m) if m.reply_code == NO_ROUTE => Ok(()),
                    _ => Err("another reply-code".into()),
                });
        },
    ),
    scenario(
        "basic/publish/immediate/01",
        C,
        "an immediate message to a queue with no consumer comes back as basic.return 313 (no-consumers)",
        |s| {
            let q = queue_with(s, &[]);
            s.publish_with(1, BasicPublish { routing_key: short(&q), immediate: true, ..Default::default() }, BasicProperties::default(), b"m")
                .expect_check(1, "basic.return", "reply-code 313", |r| match &r.method {
                    Method::BasicReturn(m) if m.reply_code == 313 => Ok(()),
                    _ => Err("another reply-code".into()),
                });
        },
    ),
    unobservable(
        "basic/deliver/01",
        C,
        "a message redelivered many times should be dead-lettered (no count is given)",
        Reason::Permissive,
    ),
    scenario(
        "basic/ack/multiple/exists",
        C,
        "acking a tag twice, a tag never delivered, or one on a transacted channel (at once) is a 406",
        |s| {
            // The rule's three sentences, one channel each: twice...
            let q = queue_with(s, &[b"m"]);
            s.call(1, get_ack(&q), "basic.get-ok")
                .send(1, ack(1))
                .send(1, ack(1))
                .expect_channel_close(1, &[PRECONDITION_FAILED]);
            // ...a tag that refers to no delivered message...
            s.channel(2)
                .send(2, ack(7))
                .expect_channel_close(2, &[PRECONDITION_FAILED]);
            // ...and on a transacted channel, checked at once, not at tx.commit.
            s.channel(3)
                .call(3, TxSelect {}, "tx.select-ok")
                .send(3, ack(7))
                .expect_channel_close(3, &[PRECONDITION_FAILED]);
        },
    ),
    unobservable(
        "basic/reject/01",
        C,
        "the server reads a reject while it is sending content",
        Reason::NotInducible,
    ),
    scenario(
        "basic/reject/02",
        C,
        "a rejected (requeue) message stays on the queue, marked redelivered",
        |s| {
            let q = queue_with(s, &[b"m"]);
            s.call(1, get_ack(&q), "basic.get-ok")
                .send(1, BasicReject { delivery_tag: 1, requeue: true })
                .call_check(1, get(&q), "basic.get-ok", "redelivered=true", redelivered);
        },
    ),
    unobservable(
        "basic/reject/03",
        C,
        "clients do not use reject to select messages",
        Reason::ClientObligation,
    ),
    scenario(
        "basic/reject/requeue/01",
        C,
        "a message rejected with requeue is not delivered again to the same consumer on that channel",
        |s| {
            let q = queue_with(s, &[b"m"]);
            s.call(1, BasicConsume { queue: short(&q), consumer_tag: short("c1"), ..Default::default() }, "basic.consume-ok")
                .expect_method(1, "basic.deliver")
                .send(1, BasicReject { delivery_tag: 1, requeue: true })
                .expect_silence();
        },
    ),
    scenario(
        "basic/recover-async/01",
        C,
        "messages resent after basic.recover-async are marked redelivered",
        |s| {
            let q = queue_with(s, &[b"m"]);
            s.call(1, get_ack(&q), "basic.get-ok")
                .send(1, BasicRecoverAsync { requeue: true })
                .call_check(1, get(&q), "basic.get-ok", "redelivered=true", redelivered);
        },
    ),
    scenario(
        "basic/recover/01",
        C,
        "messages resent after basic.recover are marked redelivered",
        |s| {
            let q = queue_with(s, &[b"m"]);
            s.call(1, get_ack(&q), "basic.get-ok")
                .call(1, BasicRecover { requeue: true }, "basic.recover-ok")
                .call_check(1, get(&q), "basic.get-ok", "redelivered=true", redelivered);
        },
    ),
];
