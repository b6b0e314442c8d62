//! Content assembly: a content-carrying method, then its header, then body
//! frames until the announced size is reached.
//!
//! Nothing is allocated from the size the peer announces: body frames are
//! kept as the `Bytes` they arrived in and joined once, at the end, from the
//! bytes actually received (a single-frame body is not copied at all).
//! What a content in progress holds (its body so far and, from its header
//! on, its decoded headers table) is [`Assembly::held`], which the
//! connection counts against its bound on contents in progress.

use bytes::{Bytes, BytesMut};

use crate::codec::{ContentHeader, Method, Properties, ReplyCode};

/// Body frames kept as they arrived before they are joined.
const MAX_PARTS: usize = 16;

/// A protocol violation found while assembling content: the reply code the
/// connection must close with, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Violation {
    pub(crate) code: ReplyCode,
    pub(crate) text: String,
}

impl Violation {
    pub(crate) fn new(code: ReplyCode, text: impl Into<String>) -> Self {
        Violation {
            code,
            text: text.into(),
        }
    }
}

/// A method with its content, once complete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Content {
    pub(crate) method: Method,
    pub(crate) properties: Properties,
    pub(crate) body: Bytes,
}

// The method inline (the properties are boxed already): boxing it too would
// allocate once more per message.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Default)]
pub(crate) enum Assembly {
    /// No content in progress.
    #[default]
    Idle,
    /// A content method arrived; its header is next.
    Header(Method),
    /// Header arrived; body frames until `remaining` is 0.
    Body {
        method: Method,
        properties: Properties,
        parts: Vec<Bytes>,
        /// After [`MAX_PARTS`] frames, the body so far, grown as frames come.
        joined: Option<BytesMut>,
        remaining: u64,
        /// What the decoded headers table of `properties` takes, counted
        /// once when the header arrives.
        headers_size: u64,
    },
}

/// The memory the decoded headers table of `properties` takes, which can be
/// many times its size on the wire (see [`FieldTable::heap_size`](crate::codec::FieldTable::heap_size)).
pub(crate) fn headers_heap_size(properties: &Properties) -> usize {
    properties.headers.as_ref().map_or(0, |h| h.heap_size())
}

impl Assembly {
    /// The memory the content in progress holds: the body bytes received so
    /// far and, once its header arrived, its decoded headers table.
    pub(crate) fn held(&self) -> u64 {
        match self {
            Assembly::Body {
                parts,
                joined,
                headers_size,
                ..
            } => {
                let body = match joined {
                    Some(acc) => acc.len() as u64,
                    None => parts.iter().map(|p| p.len() as u64).sum(),
                };
                body + headers_size
            }
            _ => 0,
        }
    }

    /// Whether content is in progress (a method frame now is a violation).
    pub(crate) fn in_progress(&self) -> bool {
        !matches!(self, Assembly::Idle)
    }

    /// Starts content for `method`.
    pub(crate) fn start(&mut self, method: Method) {
        *self = Assembly::Header(method);
    }

    /// Takes a header frame. Returns the content if the body is empty.
    pub(crate) fn header(
        &mut self,
        header: ContentHeader,
        max_message_size: u64,
    ) -> Result<Option<Content>, Violation> {
        let Assembly::Header(method) = std::mem::take(self) else {
            return Err(Violation::new(
                ReplyCode::UNEXPECTED_FRAME,
                "content header without a content method before it",
            ));
        };
        if header.class_id != method.class_id() {
            return Err(Violation::new(
                ReplyCode::UNEXPECTED_FRAME,
                format!(
                    "content header of class {} after {}",
                    header.class_id,
                    method.name()
                ),
            ));
        }
        if header.body_size > max_message_size {
            return Err(Violation::new(
                ReplyCode::RESOURCE_ERROR,
                format!(
                    "message of {} bytes exceeds the client's maximum message size of {max_message_size}",
                    header.body_size
                ),
            ));
        }
        if header.body_size == 0 {
            return Ok(Some(Content {
                method,
                properties: header.properties,
                body: Bytes::new(),
            }));
        }
        *self = Assembly::Body {
            method,
            headers_size: headers_heap_size(&header.properties) as u64,
            properties: header.properties,
            parts: Vec::new(),
            joined: None,
            remaining: header.body_size,
        };
        Ok(None)
    }

    /// Takes a body frame. Returns the content when the body is complete.
    pub(crate) fn body(&mut self, payload: Bytes) -> Result<Option<Content>, Violation> {
        let Assembly::Body {
            parts,
            joined,
            remaining,
            ..
        } = self
        else {
            return Err(Violation::new(
                ReplyCode::UNEXPECTED_FRAME,
                "content body frame without a content header before it",
            ));
        };
        let len = payload.len() as u64;
        if len > *remaining {
            return Err(Violation::new(
                ReplyCode::FRAME_ERROR,
                format!(
                    "content body frame of {len} bytes where {} remained of the announced size",
                    *remaining
                ),
            ));
        }
        *remaining -= len;
        if !payload.is_empty() {
            // Many small frames: join them as they come, so that memory
            // follows the bytes received, not one handle (and one read
            // buffer kept alive) per frame.
            if let Some(acc) = joined {
                acc.extend_from_slice(&payload);
            } else if parts.len() >= MAX_PARTS {
                let mut acc =
                    BytesMut::with_capacity(2 * parts.iter().map(Bytes::len).sum::<usize>());
                for p in parts.drain(..) {
                    acc.extend_from_slice(&p);
                }
                acc.extend_from_slice(&payload);
                *joined = Some(acc);
            } else {
                parts.push(payload);
            }
        }
        if *remaining > 0 {
            return Ok(None);
        }
        let Assembly::Body {
            method,
            properties,
            parts,
            joined,
            ..
        } = std::mem::take(self)
        else {
            return Ok(None); // matched as Body above
        };
        if let Some(acc) = joined {
            return Ok(Some(Content {
                method,
                properties,
                body: acc.freeze(),
            }));
        }
        let body = match parts.len() {
            1 => parts.into_iter().next().unwrap_or_default(),
            _ => {
                let mut joined = BytesMut::with_capacity(parts.iter().map(Bytes::len).sum());
                for p in &parts {
                    joined.extend_from_slice(p);
                }
                joined.freeze()
            }
        };
        Ok(Some(Content {
            method,
            properties,
            body,
        }))
    }
}
