//! Restoring a recovered connection, one step at a time, once the new
//! handshake is done: every channel reopened with its qos (prefetch size
//! and count, per consumer and global), confirm and tx
//! modes; the recorded exchanges, queues and bindings declared again on a
//! channel of the core's own (so that a declaration the broker now refuses
//! closes no channel of the application); the consumers started again with
//! their tags; then what the application sent while the connection was
//! down is released, in order, channel by channel.
//!
//! A step waits for its reply before the next is sent, so that a refusal
//! is tied to the step that caused it: the step is reported
//! ([`RecoveryEvent::NotRestored`]) and the restore goes on. A refusal on
//! an application channel (a consumer whose queue is gone: 404) closes
//! that channel as any channel exception does.

use std::collections::VecDeque;

use crate::codec::method::*;
use crate::codec::{Method, ReplyCode, ShortStr};
use crate::error::Error;

use super::channel::{Channel, ChannelPhase};
use super::events::RecoveryEvent;
use super::rpc::Rpc;
use super::{Connection, Event};

/// One thing to restore.
#[derive(Debug, Clone)]
pub(crate) enum RestoreStep {
    Open(u16),
    Qos {
        channel: u16,
        prefetch_size: u32,
        prefetch_count: u16,
        global: bool,
    },
    Confirm(u16),
    Tx(u16),
    /// A declaration or binding, on the core's own channel. `old_name`:
    /// the name a server-named queue had.
    Topology {
        method: Method,
        old_name: Option<ShortStr>,
    },
    CloseInternal,
    Consume {
        channel: u16,
        consumer_tag: ShortStr,
    },
}

impl RestoreStep {
    fn describe(&self) -> String {
        match self {
            RestoreStep::Open(ch) => format!("channel {ch}"),
            RestoreStep::Qos { channel, .. } => format!("basic.qos on channel {channel}"),
            RestoreStep::Confirm(ch) => format!("confirm mode of channel {ch}"),
            RestoreStep::Tx(ch) => format!("tx mode of channel {ch}"),
            RestoreStep::Topology { method, .. } => describe_method(method),
            RestoreStep::CloseInternal => "the recovery channel".into(),
            RestoreStep::Consume {
                channel,
                consumer_tag,
            } => format!("consumer {consumer_tag} on channel {channel}"),
        }
    }
}

fn describe_method(method: &Method) -> String {
    match method {
        Method::ExchangeDeclare(d) => format!("exchange {}", d.exchange),
        Method::QueueDeclare(d) => format!("queue {}", d.queue),
        Method::QueueBind(b) => format!("binding of {} to {}", b.queue, b.exchange),
        Method::ExchangeBind(b) => format!("binding of {} to {}", b.destination, b.source),
        m => m.name().to_string(),
    }
}

/// The steps left and the one waiting for its reply.
#[derive(Debug, Default)]
pub(crate) struct Restore {
    steps: VecDeque<RestoreStep>,
    current: Option<(u16, RestoreStep)>,
    /// The core's own channel for declarations, while open.
    internal: Option<u16>,
}

impl Connection {
    /// The handshake of a new transport is done: plan and start the restore.
    pub(crate) fn start_restore(&mut self) {
        let max = self.tuning.channel_max;
        let mut steps = VecDeque::new();
        let ids: Vec<u16> = self.channels.keys().copied().collect();
        for id in &ids {
            if *id > max {
                let err = Error::ChannelLimit { channel_max: max };
                self.not_restored(format!("channel {id}"), err.clone());
                self.channel_ended(*id, err);
                continue;
            }
            let Some(ch) = self.channels.get(id) else {
                continue;
            };
            steps.push_back(RestoreStep::Open(*id));
            let c = &ch.consumers;
            for (prefetch_size, prefetch_count, global) in [
                (c.prefetch_size_per_consumer, c.prefetch_per_consumer, false),
                (c.prefetch_size_channel, c.prefetch_channel, true),
            ] {
                if prefetch_count > 0 || prefetch_size > 0 {
                    steps.push_back(RestoreStep::Qos {
                        channel: *id,
                        prefetch_size,
                        prefetch_count,
                        global,
                    });
                }
            }
            if ch.confirms.is_some() {
                steps.push_back(RestoreStep::Confirm(*id));
            }
            if ch.tx {
                steps.push_back(RestoreStep::Tx(*id));
            }
        }
        let t = &self.recovery.topology;
        let topology: Vec<RestoreStep> = t
            .exchanges
            .iter()
            .map(|d| (Method::from(d.clone()), None))
            .chain(t.queues.iter().map(|q| {
                let old = q.server_named().then(|| q.name.clone());
                (Method::from(q.declare.clone()), old)
            }))
            .chain(t.bindings.iter().map(|b| (b.clone().into(), None)))
            .chain(t.exchange_bindings.iter().map(|b| (b.clone().into(), None)))
            .map(|(method, old_name)| RestoreStep::Topology { method, old_name })
            .collect();
        if !topology.is_empty() {
            steps.extend(topology);
            steps.push_back(RestoreStep::CloseInternal);
        }
        for (id, ch) in &self.channels {
            let mut tags: Vec<&ShortStr> = ch
                .consumers
                .by_tag
                .iter()
                .filter(|(_, c)| !c.held)
                .map(|(tag, _)| tag)
                .collect();
            tags.sort();
            steps.extend(tags.into_iter().map(|tag| RestoreStep::Consume {
                channel: *id,
                consumer_tag: tag.clone(),
            }));
        }
        self.recovery.restore = Some(Restore {
            steps,
            current: None,
            internal: None,
        });
        self.next_restore_step();
    }

    /// Sends the next step that still applies, or finishes.
    fn next_restore_step(&mut self) {
        loop {
            let Some(restore) = self.recovery.restore.as_mut() else {
                return;
            };
            let Some(step) = restore.steps.pop_front() else {
                return self.finish_restore();
            };
            let internal = restore.internal;
            let reopened = |ch: u16| {
                self.channels
                    .get(&ch)
                    .is_some_and(|c| c.phase == ChannelPhase::Open)
            };
            // The step waiting for its reply: this one, or the opening of
            // the core's channel that a topology step needs first.
            let mut current = step.clone();
            let (channel, method): (u16, Method) = match &step {
                RestoreStep::Open(ch) => {
                    let waiting = self
                        .channels
                        .get(ch)
                        .is_some_and(|c| c.phase == ChannelPhase::Recovering);
                    if !waiting {
                        continue;
                    }
                    (*ch, ChannelOpen::default().into())
                }
                RestoreStep::Qos {
                    channel,
                    prefetch_size,
                    prefetch_count,
                    global,
                } if reopened(*channel) => (
                    *channel,
                    BasicQos {
                        prefetch_size: *prefetch_size,
                        prefetch_count: *prefetch_count,
                        global: *global,
                    }
                    .into(),
                ),
                RestoreStep::Confirm(ch) if reopened(*ch) => {
                    (*ch, ConfirmSelect { nowait: false }.into())
                }
                RestoreStep::Tx(ch) if reopened(*ch) => (*ch, TxSelect {}.into()),
                RestoreStep::Consume {
                    channel,
                    consumer_tag,
                } if reopened(*channel) => {
                    let Some(method) = self
                        .channels
                        .get(channel)
                        .and_then(|c| c.consumers.by_tag.get(consumer_tag))
                        .map(|c| c.method.clone())
                    else {
                        continue;
                    };
                    (*channel, method.into())
                }
                RestoreStep::Topology { method, .. } => match internal {
                    Some(id) => (id, method.clone()),
                    None => {
                        // The core's channel first (again, if the broker closed it).
                        let Some(id) = self.free_channel_id() else {
                            let err = Error::ChannelLimit {
                                channel_max: self.tuning.channel_max,
                            };
                            self.not_restored(step.describe(), err);
                            continue;
                        };
                        let mut ch = Channel::new();
                        ch.internal = true;
                        self.channels.insert(id, ch);
                        if let Some(r) = self.recovery.restore.as_mut() {
                            r.internal = Some(id);
                            r.steps.push_front(step);
                        }
                        current = RestoreStep::Open(id);
                        (id, ChannelOpen::default().into())
                    }
                },
                RestoreStep::CloseInternal => match internal {
                    Some(id) => (
                        id,
                        ChannelClose {
                            reply_code: ReplyCode::REPLY_SUCCESS.0,
                            reply_text: ShortStr::from_static("recovery done"),
                            class_id: 0,
                            method_id: 0,
                        }
                        .into(),
                    ),
                    None => continue,
                },
                // A step of a channel that did not come back.
                _ => continue,
            };
            let Some(info) = method.info() else {
                continue;
            };
            // A broker that does not answer a step within the request
            // timeout is treated as lost (timers.rs): recovery tries again.
            let deadline = self.config.options.request_timeout.map(|t| self.clock + t);
            if let Some(ch) = self.channels.get_mut(&channel) {
                let mut rpc = Rpc::for_info(None, info, deadline);
                rpc.restore = true;
                ch.rpcs.push_back(rpc);
            }
            encode_method_dyn(&mut self.out, channel, method);
            if let Some(r) = self.recovery.restore.as_mut() {
                r.current = Some((channel, current));
            }
            return;
        }
    }

    /// The reply to the current step came.
    pub(crate) fn restore_reply(&mut self, channel: u16, reply: Method) {
        let current = self
            .recovery
            .restore
            .as_mut()
            .and_then(|r| r.current.take());
        match (&reply, current) {
            (Method::ChannelOpenOk(_), _) => {
                if let Some(ch) = self.channels.get_mut(&channel) {
                    ch.phase = ChannelPhase::Open;
                }
            }
            (Method::ChannelCloseOk(_), _) => {
                self.channels.remove(&channel);
                if let Some(r) = self.recovery.restore.as_mut() {
                    r.internal = None;
                }
            }
            (
                Method::QueueDeclareOk(ok),
                Some((
                    _,
                    RestoreStep::Topology {
                        old_name: Some(old),
                        ..
                    },
                )),
            ) if ok.queue != old => self.queue_renamed(old, ok.queue.clone()),
            _ => {}
        }
        self.next_restore_step();
    }

    /// A server-named queue came back under a new name: its record,
    /// bindings and consumers follow it.
    fn queue_renamed(&mut self, old: ShortStr, new: ShortStr) {
        tracing::info!(%old, %new, "server-named queue renamed by recovery");
        self.recovery.topology.rename(&old, &new);
        for step in self
            .recovery
            .restore
            .iter_mut()
            .flat_map(|r| r.steps.iter_mut())
        {
            if let RestoreStep::Topology {
                method: Method::QueueBind(b),
                ..
            } = step
            {
                if b.queue == old {
                    b.queue = new.clone();
                }
            }
        }
        for ch in self.channels.values_mut() {
            for c in ch.consumers.by_tag.values_mut() {
                if c.method.queue == old {
                    c.method.queue = new.clone();
                }
            }
        }
        self.events
            .push_back(Event::Recovery(RecoveryEvent::QueueRenamed { old, new }));
    }

    /// The channel of the current step ended (the broker refused the
    /// step): report it and go on.
    pub(crate) fn restore_channel_ended(&mut self, channel: u16, error: &Error) {
        let Some(r) = self.recovery.restore.as_mut() else {
            return;
        };
        if r.internal == Some(channel) {
            r.internal = None;
        }
        let Some((ch, step)) = r.current.take() else {
            return;
        };
        if ch != channel {
            r.current = Some((ch, step));
            return;
        }
        self.not_restored(step.describe(), error.clone());
        if matches!(self.phase, super::connection::Phase::Open) {
            self.next_restore_step();
        }
    }

    fn not_restored(&mut self, what: String, error: Error) {
        tracing::warn!(%what, %error, "not restored");
        self.events
            .push_back(Event::Recovery(RecoveryEvent::NotRestored { what, error }));
    }

    /// Every step is done: release what the application sent meanwhile.
    fn finish_restore(&mut self) {
        self.recovery.restore = None;
        for ch in self.channels.values_mut() {
            if !ch.holding {
                continue;
            }
            ch.holding = false;
            self.out.extend_from_slice(&ch.held);
            ch.held = Default::default();
            ch.rpcs.extend(ch.held_rpcs.drain(..));
            for c in ch.consumers.by_tag.values_mut() {
                c.held = false;
            }
        }
        self.recovered();
    }

    /// The lowest channel id nobody uses.
    pub(crate) fn free_channel_id(&self) -> Option<u16> {
        let taken = |id: &u16| self.channels.contains_key(id) || self.releasing.contains(id);
        (1..=self.tuning.channel_max).find(|id| !taken(id))
    }
}

/// Encodes a method frame from a `Method` value.
fn encode_method_dyn(out: &mut bytes::BytesMut, channel: u16, method: Method) {
    out.reserve(method.encoded_len() + 8);
    crate::codec::Frame::Method { channel, method }.encode(out);
}
