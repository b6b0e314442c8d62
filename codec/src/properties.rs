//! What the generated [`BasicProperties`] cannot say by itself: the names
//! of the delivery modes.
//!
//! ```
//! use amqp091_codec::BasicProperties;
//!
//! let props = BasicProperties::default()
//!     .persistent()
//!     .with_reply_to("amq.rabbitmq.reply-to".into());
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
