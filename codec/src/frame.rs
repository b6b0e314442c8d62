//! Frames: the protocol header, the streaming frame splitter and typed frames.
//!
//! ```text
//! 0      1         3             7                  size+7 size+8
//! +------+---------+-------------+  +------------+  +-----------+
//! | type | channel |    size     |  |  payload   |  | frame-end |
//! +------+---------+-------------+  +------------+  +-----------+
//!  octet   short       long          size octets       0xCE
//! ```
//!
//! Decoding has two layers. [`FrameDecoder`] splits a byte stream into
//! [`RawFrame`]s (type, channel, payload as `Bytes`): it reads the 7-byte
//! header, rejects a frame larger than `frame_max` before waiting for (or
//! buffering) its payload, and checks the frame-end octet. [`Frame::from_raw`]
//! then turns a payload into a [`Method`], a [`ContentHeader`], a body or a
//! heartbeat. Payload parsers always run on a complete payload.

use std::fmt;

use bytes::{Buf, BufMut, Bytes, BytesMut};

use crate::content::ContentHeader;
use crate::error::{DecodeError, DecodeErrorKind};
use crate::method::{BasicProperties, Method, MethodArgs};

/// The octet that ends every frame.
pub const FRAME_END: u8 = 0xCE;
/// Bytes of a frame that are not payload: 7 of header, 1 frame-end.
pub const FRAME_OVERHEAD: usize = 8;
/// Smallest `frame_max` a peer may announce; every peer accepts frames this
/// large before tuning.
pub const FRAME_MIN_SIZE: u32 = 4096;

/// A frame type octet. Unknown values are kept, not rejected.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FrameType(pub u8);

impl FrameType {
    /// `frame-method` (1).
    pub const METHOD: FrameType = FrameType(1);
    /// `frame-header` (2): a content header.
    pub const HEADER: FrameType = FrameType(2);
    /// `frame-body` (3): content body bytes.
    pub const BODY: FrameType = FrameType(3);
    /// `frame-heartbeat` (8).
    pub const HEARTBEAT: FrameType = FrameType(8);

    /// The spec name (`method`, `header`, `body`, `heartbeat`), if known.
    pub fn name(self) -> Option<&'static str> {
        match self {
            FrameType::METHOD => Some("method"),
            FrameType::HEADER => Some("header"),
            FrameType::BODY => Some("body"),
            FrameType::HEARTBEAT => Some("heartbeat"),
            _ => None,
        }
    }
}

impl fmt::Display for FrameType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(n) => f.write_str(n),
            None => write!(f, "type-{}", self.0),
        }
    }
}

impl fmt::Debug for FrameType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FrameType({self})")
    }
}

/// The 8 bytes a client sends first: `AMQP` then four version octets.
/// A server that does not support the client's version answers with its own
/// header and closes the socket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ProtocolHeader {
    /// Protocol id octet (0 for AMQP 0-9-1).
    pub protocol_id: u8,
    /// Major version.
    pub major: u8,
    /// Minor version.
    pub minor: u8,
    /// Revision.
    pub revision: u8,
}

impl ProtocolHeader {
    /// `AMQP 0 0 9 1`.
    pub const AMQP_0_9_1: ProtocolHeader = ProtocolHeader {
        protocol_id: 0,
        major: 0,
        minor: 9,
        revision: 1,
    };

    /// The eight wire bytes.
    pub fn to_bytes(self) -> [u8; 8] {
        [
            b'A',
            b'M',
            b'Q',
            b'P',
            self.protocol_id,
            self.major,
            self.minor,
            self.revision,
        ]
    }

    /// Appends the eight wire bytes.
    pub fn encode(self, buf: &mut BytesMut) {
        buf.put_slice(&self.to_bytes());
    }

    /// Whether this is the version this crate speaks (0-9-1).
    pub fn is_0_9_1(self) -> bool {
        self == Self::AMQP_0_9_1
    }

    /// Whether `buf` starts like a protocol header rather than a frame. No
    /// frame type is `b'A'`, so one byte decides.
    pub fn starts(buf: &[u8]) -> bool {
        buf.first() == Some(&b'A')
    }

    /// Takes a protocol header off the front of `buf`: `Ok(None)` (nothing
    /// consumed) until 8 bytes are there, an error when they are not `AMQP…`.
    pub fn decode(buf: &mut BytesMut) -> Result<Option<ProtocolHeader>, DecodeError> {
        let Some(head) = buf.get(..8) else {
            return Ok(None);
        };
        let mut found = [0u8; 8];
        found.copy_from_slice(head);
        if &found[..4] != b"AMQP" {
            return Err(DecodeError::new(
                DecodeErrorKind::NotProtocolHeader { found },
                0,
            ));
        }
        buf.advance(8);
        Ok(Some(ProtocolHeader {
            protocol_id: found[4],
            major: found[5],
            minor: found[6],
            revision: found[7],
        }))
    }
}

impl fmt::Display for ProtocolHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "AMQP {} {} {} {}",
            self.protocol_id, self.major, self.minor, self.revision
        )
    }
}

/// A frame split off the stream but not interpreted: any type, any channel,
/// any payload. Encoding one writes exactly these values, so it can also
/// carry what a correct peer would never send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawFrame {
    /// Frame type octet.
    pub frame_type: FrameType,
    /// Channel number.
    pub channel: u16,
    /// The payload, sharing memory with the read buffer.
    pub payload: Bytes,
}

impl RawFrame {
    /// Writes header, payload and frame-end.
    pub fn encode(&self, buf: &mut BytesMut) {
        write_frame(buf, self.frame_type, self.channel, &self.payload);
    }
}

/// Splits a byte stream into frames. Holds the `frame_max` limit and the
/// stream position (for error offsets).
///
/// [`decode`](FrameDecoder::decode) follows the tokio-util `Decoder`
/// contract: `Ok(Some(frame))` consumes one frame, `Ok(None)` means more
/// bytes are needed and consumes nothing, `Err` means the stream is corrupt
/// and must not be read further.
#[derive(Debug, Clone)]
pub struct FrameDecoder {
    max_frame_size: u32,
    position: u64,
}

impl Default for FrameDecoder {
    /// Limited to [`FRAME_MIN_SIZE`]: what every peer must accept before tuning.
    fn default() -> Self {
        FrameDecoder::new(FRAME_MIN_SIZE)
    }
}

impl FrameDecoder {
    /// A decoder accepting frames of up to `max_frame_size` bytes in all
    /// (header and frame-end included, as `frame_max` counts them). `0`
    /// means no limit, as in `connection.tune`.
    pub fn new(max_frame_size: u32) -> Self {
        FrameDecoder {
            max_frame_size,
            position: 0,
        }
    }

    /// Changes the limit (after `connection.tune`).
    pub fn set_max_frame_size(&mut self, max_frame_size: u32) {
        self.max_frame_size = max_frame_size;
    }

    /// The limit in force (0: none).
    pub fn max_frame_size(&self) -> u32 {
        self.max_frame_size
    }

    /// Bytes consumed so far; error offsets count from the same origin.
    pub fn position(&self) -> u64 {
        self.position
    }

    /// Counts bytes the caller consumed itself (a protocol header), so that
    /// offsets stay stream offsets.
    pub fn skip(&mut self, n: usize) {
        self.position += n as u64;
    }

    /// Splits one raw frame off the front of `buf`.
    pub fn decode(&mut self, buf: &mut BytesMut) -> Result<Option<RawFrame>, DecodeError> {
        let Some(&[frame_type, c0, c1, s0, s1, s2, s3]) = buf.get(..7) else {
            return Ok(None);
        };
        let channel = u16::from_be_bytes([c0, c1]);
        let size = u32::from_be_bytes([s0, s1, s2, s3]) as usize;
        let total = size as u64 + FRAME_OVERHEAD as u64;
        if self.max_frame_size != 0 && total > u64::from(self.max_frame_size) {
            return Err(DecodeError::new(
                DecodeErrorKind::FrameTooLarge {
                    size: total,
                    max: self.max_frame_size,
                },
                0,
            )
            .in_frame(self.position, frame_type, channel));
        }
        // On 16/32-bit targets with no limit the size may not fit a usize: too large.
        let Some(total) = size.checked_add(FRAME_OVERHEAD) else {
            return Err(DecodeError::new(
                DecodeErrorKind::FrameTooLarge {
                    size: total,
                    max: self.max_frame_size,
                },
                0,
            )
            .in_frame(self.position, frame_type, channel));
        };
        let Some(&end) = buf.get(total - 1) else {
            return Ok(None);
        };
        if end != FRAME_END {
            return Err(
                DecodeError::new(DecodeErrorKind::BadFrameEnd { found: end }, total - 1).in_frame(
                    self.position,
                    frame_type,
                    channel,
                ),
            );
        }
        let mut frame = buf.split_to(total);
        frame.advance(7);
        frame.truncate(size);
        self.position += total as u64;
        Ok(Some(RawFrame {
            frame_type: FrameType(frame_type),
            channel,
            payload: frame.freeze(),
        }))
    }

    /// Splits one frame off `buf` and interprets it.
    ///
    /// The frames of a delivery (`basic.deliver`, a content header without
    /// properties, a body) take a fast path that gives the same frames.
    pub fn decode_frame(&mut self, buf: &mut BytesMut) -> Result<Option<Frame>, DecodeError> {
        match self.decode_fast(buf) {
            Some(frame) => Ok(Some(frame)),
            None => self.decode_frame_general(buf),
        }
    }

    /// [`decode_frame`](FrameDecoder::decode_frame) for every frame: split, then interpret.
    #[inline(never)]
    fn decode_frame_general(&mut self, buf: &mut BytesMut) -> Result<Option<Frame>, DecodeError> {
        let start = self.position;
        match self.decode(buf)? {
            None => Ok(None),
            Some(raw) => {
                let (frame_type, channel) = (raw.frame_type.0, raw.channel);
                Frame::from_raw(raw)
                    .map(Some)
                    .map_err(|e| e.in_frame(start + 7, frame_type, channel))
            }
        }
    }
}

/// A frame with its payload interpreted.
// The header variant is large (the 14 properties, inline). Boxing it would
// cost an allocation per message; moving 392 bytes costs less.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    /// A method frame.
    Method {
        /// Channel number.
        channel: u16,
        /// The method and its arguments.
        method: Method,
    },
    /// A content header frame.
    Header {
        /// Channel number.
        channel: u16,
        /// Class, body size and properties.
        header: ContentHeader,
    },
    /// A content body frame.
    Body {
        /// Channel number.
        channel: u16,
        /// Body bytes, sharing memory with the read buffer.
        payload: Bytes,
    },
    /// A heartbeat frame (correct peers send it on channel 0 only).
    Heartbeat {
        /// Channel number.
        channel: u16,
    },
    /// A frame of a type this crate does not know; the client decides
    /// whether it is fatal.
    Unknown(RawFrame),
}

impl Frame {
    /// Interprets a raw frame's payload. Error offsets count from the start
    /// of the payload.
    pub fn from_raw(raw: RawFrame) -> Result<Frame, DecodeError> {
        let channel = raw.channel;
        Ok(match raw.frame_type {
            FrameType::METHOD => Frame::Method {
                channel,
                method: Method::decode(raw.payload)?,
            },
            FrameType::HEADER => Frame::Header {
                channel,
                header: ContentHeader::decode(raw.payload)?,
            },
            FrameType::BODY => Frame::Body {
                channel,
                payload: raw.payload,
            },
            FrameType::HEARTBEAT if raw.payload.is_empty() => Frame::Heartbeat { channel },
            FrameType::HEARTBEAT => {
                return Err(DecodeError::new(
                    DecodeErrorKind::HeartbeatPayload {
                        len: raw.payload.len(),
                    },
                    0,
                ))
            }
            _ => Frame::Unknown(raw),
        })
    }

    /// The frame's channel.
    pub fn channel(&self) -> u16 {
        match self {
            Frame::Method { channel, .. }
            | Frame::Header { channel, .. }
            | Frame::Body { channel, .. }
            | Frame::Heartbeat { channel } => *channel,
            Frame::Unknown(raw) => raw.channel,
        }
    }

    /// The frame type octet.
    pub fn frame_type(&self) -> FrameType {
        match self {
            Frame::Method { .. } => FrameType::METHOD,
            Frame::Header { .. } => FrameType::HEADER,
            Frame::Body { .. } => FrameType::BODY,
            Frame::Heartbeat { .. } => FrameType::HEARTBEAT,
            Frame::Unknown(raw) => raw.frame_type,
        }
    }

    /// Encoded size of the whole frame.
    pub fn encoded_len(&self) -> usize {
        FRAME_OVERHEAD
            + match self {
                Frame::Method { method, .. } => method.encoded_len(),
                Frame::Header { header, .. } => header.encoded_len(),
                Frame::Body { payload, .. } => payload.len(),
                Frame::Heartbeat { .. } => 0,
                Frame::Unknown(raw) => raw.payload.len(),
            }
    }

    /// Appends the frame, reserving its exact size first.
    pub fn encode(&self, buf: &mut BytesMut) {
        match self {
            Frame::Method { channel, method } => {
                let len = method.encoded_len();
                buf.reserve(len + FRAME_OVERHEAD);
                put_frame_header(buf, FrameType::METHOD, *channel, len);
                method.encode(buf);
                buf.put_u8(FRAME_END);
            }
            Frame::Header { channel, header } => {
                let len = header.encoded_len();
                buf.reserve(len + FRAME_OVERHEAD);
                put_frame_header(buf, FrameType::HEADER, *channel, len);
                header.encode(buf);
                buf.put_u8(FRAME_END);
            }
            Frame::Body { channel, payload } => {
                write_frame(buf, FrameType::BODY, *channel, payload)
            }
            Frame::Heartbeat { channel } => write_frame(buf, FrameType::HEARTBEAT, *channel, &[]),
            Frame::Unknown(raw) => raw.encode(buf),
        }
    }
}

fn put_frame_header(buf: &mut BytesMut, frame_type: FrameType, channel: u16, size: usize) {
    buf.put_u8(frame_type.0);
    buf.put_u16(channel);
    buf.put_u32(u32::try_from(size).unwrap_or(u32::MAX));
}

/// Appends one frame with the given payload (exact size reserved first).
pub fn write_frame(buf: &mut BytesMut, frame_type: FrameType, channel: u16, payload: &[u8]) {
    buf.reserve(payload.len() + FRAME_OVERHEAD);
    put_frame_header(buf, frame_type, channel, payload.len());
    buf.put_slice(payload);
    buf.put_u8(FRAME_END);
}

/// Appends a method frame for any method type, without going through the
/// [`Method`] enum (the publish hot path uses this).
pub fn encode_method<M: MethodArgs>(buf: &mut BytesMut, channel: u16, method: &M) {
    let len = method.encoded_len();
    buf.reserve(len + FRAME_OVERHEAD);
    put_frame_header(buf, FrameType::METHOD, channel, len);
    method.encode(buf);
    buf.put_u8(FRAME_END);
}

/// Appends the frames of one message's content: a `basic` content header
/// announcing `body.len()` bytes, then body frames of at most `frame_max`
/// bytes in all (`0`: no limit). An empty body sends no body frame, as the
/// spec allows. (To announce a size that differs from the body, encode a
/// [`Frame::Header`] and [`Frame::Body`]s yourself.)
pub fn encode_content(
    buf: &mut BytesMut,
    channel: u16,
    properties: &BasicProperties,
    body: &[u8],
    frame_max: u32,
) {
    let header_len = ContentHeader::BASIC_FIXED_LEN + properties.encoded_len();
    let chunk = match frame_max {
        0 => usize::MAX,
        max => (max as usize).saturating_sub(FRAME_OVERHEAD).max(1),
    };
    let frames = body.len().div_ceil(chunk);
    buf.reserve(header_len + body.len() + FRAME_OVERHEAD * (1 + frames));
    put_frame_header(buf, FrameType::HEADER, channel, header_len);
    ContentHeader::encode_basic(buf, body.len() as u64, properties);
    buf.put_u8(FRAME_END);
    for part in body.chunks(chunk) {
        put_frame_header(buf, FrameType::BODY, channel, part.len());
        buf.put_slice(part);
        buf.put_u8(FRAME_END);
    }
}

/// [`encode_content`] without copying the body: the content header and
/// each body frame's header and frame-end go into `buf`, and each body
/// frame's payload, a slice of `body`, is handed to `payload` at its place
/// (`payload(buf, slice)`: the caller seals what `buf` holds so far and
/// queues the slice after it). The bytes produced in order are the same as
/// [`encode_content`]'s.
pub fn encode_content_zero_copy(
    buf: &mut BytesMut,
    channel: u16,
    properties: &BasicProperties,
    body: &Bytes,
    frame_max: u32,
    mut payload: impl FnMut(&mut BytesMut, Bytes),
) {
    let header_len = ContentHeader::BASIC_FIXED_LEN + properties.encoded_len();
    let chunk = match frame_max {
        0 => usize::MAX,
        max => (max as usize).saturating_sub(FRAME_OVERHEAD).max(1),
    };
    buf.reserve(header_len + 2 * FRAME_OVERHEAD);
    put_frame_header(buf, FrameType::HEADER, channel, header_len);
    ContentHeader::encode_basic(buf, body.len() as u64, properties);
    buf.put_u8(FRAME_END);
    let mut start = 0;
    while start < body.len() {
        let end = body.len().min(start.saturating_add(chunk));
        put_frame_header(buf, FrameType::BODY, channel, end - start);
        payload(buf, body.slice(start..end));
        buf.put_u8(FRAME_END);
        start = end;
    }
}
