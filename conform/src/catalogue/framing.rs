//! Framing and error handling (spec section 4.2, 2.2.4 and the reply-code
//! constants): deliberately broken frames, each expecting the spec's code.

use amqp091_codec::method::{BasicPublish, ChannelOpen, ConnectionOpen, MethodArgs, QueueDeclare};
use amqp091_codec::raw::{write_frame_with, write_method_payload};
use amqp091_codec::{
    BasicProperties, ContentHeader, FieldTable, FieldValue, Frame, FrameType, LongStr, Method,
    FRAME_END,
};
use bytes::{BufMut, Bytes, BytesMut};

use super::code::*;
use super::{scenario, Entry};
use crate::scenario::{short, Script};
use crate::session::{bytes_of, HandshakeOptions};

const C: &str = "framing";

fn method(channel: u16, m: impl Into<Method>) -> Bytes {
    bytes_of(|b| {
        Frame::Method {
            channel,
            method: m.into(),
        }
        .encode(b)
    })
}

fn header(channel: u16, class_id: u16, body_size: u64) -> Bytes {
    let mut h = ContentHeader::basic(body_size, BasicProperties::default());
    h.class_id = class_id;
    bytes_of(|b| Frame::Header { channel, header: h }.encode(b))
}

fn body(channel: u16, data: &'static [u8]) -> Bytes {
    bytes_of(|b| {
        Frame::Body {
            channel,
            payload: Bytes::from_static(data),
        }
        .encode(b)
    })
}

fn publish(s: &Script) -> BasicPublish {
    BasicPublish {
        routing_key: short(&s.name("nowhere")),
        ..Default::default()
    }
}

/// Opens channel 1, sends `bytes` (described by `what`), expects connection.close with `codes`.
fn broken(s: &mut Script, bytes: Bytes, what: &str, codes: &'static [u16]) {
    s.channel(1).raw(bytes, what).expect_connection_close(codes);
}

/// The framing entries.
pub(crate) const ENTRIES: &[Entry] = &[
    scenario(
        "framing/4.2.3/frame-end",
        C,
        "a frame-end octet other than 0xCE is a connection error 501",
        |s| {
            let payload = bytes_of(|b| {
                QueueDeclare {
                    queue: short(&s.name("q")),
                    exclusive: true,
                    ..Default::default()
                }
                .encode(b)
            });
            let bytes =
                bytes_of(|b| write_frame_with(b, FrameType::METHOD.0, 1, None, &payload, 0x00));
            broken(
                s,
                bytes,
                "ch1 queue.declare ending with 0x00",
                &[FRAME_ERROR],
            );
        },
    ),
    scenario(
        "framing/4.2.3/frame-max",
        C,
        "a frame larger than the negotiated frame-max is a connection error 501",
        |s| {
            let max = s.env.server.frame_max.max(4096) as usize;
            let mut args = FieldTable::new();
            args.insert("pad", FieldValue::LongStr(LongStr::from(vec![b'x'; max])));
            let d = QueueDeclare {
                queue: short(&s.name("q")),
                exclusive: true,
                arguments: args,
                ..Default::default()
            };
            broken(
                s,
                method(1, d),
                "ch1 queue.declare larger than frame-max",
                &[FRAME_ERROR],
            );
        },
    ),
    scenario(
        "framing/4.2.3/unknown-frame-type",
        C,
        "a frame of an undefined type (9) is a connection error 501",
        |s| {
            let bytes = bytes_of(|b| write_frame_with(b, 9, 0, None, &[], FRAME_END));
            broken(s, bytes, "frame type 9", &[FRAME_ERROR]);
        },
    ),
    scenario(
        "framing/4.2.3/heartbeat-channel",
        C,
        "a heartbeat on a non-zero channel is a connection error 503",
        |s| {
            let bytes =
                bytes_of(|b| write_frame_with(b, FrameType::HEARTBEAT.0, 1, None, &[], FRAME_END));
            broken(s, bytes, "ch1 heartbeat", &[COMMAND_INVALID]);
        },
    ),
    scenario(
        "framing/4.2.3/connection-method-channel",
        C,
        "a connection-class method on a non-zero channel is a connection error 503",
        |s| {
            let bytes = method(
                1,
                ConnectionOpen {
                    virtual_host: short("/"),
                    ..Default::default()
                },
            );
            broken(s, bytes, "ch1 connection.open", &[COMMAND_INVALID]);
        },
    ),
    scenario(
        "framing/4.2.6/header-without-method",
        C,
        "a content header with no method before it is a connection error 505",
        |s| {
            broken(
                s,
                header(1, 60, 1),
                "ch1 content header alone",
                &[UNEXPECTED_FRAME],
            );
        },
    ),
    scenario(
        "framing/4.2.6/body-without-method",
        C,
        "a content body with no method before it is a connection error 505",
        |s| {
            broken(
                s,
                body(1, b"x"),
                "ch1 content body alone",
                &[UNEXPECTED_FRAME],
            );
        },
    ),
    scenario(
        "framing/4.2.6/method-inside-content",
        C,
        "a method between a content header and its body is a connection error 505",
        |s| {
            let p = publish(s);
            let mut b = BytesMut::new();
            b.extend_from_slice(&method(1, p));
            b.extend_from_slice(&header(1, 60, 4));
            b.extend_from_slice(&method(
                1,
                QueueDeclare {
                    queue: short(&s.name("q")),
                    exclusive: true,
                    ..Default::default()
                },
            ));
            broken(
                s,
                b.freeze(),
                "ch1 publish, header (4 bytes), queue.declare",
                &[UNEXPECTED_FRAME],
            );
        },
    ),
    scenario(
        "framing/4.2.6/body-longer-than-header",
        C,
        "more body octets than the content header announced is a connection error 505",
        |s| {
            let p = publish(s);
            let mut b = BytesMut::new();
            b.extend_from_slice(&method(1, p));
            b.extend_from_slice(&header(1, 60, 2));
            b.extend_from_slice(&body(1, b"12345"));
            broken(
                s,
                b.freeze(),
                "ch1 publish, header (2 bytes), body of 5",
                &[UNEXPECTED_FRAME],
            );
        },
    ),
    scenario(
        "framing/4.2.6.1/header-class",
        C,
        "a content header whose class differs from the method's is a connection error 501",
        |s| {
            let p = publish(s);
            let mut b = BytesMut::new();
            b.extend_from_slice(&method(1, p));
            b.extend_from_slice(&header(1, 50, 1));
            b.extend_from_slice(&body(1, b"x"));
            broken(
                s,
                b.freeze(),
                "ch1 publish, header of class 50",
                &[FRAME_ERROR],
            );
        },
    ),
    scenario(
        "framing/4.2.6.1/content-channel-zero",
        C,
        "a content frame on channel 0 is a connection error 504",
        |s| broken(s, header(0, 60, 1), "ch0 content header", &[CHANNEL_ERROR]),
    ),
    scenario(
        "framing/4.3/channel-not-open",
        C,
        "a method on a channel never opened is a connection error 504",
        |s| {
            let bytes = method(
                5,
                QueueDeclare {
                    queue: short(&s.name("q")),
                    exclusive: true,
                    ..Default::default()
                },
            );
            broken(
                s,
                bytes,
                "ch5 queue.declare (ch5 not open)",
                &[CHANNEL_ERROR],
            );
        },
    ),
    scenario(
        "framing/4.3/channel-above-max",
        C,
        "channel.open above the negotiated channel-max is a connection error (504 or 530)",
        |s| {
            let ch = s.env.server.channel_max.saturating_add(1).max(1);
            let bytes = method(ch, ChannelOpen::default());
            broken(
                s,
                bytes,
                &format!("ch{ch} channel.open (above channel-max)"),
                &[CHANNEL_ERROR, NOT_ALLOWED],
            );
        },
    ),
    scenario(
        "framing/2.2.4/method-before-open",
        C,
        "a channel method before connection.open closes the socket with no close handshake",
        |s| {
            s.connect_with(HandshakeOptions {
                stop_after_tune_ok: true,
                ..Default::default()
            })
            .raw(
                method(1, ChannelOpen::default()),
                "ch1 channel.open before connection.open",
            )
            .expect(crate::scenario::Expect::SocketClose);
        },
    ),
    scenario(
        "framing/4.2.5/truncated-method",
        C,
        "a method frame whose arguments stop short is a connection error (501 or 502)",
        |s| {
            let bytes = bytes_of(|b| write_method_payload(b, 1, 50, 10, &[0, 0, 5, b'a']));
            broken(
                s,
                bytes,
                "ch1 queue.declare cut inside the queue name",
                &[FRAME_ERROR, SYNTAX_ERROR],
            );
        },
    ),
    scenario(
        "framing/4.2.5/unknown-class",
        C,
        "a method of an undefined class (999) is a connection error (503 or 540)",
        |s| {
            let bytes = bytes_of(|b| write_method_payload(b, 1, 999, 10, &[]));
            broken(
                s,
                bytes,
                "ch1 class 999 method 10",
                &[COMMAND_INVALID, NOT_IMPLEMENTED],
            );
        },
    ),
    scenario(
        "framing/4.2.5/unknown-method",
        C,
        "an undefined method of a defined class (queue, 99) is a connection error (503 or 540)",
        |s| {
            let bytes = bytes_of(|b| write_method_payload(b, 1, 50, 99, &[]));
            broken(
                s,
                bytes,
                "ch1 class 50 method 99",
                &[COMMAND_INVALID, NOT_IMPLEMENTED],
            );
        },
    ),
    scenario(
        "framing/4.2.5.5/field-table-tag",
        C,
        "a field table value with an undefined type tag is a connection error (501 or 502)",
        |s| {
            let name = s.name("q");
            let mut args = BytesMut::new();
            args.put_u16(0); // reserved-1
            args.put_u8(name.len() as u8);
            args.put_slice(name.as_bytes());
            args.put_u8(0b0000_1000); // exclusive
            let entry: &[u8] = &[1, b'x', b'Z', 0, 0, 0, 0];
            args.put_u32(entry.len() as u32);
            args.put_slice(entry);
            let bytes = bytes_of(|b| write_method_payload(b, 1, 50, 10, &args));
            broken(
                s,
                bytes,
                "ch1 queue.declare with a table value tagged 'Z'",
                &[FRAME_ERROR, SYNTAX_ERROR],
            );
        },
    ),
];
