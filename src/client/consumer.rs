//! Consumers: a bounded queue of deliveries for one `basic.consume`.

use std::sync::{Arc, Mutex};

use crate::proto::{self, ConsumerEnd};

use super::delivery::{Acker, Delivery};
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
    pub(crate) rx: super::queue::QueueRx,
    /// The channel, shared by every delivery (to acknowledge it).
    pub(crate) acker: Acker,
    /// The stream has yielded its end (see the `Stream` impl).
    pub(crate) end_yielded: bool,
    pub(crate) tag: String,
    pub(crate) capacity: usize,
    pub(crate) end: Arc<Mutex<Option<ConsumerEnd>>>,
}

impl std::fmt::Debug for Consumer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Consumer")
            .field("tag", &self.tag)
            .field("channel", &self.acker.0.id())
            .finish()
    }
}

impl Consumer {
    /// The next delivery, or `None` when the consumer has ended.
    /// Cancel-safe: a `recv` cut off (by `select!` or a timeout) takes nothing.
    pub async fn recv(&mut self) -> Option<Delivery> {
        let delivery = self.rx.recv().await?;
        Some(self.taken(delivery))
    }

    /// The next delivery, or why the consumer ended once its queue is drained.
    pub async fn next_delivery(&mut self) -> Result<Delivery, ConsumerEnd> {
        match self.rx.recv().await {
            Some(d) => Ok(self.taken(d)),
            // The route sets the reason before it lets the queue end.
            None => Err(self.end_reason().unwrap_or(ConsumerEnd::Cancelled)),
        }
    }

    /// The error a stream ends with (`None` for the application's cancel).
    fn end_error(&self) -> Option<Error> {
        match self.end_reason()? {
            ConsumerEnd::Cancelled => None,
            ConsumerEnd::CancelledByServer => Some(Error::ConsumerCancelled {
                channel: self.acker.0.id(),
                consumer_tag: self.tag.clone(),
            }),
            ConsumerEnd::Closed(e) => Some(e),
            #[allow(unreachable_patterns)] // `ConsumerEnd` is non-exhaustive
            _ => None,
        }
    }

    /// A delivery leaves the connection's buffer for the application.
    fn taken(&self, delivery: proto::Delivery) -> Delivery {
        let shared = &self.acker.0.connection().shared;
        shared
            .released
            .give(delivery.buffer_cost(), &shared.reader_wake);
        Delivery::new(delivery, self.acker.clone())
    }

    /// How many deliveries its queue holds at most.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Deliveries waiting in its queue now.
    pub fn len(&self) -> usize {
        self.rx.len()
    }

    /// Waits until its queue holds `n` deliveries (at most its capacity),
    /// or the consumer has ended, taking none (feature `testing`): for tests
    /// that need the queue full while the application reads nothing.
    #[cfg(feature = "testing")]
    pub async fn wait_queued(&mut self, n: usize) {
        std::future::poll_fn(|cx| self.rx.poll_holds(n, cx)).await
    }

    /// Whether no delivery waits in its queue now.
    pub fn is_empty(&self) -> bool {
        self.rx.len() == 0
    }

    /// The consumer tag.
    pub fn tag(&self) -> &str {
        &self.tag
    }

    /// The channel it consumes on (to acknowledge deliveries).
    pub fn channel(&self) -> &Channel {
        &self.acker.0
    }

    /// Why it ended, once it has.
    pub fn end_reason(&self) -> Option<ConsumerEnd> {
        super::shared::lock(&self.end).clone()
    }

    /// Cancels the consumer (`basic.cancel`, waiting for `cancel-ok`).
    /// Deliveries already queued can still be received.
    pub async fn cancel(&self) -> Result<(), Error> {
        self.acker.0.basic_cancel(&self.tag, false).await
    }
}

/// Dropping a consumer that has not ended cancels it (`basic.cancel` with
/// no-wait), so that the broker stops sending to a queue nobody reads;
/// messages it delivered and nobody acknowledged go back to the queue when
/// the channel closes.
impl Drop for Consumer {
    fn drop(&mut self) {
        if self.end_reason().is_none() {
            self.acker.0.cancel_on_drop(&self.tag);
        }
        // What it holds goes back to the connection's delivery buffer.
        self.rx.close();
        let mut cost = 0;
        while let Some(d) = self.rx.try_recv() {
            cost += d.buffer_cost();
        }
        let shared = &self.acker.0.connection().shared;
        shared.released.give(cost, &shared.reader_wake);
    }
}

/// The deliveries as a stream: `Ok` for each, then, unless the application
/// cancelled the consumer, one `Err` with why it ended (its channel or
/// connection closed: that error; the server cancelled it:
/// [`Error::ConsumerCancelled`]), then the end. Cancel-safe, as `recv`.
impl futures_core::Stream for Consumer {
    type Item = Result<Delivery, Error>;

    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        use std::task::Poll;
        let this = self.get_mut();
        if this.end_yielded {
            return Poll::Ready(None);
        }
        match this.rx.poll_recv(cx) {
            Poll::Ready(Some(d)) => Poll::Ready(Some(Ok(this.taken(d)))),
            Poll::Ready(None) => {
                this.end_yielded = true;
                Poll::Ready(this.end_error().map(Err))
            }
            Poll::Pending => Poll::Pending,
        }
    }
}
