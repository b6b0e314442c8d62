//! The protocol facts the client's core reads from the codec's tables, against
//! the XML: which methods have a no-wait flag, which methods answer which
//! (with the 0-9-1 errata of the full XML applied), the errata list itself,
//! and which methods carry content. Then the generated helpers
//! (`Method::no_wait`, `Method::expects_reply`, `MethodInfo::is_answered_by`)
//! on every method and on a few by hand.

use amqp091_codec::method::{
    BasicAck, BasicPublish, BasicRecover, BasicRecoverAsync, ChannelFlowOk, ConfirmSelect,
    QueueDeclare, QueueDeclareOk,
};
use amqp091_codec::spec_info::{method_by_name, method_info, ERRATA, METHODS};
use amqp091_codec::ShortStr;
use amqp091_codec::{Method, UnknownMethod};
use amqp091_spec::{Class, Spec};
use bytes::{BufMut, Bytes, BytesMut};

/// The extended XML plus RabbitMQ's extensions, as on the wire (no errata).
fn extended() -> Spec {
    let (extended, extensions, _) = amqp091_spec::read_xml().expect("read spec XML");
    let extensions: Vec<&str> = extensions.iter().map(String::as_str).collect();
    amqp091_spec::parse(&extended, &extensions, None).expect("parse spec XML")
}

/// The full XML (errata applied), parsed as the extended one is.
fn full() -> Spec {
    let (_, _, full) = amqp091_spec::read_xml().expect("read spec XML");
    amqp091_spec::parse(&full, &[], None).expect("parse full XML")
}

fn find<'a>(spec: &'a Spec, class: &str, method: &str) -> Option<&'a amqp091_spec::Method> {
    spec.classes
        .iter()
        .filter(|c| c.name == class)
        .flat_map(|c| &c.methods)
        .find(|m| m.name == method)
}

/// Ids within `class` of the methods named `responses`.
fn ids(class: &Class, responses: &[String]) -> Vec<u16> {
    responses
        .iter()
        .map(|r| {
            class
                .methods
                .iter()
                .find(|m| &m.name == r)
                .unwrap_or_else(|| panic!("{} has no method {r}", class.name))
                .index
        })
        .collect()
}

#[test]
fn no_wait_flags_match_the_xml() {
    let spec = extended();
    let mut with_flag = 0;
    for c in &spec.classes {
        for m in &c.methods {
            let what = format!("{}.{}", c.name, m.name);
            for f in &m.fields {
                // A third spelling would slip past both the table and the core.
                if f.name.contains("wait") {
                    assert!(
                        matches!(f.name.as_str(), "no-wait" | "nowait") && f.ty == "bit",
                        "{what} has a wait field {} ({}) the tables do not know",
                        f.name,
                        f.ty
                    );
                }
            }
            let xml = m
                .fields
                .iter()
                .any(|f| matches!(f.name.as_str(), "no-wait" | "nowait"));
            let ours = method_info(c.index, m.index).expect("method in the table");
            assert_eq!(ours.no_wait, xml, "no_wait of {what}");
            with_flag += usize::from(xml);
        }
    }
    // exchange.declare/delete/bind/unbind, queue.declare/bind/purge/delete,
    // basic.consume/cancel, confirm.select.
    assert_eq!(with_flag, 11);
}

#[test]
fn reply_ids_match_the_xml_with_errata() {
    let spec = extended();
    let full = full();
    for c in &spec.classes {
        for m in &c.methods {
            let what = format!("{}.{}", c.name, m.name);
            let (synchronous, responses) = match find(&full, &c.name, &m.name) {
                Some(f) => (f.synchronous, f.responses.clone()),
                None => (m.synchronous, m.responses.clone()),
            };
            let ours = method_info(c.index, m.index).expect("method in the table");
            assert_eq!(ours.synchronous, synchronous, "synchronous of {what}");
            let want = ids(c, &responses);
            assert_eq!(ours.reply_ids, want.as_slice(), "reply_ids of {what}");
            let names: Vec<&str> = responses.iter().map(String::as_str).collect();
            assert_eq!(ours.responses, names.as_slice(), "responses of {what}");
            if !want.is_empty() {
                assert!(synchronous, "{what} has responses but is not synchronous");
            }
            for other in &c.methods {
                assert_eq!(
                    ours.is_answered_by(c.index, other.index),
                    want.contains(&other.index),
                    "{what} answered by {}.{}",
                    c.name,
                    other.name
                );
            }
            for id in &want {
                assert!(
                    !ours.is_answered_by(c.index.wrapping_add(1), *id),
                    "{what} answered from another class"
                );
            }
        }
    }
}

#[test]
fn errata_are_exactly_the_differences_between_the_two_xmls() {
    let spec = extended();
    let full = full();
    let mut want = Vec::new();
    for c in &full.classes {
        for f in &c.methods {
            let what = format!("{}.{}", c.name, f.name);
            let m = find(&spec, &c.name, &f.name)
                .unwrap_or_else(|| panic!("the extended XML lacks {what}"));
            assert_eq!(m.index, f.index, "id of {what}");
            if m.synchronous != f.synchronous {
                want.push((
                    what.clone(),
                    "synchronous",
                    if f.synchronous { "yes" } else { "no" }.to_string(),
                ));
            }
            if m.responses != f.responses {
                want.push((what, "responses", f.responses.join(", ")));
            }
        }
    }
    let got: Vec<_> = ERRATA
        .iter()
        .map(|e| (e.full_name.to_string(), e.attribute))
        .collect();
    let expected: Vec<_> = want.iter().map(|(n, a, _)| (n.clone(), *a)).collect();
    assert_eq!(got, expected, "ERRATA lists the differences, in XML order");
    for (e, (_, _, full_value)) in ERRATA.iter().zip(&want) {
        assert!(
            e.change
                .contains(&format!("{full_value} in the full XML (0-9-1 errata)")),
            "{} says what the full XML has: {}",
            e.full_name,
            e.change
        );
        // The table has the full XML's value.
        let info = method_by_name(e.full_name).expect("erratum names a method");
        match e.attribute {
            "synchronous" => assert_eq!(info.synchronous, full_value == "yes"),
            "responses" => assert_eq!(info.responses.join(", "), *full_value),
            other => panic!("unknown attribute {other}"),
        }
    }
    // The two known errata of 0-9-1.
    assert_eq!(
        got,
        [
            ("channel.flow-ok".to_string(), "synchronous"),
            ("basic.recover".to_string(), "synchronous"),
            ("basic.recover".to_string(), "responses"),
        ]
    );
}

#[test]
fn the_errata_tables_say_what_the_core_needs() {
    let recover = method_info(60, 110).expect("basic.recover");
    assert_eq!(recover.full_name, "basic.recover");
    assert!(recover.synchronous);
    assert_eq!(recover.reply_ids, &[111]);
    assert_eq!(recover.responses, &["recover-ok"]);
    assert!(recover.is_answered_by(60, 111));

    let recover_async = method_info(60, 100).expect("basic.recover-async");
    assert!(!recover_async.synchronous);
    assert!(recover_async.reply_ids.is_empty());

    // flow-ok: synchronous as a reply, but nothing answers it.
    let flow_ok = method_info(20, 21).expect("channel.flow-ok");
    assert!(flow_ok.synchronous);
    assert!(flow_ok.reply_ids.is_empty());
    assert_eq!(method_info(20, 20).expect("channel.flow").reply_ids, &[21]);

    let get = method_info(60, 70).expect("basic.get");
    assert_eq!(get.reply_ids, &[71, 72]);
}

#[test]
fn content_flags_match_the_xml() {
    let spec = extended();
    for c in &spec.classes {
        for m in &c.methods {
            let ours = method_info(c.index, m.index).expect("method in the table");
            assert_eq!(ours.content, m.content, "content of {}.{}", c.name, m.name);
        }
    }
    let with_content: Vec<&str> = METHODS
        .iter()
        .filter(|m| m.content)
        .map(|m| m.full_name)
        .collect();
    assert_eq!(
        with_content,
        [
            "basic.publish",
            "basic.return",
            "basic.deliver",
            "basic.get-ok"
        ]
    );
}

/// A payload for `m` with every field zero or empty, except the no-wait flag,
/// set to `no_wait`.
fn payload(c: &Class, m: &amqp091_spec::Method, no_wait: bool) -> Bytes {
    let mut out = BytesMut::new();
    out.put_u16(c.index);
    out.put_u16(m.index);
    let mut bit = 8; // > 7: the next bit starts an octet
    for f in &m.fields {
        if f.ty != "bit" {
            bit = 8;
        }
        match f.ty.as_str() {
            "bit" => {
                if bit > 7 {
                    out.put_u8(0);
                    bit = 0;
                }
                if no_wait && matches!(f.name.as_str(), "no-wait" | "nowait") {
                    let last = out.len() - 1;
                    out[last] |= 1 << bit;
                }
                bit += 1;
            }
            "octet" | "shortstr" => out.put_u8(0),
            "short" => out.put_u16(0),
            "long" | "longstr" | "table" => out.put_u32(0),
            "longlong" | "timestamp" => out.put_u64(0),
            other => panic!("type {other}"),
        }
    }
    out.freeze()
}

#[test]
fn no_wait_and_expects_reply_on_every_method() {
    let spec = extended();
    for c in &spec.classes {
        for m in &c.methods {
            let info = method_info(c.index, m.index).expect("method in the table");
            for flag in [false, true] {
                let method = Method::decode(payload(c, m, flag)).expect("decodes");
                let what = format!("{} with no-wait {flag}", info.full_name);
                assert_eq!(method.no_wait(), flag && info.no_wait, "no_wait of {what}");
                assert_eq!(
                    method.expects_reply(),
                    info.synchronous && !info.reply_ids.is_empty() && !method.no_wait(),
                    "expects_reply of {what}"
                );
            }
        }
    }
}

#[test]
fn no_wait_and_expects_reply_by_hand() {
    let declare = |no_wait| {
        Method::from(QueueDeclare {
            queue: ShortStr::from_static("q"),
            no_wait,
            ..Default::default()
        })
    };
    assert!(!declare(false).no_wait());
    assert!(declare(false).expects_reply());
    assert!(declare(true).no_wait());
    assert!(!declare(true).expects_reply());

    let select = |nowait| Method::from(ConfirmSelect { nowait });
    assert!(!select(false).no_wait());
    assert!(select(false).expects_reply());
    assert!(select(true).no_wait());
    assert!(!select(true).expects_reply());

    let ack = Method::from(BasicAck {
        delivery_tag: 1,
        multiple: true,
    });
    assert!(!ack.no_wait());
    assert!(!ack.expects_reply());

    let recover = Method::from(BasicRecover { requeue: true });
    assert!(!recover.no_wait());
    assert!(recover.expects_reply(), "basic.recover, errata applied");
    let info = recover.info().expect("known");
    assert!(info.is_answered_by(60, 111));
    assert!(!info.is_answered_by(60, 110));
    assert!(!info.is_answered_by(20, 111));

    assert!(!Method::from(BasicRecoverAsync { requeue: true }).expects_reply());
    assert!(!Method::from(BasicPublish::default()).expects_reply());
    assert!(!Method::from(QueueDeclareOk::default()).expects_reply());
    assert!(!Method::from(ChannelFlowOk { active: true }).expects_reply());

    let unknown = Method::Unknown(UnknownMethod {
        class_id: 60,
        method_id: 999,
        args: Bytes::from_static(&[1]),
    });
    assert!(!unknown.no_wait());
    assert!(!unknown.expects_reply());
}

#[test]
fn the_generator_applies_the_errata_it_lists() {
    let spec = amqp091_spec::load().expect("load");
    let listed: Vec<_> = spec
        .errata
        .iter()
        .map(|e| format!("{}.{} {}", e.class, e.method, e.attribute))
        .collect();
    let generated: Vec<_> = ERRATA
        .iter()
        .map(|e| format!("{} {}", e.full_name, e.attribute))
        .collect();
    assert_eq!(listed, generated);
    let recover = find(&spec, "basic", "recover").expect("basic.recover");
    assert!(recover.synchronous);
    assert_eq!(recover.responses, ["recover-ok"]);
}
