//! Consumers: tags, the registry, capacities from prefetch, the delivery buffer.

use super::*;
use crate::codec::{BasicProperties, ContentHeader, FieldTable, FieldValue, ShortStr};

/// A whole delivery for consumer `ctag`: method, header and one body frame.
fn delivery(ch: u16, tag: u64, body: &'static [u8]) -> Vec<Frame> {
    vec![
        deliver(ch, tag),
        Frame::Header {
            channel: ch,
            header: ContentHeader::basic(body.len() as u64, BasicProperties::default()),
        },
        Frame::Body {
            channel: ch,
            payload: Bytes::from_static(body),
        },
    ]
}

#[test]
fn consumer_tags_are_unique_on_a_channel() {
    let mut h = Harness::new();
    h.connect();
    let ch = h.open_channel();
    // No tag: the core makes one (see the_core_makes_unique_consumer_tags).
    let consume = BasicConsume {
        queue: ShortStr::from_static("q"),
        consumer_tag: ShortStr::from_static(""),
        ..Default::default()
    };
    assert!(h.conn.request(ch, consume.into(), h.now).unwrap().is_some());
    let consume = BasicConsume {
        queue: ShortStr::from_static("q"),
        consumer_tag: ShortStr::from_static("t"),
        ..Default::default()
    };
    assert!(h
        .conn
        .request(ch, consume.clone().into(), h.now)
        .unwrap()
        .is_some());
    assert!(matches!(
        h.conn.request(ch, consume.into(), h.now),
        Err(Error::InvalidArgument(_))
    ));
}

fn consume(
    h: &mut Harness,
    ch: u16,
    tag: &str,
    no_ack: bool,
    capacity: Option<usize>,
) -> ConsumerStarted {
    h.conn
        .consume(
            ch,
            BasicConsume {
                queue: ShortStr::from_static("q"),
                consumer_tag: ShortStr::copy_from_str(tag).unwrap(),
                no_ack,
                ..Default::default()
            },
            capacity,
            h.now,
        )
        .expect("consume")
}

#[test]
fn the_core_makes_unique_consumer_tags() {
    let mut h = Harness::new();
    h.connect();
    let ch = h.open_channel();
    let a = consume(&mut h, ch, "", false, None);
    let b = consume(&mut h, ch, "", false, None);
    assert!(a
        .consumer_tag
        .to_string()
        .starts_with(&format!("amqp091-{ch}-")));
    assert_ne!(a.consumer_tag, b.consumer_tag);
    let sent: Vec<_> = h
        .sent_methods()
        .into_iter()
        .filter_map(|m| match m {
            Method::BasicConsume(c) => Some(c.consumer_tag),
            _ => None,
        })
        .collect();
    assert_eq!(sent, vec![a.consumer_tag.clone(), b.consumer_tag.clone()]);
    assert!(h.conn.has_consumer(ch, a.consumer_tag.as_str().unwrap()));
}

#[test]
fn a_channel_without_prefetch_gets_one_matching_the_capacity() {
    let mut h = Harness::new();
    h.connect();
    let ch = h.open_channel();
    let started = consume(&mut h, ch, "c", false, Some(300));
    assert_eq!(started.capacity, 300);
    let sent = h.sent_methods();
    assert!(
        matches!(sent.as_slice(), [Method::BasicQos(q), Method::BasicConsume(_)] if q.prefetch_count == 300 && !q.global),
        "{sent:?}"
    );
    // The qos-ok answers the core's own request; consume-ok answers ours.
    h.feed(&[
        m(ch, BasicQosOk::default()),
        m(
            ch,
            BasicConsumeOk {
                consumer_tag: ShortStr::from_static("c"),
            },
        ),
    ]);
    let done = completed(&h.events());
    assert_eq!(done.len(), 1);
    assert_eq!(Some(done[0].0), started.request);
    // A second consumer is bounded by that prefetch: no second qos.
    let second = consume(&mut h, ch, "d", false, Some(10));
    assert_eq!(second.capacity, 300, "raised to the prefetch");
    assert!(matches!(
        h.sent_methods().as_slice(),
        [Method::BasicConsume(_)]
    ));
}

#[test]
fn a_capacity_below_the_prefetch_is_raised_and_no_ack_sets_no_prefetch() {
    let mut h = Harness::new();
    h.connect();
    let ch = h.open_channel();
    h.conn
        .request(
            ch,
            BasicQos {
                prefetch_count: 100,
                ..Default::default()
            }
            .into(),
            h.now,
        )
        .unwrap();
    h.sent();
    assert_eq!(consume(&mut h, ch, "a", false, Some(10)).capacity, 100);
    assert!(matches!(
        h.sent_methods().as_slice(),
        [Method::BasicConsume(_)]
    ));
    let other = h.open_channel();
    let started = consume(&mut h, other, "b", true, Some(10));
    assert_eq!(started.capacity, 10);
    assert!(
        matches!(h.sent_methods().as_slice(), [Method::BasicConsume(_)]),
        "no qos for no-ack"
    );
}

#[test]
fn consumers_end_with_their_channel_and_on_cancel() {
    let mut h = Harness::new();
    h.connect();
    let ch = h.open_channel();
    consume(&mut h, ch, "a", true, None);
    consume(&mut h, ch, "b", true, None);
    h.conn
        .request(
            ch,
            BasicCancel {
                consumer_tag: ShortStr::from_static("a"),
                no_wait: false,
            }
            .into(),
            h.now,
        )
        .unwrap();
    h.feed(&[
        m(
            ch,
            BasicConsumeOk {
                consumer_tag: ShortStr::from_static("a"),
            },
        ),
        m(
            ch,
            BasicConsumeOk {
                consumer_tag: ShortStr::from_static("b"),
            },
        ),
        m(
            ch,
            BasicCancelOk {
                consumer_tag: ShortStr::from_static("a"),
            },
        ),
    ]);
    let ev = h.events();
    assert!(
        ev.iter().any(|e| matches!(e, Event::ConsumerEnded { consumer_tag, end: ConsumerEnd::Cancelled, .. } if consumer_tag == "a")),
        "{ev:?}"
    );
    assert!(!h.conn.has_consumer(ch, "a"));
    h.feed(&[m(
        ch,
        ChannelClose {
            reply_code: 404,
            reply_text: ShortStr::from_static("NOT_FOUND"),
            class_id: 0,
            method_id: 0,
        },
    )]);
    let ev = h.events();
    assert!(
        matches!(&ev[0], Event::ConsumerEnded { consumer_tag, end: ConsumerEnd::Closed(e), .. } if consumer_tag == "b" && e.reply_code() == Some(ReplyCode::NOT_FOUND)),
        "{ev:?}"
    );
    assert!(matches!(ev.last(), Some(Event::ChannelClosed { .. })));
}

#[test]
fn a_delivery_for_a_cancelled_consumer_is_dropped_in_the_core() {
    let mut h = Harness::new();
    h.connect();
    let ch = h.open_channel();
    consume(&mut h, ch, "ctag", true, None);
    h.feed(&[m(
        ch,
        BasicConsumeOk {
            consumer_tag: ShortStr::from_static("ctag"),
        },
    )]);
    h.conn
        .request(
            ch,
            BasicCancel {
                consumer_tag: ShortStr::from_static("ctag"),
                no_wait: true,
            }
            .into(),
            h.now,
        )
        .unwrap();
    h.events();
    h.feed(&delivery(ch, 1, b"late"));
    let ev = h.events();
    assert!(
        !ev.iter().any(|e| matches!(e, Event::Delivery(_))),
        "{ev:?}"
    );
    assert_eq!(h.conn.buffered_delivery_bytes(), 0);
    assert!(h.conn.is_open());
}

#[test]
fn the_delivery_buffer_stops_input_until_the_application_takes_deliveries() {
    let mut h = Harness::with(Config {
        delivery_buffer_bytes: 2_000,
        ..Config::default()
    });
    h.connect();
    let ch = h.open_channel();
    consume(&mut h, ch, "ctag", true, None);
    h.feed(&[m(
        ch,
        BasicConsumeOk {
            consumer_tag: ShortStr::from_static("ctag"),
        },
    )]);
    let mut costs = Vec::new();
    for tag in 1..=5 {
        h.feed(&delivery(ch, tag, &[7; 300]));
        for e in h.events() {
            if let Event::Delivery(d) = e {
                costs.push(d.buffer_cost());
            }
        }
    }
    assert_eq!(costs.len(), 5);
    assert_eq!(
        h.conn.buffered_delivery_bytes(),
        costs.iter().sum::<usize>()
    );
    assert!(!h.conn.wants_input(), "over the budget: stop reading");
    h.conn.release_deliveries(costs.iter().sum());
    assert!(h.conn.wants_input());
}

#[test]
fn a_channel_id_is_reused_only_after_its_end_was_polled() {
    let mut h = Harness::new();
    h.connect();
    let ch = h.open_channel();
    h.feed(&[m(
        ch,
        ChannelClose {
            reply_code: 406,
            reply_text: ShortStr::from_static("PRECONDITION_FAILED"),
            class_id: 0,
            method_id: 0,
        },
    )]);
    // The end is not polled yet: the id stays taken.
    let (next, _) = h.conn.open_channel(h.now).unwrap();
    assert_ne!(next, ch);
    let ev = h.events();
    assert!(ev
        .iter()
        .any(|e| matches!(e, Event::ChannelClosed { channel, .. } if *channel == ch)));
    let (again, _) = h.conn.open_channel(h.now).unwrap();
    assert_eq!(again, ch, "free once its end was seen");
}

#[test]
fn a_late_close_ok_frees_the_channel_id() {
    let mut h = Harness::new();
    h.connect();
    let ch = h.open_channel();
    h.conn
        .close_channel(ch, ReplyCode::REPLY_SUCCESS, "bye", h.now)
        .unwrap();
    h.now += Duration::from_secs(11);
    h.conn.handle_timeout(h.now);
    let done = completed(&h.events());
    assert!(matches!(
        done.as_slice(),
        [(_, Err(Error::Timeout(TimeoutKind::Close)))]
    ));
    let (other, _) = h.conn.open_channel(h.now).unwrap();
    assert_ne!(other, ch, "still in use: its close-ok may yet come");
    h.feed(&[m(ch, ChannelCloseOk::default())]);
    assert!(h
        .events()
        .iter()
        .any(|e| matches!(e, Event::ChannelClosed { channel, .. } if *channel == ch)));
    assert_eq!(h.conn.open_channel(h.now).unwrap().0, ch);
}

#[test]
fn decoded_headers_count_by_their_memory_not_their_wire_size() {
    let mut h = Harness::with(Config {
        delivery_buffer_bytes: 20_000,
        ..Config::default()
    });
    h.connect();
    let ch = h.open_channel();
    h.consume_ctag(ch);
    // 1,000 empty entries (within the codec's FIELD_ENTRIES_ALLOWED, past
    // which such a table is refused): 2 KB on the wire, far more decoded.
    let mut headers = FieldTable::new();
    for _ in 0..1000 {
        headers.0.push((ShortStr::default(), FieldValue::Void));
    }
    let props = BasicProperties::default().with_headers(headers);
    let wire = props.encoded_len();
    h.feed(&[
        deliver(ch, 1),
        Frame::Header {
            channel: ch,
            header: ContentHeader::basic(0, props),
        },
    ]);
    let ev = h.events();
    let [Event::Delivery(d)] = ev.as_slice() else {
        panic!("{ev:?}")
    };
    assert!(wire < 5_000);
    assert!(
        d.buffer_cost() > 10 * wire,
        "{} for {wire} on the wire",
        d.buffer_cost()
    );
    assert!(
        !h.conn.wants_input(),
        "over the 20 KB buffer after one such message"
    );
}

#[test]
fn contents_in_progress_on_many_channels_are_bounded() {
    let mut config = Config {
        delivery_buffer_bytes: 1_000,
        ..Config::default()
    };
    config.options.max_message_size = 1_000;
    let mut h = Harness::with(config);
    h.connect();
    let channels: Vec<u16> = (0..3).map(|_| h.open_channel()).collect();
    for (i, &ch) in channels.iter().enumerate() {
        h.consume_ctag(ch);
        h.feed(&[
            deliver(ch, 1),
            Frame::Header {
                channel: ch,
                header: ContentHeader::basic(1_000, BasicProperties::default()),
            },
            Frame::Body {
                channel: ch,
                payload: Bytes::from(vec![0u8; 800]),
            },
        ]);
        if i < 2 {
            assert!(h.conn.is_open(), "1,600 bytes in progress are within 2,000");
        }
    }
    h.expect_library_close(ReplyCode::RESOURCE_ERROR);
}

#[test]
fn a_finished_or_abandoned_content_no_longer_counts_as_in_progress() {
    let mut config = Config {
        delivery_buffer_bytes: 1_000,
        ..Config::default()
    };
    config.options.max_message_size = 1_000;
    let mut h = Harness::with(config);
    h.connect();
    let ch = h.open_channel();
    h.consume_ctag(ch);
    for tag in 1..=10 {
        h.feed(&delivery(ch, tag, &[1; 900]));
        h.events();
        h.conn.release_deliveries(usize::MAX);
    }
    assert!(h.conn.is_open(), "10 x 900 bytes, one at a time");
}
