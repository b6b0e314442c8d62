//! Publishing on a channel: `basic.publish` (with back-pressure, flow and
//! confirms) and the collector of returned messages.

use bytes::Bytes;
use tokio::sync::{mpsc, oneshot};

use crate::codec::BasicProperties;
use crate::options::BasicPublishOptions;
use crate::Error;

use super::confirm::{PublishConfirm, Returns};
use super::shared::RETURNS_CAPACITY;
use super::Channel;

impl Channel {
    /// Publishes a message.
    ///
    /// Waits only while the connection's write buffer is over its high-water
    /// mark (back-pressure), while the server has paused the channel
    /// (`channel.flow`), and, if the connection was configured so, while the
    /// server blocks the connection (`connection.blocked`); never for the
    /// broker's answer. On a channel in confirm mode
    /// ([`confirm_select`](Self::confirm_select)) the returned
    /// [`PublishConfirm`] resolves with the broker's ack or nack.
    ///
    /// Cancel-safe: cut off while it waits (back-pressure, flow), it has
    /// published nothing; once it returns, the message is on its way.
    ///
    /// The body is anything that turns into a [`Body`](crate::proto::Body):
    /// `&[u8]`, `&str`, `&Vec<u8>` (copied into the output), or `Bytes` /
    /// `Vec<u8>`, whose bodies of 16 KiB or more are written from their own
    /// buffer without a copy.
    pub async fn basic_publish<'a>(
        &self,
        exchange: &str,
        routing_key: &str,
        options: BasicPublishOptions,
        properties: &BasicProperties,
        body: impl Into<crate::proto::Body<'a>>,
    ) -> Result<PublishConfirm, Error> {
        let body = body.into();
        let shared = &self.conn.shared;
        loop {
            // The fast path takes no wake-up registration: a publish that
            // may go registers nothing (two registrations and their removal
            // per message were a tenth of the publish path's CPU, issue 16).
            if let Some(confirm) =
                self.publish_if_ready(exchange, routing_key, options, properties, &body)?
            {
                shared.publish_written();
                return Ok(confirm);
            }
            // Paused (flow, blocked) or over the high-water mark: register
            // for the changes, then look again (a change between the two
            // looks is not lost), then wait.
            let drained = shared.drained.notified();
            let flow = shared.flow_changed.notified();
            tokio::pin!(drained);
            tokio::pin!(flow);
            drained.as_mut().enable();
            flow.as_mut().enable();
            {
                let inner = shared.lock();
                self.usable(&inner)?;
                if inner.core.publish_ready(self.id) {
                    continue;
                }
            }
            // Paused (flow, blocked) or over the high-water mark: wait for a change.
            shared.write_ready.notify_one();
            tokio::select! {
                _ = drained => {}
                _ = flow => {}
            }
        }
    }

    /// Publishes when the channel and the connection let it (no flow stop,
    /// no block, under the high-water mark): its confirm, or `None` to wait.
    fn publish_if_ready(
        &self,
        exchange: &str,
        routing_key: &str,
        options: BasicPublishOptions,
        properties: &BasicProperties,
        body: &crate::proto::Body<'_>,
    ) -> Result<Option<PublishConfirm>, Error> {
        let mut inner = self.conn.shared.lock();
        self.usable(&inner)?;
        if !inner.core.publish_ready(self.id) {
            return Ok(None);
        }
        let seq = inner.core.publish_str(
            self.id,
            exchange,
            routing_key,
            options.mandatory,
            options.immediate,
            properties,
            body.clone(),
        )?;
        Ok(Some(match seq {
            Some(seq) => {
                let (tx, rx) = oneshot::channel();
                inner.confirms.entry(self.id).or_default().insert(seq, tx);
                PublishConfirm {
                    sequence: Some(seq),
                    rx: Some(rx),
                }
            }
            None => PublishConfirm::not_requested(),
        }))
    }

    /// Starts collecting the messages the broker returns on this channel
    /// (`basic.return`), replacing an earlier collector. Without one,
    /// returned messages are dropped (and logged at debug level). At most
    /// 1024 wait unread; more are dropped with a warning.
    pub fn returns(&self) -> Result<Returns, Error> {
        let (tx, rx) = mpsc::channel(RETURNS_CAPACITY);
        let mut inner = self.conn.shared.lock();
        self.usable(&inner)?;
        inner.returns.insert(self.id, tx);
        Ok(Returns { rx })
    }

    /// [`basic_publish`](Self::basic_publish) with the body as `Bytes`:
    /// written without a copy when it is 16 KiB or more.
    pub async fn basic_publish_bytes(
        &self,
        exchange: &str,
        routing_key: &str,
        options: BasicPublishOptions,
        properties: &BasicProperties,
        body: Bytes,
    ) -> Result<PublishConfirm, Error> {
        self.basic_publish(exchange, routing_key, options, properties, body)
            .await
    }
}
