//! Writing what a correct peer never would, for conformance tests and
//! broker fuzzing.
//!
//! The rest of the crate only writes valid frames (apart from what the
//! caller puts in a [`RawFrame`](crate::RawFrame) or an
//! [`UnknownMethod`](crate::UnknownMethod)). Here every part of a frame is
//! the caller's: the type octet, the channel, the size the header declares
//! (which may differ from the payload actually written), and the frame-end
//! octet.
//!
//! ```
//! use amqp091_codec::raw::{write_frame_with, write_method_payload};
//! use bytes::BytesMut;
//!
//! let mut buf = BytesMut::new();
//! // A method frame that claims 100 bytes, carries 4 and ends with 0x00.
//! write_frame_with(&mut buf, 1, 0, Some(100), &[0, 10, 0, 11], 0x00);
//! assert_eq!(&buf[..], &[1, 0, 0, 0, 0, 0, 100, 0, 10, 0, 11, 0]);
//!
//! // basic.publish (60, 40) with an argument list cut short.
//! let mut buf = BytesMut::new();
//! write_method_payload(&mut buf, 1, 60, 40, &[0, 0]);
//! assert_eq!(buf.len(), 7 + 6 + 1);
//! ```

use bytes::{BufMut, BytesMut};

use crate::frame::{FrameType, FRAME_END};

/// Appends a frame whose every byte is chosen: `declared_size` is written
/// in the header (`None`: the payload's real length), then `payload`, then
/// `frame_end`.
pub fn write_frame_with(
    buf: &mut BytesMut,
    frame_type: u8,
    channel: u16,
    declared_size: Option<u32>,
    payload: &[u8],
    frame_end: u8,
) {
    buf.reserve(payload.len() + 8);
    buf.put_u8(frame_type);
    buf.put_u16(channel);
    buf.put_u32(declared_size.unwrap_or_else(|| u32::try_from(payload.len()).unwrap_or(u32::MAX)));
    buf.put_slice(payload);
    buf.put_u8(frame_end);
}

/// Appends a method frame with any class id, method id and argument bytes
/// (valid or not for that method).
pub fn write_method_payload(
    buf: &mut BytesMut,
    channel: u16,
    class_id: u16,
    method_id: u16,
    args: &[u8],
) {
    let mut payload = BytesMut::with_capacity(4 + args.len());
    payload.put_u16(class_id);
    payload.put_u16(method_id);
    payload.put_slice(args);
    write_frame_with(buf, FrameType::METHOD.0, channel, None, &payload, FRAME_END);
}

/// Appends only a frame header (type, channel, declared size): the start of
/// a frame whose payload never comes, or comes in pieces.
pub fn write_frame_header(buf: &mut BytesMut, frame_type: u8, channel: u16, declared_size: u32) {
    buf.put_u8(frame_type);
    buf.put_u16(channel);
    buf.put_u32(declared_size);
}
