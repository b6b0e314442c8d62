//! The test kit itself (`amqp091::testing`): its server handshake against
//! the protocol core, without IO, and its frame builders.

use std::time::Instant;

use amqp091::codec::method::ConnectionTuneOk;
use amqp091::codec::{Frame, FrameDecoder, Method};
use amqp091::proto::{Config, Connection, Event};
use amqp091::testing::frames::{self, connection_tune};
use amqp091::testing::{HandshakeError, ServerHandshake};

fn core() -> (Connection, Instant) {
    let now = Instant::now();
    (Connection::new(Config::default(), now), now)
}

#[test]
fn drive_completes_a_handshake_with_the_core() {
    let (mut conn, now) = core();
    let mut server = ServerHandshake::new(connection_tune(8, 4096, 5));
    server.drive(&mut conn, now).unwrap();
    assert!(server.is_done());
    assert!(matches!(conn.poll_event(), Some(Event::Connected)));
    assert!(conn.is_open());
    assert_eq!(server.start_ok().unwrap().mechanism.as_str(), Some("PLAIN"));
    assert_eq!(
        server.tune_ok(),
        Some(&ConnectionTuneOk {
            channel_max: 8,
            frame_max: 4096,
            heartbeat: 5
        })
    );
    assert_eq!(server.open().unwrap().virtual_host.as_str(), Some("/"));
    assert_eq!(conn.server_properties(), &frames::server_properties());
}

#[test]
fn client_bytes_may_arrive_one_at_a_time() {
    let (mut conn, now) = core();
    let mut server = ServerHandshake::default();
    let mut replies = 0;
    while !server.is_done() {
        let out = conn.take_transmit(now).expect("the client has more to say");
        for byte in out.iter() {
            let mut reply = server.handle(&[*byte]).unwrap();
            if !reply.is_empty() {
                replies += 1;
                conn.handle_input(&mut reply, now);
            }
        }
    }
    assert_eq!(replies, 3, "start, tune, open-ok");
    assert!(conn.is_open());
    assert!(server.take_rest().is_empty());
}

#[test]
fn the_script_serves_a_harness_that_does_not_read() {
    // The fuzz target's way: everything at once, the client's output unread.
    let (mut conn, now) = core();
    let server = ServerHandshake::new(connection_tune(8, 4096, 5));
    let mut wire = frames::encode(&server.script());
    conn.handle_input(&mut wire, now);
    assert!(conn.is_open());
    assert_eq!(conn.tuning().frame_max, 4096);
}

#[test]
fn a_client_that_strays_is_an_error() {
    let mut server = ServerHandshake::default();
    assert_eq!(
        server.handle(b"AMQP\x01\x01\x00\x0a"),
        Err(HandshakeError::ProtocolHeader(*b"AMQP\x01\x01\x00\x0a"))
    );

    let mut server = ServerHandshake::default();
    let mut hello = b"AMQP\x00\x00\x09\x01".to_vec();
    hello.extend_from_slice(&frames::encode(&[frames::method(
        0,
        frames::connection_open_ok(),
    )]));
    let err = server.handle(&hello).unwrap_err();
    assert!(
        matches!(
            &err,
            HandshakeError::Unexpected {
                expected: "connection.start-ok",
                ..
            }
        ),
        "{err}"
    );

    let (mut conn, now) = core();
    conn.take_transmit(now);
    let mut server = ServerHandshake::default();
    server.handle(b"AMQP\x00\x00\x09\x01").unwrap();
    assert_eq!(
        server.drive(&mut conn, now),
        Err(HandshakeError::Stalled {
            expected: "connection.start-ok"
        })
    );
}

#[test]
fn content_is_split_to_fit_frame_max() {
    let body: Vec<u8> = (0..=255).collect();
    let frames = frames::content(3, frames::BASIC, Default::default(), &body, 108);
    let [Frame::Header { channel: 3, header }, parts @ ..] = frames.as_slice() else {
        panic!("{frames:?}")
    };
    assert_eq!((header.class_id, header.body_size), (60, 256));
    let sizes: Vec<usize> = parts
        .iter()
        .map(|f| match f {
            Frame::Body {
                channel: 3,
                payload,
            } => payload.len(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(sizes, [100, 100, 56]);
    assert_eq!(frames::content(3, 60, Default::default(), b"", 0).len(), 1);

    // A delivery decodes back to what it was built from.
    let mut wire = frames::encode(&frames::deliver(1, "ctag", 7, b"hi"));
    let mut decoder = FrameDecoder::new(0);
    let Some(Frame::Method {
        channel: 1,
        method: Method::BasicDeliver(d),
    }) = decoder.decode_frame(&mut wire).unwrap()
    else {
        panic!()
    };
    assert_eq!((d.consumer_tag.as_str(), d.delivery_tag), (Some("ctag"), 7));
    assert!(matches!(
        decoder.decode_frame(&mut wire),
        Ok(Some(Frame::Header { .. }))
    ));
    assert!(
        matches!(decoder.decode_frame(&mut wire), Ok(Some(Frame::Body { payload, .. })) if &payload[..] == b"hi")
    );
    assert!(wire.is_empty());
}
