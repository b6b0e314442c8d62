//! Consumers: a bounded queue of deliveries for one `basic.consume`, read as
//! an iterator (`for delivery in consumer`) or with `recv`, `recv_timeout`
//! and `try_recv`.

use std::sync::mpsc::{RecvTimeoutError, TryRecvError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::proto::{self, ConsumerEnd};
use crate::Error;

use super::delivery::{Acker, Delivery};
use super::sync::{deadline_after, lock, Queue};
use super::Channel;

/// The deliveries of one consumer, in order.
///
/// As an iterator it yields `Ok(delivery)` for each, then, unless the
/// application cancelled the consumer, one `Err` with why it ended (its
/// channel or connection closed: that error; the server cancelled it:
/// [`Error::ConsumerCancelled`]), then ends, as the tokio client's `Stream`
/// does. [`recv`](Consumer::recv) returns `None` once the consumer has
/// ended and its queue is drained; [`end_reason`](Consumer::end_reason)
/// then says why.
///
/// The queue holds at most [`capacity`](Consumer::capacity) deliveries, as
/// the core decided it (never fewer than the channel's prefetch count), so
/// the broker cannot send more than it holds; the connection's delivery
/// buffer bounds the bytes of all consumers together. When either is full
/// the connection's reader stops reading the socket and the broker stops
/// sending.
pub struct Consumer {
    pub(crate) queue: Arc<Queue<proto::Delivery>>,
    /// The channel, shared by every delivery (to acknowledge it).
    pub(crate) acker: Acker,
    /// The iterator has yielded its end.
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
    /// The next delivery, waiting for it; `None` when the consumer has ended.
    pub fn recv(&mut self) -> Option<Delivery> {
        let delivery = self.queue.recv(None).ok()?;
        Some(self.taken(delivery))
    }

    /// The next delivery, waiting at most `timeout`:
    /// [`RecvTimeoutError::Timeout`] if none came,
    /// [`RecvTimeoutError::Disconnected`] once the consumer has ended (and
    /// its queue is drained).
    pub fn recv_timeout(&mut self, timeout: Duration) -> Result<Delivery, RecvTimeoutError> {
        let delivery = self.queue.recv(deadline_after(timeout))?;
        Ok(self.taken(delivery))
    }

    /// A delivery if one is waiting, without waiting:
    /// [`TryRecvError::Empty`] if none is, [`TryRecvError::Disconnected`]
    /// once the consumer has ended (and its queue is drained).
    pub fn try_recv(&mut self) -> Result<Delivery, TryRecvError> {
        let delivery = self.queue.try_recv()?;
        Ok(self.taken(delivery))
    }

    /// The next delivery, or why the consumer ended once its queue is drained.
    pub fn next_delivery(&mut self) -> Result<Delivery, ConsumerEnd> {
        match self.queue.recv(None) {
            Ok(d) => Ok(self.taken(d)),
            // The route sets the reason before it lets the queue end.
            Err(_) => Err(self.end_reason().unwrap_or(ConsumerEnd::Cancelled)),
        }
    }

    /// The error the iterator ends with (`None` for the application's cancel).
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
        shared.released.give(delivery.buffer_cost(), shared);
        if shared.overflow.load(std::sync::atomic::Ordering::SeqCst) {
            // Room came back in a queue whose overflow does not stop the reader.
            let mut inner = shared.lock();
            inner.flush_overflow();
            let left = inner.any_overflow();
            shared
                .overflow
                .store(left, std::sync::atomic::Ordering::SeqCst);
        }
        Delivery::new(delivery, self.acker.clone())
    }

    /// How many deliveries its queue holds at most.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Deliveries waiting in its queue now.
    pub fn len(&self) -> usize {
        self.queue.len()
    }

    /// Whether no delivery waits in its queue now.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
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
        lock(&self.end).clone()
    }

    /// Cancels the consumer (`basic.cancel`, waiting for `cancel-ok`).
    /// Deliveries already queued can still be received.
    pub fn cancel(&self) -> Result<(), Error> {
        self.acker.0.basic_cancel(&self.tag, false)
    }
}

/// `Ok` for each delivery, then, unless the application cancelled the
/// consumer, one `Err` with why it ended, then `None`.
impl Iterator for Consumer {
    type Item = Result<Delivery, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.end_yielded {
            return None;
        }
        match self.queue.recv(None) {
            Ok(d) => Some(Ok(self.taken(d))),
            Err(_) => {
                self.end_yielded = true;
                self.end_error().map(Err)
            }
        }
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
        let cost: usize = self
            .queue
            .close_receiver()
            .iter()
            .map(proto::Delivery::buffer_cost)
            .sum();
        let shared = &self.acker.0.connection().shared;
        shared.released.give(cost, shared);
    }
}
