//! Consumers: a bounded queue of deliveries for one `basic.consume`.

use std::sync::{Arc, Mutex};

use tokio::sync::mpsc;

use crate::proto::Delivery;
use crate::Error;

use super::Channel;

/// Why a consumer's stream ended.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum ConsumerEnd {
    /// The application cancelled it ([`Consumer::cancel`] or `basic_cancel`).
    Cancelled,
    /// The server cancelled it (`basic.cancel` from the server: the queue was
    /// deleted, or a cluster node went away).
    CancelledByServer,
    /// Its channel or connection closed; the error says why.
    Closed(Error),
}

/// The deliveries of one consumer, in order.
///
/// `recv` returns `None` once the consumer has ended and its queue is
/// drained; [`end_reason`](Consumer::end_reason) then says why. The queue is
/// bounded: when the application falls behind, the client stops reading the
/// socket, and the broker stops sending (it never grows without bound).
pub struct Consumer {
    pub(crate) rx: mpsc::Receiver<Delivery>,
    pub(crate) tag: String,
    pub(crate) channel: Channel,
    pub(crate) end: Arc<Mutex<Option<ConsumerEnd>>>,
}

impl std::fmt::Debug for Consumer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Consumer")
            .field("tag", &self.tag)
            .field("channel", &self.channel.id())
            .finish()
    }
}

impl Consumer {
    /// The next delivery, or `None` when the consumer has ended.
    pub async fn recv(&mut self) -> Option<Delivery> {
        self.rx.recv().await
    }

    /// The consumer tag.
    pub fn tag(&self) -> &str {
        &self.tag
    }

    /// The channel it consumes on (to acknowledge deliveries).
    pub fn channel(&self) -> &Channel {
        &self.channel
    }

    /// Why it ended, once it has.
    pub fn end_reason(&self) -> Option<ConsumerEnd> {
        self.end.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Cancels the consumer (`basic.cancel`, waiting for `cancel-ok`).
    /// Deliveries already queued can still be received.
    pub async fn cancel(&self) -> Result<(), Error> {
        self.channel.basic_cancel(&self.tag, false).await
    }
}

/// Dropping a consumer that has not ended cancels it (`basic.cancel` with
/// no-wait), so that the broker stops sending to a queue nobody reads;
/// messages it delivered and nobody acknowledged go back to the queue when
/// the channel closes.
impl Drop for Consumer {
    fn drop(&mut self) {
        if self.end_reason().is_none() {
            self.channel.cancel_on_drop(&self.tag);
        }
    }
}
