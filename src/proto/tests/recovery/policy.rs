//! Recovery's policy: the backoff, giving up, which failures are
//! recovered, closing and commands while recovering, what is forgotten.

use super::*;
use crate::codec::ShortStr;

#[test]
fn recovery_gives_up_after_the_last_attempt_and_ends_everything() {
    let mut h = Harness::with(recovering_config(Recovery {
        max_attempts: Some(2),
        ..policy()
    }));
    h.connect();
    let ch = h.open_channel();
    h.consume_ctag(ch);
    h.conn.handle_eof();
    h.events();
    for attempt in 1..=2 {
        let at = h.conn.poll_timeout().unwrap();
        h.now = at;
        h.conn.handle_timeout(h.now);
        assert!(h.conn.wants_transport().is_some(), "attempt {attempt}");
        h.conn
            .transport_failed(Error::io(std::io::Error::other("refused"), None), h.now);
    }
    let ev = h.events();
    assert!(
        ev.iter().any(|e| matches!(e, Event::ConsumerEnded { .. })),
        "{ev:?}"
    );
    assert!(ev
        .iter()
        .any(|e| matches!(e, Event::ChannelClosed { channel, .. } if *channel == ch)));
    assert!(
        matches!(ev.last(), Some(Event::Closed(Error::Io { .. }))),
        "{ev:?}"
    );
    assert!(h.conn.is_closed());
}

#[test]
fn the_backoff_grows_by_the_factor_up_to_the_cap_and_jitter_only_shortens_it() {
    let p = Recovery {
        initial_delay: Duration::from_millis(100),
        factor: 2,
        max_delay: Duration::from_millis(1000),
        jitter: 0.0,
        ..Recovery::default()
    };
    let delays: Vec<u128> = (1..=6).map(|a| p.delay(a).as_millis()).collect();
    assert_eq!(delays, [100, 200, 400, 800, 1000, 1000]);
    let j = Recovery { jitter: 0.5, ..p };
    for a in 1..=20 {
        let d = j.delay(a);
        assert!(d <= p.delay(a) && d >= p.delay(a) / 2, "attempt {a}: {d:?}");
    }
    assert!(
        (1..=20).any(|a| j.delay(a) != p.delay(a)),
        "jitter changes something"
    );
}

#[test]
fn only_failures_of_the_transport_or_a_server_going_away_are_recovered() {
    // A refusal during the first handshake is the caller's, not recovery's.
    let mut h = Harness::recovering();
    h.conn.handle_eof();
    assert!(
        h.conn.is_closed(),
        "no recovery before the connection was ever open"
    );

    // 320 CONNECTION_FORCED: the broker is going away.
    let mut h = Harness::recovering();
    h.connect();
    h.feed(&[m(
        0,
        ConnectionClose {
            reply_code: 320,
            reply_text: ShortStr::from_static("shutdown"),
            class_id: 0,
            method_id: 0,
        },
    )]);
    assert!(matches!(h.conn.state(), ConnectionState::Recovering { .. }));

    // 530 NOT_ALLOWED would fail again.
    let mut h = Harness::recovering();
    h.connect();
    h.feed(&[m(
        0,
        ConnectionClose {
            reply_code: 530,
            reply_text: ShortStr::from_static("no"),
            class_id: 0,
            method_id: 0,
        },
    )]);
    assert!(h.conn.is_closed());

    // Missed heartbeats: two intervals of silence.
    let mut h = Harness::recovering();
    h.connect();
    h.now += Duration::from_secs(21);
    h.conn.handle_timeout(h.now);
    let rec = recovery_events(&h.events());
    assert!(
        matches!(
            rec.as_slice(),
            [RecoveryEvent::Lost {
                error: Error::Timeout(TimeoutKind::Heartbeat)
            }]
        ),
        "{rec:?}"
    );
}

#[test]
fn closing_while_recovering_ends_the_connection_at_once() {
    let mut h = Harness::recovering();
    h.connect();
    h.open_channel();
    h.conn.handle_eof();
    h.events();
    let id = h
        .conn
        .close(ReplyCode::REPLY_SUCCESS, "bye", h.now)
        .unwrap();
    let ev = h.events();
    assert!(
        completed(&ev)
            .iter()
            .any(|(got, r)| *got == id && r.is_ok()),
        "{ev:?}"
    );
    assert!(matches!(
        ev.last(),
        Some(Event::Closed(Error::ConnectionClosed {
            by: Initiator::Application,
            ..
        }))
    ));
    assert!(h.conn.poll_timeout().is_none() && h.conn.wants_transport().is_none());
    assert!(matches!(
        h.conn.open_channel(h.now),
        Err(Error::ConnectionClosed { .. })
    ));
}

#[test]
fn cancelling_the_last_consumer_of_an_auto_delete_queue_forgets_the_queue() {
    let mut h = Harness::recovering();
    h.connect();
    let ch = h.open_channel();
    h.request_ok(
        ch,
        QueueDeclare {
            queue: ShortStr::from_static("tmp"),
            auto_delete: true,
            ..Default::default()
        },
        QueueDeclareOk {
            queue: ShortStr::from_static("tmp"),
            message_count: 0,
            consumer_count: 0,
        },
    );
    h.conn
        .consume(
            ch,
            BasicConsume {
                queue: ShortStr::from_static("tmp"),
                consumer_tag: ShortStr::from_static("t"),
                no_wait: true,
                ..Default::default()
            },
            None,
            h.now,
        )
        .unwrap();
    h.conn
        .request(
            ch,
            BasicCancel {
                consumer_tag: ShortStr::from_static("t"),
                no_wait: true,
            }
            .into(),
            h.now,
        )
        .unwrap();
    h.sent();
    h.events();
    h.conn.handle_eof();
    h.reconnect();
    let sent = h.serve();
    assert!(
        !sent
            .iter()
            .any(|(_, m)| matches!(m, Method::QueueDeclare(_) | Method::BasicConsume(_))),
        "the broker deleted it with its last consumer: {sent:?}"
    );
}

#[test]
fn commands_that_need_the_broker_now_fail_while_recovering() {
    let mut h = Harness::recovering();
    h.connect();
    h.conn.handle_eof();
    assert!(matches!(
        h.conn.open_channel(h.now),
        Err(Error::Recovering { attempt: 1 })
    ));
    assert!(matches!(
        h.conn.update_secret(b"t", "r", h.now),
        Err(Error::Recovering { .. })
    ));
}

#[test]
fn a_restore_step_the_broker_does_not_answer_gives_the_transport_up_and_tries_again() {
    let mut h = Harness::recovering();
    let ch = with_topology(&mut h);
    h.conn.handle_eof();
    h.events();
    h.reconnect();
    let sent = h.sent_methods();
    assert!(
        matches!(sent.as_slice(), [Method::ChannelOpen(_)]),
        "{sent:?}"
    );
    // No open-ok: the request timeout (60 s by default) passes.
    h.now += Duration::from_secs(61);
    h.conn.handle_timeout(h.now);
    let rec = recovery_events(&h.events());
    assert!(
        matches!(
            rec.as_slice(),
            [RecoveryEvent::AttemptFailed {
                error: Error::Timeout(TimeoutKind::Request),
                ..
            }]
        ),
        "{rec:?}"
    );
    assert!(h.conn.needs_transport(), "the silent broker is given up");
    h.reconnect();
    h.serve();
    let rec = recovery_events(&h.events());
    assert!(
        matches!(rec.last(), Some(RecoveryEvent::Recovered { attempts: 2 })),
        "{rec:?}"
    );
    assert!(h.conn.has_consumer(ch, "c1"));
}

#[test]
fn after_a_server_shutdown_close_the_confirms_of_a_restored_channel_go_on() {
    let mut h = Harness::recovering();
    h.connect();
    let ch = h.open_channel();
    h.request_ok(ch, ConfirmSelect { nowait: false }, ConfirmSelectOk {});
    for seq in 1..=300 {
        assert_eq!(h.publish(ch).unwrap(), Some(seq));
    }
    h.sent();
    h.feed(&[m(
        ch,
        BasicAck {
            delivery_tag: 300,
            multiple: true,
        },
    )]);
    h.events();
    h.feed(&[m(
        0,
        ConnectionClose {
            reply_code: 320,
            reply_text: ShortStr::from_static("shutdown"),
            class_id: 0,
            method_id: 0,
        },
    )]);
    h.events();
    h.conn
        .transport_failed(Error::io(std::io::Error::other("refused"), None), h.now);
    h.reconnect();
    h.serve();
    let rec = recovery_events(&h.events());
    assert!(
        matches!(rec.last(), Some(RecoveryEvent::Recovered { .. })),
        "{rec:?}"
    );
    assert_eq!(h.publish(ch).unwrap(), Some(301));
    let sent = h.sent_methods();
    assert!(
        matches!(sent.as_slice(), [Method::BasicPublish(_)]),
        "{sent:?}"
    );
    h.feed(&[m(
        ch,
        BasicAck {
            delivery_tag: 1,
            multiple: false,
        },
    )]);
    let ev = h.events();
    assert!(
        matches!(ev.as_slice(), [Event::Confirmed { tags, ack: true, .. }] if *tags == (301..=301)),
        "{ev:?}"
    );
}
