//! Decode errors: what failed and where.

use std::fmt;

/// Why decoding failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// The input ended inside a value that declared (or needs) more bytes.
    #[error("input ended: {needed} more byte(s) needed")]
    UnexpectedEnd {
        /// How many bytes were missing.
        needed: usize,
    },
    /// A frame header announced a frame larger than the negotiated `frame_max`.
    #[error("frame of {size} bytes exceeds frame_max {max}")]
    FrameTooLarge {
        /// Whole frame size (header + payload + frame-end) the peer announced.
        size: u64,
        /// The limit in force.
        max: u32,
    },
    /// The byte after a frame's payload was not the frame-end octet (0xCE).
    #[error("frame-end octet is {found:#04x}, expected 0xce")]
    BadFrameEnd {
        /// The byte found instead.
        found: u8,
    },
    /// A method or header payload had bytes left after its last field.
    #[error("{count} unexpected trailing byte(s)")]
    TrailingBytes {
        /// How many bytes were left.
        count: usize,
    },
    /// A method frame payload was shorter than its class and method ids.
    #[error("method payload of {len} bytes is too short for class and method ids")]
    MethodTooShort {
        /// Payload length.
        len: usize,
    },
    /// A field table or array held a value with a type tag we do not know.
    #[error("unknown field value type tag {tag:#04x}")]
    UnknownFieldType {
        /// The tag byte.
        tag: u8,
    },
    /// Field tables/arrays nested deeper than [`crate::MAX_NESTING_DEPTH`].
    #[error("field values nested deeper than {limit} levels")]
    NestingTooDeep {
        /// The limit.
        limit: usize,
    },
    /// A payload held more table and array entries than its size allows
    /// ([`crate::FIELD_ENTRIES_ALLOWED`], [`crate::OCTETS_PER_FIELD_ENTRY`]):
    /// decoded, it would take many times its wire size in memory.
    #[error("more than {limit} field table and array entries in one payload")]
    TooManyFieldEntries {
        /// The limit for this payload.
        limit: usize,
    },
    /// A content header set property flags that its class does not define.
    #[error("property flags {flags:#06x} set bits that are not defined")]
    BadPropertyFlags {
        /// The flags word.
        flags: u16,
    },
    /// A heartbeat frame carried a payload.
    #[error("heartbeat frame with a {len}-byte payload")]
    HeartbeatPayload {
        /// Payload length.
        len: usize,
    },
    /// Eight bytes were expected to be a protocol header (`AMQP` + version) and were not.
    #[error("not an AMQP protocol header: {found:02x?}")]
    NotProtocolHeader {
        /// The bytes found.
        found: [u8; 8],
    },
}

/// Where in the protocol structure an error happened. Every part is optional:
/// each layer of the decoder fills in what it knows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorContext {
    /// Frame type octet of the frame being decoded.
    pub frame_type: Option<u8>,
    /// Channel of the frame being decoded.
    pub channel: Option<u16>,
    /// Class and method ids of the method being decoded (class only, method 0, for content headers).
    pub class_method: Option<(u16, u16)>,
    /// Spec name of the field being decoded (e.g. `routing-key`, `headers`).
    pub field: Option<&'static str>,
}

/// A decode failure: the reason, the byte offset, and the protocol context.
///
/// `offset` counts from the start of the input the failing decoder was
/// given: the byte stream for [`crate::FrameDecoder`], the payload for the
/// payload decoders ([`crate::Method::decode`], [`crate::ContentHeader::decode`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct DecodeError {
    /// What went wrong.
    pub kind: DecodeErrorKind,
    /// Byte offset of the failure.
    pub offset: u64,
    /// Frame, channel, method and field being decoded.
    pub context: ErrorContext,
}

impl DecodeError {
    pub(crate) fn new(kind: DecodeErrorKind, offset: usize) -> Self {
        DecodeError {
            kind,
            offset: offset as u64,
            context: ErrorContext::default(),
        }
    }

    pub(crate) fn in_field(mut self, field: &'static str) -> Self {
        self.context.field.get_or_insert(field);
        self
    }

    pub(crate) fn in_method(mut self, class_id: u16, method_id: u16) -> Self {
        self.context
            .class_method
            .get_or_insert((class_id, method_id));
        self
    }

    /// Moves the offset by `base` and records the frame it happened in.
    pub(crate) fn in_frame(mut self, base: u64, frame_type: u8, channel: u16) -> Self {
        self.offset += base;
        self.context.frame_type.get_or_insert(frame_type);
        self.context.channel.get_or_insert(channel);
        self
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at offset {}", self.kind, self.offset)?;
        let c = &self.context;
        if let Some(t) = c.frame_type {
            write!(f, ", {} frame", crate::FrameType(t))?;
        }
        if let Some(ch) = c.channel {
            write!(f, " on channel {ch}")?;
        }
        if let Some((class_id, method_id)) = c.class_method {
            match crate::spec_info::method_info(class_id, method_id) {
                Some(info) => write!(f, ", in {}", info.full_name)?,
                None => write!(f, ", in class {class_id} method {method_id}")?,
            }
        }
        if let Some(field) = c.field {
            write!(f, ", field {field}")?;
        }
        Ok(())
    }
}
