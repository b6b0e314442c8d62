//! # amqp091-codec
//!
//! The AMQP 0-9-1 wire format, as pure functions over [`bytes`]: no IO, no
//! async runtime, no clock. It covers every class and method of RabbitMQ's
//! extended 0-9-1 definition, content headers with the 14 basic properties,
//! and field tables with every value type RabbitMQ reads and writes.
//!
//! * **Streaming decode.** [`FrameDecoder::decode`] takes frames off the
//!   front of a `BytesMut`. Partial input returns `Ok(None)` and consumes
//!   nothing; a frame larger than `frame_max` is rejected from its 7-byte
//!   header, before its payload is waited for or buffered.
//! * **Zero-copy.** Body frames, long strings, short strings and byte arrays
//!   are `Bytes` slices of the read buffer.
//! * **Lossless.** Reserved fields are fields; field tables keep order,
//!   duplicates and type tags; unknown frame types and unknown methods decode
//!   to [`Frame::Unknown`] and [`Method::Unknown`], so the client (not the
//!   codec) decides what is fatal.
//! * **Hostile input.** Every declared length is checked against the bytes
//!   present before anything is sliced; nesting depth is bounded by
//!   [`MAX_NESTING_DEPTH`]; errors say what failed and where ([`DecodeError`]).
//! * **Deliberately invalid output.** [`RawFrame`], [`write_frame`],
//!   [`raw::write_frame_with`] and [`UnknownMethod`] write any frame type,
//!   channel, declared size, frame-end byte or method payload, for
//!   conformance testing and broker fuzzing.
//!
//! ```
//! use amqp091_codec::{encode_content, encode_method, BasicProperties, Frame,
//!     FrameDecoder, ShortStr, method::BasicPublish};
//! use bytes::{Bytes, BytesMut};
//!
//! let mut wire = BytesMut::new();
//! let publish = BasicPublish { exchange: ShortStr::from_static("e1"),
//!     routing_key: ShortStr::from_static("q1Key"),
//!     mandatory: true, ..Default::default() };
//! encode_method(&mut wire, 1, &publish);
//! let props = BasicProperties::default().with_delivery_mode(2);
//! encode_content(&mut wire, 1, &props, b"hello", 131_072);
//!
//! let mut decoder = FrameDecoder::new(131_072);
//! let mut frames = Vec::new();
//! while let Some(frame) = decoder.decode_frame(&mut wire)? {
//!     frames.push(frame);
//! }
//! assert_eq!(frames.len(), 3);
//! assert!(matches!(&frames[2], Frame::Body { payload, .. } if payload == &Bytes::from_static(b"hello")));
//! # Ok::<(), amqp091_codec::DecodeError>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod content;
mod error;
mod fast;
mod frame;
mod generated;
pub mod method;
mod properties;
pub use properties::Properties;
pub mod raw;
mod reply;
pub mod spec_info;
mod table;
mod types;

pub mod fuzzing;
#[cfg(feature = "proptest")]
pub mod strategies;

pub use content::ContentHeader;
pub use error::{DecodeError, DecodeErrorKind, ErrorContext};
pub use frame::{
    encode_content, encode_content_zero_copy, encode_method, write_frame, Frame, FrameDecoder,
    FrameType, ProtocolHeader, RawFrame, FRAME_END, FRAME_MIN_SIZE, FRAME_OVERHEAD,
};
pub use method::{ArgValue, BasicProperties, Method, MethodArgs, UnknownMethod};
pub use reply::ReplyCode;
pub use table::{
    FieldArray, FieldTable, FieldValue, FIELD_ENTRIES_ALLOWED, MAX_NESTING_DEPTH,
    OCTETS_PER_FIELD_ENTRY,
};
pub use types::{LongStr, ShortStr, ShortStrTooLong};
