//! What the application asks of the core: send requests, start consumers,
//! abandon a request, update the secret, close (opening and closing
//! channels is in `lifecycle.rs`, publishing in `publish.rs`).

use std::time::Instant;

use bytes::Bytes;

use crate::codec::method::*;
use crate::codec::{encode_method, Frame, Method, ReplyCode, ShortStr};
use crate::error::{CloseReason, Endpoint, Error, Initiator};

use super::channel::{Channel, ChannelPhase};
use super::confirms::Confirms;
use super::connection::Phase;
use super::consumers::ConsumerInfo;
use super::rpc::Rpc;
use super::{Connection, RequestId};

/// A consumer the core registered ([`Connection::consume`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsumerStarted {
    /// Its tag (made by the core when the request had none).
    pub consumer_tag: ShortStr,
    /// How many deliveries the front end must be ready to buffer for it.
    pub capacity: usize,
    /// Whether deliveries that do not fit its buffer must stop the front
    /// end reading the socket: only for a `no-ack` consumer. One that
    /// acknowledges is bounded by its prefetch count per connection, so
    /// what does not fit (the deliveries of a connection that recovery
    /// replaced, still unread, plus the new connection's prefetch) is
    /// bounded too, and the delivery buffer bounds the bytes: reading goes
    /// on, so replies and confirms are never stuck behind it.
    pub pauses_reading: bool,
    /// The request `consume-ok` completes (`None` with no-wait).
    pub request: Option<RequestId>,
}

pub(super) fn short(s: &str, what: &str) -> Result<ShortStr, Error> {
    ShortStr::copy_from_str(s).map_err(|e| Error::InvalidArgument(format!("{what}: {e}")))
}

impl Connection {
    /// When a request made `now` stops waiting (also moves the clock).
    pub(super) fn request_deadline(&mut self, now: Instant) -> Option<Instant> {
        self.clock = self.clock.max(now);
        self.config.options.request_timeout.map(|t| now + t)
    }

    pub(super) fn check_open(&self) -> Result<(), Error> {
        match &self.phase {
            Phase::Open => Ok(()),
            Phase::Closing { error, .. } | Phase::Closed { error } => Err(error.clone()),
            Phase::Handshake { .. } if self.recovery.attempt > 0 => Err(self.recovering()),
            Phase::Handshake { .. } => Err(Error::NotOpen(Endpoint::Connection)),
            Phase::Recovering { .. } => Err(self.recovering()),
        }
    }

    fn recovering(&self) -> Error {
        Error::Recovering {
            attempt: self.recovery.attempt,
        }
    }

    /// As [`check_open`](Self::check_open), but a recovering connection is
    /// usable too: channel commands are held until their channel is back.
    pub(super) fn check_usable(&self) -> Result<(), Error> {
        match &self.phase {
            Phase::Recovering { .. } | Phase::Handshake { .. } if self.recovery.attempt > 0 => {
                Ok(())
            }
            _ => self.check_open(),
        }
    }

    /// Runs a command on `channel`; while the channel waits to be restored
    /// (recovering), what it writes goes to the channel's held frames and
    /// its requests wait with them, sent in order once it is restored.
    pub(super) fn on_channel<R>(
        &mut self,
        channel: u16,
        f: impl FnOnce(&mut Self) -> Result<R, Error>,
    ) -> Result<R, Error> {
        let holding =
            self.recovery.attempt > 0 && self.channels.get(&channel).is_some_and(|c| c.holding);
        if !holding {
            return f(self);
        }
        self.swap_held(channel);
        self.holding_now = true;
        let result = f(self);
        self.holding_now = false;
        self.swap_held(channel);
        result
    }

    fn swap_held(&mut self, channel: u16) {
        if let Some(ch) = self.channels.get_mut(&channel) {
            std::mem::swap(&mut self.out, &mut ch.held);
            std::mem::swap(&mut ch.rpcs, &mut ch.held_rpcs);
        }
    }

    pub(super) fn channel_mut_open(&mut self, channel: u16) -> Result<&mut Channel, Error> {
        if !self.channel_is_open(channel) {
            return Err(self.not_open(channel));
        }
        self.channels
            .get_mut(&channel)
            .ok_or(Error::NotOpen(Endpoint::Channel(channel)))
    }

    /// Why `channel` cannot be used: closing (later calls learn why before
    /// the close-ok comes), or not open.
    fn not_open(&self, channel: u16) -> Error {
        match self.channels.get(&channel).map(|ch| &ch.phase) {
            Some(ChannelPhase::Closing { reason, by, .. }) => Error::ChannelClosed {
                channel,
                reason: reason.clone(),
                by: *by,
            },
            _ => Error::NotOpen(Endpoint::Channel(channel)),
        }
    }

    /// Sends a method on an open channel. Returns the request to wait for
    /// when the method expects a reply (a synchronous method without
    /// `no-wait`, as the spec's XML says), `None` otherwise (acks, `no-wait`
    /// variants, …).
    ///
    /// `channel.open`/`close` and connection methods have their own
    /// commands; so does `basic.consume` ([`consume`](Self::consume): a
    /// consume sent here gets the default capacity).
    pub fn request(
        &mut self,
        channel: u16,
        method: Method,
        now: Instant,
    ) -> Result<Option<RequestId>, Error> {
        self.check_usable()?;
        self.on_channel(channel, |conn| conn.request_now(channel, method, now))
    }

    fn request_now(
        &mut self,
        channel: u16,
        method: Method,
        now: Instant,
    ) -> Result<Option<RequestId>, Error> {
        let info = method.info().ok_or_else(|| {
            Error::InvalidArgument(format!("{} is not a spec method", method.name()))
        })?;
        if matches!(info.class_id, 10 | 20) {
            return Err(Error::InvalidArgument(format!(
                "{} has its own command",
                info.full_name
            )));
        }
        if info.content {
            return Err(Error::InvalidArgument(format!(
                "{} carries content: use publish",
                info.full_name
            )));
        }
        let mut method = match method {
            Method::BasicConsume(c) => {
                // Already on the channel's frames (held or not).
                return self
                    .consume_now(channel, c, None, now)
                    .map(|started| started.request);
            }
            m => m,
        };
        let id = method.expects_reply().then(|| self.next_id());
        let deadline = self.request_deadline(now);
        if !self.channel_is_open(channel) {
            return Err(self.not_open(channel));
        }
        let recording = self.config.recovery.is_some();
        let Some(ch) = self.channels.get_mut(&channel) else {
            return Err(Error::NotOpen(Endpoint::Channel(channel)));
        };
        // Tags as the server of this transport knows them.
        match &mut method {
            Method::BasicAck(a) => {
                a.delivery_tag = ch.server_tag(channel, a.delivery_tag, a.multiple)?
            }
            Method::BasicNack(n) => {
                n.delivery_tag = ch.server_tag(channel, n.delivery_tag, n.multiple)?
            }
            Method::BasicReject(r) => {
                r.delivery_tag = ch.server_tag(channel, r.delivery_tag, false)?
            }
            _ => {}
        }
        let mut cancelled = None;
        let mut forget_queue = None;
        match &method {
            // No cancel-ok will come: the consumer ends now.
            Method::BasicCancel(c) => {
                if c.no_wait {
                    cancelled = Some(c.consumer_tag.clone());
                }
                // An auto-delete queue goes with its last consumer: not restored after.
                forget_queue = ch
                    .consumers
                    .by_tag
                    .get(&c.consumer_tag)
                    .map(|info| info.method.queue.clone());
            }
            Method::BasicQos(q) => {
                ch.consumers
                    .set_qos(q.prefetch_size, q.prefetch_count, q.global)
            }
            // Publishes are counted from the first one after confirm.select,
            // which the server handles in order: count from here.
            Method::ConfirmSelect(_) if ch.confirms.is_none() => {
                ch.confirms = Some(Confirms::new());
            }
            _ => {}
        }
        if id.is_some() {
            let mut rpc = Rpc::for_info(id, info, deadline);
            if recording && super::topology::is_recorded(&method) {
                rpc.record = Some(Box::new(method.clone()));
            }
            ch.rpcs.push_back(rpc);
        } else if recording && super::topology::is_recorded(&method) {
            // no-wait: nothing will confirm it.
            self.recovery.topology.record(&method, None);
        }
        if let Some(queue) = forget_queue.filter(|_| recording) {
            self.forget_if_last_consumer(channel, &method, &queue);
        }
        let len = method.encoded_len();
        self.out.reserve(len + 8);
        Frame::Method { channel, method }.encode(&mut self.out);
        if let Some(tag) = cancelled {
            self.end_consumer(channel, tag, super::ConsumerEnd::Cancelled);
        }
        Ok(id)
    }

    /// Starts a consumer: registers it (deliveries may follow `consume-ok`
    /// at once), makes its tag when `method.consumer_tag` is empty, and
    /// decides its capacity from `capacity` (the default when `None`) and
    /// the channel's prefetch count.
    ///
    /// The broker can then never send the consumer more than the front end
    /// will buffer for it: a consumer that acknowledges gets a capacity of
    /// at least the channel's prefetch count (a smaller one is raised), and
    /// on a channel with no prefetch count the core first sends `basic.qos`
    /// with the capacity (per consumer, `global = false`; later consumers on
    /// the channel are limited by it too). A `no-ack` consumer has no such
    /// limit: when it is full, the front end stops reading the socket.
    pub fn consume(
        &mut self,
        channel: u16,
        method: BasicConsume,
        capacity: Option<usize>,
        now: Instant,
    ) -> Result<ConsumerStarted, Error> {
        self.check_usable()?;
        self.on_channel(channel, |conn| {
            conn.consume_now(channel, method, capacity, now)
        })
    }

    fn consume_now(
        &mut self,
        channel: u16,
        mut method: BasicConsume,
        capacity: Option<usize>,
        now: Instant,
    ) -> Result<ConsumerStarted, Error> {
        let deadline = self.request_deadline(now);
        let default = self.config.default_consumer_capacity;
        let held = self.holding_now;
        let tag_n = self.next_consumer_tag;
        // Request numbers are never reused: one lost to an error below is harmless.
        let request = (!method.no_wait).then(|| self.next_id());
        let ch = self.channel_mut_open(channel)?;
        if method.consumer_tag.is_empty() {
            method.consumer_tag = short(&format!("amqp091-{channel}-{tag_n}"), "consumer tag")?;
        }
        if ch.consumers.by_tag.contains_key(&method.consumer_tag) {
            return Err(Error::InvalidArgument(format!(
                "consumer tag {} is already in use on channel {channel}",
                method.consumer_tag
            )));
        }
        let plan = ch.consumers.plan(capacity, default, method.no_ack);
        if let Some(prefetch_count) = plan.set_prefetch {
            let qos = BasicQos {
                prefetch_size: 0,
                prefetch_count,
                global: false,
            };
            ch.consumers.qos(prefetch_count, false);
            ch.rpcs
                .push_back(Rpc::for_method::<BasicQos>(None, deadline));
            encode_method(&mut self.out, channel, &qos);
        }
        let ch = self.channel_mut_open(channel)?;
        ch.consumers.by_tag.insert(
            method.consumer_tag.clone(),
            ConsumerInfo {
                capacity: plan.capacity,
                no_ack: method.no_ack,
                method: BasicConsume {
                    no_wait: false,
                    ..method.clone()
                },
                held,
            },
        );
        if let Some(id) = request {
            ch.rpcs
                .push_back(Rpc::for_method::<BasicConsume>(Some(id), deadline));
        }
        self.next_consumer_tag += 1;
        let consumer_tag = method.consumer_tag.clone();
        let method_no_ack = method.no_ack;
        encode_method(&mut self.out, channel, &method);
        Ok(ConsumerStarted {
            consumer_tag,
            capacity: plan.capacity,
            pauses_reading: method_no_ack,
            request,
        })
    }

    /// The caller of a request no longer waits for it (its future was
    /// dropped). Its reply is then not reported, and what it would have
    /// made is undone when the reply comes: an opened channel is closed, a
    /// started consumer cancelled, so nothing is left on the broker that
    /// no handle holds. Unknown or finished requests are ignored.
    pub fn abandon(&mut self, request: RequestId) {
        let rpcs = self
            .channels
            .values_mut()
            .flat_map(|ch| ch.rpcs.iter_mut())
            .chain(self.connection_rpcs.iter_mut());
        for rpc in rpcs {
            if rpc.id == Some(request) {
                rpc.abandoned = true;
                rpc.id = None;
                return;
            }
        }
    }

    /// Forgets an auto-delete queue whose last consumer is being cancelled.
    fn forget_if_last_consumer(&mut self, channel: u16, cancel: &Method, queue: &ShortStr) {
        let Method::BasicCancel(c) = cancel else {
            return;
        };
        if !self.recovery.topology.is_auto_delete(queue) {
            return;
        }
        let others = self.channels.iter().any(|(id, ch)| {
            ch.consumers.by_tag.iter().any(|(tag, info)| {
                (*id, tag) != (channel, &c.consumer_tag) && &info.method.queue == queue
            })
        });
        if !others {
            self.recovery.topology.forget_queue(queue);
        }
    }

    /// Sends `connection.update-secret` (new credentials, e.g. an OAuth 2 token).
    pub fn update_secret(
        &mut self,
        secret: &[u8],
        reason: &str,
        now: Instant,
    ) -> Result<RequestId, Error> {
        self.check_open()?;
        let deadline = self.request_deadline(now);
        let reason = short(reason, "reason")?;
        let id = self.next_id();
        self.connection_rpcs
            .push_back(Rpc::for_method::<ConnectionUpdateSecret>(
                Some(id),
                deadline,
            ));
        encode_method(
            &mut self.out,
            0,
            &ConnectionUpdateSecret {
                new_secret: Bytes::copy_from_slice(secret).into(),
                reason,
            },
        );
        Ok(id)
    }

    /// Closes the connection (200 for a normal close). Every pending
    /// request fails at once; `connection.close-ok` completes this one (or
    /// the close timeout, counted from `now`, fails it).
    pub fn close(&mut self, code: ReplyCode, text: &str, now: Instant) -> Result<RequestId, Error> {
        self.check_usable()?;
        self.clock = self.clock.max(now);
        let text = short(text, "reply text")?;
        let id = self.next_id();
        let reason = CloseReason::new(code, text.to_string());
        if !matches!(self.phase, Phase::Open) {
            // Recovering: no broker to tell; the connection ends here.
            self.complete(
                Some(id),
                Ok(super::Reply::Method(ConnectionCloseOk {}.into())),
            );
            self.finish(Error::ConnectionClosed {
                reason,
                by: Initiator::Application,
            });
            return Ok(id);
        }
        encode_method(
            &mut self.out,
            0,
            &ConnectionClose {
                reply_code: code.0,
                reply_text: text,
                class_id: 0,
                method_id: 0,
            },
        );
        self.start_closing(
            Error::ConnectionClosed {
                reason,
                by: Initiator::Application,
            },
            Some(id),
        );
        Ok(id)
    }
}
