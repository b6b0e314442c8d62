//! Consumers: a bounded queue of deliveries for one `basic.consume`.

use std::sync::{Arc, Mutex};

use tokio::sync::mpsc;

use crate::proto::{ConsumerEnd, Delivery};
use crate::Error;

use super::Channel;

/// The deliveries of one consumer, in order.
///
/// `recv` returns `None` once the consumer has ended and its queue is
/// drained; [`end_reason`](Consumer::end_reason) then says why. The queue
/// holds at most [`capacity`](Consumer::capacity) deliveries, never fewer
/// than the channel's prefetch count (see
/// [`BasicConsumeOptions::capacity`](crate::BasicConsumeOptions::capacity)),
/// so the broker cannot send more than it holds; the connection's delivery
/// buffer bounds the bytes of all consumers together. When either is full
/// the client stops reading the socket and the broker stops sending.
pub struct Consumer {
    pub(crate) rx: mpsc::Receiver<Delivery>,
    pub(crate) tag: String,
    pub(crate) capacity: usize,
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
        let delivery = self.rx.recv().await?;
        let shared = &self.channel.connection().shared;
        shared
            .released
            .give(delivery.buffer_cost(), &shared.reader_wake);
        Some(delivery)
    }

    /// How many deliveries its queue holds at most.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Deliveries waiting in its queue now.
    pub fn len(&self) -> usize {
        self.rx.len()
    }

    /// Whether no delivery waits in its queue now.
    pub fn is_empty(&self) -> bool {
        self.rx.is_empty()
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
        super::shared::lock(&self.end).clone()
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
        // What it holds goes back to the connection's delivery buffer.
        self.rx.close();
        let mut cost = 0;
        while let Ok(d) = self.rx.try_recv() {
            cost += d.buffer_cost();
        }
        let shared = &self.channel.connection().shared;
        shared.released.give(cost, &shared.reader_wake);
    }
}
