//! Publisher confirms and returned messages, as the application sees them.

use std::sync::mpsc::{RecvTimeoutError, TryRecvError};
use std::sync::Arc;
use std::time::Duration;

use crate::proto::Returned;
use crate::Error;

use super::shared::ConfirmSlot;
use super::sync::{deadline_after, Queue};
use super::Confirm;

/// The pending confirmation of one publish: [`wait`](PublishConfirm::wait)
/// blocks until the broker acks or nacks it (a `multiple` ack settles every
/// earlier publish too), with [`Confirm::Returned`] when the broker
/// returned it first, or fails with the close reason when the channel or
/// connection closes first: a publish is never reported confirmed unless
/// the broker confirmed it. Dropping it loses only the verdict.
pub struct PublishConfirm {
    pub(crate) sequence: Option<u64>,
    pub(crate) slot: Option<ConfirmSlot>,
}

impl PublishConfirm {
    pub(crate) fn not_requested() -> Self {
        PublishConfirm {
            sequence: None,
            slot: None,
        }
    }

    /// The publish's sequence number on its channel (confirm mode only).
    pub fn sequence(&self) -> Option<u64> {
        self.sequence
    }

    /// Waits for the broker's verdict.
    pub fn wait(self) -> Result<Confirm, Error> {
        match &self.slot {
            None => Ok(Confirm::NotRequested),
            // The core settles or fails every publish; a slot is always set
            // before the connection's end is reported.
            Some(slot) => slot
                .take(None)
                .unwrap_or(Err(Error::NotOpen(crate::Endpoint::Connection))),
        }
    }

    /// Waits at most `timeout` for the broker's verdict: `None` if it has
    /// not come yet (wait again later; the confirm is not lost).
    pub fn wait_timeout(&mut self, timeout: Duration) -> Option<Result<Confirm, Error>> {
        let Some(slot) = &self.slot else {
            return Some(Ok(Confirm::NotRequested));
        };
        let verdict = slot.take(deadline_after(timeout))?;
        // Taken: later calls say so instead of waiting for nothing.
        self.slot = None;
        Some(verdict)
    }

    /// Whether the verdict has come (`wait` then returns at once).
    pub fn is_settled(&self) -> bool {
        self.slot.as_ref().is_none_or(|s| s.is_set())
    }
}

impl std::fmt::Debug for PublishConfirm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PublishConfirm")
            .field("sequence", &self.sequence)
            .finish()
    }
}

/// Messages the broker returned on a channel (`basic.return`: a mandatory
/// message no queue took). On a confirm channel a return arrives before the
/// ack of its publish, as RabbitMQ orders them. An iterator that ends once
/// the channel has closed.
pub struct Returns {
    pub(crate) queue: Arc<Queue<Returned>>,
}

impl std::fmt::Debug for Returns {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Returns")
            .field("waiting", &self.queue.len())
            .finish()
    }
}

impl Returns {
    /// The next returned message, waiting for it; `None` once the channel has closed.
    pub fn recv(&mut self) -> Option<Returned> {
        self.queue.recv(None).ok()
    }

    /// The next returned message, waiting at most `timeout`.
    pub fn recv_timeout(&mut self, timeout: Duration) -> Result<Returned, RecvTimeoutError> {
        self.queue.recv(deadline_after(timeout))
    }

    /// A returned message if one is waiting, without waiting.
    pub fn try_recv(&mut self) -> Option<Returned> {
        self.queue.try_recv().ok()
    }

    /// A returned message if one is waiting, or whether the channel has closed.
    pub fn try_next(&mut self) -> Result<Returned, TryRecvError> {
        self.queue.try_recv()
    }
}

/// Returned messages; ends once the channel has closed.
impl Iterator for Returns {
    type Item = Returned;

    fn next(&mut self) -> Option<Returned> {
        self.recv()
    }
}
