//! What the restore sends beyond the topology of `with_topology`: both
//! `basic.qos` limits (size and count, per consumer and global), tx mode,
//! and exchange-to-exchange bindings.

use super::*;
use crate::codec::ShortStr;

/// Loses the transport, reconnects (virtual clock) and answers every
/// restore step; returns what the core sent, by channel.
fn recover(h: &mut Harness) -> Vec<(u16, Method)> {
    h.conn.handle_eof();
    h.events();
    h.reconnect();
    let sent = h.serve();
    let ev = h.events();
    assert!(
        matches!(
            recovery_events(&ev).last(),
            Some(RecoveryEvent::Recovered { attempts: 1 })
        ),
        "{ev:?}"
    );
    sent
}

#[test]
fn recovery_restores_the_prefetch_size_with_the_prefetch_count() {
    let mut h = Harness::recovering();
    h.connect();
    let ch = h.open_channel();
    let per_consumer = BasicQos {
        prefetch_size: 65_536,
        prefetch_count: 10,
        global: false,
    };
    // A size alone, with no count, is a limit too.
    let global = BasicQos {
        prefetch_size: 1_048_576,
        prefetch_count: 0,
        global: true,
    };
    h.request_ok(ch, per_consumer.clone(), BasicQosOk {});
    h.request_ok(ch, global.clone(), BasicQosOk {});
    let sent = recover(&mut h);
    let qos: Vec<&BasicQos> = sent
        .iter()
        .filter_map(|(c, m)| match m {
            Method::BasicQos(q) if *c == ch => Some(q),
            _ => None,
        })
        .collect();
    assert_eq!(qos, [&per_consumer, &global]);
}

#[test]
fn a_later_qos_of_the_same_scope_replaces_the_restored_size() {
    let mut h = Harness::recovering();
    h.connect();
    let ch = h.open_channel();
    let first = BasicQos {
        prefetch_size: 4096,
        prefetch_count: 5,
        global: false,
    };
    let second = BasicQos {
        prefetch_size: 0,
        prefetch_count: 7,
        global: false,
    };
    h.request_ok(ch, first, BasicQosOk {});
    h.request_ok(ch, second.clone(), BasicQosOk {});
    let sent = recover(&mut h);
    let qos: Vec<&Method> = sent
        .iter()
        .filter(|(_, m)| matches!(m, Method::BasicQos(_)))
        .map(|(_, m)| m)
        .collect();
    assert_eq!(qos, [&Method::from(second)]);
}

#[test]
fn recovery_restores_tx_mode_of_a_channel() {
    let mut h = Harness::recovering();
    h.connect();
    let ch = h.open_channel();
    h.request_ok(ch, TxSelect {}, TxSelectOk {});
    let sent = recover(&mut h);
    let names: Vec<String> = sent
        .iter()
        .map(|(c, m)| format!("{c} {}", m.name()))
        .collect();
    assert_eq!(
        names,
        [format!("{ch} channel.open"), format!("{ch} tx.select")]
    );
    assert!(h.conn.channel_is_open(ch));
}

#[test]
fn recovery_restores_an_exchange_to_exchange_binding_after_both_exchanges() {
    let mut h = Harness::recovering();
    h.connect();
    let ch = h.open_channel();
    for name in ["src", "dst"] {
        h.request_ok(
            ch,
            ExchangeDeclare {
                exchange: ShortStr::from_static(name),
                kind: ShortStr::from_static("topic"),
                ..Default::default()
            },
            ExchangeDeclareOk {},
        );
    }
    let bind = ExchangeBind {
        destination: ShortStr::from_static("dst"),
        source: ShortStr::from_static("src"),
        routing_key: ShortStr::from_static("a.#"),
        ..Default::default()
    };
    h.request_ok(ch, bind.clone(), ExchangeBindOk {});
    let sent = recover(&mut h);
    let topology: Vec<&Method> = sent
        .iter()
        .filter(|(c, _)| *c != ch)
        .map(|(_, m)| m)
        .collect();
    let names: Vec<String> = topology.iter().map(|m| m.name().to_string()).collect();
    assert_eq!(
        names,
        [
            "channel.open",
            "exchange.declare",
            "exchange.declare",
            "exchange.bind",
            "channel.close"
        ]
    );
    assert_eq!(topology[3], &Method::from(bind));
}
