//! Publisher confirms and returned messages, as the application sees them.

use tokio::sync::{mpsc, oneshot};

use crate::proto::Returned;
use crate::{Confirm, Error};

/// The pending confirmation of one publish, a future:
/// `publish.await` (or [`wait`](PublishConfirm::wait)) resolves when the
/// broker acks or nacks it (a `multiple` ack settles every earlier publish
/// too), with [`Confirm::Returned`] when the broker returned it first, or
/// fails with the close reason when the channel or connection closes
/// first: a publish is never reported confirmed unless the broker
/// confirmed it. Cancel-safe: dropping it loses only the verdict.
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

    /// Waits for the broker's verdict (the same as awaiting it).
    pub async fn wait(self) -> Result<Confirm, Error> {
        self.await
    }
}

impl std::fmt::Debug for PublishConfirm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PublishConfirm")
            .field("sequence", &self.sequence)
            .finish()
    }
}

impl std::future::Future for PublishConfirm {
    type Output = Result<Confirm, Error>;

    fn poll(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        use std::task::Poll;
        let Some(rx) = self.get_mut().rx.as_mut() else {
            return Poll::Ready(Ok(Confirm::NotRequested));
        };
        match std::pin::Pin::new(rx).poll(cx) {
            Poll::Ready(Ok(verdict)) => Poll::Ready(verdict),
            // The core fails every unsettled publish when its channel ends;
            // a sender dropped without a verdict means the driver is gone.
            Poll::Ready(Err(_)) => Poll::Ready(Err(Error::NotOpen(crate::Endpoint::Connection))),
            Poll::Pending => Poll::Pending,
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

/// Returned messages as a stream; it ends once the channel has closed.
impl futures_core::Stream for Returns {
    type Item = Returned;

    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Returned>> {
        self.get_mut().rx.poll_recv(cx)
    }
}
