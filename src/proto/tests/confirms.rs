//! Publisher confirms: settlement (single, multiple, nack) and failure when a channel or the connection ends.

use super::*;
use crate::codec::ShortStr;

#[test]
fn server_cancel_flow_and_confirms_become_events() {
    let mut h = Harness::new();
    h.connect();
    let ch = h.open_channel();
    h.conn
        .request(
            ch,
            BasicConsume {
                queue: ShortStr::from_static("q"),
                consumer_tag: ShortStr::from_static("ctag"),
                no_wait: true,
                ..Default::default()
            }
            .into(),
            h.now,
        )
        .unwrap();
    h.conn
        .request(ch, ConfirmSelect { nowait: true }.into(), h.now)
        .unwrap();
    for seq in 1..=6 {
        assert_eq!(publish(&mut h, ch), Some(seq));
    }
    h.sent();
    h.feed(&[
        m(
            ch,
            BasicCancel {
                consumer_tag: ShortStr::from_static("ctag"),
                no_wait: false,
            },
        ),
        m(ch, ChannelFlow { active: false }),
        m(
            ch,
            BasicAck {
                delivery_tag: 5,
                multiple: true,
            },
        ),
        m(
            ch,
            BasicNack {
                delivery_tag: 6,
                multiple: false,
                requeue: false,
            },
        ),
        m(
            0,
            ConnectionBlocked {
                reason: ShortStr::from_static("low on memory"),
            },
        ),
        m(0, ConnectionUnblocked::default()),
    ]);
    let sent = h.sent_methods();
    assert!(
        matches!(sent.as_slice(), [Method::BasicCancelOk(c), Method::ChannelFlowOk(f)] if c.consumer_tag == "ctag" && !f.active)
    );
    let ev = h.events();
    assert!(
        matches!(&ev[0], Event::ConsumerEnded { consumer_tag, end: ConsumerEnd::CancelledByServer, .. } if consumer_tag == "ctag")
    );
    assert!(matches!(&ev[1], Event::Flow { active: false, .. }));
    assert!(
        matches!(&ev[2], Event::Confirmed { tags, ack: true, .. } if *tags == (1..=5)),
        "{ev:?}"
    );
    assert!(matches!(&ev[3], Event::Confirmed { tags, ack: false, .. } if *tags == (6..=6)));
    assert!(matches!(&ev[4], Event::Blocked { reason } if reason == "low on memory"));
    assert!(matches!(&ev[5], Event::Unblocked));
}

#[test]
fn acks_on_a_channel_not_in_confirm_mode_are_invalid() {
    let mut h = Harness::new();
    h.connect();
    let ch = h.open_channel();
    h.feed(&[m(
        ch,
        BasicAck {
            delivery_tag: 1,
            multiple: false,
        },
    )]);
    h.expect_library_close(ReplyCode::COMMAND_INVALID);
}

#[test]
fn confirm_select_nowait_expects_no_reply() {
    let mut h = Harness::new();
    h.connect();
    let ch = h.open_channel();
    assert_eq!(
        h.conn
            .request(ch, ConfirmSelect { nowait: true }.into(), h.now)
            .unwrap(),
        None
    );
    assert!(h
        .conn
        .request(ch, ConfirmSelect { nowait: false }.into(), h.now)
        .unwrap()
        .is_some());
}

fn publish(h: &mut Harness, ch: u16) -> Option<u64> {
    h.conn
        .publish_str(ch, "", "q", false, false, &Default::default(), b"m")
        .expect("publish")
}

/// A channel in confirm mode with `n` publishes made.
fn confirm_channel(h: &mut Harness, n: u64) -> u16 {
    let ch = h.open_channel();
    let id = h
        .conn
        .request(ch, ConfirmSelect { nowait: false }.into(), h.now)
        .unwrap();
    h.feed(&[m(ch, ConfirmSelectOk::default())]);
    assert_eq!(completed(&h.events()).len(), 1, "{id:?}");
    for seq in 1..=n {
        assert_eq!(publish(h, ch), Some(seq));
    }
    assert_eq!(h.conn.unconfirmed(ch), n as usize);
    h.sent();
    ch
}

fn confirmed(ev: &[Event]) -> Vec<(std::ops::RangeInclusive<u64>, bool)> {
    ev.iter()
        .filter_map(|e| match e {
            Event::Confirmed { tags, ack, .. } => Some((tags.clone(), *ack)),
            _ => None,
        })
        .collect()
}

#[test]
fn a_multiple_ack_settles_every_earlier_publish_once() {
    let mut h = Harness::new();
    h.connect();
    let ch = confirm_channel(&mut h, 5);
    h.feed(&[
        m(
            ch,
            BasicAck {
                delivery_tag: 2,
                multiple: false,
            },
        ),
        m(
            ch,
            BasicAck {
                delivery_tag: 3,
                multiple: true,
            },
        ),
        m(
            ch,
            BasicNack {
                delivery_tag: 5,
                multiple: true,
                requeue: false,
            },
        ),
    ]);
    let ev = h.events();
    assert_eq!(
        confirmed(&ev),
        vec![(2..=2, true), (1..=3, true), (4..=5, false)],
        "2 alone, then what was left up to 3, then a nack of the rest"
    );
    assert_eq!(h.conn.unconfirmed(ch), 0);
    // Settled already: a repeated ack settles nothing and is no violation.
    h.feed(&[m(
        ch,
        BasicAck {
            delivery_tag: 3,
            multiple: true,
        },
    )]);
    assert!(confirmed(&h.events()).is_empty());
    assert!(h.conn.is_open());
}

#[test]
fn an_ack_beyond_the_last_publish_settles_only_what_was_published() {
    let mut h = Harness::new();
    h.connect();
    let ch = confirm_channel(&mut h, 2);
    h.feed(&[m(
        ch,
        BasicAck {
            delivery_tag: 9,
            multiple: false,
        },
    )]);
    assert!(
        confirmed(&h.events()).is_empty(),
        "a single unknown tag settles nothing"
    );
    h.feed(&[m(
        ch,
        BasicAck {
            delivery_tag: u64::MAX,
            multiple: true,
        },
    )]);
    assert_eq!(confirmed(&h.events()), vec![(1..=2, true)]);
    assert!(h.conn.is_open());
}

#[test]
fn unsettled_publishes_fail_with_the_reason_when_the_server_closes_the_channel() {
    let mut h = Harness::new();
    h.connect();
    let ch = confirm_channel(&mut h, 3);
    h.feed(&[
        m(
            ch,
            BasicAck {
                delivery_tag: 1,
                multiple: false,
            },
        ),
        m(
            ch,
            ChannelClose {
                reply_code: 404,
                reply_text: ShortStr::from_static("NOT_FOUND - no exchange 'x'"),
                class_id: 60,
                method_id: 40,
            },
        ),
    ]);
    let ev = h.events();
    assert_eq!(confirmed(&ev), vec![(1..=1, true)]);
    let failed: Vec<_> = ev
        .iter()
        .filter_map(|e| match e {
            Event::Unconfirmed { tags, error, .. } => Some((tags.clone(), error.reply_code())),
            _ => None,
        })
        .collect();
    assert_eq!(failed, vec![(2..=3, Some(ReplyCode::NOT_FOUND))]);
    let closed_at = ev
        .iter()
        .position(|e| matches!(e, Event::ChannelClosed { .. }));
    let failed_at = ev
        .iter()
        .position(|e| matches!(e, Event::Unconfirmed { .. }));
    assert!(
        failed_at < closed_at,
        "the failures come before the channel's end: {ev:?}"
    );
}

#[test]
fn unsettled_publishes_fail_when_the_connection_ends() {
    let mut h = Harness::new();
    h.connect();
    let ch = confirm_channel(&mut h, 2);
    h.conn.handle_eof();
    let ev = h.events();
    assert!(
        ev.iter().any(|e| matches!(e, Event::Unconfirmed { channel, tags, error: Error::Io { .. } } if *channel == ch && *tags == (1..=2))),
        "{ev:?}"
    );
    assert!(matches!(ev.last(), Some(Event::Closed(_))));
}

fn returned(ch: u16) -> Vec<Frame> {
    vec![
        m(
            ch,
            BasicReturn {
                reply_code: 312,
                reply_text: ShortStr::from_static("NO_ROUTE"),
                exchange: ShortStr::from_static(""),
                routing_key: ShortStr::from_static("nowhere"),
            },
        ),
        Frame::Header {
            channel: ch,
            header: crate::codec::ContentHeader::basic(0, Default::default()),
        },
    ]
}

#[test]
fn a_return_is_reported_with_the_publish_its_ack_settles() {
    let mut h = Harness::new();
    h.connect();
    let ch = confirm_channel(&mut h, 3);
    h.feed(&returned(ch));
    assert!(h.events().is_empty(), "held until the ack that follows it");
    h.feed(&[m(
        ch,
        BasicAck {
            delivery_tag: 2,
            multiple: false,
        },
    )]);
    let ev = h.events();
    assert!(
        matches!(ev.as_slice(), [Event::Returned { sequence: Some(2), .. }, Event::Confirmed { tags, .. }] if *tags == (2..=2)),
        "{ev:?}"
    );
}

#[test]
fn returns_outside_confirm_mode_or_unmatched_have_no_sequence() {
    let mut h = Harness::new();
    h.connect();
    let plain = h.open_channel();
    h.feed(&returned(plain));
    assert!(matches!(
        h.events().as_slice(),
        [Event::Returned { sequence: None, .. }]
    ));
    // Held in confirm mode, then the channel ends: reported unmatched.
    let ch = confirm_channel(&mut h, 1);
    h.feed(&returned(ch));
    h.feed(&[m(
        ch,
        ChannelClose {
            reply_code: 406,
            reply_text: ShortStr::from_static(""),
            class_id: 0,
            method_id: 0,
        },
    )]);
    let ev = h.events();
    assert!(
        matches!(ev.first(), Some(Event::Returned { sequence: None, .. })),
        "{ev:?}"
    );
}
