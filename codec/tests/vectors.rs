//! Hand-checked byte vectors, and byte streams that real peers wrote
//! (RabbitMQ 3.10.8 and the Go client streadway/amqp, captured on loopback:
//! `tests/data/README.md`).

use amqp091_codec::method::*;
use amqp091_codec::{
    encode_content, encode_method, BasicProperties, DecodeErrorKind, FieldValue, Frame,
    FrameDecoder, FrameType, Method, ProtocolHeader, ReplyCode, ShortStr,
};
use bytes::{Bytes, BytesMut};

fn capture(name: &str) -> Bytes {
    let path = format!("{}/tests/data/{name}.bin", env!("CARGO_MANIFEST_DIR"));
    Bytes::from(std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}")))
}

/// Decodes a whole captured stream (after an optional protocol header),
/// re-encodes every frame and checks the bytes are identical.
fn decode_stream(bytes: &Bytes) -> Vec<Frame> {
    let mut buf = BytesMut::from(&bytes[..]);
    let mut decoder = FrameDecoder::new(131_072);
    let mut start = 0;
    if ProtocolHeader::starts(&buf) {
        let header = ProtocolHeader::decode(&mut buf).unwrap().unwrap();
        assert!(header.is_0_9_1());
        decoder.skip(8);
        start = 8;
    }
    let mut frames = Vec::new();
    while let Some(frame) = decoder.decode_frame(&mut buf).unwrap() {
        frames.push(frame);
    }
    assert!(buf.is_empty(), "stream ends on a frame boundary");
    let mut again = BytesMut::new();
    for f in &frames {
        f.encode(&mut again);
    }
    assert_eq!(&again[..], &bytes[start..], "re-encoding is byte-exact");
    frames
}

fn method_on(frame: &Frame) -> (u16, &Method) {
    match frame {
        Frame::Method { channel, method } => (*channel, method),
        other => panic!("expected a method frame, got {other:?}"),
    }
}

#[test]
fn real_streams_decode_and_reencode_byte_exact() {
    for name in [
        "tutorial-producer-client",
        "tutorial-producer-server",
        "tutorial-consumer-client",
        "tutorial-consumer-server",
    ] {
        let frames = decode_stream(&capture(name));
        assert!(frames.len() > 5, "{name}: {} frames", frames.len());
        for f in &frames {
            if let Frame::Method { method, .. } = f {
                assert!(!matches!(method, Method::Unknown(_)), "{name}: {method:?}");
            }
        }
    }
}

#[test]
fn connection_start_as_rabbitmq_sends_it() {
    let frames = decode_stream(&capture("tutorial-producer-server"));
    let (channel, method) = method_on(&frames[0]);
    assert_eq!(channel, 0);
    let Method::ConnectionStart(start) = method else {
        panic!("first server frame is {method:?}")
    };
    assert_eq!((start.version_major, start.version_minor), (0, 9));
    assert_eq!(start.mechanisms.as_bytes(), b"AMQPLAIN PLAIN");
    assert_eq!(start.locales.as_bytes(), b"en_US");
    let props = &start.server_properties;
    assert_eq!(
        props.get("product"),
        Some(&FieldValue::LongStr("RabbitMQ".into()))
    );
    assert_eq!(
        props.get("version"),
        Some(&FieldValue::LongStr("3.10.8".into()))
    );
    let Some(FieldValue::Table(caps)) = props.get("capabilities") else {
        panic!("capabilities table missing")
    };
    for cap in [
        "publisher_confirms",
        "exchange_exchange_bindings",
        "basic.nack",
        "consumer_cancel_notify",
        "connection.blocked",
        "authentication_failure_close",
        "per_consumer_qos",
    ] {
        assert_eq!(caps.get(cap), Some(&FieldValue::Bool(true)), "{cap}");
    }
    // Byte-exact: the frame header announces 0x1f0 bytes of payload.
    assert_eq!(frames[0].encoded_len(), 0x1f0 + 8);
}

#[test]
fn tune_and_open_as_rabbitmq_and_the_go_client_send_them() {
    let server = decode_stream(&capture("tutorial-producer-server"));
    let Method::ConnectionTune(tune) = method_on(&server[1]).1 else {
        panic!()
    };
    assert_eq!(
        (tune.channel_max, tune.frame_max, tune.heartbeat),
        (2047, 131_072, 60)
    );
    let client = decode_stream(&capture("tutorial-producer-client"));
    let Method::ConnectionStartOk(start_ok) = method_on(&client[0]).1 else {
        panic!()
    };
    assert_eq!(start_ok.mechanism, "PLAIN");
    assert_eq!(start_ok.response.as_bytes(), b"\0guest\0guest");
    let Method::ConnectionOpen(open) = method_on(&client[2]).1 else {
        panic!()
    };
    assert_eq!(open.virtual_host, "/");
}

/// basic.publish + header + body exactly as the Go client wrote them.
const PUBLISH_TRIPLET: &[u8] = &[
    // method frame, channel 1, 16 bytes: basic.publish, ticket 0, "e1", "q1Key", mandatory
    0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x10, 0x00, 0x3c, 0x00, 0x28, 0x00, 0x00, 0x02, b'e', b'1',
    0x05, b'q', b'1', b'K', b'e', b'y', 0x01, 0xce,
    // header frame, 34 bytes: class 60, weight 0, body 32, flags 0x9040
    // (content-type, delivery-mode, timestamp), "text/plain", 2, 0x6b055fc9
    0x02, 0x00, 0x01, 0x00, 0x00, 0x00, 0x22, 0x00, 0x3c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x20, 0x90, 0x40, 0x0a, b't', b'e', b'x', b't', b'/', b'p', b'l', b'a', b'i', b'n',
    0x02, 0x00, 0x00, 0x00, 0x00, 0x6b, 0x05, 0x5f, 0xc9, 0xce, // body frame, 32 bytes
    0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x20, b'H', b'e', b'l', b'l', b'o', b' ', b'G', b'o', b'l',
    b'a', b'n', b'g', b' ', b'a', b'n', b'd', b' ', b'A', b'M', b'Q', b'P', b'(', b'R', b'a', b'b',
    b'b', b'i', b't', b'm', b'q', b')', b'!', 0xce,
];

const BODY: &[u8] = b"Hello Golang and AMQP(Rabbitmq)!";

#[test]
fn publish_triplet_encodes_as_the_go_client_wrote_it() {
    let mut buf = BytesMut::new();
    let publish = BasicPublish {
        exchange: ShortStr::from_static("e1"),
        routing_key: ShortStr::from_static("q1Key"),
        mandatory: true,
        ..Default::default()
    };
    encode_method(&mut buf, 1, &publish);
    let props = BasicProperties::default()
        .with_content_type(ShortStr::from_static("text/plain"))
        .with_delivery_mode(2)
        .with_timestamp(0x6b05_5fc9);
    encode_content(&mut buf, 1, &props, BODY, 131_072);
    assert_eq!(&buf[..], PUBLISH_TRIPLET);
    // And the same bytes are in the capture.
    let capture = capture("tutorial-producer-client");
    assert!(capture
        .windows(PUBLISH_TRIPLET.len())
        .any(|w| w == PUBLISH_TRIPLET));
}

#[test]
fn publish_triplet_decodes_field_by_field() {
    let mut buf = BytesMut::from(PUBLISH_TRIPLET);
    let mut d = FrameDecoder::new(131_072);
    let f1 = d.decode_frame(&mut buf).unwrap().unwrap();
    let f2 = d.decode_frame(&mut buf).unwrap().unwrap();
    let f3 = d.decode_frame(&mut buf).unwrap().unwrap();
    assert!(buf.is_empty());
    let Frame::Method {
        channel: 1,
        method: Method::BasicPublish(p),
    } = f1
    else {
        panic!("{f1:?}")
    };
    assert_eq!(
        (p.exchange.as_str(), p.routing_key.as_str()),
        (Some("e1"), Some("q1Key"))
    );
    assert!(p.mandatory && !p.immediate);
    let Frame::Header { channel: 1, header } = f2 else {
        panic!("{f2:?}")
    };
    assert_eq!(header.class_id, 60);
    assert_eq!(header.body_size, 32);
    assert_eq!(header.properties.flags(), 0x9040);
    assert_eq!(
        header.properties.content_type,
        Some(ShortStr::from_static("text/plain"))
    );
    assert_eq!(header.properties.delivery_mode, Some(2));
    assert_eq!(header.properties.timestamp, Some(0x6b05_5fc9));
    assert_eq!(header.properties.headers, None);
    let Frame::Body {
        channel: 1,
        payload,
    } = f3
    else {
        panic!("{f3:?}")
    };
    assert_eq!(&payload[..], BODY);
}

#[test]
fn get_ok_and_deliver_from_rabbitmq() {
    let frames = decode_stream(&capture("tutorial-consumer-server"));
    let get_ok = frames
        .iter()
        .find_map(|f| match f {
            Frame::Method {
                method: Method::BasicGetOk(g),
                ..
            } => Some(g.clone()),
            _ => None,
        })
        .expect("get-ok in capture");
    assert_eq!(get_ok.delivery_tag, 1);
    assert!(!get_ok.redelivered);
    assert_eq!(
        (get_ok.exchange.as_str(), get_ok.routing_key.as_str()),
        (Some("e1"), Some("q1Key"))
    );
    assert_eq!(get_ok.message_count, 4);
    let deliver = frames
        .iter()
        .find_map(|f| match f {
            Frame::Method {
                method: Method::BasicDeliver(d),
                ..
            } => Some(d.clone()),
            _ => None,
        })
        .expect("deliver in capture");
    assert_eq!(deliver.consumer_tag, "any");
    assert_eq!(deliver.delivery_tag, 2);
    let bodies: Vec<&Bytes> = frames
        .iter()
        .filter_map(|f| match f {
            Frame::Body { payload, .. } => Some(payload),
            _ => None,
        })
        .collect();
    assert!(bodies.len() >= 2);
    assert!(bodies.iter().all(|b| &b[..] == BODY));
}

#[test]
fn close_with_reply_code() {
    // connection.close 200 "kthxbai" as the Go client sent it.
    let bytes: &[u8] = &[
        0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x12, 0x00, 0x0a, 0x00, 0x32, 0x00, 0xc8, 0x07, b'k',
        b't', b'h', b'x', b'b', b'a', b'i', 0x00, 0x00, 0x00, 0x00, 0xce,
    ];
    let mut buf = BytesMut::from(bytes);
    let f = FrameDecoder::default()
        .decode_frame(&mut buf)
        .unwrap()
        .unwrap();
    let Frame::Method {
        method: Method::ConnectionClose(c),
        ..
    } = &f
    else {
        panic!()
    };
    assert_eq!(ReplyCode(c.reply_code), ReplyCode::REPLY_SUCCESS);
    assert_eq!(c.reply_text, "kthxbai");
    let mut again = BytesMut::new();
    f.encode(&mut again);
    assert_eq!(&again[..], bytes);
}

#[test]
fn heartbeat_frame() {
    let bytes: &[u8] = &[8, 0, 0, 0, 0, 0, 0, 0xce];
    let mut buf = BytesMut::from(bytes);
    let f = FrameDecoder::default()
        .decode_frame(&mut buf)
        .unwrap()
        .unwrap();
    assert_eq!(f, Frame::Heartbeat { channel: 0 });
    let mut again = BytesMut::new();
    f.encode(&mut again);
    assert_eq!(&again[..], bytes);
    // A heartbeat with a payload is malformed.
    let mut bad = BytesMut::from(&[8u8, 0, 0, 0, 0, 0, 1, 0xaa, 0xce][..]);
    let err = FrameDecoder::default().decode_frame(&mut bad).unwrap_err();
    assert_eq!(err.kind, DecodeErrorKind::HeartbeatPayload { len: 1 });
    assert_eq!(err.context.frame_type, Some(FrameType::HEARTBEAT.0));
}

#[test]
fn partial_input_consumes_nothing_and_asks_for_more() {
    let mut decoder = FrameDecoder::new(131_072);
    for cut in 0..PUBLISH_TRIPLET.len() {
        let mut buf = BytesMut::from(&PUBLISH_TRIPLET[..cut]);
        let mut frames = 0;
        loop {
            let before = buf.len();
            match decoder.decode(&mut buf).unwrap() {
                Some(_) => frames += 1,
                None => {
                    assert_eq!(buf.len(), before);
                    break;
                }
            }
        }
        // Frames end at 24 and 66; the body frame completes the triplet.
        let expected = [24usize, 66, PUBLISH_TRIPLET.len()]
            .iter()
            .filter(|&&end| end <= cut)
            .count();
        assert_eq!(frames, expected, "cut at {cut}");
        decoder = FrameDecoder::new(131_072);
    }
}

#[test]
fn frame_over_frame_max_is_rejected_from_its_header() {
    // Header only: a body frame announcing 1 MiB, no payload present.
    let mut buf = BytesMut::from(&[3u8, 0, 5, 0, 0x10, 0, 0][..]);
    let err = FrameDecoder::new(131_072).decode(&mut buf).unwrap_err();
    assert_eq!(
        err.kind,
        DecodeErrorKind::FrameTooLarge {
            size: 0x10_0000 + 8,
            max: 131_072
        }
    );
    assert_eq!(err.context.channel, Some(5));
    assert_eq!(buf.capacity(), 7, "nothing was reserved for the payload");
    assert!(err.to_string().contains("body frame on channel 5"), "{err}");
    // Exactly frame_max is fine.
    let mut ok = BytesMut::new();
    amqp091_codec::write_frame(&mut ok, FrameType::BODY, 1, &[7u8; 4088]);
    assert!(FrameDecoder::new(4096).decode(&mut ok).unwrap().is_some());
}

#[test]
fn bad_frame_end_names_the_byte_and_offset() {
    let mut bytes = PUBLISH_TRIPLET.to_vec();
    bytes[65] = 0x00; // header frame's end byte
    let mut buf = BytesMut::from(&bytes[..]);
    let mut d = FrameDecoder::new(131_072);
    assert!(d.decode(&mut buf).unwrap().is_some());
    let err = d.decode(&mut buf).unwrap_err();
    assert_eq!(err.kind, DecodeErrorKind::BadFrameEnd { found: 0 });
    assert_eq!(err.offset, 65);
    assert_eq!(err.context.frame_type, Some(2));
}

#[test]
fn truncated_method_names_method_field_and_offset() {
    // basic.publish whose routing-key claims 9 bytes but has 5.
    let payload: &[u8] = &[
        0, 60, 0, 40, 0, 0, 2, b'e', b'1', 9, b'q', b'1', b'K', b'e', b'y',
    ];
    let mut buf = BytesMut::new();
    amqp091_codec::write_frame(&mut buf, FrameType::METHOD, 3, payload);
    let mut d = FrameDecoder::new(131_072);
    let err = d.decode_frame(&mut buf).unwrap_err();
    assert_eq!(err.kind, DecodeErrorKind::UnexpectedEnd { needed: 4 });
    assert_eq!(err.context.class_method, Some((60, 40)));
    assert_eq!(err.context.field, Some("routing-key"));
    assert_eq!(err.context.channel, Some(3));
    assert_eq!(err.offset, 7 + 10);
    let text = err.to_string();
    assert!(
        text.contains("basic.publish") && text.contains("routing-key"),
        "{text}"
    );
}

#[test]
fn trailing_bytes_after_a_method_are_an_error() {
    let payload: &[u8] = &[0, 20, 0, 41, 0xff]; // channel.close-ok + 1 byte
    let err = Method::decode(Bytes::from_static(payload)).unwrap_err();
    assert_eq!(err.kind, DecodeErrorKind::TrailingBytes { count: 1 });
    assert_eq!(err.context.class_method, Some((20, 41)));
}

#[test]
fn unknown_method_and_frame_type_are_kept() {
    let payload = Bytes::from_static(&[0x03, 0xe7, 0, 1, 0xde, 0xad]);
    let m = Method::decode(payload.clone()).unwrap();
    assert_eq!(
        m,
        Method::Unknown(UnknownMethod {
            class_id: 999,
            method_id: 1,
            args: Bytes::from_static(&[0xde, 0xad])
        })
    );
    assert_eq!(m.name(), "class-999.method-1");
    let mut buf = BytesMut::new();
    m.encode(&mut buf);
    assert_eq!(buf.freeze(), payload);

    let mut buf = BytesMut::from(&[0x42u8, 0, 1, 0, 0, 0, 1, 0x99, 0xce][..]);
    let f = FrameDecoder::default()
        .decode_frame(&mut buf)
        .unwrap()
        .unwrap();
    assert_eq!(f.frame_type(), FrameType(0x42));
    let mut again = BytesMut::new();
    f.encode(&mut again);
    assert_eq!(&again[..], &[0x42u8, 0, 1, 0, 0, 0, 1, 0x99, 0xce]);
}

#[test]
fn protocol_headers() {
    let mut buf = BytesMut::from(&b"AMQP\x00\x00\x09\x01"[..]);
    assert_eq!(
        ProtocolHeader::decode(&mut buf).unwrap(),
        Some(ProtocolHeader::AMQP_0_9_1)
    );
    // A server refusing our version answers with the one it speaks, e.g. AMQP 1.0.
    let mut buf = BytesMut::from(&b"AMQP\x00\x01\x00\x00"[..]);
    let theirs = ProtocolHeader::decode(&mut buf).unwrap().unwrap();
    assert!(!theirs.is_0_9_1());
    assert_eq!(theirs.to_string(), "AMQP 0 1 0 0");
    // Partial: nothing consumed.
    let mut buf = BytesMut::from(&b"AMQ"[..]);
    assert_eq!(ProtocolHeader::decode(&mut buf).unwrap(), None);
    assert_eq!(buf.len(), 3);
    // Not a header at all (an HTTP server).
    let mut buf = BytesMut::from(&b"HTTP/1.1 400"[..]);
    let err = ProtocolHeader::decode(&mut buf).unwrap_err();
    assert!(matches!(
        err.kind,
        DecodeErrorKind::NotProtocolHeader { .. }
    ));
}

#[test]
fn body_is_split_at_frame_max_and_shares_the_read_buffer() {
    let body = vec![0xabu8; 10_000];
    let mut buf = BytesMut::new();
    encode_content(&mut buf, 7, &BasicProperties::default(), &body, 4096);
    let mut d = FrameDecoder::new(4096);
    let mut sizes = Vec::new();
    let header = d.decode_frame(&mut buf).unwrap().unwrap();
    assert!(matches!(header, Frame::Header { channel: 7, .. }));
    let read_buffer_start = buf.as_ptr() as usize;
    while let Some(f) = d.decode_frame(&mut buf).unwrap() {
        let Frame::Body {
            channel: 7,
            payload,
        } = f
        else {
            panic!()
        };
        // Zero-copy: the payload points into the original buffer.
        let p = payload.as_ptr() as usize;
        assert!(p >= read_buffer_start && p < read_buffer_start + 11_000);
        sizes.push(payload.len());
    }
    assert_eq!(sizes, vec![4088, 4088, 1824]);
}

#[test]
fn bits_pack_across_runs() {
    // queue.declare: passive, durable, exclusive, auto-delete, no-wait share one octet.
    let m = QueueDeclare {
        queue: ShortStr::from_static("q"),
        durable: true,
        auto_delete: true,
        no_wait: true,
        ..Default::default()
    };
    let mut buf = BytesMut::new();
    m.encode(&mut buf);
    // ids(4) reserved(2) "q"(2) bits(1) table(4)
    assert_eq!(
        &buf[..],
        &[0, 50, 0, 10, 0, 0, 1, b'q', 0b0001_1010, 0, 0, 0, 0]
    );
}
