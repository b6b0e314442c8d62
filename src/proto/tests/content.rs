//! Content: assembly of deliveries and get-ok, and publishing in frames.

use super::*;
use crate::codec::ShortStr;

#[test]
fn basic_get_assembles_content_and_get_empty_answers_too() {
    let mut h = Harness::new();
    h.connect();
    let ch = h.open_channel();
    let get = BasicGet {
        queue: ShortStr::from_static("q1"),
        ..Default::default()
    };
    let first = h
        .conn
        .request(ch, get.clone().into(), h.now)
        .unwrap()
        .unwrap();
    let second = h.conn.request(ch, get.into(), h.now).unwrap().unwrap();
    h.sent();
    let props = BasicProperties::default().with_content_type(ShortStr::from_static("text/plain"));
    h.feed(&[
        m(
            ch,
            BasicGetOk {
                delivery_tag: 7,
                exchange: ShortStr::from_static("e1"),
                routing_key: ShortStr::from_static("k"),
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

#[test]
fn deliveries_assemble_across_many_body_frames() {
    let mut h = Harness::new();
    h.connect();
    let ch = h.open_channel();
    h.consume_ctag(ch);
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
    h.consume_ctag(ch);
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
                routing_key: ShortStr::from_static("q"),
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
fn a_large_shared_body_is_written_from_its_own_buffer() {
    let mut h = Harness::new();
    h.connect();
    let ch = h.open_channel();
    let body = Bytes::from(vec![7u8; 300_000]);
    h.conn
        .publish_str(
            ch,
            "",
            "q",
            false,
            false,
            &BasicProperties::default(),
            body.clone(),
        )
        .unwrap();
    assert!(h.conn.pending_transmit() > 300_000);
    let range = body.as_ptr() as usize..body.as_ptr() as usize + body.len();
    let mut pieces = Vec::new();
    while let Some(piece) = h.conn.take_transmit(h.now) {
        pieces.push(piece);
    }
    assert_eq!(h.conn.pending_transmit(), 0);
    let uncopied: usize = pieces
        .iter()
        .filter(|p| range.contains(&(p.as_ptr() as usize)))
        .map(|p| p.len())
        .sum();
    assert_eq!(
        uncopied,
        body.len(),
        "every body byte is a slice of the caller's buffer"
    );
    // The pieces in order are valid frames carrying the body.
    let mut wire = BytesMut::new();
    for p in &pieces {
        wire.extend_from_slice(p);
    }
    let mut decoder = FrameDecoder::new(131_072);
    let mut received = 0;
    while let Some(frame) = decoder.decode_frame(&mut wire).unwrap() {
        if let Frame::Body { payload, .. } = frame {
            assert!(payload.iter().all(|&b| b == 7));
            received += payload.len();
        }
    }
    assert_eq!(received, body.len());
}

#[test]
fn a_small_shared_body_is_copied_into_one_write() {
    let mut h = Harness::new();
    h.connect();
    let ch = h.open_channel();
    let body = Bytes::from_static(b"small");
    h.conn
        .publish_str(ch, "", "q", false, false, &BasicProperties::default(), body)
        .unwrap();
    assert!(h.conn.take_transmit(h.now).is_some());
    assert!(h.conn.take_transmit(h.now).is_none(), "one piece");
}

/// Properties with a headers table of `entries` empty entries: 2 bytes each
/// on the wire, a whole entry each once decoded.
fn many_headers(entries: usize) -> BasicProperties {
    let mut headers = crate::codec::FieldTable::new();
    for _ in 0..entries {
        headers.0.push((ShortStr::default(), FieldValue::Void));
    }
    BasicProperties::default().with_headers(headers)
}

/// The memory the client's decoder makes of `props`' headers table.
fn decoded_headers_size(props: &BasicProperties) -> u64 {
    let header = Frame::Header {
        channel: 1,
        header: ContentHeader::basic(1, props.clone()),
    };
    let mut wire = server_frames(&[header]);
    match FrameDecoder::new(0).decode_frame(&mut wire) {
        Ok(Some(Frame::Header { header, .. })) => header
            .properties
            .headers
            .as_ref()
            .map_or(0, |h| h.heap_size()) as u64,
        other => panic!("{other:?}"),
    }
}

/// A delivery whose header arrived and whose body has not.
fn pending_content(ch: u16, props: &BasicProperties) -> [Frame; 2] {
    [
        deliver(ch, 1),
        Frame::Header {
            channel: ch,
            header: ContentHeader::basic(1_000, props.clone()),
        },
    ]
}

#[test]
fn pending_content_headers_on_many_channels_count_their_decoded_size_and_are_bounded() {
    let props = many_headers(500);
    let per = decoded_headers_size(&props);
    assert!(
        per > 10 * props.encoded_len() as u64,
        "{per} for {} on the wire",
        props.encoded_len()
    );
    // Room for eight such headers and half of a ninth.
    let max_message_size = 1_000;
    let limit = 8 * per + per / 2;
    let mut config = Config {
        delivery_buffer_bytes: (limit - max_message_size) as usize,
        ..Config::default()
    };
    config.options.max_message_size = max_message_size;
    let mut h = Harness::with(config);
    h.connect();
    for k in 1..=8 {
        let ch = h.open_channel();
        h.consume_ctag(ch);
        h.feed(&pending_content(ch, &props));
        assert!(h.conn.is_open(), "{k} headers pending are within the bound");
        assert_eq!(h.conn.partial, k * per, "{k} headers pending");
    }
    let ch = h.open_channel();
    h.consume_ctag(ch);
    h.feed(&pending_content(ch, &props));
    h.expect_library_close(ReplyCode::RESOURCE_ERROR);
    assert_eq!(h.conn.partial, 0, "the closed channels hold nothing");
}

#[test]
fn a_pending_headers_cost_is_released_when_its_content_completes_or_its_channel_closes() {
    let props = many_headers(500);
    let per = decoded_headers_size(&props);
    let mut h = Harness::new();
    h.connect();
    let ch = h.open_channel();
    h.consume_ctag(ch);
    h.feed(&pending_content(ch, &props));
    assert_eq!(h.conn.partial, per);
    h.feed(&[Frame::Body {
        channel: ch,
        payload: Bytes::from(vec![0u8; 600]),
    }]);
    assert_eq!(h.conn.partial, per + 600, "the body so far adds to it");
    h.feed(&[Frame::Body {
        channel: ch,
        payload: Bytes::from(vec![0u8; 400]),
    }]);
    assert_eq!(h.conn.partial, 0, "complete, it is a delivery now");
    assert!(matches!(h.events().as_slice(), [Event::Delivery(_)]));

    h.feed(&pending_content(ch, &props));
    assert_eq!(h.conn.partial, per);
    h.conn
        .close_channel(ch, ReplyCode::REPLY_SUCCESS, "bye", h.now)
        .unwrap();
    assert_eq!(
        h.conn.partial, 0,
        "its channel is closing: the content is dropped"
    );
    assert!(h.conn.is_open());
}

#[test]
fn a_header_of_65000_empty_entries_closes_the_connection_with_506_not_4_mb_of_table() {
    // 130 KB on the wire, about 4 MB if decoded: refused by the codec's
    // entry bound, which the core reports as a resource error.
    let mut h = Harness::new();
    h.connect();
    let ch = h.open_channel();
    h.consume_ctag(ch);
    let mut headers = crate::codec::FieldTable::new();
    for _ in 0..65_000 {
        headers
            .0
            .push((ShortStr::default(), crate::codec::FieldValue::Void));
    }
    let props = crate::codec::BasicProperties::default().with_headers(headers);
    assert!(props.encoded_len() > 130_000);
    h.feed(&[
        deliver(ch, 1),
        Frame::Header {
            channel: ch,
            header: crate::codec::ContentHeader::basic(0, props),
        },
    ]);
    h.expect_library_close(ReplyCode::RESOURCE_ERROR);
}
