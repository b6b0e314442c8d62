//! Channels: ids, limits, reply matching, no-wait, channel exceptions and closes.

use super::*;
use crate::codec::ShortStr;

#[test]
fn channels_are_allocated_lowest_first_and_reused() {
    let mut h = Harness::new();
    h.connect();
    assert_eq!(h.open_channel(), 1);
    assert_eq!(h.open_channel(), 2);
    assert_eq!(h.open_channel(), 3);
    let id = h
        .conn
        .close_channel(2, ReplyCode::REPLY_SUCCESS, "bye", h.now)
        .unwrap();
    assert!(matches!(
        h.sent_methods().as_slice(),
        [Method::ChannelClose(_)]
    ));
    h.feed(&[m(2, ChannelCloseOk::default())]);
    assert!(matches!(completed(&h.events()).as_slice(), [(got, Ok(_))] if *got == id));
    assert_eq!(h.open_channel(), 2);
    assert_eq!(h.open_channel(), 4);
}

#[test]
fn channel_limit_is_the_negotiated_channel_max() {
    let mut h = Harness::new();
    h.feed(&[
        m(0, start()),
        m(0, tune(2, 131_072, 0)),
        m(0, ConnectionOpenOk::default()),
    ]);
    h.sent();
    h.events();
    assert_eq!(h.open_channel(), 1);
    assert_eq!(h.open_channel(), 2);
    assert!(matches!(
        h.conn.open_channel(h.now),
        Err(Error::ChannelLimit { channel_max: 2 })
    ));
}

#[test]
fn replies_complete_requests_in_order() {
    let mut h = Harness::new();
    h.connect();
    let ch = h.open_channel();
    let a = h
        .conn
        .request(
            ch,
            QueueDeclare {
                queue: ShortStr::from_static("a"),
                ..Default::default()
            }
            .into(),
            h.now,
        )
        .unwrap()
        .unwrap();
    let b = h
        .conn
        .request(
            ch,
            ExchangeDeclare {
                exchange: ShortStr::from_static("x"),
                kind: ShortStr::from_static("direct"),
                ..Default::default()
            }
            .into(),
            h.now,
        )
        .unwrap()
        .unwrap();
    let c = h
        .conn
        .request(
            ch,
            BasicQos {
                prefetch_count: 10,
                ..Default::default()
            }
            .into(),
            h.now,
        )
        .unwrap()
        .unwrap();
    assert_eq!(h.sent_methods().len(), 3, "requests are pipelined");
    h.feed(&[
        m(
            ch,
            QueueDeclareOk {
                queue: ShortStr::from_static("a"),
                message_count: 3,
                consumer_count: 1,
            },
        ),
        m(ch, ExchangeDeclareOk::default()),
        m(ch, BasicQosOk::default()),
    ]);
    let done = completed(&h.events());
    assert_eq!(
        done.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
        vec![a, b, c]
    );
    let Ok(Reply::Method(Method::QueueDeclareOk(ok))) = &done[0].1 else {
        panic!("{done:?}")
    };
    assert_eq!((ok.message_count, ok.consumer_count), (3, 1));
}

#[test]
fn nowait_expects_no_reply_and_async_methods_neither() {
    let mut h = Harness::new();
    h.connect();
    let ch = h.open_channel();
    let r = h
        .conn
        .request(
            ch,
            ExchangeDeclare {
                exchange: ShortStr::from_static("e1"),
                kind: ShortStr::from_static("direct"),
                no_wait: true,
                ..Default::default()
            }
            .into(),
            h.now,
        )
        .unwrap();
    assert_eq!(r, None);
    let r = h
        .conn
        .request(
            ch,
            BasicAck {
                delivery_tag: 1,
                multiple: true,
            }
            .into(),
            h.now,
        )
        .unwrap();
    assert_eq!(r, None);
    let sent = h.sent_methods();
    assert!(
        matches!(sent.as_slice(), [Method::ExchangeDeclare(d), Method::BasicAck(_)] if d.no_wait)
    );
    // A channel error for the nowait declare still reaches the application.
    h.feed(&[m(
        ch,
        ChannelClose {
            reply_code: 406,
            reply_text: ShortStr::from_static("PRECONDITION_FAILED - inequivalent arg 'type'"),
            class_id: 40,
            method_id: 10,
        },
    )]);
    assert!(matches!(
        h.sent_methods().as_slice(),
        [Method::ChannelCloseOk(_)]
    ));
    let ev = h.events();
    let [Event::ChannelClosed { channel, error }] = ev.as_slice() else {
        panic!("{ev:?}")
    };
    assert_eq!(*channel, ch);
    assert_eq!(error.reply_code(), Some(ReplyCode::PRECONDITION_FAILED));
    assert!(error.to_string().contains("on exchange.declare"), "{error}");
    assert!(!h.conn.channel_is_open(ch));
    assert!(h
        .conn
        .request(ch, BasicQos::default().into(), h.now)
        .is_err());
}

#[test]
fn channel_exception_fails_that_channel_only() {
    let mut h = Harness::new();
    h.connect();
    let ch1 = h.open_channel();
    let ch2 = h.open_channel();
    let bad = h
        .conn
        .request(
            ch1,
            QueueDeclare {
                queue: ShortStr::from_static("missing"),
                passive: true,
                ..Default::default()
            }
            .into(),
            h.now,
        )
        .unwrap()
        .unwrap();
    let good = h
        .conn
        .request(
            ch2,
            QueueDeclare {
                queue: ShortStr::from_static("there"),
                passive: true,
                ..Default::default()
            }
            .into(),
            h.now,
        )
        .unwrap()
        .unwrap();
    h.sent();
    h.feed(&[
        m(
            ch1,
            ChannelClose {
                reply_code: 404,
                reply_text: ShortStr::from_static("NOT_FOUND - no queue 'missing' in vhost '/'"),
                class_id: 50,
                method_id: 10,
            },
        ),
        m(
            ch2,
            QueueDeclareOk {
                queue: ShortStr::from_static("there"),
                ..Default::default()
            },
        ),
    ]);
    let done = completed(&h.events());
    let (
        id,
        Err(Error::ChannelClosed {
            channel,
            reason,
            by: Initiator::Server,
        }),
    ) = &done[0]
    else {
        panic!("{done:?}")
    };
    assert_eq!((*id, *channel), (bad, ch1));
    assert_eq!(reason.code, ReplyCode::NOT_FOUND);
    assert_eq!(reason.method_name(), Some("queue.declare"));
    assert!(matches!(&done[1], (id, Ok(_)) if *id == good));
    assert!(h.conn.channel_is_open(ch2));
    assert!(h.conn.is_open());
}

#[test]
fn recover_waits_for_recover_ok_as_the_errata_say() {
    let mut h = Harness::new();
    h.connect();
    let ch = h.open_channel();
    let id = h
        .conn
        .request(ch, BasicRecover { requeue: true }.into(), h.now)
        .unwrap();
    let id = id.expect("basic.recover expects recover-ok");
    h.sent();
    h.feed(&[m(ch, BasicRecoverOk::default())]);
    assert!(
        matches!(completed(&h.events()).as_slice(), [(got, Ok(Reply::Method(Method::BasicRecoverOk(_))))] if *got == id)
    );
    // recover-async (deprecated) has no reply.
    assert_eq!(
        h.conn
            .request(ch, BasicRecoverAsync { requeue: true }.into(), h.now)
            .unwrap(),
        None
    );
}

#[test]
fn closes_crossing_on_a_channel_end_with_the_servers_reason() {
    let mut h = Harness::new();
    h.connect();
    let ch = h.open_channel();
    let close = h
        .conn
        .close_channel(ch, ReplyCode::REPLY_SUCCESS, "bye", h.now)
        .unwrap();
    h.sent();
    // The server had closed the channel (404 for an earlier publish) before
    // it saw our close; it answers our close with close-ok afterwards.
    h.feed(&[m(
        ch,
        ChannelClose {
            reply_code: 404,
            reply_text: ShortStr::from_static("NOT_FOUND - no exchange 'x' in vhost '/'"),
            class_id: 60,
            method_id: 40,
        },
    )]);
    assert!(matches!(
        h.sent_methods().as_slice(),
        [Method::ChannelCloseOk(_)]
    ));
    assert!(h.events().is_empty(), "the channel ends at our close-ok");
    h.feed(&[m(ch, ChannelCloseOk::default())]);
    let ev = h.events();
    assert!(
        matches!(&ev[0], Event::Completed { id, result: Err(e) } if *id == close && e.reply_code() == Some(ReplyCode::NOT_FOUND)),
        "{ev:?}"
    );
    assert!(
        matches!(&ev[1], Event::ChannelClosed { error, .. } if error.reply_code() == Some(ReplyCode::NOT_FOUND))
    );
    assert!(h.conn.is_open(), "no protocol error");
    assert_eq!(h.open_channel(), ch, "the id is free again");
}

#[test]
fn a_channel_close_without_close_ok_times_out() {
    let mut h = Harness::new();
    h.connect();
    let ch = h.open_channel();
    let close = h
        .conn
        .close_channel(ch, ReplyCode::REPLY_SUCCESS, "bye", h.now)
        .unwrap();
    h.sent();
    let deadline = h.now + Duration::from_secs(10);
    assert!(h.conn.poll_timeout().is_some_and(|t| t <= deadline));
    h.conn.handle_timeout(deadline);
    let done = completed(&h.events());
    assert!(
        matches!(done.as_slice(), [(id, Err(Error::Timeout(TimeoutKind::Close)))] if *id == close),
        "{done:?}"
    );
    // The id stays taken: a late close-ok is still understood.
    assert_eq!(h.open_channel(), ch + 1);
    h.feed(&[m(ch, ChannelCloseOk::default())]);
    assert!(h.conn.is_open());
}

#[test]
fn an_abandoned_open_closes_the_channel_once_open() {
    let mut h = Harness::new();
    h.connect();
    let (ch, id) = h.conn.open_channel(h.now).unwrap();
    h.conn.abandon(id);
    h.sent();
    h.feed(&[m(ch, ChannelOpenOk::default())]);
    assert!(completed(&h.events()).is_empty(), "nobody waits for it");
    let sent = h.sent_methods();
    assert!(
        matches!(sent.as_slice(), [Method::ChannelClose(_)]),
        "{sent:?}"
    );
    h.feed(&[m(ch, ChannelCloseOk::default())]);
    assert!(h
        .events()
        .iter()
        .any(|e| matches!(e, Event::ChannelClosed { .. })));
}

#[test]
fn an_abandoned_consume_is_cancelled_when_it_starts() {
    let mut h = Harness::new();
    h.connect();
    let ch = h.open_channel();
    let consume = BasicConsume {
        queue: ShortStr::from_static("q"),
        consumer_tag: ShortStr::from_static("c"),
        no_ack: true,
        ..Default::default()
    };
    let started = h.conn.consume(ch, consume, None, h.now).unwrap();
    h.conn.abandon(started.request.unwrap());
    h.sent();
    h.feed(&[m(
        ch,
        BasicConsumeOk {
            consumer_tag: ShortStr::from_static("c"),
        },
    )]);
    let sent = h.sent_methods();
    assert!(
        matches!(sent.as_slice(), [Method::BasicCancel(c)] if c.consumer_tag == "c" && c.no_wait),
        "{sent:?}"
    );
    assert!(!h.conn.has_consumer(ch, "c"));
    let ev = h.events();
    assert!(
        matches!(ev.as_slice(), [Event::ConsumerEnded { .. }]),
        "{ev:?}"
    );
}
