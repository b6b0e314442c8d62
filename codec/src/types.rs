//! Strings of the wire format and the payload reader that decodes primitives.
//!
//! Strings are `Bytes` slices of the frame payload: decoding never copies them.

use std::fmt;

use bytes::{BufMut, Bytes, BytesMut};
use nom::bytes::complete::take;
use nom::number::complete::{be_u16, be_u32, be_u64, be_u8};

use crate::error::{DecodeError, DecodeErrorKind};

/// An AMQP `shortstr`: at most 255 bytes, not necessarily UTF-8.
///
/// Shares memory with the frame it was decoded from. Read it with
/// [`as_str`](ShortStr::as_str) (`None` when not UTF-8) or `Display`.
///
/// Built as a `&str` is: [`from_static`](ShortStr::from_static) for a
/// literal (const, no copy), `TryFrom` for any `&str` (copied), a `String`
/// (no copy), or bytes with [`new`](ShortStr::new); the only failure is a length over 255, and
/// [`ShortStrTooLong`] converts into the client's `Error`, so `?` works.
/// There is deliberately no `From<&'static str>`: it would make
/// `ShortStr::try_from(s)` demand a `'static` borrow of every `&str`.
///
/// ```
/// use amqp091_codec::{ShortStr, ShortStrTooLong};
///
/// const JOBS: ShortStr = ShortStr::from_static("jobs");   // a literal, shared
/// fn reply_queue(id: u32) -> Result<ShortStr, ShortStrTooLong> {
///     let name = format!("reply-{id}");
///     let borrowed = ShortStr::try_from(name.as_str())?;  // any `&str`, copied
///     let owned = ShortStr::try_from(name)?;              // a `String`, no copy
///     assert_eq!(borrowed, owned);
///     Ok(owned)
/// }
/// let queue: ShortStr = "orders".try_into()?;
/// assert_eq!(reply_queue(42)?.as_str(), Some("reply-42"));
/// assert_eq!(JOBS, "jobs");
/// assert_eq!(queue.to_string(), "orders");
/// assert!(ShortStr::try_from("x".repeat(256)).is_err());
/// # Ok::<(), ShortStrTooLong>(())
/// ```
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ShortStr(Bytes);

/// The error for a string longer than 255 bytes given where a `shortstr` is needed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("short string of {len} bytes exceeds 255")]
pub struct ShortStrTooLong {
    /// The length that was given.
    pub len: usize,
}

impl ShortStr {
    /// Largest length of a short string.
    pub const MAX_LEN: usize = 255;

    /// Wraps bytes as a short string, or fails when they are longer than 255.
    pub fn new(bytes: impl Into<Bytes>) -> Result<Self, ShortStrTooLong> {
        let bytes = bytes.into();
        if bytes.len() > Self::MAX_LEN {
            return Err(ShortStrTooLong { len: bytes.len() });
        }
        Ok(ShortStr(bytes))
    }

    /// A short string from a literal.
    ///
    /// # Panics
    /// When `s` is longer than 255 bytes (a programming error in the literal).
    pub const fn from_static(s: &'static str) -> Self {
        assert!(
            s.len() <= Self::MAX_LEN,
            "short string literal longer than 255 bytes"
        );
        ShortStr(Bytes::from_static(s.as_bytes()))
    }

    /// The raw bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The string, when it is UTF-8.
    pub fn as_str(&self) -> Option<&str> {
        std::str::from_utf8(&self.0).ok()
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the string is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The underlying `Bytes` (a cheap, reference-counted handle).
    pub fn into_bytes(self) -> Bytes {
        self.0
    }

    /// Wraps bytes whose length the caller knows is at most 255.
    pub(crate) fn from_bytes_unchecked(bytes: Bytes) -> Self {
        ShortStr(bytes)
    }

    pub(crate) fn encode(&self, buf: &mut BytesMut) {
        // Construction guarantees len <= 255.
        buf.put_u8(self.0.len() as u8);
        buf.put_slice(&self.0);
    }
}

impl ShortStr {
    /// Copies `s` into a short string, or fails when it is longer than 255 bytes.
    pub fn copy_from_str(s: &str) -> Result<Self, ShortStrTooLong> {
        if s.len() > Self::MAX_LEN {
            return Err(ShortStrTooLong { len: s.len() });
        }
        Ok(ShortStr(Bytes::copy_from_slice(s.as_bytes())))
    }
}

/// Any `&str`, copied (for a literal, [`ShortStr::from_static`] shares it instead).
impl TryFrom<&str> for ShortStr {
    type Error = ShortStrTooLong;
    fn try_from(s: &str) -> Result<Self, Self::Error> {
        ShortStr::copy_from_str(s)
    }
}

impl TryFrom<String> for ShortStr {
    type Error = ShortStrTooLong;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        ShortStr::new(s)
    }
}

impl TryFrom<&String> for ShortStr {
    type Error = ShortStrTooLong;
    fn try_from(s: &String) -> Result<Self, Self::Error> {
        ShortStr::copy_from_str(s)
    }
}

/// Lets maps keyed by `ShortStr` be searched with a byte slice (the hash is
/// the slice's, as for `Bytes`).
impl std::borrow::Borrow<[u8]> for ShortStr {
    fn borrow(&self) -> &[u8] {
        &self.0
    }
}

impl PartialEq<str> for ShortStr {
    fn eq(&self, other: &str) -> bool {
        self.0 == other.as_bytes()
    }
}

impl PartialEq<&str> for ShortStr {
    fn eq(&self, other: &&str) -> bool {
        self.0 == other.as_bytes()
    }
}

impl fmt::Debug for ShortStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&String::from_utf8_lossy(&self.0), f)
    }
}

impl fmt::Display for ShortStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&String::from_utf8_lossy(&self.0))
    }
}

/// An AMQP `longstr`: up to 2³²−1 bytes of binary data (SASL responses,
/// `mechanisms`, string values in tables). Shares memory with its frame.
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LongStr(pub Bytes);

impl LongStr {
    /// The raw bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The string, when it is UTF-8.
    pub fn as_str(&self) -> Option<&str> {
        std::str::from_utf8(&self.0).ok()
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the string is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(crate) fn encode(&self, buf: &mut BytesMut) {
        put_long_bytes(buf, &self.0);
    }
}

/// Writes a 32-bit length and the bytes. A value longer than a frame can
/// carry cannot be sent anyway; the length saturates instead of wrapping.
pub(crate) fn put_long_bytes(buf: &mut BytesMut, bytes: &[u8]) {
    buf.put_u32(u32::try_from(bytes.len()).unwrap_or(u32::MAX));
    buf.put_slice(bytes);
}

impl From<Bytes> for LongStr {
    fn from(b: Bytes) -> Self {
        LongStr(b)
    }
}
impl From<&'static str> for LongStr {
    fn from(s: &'static str) -> Self {
        LongStr(Bytes::from_static(s.as_bytes()))
    }
}
impl From<String> for LongStr {
    fn from(s: String) -> Self {
        LongStr(Bytes::from(s))
    }
}
impl From<Vec<u8>> for LongStr {
    fn from(v: Vec<u8>) -> Self {
        LongStr(Bytes::from(v))
    }
}

impl fmt::Debug for LongStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&String::from_utf8_lossy(&self.0), f)
    }
}

impl fmt::Display for LongStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&String::from_utf8_lossy(&self.0))
    }
}

type NomErr<'a> = nom::Err<nom::error::Error<&'a [u8]>>;

/// Reads primitives from a payload held in `Bytes`, tracking the offset for
/// errors and slicing strings out of the payload without copying.
pub(crate) struct Reader<'a> {
    payload: &'a Bytes,
    rest: &'a [u8],
    /// Table and array entries decoded from this payload so far.
    entries: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(payload: &'a Bytes) -> Self {
        Reader {
            payload,
            rest: &payload[..],
            entries: 0,
        }
    }

    /// Counts one table or array entry; an error once the payload holds more
    /// than [`crate::FIELD_ENTRIES_ALLOWED`] or one per
    /// [`crate::OCTETS_PER_FIELD_ENTRY`] octets, whichever is more.
    pub(crate) fn count_entry(&mut self) -> Result<(), DecodeError> {
        self.entries += 1;
        let limit =
            crate::FIELD_ENTRIES_ALLOWED.max(self.payload.len() / crate::OCTETS_PER_FIELD_ENTRY);
        if self.entries > limit {
            return Err(DecodeError::new(
                DecodeErrorKind::TooManyFieldEntries { limit },
                self.offset(),
            ));
        }
        Ok(())
    }

    /// Offset of the next unread byte from the start of the payload.
    pub(crate) fn offset(&self) -> usize {
        // `rest` always points into `payload`, also while `nested` narrows it.
        self.rest.as_ptr() as usize - self.payload.as_ptr() as usize
    }

    fn end(&self, needed: usize) -> DecodeError {
        DecodeError::new(DecodeErrorKind::UnexpectedEnd { needed }, self.offset())
    }

    fn fixed<T>(
        &mut self,
        width: usize,
        parse: impl FnOnce(&'a [u8]) -> Result<(&'a [u8], T), NomErr<'a>>,
    ) -> Result<T, DecodeError> {
        match parse(self.rest) {
            Ok((rest, v)) => {
                self.rest = rest;
                Ok(v)
            }
            Err(_) => Err(self.end(width - self.rest.len())),
        }
    }

    pub(crate) fn octet(&mut self) -> Result<u8, DecodeError> {
        self.fixed(1, be_u8)
    }

    pub(crate) fn short(&mut self) -> Result<u16, DecodeError> {
        self.fixed(2, be_u16)
    }

    pub(crate) fn long(&mut self) -> Result<u32, DecodeError> {
        self.fixed(4, be_u32)
    }

    pub(crate) fn longlong(&mut self) -> Result<u64, DecodeError> {
        self.fixed(8, be_u64)
    }

    /// `len` bytes as a zero-copy slice of the payload. The length is
    /// checked against the bytes present before anything is sliced.
    pub(crate) fn bytes(&mut self, len: usize) -> Result<Bytes, DecodeError> {
        let res: Result<(&[u8], &[u8]), NomErr<'a>> = take(len)(self.rest);
        match res {
            Ok((rest, taken)) => {
                self.rest = rest;
                Ok(self.payload.slice_ref(taken))
            }
            Err(_) => Err(self.end(len - self.rest.len())),
        }
    }

    /// Runs `inner` on the next `len` bytes only (a table or array body),
    /// then continues after them. `len` is checked against the bytes present
    /// first, so a lying length never reads past the payload.
    pub(crate) fn nested<T>(
        &mut self,
        len: usize,
        inner: impl FnOnce(&mut Self) -> Result<T, DecodeError>,
    ) -> Result<T, DecodeError> {
        if len > self.rest.len() {
            return Err(self.end(len - self.rest.len()));
        }
        let after = &self.rest[len..];
        self.rest = &self.rest[..len];
        let value = inner(self)?;
        self.rest = after;
        Ok(value)
    }

    /// Whether the (possibly narrowed) input is used up.
    pub(crate) fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    pub(crate) fn shortstr(&mut self) -> Result<ShortStr, DecodeError> {
        let len = self.octet()? as usize;
        Ok(ShortStr(self.bytes(len)?))
    }

    pub(crate) fn longstr(&mut self) -> Result<LongStr, DecodeError> {
        let len = self.long()? as usize;
        Ok(LongStr(self.bytes(len)?))
    }

    /// Fails when bytes are left over.
    pub(crate) fn finish(&self) -> Result<(), DecodeError> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(DecodeError::new(
                DecodeErrorKind::TrailingBytes {
                    count: self.rest.len(),
                },
                self.offset(),
            ))
        }
    }
}
