//! One channel's state (its phase, the requests waiting for replies, its
//! consumers, confirms and content assembly), and the handling of the
//! frames the server sends on it (how a channel is opened, closed and
//! ended is in `lifecycle.rs`).

use std::collections::VecDeque;
use std::time::Instant;

use bytes::BytesMut;

use crate::codec::method::*;
use crate::codec::{encode_method, Frame, Method, ReplyCode, ShortStr};
use crate::error::{CloseReason, Error, Initiator};

use super::confirms::Confirms;
use super::consumers::Consumers;
use super::content::{Assembly, Content, Violation};
use super::rpc::Rpc;
use super::{Connection, ConsumerEnd, Delivery, Event, GetMessage, Reply, Returned};

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ChannelPhase {
    /// `channel.open` sent.
    Opening,
    Open,
    /// `channel.close` sent; only close and close-ok count now.
    Closing {
        /// What our close said, for the event once it is done.
        reason: CloseReason,
        /// The application, or the library (a request timed out).
        by: Initiator,
        /// When the close stops waiting for close-ok (`None` once it has).
        deadline: Option<Instant>,
        /// The server's `channel.close` that crossed ours, until our close-ok.
        server_close: Option<CloseReason>,
    },
    /// The transport was lost (recovery on): waiting to be reopened on the
    /// next one. Commands are accepted and held.
    Recovering,
}

#[derive(Debug)]
pub(crate) struct Channel {
    pub(crate) phase: ChannelPhase,
    pub(crate) rpcs: VecDeque<Rpc>,
    pub(crate) consumers: Consumers,
    pub(crate) assembly: Assembly,
    /// Exchange and routing key of the last `publish_str`, reused while they match.
    pub(crate) publish_names: (ShortStr, ShortStr),
    /// In confirm mode: sequence numbers and their settlement.
    pub(crate) confirms: Option<Confirms>,
    /// `false` while the server has paused publishing (`channel.flow`).
    pub(crate) flow_active: bool,
    /// In confirm mode: returns waiting for the ack of their publish.
    pub(crate) held_returns: Vec<Returned>,
    /// In tx mode (`tx.select` sent), restored on recovery.
    pub(crate) tx: bool,
    /// The core's own channel (recovery declares topology on it): no events.
    pub(crate) internal: bool,
    /// While recovering: the application's frames wait in `held` (and the
    /// requests among them in `held_rpcs`) until the channel is restored.
    pub(crate) holding: bool,
    pub(crate) held: BytesMut,
    pub(crate) held_rpcs: VecDeque<Rpc>,
    /// Added to the server's delivery tags: after a recovery the server
    /// counts from 1 again while the tags the application sees go on.
    /// Tags up to it are from an earlier transport.
    pub(crate) tag_offset: u64,
    /// The highest delivery tag handed out (with the offset).
    pub(crate) last_tag: u64,
}

impl Channel {
    pub(crate) fn new() -> Self {
        Channel {
            phase: ChannelPhase::Opening,
            rpcs: VecDeque::new(),
            consumers: Consumers::default(),
            assembly: Assembly::default(),
            publish_names: Default::default(),
            confirms: None,
            flow_active: true,
            held_returns: Vec::new(),
            tx: false,
            internal: false,
            holding: false,
            held: BytesMut::new(),
            held_rpcs: VecDeque::new(),
            tag_offset: 0,
            last_tag: 0,
        }
    }

    pub(crate) fn is_closing(&self) -> bool {
        matches!(self.phase, ChannelPhase::Closing { .. })
    }

    /// In confirm mode, the next publish's sequence number (and counts it).
    pub(crate) fn next_publish_seq(&mut self) -> Option<u64> {
        self.confirms.as_mut().map(Confirms::publish)
    }

    /// A delivery tag from the server as the application sees it.
    fn app_tag(&mut self, tag: u64) -> u64 {
        let tag = tag.saturating_add(self.tag_offset);
        self.last_tag = self.last_tag.max(tag);
        tag
    }

    /// An application's delivery tag as the server knows it; refused when
    /// it is from an earlier transport (`0` with `multiple`: every
    /// outstanding one, stays `0`).
    pub(crate) fn server_tag(&self, channel: u16, tag: u64, multiple: bool) -> Result<u64, Error> {
        if self.tag_offset == 0 || (tag == 0 && multiple) {
            return Ok(tag);
        }
        if tag <= self.tag_offset {
            return Err(Error::StaleDeliveryTag {
                channel,
                delivery_tag: tag,
            });
        }
        Ok(tag - self.tag_offset)
    }
}

fn reason_of(c: &ChannelClose) -> CloseReason {
    CloseReason {
        code: ReplyCode(c.reply_code),
        text: c.reply_text.to_string(),
        class_id: c.class_id,
        method_id: c.method_id,
    }
}

impl Connection {
    pub(crate) fn channel_frame(&mut self, frame: Frame) {
        let channel = frame.channel();
        let Some(ch) = self.channels.get_mut(&channel) else {
            return self.violation(
                ReplyCode::CHANNEL_ERROR,
                format!(
                    "{} frame on channel {channel}, which is not open",
                    frame.frame_type()
                ),
                0,
                0,
            );
        };
        let closing = ch.is_closing();
        let max = self.config.options.max_message_size;
        let before = ch.assembly.held();
        let result = match frame {
            Frame::Method { method, .. } => {
                // After our channel.close only close and close-ok count.
                if closing && !matches!(method, Method::ChannelClose(_) | Method::ChannelCloseOk(_))
                {
                    return;
                }
                if ch.assembly.in_progress() {
                    let (c, m) = (method.class_id(), method.method_id());
                    return self.violation(
                        ReplyCode::UNEXPECTED_FRAME,
                        format!(
                            "{} on channel {channel} in the middle of content",
                            method.name()
                        ),
                        c,
                        m,
                    );
                }
                return self.channel_method(channel, method);
            }
            _ if closing => return,
            Frame::Header { header, .. } => ch.assembly.header(header, max),
            Frame::Body { payload, .. } => ch.assembly.body(payload),
            _ => Ok(None),
        };
        // What contents in progress hold (bodies so far, decoded headers)
        // follows the assembly: a complete one leaves it, as a delivery.
        self.partial = (self.partial + ch.assembly.held()).saturating_sub(before);
        let limit = self.config.delivery_buffer_bytes as u64 + max;
        if self.partial > limit {
            return self.violation(
                ReplyCode::RESOURCE_ERROR,
                format!(
                    "contents in progress hold {} bytes, over the client's limit of {limit}",
                    self.partial
                ),
                0,
                0,
            );
        }
        match result {
            Ok(Some(content)) => self.content_done(channel, content),
            Ok(None) => {}
            Err(Violation { code, text }) => {
                self.violation(code, format!("channel {channel}: {text}"), 0, 0)
            }
        }
    }

    fn channel_method(&mut self, channel: u16, method: Method) {
        let Some(ch) = self.channels.get_mut(&channel) else {
            return;
        };
        // Server-initiated close: answer, fail what waits, forget the channel.
        if let Method::ChannelClose(c) = &method {
            encode_method(&mut self.out, channel, &ChannelCloseOk {});
            let reason = reason_of(c);
            if let ChannelPhase::Closing { server_close, .. } = &mut ch.phase {
                // Both sides closed at once. The server still answers our
                // close with close-ok: the channel ends then, with the
                // server's reason (it closed first, and says why).
                *server_close = Some(reason);
                return;
            }
            let err = Error::ChannelClosed {
                channel,
                reason,
                by: Initiator::Server,
            };
            return self.channel_ended(channel, err);
        }
        // A close-ok after our close timed out: the channel ends now.
        if ch.is_closing() && ch.rpcs.is_empty() && matches!(method, Method::ChannelCloseOk(_)) {
            return self.our_close_done(channel, None);
        }
        // A reply to the oldest request?
        if ch.rpcs.front().is_some_and(|rpc| rpc.answered_by(&method)) {
            if matches!(method, Method::BasicGetOk(_)) {
                ch.assembly.start(method);
                return;
            }
            let Some(rpc) = ch.rpcs.pop_front() else {
                return;
            };
            if rpc.restore {
                return self.restore_reply(channel, method);
            }
            if let Some(sent) = &rpc.record {
                self.recovery.topology.record(sent, Some(&method));
            }
            let Some(ch) = self.channels.get_mut(&channel) else {
                return;
            };
            match &method {
                Method::ChannelOpenOk(_) => ch.phase = ChannelPhase::Open,
                Method::TxSelectOk(_) => ch.tx = true,
                Method::ChannelCloseOk(_) => return self.our_close_done(channel, rpc.id),
                Method::BasicCancelOk(ok) => {
                    let tag = ok.consumer_tag.clone();
                    self.end_consumer(channel, tag, ConsumerEnd::Cancelled);
                }
                _ => {}
            }
            if rpc.abandoned {
                return self.undo_abandoned(channel, method);
            }
            return self.complete(rpc.id, Ok(Reply::Method(method)));
        }
        match method {
            Method::BasicDeliver(_) | Method::BasicReturn(_) if ch.phase == ChannelPhase::Open => {
                ch.assembly.start(method)
            }
            Method::BasicAck(_) | Method::BasicNack(_) => self.confirm(channel, method),
            Method::BasicCancel(c) => {
                if !c.no_wait {
                    encode_method(
                        &mut self.out,
                        channel,
                        &BasicCancelOk {
                            consumer_tag: c.consumer_tag.clone(),
                        },
                    );
                }
                self.end_consumer(channel, c.consumer_tag, ConsumerEnd::CancelledByServer);
            }
            Method::ChannelFlow(f) => {
                ch.flow_active = f.active;
                encode_method(&mut self.out, channel, &ChannelFlowOk { active: f.active });
                self.events.push_back(Event::Flow {
                    channel,
                    active: f.active,
                });
            }
            m => {
                let (class_id, method_id) = (m.class_id(), m.method_id());
                self.violation(
                    ReplyCode::COMMAND_INVALID,
                    format!("unexpected {} on channel {channel}", m.name()),
                    class_id,
                    method_id,
                );
            }
        }
    }

    /// A request whose waiter went away is answered: what it made, nobody
    /// holds, so it is undone (a channel closed, a consumer cancelled).
    fn undo_abandoned(&mut self, channel: u16, reply: Method) {
        match reply {
            Method::ChannelOpenOk(_) => self.begin_channel_close(
                channel,
                ReplyCode::REPLY_SUCCESS,
                ShortStr::from_static("the channel's opener went away"),
                Initiator::Application,
                None,
                self.clock,
            ),
            Method::BasicConsumeOk(ok) => {
                let cancel = BasicCancel {
                    consumer_tag: ok.consumer_tag.clone(),
                    no_wait: true,
                };
                encode_method(&mut self.out, channel, &cancel);
                self.end_consumer(channel, ok.consumer_tag, ConsumerEnd::Cancelled);
            }
            _ => {}
        }
    }

    /// Forgets a consumer and reports its end, once (nothing for a tag
    /// that is not registered).
    pub(crate) fn end_consumer(&mut self, channel: u16, consumer_tag: ShortStr, end: ConsumerEnd) {
        let removed = self
            .channels
            .get_mut(&channel)
            .is_some_and(|ch| ch.consumers.by_tag.remove(&consumer_tag).is_some());
        if removed {
            self.events.push_back(Event::ConsumerEnded {
                channel,
                consumer_tag,
                end,
            });
        }
    }

    /// `basic.ack`/`basic.nack` from the server: settles publishes.
    fn confirm(&mut self, channel: u16, method: Method) {
        let (tag, multiple, ack) = match &method {
            Method::BasicAck(a) => (a.delivery_tag, a.multiple, true),
            Method::BasicNack(n) => (n.delivery_tag, n.multiple, false),
            _ => return,
        };
        let Some(confirms) = self
            .channels
            .get_mut(&channel)
            .and_then(|ch| ch.confirms.as_mut())
        else {
            return self.violation(
                ReplyCode::COMMAND_INVALID,
                format!(
                    "{} on channel {channel}, which is not in confirm mode",
                    method.name()
                ),
                method.class_id(),
                method.method_id(),
            );
        };
        if !confirms.was_published(tag) {
            tracing::warn!(
                channel,
                tag,
                multiple,
                "{} for a publish never made",
                method.name()
            );
        }
        let settled = confirms.settle(tag, multiple);
        self.release_returns(channel, settled.as_ref().map(|t| *t.end()));
        if let Some(tags) = settled {
            self.events
                .push_back(Event::Confirmed { channel, tags, ack });
        }
    }

    /// Reports the returns held for their ack: the last one with the
    /// publish the ack settles (`sequence`), the others unmatched.
    fn release_returns(&mut self, channel: u16, sequence: Option<u64>) {
        let Some(ch) = self.channels.get_mut(&channel) else {
            return;
        };
        let held = std::mem::take(&mut ch.held_returns);
        let last = held.len().saturating_sub(1);
        for (i, message) in held.into_iter().enumerate() {
            self.events.push_back(Event::Returned {
                channel,
                sequence: if i == last { sequence } else { None },
                message,
            });
        }
    }

    fn content_done(&mut self, channel: u16, content: Content) {
        let Content {
            method,
            properties,
            body,
        } = content;
        match method {
            Method::BasicDeliver(d) => {
                let known = self
                    .channels
                    .get(&channel)
                    .is_some_and(|ch| ch.consumers.by_tag.contains_key(&d.consumer_tag));
                if !known {
                    // In flight when the consumer was cancelled; unacknowledged,
                    // it goes back to the queue when the channel closes.
                    tracing::debug!(channel, consumer = %d.consumer_tag, "delivery for no consumer; dropped");
                    return;
                }
                let delivery_tag = match self.channels.get_mut(&channel) {
                    Some(ch) => ch.app_tag(d.delivery_tag),
                    None => d.delivery_tag,
                };
                let delivery = Delivery {
                    channel,
                    consumer_tag: d.consumer_tag,
                    delivery_tag,
                    redelivered: d.redelivered,
                    exchange: d.exchange,
                    routing_key: d.routing_key,
                    properties,
                    body,
                };
                self.buffered += delivery.buffer_cost();
                self.events.push_back(Event::Delivery(delivery));
            }
            Method::BasicReturn(r) => {
                let message = Returned {
                    reply_code: ReplyCode(r.reply_code),
                    reply_text: r.reply_text,
                    exchange: r.exchange,
                    routing_key: r.routing_key,
                    properties,
                    body,
                };
                match self.channels.get_mut(&channel) {
                    Some(ch) if ch.confirms.is_some() => ch.held_returns.push(message),
                    _ => self.events.push_back(Event::Returned {
                        channel,
                        sequence: None,
                        message,
                    }),
                }
            }
            Method::BasicGetOk(g) => {
                let Some(ch) = self.channels.get_mut(&channel) else {
                    return;
                };
                let delivery_tag = ch.app_tag(g.delivery_tag);
                if let Some(rpc) = ch.rpcs.pop_front() {
                    self.complete(
                        rpc.id,
                        Ok(Reply::Get(GetMessage {
                            delivery_tag,
                            redelivered: g.redelivered,
                            exchange: g.exchange,
                            routing_key: g.routing_key,
                            message_count: g.message_count,
                            properties,
                            body,
                        })),
                    );
                }
            }
            _ => {}
        }
    }
}
