//! What the generated [`BasicProperties`] cannot say by itself: the names
//! of the delivery modes, and [`Properties`], the form a message holds
//! them in.
//!
//! ```
//! use amqp091_codec::{BasicProperties, ShortStr};
//!
//! let props = BasicProperties::default()
//!     .persistent()
//!     .with_reply_to(ShortStr::from_static("amq.rabbitmq.reply-to"));
//! assert!(props.is_persistent());
//! assert_eq!(props.delivery_mode, Some(BasicProperties::PERSISTENT));
//! assert_eq!(props.reply_to_str(), Some("amq.rabbitmq.reply-to"));
//! ```

use crate::BasicProperties;

impl BasicProperties {
    /// `delivery-mode` 1: the broker may keep the message in memory only.
    pub const TRANSIENT: u8 = 1;
    /// `delivery-mode` 2: a durable queue keeps the message across a broker restart.
    pub const PERSISTENT: u8 = 2;

    /// Marks the message persistent (`delivery-mode` 2).
    pub fn persistent(self) -> Self {
        self.with_delivery_mode(Self::PERSISTENT)
    }

    /// Marks the message transient (`delivery-mode` 1).
    pub fn transient(self) -> Self {
        self.with_delivery_mode(Self::TRANSIENT)
    }

    /// Whether `delivery-mode` is 2 (persistent).
    pub fn is_persistent(&self) -> bool {
        self.delivery_mode == Some(Self::PERSISTENT)
    }
}

/// Content properties as a message holds them: nothing allocated for a
/// message without properties (most 16-byte messages), a box otherwise
/// (the struct is large, and messages move through queues). Reads as a
/// [`BasicProperties`] through `Deref`; writing through `DerefMut` boxes
/// an empty one first.
///
/// ```
/// use amqp091_codec::{BasicProperties, Properties};
///
/// let none = Properties::default();
/// assert!(none.is_empty());
/// assert_eq!(none.delivery_mode, None);
/// let some = Properties::from(BasicProperties::default().persistent());
/// assert!(some.is_persistent());
/// assert_eq!(some.into_inner(), BasicProperties::default().persistent());
/// ```
#[derive(Clone, Default)]
pub struct Properties(Option<Box<BasicProperties>>);

impl Properties {
    /// Holds `properties` (boxed unless none is set).
    pub fn new(properties: BasicProperties) -> Self {
        if properties.flags() == 0 {
            Properties(None)
        } else {
            Properties(Some(Box::new(properties)))
        }
    }

    /// From properties already boxed.
    pub fn from_box(properties: Box<BasicProperties>) -> Self {
        Properties(Some(properties))
    }

    /// Whether no property is set.
    pub fn is_empty(&self) -> bool {
        self.0.as_ref().is_none_or(|p| p.flags() == 0)
    }

    /// The properties, by value.
    pub fn into_inner(self) -> BasicProperties {
        self.0.map(|p| *p).unwrap_or_default()
    }
}

static EMPTY: BasicProperties = BasicProperties::EMPTY;

impl std::ops::Deref for Properties {
    type Target = BasicProperties;
    fn deref(&self) -> &BasicProperties {
        self.0.as_deref().unwrap_or(&EMPTY)
    }
}

impl std::ops::DerefMut for Properties {
    fn deref_mut(&mut self) -> &mut BasicProperties {
        self.0.get_or_insert_with(Box::default)
    }
}

impl From<BasicProperties> for Properties {
    fn from(p: BasicProperties) -> Self {
        Properties::new(p)
    }
}

impl PartialEq for Properties {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl Eq for Properties {}

impl PartialEq<BasicProperties> for Properties {
    fn eq(&self, other: &BasicProperties) -> bool {
        **self == *other
    }
}

impl std::fmt::Debug for Properties {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}
