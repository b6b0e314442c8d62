//! One channel's state: its phase, the requests waiting for replies (in
//! order: a channel's replies come back in the order of its requests), its
//! consumers and its content assembly.

use std::collections::{HashSet, VecDeque};

use crate::codec::{Method, MethodArgs, ShortStr};

use super::content::Assembly;
use super::RequestId;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ChannelPhase {
    /// `channel.open` sent.
    Opening,
    Open,
    /// `channel.close` sent; only close and close-ok count now.
    Closing,
}

/// A request waiting for its reply.
#[derive(Debug, Clone)]
pub(crate) struct Rpc {
    pub(crate) id: RequestId,
    pub(crate) class_id: u16,
    /// Names (within the class) of the methods that answer it.
    pub(crate) responses: &'static [&'static str],
}

impl Rpc {
    pub(crate) fn for_method<M: MethodArgs>(id: RequestId) -> Self {
        let info = crate::codec::spec_info::method_info(M::CLASS_ID, M::METHOD_ID);
        Rpc {
            id,
            class_id: M::CLASS_ID,
            responses: info.map_or(&[], |i| i.responses),
        }
    }

    /// Whether `method` is a reply to this request (same class, one of its responses).
    pub(crate) fn answered_by(&self, method: &Method) -> bool {
        method.class_id() == self.class_id
            && method
                .info()
                .is_some_and(|i| self.responses.contains(&i.method_name))
    }
}

#[derive(Debug)]
pub(crate) struct Channel {
    pub(crate) phase: ChannelPhase,
    pub(crate) rpcs: VecDeque<Rpc>,
    pub(crate) consumers: HashSet<ShortStr>,
    pub(crate) assembly: Assembly,
    /// Exchange and routing key of the last `publish_str`, reused while they match.
    pub(crate) publish_names: (ShortStr, ShortStr),
    /// What our `channel.close` said, for the event once it is done.
    pub(crate) close_reason: Option<crate::CloseReason>,
    /// When our `channel.close` stops waiting for close-ok.
    pub(crate) close_deadline: Option<std::time::Instant>,
    /// The server's `channel.close` that crossed ours, until our close-ok.
    pub(crate) server_close: Option<crate::CloseReason>,
    /// In confirm mode: the sequence number of the next publish.
    pub(crate) next_confirm_seq: Option<u64>,
    /// `false` while the server has paused publishing (`channel.flow`).
    pub(crate) flow_active: bool,
}

impl Channel {
    pub(crate) fn new() -> Self {
        Channel {
            phase: ChannelPhase::Opening,
            rpcs: VecDeque::new(),
            consumers: HashSet::new(),
            assembly: Assembly::default(),
            publish_names: Default::default(),
            close_reason: None,
            close_deadline: None,
            server_close: None,
            next_confirm_seq: None,
            flow_active: true,
        }
    }

    /// In confirm mode, the next publish's sequence number (and counts it).
    pub(crate) fn next_publish_seq(&mut self) -> Option<u64> {
        let seq = self.next_confirm_seq?;
        self.next_confirm_seq = Some(seq + 1);
        Some(seq)
    }
}
