//! The handshake: what the client sends, negotiation, refusals, timeouts.

use super::*;
use crate::codec::ShortStr;

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
    for cap in crate::proto::handshake::CAPABILITIES {
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
        // The server proposes no heartbeat: the client asks for its default.
        ((2047, 131_072, None), (0, 0, 0), (2047, 131_072, 60)),
        ((2047, 131_072, Some(0)), (0, 0, 0), (2047, 131_072, 0)),
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
            reply_text: ShortStr::from_static(
                "ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN",
            ),
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
            reply_text: ShortStr::from_static("NOT_ALLOWED - vhost nope not found"),
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
        // The vhost the client asked for, in quotes (an empty one would be invisible).
        "connection closed by the server: 530 NOT_ALLOWED - vhost nope not found (virtual host \"/\") (on connection.open)"
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
fn a_close_during_the_handshake_waits_for_close_ok_no_longer_than_the_connection_timeout() {
    let mut config = Config::default();
    config.options.connection_timeout = Duration::from_secs(5);
    config.close_timeout = Duration::from_secs(10);
    let mut h = Harness::with(config);
    h.now += Duration::from_secs(1);
    // Not a broker: the core closes with a protocol error and waits for a close-ok.
    h.feed_bytes(b"HTTP/1.1 400 Bad Request\r\n\r\n");
    assert!(!h.conn.is_closed(), "waiting for close-ok");
    let by = h.now + Duration::from_secs(4);
    assert_eq!(h.conn.poll_timeout(), Some(by));
    h.conn.handle_timeout(by);
    let ev = h.events();
    assert!(matches!(ev.last(), Some(Event::Closed(_))), "{ev:?}");
    assert!(h.conn.is_closed());
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

#[test]
fn a_garbled_protocol_header_is_consumed() {
    let mut h = Harness::new();
    let mut buf = BytesMut::from(&b"ABCDEFGHIJ"[..]);
    h.conn.handle_input(&mut buf, h.now);
    assert!(buf.is_empty());
}

#[test]
fn a_tls_port_is_named_as_such() {
    for record in [
        &b"\x15\x03\x03\x00\x02\x02\x32"[..],             // alert
        &b"\x16\x03\x01\x00\x05\x02\x00\x00\x01\x00"[..], // handshake
    ] {
        let mut h = Harness::new();
        h.feed_bytes(record);
        let ev = h.events();
        assert!(
            matches!(ev.as_slice(), [Event::Closed(Error::Tls { reason })] if reason.contains("amqps://")),
            "{ev:?}"
        );
        assert!(h.sent().is_empty(), "no AMQP close to a TLS server");
    }
}

#[test]
fn debug_never_shows_the_bytes_to_send() {
    let mut config = Config::default();
    config.options.password = "s3cret-in-start-ok".into();
    let mut h = Harness::with(config);
    h.feed(&[m(0, start())]);
    // The start-ok with the password waits to be written.
    assert!(h.conn.pending_transmit() > 0);
    let shown = format!("{:?}", h.conn);
    assert!(!shown.contains("s3cret"), "{shown}");
}
