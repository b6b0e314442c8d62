//! Methods: one struct per method of the spec, the [`Method`] enum over
//! them, and the decoding entry point.
//!
//! The structs are generated from the XML (see `spec/`); reserved fields are
//! ordinary fields, so a conformance test can send a non-zero one, and bit
//! fields are plain `bool`s that the encoder packs.

use bytes::{BufMut, Bytes, BytesMut};

use crate::error::{DecodeError, DecodeErrorKind};
use crate::table::FieldTable;
use crate::types::{LongStr, Reader, ShortStr};

pub use crate::generated::*;

/// What every method struct can do. `encode` writes the method frame
/// payload: class id, method id, then the arguments.
pub trait MethodArgs {
    /// Class id.
    const CLASS_ID: u16;
    /// Method id.
    const METHOD_ID: u16;
    /// `class.method`, as the spec names it.
    const NAME: &'static str;
    /// Encoded size of the payload (ids and arguments).
    fn encoded_len(&self) -> usize;
    /// Writes the payload (ids and arguments).
    fn encode(&self, buf: &mut BytesMut);
    /// Every argument by spec name, in wire order.
    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)>;
}

/// A method argument seen through its spec type (for dissectors and checks).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgValue<'a> {
    /// `bit`
    Bit(bool),
    /// `octet`
    Octet(u8),
    /// `short`
    Short(u16),
    /// `long`
    Long(u32),
    /// `longlong`
    LongLong(u64),
    /// `timestamp`
    Timestamp(u64),
    /// `shortstr`
    ShortStr(&'a ShortStr),
    /// `longstr`
    LongStr(&'a LongStr),
    /// `table`
    Table(&'a FieldTable),
}

/// A method with class and method ids the spec does not define. Its
/// arguments are kept raw, so it can be re-encoded exactly or sent on purpose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownMethod {
    /// Class id.
    pub class_id: u16,
    /// Method id.
    pub method_id: u16,
    /// The bytes after the ids.
    pub args: Bytes,
}

impl UnknownMethod {
    /// Writes ids and raw arguments.
    pub fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(self.class_id);
        buf.put_u16(self.method_id);
        buf.put_slice(&self.args);
    }
}

impl Method {
    /// Decodes a method frame payload. Unknown class/method ids give
    /// [`Method::Unknown`]; a known method whose arguments do not decode
    /// exactly (too short, or bytes left over) is an error naming the method
    /// and field.
    pub fn decode(payload: Bytes) -> Result<Method, DecodeError> {
        let mut r = Reader::new(&payload);
        let (Ok(class_id), Ok(method_id)) = (r.short(), r.short()) else {
            return Err(DecodeError::new(
                DecodeErrorKind::MethodTooShort { len: payload.len() },
                0,
            ));
        };
        match Method::decode_known(class_id, method_id, &mut r) {
            Some(decoded) => {
                let method = decoded.map_err(|e| e.in_method(class_id, method_id))?;
                r.finish().map_err(|e| e.in_method(class_id, method_id))?;
                Ok(method)
            }
            None => Ok(Method::Unknown(UnknownMethod {
                class_id,
                method_id,
                args: payload.slice(4..),
            })),
        }
    }

    /// `class.method` as the spec names it, or `class-C.method-M` for an unknown one.
    pub fn name(&self) -> std::borrow::Cow<'static, str> {
        match self.info() {
            Some(info) => info.full_name.into(),
            None => format!("class-{}.method-{}", self.class_id(), self.method_id()).into(),
        }
    }
}
