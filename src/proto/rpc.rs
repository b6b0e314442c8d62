//! Reply matching: which methods expect a reply, and whether a method the
//! server sent answers a request. A channel's replies come back in the
//! order of its requests, so each channel keeps its requests in a queue
//! and only the oldest can be answered.

use std::time::Instant;

use crate::codec::spec_info::{method_info, MethodInfo};
use crate::codec::{Method, MethodArgs};

use super::RequestId;

/// A request waiting for its reply.
#[derive(Debug, Clone)]
pub(crate) struct Rpc {
    /// `None` for a request the core made itself (its reply is consumed here).
    pub(crate) id: Option<RequestId>,
    pub(crate) class_id: u16,
    /// Method ids (within the class) of the methods that answer it.
    pub(crate) replies: &'static [u16],
    /// When it fails with [`TimeoutKind::Request`](crate::TimeoutKind::Request) (`None`: never).
    pub(crate) deadline: Option<Instant>,
    /// Whoever waited for it went away ([`Connection::abandon`](super::Connection::abandon)).
    pub(crate) abandoned: bool,
    /// A step of a recovery's restore (its reply goes to `restore.rs`).
    pub(crate) restore: bool,
    /// A declaration, deletion or binding to record when it succeeds
    /// (recovery on): the method as sent.
    pub(crate) record: Option<Box<Method>>,
}

impl Rpc {
    /// A request of method `M`, answered by `deadline` at the latest.
    pub(crate) fn for_method<M: MethodArgs>(
        id: Option<RequestId>,
        deadline: Option<Instant>,
    ) -> Self {
        match method_info(M::CLASS_ID, M::METHOD_ID) {
            Some(info) => Self::for_info(id, info, deadline),
            None => Rpc {
                id,
                class_id: M::CLASS_ID,
                replies: &[],
                deadline,
                abandoned: false,
                restore: false,
                record: None,
            },
        }
    }

    pub(crate) fn for_info(
        id: Option<RequestId>,
        info: &'static MethodInfo,
        deadline: Option<Instant>,
    ) -> Self {
        Rpc {
            id,
            class_id: info.class_id,
            replies: info.reply_ids,
            deadline,
            abandoned: false,
            restore: false,
            record: None,
        }
    }

    /// Whether `method` is a reply to this request (same class, one of its replies).
    pub(crate) fn answered_by(&self, method: &Method) -> bool {
        method.class_id() == self.class_id && self.replies.contains(&method.method_id())
    }
}
