//! Channels: every method of the exchange, queue, basic, confirm and tx
//! classes, with options structs instead of positional flags.

use std::sync::{Arc, Mutex};

use crate::codec::method::*;
use crate::codec::{FieldTable, Method, ReplyCode, ShortStr};
use crate::methods;
use crate::options::*;
use crate::proto::Reply;
use crate::{Endpoint, Error};

use super::shared::{ChannelState, Route};
use super::{Connection, Consumer};

/// A channel. Cheap to clone; clones are the same channel and may be used
/// from many tasks. A channel exception (404, 406, …) closes it; every
/// later call returns that error, and other channels go on. Dropping the
/// last clone closes the channel.
#[derive(Clone)]
pub struct Channel {
    pub(super) conn: Connection,
    pub(super) id: u16,
    state: Arc<ChannelState>,
}

/// Dropping the last handle of an open channel closes it (`channel.close`
/// 200, without waiting for close-ok), so that channels opened per task do
/// not pile up on the connection. A consumer keeps its channel's handle.
impl Drop for Channel {
    fn drop(&mut self) {
        // This handle and the driver's entry: nobody else holds the channel.
        if Arc::strong_count(&self.state) > 2 || self.close_reason().is_some() {
            return;
        }
        let mut inner = self.conn.shared.lock();
        let ours = inner
            .channels
            .get(&self.id)
            .is_some_and(|state| Arc::ptr_eq(state, &self.state));
        if !ours || !inner.core.channel_is_open(self.id) {
            return;
        }
        let closed = inner.core.close_channel(
            self.id,
            ReplyCode::REPLY_SUCCESS,
            "channel handle dropped",
            super::driver::now(),
        );
        drop(inner);
        if closed.is_ok() {
            self.conn.shared.kick();
        }
    }
}

impl std::fmt::Debug for Channel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Channel").field("id", &self.id).finish()
    }
}

impl Channel {
    pub(crate) fn new(conn: Connection, id: u16, state: Arc<ChannelState>) -> Self {
        Channel { conn, id, state }
    }

    /// The channel number.
    pub fn id(&self) -> u16 {
        self.id
    }

    /// The connection it belongs to.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// Why the channel closed, if it has.
    pub fn close_reason(&self) -> Option<Error> {
        self.state.closed.borrow().clone()
    }

    /// Waits until the channel ends, and says why: a channel exception
    /// (for example a 404 for a publish to a missing exchange, which
    /// `basic_publish` cannot report: it does not wait for the broker), a
    /// close, or the connection's end.
    pub async fn closed(&self) -> Error {
        // The handle holds the state, so its sender outlives this wait.
        let mut rx = self.state.closed.subscribe();
        let closed = rx
            .wait_for(Option::is_some)
            .await
            .ok()
            .and_then(|c| c.clone());
        closed.unwrap_or(Error::NotOpen(Endpoint::Channel(self.id)))
    }

    /// Whether the channel is open.
    pub fn is_open(&self) -> bool {
        self.close_reason().is_none() && self.conn.shared.lock().core.channel_is_open(self.id)
    }

    pub(super) fn usable(&self, inner: &super::shared::Inner) -> Result<(), Error> {
        if let Some(e) = self.close_reason() {
            return Err(e);
        }
        if let Some(e) = inner.closed_error() {
            return Err(e);
        }
        Ok(())
    }

    /// Sends `method`; waits for its reply when it has one.
    async fn call(&self, method: Method) -> Result<Option<Reply>, Error> {
        tracing::debug!(channel = self.id, method = %method.name(), "request");
        let rx = {
            let mut inner = self.conn.shared.lock();
            self.usable(&inner)?;
            inner
                .core
                .request(self.id, method, super::driver::now())?
                .map(|request| inner.wait_for(request))
        };
        self.conn.shared.kick();
        match rx {
            Some(rx) => self.conn.wait(rx).await.map(Some),
            None => Ok(None),
        }
    }

    async fn call_method(&self, method: Method) -> Result<Option<Method>, Error> {
        match self.call(method).await? {
            Some(Reply::Method(m)) => Ok(Some(m)),
            Some(Reply::Get(_)) => Err(Error::InvalidArgument("unexpected get-ok".into())),
            None => Ok(None),
        }
    }

    // ----- exchange -----

    /// Declares an exchange of `kind` (`direct`, `fanout`, `topic`, `headers`, or a plugin's type).
    pub async fn exchange_declare(
        &self,
        name: &str,
        kind: &str,
        options: ExchangeDeclareOptions,
        arguments: FieldTable,
    ) -> Result<(), Error> {
        self.call(methods::exchange_declare(name, kind, options, arguments)?)
            .await
            .map(|_| ())
    }

    /// Deletes an exchange.
    pub async fn exchange_delete(
        &self,
        name: &str,
        options: ExchangeDeleteOptions,
    ) -> Result<(), Error> {
        self.call(methods::exchange_delete(name, options)?)
            .await
            .map(|_| ())
    }

    /// Binds exchange `destination` to `source` (a RabbitMQ extension).
    pub async fn exchange_bind(
        &self,
        destination: &str,
        source: &str,
        routing_key: &str,
        options: NoWait,
        arguments: FieldTable,
    ) -> Result<(), Error> {
        let m =
            methods::exchange_binding(true, destination, source, routing_key, options, arguments)?;
        self.call(m).await.map(|_| ())
    }

    /// Removes an exchange-to-exchange binding.
    pub async fn exchange_unbind(
        &self,
        destination: &str,
        source: &str,
        routing_key: &str,
        options: NoWait,
        arguments: FieldTable,
    ) -> Result<(), Error> {
        let m =
            methods::exchange_binding(false, destination, source, routing_key, options, arguments)?;
        self.call(m).await.map(|_| ())
    }

    // ----- queue -----

    /// Declares a queue; an empty name asks the server to choose one.
    pub async fn queue_declare(
        &self,
        name: &str,
        options: QueueDeclareOptions,
        arguments: FieldTable,
    ) -> Result<QueueInfo, Error> {
        let reply = self
            .call_method(methods::queue_declare(name, options, arguments)?)
            .await?;
        Ok(methods::queue_info(reply, name))
    }

    /// Binds a queue to an exchange.
    pub async fn queue_bind(
        &self,
        queue: &str,
        exchange: &str,
        routing_key: &str,
        options: NoWait,
        arguments: FieldTable,
    ) -> Result<(), Error> {
        let m = methods::queue_bind(queue, exchange, routing_key, options, arguments)?;
        self.call(m).await.map(|_| ())
    }

    /// Removes a queue binding.
    pub async fn queue_unbind(
        &self,
        queue: &str,
        exchange: &str,
        routing_key: &str,
        arguments: FieldTable,
    ) -> Result<(), Error> {
        let m = methods::queue_unbind(queue, exchange, routing_key, arguments)?;
        self.call(m).await.map(|_| ())
    }

    /// Removes every ready message from a queue; returns how many (0 with `no_wait`).
    pub async fn queue_purge(&self, queue: &str, options: NoWait) -> Result<u32, Error> {
        let reply = self
            .call_method(methods::queue_purge(queue, options)?)
            .await?;
        Ok(methods::message_count(reply))
    }

    /// Deletes a queue; returns how many messages it held (0 with `no_wait`).
    pub async fn queue_delete(
        &self,
        queue: &str,
        options: QueueDeleteOptions,
    ) -> Result<u32, Error> {
        let reply = self
            .call_method(methods::queue_delete(queue, options)?)
            .await?;
        Ok(methods::message_count(reply))
    }

    // ----- basic -----

    /// Limits unacknowledged deliveries (`prefetch_count`, 0 = no limit).
    pub async fn basic_qos(
        &self,
        prefetch_count: u16,
        options: BasicQosOptions,
    ) -> Result<(), Error> {
        self.call(methods::basic_qos(prefetch_count, options))
            .await
            .map(|_| ())
    }

    /// Fetches one message, or `None` when the queue is empty.
    pub async fn basic_get(
        &self,
        queue: &str,
        options: BasicGetOptions,
    ) -> Result<Option<super::GetMessage>, Error> {
        let reply = self.call(methods::basic_get(queue, options)?).await?;
        Ok(match reply {
            Some(Reply::Get(msg)) => {
                let acker = super::delivery::Acker(Arc::new(self.clone()));
                Some(super::GetMessage::new(msg, acker))
            }
            _ => None,
        })
    }

    /// Starts a consumer. Its deliveries arrive through the returned
    /// [`Consumer`], whose queue holds at most `options.capacity` of them.
    pub async fn basic_consume(
        &self,
        queue: &str,
        options: BasicConsumeOptions,
        arguments: FieldTable,
    ) -> Result<Consumer, Error> {
        let method = methods::basic_consume(queue, &options, arguments)?;
        let end = Arc::new(Mutex::new(None));
        let shared = &self.conn.shared;
        let (started, rx, request) = {
            let mut inner = shared.lock();
            self.usable(&inner)?;
            let started =
                inner
                    .core
                    .consume(self.id, method, options.capacity, super::driver::now())?;
            let (tx, rx) = super::queue::queue(started.capacity);
            // Routed before the request goes out: deliveries may follow consume-ok at once.
            let route = Route::new(
                tx,
                end.clone(),
                shared.released.clone(),
                started.pauses_reading,
            );
            inner
                .routes
                .entry(self.id)
                .or_default()
                .insert(started.consumer_tag.clone(), route);
            let request = started.request.map(|id| (id, inner.wait_for(id)));
            (started, rx, request)
        };
        shared.kick();
        if let Some((id, request)) = request {
            let guard = super::shared::AbandonOnDrop::new(shared, id);
            let started = self.conn.wait(request).await;
            guard.disarm();
            // On failure the core has ended the consumer (its channel closed).
            started?;
        }
        Ok(Consumer {
            rx,
            tag: started.consumer_tag.to_string(),
            capacity: started.capacity,
            acker: super::delivery::Acker(Arc::new(self.clone())),
            end_yielded: false,
            end,
        })
    }

    /// A dropped consumer: cancel it without waiting (see `Consumer`'s `Drop`).
    pub(crate) fn cancel_on_drop(&self, consumer_tag: &str) {
        let Ok(tag) = ShortStr::copy_from_str(consumer_tag) else {
            return;
        };
        let mut inner = self.conn.shared.lock();
        let route = inner
            .routes
            .get_mut(&self.id)
            .and_then(|routes| routes.remove(consumer_tag.as_bytes()));
        let Some(route) = route else { return };
        drop(route);
        if self.usable(&inner).is_ok() && inner.core.has_consumer(self.id, consumer_tag) {
            let cancel = BasicCancel {
                consumer_tag: tag,
                no_wait: true,
            };
            let _ = inner
                .core
                .request(self.id, cancel.into(), super::driver::now());
            drop(inner);
            self.conn.shared.kick();
        }
    }

    /// Cancels a consumer; its stream ends after the deliveries already queued.
    pub async fn basic_cancel(&self, consumer_tag: &str, no_wait: bool) -> Result<(), Error> {
        self.call(methods::basic_cancel(consumer_tag, no_wait)?)
            .await
            .map(|_| ())
    }

    /// Acknowledges a delivery (or all up to it, with `multiple`).
    pub async fn basic_ack(&self, delivery_tag: u64, multiple: bool) -> Result<(), Error> {
        self.call(methods::basic_ack(delivery_tag, multiple))
            .await
            .map(|_| ())
    }

    /// Rejects a delivery (or all up to it), requeued or not.
    pub async fn basic_nack(
        &self,
        delivery_tag: u64,
        options: BasicNackOptions,
    ) -> Result<(), Error> {
        self.call(methods::basic_nack(delivery_tag, options))
            .await
            .map(|_| ())
    }

    /// Rejects one delivery, requeued or not.
    pub async fn basic_reject(&self, delivery_tag: u64, requeue: bool) -> Result<(), Error> {
        self.call(methods::basic_reject(delivery_tag, requeue))
            .await
            .map(|_| ())
    }

    /// Redelivers every unacknowledged message of the channel (`requeue`:
    /// possibly to another consumer).
    pub async fn basic_recover(&self, requeue: bool) -> Result<(), Error> {
        self.call(BasicRecover { requeue }.into()).await.map(|_| ())
    }

    // ----- confirm and tx -----

    /// Puts the channel in confirm mode (RabbitMQ extension).
    pub async fn confirm_select(&self, options: NoWait) -> Result<(), Error> {
        self.call(methods::confirm_select(options))
            .await
            .map(|_| ())
    }

    /// Makes the channel transactional.
    pub async fn tx_select(&self) -> Result<(), Error> {
        self.call(TxSelect {}.into()).await.map(|_| ())
    }

    /// Commits the current transaction.
    pub async fn tx_commit(&self) -> Result<(), Error> {
        self.call(TxCommit {}.into()).await.map(|_| ())
    }

    /// Abandons the current transaction.
    pub async fn tx_rollback(&self) -> Result<(), Error> {
        self.call(TxRollback {}.into()).await.map(|_| ())
    }

    // ----- close -----

    /// Closes the channel normally (200), waiting for `close-ok`.
    pub async fn close(&self) -> Result<(), Error> {
        let text = "closed by the application";
        let rx = {
            let mut inner = self.conn.shared.lock();
            self.usable(&inner)?;
            let request = inner.core.close_channel(
                self.id,
                ReplyCode::REPLY_SUCCESS,
                text,
                super::driver::now(),
            )?;
            inner.wait_for(request)
        };
        self.conn.shared.kick();
        // The driver marks the channel closed when the core reports it.
        self.conn.wait(rx).await.map(|_| ())
    }
}
