//! Recovery's sequence: what a lost transport fails and keeps, the restore
//! of channels, modes, topology and consumers, delivery tags and publish
//! numbers across transports, held publishes, and a restore that fails.

use super::*;
use crate::codec::ShortStr;

#[test]
fn a_lost_transport_fails_what_was_in_flight_and_keeps_channels_and_consumers() {
    let mut h = Harness::recovering();
    let ch = with_topology(&mut h);
    assert_eq!(h.publish(ch).unwrap(), Some(1));
    assert_eq!(h.publish(ch).unwrap(), Some(2));
    let pending = h
        .conn
        .request(
            ch,
            QueueDeclare {
                queue: ShortStr::from_static("other"),
                ..Default::default()
            }
            .into(),
            h.now,
        )
        .unwrap()
        .unwrap();
    h.sent();
    h.feed(&[m(
        ch,
        BasicAck {
            delivery_tag: 1,
            multiple: false,
        },
    )]);
    h.events();
    h.conn.handle_io_error(std::io::Error::other("reset"));
    let ev = h.events();
    assert!(
        ev.iter().any(|e| matches!(e, Event::Unconfirmed { tags, error: Error::Io { .. }, .. } if *tags == (2..=2))),
        "the unconfirmed publish fails, never acked: {ev:?}"
    );
    assert!(
        completed(&ev)
            .iter()
            .any(|(id, r)| *id == pending && r.is_err()),
        "the request in flight fails: {ev:?}"
    );
    assert!(
        !ev.iter().any(|e| matches!(
            e,
            Event::ChannelClosed { .. } | Event::ConsumerEnded { .. } | Event::Closed(_)
        )),
        "channels and consumers survive: {ev:?}"
    );
    assert!(matches!(
        recovery_events(&ev).as_slice(),
        [RecoveryEvent::Lost {
            error: Error::Io { .. }
        }]
    ));
    assert!(matches!(
        h.conn.state(),
        ConnectionState::Recovering { attempt: 1, .. }
    ));
    assert!(
        h.conn.channel_is_open(ch),
        "the handle's channel is usable (held)"
    );
    assert!(!h.conn.is_closed());
}

#[test]
fn recovery_restores_channels_modes_topology_and_consumers_in_order() {
    let mut h = Harness::recovering();
    let ch = with_topology(&mut h);
    h.conn.handle_eof();
    h.events();
    let address = h.reconnect();
    assert_eq!(address.to_string(), "b:5682", "the next broker first");
    let sent = h.serve();
    let names: Vec<String> = sent
        .iter()
        .map(|(c, m)| format!("{c} {}", m.name()))
        .collect();
    assert_eq!(
        names,
        [
            "1 channel.open",
            "1 basic.qos",
            "1 confirm.select",
            "2 channel.open",
            "2 exchange.declare",
            "2 queue.declare",
            "2 queue.bind",
            "2 channel.close",
            "1 basic.consume",
        ],
        "topology on a channel of the core's own"
    );
    let Method::QueueBind(bind) = &sent[6].1 else {
        panic!()
    };
    assert_eq!(
        bind.queue, "amq.gen-new",
        "the binding follows the new name"
    );
    let Method::BasicConsume(consume) = &sent[8].1 else {
        panic!()
    };
    assert_eq!(
        (&consume.queue, &consume.consumer_tag),
        (
            &ShortStr::from_static("amq.gen-new"),
            &ShortStr::from_static("c1")
        )
    );
    let ev = h.events();
    let rec = recovery_events(&ev);
    assert!(
        matches!(&rec[0], RecoveryEvent::QueueRenamed { old, new } if old == "amq.gen-old" && new == "amq.gen-new"),
        "{rec:?}"
    );
    assert!(
        matches!(rec.last(), Some(RecoveryEvent::Recovered { attempts: 1 })),
        "{rec:?}"
    );
    assert!(
        !ev.iter().any(|e| matches!(e, Event::ChannelClosed { .. })),
        "the core's channel makes no event: {ev:?}"
    );
    assert!(matches!(
        h.conn.state(),
        ConnectionState::Recovered { recoveries: 1 }
    ));
    assert!(h.conn.channel_is_open(ch) && h.conn.has_consumer(ch, "c1"));
}

#[test]
fn delivery_tags_of_the_old_transport_are_refused_and_new_ones_go_on() {
    let mut h = Harness::recovering();
    h.connect();
    let ch = h.open_channel();
    h.consume_ctag(ch);
    h.feed(&deliver_content(ch, 1));
    h.feed(&deliver_content(ch, 2));
    h.events();
    h.conn.handle_eof();
    h.reconnect();
    h.serve();
    h.events();
    h.feed(&deliver_content(ch, 1));
    let ev = h.events();
    let Some(Event::Delivery(d)) = ev.iter().find(|e| matches!(e, Event::Delivery(_))) else {
        panic!("{ev:?}")
    };
    assert_eq!(d.delivery_tag, 3, "the new server's 1 follows the old 2");
    let stale = h.conn.request(
        ch,
        BasicAck {
            delivery_tag: 2,
            multiple: false,
        }
        .into(),
        h.now,
    );
    assert!(
        matches!(stale, Err(Error::StaleDeliveryTag { channel, delivery_tag: 2 }) if channel == ch),
        "{stale:?}"
    );
    assert!(
        h.sent().is_empty(),
        "nothing sent for a stale tag (the broker would close with 406)"
    );
    h.conn
        .request(
            ch,
            BasicAck {
                delivery_tag: 3,
                multiple: true,
            }
            .into(),
            h.now,
        )
        .unwrap();
    let sent = h.sent_methods();
    assert!(matches!(sent.as_slice(), [Method::BasicAck(a)] if a.delivery_tag == 1 && a.multiple));
    h.conn
        .request(
            ch,
            BasicNack {
                delivery_tag: 0,
                multiple: true,
                requeue: true,
            }
            .into(),
            h.now,
        )
        .unwrap();
    assert!(matches!(h.sent_methods().as_slice(), [Method::BasicNack(n)] if n.delivery_tag == 0));
}

fn deliver_content(ch: u16, tag: u64) -> Vec<Frame> {
    vec![
        deliver(ch, tag),
        crate::testing::frames::header(ch, 1, Default::default()),
        crate::testing::frames::body(ch, b"x"),
    ]
}

#[test]
fn publishes_while_recovering_are_held_within_bounds_then_sent_after_the_restore() {
    let mut h = Harness::with(recovering_config(Recovery {
        hold_messages: 2,
        ..policy()
    }));
    let ch = with_topology(&mut h);
    assert_eq!(h.publish(ch).unwrap(), Some(1));
    h.conn.handle_io_error(std::io::Error::other("reset"));
    h.events();
    assert_eq!(
        h.publish(ch).unwrap(),
        Some(2),
        "held, numbered after the lost one"
    );
    assert_eq!(h.publish(ch).unwrap(), Some(3));
    assert!(
        matches!(h.publish(ch), Err(Error::Recovering { attempt: 1 })),
        "past the bound"
    );
    assert!(
        h.conn.take_transmit(h.now).is_none(),
        "nothing without a transport"
    );
    h.reconnect();
    let sent = h.serve();
    let consume_at = sent
        .iter()
        .position(|(_, m)| matches!(m, Method::BasicConsume(_)))
        .unwrap();
    let publishes: Vec<usize> = sent
        .iter()
        .enumerate()
        .filter(|(_, (_, m))| matches!(m, Method::BasicPublish(_)))
        .map(|(i, _)| i)
        .collect();
    assert_eq!(publishes.len(), 2, "{sent:?}");
    assert!(
        publishes.iter().all(|&i| i > consume_at),
        "released after the restore"
    );
    h.events();
    // The new server counts from 1: its ack of 2 settles our 3.
    h.feed(&[m(
        ch,
        BasicAck {
            delivery_tag: 2,
            multiple: true,
        },
    )]);
    let ev = h.events();
    assert!(
        matches!(ev.as_slice(), [Event::Confirmed { tags, ack: true, .. }] if *tags == (2..=3)),
        "{ev:?}"
    );
    assert!(h.publish(ch).is_ok(), "the bound is reset once recovered");
}

#[test]
fn a_transport_lost_during_the_restore_starts_the_restore_over() {
    let mut h = Harness::recovering();
    let ch = with_topology(&mut h);
    h.conn.handle_eof();
    h.events();
    h.reconnect();
    // The new broker answers the channel's open, then goes away too.
    let sent = h.sent_methods();
    assert!(matches!(sent.as_slice(), [Method::ChannelOpen(_)]));
    h.feed(&[m(ch, ChannelOpenOk::default())]);
    h.sent();
    h.conn.handle_io_error(std::io::Error::other("reset again"));
    let rec = recovery_events(&h.events());
    assert!(
        matches!(
            rec.as_slice(),
            [RecoveryEvent::AttemptFailed { attempt: 1, .. }]
        ),
        "{rec:?}"
    );
    assert!(matches!(
        h.conn.state(),
        ConnectionState::Recovering { attempt: 2, .. }
    ));
    let address = h.reconnect();
    assert_eq!(address.to_string(), "a:5681", "around the list");
    let sent = h.serve();
    assert_eq!(sent.len(), 9, "everything again: {sent:?}");
    let rec = recovery_events(&h.events());
    assert!(
        matches!(rec.last(), Some(RecoveryEvent::Recovered { attempts: 2 })),
        "{rec:?}"
    );
}

#[test]
fn a_declaration_the_new_broker_refuses_is_reported_and_the_restore_goes_on() {
    let mut h = Harness::recovering();
    let ch = with_topology(&mut h);
    h.conn.handle_eof();
    h.events();
    h.reconnect();
    let mut refused = false;
    loop {
        let sent: Vec<Frame> = h.sent();
        if sent.is_empty() {
            break;
        }
        for f in sent {
            let Frame::Method { channel, method } = f else {
                continue;
            };
            let reply: Method = match method {
                Method::ExchangeDeclare(_) if !refused => {
                    refused = true;
                    h.feed(&[m(
                        channel,
                        crate::testing::frames::channel_close(
                            406,
                            "inequivalent arg 'type'",
                            40,
                            10,
                        ),
                    )]);
                    continue;
                }
                Method::ChannelOpen(_) => ChannelOpenOk::default().into(),
                Method::ChannelClose(_) => ChannelCloseOk {}.into(),
                Method::BasicQos(_) => BasicQosOk {}.into(),
                Method::ConfirmSelect(_) => ConfirmSelectOk {}.into(),
                Method::QueueBind(_) => QueueBindOk {}.into(),
                Method::QueueDeclare(_) => QueueDeclareOk {
                    queue: ShortStr::from_static("amq.gen-new"),
                    message_count: 0,
                    consumer_count: 0,
                }
                .into(),
                Method::BasicConsume(c) => BasicConsumeOk {
                    consumer_tag: c.consumer_tag,
                }
                .into(),
                _ => continue,
            };
            h.feed(&[m(channel, reply)]);
        }
    }
    let ev = h.events();
    let rec = recovery_events(&ev);
    assert!(
        rec.iter().any(|r| matches!(r, RecoveryEvent::NotRestored { what, error } if what == "exchange x" && error.reply_code() == Some(ReplyCode(406)))),
        "{rec:?}"
    );
    assert!(
        matches!(rec.last(), Some(RecoveryEvent::Recovered { .. })),
        "{rec:?}"
    );
    assert!(
        !ev.iter().any(|e| matches!(e, Event::ChannelClosed { .. })),
        "no channel of the application closed: {ev:?}"
    );
    assert!(h.conn.has_consumer(ch, "c1"));
}
