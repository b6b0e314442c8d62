//! Automatic recovery, driven with a virtual clock: what a lost transport
//! fails and keeps, the backoff, the restore sequence and its failures,
//! delivery tags and publish numbers across transports, held publishes.

use super::*;

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
                    Method::ExchangeDeclare(_) => Some(ExchangeDeclareOk {}.into()),
                    Method::QueueBind(_) => Some(QueueBindOk {}.into()),
                    Method::QueueDeclare(q) => Some(
                        QueueDeclareOk {
                            queue: if q.queue.is_empty() {
                                "amq.gen-new".into()
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
                routing_key: "q".into(),
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
            exchange: "x".into(),
            kind: "fanout".into(),
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
            queue: "amq.gen-old".into(),
            message_count: 0,
            consumer_count: 0,
        },
    );
    h.request_ok(
        ch,
        QueueBind {
            queue: "amq.gen-old".into(),
            exchange: "x".into(),
            ..Default::default()
        },
        QueueBindOk {},
    );
    let started = h
        .conn
        .consume(
            ch,
            BasicConsume {
                queue: "amq.gen-old".into(),
                consumer_tag: "c1".into(),
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

#[test]
fn a_lost_transport_fails_what_was_in_flight_and_keeps_channels_and_consumers() {
    let mut h = Harness::recovering();
    let ch = with_topology(&mut h);
    assert_eq!(h.publish(ch).unwrap(), Some(1));
    assert_eq!(h.publish(ch).unwrap(), Some(2));
    let pending = h
        .conn
        .request(
            ch,
            QueueDeclare {
                queue: "other".into(),
                ..Default::default()
            }
            .into(),
            h.now,
        )
        .unwrap()
        .unwrap();
    h.sent();
    h.feed(&[m(
        ch,
        BasicAck {
            delivery_tag: 1,
            multiple: false,
        },
    )]);
    h.events();
    h.conn.handle_io_error(std::io::Error::other("reset"));
    let ev = h.events();
    assert!(
        ev.iter().any(|e| matches!(e, Event::Unconfirmed { tags, error: Error::Io { .. }, .. } if *tags == (2..=2))),
        "the unconfirmed publish fails, never acked: {ev:?}"
    );
    assert!(
        completed(&ev)
            .iter()
            .any(|(id, r)| *id == pending && r.is_err()),
        "the request in flight fails: {ev:?}"
    );
    assert!(
        !ev.iter().any(|e| matches!(
            e,
            Event::ChannelClosed { .. } | Event::ConsumerEnded { .. } | Event::Closed(_)
        )),
        "channels and consumers survive: {ev:?}"
    );
    assert!(matches!(
        recovery_events(&ev).as_slice(),
        [RecoveryEvent::Lost {
            error: Error::Io { .. }
        }]
    ));
    assert!(matches!(
        h.conn.state(),
        ConnectionState::Recovering { attempt: 1, .. }
    ));
    assert!(
        h.conn.channel_is_open(ch),
        "the handle's channel is usable (held)"
    );
    assert!(!h.conn.is_closed());
}

#[test]
fn recovery_restores_channels_modes_topology_and_consumers_in_order() {
    let mut h = Harness::recovering();
    let ch = with_topology(&mut h);
    h.conn.handle_eof();
    h.events();
    let address = h.reconnect();
    assert_eq!(address.to_string(), "b:5682", "the next broker first");
    let sent = h.serve();
    let names: Vec<String> = sent
        .iter()
        .map(|(c, m)| format!("{c} {}", m.name()))
        .collect();
    assert_eq!(
        names,
        [
            "1 channel.open",
            "1 basic.qos",
            "1 confirm.select",
            "2 channel.open",
            "2 exchange.declare",
            "2 queue.declare",
            "2 queue.bind",
            "2 channel.close",
            "1 basic.consume",
        ],
        "topology on a channel of the core's own"
    );
    let Method::QueueBind(bind) = &sent[6].1 else {
        panic!()
    };
    assert_eq!(
        bind.queue, "amq.gen-new",
        "the binding follows the new name"
    );
    let Method::BasicConsume(consume) = &sent[8].1 else {
        panic!()
    };
    assert_eq!(
        (&consume.queue, &consume.consumer_tag),
        (&"amq.gen-new".into(), &"c1".into())
    );
    let ev = h.events();
    let rec = recovery_events(&ev);
    assert!(
        matches!(&rec[0], RecoveryEvent::QueueRenamed { old, new } if old == "amq.gen-old" && new == "amq.gen-new"),
        "{rec:?}"
    );
    assert!(
        matches!(rec.last(), Some(RecoveryEvent::Recovered { attempts: 1 })),
        "{rec:?}"
    );
    assert!(
        !ev.iter().any(|e| matches!(e, Event::ChannelClosed { .. })),
        "the core's channel makes no event: {ev:?}"
    );
    assert!(matches!(
        h.conn.state(),
        ConnectionState::Recovered { recoveries: 1 }
    ));
    assert!(h.conn.channel_is_open(ch) && h.conn.has_consumer(ch, "c1"));
}

#[test]
fn delivery_tags_of_the_old_transport_are_refused_and_new_ones_go_on() {
    let mut h = Harness::recovering();
    h.connect();
    let ch = h.open_channel();
    h.consume_ctag(ch);
    h.feed(&deliver_content(ch, 1));
    h.feed(&deliver_content(ch, 2));
    h.events();
    h.conn.handle_eof();
    h.reconnect();
    h.serve();
    h.events();
    h.feed(&deliver_content(ch, 1));
    let ev = h.events();
    let Some(Event::Delivery(d)) = ev.iter().find(|e| matches!(e, Event::Delivery(_))) else {
        panic!("{ev:?}")
    };
    assert_eq!(d.delivery_tag, 3, "the new server's 1 follows the old 2");
    let stale = h.conn.request(
        ch,
        BasicAck {
            delivery_tag: 2,
            multiple: false,
        }
        .into(),
        h.now,
    );
    assert!(
        matches!(stale, Err(Error::StaleDeliveryTag { channel, delivery_tag: 2 }) if channel == ch),
        "{stale:?}"
    );
    assert!(
        h.sent().is_empty(),
        "nothing sent for a stale tag (the broker would close with 406)"
    );
    h.conn
        .request(
            ch,
            BasicAck {
                delivery_tag: 3,
                multiple: true,
            }
            .into(),
            h.now,
        )
        .unwrap();
    let sent = h.sent_methods();
    assert!(matches!(sent.as_slice(), [Method::BasicAck(a)] if a.delivery_tag == 1 && a.multiple));
    h.conn
        .request(
            ch,
            BasicNack {
                delivery_tag: 0,
                multiple: true,
                requeue: true,
            }
            .into(),
            h.now,
        )
        .unwrap();
    assert!(matches!(h.sent_methods().as_slice(), [Method::BasicNack(n)] if n.delivery_tag == 0));
}

fn deliver_content(ch: u16, tag: u64) -> Vec<Frame> {
    vec![
        deliver(ch, tag),
        crate::testing::frames::header(ch, 1, Default::default()),
        crate::testing::frames::body(ch, b"x"),
    ]
}

#[test]
fn publishes_while_recovering_are_held_within_bounds_then_sent_after_the_restore() {
    let mut h = Harness::with(recovering_config(Recovery {
        hold_messages: 2,
        ..policy()
    }));
    let ch = with_topology(&mut h);
    assert_eq!(h.publish(ch).unwrap(), Some(1));
    h.conn.handle_io_error(std::io::Error::other("reset"));
    h.events();
    assert_eq!(
        h.publish(ch).unwrap(),
        Some(2),
        "held, numbered after the lost one"
    );
    assert_eq!(h.publish(ch).unwrap(), Some(3));
    assert!(
        matches!(h.publish(ch), Err(Error::Recovering { attempt: 1 })),
        "past the bound"
    );
    assert!(
        h.conn.take_transmit(h.now).is_none(),
        "nothing without a transport"
    );
    h.reconnect();
    let sent = h.serve();
    let consume_at = sent
        .iter()
        .position(|(_, m)| matches!(m, Method::BasicConsume(_)))
        .unwrap();
    let publishes: Vec<usize> = sent
        .iter()
        .enumerate()
        .filter(|(_, (_, m))| matches!(m, Method::BasicPublish(_)))
        .map(|(i, _)| i)
        .collect();
    assert_eq!(publishes.len(), 2, "{sent:?}");
    assert!(
        publishes.iter().all(|&i| i > consume_at),
        "released after the restore"
    );
    h.events();
    // The new server counts from 1: its ack of 2 settles our 3.
    h.feed(&[m(
        ch,
        BasicAck {
            delivery_tag: 2,
            multiple: true,
        },
    )]);
    let ev = h.events();
    assert!(
        matches!(ev.as_slice(), [Event::Confirmed { tags, ack: true, .. }] if *tags == (2..=3)),
        "{ev:?}"
    );
    assert!(h.publish(ch).is_ok(), "the bound is reset once recovered");
}

#[test]
fn a_transport_lost_during_the_restore_starts_the_restore_over() {
    let mut h = Harness::recovering();
    let ch = with_topology(&mut h);
    h.conn.handle_eof();
    h.events();
    h.reconnect();
    // The new broker answers the channel's open, then goes away too.
    let sent = h.sent_methods();
    assert!(matches!(sent.as_slice(), [Method::ChannelOpen(_)]));
    h.feed(&[m(ch, ChannelOpenOk::default())]);
    h.sent();
    h.conn.handle_io_error(std::io::Error::other("reset again"));
    let rec = recovery_events(&h.events());
    assert!(
        matches!(
            rec.as_slice(),
            [RecoveryEvent::AttemptFailed { attempt: 1, .. }]
        ),
        "{rec:?}"
    );
    assert!(matches!(
        h.conn.state(),
        ConnectionState::Recovering { attempt: 2, .. }
    ));
    let address = h.reconnect();
    assert_eq!(address.to_string(), "a:5681", "around the list");
    let sent = h.serve();
    assert_eq!(sent.len(), 9, "everything again: {sent:?}");
    let rec = recovery_events(&h.events());
    assert!(
        matches!(rec.last(), Some(RecoveryEvent::Recovered { attempts: 2 })),
        "{rec:?}"
    );
}

#[test]
fn a_declaration_the_new_broker_refuses_is_reported_and_the_restore_goes_on() {
    let mut h = Harness::recovering();
    let ch = with_topology(&mut h);
    h.conn.handle_eof();
    h.events();
    h.reconnect();
    let mut refused = false;
    loop {
        let sent: Vec<Frame> = h.sent();
        if sent.is_empty() {
            break;
        }
        for f in sent {
            let Frame::Method { channel, method } = f else {
                continue;
            };
            let reply: Method = match method {
                Method::ExchangeDeclare(_) if !refused => {
                    refused = true;
                    h.feed(&[m(
                        channel,
                        crate::testing::frames::channel_close(
                            406,
                            "inequivalent arg 'type'",
                            40,
                            10,
                        ),
                    )]);
                    continue;
                }
                Method::ChannelOpen(_) => ChannelOpenOk::default().into(),
                Method::ChannelClose(_) => ChannelCloseOk {}.into(),
                Method::BasicQos(_) => BasicQosOk {}.into(),
                Method::ConfirmSelect(_) => ConfirmSelectOk {}.into(),
                Method::QueueBind(_) => QueueBindOk {}.into(),
                Method::QueueDeclare(_) => QueueDeclareOk {
                    queue: "amq.gen-new".into(),
                    message_count: 0,
                    consumer_count: 0,
                }
                .into(),
                Method::BasicConsume(c) => BasicConsumeOk {
                    consumer_tag: c.consumer_tag,
                }
                .into(),
                _ => continue,
            };
            h.feed(&[m(channel, reply)]);
        }
    }
    let ev = h.events();
    let rec = recovery_events(&ev);
    assert!(
        rec.iter().any(|r| matches!(r, RecoveryEvent::NotRestored { what, error } if what == "exchange x" && error.reply_code() == Some(ReplyCode(406)))),
        "{rec:?}"
    );
    assert!(
        matches!(rec.last(), Some(RecoveryEvent::Recovered { .. })),
        "{rec:?}"
    );
    assert!(
        !ev.iter().any(|e| matches!(e, Event::ChannelClosed { .. })),
        "no channel of the application closed: {ev:?}"
    );
    assert!(h.conn.has_consumer(ch, "c1"));
}

#[test]
fn recovery_gives_up_after_the_last_attempt_and_ends_everything() {
    let mut h = Harness::with(recovering_config(Recovery {
        max_attempts: Some(2),
        ..policy()
    }));
    h.connect();
    let ch = h.open_channel();
    h.consume_ctag(ch);
    h.conn.handle_eof();
    h.events();
    for attempt in 1..=2 {
        let at = h.conn.poll_timeout().unwrap();
        h.now = at;
        h.conn.handle_timeout(h.now);
        assert!(h.conn.wants_transport().is_some(), "attempt {attempt}");
        h.conn
            .transport_failed(Error::io(std::io::Error::other("refused"), None), h.now);
    }
    let ev = h.events();
    assert!(
        ev.iter().any(|e| matches!(e, Event::ConsumerEnded { .. })),
        "{ev:?}"
    );
    assert!(ev
        .iter()
        .any(|e| matches!(e, Event::ChannelClosed { channel, .. } if *channel == ch)));
    assert!(
        matches!(ev.last(), Some(Event::Closed(Error::Io { .. }))),
        "{ev:?}"
    );
    assert!(h.conn.is_closed());
}

#[test]
fn the_backoff_grows_by_the_factor_up_to_the_cap_and_jitter_only_shortens_it() {
    let p = Recovery {
        initial_delay: Duration::from_millis(100),
        factor: 2,
        max_delay: Duration::from_millis(1000),
        jitter: 0.0,
        ..Recovery::default()
    };
    let delays: Vec<u128> = (1..=6).map(|a| p.delay(a).as_millis()).collect();
    assert_eq!(delays, [100, 200, 400, 800, 1000, 1000]);
    let j = Recovery { jitter: 0.5, ..p };
    for a in 1..=20 {
        let d = j.delay(a);
        assert!(d <= p.delay(a) && d >= p.delay(a) / 2, "attempt {a}: {d:?}");
    }
    assert!(
        (1..=20).any(|a| j.delay(a) != p.delay(a)),
        "jitter changes something"
    );
}

#[test]
fn only_failures_of_the_transport_or_a_server_going_away_are_recovered() {
    // A refusal during the first handshake is the caller's, not recovery's.
    let mut h = Harness::recovering();
    h.conn.handle_eof();
    assert!(
        h.conn.is_closed(),
        "no recovery before the connection was ever open"
    );

    // 320 CONNECTION_FORCED: the broker is going away.
    let mut h = Harness::recovering();
    h.connect();
    h.feed(&[m(
        0,
        ConnectionClose {
            reply_code: 320,
            reply_text: "shutdown".into(),
            class_id: 0,
            method_id: 0,
        },
    )]);
    assert!(matches!(h.conn.state(), ConnectionState::Recovering { .. }));

    // 530 NOT_ALLOWED would fail again.
    let mut h = Harness::recovering();
    h.connect();
    h.feed(&[m(
        0,
        ConnectionClose {
            reply_code: 530,
            reply_text: "no".into(),
            class_id: 0,
            method_id: 0,
        },
    )]);
    assert!(h.conn.is_closed());

    // Missed heartbeats: two intervals of silence.
    let mut h = Harness::recovering();
    h.connect();
    h.now += Duration::from_secs(21);
    h.conn.handle_timeout(h.now);
    let rec = recovery_events(&h.events());
    assert!(
        matches!(
            rec.as_slice(),
            [RecoveryEvent::Lost {
                error: Error::Timeout(TimeoutKind::Heartbeat)
            }]
        ),
        "{rec:?}"
    );
}

#[test]
fn closing_while_recovering_ends_the_connection_at_once() {
    let mut h = Harness::recovering();
    h.connect();
    h.open_channel();
    h.conn.handle_eof();
    h.events();
    let id = h
        .conn
        .close(ReplyCode::REPLY_SUCCESS, "bye", h.now)
        .unwrap();
    let ev = h.events();
    assert!(
        completed(&ev)
            .iter()
            .any(|(got, r)| *got == id && r.is_ok()),
        "{ev:?}"
    );
    assert!(matches!(
        ev.last(),
        Some(Event::Closed(Error::ConnectionClosed {
            by: Initiator::Application,
            ..
        }))
    ));
    assert!(h.conn.poll_timeout().is_none() && h.conn.wants_transport().is_none());
    assert!(matches!(
        h.conn.open_channel(h.now),
        Err(Error::ConnectionClosed { .. })
    ));
}

#[test]
fn cancelling_the_last_consumer_of_an_auto_delete_queue_forgets_the_queue() {
    let mut h = Harness::recovering();
    h.connect();
    let ch = h.open_channel();
    h.request_ok(
        ch,
        QueueDeclare {
            queue: "tmp".into(),
            auto_delete: true,
            ..Default::default()
        },
        QueueDeclareOk {
            queue: "tmp".into(),
            message_count: 0,
            consumer_count: 0,
        },
    );
    h.conn
        .consume(
            ch,
            BasicConsume {
                queue: "tmp".into(),
                consumer_tag: "t".into(),
                no_wait: true,
                ..Default::default()
            },
            None,
            h.now,
        )
        .unwrap();
    h.conn
        .request(
            ch,
            BasicCancel {
                consumer_tag: "t".into(),
                no_wait: true,
            }
            .into(),
            h.now,
        )
        .unwrap();
    h.sent();
    h.events();
    h.conn.handle_eof();
    h.reconnect();
    let sent = h.serve();
    assert!(
        !sent
            .iter()
            .any(|(_, m)| matches!(m, Method::QueueDeclare(_) | Method::BasicConsume(_))),
        "the broker deleted it with its last consumer: {sent:?}"
    );
}

#[test]
fn commands_that_need_the_broker_now_fail_while_recovering() {
    let mut h = Harness::recovering();
    h.connect();
    h.conn.handle_eof();
    assert!(matches!(
        h.conn.open_channel(h.now),
        Err(Error::Recovering { attempt: 1 })
    ));
    assert!(matches!(
        h.conn.update_secret(b"t", "r", h.now),
        Err(Error::Recovering { .. })
    ));
}

#[test]
fn a_restore_step_the_broker_does_not_answer_gives_the_transport_up_and_tries_again() {
    let mut h = Harness::recovering();
    let ch = with_topology(&mut h);
    h.conn.handle_eof();
    h.events();
    h.reconnect();
    let sent = h.sent_methods();
    assert!(
        matches!(sent.as_slice(), [Method::ChannelOpen(_)]),
        "{sent:?}"
    );
    // No open-ok: the request timeout (60 s by default) passes.
    h.now += Duration::from_secs(61);
    h.conn.handle_timeout(h.now);
    let rec = recovery_events(&h.events());
    assert!(
        matches!(
            rec.as_slice(),
            [RecoveryEvent::AttemptFailed {
                error: Error::Timeout(TimeoutKind::Request),
                ..
            }]
        ),
        "{rec:?}"
    );
    assert!(h.conn.needs_transport(), "the silent broker is given up");
    h.reconnect();
    h.serve();
    let rec = recovery_events(&h.events());
    assert!(
        matches!(rec.last(), Some(RecoveryEvent::Recovered { attempts: 2 })),
        "{rec:?}"
    );
    assert!(h.conn.has_consumer(ch, "c1"));
}

#[test]
fn after_a_server_shutdown_close_the_confirms_of_a_restored_channel_go_on() {
    let mut h = Harness::recovering();
    h.connect();
    let ch = h.open_channel();
    h.request_ok(ch, ConfirmSelect { nowait: false }, ConfirmSelectOk {});
    for seq in 1..=300 {
        assert_eq!(h.publish(ch).unwrap(), Some(seq));
    }
    h.sent();
    h.feed(&[m(
        ch,
        BasicAck {
            delivery_tag: 300,
            multiple: true,
        },
    )]);
    h.events();
    h.feed(&[m(
        0,
        ConnectionClose {
            reply_code: 320,
            reply_text: "shutdown".into(),
            class_id: 0,
            method_id: 0,
        },
    )]);
    h.events();
    h.conn
        .transport_failed(Error::io(std::io::Error::other("refused"), None), h.now);
    h.reconnect();
    h.serve();
    let rec = recovery_events(&h.events());
    assert!(
        matches!(rec.last(), Some(RecoveryEvent::Recovered { .. })),
        "{rec:?}"
    );
    assert_eq!(h.publish(ch).unwrap(), Some(301));
    let sent = h.sent_methods();
    assert!(
        matches!(sent.as_slice(), [Method::BasicPublish(_)]),
        "{sent:?}"
    );
    h.feed(&[m(
        ch,
        BasicAck {
            delivery_tag: 1,
            multiple: false,
        },
    )]);
    let ev = h.events();
    assert!(
        matches!(ev.as_slice(), [Event::Confirmed { tags, ack: true, .. }] if *tags == (301..=301)),
        "{ev:?}"
    );
}
