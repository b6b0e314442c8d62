//! The catalogue: every `<rule>` of spec/amqp0-9-1.xml under its key
//! (`class/method/field/rule`, as RabbitMQ's conformance table writes it,
//! without the spaces), each either a scenario or the reason it cannot be
//! observed from a client; plus the framing checks of section 4.2 and
//! RabbitMQ's extensions. One file per class.

mod acks;
mod basic;
mod channel;
mod confirm;
mod connection;
mod exchange;
mod extensions;
mod framing;
mod nowait;
mod queue;
mod tx;

use crate::scenario::Script;

/// Why a rule has no scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reason {
    /// The rule binds the client (or the application); a server does
    /// nothing observable whether or not clients follow it.
    ClientObligation,
    /// It concerns the server's storage, logs or administration, which the
    /// protocol does not expose.
    ServerInternal,
    /// A MAY (or a SHOULD without a measurable threshold): any behaviour conforms.
    Permissive,
    /// It needs the server to be overloaded or to send mid-content, which a
    /// client cannot bring about reliably and deterministically.
    NotInducible,
}

impl Reason {
    /// The reason as the report prints it.
    pub fn text(self) -> &'static str {
        match self {
            Reason::ClientObligation => {
                "binds the client: the server has nothing observable to do"
            }
            Reason::ServerInternal => {
                "about the server's storage, logs or administration, which the protocol does not expose"
            }
            Reason::Permissive => "permissive (MAY, or SHOULD with no measurable threshold): any behaviour conforms",
            Reason::NotInducible => {
                "needs a server state (overload, a delivery in progress) that a client cannot bring about deterministically"
            }
        }
    }

    /// A short name for the reason (JSON, grouping).
    pub fn name(self) -> &'static str {
        match self {
            Reason::ClientObligation => "client-obligation",
            Reason::ServerInternal => "server-internal",
            Reason::Permissive => "permissive",
            Reason::NotInducible => "not-inducible",
        }
    }
}

/// What a scenario needs from the broker to be run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    /// Nothing.
    Nothing,
    /// `capabilities.NAME = true` in connection.start.
    Capability(&'static str),
    /// This `product` in the server properties.
    Product(&'static str),
    /// A restart of the broker (the run has a `--restart-cmd`).
    Restart,
}

/// How an entry is checked.
#[derive(Clone, Copy)]
pub enum Kind {
    /// By running this scenario.
    Scenario {
        /// Builds the steps.
        build: fn(&mut Script),
        /// What the broker must advertise.
        needs: Needs,
    },
    /// Not at all, for this reason.
    NotObservable(Reason),
}

/// One entry of the catalogue.
#[derive(Clone, Copy)]
pub struct Entry {
    /// `class/method/field/rule` (spec rules), or `framing/...`,
    /// `extensions/...`, `confirm/...`, `semantics/...`.
    pub key: &'static str,
    /// The file it lives in (`connection`, ..., `framing`, `extensions`).
    pub class: &'static str,
    /// What the rule requires, in our words.
    pub summary: &'static str,
    /// Scenario or reason.
    pub kind: Kind,
}

impl Entry {
    /// Whether the entry is one of the XML's `<rule>`s (not a framing or
    /// extension check).
    pub fn is_spec_rule(&self) -> bool {
        !matches!(
            self.class,
            "framing" | "extensions" | "confirm" | "semantics"
        )
    }
}

/// A scenario entry.
pub(crate) const fn scenario(
    key: &'static str,
    class: &'static str,
    summary: &'static str,
    build: fn(&mut Script),
) -> Entry {
    Entry {
        key,
        class,
        summary,
        kind: Kind::Scenario {
            build,
            needs: Needs::Nothing,
        },
    }
}

/// A scenario entry run only when the broker advertises something.
pub(crate) const fn scenario_if(
    key: &'static str,
    class: &'static str,
    summary: &'static str,
    needs: Needs,
    build: fn(&mut Script),
) -> Entry {
    Entry {
        key,
        class,
        summary,
        kind: Kind::Scenario { build, needs },
    }
}

/// A not-observable entry.
pub(crate) const fn unobservable(
    key: &'static str,
    class: &'static str,
    summary: &'static str,
    reason: Reason,
) -> Entry {
    Entry {
        key,
        class,
        summary,
        kind: Kind::NotObservable(reason),
    }
}

/// Every entry, class by class, framing and extensions last.
pub fn all() -> Vec<Entry> {
    let mut v = Vec::new();
    for part in [
        connection::ENTRIES,
        channel::ENTRIES,
        exchange::ENTRIES,
        queue::ENTRIES,
        basic::ENTRIES,
        tx::ENTRIES,
        acks::ENTRIES,
        nowait::ENTRIES,
        confirm::ENTRIES,
        framing::ENTRIES,
        extensions::ENTRIES,
    ] {
        v.extend_from_slice(part);
    }
    v
}

/// Reply codes, by the spec's names.
pub(crate) mod code {
    pub const NO_ROUTE: u16 = 312;
    pub const ACCESS_REFUSED: u16 = 403;
    pub const NOT_FOUND: u16 = 404;
    pub const RESOURCE_LOCKED: u16 = 405;
    pub const PRECONDITION_FAILED: u16 = 406;
    pub const FRAME_ERROR: u16 = 501;
    pub const SYNTAX_ERROR: u16 = 502;
    pub const COMMAND_INVALID: u16 = 503;
    pub const CHANNEL_ERROR: u16 = 504;
    pub const UNEXPECTED_FRAME: u16 = 505;
    pub const NOT_ALLOWED: u16 = 530;
    pub const NOT_IMPLEMENTED: u16 = 540;
}
