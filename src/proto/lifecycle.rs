//! A channel's life from the application's side: opening it, closing it
//! (our `channel.close`, and the server's crossing it), and its end, when
//! everything waiting on it fails and [`Event::ChannelClosed`] is reported.

use std::time::Instant;

use crate::codec::method::*;
use crate::codec::{encode_method, ReplyCode, ShortStr};
use crate::error::{CloseReason, Error, Initiator};

use super::channel::{Channel, ChannelPhase};
use super::commands::short;
use super::confirms::Confirms;
use super::rpc::Rpc;
use super::{Connection, ConsumerEnd, Event, Reply, RequestId};

impl Connection {
    /// Opens the lowest free channel. Its `channel.open-ok` completes the
    /// request. An id is free when no channel uses it and the
    /// [`ChannelClosed`](super::Event::ChannelClosed) of the last channel
    /// that had it has been polled.
    pub fn open_channel(&mut self, now: Instant) -> Result<(u16, RequestId), Error> {
        self.check_open()?;
        let deadline = self.request_deadline(now);
        let Some(channel) = self.free_channel_id() else {
            return Err(Error::ChannelLimit {
                channel_max: self.tuning.channel_max,
            });
        };
        let id = self.next_id();
        let mut ch = Channel::new();
        ch.rpcs
            .push_back(Rpc::for_method::<ChannelOpen>(Some(id), deadline));
        self.channels.insert(channel, ch);
        encode_method(&mut self.out, channel, &ChannelOpen::default());
        Ok((channel, id))
    }

    /// Closes a channel with a reply code and text (200 for a normal close).
    /// Requests still waiting on it fail at once; `channel.close-ok` completes this one.
    /// If no `close-ok` comes within the close timeout, this request fails
    /// with [`TimeoutKind::Close`](crate::TimeoutKind::Close) (the channel id stays in use).
    pub fn close_channel(
        &mut self,
        channel: u16,
        code: ReplyCode,
        text: &str,
        now: Instant,
    ) -> Result<RequestId, Error> {
        self.check_usable()?;
        let text = short(text, "reply text")?;
        self.channel_mut_open(channel)?;
        let id = self.next_id();
        let waiting = self
            .channels
            .get(&channel)
            .is_some_and(|c| c.phase == ChannelPhase::Recovering);
        if waiting {
            // Not open on any broker: it ends here.
            let reason = CloseReason::new(code, text.to_string());
            self.complete(Some(id), Ok(super::Reply::Method(ChannelCloseOk {}.into())));
            let by = Initiator::Application;
            self.channel_ended(
                channel,
                Error::ChannelClosed {
                    channel,
                    reason,
                    by,
                },
            );
            return Ok(id);
        }
        self.begin_channel_close(channel, code, text, Initiator::Application, Some(id), now);
        Ok(id)
    }

    /// Sends `channel.close`: requests still waiting on the channel fail,
    /// content in progress is dropped, and the channel waits for close-ok
    /// (at most the close timeout).
    pub(crate) fn begin_channel_close(
        &mut self,
        channel: u16,
        code: ReplyCode,
        text: ShortStr,
        by: Initiator,
        request: Option<RequestId>,
        now: Instant,
    ) {
        self.clock = self.clock.max(now);
        let deadline = now + self.config.close_timeout;
        let Some(ch) = self.channels.get_mut(&channel) else {
            return;
        };
        let reason = CloseReason::new(code, text.to_string());
        ch.phase = ChannelPhase::Closing {
            reason: reason.clone(),
            by,
            deadline: Some(deadline),
            server_close: None,
        };
        let pending: Vec<Rpc> = ch.rpcs.drain(..).collect();
        let dropped = std::mem::take(&mut ch.assembly).held();
        self.partial = self.partial.saturating_sub(dropped);
        ch.rpcs
            .push_back(Rpc::for_method::<ChannelClose>(request, None));
        let err = Error::ChannelClosed {
            channel,
            reason,
            by,
        };
        for rpc in pending {
            self.complete(rpc.id, Err(err.clone()));
        }
        encode_method(
            &mut self.out,
            channel,
            &ChannelClose {
                reply_code: code.0,
                reply_text: text,
                class_id: 0,
                method_id: 0,
            },
        );
    }

    /// Our `channel.close` is answered: report it like any other channel
    /// end, with the server's reason if its close crossed ours (a 404 for
    /// an earlier publish, say: that is what the application must hear).
    pub(super) fn our_close_done(&mut self, channel: u16, request: Option<super::RequestId>) {
        let Some(ch) = self.channels.get_mut(&channel) else {
            return;
        };
        let phase = std::mem::replace(&mut ch.phase, ChannelPhase::Opening);
        let (ours, by, theirs) = match phase {
            ChannelPhase::Closing {
                reason,
                by,
                server_close,
                ..
            } => (reason, by, server_close),
            _ => (
                CloseReason::new(ReplyCode::REPLY_SUCCESS, ""),
                Initiator::Application,
                None,
            ),
        };
        match theirs {
            Some(reason) => {
                let err = Error::ChannelClosed {
                    channel,
                    reason,
                    by: Initiator::Server,
                };
                self.complete(request, Err(err.clone()));
                self.channel_ended(channel, err);
            }
            None => {
                self.complete(request, Ok(Reply::Method(ChannelCloseOk {}.into())));
                let err = Error::ChannelClosed {
                    channel,
                    reason: ours,
                    by,
                };
                self.channel_ended(channel, err);
            }
        }
    }

    /// A channel is gone: what waits on it fails with `error` (requests,
    /// unconfirmed publishes, consumers), then [`Event::ChannelClosed`].
    /// Its id stays taken until that event is polled.
    pub(crate) fn channel_ended(&mut self, channel: u16, error: Error) {
        let Some(mut ch) = self.channels.remove(&channel) else {
            return;
        };
        self.partial = self.partial.saturating_sub(ch.assembly.held());
        if ch.internal {
            // The core's own channel (recovery's): nothing of the application's.
            return self.restore_channel_ended(channel, &error);
        }
        for message in ch.held_returns.drain(..) {
            self.events.push_back(Event::Returned {
                channel,
                sequence: None,
                message,
            });
        }
        for rpc in ch.rpcs.drain(..) {
            self.complete(rpc.id, Err(error.clone()));
        }
        if let Some(tags) = ch.confirms.as_mut().and_then(Confirms::fail_all) {
            self.events.push_back(Event::Unconfirmed {
                channel,
                tags,
                error: error.clone(),
            });
        }
        for (consumer_tag, _) in ch.consumers.by_tag.drain() {
            self.events.push_back(Event::ConsumerEnded {
                channel,
                consumer_tag,
                end: ConsumerEnd::Closed(error.clone()),
            });
        }
        for rpc in ch.held_rpcs.drain(..) {
            self.complete(rpc.id, Err(error.clone()));
        }
        self.releasing.insert(channel);
        self.restore_channel_ended(channel, &error);
        self.events
            .push_back(Event::ChannelClosed { channel, error });
    }
}
