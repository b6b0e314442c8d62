//! Tables that describe the spec as this codec implements it: classes,
//! methods with their fields, content properties and constants, and the
//! errata applied to them. The spec check (`spec/tests`) compares them, and
//! the codec's behaviour, with the XML.
//!
//! The tables follow RabbitMQ's extended XML with the 0-9-1 errata of the
//! full XML applied ([`ERRATA`]): `basic.recover` is synchronous, answered by
//! `recover-ok`.
//!
//! ```
//! use amqp091_codec::spec_info::method_info;
//! let recover = method_info(60, 110).expect("basic.recover");
//! assert!(recover.synchronous);
//! assert_eq!(recover.reply_ids, &[111]);
//! assert!(recover.is_answered_by(60, 111));
//! ```

pub use crate::generated::{CLASSES, CONSTANTS, ERRATA, METHODS};

/// The primitive type of a method argument or property.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ArgType {
    /// `bit`: packed with neighbouring bits into octets.
    Bit,
    /// `octet`
    Octet,
    /// `short`
    Short,
    /// `long`
    Long,
    /// `longlong`
    LongLong,
    /// `shortstr`
    ShortStr,
    /// `longstr`
    LongStr,
    /// `timestamp`
    Timestamp,
    /// `table`
    Table,
}

impl ArgType {
    /// The spec's name of the type.
    pub fn spec_name(self) -> &'static str {
        match self {
            ArgType::Bit => "bit",
            ArgType::Octet => "octet",
            ArgType::Short => "short",
            ArgType::Long => "long",
            ArgType::LongLong => "longlong",
            ArgType::ShortStr => "shortstr",
            ArgType::LongStr => "longstr",
            ArgType::Timestamp => "timestamp",
            ArgType::Table => "table",
        }
    }
}

/// A method argument or content property.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldInfo {
    /// Spec name (`routing-key`).
    pub name: &'static str,
    /// Rust field name (`routing_key`).
    pub ident: &'static str,
    /// Domain as the XML names it (`shortstr`, `exchange-name`, …).
    pub domain: &'static str,
    /// Primitive type.
    pub ty: ArgType,
    /// Marked reserved by the spec.
    pub reserved: bool,
}

/// A method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MethodInfo {
    /// Class id.
    pub class_id: u16,
    /// Method id.
    pub method_id: u16,
    /// Class name (`basic`).
    pub class_name: &'static str,
    /// Method name (`publish`).
    pub method_name: &'static str,
    /// `basic.publish`.
    pub full_name: &'static str,
    /// The spec marks it synchronous, after the errata ([`ERRATA`]): it is
    /// part of a synchronous exchange, either a request that expects a reply
    /// (then [`reply_ids`](Self::reply_ids) is not empty) or the reply.
    pub synchronous: bool,
    /// It is followed by content (header and body frames).
    pub content: bool,
    /// It has a no-wait flag (a bit named `no-wait`, or `nowait` in
    /// confirm.select); [`Method::no_wait`](crate::Method::no_wait) reads it.
    pub no_wait: bool,
    /// Names (within the class) of the methods that answer it, after the
    /// errata.
    pub responses: &'static [&'static str],
    /// Method ids (within the class) of the methods that answer it, after the
    /// errata: the ids of [`responses`](Self::responses), in the same order.
    /// Empty for a method that expects no reply.
    pub reply_ids: &'static [u16],
    /// Arguments in wire order.
    pub fields: &'static [FieldInfo],
}

impl MethodInfo {
    /// Whether the method with these ids answers this one (same class, one of
    /// [`reply_ids`](Self::reply_ids)).
    pub fn is_answered_by(&self, class_id: u16, method_id: u16) -> bool {
        class_id == self.class_id && self.reply_ids.contains(&method_id)
    }
}

/// A difference between RabbitMQ's extended XML and the full 0-9-1 XML (which
/// has the 0-9-1 errata applied), applied to [`METHODS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Erratum {
    /// The method it changes (`basic.recover`).
    pub full_name: &'static str,
    /// What it changes: `synchronous` or `responses`.
    pub attribute: &'static str,
    /// What changed, as text: both values and what it means.
    pub change: &'static str,
}

/// A class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClassInfo {
    /// Class id.
    pub id: u16,
    /// Name.
    pub name: &'static str,
    /// Content properties, in flag order (only `basic` has any).
    pub properties: &'static [FieldInfo],
}

/// A constant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConstantInfo {
    /// Spec name (`frame-end`, `not-found`).
    pub name: &'static str,
    /// Value.
    pub value: u32,
    /// `soft-error`, `hard-error` or none.
    pub class: Option<&'static str>,
}

/// The method with these ids, if the spec defines it.
pub fn method_info(class_id: u16, method_id: u16) -> Option<&'static MethodInfo> {
    METHODS
        .iter()
        .find(|m| m.class_id == class_id && m.method_id == method_id)
}

/// The method named `class.method`, if the spec defines it.
pub fn method_by_name(full_name: &str) -> Option<&'static MethodInfo> {
    METHODS.iter().find(|m| m.full_name == full_name)
}
