//! Field tables and arrays (`table` domain, `F` and `A` values).
//!
//! Type tags follow RabbitMQ's reading of the 0-9-1 errata: `s` is a signed
//! 16-bit integer (not a short string), `l` a signed and `L` an unsigned
//! 64-bit integer, `x` a byte array. Entries keep their order and duplicates,
//! and every value keeps its tag, so re-encoding a decoded table is
//! byte-exact.

use bytes::{BufMut, Bytes, BytesMut};

use crate::error::{DecodeError, DecodeErrorKind};
use crate::types::{put_long_bytes, LongStr, Reader, ShortStr, ShortStrTooLong};

/// How deep tables and arrays may nest inside each other before decoding
/// fails (instead of recursing without bound on hostile input).
pub const MAX_NESTING_DEPTH: usize = 32;

/// Table and array entries one payload may hold however small it is.
pub const FIELD_ENTRIES_ALLOWED: usize = 1024;

/// Past [`FIELD_ENTRIES_ALLOWED`], a payload may hold one table or array
/// entry (nested ones included) per this many octets. An entry costs tens
/// of bytes in memory and can be 1 or 2 on the wire (a void, an empty name
/// and a void), so without a bound 130 KB of header become 4 MB; with it,
/// a payload decodes to at most a few times its size plus a fixed part.
pub const OCTETS_PER_FIELD_ENTRY: usize = 8;

/// One value in a field table or array. The variant fixes the type tag.
#[derive(Debug, Clone)]
pub enum FieldValue {
    /// `t`: boolean.
    Bool(bool),
    /// `b`: signed 8-bit.
    I8(i8),
    /// `B`: unsigned 8-bit.
    U8(u8),
    /// `s`: signed 16-bit (RabbitMQ's meaning of `s`).
    I16(i16),
    /// `u`: unsigned 16-bit.
    U16(u16),
    /// `I`: signed 32-bit.
    I32(i32),
    /// `i`: unsigned 32-bit.
    U32(u32),
    /// `l`: signed 64-bit.
    I64(i64),
    /// `L`: unsigned 64-bit.
    U64(u64),
    /// `f`: 32-bit IEEE float.
    F32(f32),
    /// `d`: 64-bit IEEE float.
    F64(f64),
    /// `D`: decimal: `value` × 10^-`scale`.
    Decimal {
        /// Number of decimal digits after the point.
        scale: u8,
        /// Unscaled value.
        value: u32,
    },
    /// `S`: long string.
    LongStr(LongStr),
    /// `x`: byte array.
    Bytes(Bytes),
    /// `A`: array of values.
    Array(FieldArray),
    /// `T`: timestamp, seconds since the epoch.
    Timestamp(u64),
    /// `F`: nested table.
    Table(FieldTable),
    /// `V`: no value.
    Void,
}

impl PartialEq for FieldValue {
    fn eq(&self, other: &Self) -> bool {
        use FieldValue::*;
        match (self, other) {
            (Bool(a), Bool(b)) => a == b,
            (I8(a), I8(b)) => a == b,
            (U8(a), U8(b)) => a == b,
            (I16(a), I16(b)) => a == b,
            (U16(a), U16(b)) => a == b,
            (I32(a), I32(b)) => a == b,
            (U32(a), U32(b)) => a == b,
            (I64(a), I64(b)) => a == b,
            (U64(a), U64(b)) => a == b,
            // Bitwise, so that NaN payloads compare equal after a round trip.
            (F32(a), F32(b)) => a.to_bits() == b.to_bits(),
            (F64(a), F64(b)) => a.to_bits() == b.to_bits(),
            (
                Decimal { scale, value },
                Decimal {
                    scale: s2,
                    value: v2,
                },
            ) => scale == s2 && value == v2,
            (LongStr(a), LongStr(b)) => a == b,
            (Bytes(a), Bytes(b)) => a == b,
            (Array(a), Array(b)) => a == b,
            (Timestamp(a), Timestamp(b)) => a == b,
            (Table(a), Table(b)) => a == b,
            (Void, Void) => true,
            _ => false,
        }
    }
}

impl Eq for FieldValue {}

impl FieldValue {
    /// The type tag written before this value.
    pub fn tag(&self) -> u8 {
        match self {
            FieldValue::Bool(_) => b't',
            FieldValue::I8(_) => b'b',
            FieldValue::U8(_) => b'B',
            FieldValue::I16(_) => b's',
            FieldValue::U16(_) => b'u',
            FieldValue::I32(_) => b'I',
            FieldValue::U32(_) => b'i',
            FieldValue::I64(_) => b'l',
            FieldValue::U64(_) => b'L',
            FieldValue::F32(_) => b'f',
            FieldValue::F64(_) => b'd',
            FieldValue::Decimal { .. } => b'D',
            FieldValue::LongStr(_) => b'S',
            FieldValue::Bytes(_) => b'x',
            FieldValue::Array(_) => b'A',
            FieldValue::Timestamp(_) => b'T',
            FieldValue::Table(_) => b'F',
            FieldValue::Void => b'V',
        }
    }

    /// Encoded size, tag included.
    pub fn encoded_len(&self) -> usize {
        1 + match self {
            FieldValue::Bool(_) | FieldValue::I8(_) | FieldValue::U8(_) => 1,
            FieldValue::I16(_) | FieldValue::U16(_) => 2,
            FieldValue::I32(_) | FieldValue::U32(_) | FieldValue::F32(_) => 4,
            FieldValue::I64(_)
            | FieldValue::U64(_)
            | FieldValue::F64(_)
            | FieldValue::Timestamp(_) => 8,
            FieldValue::Decimal { .. } => 5,
            FieldValue::LongStr(s) => 4 + s.len(),
            FieldValue::Bytes(b) => 4 + b.len(),
            FieldValue::Array(a) => a.encoded_len(),
            FieldValue::Table(t) => t.encoded_len(),
            FieldValue::Void => 0,
        }
    }

    /// Memory the value holds beyond its own size: the entries of nested
    /// tables and arrays (strings are slices of the frame they came in).
    pub fn heap_size(&self) -> usize {
        match self {
            FieldValue::Array(a) => a.heap_size(),
            FieldValue::Table(t) => t.heap_size(),
            _ => 0,
        }
    }

    /// Writes the tag and the value.
    pub fn encode(&self, buf: &mut BytesMut) {
        buf.put_u8(self.tag());
        match self {
            FieldValue::Bool(v) => buf.put_u8(u8::from(*v)),
            FieldValue::I8(v) => buf.put_i8(*v),
            FieldValue::U8(v) => buf.put_u8(*v),
            FieldValue::I16(v) => buf.put_i16(*v),
            FieldValue::U16(v) => buf.put_u16(*v),
            FieldValue::I32(v) => buf.put_i32(*v),
            FieldValue::U32(v) => buf.put_u32(*v),
            FieldValue::I64(v) => buf.put_i64(*v),
            FieldValue::U64(v) => buf.put_u64(*v),
            FieldValue::F32(v) => buf.put_f32(*v),
            FieldValue::F64(v) => buf.put_f64(*v),
            FieldValue::Decimal { scale, value } => {
                buf.put_u8(*scale);
                buf.put_u32(*value);
            }
            FieldValue::LongStr(s) => s.encode(buf),
            FieldValue::Bytes(b) => put_long_bytes(buf, b),
            FieldValue::Array(a) => a.encode(buf),
            FieldValue::Timestamp(v) => buf.put_u64(*v),
            FieldValue::Table(t) => t.encode(buf),
            FieldValue::Void => {}
        }
    }

    fn decode(r: &mut Reader<'_>, depth: usize) -> Result<Self, DecodeError> {
        let tag_offset = r.offset();
        let tag = r.octet()?;
        Ok(match tag {
            b't' => FieldValue::Bool(r.octet()? != 0),
            b'b' => FieldValue::I8(r.octet()? as i8),
            b'B' => FieldValue::U8(r.octet()?),
            b's' => FieldValue::I16(r.short()? as i16),
            b'u' => FieldValue::U16(r.short()?),
            b'I' => FieldValue::I32(r.long()? as i32),
            b'i' => FieldValue::U32(r.long()?),
            b'l' => FieldValue::I64(r.longlong()? as i64),
            b'L' => FieldValue::U64(r.longlong()?),
            b'f' => FieldValue::F32(f32::from_bits(r.long()?)),
            b'd' => FieldValue::F64(f64::from_bits(r.longlong()?)),
            b'D' => FieldValue::Decimal {
                scale: r.octet()?,
                value: r.long()?,
            },
            b'S' => FieldValue::LongStr(r.longstr()?),
            b'x' => {
                let len = r.long()? as usize;
                FieldValue::Bytes(r.bytes(len)?)
            }
            b'A' => FieldValue::Array(FieldArray::decode(r, depth + 1)?),
            b'T' => FieldValue::Timestamp(r.longlong()?),
            b'F' => FieldValue::Table(FieldTable::decode_nested(r, depth + 1)?),
            b'V' => FieldValue::Void,
            _ => {
                return Err(DecodeError::new(
                    DecodeErrorKind::UnknownFieldType { tag },
                    tag_offset,
                ))
            }
        })
    }
}

macro_rules! field_value_from {
    ($($t:ty => $v:ident),* $(,)?) => {
        $(impl From<$t> for FieldValue {
            fn from(v: $t) -> Self {
                FieldValue::$v(v.into())
            }
        })*
    };
}

field_value_from! {
    bool => Bool, i8 => I8, u8 => U8, i16 => I16, u16 => U16, i32 => I32, u32 => U32,
    i64 => I64, u64 => U64, f32 => F32, f64 => F64, LongStr => LongStr, Bytes => Bytes,
    FieldArray => Array, FieldTable => Table, String => LongStr, &'static str => LongStr,
}

/// Writes the length of what follows the 4-byte placeholder at `at`: one
/// pass over nested values instead of measuring them first.
fn patch_length(buf: &mut BytesMut, at: usize) {
    let len = buf.len() - at - 4;
    let len = u32::try_from(len).unwrap_or(u32::MAX).to_be_bytes();
    buf[at..at + 4].copy_from_slice(&len);
}

fn check_depth(r: &Reader<'_>, depth: usize) -> Result<(), DecodeError> {
    if depth > MAX_NESTING_DEPTH {
        return Err(DecodeError::new(
            DecodeErrorKind::NestingTooDeep {
                limit: MAX_NESTING_DEPTH,
            },
            r.offset(),
        ));
    }
    Ok(())
}

/// A field table: named values in wire order. Duplicate names are kept
/// (a peer may send them); [`FieldTable::get`] returns the first.
///
/// ```
/// use amqp091_codec::{FieldTable, FieldValue};
/// let mut args = FieldTable::new();
/// args.insert("x-max-length", 1000i32);
/// args.insert("x-queue-type", "quorum");
/// assert_eq!(args.get("x-max-length"), Some(&FieldValue::I32(1000)));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldTable(pub Vec<(ShortStr, FieldValue)>);

impl FieldTable {
    /// An empty table.
    pub fn new() -> Self {
        FieldTable(Vec::new())
    }

    /// Sets `name` to `value`: replaces the first entry of that name, or
    /// appends one.
    ///
    /// # Panics
    /// When `name` is longer than 255 bytes (names written in a program;
    /// for names that come from input use [`FieldTable::try_insert`]).
    pub fn insert(&mut self, name: &str, value: impl Into<FieldValue>) {
        if let Err(e) = self.try_insert(name, value) {
            panic!("field table name: {e}");
        }
    }

    /// [`insert`](FieldTable::insert), failing instead of panicking on a
    /// name longer than 255 bytes.
    pub fn try_insert(
        &mut self,
        name: &str,
        value: impl Into<FieldValue>,
    ) -> Result<(), ShortStrTooLong> {
        let value = value.into();
        if let Some(slot) = self.0.iter_mut().find(|(k, _)| k == name) {
            slot.1 = value;
            return Ok(());
        }
        self.0.push((ShortStr::copy_from_str(name)?, value));
        Ok(())
    }

    /// Appends an entry as is (duplicates allowed, order kept).
    pub fn push(&mut self, name: ShortStr, value: FieldValue) {
        self.0.push((name, value));
    }

    /// The first value named `name`.
    pub fn get(&self, name: &str) -> Option<&FieldValue> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    /// Entries in wire order.
    pub fn iter(&self) -> impl Iterator<Item = (&ShortStr, &FieldValue)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the table has no entries.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Encoded size, the 4-byte length included.
    pub fn encoded_len(&self) -> usize {
        4 + self
            .0
            .iter()
            .map(|(k, v)| 1 + k.len() + v.encoded_len())
            .sum::<usize>()
    }

    /// Writes the length and the entries.
    pub fn encode(&self, buf: &mut BytesMut) {
        let at = buf.len();
        buf.put_u32(0);
        for (k, v) in &self.0 {
            k.encode(buf);
            v.encode(buf);
        }
        patch_length(buf, at);
    }

    /// Memory its entries hold, nested tables and arrays included. A
    /// decoded table can take far more memory than its wire size (an empty
    /// entry is 2 bytes on the wire and a whole entry in memory): the
    /// client counts this, not the wire size, against its buffers.
    pub fn heap_size(&self) -> usize {
        self.0.capacity() * std::mem::size_of::<(ShortStr, FieldValue)>()
            + self.0.iter().map(|(_, v)| v.heap_size()).sum::<usize>()
    }

    /// Decodes a table (length and entries) at the reader's position.
    pub(crate) fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Self::decode_nested(r, 1)
    }

    fn decode_nested(r: &mut Reader<'_>, depth: usize) -> Result<Self, DecodeError> {
        check_depth(r, depth)?;
        let len = r.long()? as usize;
        r.nested(len, |r| {
            // Capacity from bytes actually present (an entry is >= 3 bytes), capped.
            let mut entries = Vec::with_capacity((len / 12).min(16));
            while !r.is_empty() {
                let key = r.shortstr()?;
                let value = FieldValue::decode(r, depth)?;
                r.count_entry()?;
                entries.push((key, value));
            }
            Ok(FieldTable(entries))
        })
    }
}

impl<K: AsRef<str>, V: Into<FieldValue>> FromIterator<(K, V)> for FieldTable {
    fn from_iter<T: IntoIterator<Item = (K, V)>>(iter: T) -> Self {
        let mut t = FieldTable::new();
        for (k, v) in iter {
            t.insert(k.as_ref(), v);
        }
        t
    }
}

/// A field array (`A`): values in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldArray(pub Vec<FieldValue>);

impl FieldArray {
    /// Encoded size, the 4-byte length included (the `A` tag not included).
    pub fn encoded_len(&self) -> usize {
        4 + self.0.iter().map(FieldValue::encoded_len).sum::<usize>()
    }

    /// Memory its values hold, nested tables and arrays included.
    pub fn heap_size(&self) -> usize {
        self.0.capacity() * std::mem::size_of::<FieldValue>()
            + self.0.iter().map(FieldValue::heap_size).sum::<usize>()
    }

    /// Writes the length and the values.
    pub fn encode(&self, buf: &mut BytesMut) {
        let at = buf.len();
        buf.put_u32(0);
        for v in &self.0 {
            v.encode(buf);
        }
        patch_length(buf, at);
    }

    fn decode(r: &mut Reader<'_>, depth: usize) -> Result<Self, DecodeError> {
        check_depth(r, depth)?;
        let len = r.long()? as usize;
        r.nested(len, |r| {
            let mut values = Vec::with_capacity((len / 4).min(16));
            while !r.is_empty() {
                let value = FieldValue::decode(r, depth)?;
                r.count_entry()?;
                values.push(value);
            }
            Ok(FieldArray(values))
        })
    }
}

impl<V: Into<FieldValue>> FromIterator<V> for FieldArray {
    fn from_iter<T: IntoIterator<Item = V>>(iter: T) -> Self {
        FieldArray(iter.into_iter().map(Into::into).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8]) -> Result<FieldTable, DecodeError> {
        let payload = Bytes::copy_from_slice(bytes);
        let mut r = Reader::new(&payload);
        let t = FieldTable::decode(&mut r)?;
        r.finish()?;
        Ok(t)
    }

    /// A table of `n` entries, each an empty name and a void (2 octets).
    fn empty_entries(n: usize) -> Vec<u8> {
        let mut b = ((n * 2) as u32).to_be_bytes().to_vec();
        for _ in 0..n {
            b.extend_from_slice(&[0, b'V']);
        }
        b
    }

    #[test]
    fn a_table_of_empty_entries_past_the_allowance_is_refused_not_decoded_40_times_larger() {
        // The issue's case: 65,000 empty entries, 130 KB on the wire.
        let err = decode(&empty_entries(65_000)).unwrap_err();
        let limit = 130_004 / OCTETS_PER_FIELD_ENTRY;
        assert_eq!(err.kind, DecodeErrorKind::TooManyFieldEntries { limit });
        // Within the allowance a table of them still decodes.
        let t = decode(&empty_entries(FIELD_ENTRIES_ALLOWED)).expect("within the allowance");
        assert_eq!(t.len(), FIELD_ENTRIES_ALLOWED);
    }

    #[test]
    fn an_array_of_voids_and_nested_tables_count_against_one_payload() {
        // 130,000 voids in an array.
        let mut b = vec![0, 0, 0, 0, 1, b'a', b'A'];
        b.extend_from_slice(&130_000u32.to_be_bytes());
        b.extend(std::iter::repeat_n(b'V', 130_000));
        let len = (b.len() - 4) as u32;
        b[..4].copy_from_slice(&len.to_be_bytes());
        let err = decode(&b).unwrap_err();
        assert!(
            matches!(err.kind, DecodeErrorKind::TooManyFieldEntries { .. }),
            "{err:?}"
        );
        // 300 nested tables of 300 empty entries: each within the allowance,
        // together past it.
        let inner = empty_entries(300);
        let mut outer = Vec::new();
        for _ in 0..300 {
            outer.extend_from_slice(&[1, b'k', b'F']);
            outer.extend_from_slice(&inner);
        }
        let mut b = (outer.len() as u32).to_be_bytes().to_vec();
        b.extend_from_slice(&outer);
        let err = decode(&b).unwrap_err();
        assert!(
            matches!(err.kind, DecodeErrorKind::TooManyFieldEntries { .. }),
            "{err:?}"
        );
    }

    #[test]
    fn a_large_table_of_ordinary_entries_decodes() {
        let t: FieldTable = (0..20_000).map(|i| (format!("key-{i:05}"), i)).collect();
        let mut buf = BytesMut::new();
        t.encode(&mut buf);
        assert_eq!(decode(&buf).expect("14 octets an entry"), t);
    }

    #[test]
    fn lying_table_length_is_an_error_not_an_allocation() {
        // Declares 4 GiB - 1 of entries, carries 2 bytes.
        let err = decode(&[0xff, 0xff, 0xff, 0xff, 1, b'a']).unwrap_err();
        assert_eq!(
            err.kind,
            DecodeErrorKind::UnexpectedEnd {
                needed: 0xffff_ffff - 2
            }
        );
        assert_eq!(err.offset, 4);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        // 10 000 nested arrays, each declaring the rest of the input as its body.
        let depth = 10_000usize;
        let mut bytes = Vec::new();
        // Table length: the key (2 bytes) and the nested arrays (5 bytes of header each).
        bytes.extend_from_slice(&((2 + depth * 5) as u32).to_be_bytes());
        bytes.push(1);
        bytes.push(b'k');
        for i in 0..depth {
            bytes.push(b'A');
            let rest = (depth - i - 1) * 5;
            bytes.extend_from_slice(&(rest as u32).to_be_bytes());
        }
        let err = decode(&bytes).unwrap_err();
        assert_eq!(
            err.kind,
            DecodeErrorKind::NestingTooDeep {
                limit: MAX_NESTING_DEPTH
            }
        );
    }

    #[test]
    fn unknown_tag_names_tag_and_offset() {
        let err = decode(&[0, 0, 0, 3, 1, b'k', b'Z']).unwrap_err();
        assert_eq!(err.kind, DecodeErrorKind::UnknownFieldType { tag: b'Z' });
        assert_eq!(err.offset, 6);
    }

    #[test]
    fn long_names_are_an_error_with_try_insert() {
        let mut t = FieldTable::new();
        let long = "n".repeat(256);
        assert_eq!(t.try_insert(&long, 1i32), Err(ShortStrTooLong { len: 256 }));
        assert!(t.is_empty());
        t.try_insert("ok", 1i32).unwrap();
        t.try_insert("ok", 2i32).unwrap();
        assert_eq!(t.get("ok"), Some(&FieldValue::I32(2)));
        assert_eq!(t.len(), 1);
    }

    #[test]
    fn duplicates_and_order_survive_a_round_trip() {
        let mut t = FieldTable::new();
        t.push(ShortStr::from_static("b"), FieldValue::I16(-2));
        t.push(ShortStr::from_static("a"), FieldValue::Void);
        t.push(ShortStr::from_static("b"), FieldValue::U64(u64::MAX));
        let mut buf = BytesMut::new();
        t.encode(&mut buf);
        assert_eq!(buf.len(), t.encoded_len());
        let back = decode(&buf).unwrap();
        assert_eq!(back, t);
        assert_eq!(back.get("b"), Some(&FieldValue::I16(-2)));
    }
}

#[cfg(test)]
mod heap_size_tests {
    use super::*;

    #[test]
    fn heap_size_counts_entries_in_memory_not_bytes_on_the_wire() {
        // 1000 empty entries of void: 2 bytes each on the wire.
        let mut wire = BytesMut::new();
        wire.put_u32(2000);
        for _ in 0..1000 {
            wire.put_u8(0);
            wire.put_u8(b'V');
        }
        let wire = wire.freeze();
        let mut r = crate::types::Reader::new(&wire);
        let t = FieldTable::decode(&mut r).unwrap();
        assert_eq!(t.0.len(), 1000);
        let per_entry = std::mem::size_of::<(ShortStr, FieldValue)>();
        assert!(t.heap_size() >= 1000 * per_entry);
        assert!(t.heap_size() > 10 * 2000, "far more than the wire size");
        let inner = t.clone();
        let inner_size = inner.heap_size();
        let nested = FieldTable(vec![(ShortStr::from_static("t"), FieldValue::Table(inner))]);
        assert!(nested.heap_size() > inner_size, "nested tables count");
        let array = FieldArray(vec![FieldValue::Void; 10]);
        assert!(array.heap_size() >= 10 * std::mem::size_of::<FieldValue>());
    }
}
