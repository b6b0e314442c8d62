//! Deadlines: the handshake, heartbeats (sent when we are quiet, the
//! connection failed after two silent intervals), and the closes of the
//! connection and of channels.

use std::time::{Duration, Instant};

use crate::codec::{Frame, ReplyCode, ShortStr};
use crate::error::{Error, Initiator, TimeoutKind};

use super::channel::ChannelPhase;
use super::connection::Phase;
use super::Connection;

impl Connection {
    /// When [`handle_timeout`](Self::handle_timeout) must be called next.
    pub fn poll_timeout(&self) -> Option<Instant> {
        let mut next: Option<Instant> = None;
        let mut at = |t: Instant| next = Some(next.map_or(t, |n| n.min(t)));
        match &self.phase {
            Phase::Closed { .. } => return None,
            Phase::Recovering {
                retry_at,
                connecting: false,
                ..
            } => at(*retry_at),
            // The front end is connecting, within its own connection timeout.
            Phase::Recovering { .. } => return None,
            Phase::Closing { deadline, .. } => at(*deadline),
            Phase::Handshake { deadline, .. } => at(*deadline),
            Phase::Open => {
                if let Some((send, dead)) = self.heartbeat_deadlines() {
                    at(send);
                    at(dead);
                }
                // A channel's requests are answered in order and made with
                // the same timeout: the oldest has the earliest deadline.
                if let Some(t) = self.connection_rpcs.front().and_then(|r| r.deadline) {
                    at(t);
                }
                for ch in self.channels.values() {
                    match ch.phase {
                        ChannelPhase::Closing {
                            deadline: Some(t), ..
                        } => at(t),
                        ChannelPhase::Closing { .. } => {}
                        _ => {
                            if let Some(t) = ch.rpcs.front().and_then(|r| r.deadline) {
                                at(t);
                            }
                        }
                    }
                }
            }
        }
        next
    }

    /// When a front end that is not told of every command must call
    /// [`handle_timeout`](Self::handle_timeout) next:
    /// [`poll_timeout`](Self::poll_timeout), or earlier, the soonest
    /// deadline a command made at `now` or later can set (a request's
    /// timeout, a close's). A reader that sleeps until then need not be
    /// woken when a command adds a deadline: a command never adds one
    /// sooner. A call with nothing due does nothing.
    pub fn wake_at(&self, now: Instant) -> Option<Instant> {
        let deadline = self.poll_timeout();
        if !matches!(self.phase, Phase::Open) {
            return deadline;
        }
        let soonest = match self.config.options.request_timeout {
            Some(t) => t.min(self.config.close_timeout),
            None => self.config.close_timeout,
        };
        let horizon = now + soonest;
        Some(deadline.map_or(horizon, |d| d.min(horizon)))
    }

    fn heartbeat_deadlines(&self) -> Option<(Instant, Instant)> {
        if !matches!(self.phase, Phase::Open) || self.tuning.heartbeat == 0 {
            return None;
        }
        let interval = Duration::from_secs(u64::from(self.tuning.heartbeat));
        Some((
            self.last_write + interval / 2,
            self.last_read + interval * 2,
        ))
    }

    /// Checks deadlines: handshake, heartbeats (sends one, or fails the
    /// connection after two silent intervals), closes.
    pub fn handle_timeout(&mut self, now: Instant) {
        self.clock = self.clock.max(now);
        match &self.phase {
            Phase::Closed { .. } => {}
            Phase::Recovering { .. } => self.recovery_timeout(now),
            Phase::Closing { deadline, .. } => {
                if now >= *deadline {
                    self.finish_closing();
                }
            }
            Phase::Handshake { deadline, .. } => {
                if now >= *deadline {
                    self.lose_transport(Error::Timeout(TimeoutKind::Connect));
                }
            }
            Phase::Open => {
                self.channel_close_timeouts(now);
                self.request_timeouts(now);
                let Some((send, dead)) = self.heartbeat_deadlines() else {
                    return;
                };
                if now >= dead {
                    return self.lose_transport(Error::Timeout(TimeoutKind::Heartbeat));
                }
                if now >= send {
                    if self.pending_transmit() == 0 {
                        Frame::Heartbeat { channel: 0 }.encode(&mut self.out);
                    } else {
                        // Bytes already wait for the writer (stalled by a
                        // server that does not read): no heartbeat needed,
                        // and the next deadline must not stay in the past.
                        self.last_write = now;
                    }
                }
            }
        }
    }

    /// Requests the server did not answer in time fail with
    /// [`TimeoutKind::Request`]; the channel is closed, since what the
    /// server made of the request is unknown (a request on channel 0 just
    /// fails).
    fn request_timeouts(&mut self, now: Instant) {
        let late =
            |rpc: Option<&super::rpc::Rpc>| rpc.and_then(|r| r.deadline).is_some_and(|t| now >= t);
        while late(self.connection_rpcs.front()) {
            if let Some(rpc) = self.connection_rpcs.pop_front() {
                self.complete(rpc.id, Err(Error::Timeout(TimeoutKind::Request)));
            }
        }
        let expired: Vec<u16> = self
            .channels
            .iter()
            .filter(|(_, ch)| !ch.is_closing() && late(ch.rpcs.front()))
            .map(|(&id, _)| id)
            .collect();
        for channel in expired {
            let rpc = self
                .channels
                .get_mut(&channel)
                .and_then(|ch| ch.rpcs.pop_front());
            if rpc.as_ref().is_some_and(|r| r.restore) {
                // The new broker does not answer the restore: try another.
                tracing::warn!(channel, "a restore step timed out; reconnecting");
                return self.restore_timed_out();
            }
            if let Some(rpc) = rpc {
                tracing::warn!(channel, "request timed out; closing the channel");
                self.complete(rpc.id, Err(Error::Timeout(TimeoutKind::Request)));
            }
            self.begin_channel_close(
                channel,
                ReplyCode::REPLY_SUCCESS,
                ShortStr::from_static("a request timed out"),
                Initiator::Library,
                None,
                now,
            );
        }
    }

    /// Channel closes whose close-ok did not come in time fail their
    /// request; the channel id stays in use until a close-ok comes.
    fn channel_close_timeouts(&mut self, now: Instant) {
        let mut expired = Vec::new();
        for ch in self.channels.values_mut() {
            if let ChannelPhase::Closing { deadline, .. } = &mut ch.phase {
                if deadline.is_some_and(|t| now >= t) {
                    *deadline = None;
                    expired.extend(ch.rpcs.drain(..).map(|rpc| rpc.id));
                }
            }
        }
        for id in expired {
            self.complete(id, Err(Error::Timeout(TimeoutKind::Close)));
        }
    }
}
