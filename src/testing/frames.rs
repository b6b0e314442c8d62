//! Builders for the frames a scripted server sends: whole methods on a
//! channel, the handshake methods a RabbitMQ would send, and messages
//! (method, content header and body frames).

use bytes::{Bytes, BytesMut};

use crate::codec::method::{
    BasicDeliver, ChannelClose, ConnectionOpenOk, ConnectionStart, ConnectionTune,
};
use crate::codec::{
    BasicProperties, ContentHeader, FieldTable, Frame, Method, ShortStr, FRAME_OVERHEAD,
};

/// The class id of `basic`, the only class with content in 0-9-1.
pub const BASIC: u16 = 60;

/// A method frame on `channel`.
pub fn method(channel: u16, method: impl Into<Method>) -> Frame {
    Frame::Method {
        channel,
        method: method.into(),
    }
}

/// The wire bytes of `frames`, in order.
pub fn encode(frames: &[Frame]) -> BytesMut {
    let mut out = BytesMut::new();
    for f in frames {
        f.encode(&mut out);
    }
    out
}

/// The server properties of a RabbitMQ 3.13: product, version, platform and
/// the capabilities table a client looks at.
pub fn server_properties() -> FieldTable {
    let mut capabilities = FieldTable::new();
    for name in [
        "publisher_confirms",
        "exchange_exchange_bindings",
        "basic.nack",
        "consumer_cancel_notify",
        "connection.blocked",
        "consumer_priorities",
        "authentication_failure_close",
        "per_consumer_qos",
        "direct_reply_to",
    ] {
        capabilities.insert(name, true);
    }
    let mut props = FieldTable::new();
    props.insert("capabilities", capabilities);
    props.insert("cluster_name", "rabbit@testkit");
    props.insert(
        "copyright",
        "Copyright (c) 2007-2024 Broadcom Inc and/or its subsidiaries",
    );
    props.insert("information", "Licensed under the MPL 2.0");
    props.insert("platform", "Erlang/OTP 26.2");
    props.insert("product", "RabbitMQ");
    props.insert("version", "3.13.7");
    props
}

/// `connection.start` as RabbitMQ sends it: version 0-9, [`server_properties`],
/// mechanisms `PLAIN AMQPLAIN`, locale `en_US`.
pub fn connection_start() -> ConnectionStart {
    ConnectionStart {
        version_major: 0,
        version_minor: 9,
        server_properties: server_properties(),
        mechanisms: "PLAIN AMQPLAIN".into(),
        locales: "en_US".into(),
    }
}

/// `connection.tune` with the server's limits (`0`: no limit; for
/// `heartbeat`, no heartbeats).
pub fn connection_tune(channel_max: u16, frame_max: u32, heartbeat: u16) -> ConnectionTune {
    ConnectionTune {
        channel_max,
        frame_max,
        heartbeat,
    }
}

/// RabbitMQ's own tuning: 2047 channels, frames of 128 KiB, heartbeat 60 s.
pub fn rabbitmq_tune() -> ConnectionTune {
    connection_tune(2047, 131_072, 60)
}

/// `connection.open-ok`.
pub fn connection_open_ok() -> ConnectionOpenOk {
    ConnectionOpenOk::default()
}

/// `channel.close` (or, with the same arguments, what goes into a
/// `connection.close`) for the method `class_id`.`method_id` that failed.
pub fn channel_close(
    reply_code: u16,
    reply_text: &str,
    class_id: u16,
    method_id: u16,
) -> ChannelClose {
    ChannelClose {
        reply_code,
        reply_text: short(reply_text),
        class_id,
        method_id,
    }
}

/// `basic.deliver` to `consumer_tag` from the default exchange, routing key
/// `q` (the method only: see [`deliver`] for the whole message).
pub fn basic_deliver(consumer_tag: &str, delivery_tag: u64) -> BasicDeliver {
    BasicDeliver {
        consumer_tag: short(consumer_tag),
        delivery_tag,
        redelivered: false,
        exchange: ShortStr::from_static(""),
        routing_key: ShortStr::from_static("q"),
    }
}

/// A content header frame of class `basic` announcing `body_size` bytes
/// (which may differ from what follows, for tests of broken servers).
pub fn header(channel: u16, body_size: u64, properties: BasicProperties) -> Frame {
    Frame::Header {
        channel,
        header: ContentHeader::basic(body_size, properties),
    }
}

/// A body frame carrying `payload`.
pub fn body(channel: u16, payload: &[u8]) -> Frame {
    Frame::Body {
        channel,
        payload: Bytes::copy_from_slice(payload),
    }
}

/// The content frames of one message: a header of class `class_id`
/// announcing `body.len()` bytes, then body frames that fit in frames of
/// `frame_max` bytes (`0`: one body frame). An empty body has no body
/// frame, as the spec allows.
pub fn content(
    channel: u16,
    class_id: u16,
    properties: BasicProperties,
    body: &[u8],
    frame_max: u32,
) -> Vec<Frame> {
    let mut header = ContentHeader::basic(body.len() as u64, properties);
    header.class_id = class_id;
    let chunk = match frame_max {
        0 => body.len().max(1),
        max => (max as usize).saturating_sub(FRAME_OVERHEAD).max(1),
    };
    std::iter::once(Frame::Header { channel, header })
        .chain(body.chunks(chunk).map(|part| self::body(channel, part)))
        .collect()
}

/// A whole `basic.deliver` message: [`basic_deliver`], then [`content`] of
/// `body` without properties, in one body frame.
pub fn deliver(channel: u16, consumer_tag: &str, delivery_tag: u64, body: &[u8]) -> Vec<Frame> {
    let mut frames = vec![method(channel, basic_deliver(consumer_tag, delivery_tag))];
    frames.extend(content(channel, BASIC, BasicProperties::default(), body, 0));
    frames
}

/// A heartbeat frame (channel 0 for a correct server).
pub fn heartbeat(channel: u16) -> Frame {
    Frame::Heartbeat { channel }
}

fn short(s: &str) -> ShortStr {
    ShortStr::copy_from_str(s).expect("a short string is at most 255 bytes")
}
