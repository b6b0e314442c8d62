//! Publisher confirms and returned messages, as the application sees them.

use tokio::sync::{mpsc, oneshot};

use crate::proto::Returned;
use crate::Error;

/// How the broker settled a publish.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirm {
    /// `basic.ack`: the broker took responsibility for the message.
    Ack,
    /// `basic.nack`: the broker could not take it (the publisher should retry).
    Nack,
    /// The channel is not in confirm mode: there is nothing to wait for.
    NotRequested,
}

/// The pending confirmation of one publish. [`wait`](PublishConfirm::wait)
/// resolves when the broker acks or nacks it (a `multiple` ack settles every
/// earlier publish too), or fails with the close reason when the channel or
/// connection closes first: a publish is never reported confirmed unless the
/// broker confirmed it.
#[derive(Debug)]
pub struct PublishConfirm {
    pub(crate) sequence: Option<u64>,
    pub(crate) rx: Option<oneshot::Receiver<Result<Confirm, Error>>>,
}

impl PublishConfirm {
    pub(crate) fn not_requested() -> Self {
        PublishConfirm {
            sequence: None,
            rx: None,
        }
    }

    /// The publish's sequence number on its channel (confirm mode only).
    pub fn sequence(&self) -> Option<u64> {
        self.sequence
    }

    /// Waits for the broker's verdict.
    pub async fn wait(self) -> Result<Confirm, Error> {
        match self.rx {
            None => Ok(Confirm::NotRequested),
            // The core fails every unsettled publish when its channel ends;
            // a sender dropped without a verdict means the driver is gone.
            Some(rx) => rx
                .await
                .unwrap_or(Err(Error::NotOpen(crate::Endpoint::Connection))),
        }
    }
}

/// Messages the broker returned on a channel (`basic.return`: a mandatory
/// message no queue took). On a confirm channel a return arrives before the
/// ack of its publish, as RabbitMQ orders them.
#[derive(Debug)]
pub struct Returns {
    pub(crate) rx: mpsc::Receiver<Returned>,
}

impl Returns {
    /// The next returned message; `None` once the channel has closed.
    pub async fn recv(&mut self) -> Option<Returned> {
        self.rx.recv().await
    }

    /// A returned message if one is waiting, without waiting.
    pub fn try_recv(&mut self) -> Option<Returned> {
        self.rx.try_recv().ok()
    }
}
