//! Automatic recovery, driven with a virtual clock: the harness of these
//! tests; what a lost transport fails and keeps and how the restore goes
//! (`restore.rs`); qos limits, tx mode and exchange-to-exchange bindings
//! restored (`modes.rs`); the backoff, when recovery applies and when it ends
//! (`policy.rs`).

use super::*;
use crate::codec::ShortStr;

fn recovering_config(policy: Recovery) -> Config {
    let mut options =
        crate::uri::ConnectionOptions::from_urls("amqp://a:5681,amqp://b:5682").expect("urls");
    options.heartbeat = Some(10);
    Config::from(options).with_recovery(policy)
}

fn policy() -> Recovery {
    Recovery {
        jitter: 0.0,
        ..Recovery::default()
    }
}

/// The recovery events, without the `Connecting` of each attempt.
fn recovery_events(ev: &[Event]) -> Vec<RecoveryEvent> {
    ev.iter()
        .filter_map(|e| match e {
            Event::Recovery(RecoveryEvent::Connecting { .. }) => None,
            Event::Recovery(r) => Some(r.clone()),
            _ => None,
        })
        .collect()
}

impl Harness {
    fn recovering() -> Self {
        Self::with(recovering_config(policy()))
    }

    /// Waits out the backoff (virtual clock) and hands the core a new
    /// transport; returns the address it asked for.
    fn reconnect(&mut self) -> crate::uri::Address {
        let at = self.conn.poll_timeout().expect("a retry is scheduled");
        assert!(
            self.conn.wants_transport().is_none(),
            "not before the delay"
        );
        self.now = at;
        self.conn.handle_timeout(self.now);
        let address = self
            .conn
            .wants_transport()
            .expect("wants a transport")
            .clone();
        self.conn.transport_ready(self.now);
        self.sent.clear();
        self.client_out = FrameDecoder::new(0);
        let header = self.conn.take_transmit(self.now).expect("protocol header");
        assert_eq!(&header[..], b"AMQP\x00\x00\x09\x01");
        let mut hs = ServerHandshake::new(tune(2047, 131_072, 10));
        let mut replies = hs.handle(&header).expect("header");
        self.conn.handle_input(&mut replies, self.now);
        hs.drive(&mut self.conn, self.now).expect("handshake");
        address
    }

    /// Answers every request the client sends with its `-ok` (a
    /// server-named queue is called `amq.gen-new`), until it sends none;
    /// returns what it sent, with channels.
    fn serve(&mut self) -> Vec<(u16, Method)> {
        let mut all = Vec::new();
        loop {
            let sent: Vec<(u16, Method)> = self
                .sent()
                .into_iter()
                .filter_map(|f| match f {
                    Frame::Method { channel, method } => Some((channel, method)),
                    _ => None,
                })
                .collect();
            if sent.is_empty() {
                return all;
            }
            for (ch, method) in &sent {
                let reply: Option<Method> = match method {
                    Method::ChannelOpen(_) => Some(ChannelOpenOk::default().into()),
                    Method::ChannelClose(_) => Some(ChannelCloseOk {}.into()),
                    Method::BasicQos(_) => Some(BasicQosOk {}.into()),
                    Method::ConfirmSelect(_) => Some(ConfirmSelectOk {}.into()),
                    Method::TxSelect(_) => Some(TxSelectOk {}.into()),
                    Method::ExchangeBind(_) => Some(ExchangeBindOk {}.into()),
                    Method::ExchangeDeclare(_) => Some(ExchangeDeclareOk {}.into()),
                    Method::QueueBind(_) => Some(QueueBindOk {}.into()),
                    Method::QueueDeclare(q) => Some(
                        QueueDeclareOk {
                            queue: if q.queue.is_empty() {
                                ShortStr::from_static("amq.gen-new")
                            } else {
                                q.queue.clone()
                            },
                            message_count: 0,
                            consumer_count: 0,
                        }
                        .into(),
                    ),
                    Method::BasicConsume(c) => Some(
                        BasicConsumeOk {
                            consumer_tag: c.consumer_tag.clone(),
                        }
                        .into(),
                    ),
                    _ => None,
                };
                if let Some(reply) = reply {
                    self.feed(&[m(*ch, reply)]);
                }
            }
            all.extend(sent);
        }
    }

    fn request_ok(&mut self, ch: u16, method: impl Into<Method>, reply: impl Into<Method>) {
        let id = self.conn.request(ch, method.into(), self.now).unwrap();
        assert!(id.is_some());
        self.sent();
        self.feed(&[m(ch, reply)]);
        let ev = self.events();
        assert!(matches!(completed(&ev).as_slice(), [(_, Ok(_))]), "{ev:?}");
    }

    fn publish(&mut self, ch: u16) -> Result<Option<u64>, Error> {
        self.conn.publish(
            ch,
            &BasicPublish {
                routing_key: ShortStr::from_static("q"),
                ..Default::default()
            },
            &crate::codec::BasicProperties::default(),
            &b"m"[..],
        )
    }
}

/// A connection with a channel in confirm mode with qos 10, an exchange,
/// a server-named queue bound to it and a consumer on that queue.
fn with_topology(h: &mut Harness) -> u16 {
    h.connect();
    let ch = h.open_channel();
    h.request_ok(
        ch,
        BasicQos {
            prefetch_size: 0,
            prefetch_count: 10,
            global: false,
        },
        BasicQosOk {},
    );
    h.request_ok(ch, ConfirmSelect { nowait: false }, ConfirmSelectOk {});
    h.request_ok(
        ch,
        ExchangeDeclare {
            exchange: ShortStr::from_static("x"),
            kind: ShortStr::from_static("fanout"),
            ..Default::default()
        },
        ExchangeDeclareOk {},
    );
    h.request_ok(
        ch,
        QueueDeclare {
            exclusive: true,
            ..Default::default()
        },
        QueueDeclareOk {
            queue: ShortStr::from_static("amq.gen-old"),
            message_count: 0,
            consumer_count: 0,
        },
    );
    h.request_ok(
        ch,
        QueueBind {
            queue: ShortStr::from_static("amq.gen-old"),
            exchange: ShortStr::from_static("x"),
            ..Default::default()
        },
        QueueBindOk {},
    );
    let started = h
        .conn
        .consume(
            ch,
            BasicConsume {
                queue: ShortStr::from_static("amq.gen-old"),
                consumer_tag: ShortStr::from_static("c1"),
                ..Default::default()
            },
            None,
            h.now,
        )
        .unwrap();
    h.sent();
    h.feed(&[m(
        ch,
        BasicConsumeOk {
            consumer_tag: started.consumer_tag,
        },
    )]);
    h.events();
    ch
}

mod modes;
mod policy;
mod restore;
