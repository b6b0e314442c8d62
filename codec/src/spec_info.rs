//! Tables that describe the spec as this codec implements it: classes,
//! methods with their fields, content properties and constants. The spec
//! check (`spec/tests`) compares them, and the codec's behaviour, with the XML.

pub use crate::generated::{CLASSES, CONSTANTS, METHODS};

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
    /// The spec marks it synchronous (it expects a reply).
    pub synchronous: bool,
    /// It is followed by content (header and body frames).
    pub content: bool,
    /// Names (within the class) of the methods that answer it.
    pub responses: &'static [&'static str],
    /// Arguments in wire order.
    pub fields: &'static [FieldInfo],
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
