//! Content headers: class, weight, body size and properties.

use bytes::{BufMut, Bytes, BytesMut};

use crate::error::DecodeError;
use crate::method::BasicProperties;
use crate::properties::Properties;
use crate::types::Reader;

/// The payload of a content header frame.
///
/// 0-9-1 defines content for class `basic` only, so the properties are
/// always read as [`BasicProperties`]; `class_id` is kept as sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContentHeader {
    /// Class of the content (60, `basic`).
    pub class_id: u16,
    /// Unused by 0-9-1; must be zero.
    pub weight: u16,
    /// Total size of the body frames that follow.
    pub body_size: u64,
    /// The properties: boxed when any is set (they are large: 14 optional
    /// values, and a decoded frame moves several times on its way to the
    /// caller), nothing allocated when none is.
    pub properties: Properties,
}

impl ContentHeader {
    /// A `basic` content header for a body of `body_size` bytes.
    pub fn basic(body_size: u64, properties: BasicProperties) -> Self {
        ContentHeader {
            class_id: 60,
            weight: 0,
            body_size,
            properties: Properties::new(properties),
        }
    }

    /// Decodes a header frame payload.
    pub fn decode(payload: Bytes) -> Result<Self, DecodeError> {
        let mut r = Reader::new(&payload);
        let class_id = r.short().map_err(|e| e.in_field("class-id"))?;
        let header = (|| {
            let weight = r.short().map_err(|e| e.in_field("weight"))?;
            let body_size = r.longlong().map_err(|e| e.in_field("body-size"))?;
            // No property flag set (most small messages): nothing to allocate.
            let flags_at = Self::BASIC_FIXED_LEN;
            let properties = if payload.get(flags_at..flags_at + 2) == Some(&[0, 0][..]) {
                r.short().map_err(|e| e.in_field("property-flags"))?;
                Properties::default()
            } else {
                let mut properties = Box::<BasicProperties>::default();
                properties.decode_into(&mut r)?;
                Properties::from_box(properties)
            };
            r.finish()?;
            Ok(ContentHeader {
                class_id,
                weight,
                body_size,
                properties,
            })
        })();
        header.map_err(|e: DecodeError| e.in_method(class_id, 0))
    }

    /// Size of class id, weight and body size.
    pub(crate) const BASIC_FIXED_LEN: usize = 12;

    /// Encoded size of the payload.
    pub fn encoded_len(&self) -> usize {
        Self::BASIC_FIXED_LEN + self.properties.encoded_len()
    }

    /// Writes a `basic` header payload without building a `ContentHeader`.
    pub(crate) fn encode_basic(buf: &mut BytesMut, body_size: u64, properties: &BasicProperties) {
        buf.put_u16(60);
        buf.put_u16(0);
        buf.put_u64(body_size);
        properties.encode(buf);
    }

    /// Writes the payload.
    pub fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(self.class_id);
        buf.put_u16(self.weight);
        buf.put_u64(self.body_size);
        self.properties.encode(buf);
    }
}
