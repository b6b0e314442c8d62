//! Messages as the application receives them: the core's message and the
//! channel it came on, so that it can be acknowledged where it came from
//! (`delivery.ack(..)`, as the Go tutorial's `msg.Ack(false)`); the blocking
//! twin of the tokio client's.

use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use crate::proto;
use crate::Error;

use super::Channel;
use super::{BasicAckOptions, BasicNackOptions, BasicRejectOptions};

/// Acknowledges messages on the channel they came on. Its deliveries share
/// one (cloning it is one reference count).
#[derive(Clone)]
pub(crate) struct Acker(pub(crate) Arc<Channel>);

impl Acker {
    fn ack(&self, tag: u64, options: BasicAckOptions) -> Result<(), Error> {
        self.0.basic_ack(tag, options.multiple)
    }

    fn nack(&self, tag: u64, options: BasicNackOptions) -> Result<(), Error> {
        self.0.basic_nack(tag, options)
    }

    fn reject(&self, tag: u64, options: BasicRejectOptions) -> Result<(), Error> {
        self.0.basic_reject(tag, options.requeue)
    }
}

/// A message delivered to a consumer: its fields through `Deref`
/// ([`proto::Delivery`]: `body`, `properties`, `delivery_tag`, …), and
/// `ack`, `nack` and `reject`, which go to the channel it came on. After
/// that channel has ended they fail with its close reason and send nothing
/// (a delivery tag means nothing on another channel).
pub struct Delivery {
    message: proto::Delivery,
    acker: Acker,
}

/// The handle part of a message type: its constructor, `ack`, `nack`,
/// `reject`, its channel, and the core's message through `Deref`.
macro_rules! acked_message {
    ($name:ident, $message:ty) => {
        impl $name {
            pub(crate) fn new(message: $message, acker: Acker) -> Self {
                $name { message, acker }
            }

            /// Acknowledges it (`basic.ack`; with `multiple`, every earlier one too).
            pub fn ack(&self, options: BasicAckOptions) -> Result<(), Error> {
                self.acker.ack(self.message.delivery_tag, options)
            }

            /// Rejects it (`basic.nack`), requeued or not.
            pub fn nack(&self, options: BasicNackOptions) -> Result<(), Error> {
                self.acker.nack(self.message.delivery_tag, options)
            }

            /// Rejects it (`basic.reject`), requeued or not.
            pub fn reject(&self, options: BasicRejectOptions) -> Result<(), Error> {
                self.acker.reject(self.message.delivery_tag, options)
            }

            /// The channel it came on.
            pub fn channel(&self) -> &Channel {
                &self.acker.0
            }

            /// The message alone, without the channel.
            pub fn into_message(self) -> $message {
                self.message
            }
        }

        impl Deref for $name {
            type Target = $message;
            fn deref(&self) -> &$message {
                &self.message
            }
        }

        impl DerefMut for $name {
            fn deref_mut(&mut self) -> &mut $message {
                &mut self.message
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.message.fmt(f)
            }
        }
    };
}

acked_message!(Delivery, proto::Delivery);

/// A message fetched with `basic_get`: its fields through `Deref`
/// ([`proto::GetMessage`]), and `ack`, `nack` and `reject` as on a [`Delivery`].
pub struct GetMessage {
    message: proto::GetMessage,
    acker: Acker,
}

acked_message!(GetMessage, proto::GetMessage);
