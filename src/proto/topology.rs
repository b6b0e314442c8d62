//! What the application declared through this connection, recorded so that
//! recovery can declare it again on a new one: exchanges, queues, queue
//! bindings and exchange-to-exchange bindings, in the order they were made.
//!
//! A declaration is recorded when the server confirmed it (its `-ok`), or
//! when it is sent with `no-wait` (nothing will confirm it); a deletion or
//! unbind forgets what it removed. Passive declares change nothing on the
//! server and are not recorded. A server-named queue (declared with an
//! empty name) is recorded under the name the server gave it and declared
//! with an empty name again on recovery; its bindings and consumers follow
//! the new name ([`Topology::rename`]).
//!
//! Consumers, qos, confirm and tx modes are per channel and live with the
//! channel's own state (`channel.rs`, `consumers.rs`).

use crate::codec::method::*;
use crate::codec::{Method, ShortStr};

/// A queue as declared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RecordedQueue {
    /// The declaration (with an empty name for a server-named queue).
    pub(crate) declare: QueueDeclare,
    /// Its name on the server now.
    pub(crate) name: ShortStr,
}

impl RecordedQueue {
    pub(crate) fn server_named(&self) -> bool {
        self.declare.queue.is_empty()
    }
}

/// The declarations to restore.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Topology {
    pub(crate) exchanges: Vec<ExchangeDeclare>,
    pub(crate) queues: Vec<RecordedQueue>,
    pub(crate) bindings: Vec<QueueBind>,
    pub(crate) exchange_bindings: Vec<ExchangeBind>,
}

/// Whether `method` changes what [`Topology`] records.
pub(crate) fn is_recorded(method: &Method) -> bool {
    match method {
        Method::ExchangeDeclare(d) => !d.passive,
        Method::QueueDeclare(d) => !d.passive,
        Method::ExchangeDelete(_)
        | Method::ExchangeBind(_)
        | Method::ExchangeUnbind(_)
        | Method::QueueBind(_)
        | Method::QueueUnbind(_)
        | Method::QueueDelete(_) => true,
        _ => false,
    }
}

impl Topology {
    /// Applies a declaration, deletion, bind or unbind the server accepted
    /// (`reply`: its `-ok`; `None` when it was sent with `no-wait`).
    pub(crate) fn record(&mut self, method: &Method, reply: Option<&Method>) {
        match method {
            Method::ExchangeDeclare(d) if !d.passive => {
                let mut d = d.clone();
                d.no_wait = false;
                match self.exchanges.iter_mut().find(|e| e.exchange == d.exchange) {
                    Some(e) => *e = d,
                    None => self.exchanges.push(d),
                }
            }
            Method::QueueDeclare(d) if !d.passive => {
                let name = match reply {
                    Some(Method::QueueDeclareOk(ok)) => ok.queue.clone(),
                    // A server-named queue sent with no-wait: its name is unknown.
                    _ if d.queue.is_empty() => return,
                    _ => d.queue.clone(),
                };
                let mut declare = d.clone();
                declare.no_wait = false;
                let queue = RecordedQueue { declare, name };
                match self.queues.iter_mut().find(|q| q.name == queue.name) {
                    Some(q) => *q = queue,
                    None => self.queues.push(queue),
                }
            }
            Method::QueueDelete(d) => self.forget_queue(&d.queue),
            Method::ExchangeDelete(d) => {
                let name = &d.exchange;
                self.exchanges.retain(|e| &e.exchange != name);
                self.bindings.retain(|b| &b.exchange != name);
                self.exchange_bindings
                    .retain(|b| &b.source != name && &b.destination != name);
            }
            Method::QueueBind(b) => {
                let mut b = QueueBind::clone(b);
                b.no_wait = false;
                if !self.bindings.contains(&b) {
                    self.bindings.push(b);
                }
            }
            Method::QueueUnbind(u) => self.bindings.retain(|b| {
                !(b.queue == u.queue
                    && b.exchange == u.exchange
                    && b.routing_key == u.routing_key
                    && b.arguments == u.arguments)
            }),
            Method::ExchangeBind(b) => {
                let mut b = ExchangeBind::clone(b);
                b.no_wait = false;
                if !self.exchange_bindings.contains(&b) {
                    self.exchange_bindings.push(b);
                }
            }
            Method::ExchangeUnbind(u) => self.exchange_bindings.retain(|b| {
                !(b.source == u.source
                    && b.destination == u.destination
                    && b.routing_key == u.routing_key
                    && b.arguments == u.arguments)
            }),
            _ => {}
        }
    }

    /// Forgets a queue and its bindings (deleted, or an auto-delete queue
    /// whose last consumer the application cancelled).
    pub(crate) fn forget_queue(&mut self, name: &ShortStr) {
        self.queues.retain(|q| &q.name != name);
        self.bindings.retain(|b| &b.queue != name);
    }

    /// Whether `name` is a recorded auto-delete queue.
    pub(crate) fn is_auto_delete(&self, name: &ShortStr) -> bool {
        self.queues
            .iter()
            .any(|q| &q.name == name && q.declare.auto_delete)
    }

    /// A server-named queue got a new name on recovery: the record and its
    /// bindings follow it (consumers are renamed by the caller).
    pub(crate) fn rename(&mut self, old: &ShortStr, new: &ShortStr) {
        for q in self.queues.iter_mut().filter(|q| &q.name == old) {
            q.name = new.clone();
        }
        for b in self.bindings.iter_mut().filter(|b| &b.queue == old) {
            b.queue = new.clone();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn queue(name: &'static str) -> QueueDeclare {
        QueueDeclare {
            queue: ShortStr::from_static(name),
            ..Default::default()
        }
    }

    fn ok(name: &'static str) -> Method {
        QueueDeclareOk {
            queue: ShortStr::from_static(name),
            message_count: 0,
            consumer_count: 0,
        }
        .into()
    }

    fn bind(q: &'static str, x: &'static str) -> QueueBind {
        QueueBind {
            queue: ShortStr::from_static(q),
            exchange: ShortStr::from_static(x),
            ..Default::default()
        }
    }

    #[test]
    fn a_server_named_queue_is_recorded_under_the_name_the_server_gave() {
        let mut t = Topology::default();
        t.record(&queue("").into(), Some(&ok("amq.gen-1")));
        assert_eq!(t.queues.len(), 1);
        assert_eq!(t.queues[0].name, "amq.gen-1");
        assert!(t.queues[0].server_named());
        t.record(
            &bind("amq.gen-1", "x").into(),
            Some(&Method::QueueBindOk(QueueBindOk {})),
        );
        t.rename(
            &ShortStr::from_static("amq.gen-1"),
            &ShortStr::from_static("amq.gen-2"),
        );
        assert_eq!(t.queues[0].name, "amq.gen-2");
        assert_eq!(
            t.bindings[0].queue, "amq.gen-2",
            "bindings follow the new name"
        );
    }

    #[test]
    fn deleting_forgets_what_depended_on_it() {
        let mut t = Topology::default();
        let x = ExchangeDeclare {
            exchange: ShortStr::from_static("x"),
            kind: ShortStr::from_static("fanout"),
            ..Default::default()
        };
        t.record(&x.into(), None);
        t.record(&queue("q").into(), Some(&ok("q")));
        t.record(&bind("q", "x").into(), None);
        t.record(
            &ExchangeBind {
                destination: ShortStr::from_static("y"),
                source: ShortStr::from_static("x"),
                ..Default::default()
            }
            .into(),
            None,
        );
        t.record(
            &ExchangeDelete {
                exchange: ShortStr::from_static("x"),
                ..Default::default()
            }
            .into(),
            None,
        );
        assert!(t.exchanges.is_empty());
        assert!(t.bindings.is_empty(), "a binding to a deleted exchange");
        assert!(t.exchange_bindings.is_empty());
        assert_eq!(t.queues.len(), 1);
        t.record(&bind("q", "z").into(), None);
        t.record(
            &QueueDelete {
                queue: ShortStr::from_static("q"),
                ..Default::default()
            }
            .into(),
            None,
        );
        assert!(t.queues.is_empty() && t.bindings.is_empty());
    }

    #[test]
    fn passive_declares_and_repeats_record_nothing_new() {
        let mut t = Topology::default();
        let mut passive = queue("q");
        passive.passive = true;
        t.record(&passive.into(), Some(&ok("q")));
        assert!(t.queues.is_empty());
        t.record(&bind("q", "x").into(), None);
        t.record(&bind("q", "x").into(), None);
        assert_eq!(t.bindings.len(), 1);
        t.record(
            &QueueUnbind {
                queue: ShortStr::from_static("q"),
                exchange: ShortStr::from_static("x"),
                ..Default::default()
            }
            .into(),
            None,
        );
        assert!(t.bindings.is_empty());
    }
}
