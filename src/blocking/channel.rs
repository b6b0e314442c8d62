//! Channels: every method of the exchange, queue, basic, confirm and tx
//! classes, with the tokio client's options structs; each call blocks its
//! thread until the broker answers (or the core fails it).

use std::sync::{Arc, Mutex};

use bytes::Bytes;

use crate::codec::method::*;
use crate::codec::{BasicProperties, FieldTable, Method, ReplyCode, ShortStr};
use crate::methods;
use crate::proto::Reply;
use crate::Error;

use super::confirm::{PublishConfirm, Returns};
use super::shared::{now, ChannelState, Route, RETURNS_CAPACITY};
use super::sync::{wait, Queue, Slot};
use super::QueueInfo;
use super::{
    BasicConsumeOptions, BasicGetOptions, BasicNackOptions, BasicPublishOptions, BasicQosOptions,
    ExchangeDeclareOptions, ExchangeDeleteOptions, NoWait, QueueDeclareOptions, QueueDeleteOptions,
};
use super::{Connection, Consumer};

/// A channel. Cheap to clone; clones are the same channel and may be used
/// from many threads (`Channel` is `Send + Sync`). A channel exception (404, 406, …) closes it; every
/// later call returns that error, and other channels go on. Dropping the
/// last clone closes the channel.
#[derive(Clone)]
pub struct Channel {
    conn: Connection,
    id: u16,
    state: Arc<ChannelState>,
}

/// Dropping the last handle of an open channel closes it (`channel.close`
/// 200, without waiting for close-ok), so that channels opened per task do
/// not pile up on the connection. A consumer keeps its channel's handle.
impl Drop for Channel {
    fn drop(&mut self) {
        // This handle and the connection's entry: nobody else holds the channel.
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
            now(),
        );
        if closed.is_ok() {
            self.conn.shared.kick(&mut inner);
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
        self.state.close_reason()
    }

    /// Waits until the channel ends, and says why: a channel exception
    /// (for example a 404 for a publish to a missing exchange, which
    /// `basic_publish` cannot report: it does not wait for the broker), a
    /// close, or the connection's end.
    pub fn closed(&self) -> Error {
        self.state.wait_closed()
    }

    /// Whether the channel is open.
    pub fn is_open(&self) -> bool {
        self.close_reason().is_none() && self.conn.shared.lock().core.channel_is_open(self.id)
    }

    fn usable(&self, inner: &super::shared::Inner) -> Result<(), Error> {
        if let Some(e) = self.close_reason() {
            return Err(e);
        }
        if let Some(e) = inner.closed_error() {
            return Err(e);
        }
        Ok(())
    }

    /// Sends `method`; waits for its reply when it has one.
    fn call(&self, method: Method) -> Result<Option<Reply>, Error> {
        tracing::debug!(channel = self.id, method = %method.name(), "request");
        let slot = {
            let mut inner = self.conn.shared.lock();
            self.usable(&inner)?;
            let slot = inner
                .core
                .request(self.id, method, now())?
                .map(|request| inner.wait_for(request));
            self.conn.shared.kick(&mut inner);
            slot
        };
        match slot {
            Some(slot) => self.conn.wait(&slot).map(Some),
            None => Ok(None),
        }
    }

    fn call_method(&self, method: Method) -> Result<Option<Method>, Error> {
        match self.call(method)? {
            Some(Reply::Method(m)) => Ok(Some(m)),
            Some(Reply::Get(_)) => Err(Error::InvalidArgument("unexpected get-ok".into())),
            None => Ok(None),
        }
    }

    // ----- exchange -----

    /// Declares an exchange of `kind` (`direct`, `fanout`, `topic`, `headers`, or a plugin's type).
    pub fn exchange_declare(
        &self,
        name: &str,
        kind: &str,
        options: ExchangeDeclareOptions,
        arguments: FieldTable,
    ) -> Result<(), Error> {
        self.call(methods::exchange_declare(name, kind, options, arguments)?)
            .map(|_| ())
    }

    /// Deletes an exchange.
    pub fn exchange_delete(&self, name: &str, options: ExchangeDeleteOptions) -> Result<(), Error> {
        self.call(methods::exchange_delete(name, options)?)
            .map(|_| ())
    }

    /// Binds exchange `destination` to `source` (a RabbitMQ extension).
    pub fn exchange_bind(
        &self,
        destination: &str,
        source: &str,
        routing_key: &str,
        options: NoWait,
        arguments: FieldTable,
    ) -> Result<(), Error> {
        let m =
            methods::exchange_binding(true, destination, source, routing_key, options, arguments)?;
        self.call(m).map(|_| ())
    }

    /// Removes an exchange-to-exchange binding.
    pub fn exchange_unbind(
        &self,
        destination: &str,
        source: &str,
        routing_key: &str,
        options: NoWait,
        arguments: FieldTable,
    ) -> Result<(), Error> {
        let m =
            methods::exchange_binding(false, destination, source, routing_key, options, arguments)?;
        self.call(m).map(|_| ())
    }

    // ----- queue -----

    /// Declares a queue; an empty name asks the server to choose one.
    pub fn queue_declare(
        &self,
        name: &str,
        options: QueueDeclareOptions,
        arguments: FieldTable,
    ) -> Result<QueueInfo, Error> {
        let reply = self.call_method(methods::queue_declare(name, options, arguments)?)?;
        Ok(methods::queue_info(reply, name))
    }

    /// Binds a queue to an exchange.
    pub fn queue_bind(
        &self,
        queue: &str,
        exchange: &str,
        routing_key: &str,
        options: NoWait,
        arguments: FieldTable,
    ) -> Result<(), Error> {
        let m = methods::queue_bind(queue, exchange, routing_key, options, arguments)?;
        self.call(m).map(|_| ())
    }

    /// Removes a queue binding.
    pub fn queue_unbind(
        &self,
        queue: &str,
        exchange: &str,
        routing_key: &str,
        arguments: FieldTable,
    ) -> Result<(), Error> {
        let m = methods::queue_unbind(queue, exchange, routing_key, arguments)?;
        self.call(m).map(|_| ())
    }

    /// Removes every ready message from a queue; returns how many (0 with `no_wait`).
    pub fn queue_purge(&self, queue: &str, options: NoWait) -> Result<u32, Error> {
        let reply = self.call_method(methods::queue_purge(queue, options)?)?;
        Ok(methods::message_count(reply))
    }

    /// Deletes a queue; returns how many messages it held (0 with `no_wait`).
    pub fn queue_delete(&self, queue: &str, options: QueueDeleteOptions) -> Result<u32, Error> {
        let reply = self.call_method(methods::queue_delete(queue, options)?)?;
        Ok(methods::message_count(reply))
    }

    // ----- basic -----

    /// Limits unacknowledged deliveries (`prefetch_count`, 0 = no limit).
    pub fn basic_qos(&self, prefetch_count: u16, options: BasicQosOptions) -> Result<(), Error> {
        self.call(methods::basic_qos(prefetch_count, options))
            .map(|_| ())
    }

    /// Publishes a message.
    ///
    /// Blocks only while the connection's write buffer is over its high-water
    /// mark (back-pressure), while the server has paused the channel
    /// (`channel.flow`), and, if the connection was configured so, while the
    /// server blocks the connection (`connection.blocked`); never for the
    /// broker's answer. On a channel in confirm mode
    /// ([`confirm_select`](Self::confirm_select)) the returned
    /// [`PublishConfirm`] resolves with the broker's ack or nack.
    ///
    /// The body is anything that turns into a [`Body`](crate::proto::Body):
    /// `&[u8]`, `&str`, `&Vec<u8>` (copied into the output), or `Bytes` /
    /// `Vec<u8>`, whose bodies of 16 KiB or more are written from their own
    /// buffer without a copy.
    pub fn basic_publish<'a>(
        &self,
        exchange: &str,
        routing_key: &str,
        options: BasicPublishOptions,
        properties: &BasicProperties,
        body: impl Into<crate::proto::Body<'a>>,
    ) -> Result<PublishConfirm, Error> {
        let body = body.into();
        let shared = &self.conn.shared;
        let mut inner = shared.lock();
        loop {
            self.usable(&inner)?;
            if inner.core.publish_ready(self.id) {
                let seq = inner.core.publish_str(
                    self.id,
                    exchange,
                    routing_key,
                    options.mandatory,
                    options.immediate,
                    properties,
                    body,
                )?;
                let confirm = match seq {
                    Some(seq) => {
                        let slot = Arc::new(Slot::new());
                        inner
                            .confirms
                            .entry(self.id)
                            .or_default()
                            .insert(seq, slot.clone());
                        PublishConfirm {
                            sequence: Some(seq),
                            slot: Some(slot),
                        }
                    }
                    None => PublishConfirm::not_requested(),
                };
                shared.wake_writer(&mut inner);
                return Ok(confirm);
            }
            // Paused (flow, blocked) or over the high-water mark: wait for a change.
            shared.wake_writer(&mut inner);
            inner.publish_waiters += 1;
            inner = wait(&shared.publish_cv, inner);
            inner.publish_waiters -= 1;
        }
    }

    /// Starts collecting the messages the broker returns on this channel
    /// (`basic.return`), replacing an earlier collector. Without one,
    /// returned messages are dropped (and logged at debug level). At most
    /// 1024 wait unread; more are dropped with a warning.
    pub fn returns(&self) -> Result<Returns, Error> {
        let queue = Arc::new(Queue::new(RETURNS_CAPACITY));
        let mut inner = self.conn.shared.lock();
        self.usable(&inner)?;
        if let Some(earlier) = inner.returns.insert(self.id, queue.clone()) {
            earlier.end();
        }
        Ok(Returns { queue })
    }

    /// Fetches one message, or `None` when the queue is empty.
    pub fn basic_get(
        &self,
        queue: &str,
        options: BasicGetOptions,
    ) -> Result<Option<super::GetMessage>, Error> {
        let reply = self.call(methods::basic_get(queue, options)?)?;
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
    pub fn basic_consume(
        &self,
        queue: &str,
        options: BasicConsumeOptions,
        arguments: FieldTable,
    ) -> Result<Consumer, Error> {
        let method = methods::basic_consume(queue, &options, arguments)?;
        let end = Arc::new(Mutex::new(None));
        let shared = &self.conn.shared;
        let (started, queue, slot) = {
            let mut inner = shared.lock();
            self.usable(&inner)?;
            let started = inner
                .core
                .consume(self.id, method, options.capacity, now())?;
            // The core says how many deliveries the consumer must be able to hold.
            let queue = Arc::new(Queue::new(started.capacity));
            // Routed before the request goes out: deliveries may follow consume-ok at once.
            let route = Route::new(
                queue.clone(),
                end.clone(),
                shared.released.clone(),
                started.pauses_reading,
            );
            inner
                .routes
                .entry(self.id)
                .or_default()
                .insert(started.consumer_tag.clone(), route);
            let slot = started.request.map(|id| inner.wait_for(id));
            shared.kick(&mut inner);
            (started, queue, slot)
        };
        if let Some(slot) = slot {
            // On failure the core has ended the consumer (its channel closed).
            self.conn.wait(&slot)?;
        }
        Ok(Consumer {
            queue,
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
            let _ = inner.core.request(self.id, cancel.into(), now());
            self.conn.shared.kick(&mut inner);
        }
    }

    /// Cancels a consumer; its stream ends after the deliveries already queued.
    pub fn basic_cancel(&self, consumer_tag: &str, no_wait: bool) -> Result<(), Error> {
        self.call(methods::basic_cancel(consumer_tag, no_wait)?)
            .map(|_| ())
    }

    /// Acknowledges a delivery (or all up to it, with `multiple`).
    pub fn basic_ack(&self, delivery_tag: u64, multiple: bool) -> Result<(), Error> {
        self.call(methods::basic_ack(delivery_tag, multiple))
            .map(|_| ())
    }

    /// Rejects a delivery (or all up to it), requeued or not.
    pub fn basic_nack(&self, delivery_tag: u64, options: BasicNackOptions) -> Result<(), Error> {
        self.call(methods::basic_nack(delivery_tag, options))
            .map(|_| ())
    }

    /// Rejects one delivery, requeued or not.
    pub fn basic_reject(&self, delivery_tag: u64, requeue: bool) -> Result<(), Error> {
        self.call(methods::basic_reject(delivery_tag, requeue))
            .map(|_| ())
    }

    /// Redelivers every unacknowledged message of the channel (`requeue`:
    /// possibly to another consumer).
    pub fn basic_recover(&self, requeue: bool) -> Result<(), Error> {
        self.call(BasicRecover { requeue }.into()).map(|_| ())
    }

    // ----- confirm and tx -----

    /// Puts the channel in confirm mode (RabbitMQ extension).
    pub fn confirm_select(&self, options: NoWait) -> Result<(), Error> {
        self.call(methods::confirm_select(options)).map(|_| ())
    }

    /// Makes the channel transactional.
    pub fn tx_select(&self) -> Result<(), Error> {
        self.call(TxSelect {}.into()).map(|_| ())
    }

    /// Commits the current transaction.
    pub fn tx_commit(&self) -> Result<(), Error> {
        self.call(TxCommit {}.into()).map(|_| ())
    }

    /// Abandons the current transaction.
    pub fn tx_rollback(&self) -> Result<(), Error> {
        self.call(TxRollback {}.into()).map(|_| ())
    }

    // ----- close -----

    /// Closes the channel normally (200), waiting for `close-ok`.
    pub fn close(&self) -> Result<(), Error> {
        let text = "closed by the application";
        let slot = {
            let mut inner = self.conn.shared.lock();
            self.usable(&inner)?;
            let request =
                inner
                    .core
                    .close_channel(self.id, ReplyCode::REPLY_SUCCESS, text, now())?;
            let slot = inner.wait_for(request);
            self.conn.shared.kick(&mut inner);
            slot
        };
        // The channel is marked closed when the core reports it.
        self.conn.wait(&slot).map(|_| ())
    }
}

/// Bodies can be given as `Bytes` too.
impl Channel {
    /// [`basic_publish`](Self::basic_publish) with the body as `Bytes`:
    /// written without a copy when it is 16 KiB or more.
    pub fn basic_publish_bytes(
        &self,
        exchange: &str,
        routing_key: &str,
        options: BasicPublishOptions,
        properties: &BasicProperties,
        body: Bytes,
    ) -> Result<PublishConfirm, Error> {
        self.basic_publish(exchange, routing_key, options, properties, body)
    }
}
