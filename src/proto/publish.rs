//! Publishing: the bodies the core takes, back-pressure on publishers,
//! and the frames of `basic.publish` with its content.

use bytes::Bytes;

use crate::codec::method::*;
use crate::codec::{encode_content, encode_content_zero_copy, encode_method, BasicProperties};
use crate::error::Error;

use super::commands::short;
use super::{Connection, WRITE_HIGH_WATER};

/// Bodies at least this large, given as `Bytes`, are written from the
/// caller's buffer instead of copied: below it, a copy costs less than a
/// separate write.
pub const ZERO_COPY_MIN: usize = 16 * 1024;

/// A message body to publish: borrowed (copied into the output) or shared
/// (`Bytes`: a large one is written from its own buffer, uncopied).
#[derive(Debug, Clone)]
pub enum Body<'a> {
    /// Copied into the output.
    Borrowed(&'a [u8]),
    /// Written without a copy when at least [`ZERO_COPY_MIN`] bytes.
    Shared(Bytes),
}

impl Body<'_> {
    fn as_slice(&self) -> &[u8] {
        match self {
            Body::Borrowed(b) => b,
            Body::Shared(b) => b,
        }
    }
}

impl<'a> From<&'a [u8]> for Body<'a> {
    fn from(b: &'a [u8]) -> Self {
        Body::Borrowed(b)
    }
}

impl<'a, const N: usize> From<&'a [u8; N]> for Body<'a> {
    fn from(b: &'a [u8; N]) -> Self {
        Body::Borrowed(b)
    }
}

impl<'a> From<&'a Vec<u8>> for Body<'a> {
    fn from(b: &'a Vec<u8>) -> Self {
        Body::Borrowed(b)
    }
}

impl<'a> From<&'a str> for Body<'a> {
    fn from(b: &'a str) -> Self {
        Body::Borrowed(b.as_bytes())
    }
}

impl From<Bytes> for Body<'_> {
    fn from(b: Bytes) -> Self {
        Body::Shared(b)
    }
}

impl From<&Bytes> for Body<'_> {
    fn from(b: &Bytes) -> Self {
        Body::Shared(b.clone())
    }
}

impl From<Vec<u8>> for Body<'_> {
    fn from(b: Vec<u8>) -> Self {
        Body::Shared(Bytes::from(b))
    }
}

impl Connection {
    /// Whether a publish on `channel` may be written now: the server has
    /// not paused the channel (`channel.flow`) nor, when configured to
    /// wait, blocked the connection, and the bytes waiting to be written
    /// are under the high-water mark (back-pressure on publishers).
    pub fn publish_ready(&self, channel: u16) -> bool {
        self.channel_flow_active(channel)
            && !(self.config.wait_while_blocked && self.blocked)
            && self.pending_transmit() < WRITE_HIGH_WATER
    }

    /// Publishes a message: `basic.publish`, a content header and body
    /// frames of at most the negotiated frame_max. On a channel in confirm
    /// mode, returns the publish's sequence number: the tag that an
    /// [`Event::Confirmed`](super::Event::Confirmed) settles.
    pub fn publish<'a>(
        &mut self,
        channel: u16,
        method: &BasicPublish,
        properties: &BasicProperties,
        body: impl Into<Body<'a>>,
    ) -> Result<Option<u64>, Error> {
        let body = body.into();
        if self.recovery.attempt > 0 {
            self.check_usable()?;
            return self.on_channel(channel, |conn| {
                conn.hold_if_holding(body.as_slice().len())?;
                conn.publish_now(channel, method, properties, body)
            });
        }
        self.check_open()?;
        self.publish_now(channel, method, properties, body)
    }

    fn publish_now(
        &mut self,
        channel: u16,
        method: &BasicPublish,
        properties: &BasicProperties,
        body: Body<'_>,
    ) -> Result<Option<u64>, Error> {
        let seq = self.channel_mut_open(channel)?.next_publish_seq();
        encode_method(&mut self.out, channel, method);
        self.encode_body(channel, properties, body);
        Ok(seq)
    }

    /// While recovering, a publish on a held channel counts against the
    /// policy's bounds (past them it fails with [`Error::Recovering`]).
    fn hold_if_holding(&mut self, body_len: usize) -> Result<(), Error> {
        if self.holding_now {
            // The frames around the body, roughly.
            self.hold_publish(body_len + 64)?;
        }
        Ok(())
    }

    /// The content header and body frames; a large shared body is queued
    /// as slices of itself, not copied.
    fn encode_body(&mut self, channel: u16, properties: &BasicProperties, body: Body<'_>) {
        let frame_max = self.tuning.frame_max;
        match body {
            Body::Shared(body) if body.len() >= ZERO_COPY_MIN && !self.holding_now => {
                let mut out = std::mem::take(&mut self.out);
                encode_content_zero_copy(
                    &mut out,
                    channel,
                    properties,
                    &body,
                    frame_max,
                    |buf, piece| {
                        std::mem::swap(&mut self.out, buf);
                        self.queue_piece(piece);
                        std::mem::swap(&mut self.out, buf);
                    },
                );
                self.out = out;
            }
            body => encode_content(
                &mut self.out,
                channel,
                properties,
                body.as_slice(),
                frame_max,
            ),
        }
    }

    /// Publishes as [`publish`](Self::publish) does, naming the exchange and
    /// routing key as `&str`. The channel remembers the last pair it was
    /// given, so publishing again to the same place allocates nothing.
    #[allow(clippy::too_many_arguments)] // the arguments of basic.publish, plus content
    pub fn publish_str<'a>(
        &mut self,
        channel: u16,
        exchange: &str,
        routing_key: &str,
        mandatory: bool,
        immediate: bool,
        properties: &BasicProperties,
        body: impl Into<Body<'a>>,
    ) -> Result<Option<u64>, Error> {
        let body = body.into();
        if self.recovery.attempt > 0 {
            self.check_usable()?;
            return self.on_channel(channel, |conn| {
                conn.hold_if_holding(body.as_slice().len())?;
                conn.publish_str_now(
                    channel,
                    exchange,
                    routing_key,
                    mandatory,
                    immediate,
                    properties,
                    body,
                )
            });
        }
        self.check_open()?;
        self.publish_str_now(
            channel,
            exchange,
            routing_key,
            mandatory,
            immediate,
            properties,
            body,
        )
    }

    #[allow(clippy::too_many_arguments)] // as publish_str
    fn publish_str_now(
        &mut self,
        channel: u16,
        exchange: &str,
        routing_key: &str,
        mandatory: bool,
        immediate: bool,
        properties: &BasicProperties,
        body: Body<'_>,
    ) -> Result<Option<u64>, Error> {
        let ch = self.channel_mut_open(channel)?;
        let cache = &mut ch.publish_names;
        if !same_bytes(cache.0.as_bytes(), exchange.as_bytes()) {
            cache.0 = short(exchange, "exchange name")?;
        }
        if !same_bytes(cache.1.as_bytes(), routing_key.as_bytes()) {
            cache.1 = short(routing_key, "routing key")?;
        }
        let method = BasicPublish {
            reserved_1: 0,
            exchange: cache.0.clone(),
            routing_key: cache.1.clone(),
            mandatory,
            immediate,
        };
        let seq = ch.next_publish_seq();
        encode_method(&mut self.out, channel, &method);
        self.encode_body(channel, properties, body);
        Ok(seq)
    }
}

/// Byte equality of two short names, eight bytes at a time, inline: the
/// call into libc's `memcmp` for the two name checks of every publish was a
/// fifth of the publish path's samples (`perf record`, issue 16).
#[inline]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let word = |c: &[u8]| {
        let mut w = [0u8; 8];
        w[..c.len()].copy_from_slice(c);
        u64::from_ne_bytes(w)
    };
    let (x, y) = (a.chunks(8), b.chunks(8));
    x.zip(y).all(|(p, q)| word(p) == word(q))
}
