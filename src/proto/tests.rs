//! The core driven by scripted server frames, byte for byte, with a virtual clock.

use std::time::{Duration, Instant};

use bytes::{BufMut, Bytes, BytesMut};

use super::*;
use crate::codec::raw::write_frame_with;
use crate::codec::{ContentHeader, FieldValue, FrameType, FRAME_END};

/// A connection under test and the fake server's view of it.
struct Harness {
    conn: Connection,
    now: Instant,
    /// Decodes what the client sends.
    client_out: FrameDecoder,
    sent: BytesMut,
}

fn server_frames(frames: &[Frame]) -> BytesMut {
    let mut b = BytesMut::new();
    for f in frames {
        f.encode(&mut b);
    }
    b
}

fn m(channel: u16, method: impl Into<Method>) -> Frame {
    Frame::Method {
        channel,
        method: method.into(),
    }
}

fn start() -> ConnectionStart {
    let mut props = FieldTable::new();
    props.insert("product", "RabbitMQ");
    ConnectionStart {
        version_major: 0,
        version_minor: 9,
        server_properties: props,
        mechanisms: "AMQPLAIN PLAIN".into(),
        locales: "en_US".into(),
    }
}

fn tune(channel_max: u16, frame_max: u32, heartbeat: u16) -> ConnectionTune {
    ConnectionTune {
        channel_max,
        frame_max,
        heartbeat,
    }
}

impl Harness {
    fn with(config: Config) -> Self {
        let now = Instant::now();
        let mut h = Harness {
            conn: Connection::new(config, now),
            now,
            client_out: FrameDecoder::new(0),
            sent: BytesMut::new(),
        };
        let out = h.conn.take_transmit(now).expect("protocol header");
        assert_eq!(&out[..], b"AMQP\x00\x00\x09\x01");
        h
    }

    fn new() -> Self {
        Self::with(Config::default())
    }

    fn feed_bytes(&mut self, bytes: &[u8]) {
        let mut buf = BytesMut::from(bytes);
        self.conn.handle_input(&mut buf, self.now);
        assert!(buf.is_empty() || !self.conn.is_closed() || buf.is_empty());
    }

    fn feed(&mut self, frames: &[Frame]) {
        let b = server_frames(frames);
        self.feed_bytes(&b);
    }

    /// Frames the client wrote since the last call.
    fn sent(&mut self) -> Vec<Frame> {
        if let Some(out) = self.conn.take_transmit(self.now) {
            self.sent.extend_from_slice(&out);
        }
        let mut frames = Vec::new();
        while let Some(f) = self
            .client_out
            .decode_frame(&mut self.sent)
            .expect("client writes valid frames")
        {
            frames.push(f);
        }
        frames
    }

    fn sent_methods(&mut self) -> Vec<Method> {
        self.sent()
            .into_iter()
            .filter_map(|f| match f {
                Frame::Method { method, .. } => Some(method),
                _ => None,
            })
            .collect()
    }

    fn events(&mut self) -> Vec<Event> {
        std::iter::from_fn(|| self.conn.poll_event()).collect()
    }

    fn connect(&mut self) {
        self.feed(&[m(0, start())]);
        let sent = self.sent_methods();
        assert!(
            matches!(sent.as_slice(), [Method::ConnectionStartOk(_)]),
            "{sent:?}"
        );
        self.feed(&[m(0, tune(2047, 131_072, 60))]);
        let sent = self.sent_methods();
        assert!(
            matches!(
                sent.as_slice(),
                [Method::ConnectionTuneOk(_), Method::ConnectionOpen(_)]
            ),
            "{sent:?}"
        );
        self.feed(&[m(0, ConnectionOpenOk::default())]);
        let ev = self.events();
        assert!(matches!(ev.as_slice(), [Event::Connected]), "{ev:?}");
        assert!(self.conn.is_open());
    }

    fn open_channel(&mut self) -> u16 {
        let (ch, id) = self.conn.open_channel().expect("open channel");
        let sent = self.sent();
        assert!(
            matches!(sent.as_slice(), [Frame::Method { channel, method: Method::ChannelOpen(_) }] if *channel == ch)
        );
        self.feed(&[m(ch, ChannelOpenOk::default())]);
        let ev = self.events();
        assert!(
            matches!(ev.as_slice(), [Event::Completed { id: got, result: Ok(_) }] if *got == id),
            "{ev:?}"
        );
        ch
    }

    /// Asserts the client closed the connection with `code` and returns the error it reports.
    fn expect_library_close(&mut self, code: ReplyCode) -> Error {
        let sent = self.sent_methods();
        let Some(Method::ConnectionClose(c)) = sent.last() else {
            panic!("expected connection.close, sent {sent:?}")
        };
        assert_eq!(ReplyCode(c.reply_code), code, "{}", c.reply_text);
        self.feed(&[m(0, ConnectionCloseOk::default())]);
        let ev = self.events();
        let Some(Event::Closed(err)) = ev.last() else {
            panic!("expected Closed, got {ev:?}")
        };
        match err {
            Error::ConnectionClosed {
                reason,
                by: Initiator::Library,
            } => assert_eq!(reason.code, code),
            other => panic!("{other:?}"),
        }
        assert!(self.conn.is_closed());
        err.clone()
    }
}

fn completed(ev: &[Event]) -> Vec<(RequestId, Result<Reply, Error>)> {
    ev.iter()
        .filter_map(|e| match e {
            Event::Completed { id, result } => Some((*id, result.clone())),
            _ => None,
        })
        .collect()
}

// ----- handshake -----

#[test]
fn handshake_sends_what_the_spec_and_rabbitmq_expect() {
    let mut h = Harness::new();
    h.feed(&[m(0, start())]);
    let sent = h.sent_methods();
    let [Method::ConnectionStartOk(ok)] = sent.as_slice() else {
        panic!("{sent:?}")
    };
    assert_eq!(ok.mechanism, "PLAIN");
    assert_eq!(ok.response.as_bytes(), b"\0guest\0guest");
    assert_eq!(ok.locale, "en_US");
    assert_eq!(
        ok.client_properties.get("product"),
        Some(&FieldValue::LongStr("amqp091".into()))
    );
    let Some(FieldValue::Table(caps)) = ok.client_properties.get("capabilities") else {
        panic!("no capabilities")
    };
    for cap in handshake::CAPABILITIES {
        assert_eq!(caps.get(cap), Some(&FieldValue::Bool(true)), "{cap}");
    }
    assert_eq!(
        h.conn.server_properties().get("product"),
        Some(&FieldValue::LongStr("RabbitMQ".into()))
    );

    h.feed(&[m(0, tune(2047, 131_072, 60))]);
    let sent = h.sent_methods();
    let [Method::ConnectionTuneOk(t), Method::ConnectionOpen(o)] = sent.as_slice() else {
        panic!("{sent:?}")
    };
    assert_eq!(
        (t.channel_max, t.frame_max, t.heartbeat),
        (2047, 131_072, 60)
    );
    assert_eq!(o.virtual_host, "/");
    assert!(h.events().is_empty(), "not connected before open-ok");
    h.feed(&[m(0, ConnectionOpenOk::default())]);
    assert!(matches!(h.events().as_slice(), [Event::Connected]));
    assert_eq!(
        h.conn.tuning(),
        Tuning {
            channel_max: 2047,
            frame_max: 131_072,
            heartbeat: 60
        }
    );
}

#[test]
fn handshake_frames_may_arrive_byte_by_byte() {
    let mut h = Harness::new();
    let bytes = server_frames(&[m(0, start())]);
    let mut buf = BytesMut::new();
    for b in bytes.iter() {
        buf.put_u8(*b);
        h.conn.handle_input(&mut buf, h.now);
    }
    assert!(buf.is_empty());
    assert!(matches!(
        h.sent_methods().as_slice(),
        [Method::ConnectionStartOk(_)]
    ));
}

#[test]
fn negotiation_corner_cases() {
    let cases = [
        // (client channel_max, frame_max, heartbeat) x server tune -> expected
        ((2047, 131_072, None), (0, 0, 0), (2047, 131_072, 0)),
        ((0, 0, None), (0, 0, 30), (u16::MAX, 0, 30)),
        ((100, 8192, Some(10)), (2047, 131_072, 60), (100, 8192, 10)),
        ((2047, 131_072, Some(0)), (2047, 4096, 60), (2047, 4096, 60)),
        (
            (2047, 131_072, Some(120)),
            (10, 65_536, 0),
            (10, 65_536, 120),
        ),
    ];
    for ((cm, fm, hb), (scm, sfm, shb), (ecm, efm, ehb)) in cases {
        let mut config = Config::default();
        config.options.channel_max = cm;
        config.options.frame_max = fm;
        config.options.heartbeat = hb;
        let mut h = Harness::with(config);
        h.feed(&[m(0, start()), m(0, tune(scm, sfm, shb))]);
        let sent = h.sent_methods();
        let Some(Method::ConnectionTuneOk(t)) = sent.get(1) else {
            panic!("{sent:?}")
        };
        assert_eq!((t.channel_max, t.frame_max, t.heartbeat), (ecm, efm, ehb));
    }
}

#[test]
fn frame_max_below_minimum_is_a_syntax_error() {
    let mut h = Harness::new();
    h.feed(&[m(0, start()), m(0, tune(2047, 1024, 60))]);
    h.expect_library_close(ReplyCode::SYNTAX_ERROR);
}

#[test]
fn server_answering_with_another_protocol_version() {
    let mut h = Harness::new();
    h.feed_bytes(b"AMQP\x00\x01\x00\x00");
    let ev = h.events();
    let [Event::Closed(Error::UnsupportedProtocol { offered })] = ev.as_slice() else {
        panic!("{ev:?}")
    };
    assert_eq!((offered.major, offered.minor), (1, 0));
    assert!(h.conn.is_closed());
}

#[test]
fn server_without_our_mechanism() {
    let mut h = Harness::new();
    let mut s = start();
    s.mechanisms = "EXTERNAL".into();
    h.feed(&[m(0, s)]);
    let ev = h.events();
    assert!(
        matches!(ev.as_slice(), [Event::Closed(Error::AuthMechanism { wanted: "PLAIN", offered })] if offered == "EXTERNAL"),
        "{ev:?}"
    );
}

#[test]
fn access_refused_during_handshake_is_a_typed_error() {
    let mut h = Harness::new();
    h.feed(&[m(0, start())]);
    h.sent();
    h.feed(&[m(
        0,
        ConnectionClose {
            reply_code: 403,
            reply_text: "ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN"
                .into(),
            class_id: 0,
            method_id: 0,
        },
    )]);
    assert!(matches!(
        h.sent_methods().as_slice(),
        [Method::ConnectionCloseOk(_)]
    ));
    let ev = h.events();
    let [Event::Closed(err)] = ev.as_slice() else {
        panic!("{ev:?}")
    };
    assert_eq!(err.reply_code(), Some(ReplyCode::ACCESS_REFUSED));
    assert!(matches!(
        err,
        Error::ConnectionClosed {
            by: Initiator::Server,
            ..
        }
    ));
}

#[test]
fn unknown_vhost_is_not_allowed() {
    let mut h = Harness::new();
    h.feed(&[m(0, start()), m(0, tune(2047, 131_072, 60))]);
    h.sent();
    h.feed(&[m(
        0,
        ConnectionClose {
            reply_code: 530,
            reply_text: "NOT_ALLOWED - vhost nope not found".into(),
            class_id: 10,
            method_id: 40,
        },
    )]);
    let ev = h.events();
    let [Event::Closed(err)] = ev.as_slice() else {
        panic!("{ev:?}")
    };
    assert_eq!(err.reply_code(), Some(ReplyCode::NOT_ALLOWED));
    assert_eq!(
        err.to_string(),
        "connection closed by the server: 530 NOT_ALLOWED - vhost nope not found (on connection.open)"
    );
}

#[test]
fn socket_closed_during_handshake() {
    let mut h = Harness::new();
    h.feed(&[m(0, start())]);
    h.conn.handle_eof();
    let ev = h.events();
    let [Event::Closed(Error::Io {
        during: Some(step), ..
    })] = ev.as_slice()
    else {
        panic!("{ev:?}")
    };
    assert!(step.contains("connection.tune"), "{step}");
}

#[test]
fn handshake_times_out() {
    let mut config = Config::default();
    config.options.connection_timeout = Duration::from_secs(5);
    let mut h = Harness::with(config);
    assert_eq!(h.conn.poll_timeout(), Some(h.now + Duration::from_secs(5)));
    h.conn.handle_timeout(h.now + Duration::from_secs(4));
    assert!(h.events().is_empty());
    h.conn.handle_timeout(h.now + Duration::from_secs(5));
    assert!(matches!(
        h.events().as_slice(),
        [Event::Closed(Error::Timeout(TimeoutKind::Connect))]
    ));
    assert_eq!(h.conn.poll_timeout(), None);
}

#[test]
fn amqplain_and_vhost_from_options() {
    let mut config = Config::default();
    config.options.auth_mechanism = crate::uri::AuthMechanism::AmqPlain;
    config.options.vhost = "tenant-a".into();
    let mut h = Harness::with(config);
    h.feed(&[m(0, start()), m(0, tune(0, 0, 0))]);
    let sent = h.sent_methods();
    let Method::ConnectionStartOk(ok) = &sent[0] else {
        panic!()
    };
    assert_eq!(ok.mechanism, "AMQPLAIN");
    let Method::ConnectionOpen(open) = &sent[2] else {
        panic!()
    };
    assert_eq!(open.virtual_host, "tenant-a");
}

// ----- channels and replies -----

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
        h.conn.open_channel(),
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
                queue: "a".into(),
                ..Default::default()
            }
            .into(),
        )
        .unwrap()
        .unwrap();
    let b = h
        .conn
        .request(
            ch,
            ExchangeDeclare {
                exchange: "x".into(),
                kind: "direct".into(),
                ..Default::default()
            }
            .into(),
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
        )
        .unwrap()
        .unwrap();
    assert_eq!(h.sent_methods().len(), 3, "requests are pipelined");
    h.feed(&[
        m(
            ch,
            QueueDeclareOk {
                queue: "a".into(),
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
                exchange: "e1".into(),
                kind: "direct".into(),
                no_wait: true,
                ..Default::default()
            }
            .into(),
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
            reply_text: "PRECONDITION_FAILED - inequivalent arg 'type'".into(),
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
    assert!(h.conn.request(ch, BasicQos::default().into()).is_err());
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
                queue: "missing".into(),
                passive: true,
                ..Default::default()
            }
            .into(),
        )
        .unwrap()
        .unwrap();
    let good = h
        .conn
        .request(
            ch2,
            QueueDeclare {
                queue: "there".into(),
                passive: true,
                ..Default::default()
            }
            .into(),
        )
        .unwrap()
        .unwrap();
    h.sent();
    h.feed(&[
        m(
            ch1,
            ChannelClose {
                reply_code: 404,
                reply_text: "NOT_FOUND - no queue 'missing' in vhost '/'".into(),
                class_id: 50,
                method_id: 10,
            },
        ),
        m(
            ch2,
            QueueDeclareOk {
                queue: "there".into(),
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
fn basic_get_assembles_content_and_get_empty_answers_too() {
    let mut h = Harness::new();
    h.connect();
    let ch = h.open_channel();
    let get = BasicGet {
        queue: "q1".into(),
        ..Default::default()
    };
    let first = h.conn.request(ch, get.clone().into()).unwrap().unwrap();
    let second = h.conn.request(ch, get.into()).unwrap().unwrap();
    h.sent();
    let props = BasicProperties::default().with_content_type("text/plain".into());
    h.feed(&[
        m(
            ch,
            BasicGetOk {
                delivery_tag: 7,
                exchange: "e1".into(),
                routing_key: "k".into(),
                message_count: 4,
                ..Default::default()
            },
        ),
        Frame::Header {
            channel: ch,
            header: ContentHeader::basic(11, props.clone()),
        },
        Frame::Body {
            channel: ch,
            payload: Bytes::from_static(b"hello"),
        },
        Frame::Body {
            channel: ch,
            payload: Bytes::from_static(b" "),
        },
        Frame::Body {
            channel: ch,
            payload: Bytes::from_static(b"world"),
        },
        m(ch, BasicGetEmpty::default()),
    ]);
    let done = completed(&h.events());
    let (id, Ok(Reply::Get(msg))) = &done[0] else {
        panic!("{done:?}")
    };
    assert_eq!(*id, first);
    assert_eq!(&msg.body[..], b"hello world");
    assert_eq!((msg.delivery_tag, msg.message_count), (7, 4));
    assert_eq!(*msg.properties, props);
    assert!(matches!(&done[1], (id, Ok(Reply::Method(Method::BasicGetEmpty(_)))) if *id == second));
}

fn deliver(ch: u16, tag: u64) -> Frame {
    m(
        ch,
        BasicDeliver {
            consumer_tag: "ctag".into(),
            delivery_tag: tag,
            exchange: "".into(),
            routing_key: "q".into(),
            ..Default::default()
        },
    )
}

#[test]
fn deliveries_assemble_across_many_body_frames() {
    let mut h = Harness::new();
    h.connect();
    let ch = h.open_channel();
    h.conn
        .request(
            ch,
            BasicConsume {
                queue: "q".into(),
                consumer_tag: "ctag".into(),
                no_wait: true,
                ..Default::default()
            }
            .into(),
        )
        .unwrap();
    h.sent();
    let body: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
    let mut frames = vec![
        deliver(ch, 1),
        Frame::Header {
            channel: ch,
            header: ContentHeader::basic(body.len() as u64, BasicProperties::default()),
        },
    ];
    for chunk in body.chunks(1000) {
        frames.push(Frame::Body {
            channel: ch,
            payload: Bytes::copy_from_slice(chunk),
        });
    }
    // An empty-body message right after.
    frames.push(deliver(ch, 2));
    frames.push(Frame::Header {
        channel: ch,
        header: ContentHeader::basic(0, BasicProperties::default()),
    });
    // Feed it in 4 KiB reads.
    let wire = server_frames(&frames);
    let mut buf = BytesMut::new();
    for part in wire.chunks(4096) {
        buf.extend_from_slice(part);
        h.conn.handle_input(&mut buf, h.now);
    }
    let ev = h.events();
    let [Event::Delivery(d1), Event::Delivery(d2)] = ev.as_slice() else {
        panic!("{ev:?}")
    };
    assert_eq!(d1.body.len(), body.len());
    assert_eq!(&d1.body[..], &body[..]);
    assert_eq!(
        (d1.delivery_tag, d1.consumer_tag.as_str()),
        (1, Some("ctag"))
    );
    assert!(d2.body.is_empty());
}

#[test]
fn single_frame_body_is_not_copied() {
    let mut h = Harness::new();
    h.connect();
    let ch = h.open_channel();
    let mut buf = server_frames(&[
        deliver(ch, 1),
        Frame::Header {
            channel: ch,
            header: ContentHeader::basic(5, BasicProperties::default()),
        },
        Frame::Body {
            channel: ch,
            payload: Bytes::from_static(b"12345"),
        },
    ]);
    let start = buf.as_ptr() as usize;
    let end = start + buf.len();
    h.conn.handle_input(&mut buf, h.now);
    let ev = h.events();
    let [Event::Delivery(d)] = ev.as_slice() else {
        panic!("{ev:?}")
    };
    let p = d.body.as_ptr() as usize;
    assert!(
        p >= start && p < end,
        "the body points into the read buffer"
    );
}

// ----- protocol violations by the server -----

#[test]
fn body_larger_than_announced_is_a_frame_error() {
    let mut h = Harness::new();
    h.connect();
    let ch = h.open_channel();
    let pending = h
        .conn
        .request(ch, BasicQos::default().into())
        .unwrap()
        .unwrap();
    h.sent();
    h.feed(&[
        deliver(ch, 1),
        Frame::Header {
            channel: ch,
            header: ContentHeader::basic(3, BasicProperties::default()),
        },
        Frame::Body {
            channel: ch,
            payload: Bytes::from_static(b"four"),
        },
    ]);
    let sent = h.sent_methods();
    let [Method::ConnectionClose(c)] = sent.as_slice() else {
        panic!("{sent:?}")
    };
    assert_eq!(c.reply_code, 501);
    // The pending request fails at once with the reason.
    let done = completed(&h.events());
    assert!(
        matches!(&done[..], [(id, Err(Error::ConnectionClosed { by: Initiator::Library, .. }))] if *id == pending)
    );
    // Frames after our close are ignored until close-ok.
    h.feed(&[m(ch, BasicQosOk::default())]);
    assert!(h.events().is_empty());
    h.feed(&[m(0, ConnectionCloseOk::default())]);
    assert!(matches!(
        h.events().as_slice(),
        [Event::Closed(Error::ConnectionClosed {
            by: Initiator::Library,
            ..
        })]
    ));
    // Later commands get the same error.
    assert!(matches!(
        h.conn.open_channel(),
        Err(Error::InvalidArgument(_))
    ));
}

#[test]
fn method_in_the_middle_of_content_is_unexpected() {
    let mut h = Harness::new();
    h.connect();
    let ch = h.open_channel();
    h.feed(&[
        deliver(ch, 1),
        Frame::Header {
            channel: ch,
            header: ContentHeader::basic(10, BasicProperties::default()),
        },
        deliver(ch, 2),
    ]);
    h.expect_library_close(ReplyCode::UNEXPECTED_FRAME);
}

#[test]
fn header_or_body_without_method_is_unexpected() {
    for frame in [
        Frame::Header {
            channel: 1,
            header: ContentHeader::basic(1, BasicProperties::default()),
        },
        Frame::Body {
            channel: 1,
            payload: Bytes::from_static(b"x"),
        },
    ] {
        let mut h = Harness::new();
        h.connect();
        h.open_channel();
        h.feed(&[frame]);
        h.expect_library_close(ReplyCode::UNEXPECTED_FRAME);
    }
}

#[test]
fn frames_on_an_unopened_channel_are_a_channel_error() {
    let mut h = Harness::new();
    h.connect();
    h.feed(&[deliver(9, 1)]);
    h.expect_library_close(ReplyCode::CHANNEL_ERROR);
}

#[test]
fn announced_size_over_the_maximum_is_refused_before_any_body() {
    let config = Config {
        max_message_size: 1024,
        ..Default::default()
    };
    let mut h = Harness::with(config);
    h.connect();
    let ch = h.open_channel();
    h.feed(&[
        deliver(ch, 1),
        Frame::Header {
            channel: ch,
            header: ContentHeader::basic(u64::MAX, BasicProperties::default()),
        },
    ]);
    h.expect_library_close(ReplyCode::RESOURCE_ERROR);
}

#[test]
fn malformed_frames_are_frame_errors() {
    // Bad frame-end octet.
    let mut h = Harness::new();
    h.connect();
    let mut b = BytesMut::new();
    write_frame_with(&mut b, 8, 0, None, &[], 0x00);
    h.feed_bytes(&b);
    h.expect_library_close(ReplyCode::FRAME_ERROR);
    // Unknown frame type.
    let mut h = Harness::new();
    h.connect();
    let mut b = BytesMut::new();
    write_frame_with(&mut b, 0x42, 0, None, &[1, 2], FRAME_END);
    h.feed_bytes(&b);
    h.expect_library_close(ReplyCode::FRAME_ERROR);
    // Frame larger than frame_max, refused from its header.
    let mut h = Harness::new();
    h.connect();
    let mut b = BytesMut::new();
    crate::codec::raw::write_frame_header(&mut b, FrameType::BODY.0, 1, 1 << 30);
    h.feed_bytes(&b);
    h.expect_library_close(ReplyCode::FRAME_ERROR);
    // Truncated method arguments.
    let mut h = Harness::new();
    h.connect();
    let mut b = BytesMut::new();
    crate::codec::raw::write_method_payload(&mut b, 0, 10, 50, &[0, 200]);
    h.feed_bytes(&b);
    let err = h.expect_library_close(ReplyCode::FRAME_ERROR);
    assert!(err.to_string().contains("connection.close"), "{err}");
}

#[test]
fn unexpected_methods_are_invalid_commands() {
    let mut h = Harness::new();
    h.connect();
    let ch = h.open_channel();
    h.feed(&[m(ch, QueueDeclareOk::default())]); // nothing asked for it
    h.expect_library_close(ReplyCode::COMMAND_INVALID);
    let mut h = Harness::new();
    h.connect();
    h.feed(&[m(0, start())]); // a second start
    h.expect_library_close(ReplyCode::COMMAND_INVALID);
}

#[test]
fn heartbeat_on_a_channel_is_a_frame_error() {
    let mut h = Harness::new();
    h.connect();
    h.feed(&[Frame::Heartbeat { channel: 3 }]);
    h.expect_library_close(ReplyCode::FRAME_ERROR);
}

// ----- closing -----

#[test]
fn application_close_waits_for_close_ok() {
    let mut h = Harness::new();
    h.connect();
    let ch = h.open_channel();
    let pending = h
        .conn
        .request(ch, BasicQos::default().into())
        .unwrap()
        .unwrap();
    let close = h
        .conn
        .close(ReplyCode::REPLY_SUCCESS, "bye", h.now)
        .unwrap();
    let sent = h.sent_methods();
    assert!(
        matches!(sent.last(), Some(Method::ConnectionClose(c)) if c.reply_code == 200 && c.reply_text == "bye")
    );
    let ev = h.events();
    assert!(
        matches!(completed(&ev).as_slice(), [(id, Err(Error::ConnectionClosed { by: Initiator::Application, .. }))] if *id == pending)
    );
    h.feed(&[m(0, ConnectionCloseOk::default())]);
    let ev = h.events();
    assert!(matches!(&ev[0], Event::Completed { id, result: Ok(_) } if *id == close));
    assert!(matches!(
        &ev[1],
        Event::Closed(Error::ConnectionClosed {
            by: Initiator::Application,
            ..
        })
    ));
    assert!(h.conn.is_closed());
}

#[test]
fn close_without_close_ok_times_out() {
    let mut h = Harness::new();
    h.connect();
    let close = h
        .conn
        .close(ReplyCode::REPLY_SUCCESS, "bye", h.now)
        .unwrap();
    h.sent();
    let deadline = h.conn.poll_timeout().expect("close deadline");
    assert_eq!(deadline, h.now + Duration::from_secs(10));
    h.conn.handle_timeout(deadline);
    let ev = h.events();
    assert!(
        matches!(&ev[0], Event::Completed { id, result: Err(Error::Timeout(TimeoutKind::Close)) } if *id == close)
    );
    assert!(matches!(&ev[1], Event::Closed(_)));
}

#[test]
fn server_close_while_open_fails_everything() {
    let mut h = Harness::new();
    h.connect();
    let ch = h.open_channel();
    let pending = h
        .conn
        .request(ch, BasicQos::default().into())
        .unwrap()
        .unwrap();
    h.sent();
    h.feed(&[m(0, ConnectionClose { reply_code: 320, reply_text: "CONNECTION_FORCED - broker forced connection closure with reason 'shutdown'".into(), class_id: 0, method_id: 0 })]);
    assert!(matches!(
        h.sent_methods().as_slice(),
        [Method::ConnectionCloseOk(_)]
    ));
    let ev = h.events();
    assert!(
        matches!(completed(&ev).as_slice(), [(id, Err(e))] if *id == pending && e.reply_code() == Some(ReplyCode::CONNECTION_FORCED))
    );
    assert!(matches!(
        ev.last(),
        Some(Event::Closed(Error::ConnectionClosed {
            by: Initiator::Server,
            ..
        }))
    ));
}

// ----- heartbeats -----

#[test]
fn heartbeats_are_sent_when_quiet_and_silence_fails_the_connection() {
    let mut h = Harness::new();
    h.feed(&[
        m(0, start()),
        m(0, tune(2047, 131_072, 10)),
        m(0, ConnectionOpenOk::default()),
    ]);
    h.sent();
    h.events();
    let t0 = h.now;
    // Next deadline: send a heartbeat after 5 s of write silence.
    assert_eq!(h.conn.poll_timeout(), Some(t0 + Duration::from_secs(5)));
    h.now = t0 + Duration::from_secs(5);
    h.conn.handle_timeout(h.now);
    assert!(matches!(
        h.sent().as_slice(),
        [Frame::Heartbeat { channel: 0 }]
    ));
    // The server's heartbeats keep it alive.
    h.now = t0 + Duration::from_secs(15);
    h.feed(&[Frame::Heartbeat { channel: 0 }]);
    h.conn.handle_timeout(h.now);
    assert!(!h.conn.is_closed());
    // 20 s (two intervals) without anything from the server.
    h.now = t0 + Duration::from_secs(35);
    h.conn.handle_timeout(h.now);
    let ev = h.events();
    assert!(
        matches!(
            ev.as_slice(),
            [Event::Closed(Error::Timeout(TimeoutKind::Heartbeat))]
        ),
        "{ev:?}"
    );
}

// ----- server-initiated channel events -----

#[test]
fn server_cancel_flow_and_confirms_become_events() {
    let mut h = Harness::new();
    h.connect();
    let ch = h.open_channel();
    h.conn
        .request(
            ch,
            BasicConsume {
                queue: "q".into(),
                consumer_tag: "ctag".into(),
                no_wait: true,
                ..Default::default()
            }
            .into(),
        )
        .unwrap();
    h.conn
        .request(ch, ConfirmSelect { nowait: true }.into())
        .unwrap();
    h.sent();
    h.feed(&[
        m(
            ch,
            BasicCancel {
                consumer_tag: "ctag".into(),
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
                reason: "low on memory".into(),
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
        matches!(&ev[0], Event::ConsumerCancelled { consumer_tag, .. } if consumer_tag == "ctag")
    );
    assert!(matches!(&ev[1], Event::Flow { active: false, .. }));
    assert!(matches!(
        &ev[2],
        Event::Confirm {
            delivery_tag: 5,
            multiple: true,
            ack: true,
            ..
        }
    ));
    assert!(matches!(
        &ev[3],
        Event::Confirm {
            delivery_tag: 6,
            ack: false,
            ..
        }
    ));
    assert!(matches!(&ev[4], Event::Blocked { reason } if reason == "low on memory"));
    assert!(matches!(&ev[5], Event::Unblocked));
}

#[test]
fn publish_splits_the_body_at_frame_max() {
    let mut h = Harness::new();
    h.feed(&[
        m(0, start()),
        m(0, tune(2047, 4096, 0)),
        m(0, ConnectionOpenOk::default()),
    ]);
    h.sent();
    h.events();
    let ch = h.open_channel();
    let body = vec![1u8; 10_000];
    h.conn
        .publish(
            ch,
            &BasicPublish {
                routing_key: "q".into(),
                ..Default::default()
            },
            &BasicProperties::default(),
            &body,
        )
        .unwrap();
    let sent = h.sent();
    let sizes: Vec<usize> = sent
        .iter()
        .filter_map(|f| match f {
            Frame::Body { payload, .. } => Some(payload.len()),
            _ => None,
        })
        .collect();
    assert_eq!(sizes, vec![4088, 4088, 1824]);
    assert!(matches!(&sent[1], Frame::Header { header, .. } if header.body_size == 10_000));
}

#[test]
fn consume_needs_a_unique_tag() {
    let mut h = Harness::new();
    h.connect();
    let ch = h.open_channel();
    let consume = BasicConsume {
        queue: "q".into(),
        consumer_tag: "".into(),
        ..Default::default()
    };
    assert!(matches!(
        h.conn.request(ch, consume.into()),
        Err(Error::InvalidArgument(_))
    ));
    let consume = BasicConsume {
        queue: "q".into(),
        consumer_tag: "t".into(),
        ..Default::default()
    };
    assert!(h
        .conn
        .request(ch, consume.clone().into())
        .unwrap()
        .is_some());
    assert!(matches!(
        h.conn.request(ch, consume.into()),
        Err(Error::InvalidArgument(_))
    ));
}

#[test]
fn recover_waits_for_recover_ok_as_the_errata_say() {
    let mut h = Harness::new();
    h.connect();
    let ch = h.open_channel();
    let id = h
        .conn
        .request(ch, BasicRecover { requeue: true }.into())
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
            .request(ch, BasicRecoverAsync { requeue: true }.into())
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
            reply_text: "NOT_FOUND - no exchange 'x' in vhost '/'".into(),
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
            .request(ch, ConfirmSelect { nowait: true }.into())
            .unwrap(),
        None
    );
    assert!(h
        .conn
        .request(ch, ConfirmSelect { nowait: false }.into())
        .unwrap()
        .is_some());
}

#[test]
fn the_close_timeout_counts_from_the_close_not_from_the_last_traffic() {
    let mut h = Harness::new();
    h.connect();
    // Idle for a minute, then close.
    h.now += Duration::from_secs(60);
    h.conn
        .close(ReplyCode::REPLY_SUCCESS, "bye", h.now)
        .unwrap();
    assert_eq!(h.conn.poll_timeout(), Some(h.now + Duration::from_secs(10)));
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
fn no_busy_timer_while_output_waits_for_the_writer() {
    let mut h = Harness::new();
    h.feed(&[
        m(0, start()),
        m(0, tune(2047, 131_072, 10)),
        m(0, ConnectionOpenOk::default()),
    ]);
    h.sent();
    h.events();
    let ch = h.open_channel();
    // Bytes queued but not taken by a (stalled) writer, past the send deadline.
    h.conn
        .publish(
            ch,
            &BasicPublish::default(),
            &BasicProperties::default(),
            b"x",
        )
        .unwrap();
    // Past the send deadline: the timer fires once, then moves on.
    let later = h.now + Duration::from_secs(6);
    h.conn.handle_timeout(later);
    let t = h.conn.poll_timeout().unwrap();
    assert!(
        t > later,
        "the next deadline is in the future: {:?}",
        t - later
    );
}

#[test]
fn a_crossing_server_close_ends_an_application_close_with_the_servers_reason() {
    let mut h = Harness::new();
    h.connect();
    let close = h
        .conn
        .close(ReplyCode::REPLY_SUCCESS, "bye", h.now)
        .unwrap();
    h.sent();
    h.feed(&[m(
        0,
        ConnectionClose {
            reply_code: 320,
            reply_text: "CONNECTION_FORCED - shutdown".into(),
            class_id: 0,
            method_id: 0,
        },
    )]);
    let ev = h.events();
    assert!(
        matches!(&ev[0], Event::Completed { id, result: Err(e) } if *id == close && e.reply_code() == Some(ReplyCode::CONNECTION_FORCED)),
        "{ev:?}"
    );
    assert!(
        matches!(&ev[1], Event::Closed(e) if e.reply_code() == Some(ReplyCode::CONNECTION_FORCED))
    );
}

#[test]
fn a_garbled_protocol_header_is_consumed() {
    let mut h = Harness::new();
    let mut buf = BytesMut::from(&b"ABCDEFGHIJ"[..]);
    h.conn.handle_input(&mut buf, h.now);
    assert!(buf.is_empty());
}
