//! A server breaking the protocol: the connection closes with the code the spec names.

use super::*;

#[test]
fn body_larger_than_announced_is_a_frame_error() {
    let mut h = Harness::new();
    h.connect();
    let ch = h.open_channel();
    let pending = h
        .conn
        .request(ch, BasicQos::default().into(), h.now)
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
        h.conn.open_channel(h.now),
        Err(Error::ConnectionClosed {
            by: Initiator::Library,
            ..
        })
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
    let config = Config::from(crate::uri::ConnectionOptions {
        max_message_size: 1024,
        ..Default::default()
    });
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
