//! The `amqp091` binary, run as a user would: every subcommand against the
//! test broker (happy path and main error), `--json` output parsed field by
//! field, and the `frames` dissector on captured real sessions and on
//! hand-made malformed streams.
#![cfg(feature = "cli")]

mod common;

use amqp091::ShortStr;
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use amqp091::codec::method::{BasicPublish, ExchangeDeclare};
use amqp091::codec::raw::{write_frame_with, write_method_payload};
use amqp091::codec::{encode_content, encode_method, FieldArray, FieldTable, FieldValue};
use amqp091::BasicProperties;
use bytes::{Bytes, BytesMut};
use common::{broker_url, unique};
use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_amqp091");
const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/codec/tests/data");

/// What a run of the binary did.
#[derive(Debug)]
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    fn ok(self) -> Self {
        assert_eq!(self.code, Some(0), "expected success: {self:#?}");
        assert_eq!(self.stderr, "", "nothing on stderr on success: {self:#?}");
        self
    }

    /// Fails with one `error: ...` line on stderr; returns that line.
    fn fails(&self) -> &str {
        assert_eq!(self.code, Some(1), "expected exit code 1: {self:#?}");
        let lines: Vec<&str> = self.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "one line on stderr: {self:#?}");
        assert!(lines[0].starts_with("error: "), "{self:#?}");
        lines[0]
    }

    fn json(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l:?}")))
            .collect()
    }
}

/// Runs the binary with `stdin`; `broker`: with `AMQP_URL` set to the test
/// broker. A watchdog kills a run that outlives a minute.
fn run_with(args: &[&str], stdin: &[u8], broker: bool) -> Run {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if broker {
        cmd.env("AMQP_URL", broker_url());
    } else {
        cmd.env_remove("AMQP_URL");
    }
    let mut child = cmd.spawn().expect("start the amqp091 binary");
    let mut input = child.stdin.take().expect("stdin");
    let stdin = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        // The command may not read it all (it failed first): not an error here.
        let _ = input.write_all(&stdin);
    });
    let mut stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let out = std::thread::spawn(move || {
        let mut s = Vec::new();
        stdout.read_to_end(&mut s).expect("read stdout");
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = Vec::new();
        stderr.read_to_end(&mut s).expect("read stderr");
        s
    });
    let status = wait_exit(&mut child, Duration::from_secs(60));
    writer.join().expect("stdin writer");
    Run {
        code: status.code(),
        stdout: String::from_utf8(out.join().expect("stdout reader")).expect("UTF-8 stdout"),
        stderr: String::from_utf8(err.join().expect("stderr reader")).expect("UTF-8 stderr"),
    }
}

/// Runs a command against the test broker.
fn amqp(args: &[&str]) -> Run {
    run_with(args, b"", true)
}

/// Runs `frames` (no broker) on these bytes given on stdin.
fn frames(args: &[&str], bytes: &[u8]) -> Run {
    let mut all = vec!["frames"];
    all.extend_from_slice(args);
    run_with(&all, bytes, false)
}

/// A queue that expires a minute after its last use, should a test leave it behind.
fn queue(prefix: &str) -> String {
    let name = unique(prefix);
    let declared = amqp(&[
        "--json",
        "declare",
        "queue",
        &name,
        "--arg",
        "x-expires:int=60000",
    ])
    .ok()
    .json();
    assert_eq!(
        declared,
        vec![json!({"queue": name, "message_count": 0, "consumer_count": 0})]
    );
    name
}

fn message_count(queue: &str) -> u64 {
    let info = amqp(&[
        "--json",
        "declare",
        "queue",
        queue,
        "--passive",
        "--arg",
        "x-expires:int=60000",
    ])
    .ok()
    .json();
    info[0]["message_count"].as_u64().expect("message_count")
}

fn bodies(messages: &[Value]) -> Vec<&str> {
    messages
        .iter()
        .map(|m| m["body"].as_str().expect("a text body"))
        .collect()
}

// ----- frames: captured sessions -----

fn read_data(name: &str) -> Vec<u8> {
    std::fs::read(format!("{DATA}/{name}")).expect("captured stream")
}

/// Every record follows the previous frame, and the last one ends the input.
fn check_offsets(records: &[Value], first: u64, len: usize) {
    let mut next = first;
    for r in records {
        assert_eq!(r["offset"], json!(next), "{r}");
        next += r["size"].as_u64().expect("size") + 8;
    }
    assert_eq!(next, len as u64);
}

#[test]
fn frames_dissects_the_server_side_of_a_real_session() {
    let path = format!("{DATA}/tutorial-consumer-server.bin");
    let bytes = read_data("tutorial-consumer-server.bin");

    let text = run_with(&["frames", &path], b"", false).ok().stdout;
    assert!(text.starts_with(
        "offset 0: channel 0, method connection.start (10, 10), 496 bytes\n  version-major: 0\n  version-minor: 9\n  server-properties:\n    capabilities (F, table):\n      publisher_confirms (t, bool): true\n"
    ), "{text}");
    assert!(text.contains("\n    product (S, longstr): \"RabbitMQ\"\n"));
    assert!(text.contains("\n  mechanisms: \"AMQPLAIN PLAIN\"\n  locales: \"en_US\"\n"));
    assert!(text.contains(
        "method basic.deliver (60, 60), 26 bytes\n  consumer-tag: \"any\"\n  delivery-tag: 2\n"
    ));
    assert!(text.contains(
        "content header, basic, body-size 32, weight 0, 34 bytes\n  content-type: \"text/plain\"\n  delivery-mode: 2\n"
    ));

    let records = run_with(&["--json", "frames", &path], b"", false)
        .ok()
        .json();
    check_offsets(&records, 0, bytes.len());
    let start = &records[0];
    assert_eq!(start["type"], "method");
    assert_eq!(start["channel"], 0);
    assert_eq!(start["method"], "connection.start");
    assert_eq!(start["class_id"], 10);
    assert_eq!(start["method_id"], 10);
    let args = &start["arguments"];
    assert_eq!(
        args.as_object()
            .expect("arguments")
            .keys()
            .collect::<Vec<_>>(),
        [
            "version_major",
            "version_minor",
            "server_properties",
            "mechanisms",
            "locales"
        ]
    );
    assert_eq!(args["version_major"], 0);
    assert_eq!(args["version_minor"], 9);
    assert_eq!(args["mechanisms"], "AMQPLAIN PLAIN");
    assert_eq!(args["locales"], "en_US");
    let props = args["server_properties"].as_array().expect("a table");
    assert_eq!(props[0]["name"], "capabilities");
    assert_eq!(props[0]["type"], "F");
    assert_eq!(
        props[0]["value"][0],
        json!({"name": "publisher_confirms", "type": "t", "value": true})
    );
    assert!(props.contains(&json!({"name": "product", "type": "S", "value": "RabbitMQ"})));

    let deliver = records
        .iter()
        .find(|r| r["method"] == "basic.deliver")
        .expect("a basic.deliver");
    assert_eq!(
        deliver["arguments"],
        json!({"consumer_tag": "any", "delivery_tag": 2, "redelivered": false,
               "exchange": "e1", "routing_key": "q1Key"})
    );
}

#[test]
fn frames_dissects_the_client_side_with_its_protocol_header_and_bodies() {
    let bytes = read_data("tutorial-producer-client.bin");
    let records = frames(&["--json", "--body"], &bytes).ok().json();
    assert_eq!(
        records[0],
        json!({"offset": 0, "type": "protocol-header", "protocol": "AMQP 0 0 9 1",
               "protocol_id": 0, "major": 0, "minor": 9, "revision": 1})
    );
    check_offsets(&records[1..], 8, bytes.len());
    assert_eq!(records[1]["method"], "connection.start-ok");
    assert_eq!(records[1]["offset"], 8);
    assert_eq!(records[1]["arguments"]["mechanism"], "PLAIN");
    assert_eq!(records[1]["arguments"]["response"], "\0guest\0guest");

    let i = records
        .iter()
        .position(|r| r["method"] == "basic.publish")
        .expect("a basic.publish");
    assert_eq!(
        records[i]["arguments"],
        json!({"reserved_1": 0, "exchange": "e1", "routing_key": "q1Key",
               "mandatory": true, "immediate": false})
    );
    let header = &records[i + 1];
    assert_eq!(header["type"], "header");
    assert_eq!(header["channel"], records[i]["channel"]);
    assert_eq!(header["class"], "basic");
    assert_eq!(header["class_id"], 60);
    assert_eq!(header["weight"], 0);
    assert_eq!(header["body_size"], 32);
    let props = header["properties"].as_object().expect("properties");
    assert_eq!(props["content_type"], "text/plain");
    assert_eq!(props["delivery_mode"], 2);
    assert!(props["timestamp"].is_u64());
    assert_eq!(props.len(), 3, "only the present properties: {props:?}");
    let body = &records[i + 2];
    assert_eq!(body["type"], "body");
    assert_eq!(body["size"], 32);
    assert_eq!(body["body"], "Hello Golang and AMQP(Rabbitmq)!");

    // Without --body, a body frame is its size only; text output says the same.
    let plain = frames(&["--json"], &bytes).ok().json();
    assert!(plain.iter().all(|r| r.get("body").is_none()));
    let text = frames(&["--body"], &bytes).ok().stdout;
    assert!(text.starts_with("offset 0: protocol header AMQP 0 0 9 1\noffset 8: channel 0, method connection.start-ok (10, 11), 161 bytes\n"));
    assert!(text.contains(
        "method basic.publish (60, 40), 16 bytes\n  reserved-1: 0\n  exchange: \"e1\"\n  routing-key: \"q1Key\"\n  mandatory: true\n"
    ));
    assert!(text.contains("  content-type: \"text/plain\"\n  delivery-mode: 2\n"));
    assert!(text.contains("body, 32 bytes\n  text: \"Hello Golang and AMQP(Rabbitmq)!\"\n"));
}

#[test]
fn frames_shows_every_field_value_type() {
    let mut nested = FieldTable::new();
    nested.insert("inner", -1i8);
    let mut args = FieldTable::new();
    args.insert("t", true);
    args.insert("b", -2i8);
    args.insert("B", 200u8);
    args.insert("s", -300i16);
    args.insert("u", 60000u16);
    args.insert("I", -70000i32);
    args.insert("i", 4_000_000_000u32);
    args.insert("l", i64::MIN);
    args.insert("L", u64::MAX);
    args.insert("f", 1.5f32);
    args.insert("d", -0.25f64);
    args.insert(
        "D",
        FieldValue::Decimal {
            scale: 2,
            value: 12345,
        },
    );
    args.insert("S", "text");
    args.insert("x", Bytes::from_static(&[0xde, 0xad]));
    args.insert("A", FieldArray(vec![FieldValue::I32(1), "two".into()]));
    args.insert("T", FieldValue::Timestamp(1_700_000_000));
    args.insert("F", nested);
    args.insert("V", FieldValue::Void);
    args.insert("bin", FieldValue::LongStr(vec![0xff, 0x00].into()));
    let declare = ExchangeDeclare {
        exchange: ShortStr::from_static("ex"),
        kind: ShortStr::from_static("headers"),
        arguments: args,
        ..Default::default()
    };
    let mut wire = BytesMut::new();
    encode_method(&mut wire, 3, &declare);

    let records = frames(&["--json"], &wire).ok().json();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["channel"], 3);
    assert_eq!(records[0]["method"], "exchange.declare");
    assert_eq!(
        records[0]["arguments"]["arguments"],
        json!([
            {"name": "t", "type": "t", "value": true},
            {"name": "b", "type": "b", "value": -2},
            {"name": "B", "type": "B", "value": 200},
            {"name": "s", "type": "s", "value": -300},
            {"name": "u", "type": "u", "value": 60000},
            {"name": "I", "type": "I", "value": -70000},
            {"name": "i", "type": "i", "value": 4_000_000_000u32},
            {"name": "l", "type": "l", "value": i64::MIN},
            {"name": "L", "type": "L", "value": u64::MAX},
            {"name": "f", "type": "f", "value": 1.5},
            {"name": "d", "type": "d", "value": -0.25},
            {"name": "D", "type": "D", "value": {"scale": 2, "value": 12345}},
            {"name": "S", "type": "S", "value": "text"},
            {"name": "x", "type": "x", "value": {"base64": "3q0="}},
            {"name": "A", "type": "A", "value": [{"type": "I", "value": 1}, {"type": "S", "value": "two"}]},
            {"name": "T", "type": "T", "value": 1_700_000_000},
            {"name": "F", "type": "F", "value": [{"name": "inner", "type": "b", "value": -1}]},
            {"name": "V", "type": "V", "value": null},
            {"name": "bin", "type": "S", "value": {"base64": "/wA="}},
        ])
    );

    let text = frames(&[], &wire).ok().stdout;
    assert!(
        text.contains(
            "  arguments:\n    t (t, bool): true\n    b (b, i8): -2\n    B (B, u8): 200\n    s (s, i16): -300\n"
        ),
        "{text}"
    );
    assert!(text.contains("    D (D, decimal): 12345e-2\n    S (S, longstr): \"text\"\n    x (x, bytes): 2 bytes: dead\n"));
    assert!(text
        .contains("    A (A, array):\n      [0] (I, i32): 1\n      [1] (S, longstr): \"two\"\n"));
    assert!(text.contains("    F (F, table):\n      inner (b, i8): -1\n    V (V, void): (void)\n    bin (S, longstr): b\"\\xff\\x00\"\n"));
}

// ----- frames: malformed input -----

fn heartbeat() -> Vec<u8> {
    vec![8, 0, 0, 0, 0, 0, 0, 0xce]
}

#[test]
fn frames_stops_at_a_bad_frame_end_byte() {
    let mut wire = BytesMut::from(&heartbeat()[..]);
    // channel.open on channel 1, then 0x00 where 0xce belongs.
    write_frame_with(&mut wire, 1, 1, None, &[0, 20, 0, 10, 0], 0x00);
    // A valid frame after it is not dissected.
    wire.extend_from_slice(&heartbeat());

    let run = frames(&[], &wire);
    let line = run.fails();
    assert_eq!(run.stdout, "offset 0: channel 0, heartbeat\n");
    assert_eq!(
        line,
        "error: malformed input in the frame at offset 8: frame-end octet is 0x00, expected 0xce at offset 20, method frame on channel 1"
    );

    let run = frames(&["--json"], &wire);
    run.fails();
    let records = run.json();
    assert_eq!(records.len(), 2);
    assert_eq!(
        records[0],
        json!({"offset": 0, "channel": 0, "type": "heartbeat", "size": 0})
    );
    assert_eq!(records[1]["type"], "error");
    assert_eq!(records[1]["offset"], 20);
    assert_eq!(records[1]["frame_offset"], 8);
    assert_eq!(
        records[1]["reason"],
        "frame-end octet is 0x00, expected 0xce"
    );
}

#[test]
fn frames_reports_a_truncated_last_frame() {
    let mut wire = BytesMut::new();
    write_method_payload(&mut wire, 1, 20, 10, &[0]);
    let whole = wire.len();
    write_method_payload(&mut wire, 1, 20, 10, &[0]);
    wire.truncate(whole + 9);

    let run = frames(&[], &wire);
    assert_eq!(
        run.fails(),
        format!("error: truncated frame at offset {whole}: the input ends after 9 of its 13 bytes")
    );
    assert_eq!(
        run.stdout,
        "offset 0: channel 1, method channel.open (20, 10), 5 bytes\n  reserved-1: \"\"\n"
    );

    let run = frames(&["--json"], &wire);
    run.fails();
    let records = run.json();
    assert_eq!(
        records[1],
        json!({"offset": whole, "type": "truncated", "what": "frame",
               "available": 9, "needed": 13})
    );

    // Cut inside the 7-byte header, and inside the protocol header.
    wire.truncate(whole + 3);
    assert_eq!(
        frames(&[], &wire).fails(),
        format!(
            "error: truncated frame header at offset {whole}: the input ends after 3 of its 7 bytes"
        )
    );
    assert_eq!(
        frames(&[], b"AMQP\0").fails(),
        "error: truncated protocol header at offset 0: the input ends after 5 of its 8 bytes"
    );
    // Empty input is no frame and no error.
    assert_eq!(frames(&[], b"").ok().stdout, "");
}

#[test]
fn frames_reports_an_unknown_field_value_tag() {
    // queue.declare: reserved-1, queue "q", the flag bits, then arguments {"k": 'Z' ...}.
    let args = [0, 0, 1, b'q', 0, 0, 0, 0, 3, 1, b'k', b'Z'];
    let mut wire = BytesMut::from(&heartbeat()[..]);
    write_method_payload(&mut wire, 1, 50, 10, &args);

    let run = frames(&[], &wire);
    // The tag sits 8 (heartbeat) + 7 (frame header) + 4 (ids) + 11 bytes in.
    assert_eq!(
        run.fails(),
        "error: malformed input in the frame at offset 8: unknown field value type tag 0x5a at offset 30, method frame on channel 1, in queue.declare, field arguments"
    );
    let run = frames(&["--json"], &wire);
    run.fails();
    let last = run.json().pop().expect("an error record");
    assert_eq!(last["offset"], 30);
    assert_eq!(last["reason"], "unknown field value type tag 0x5a");

    // Not a protocol header although it starts with 'A'.
    assert!(frames(&[], b"AMQX0091")
        .fails()
        .contains("not an AMQP protocol header"));
}

#[test]
fn frames_reads_a_file_or_stdin_alike() {
    let path = format!("{DATA}/tutorial-consumer-client.bin");
    let from_file = run_with(&["frames", "--body", &path], b"", false).ok();
    let from_stdin = frames(&["--body"], &read_data("tutorial-consumer-client.bin")).ok();
    assert_eq!(from_file.stdout, from_stdin.stdout);
    assert!(from_file.stdout.contains("method basic.consume"));
    assert!(
        run_with(&["frames", "/nonexistent/capture.bin"], b"", false)
            .fails()
            .contains("cannot open /nonexistent/capture.bin")
    );
}

#[test]
fn frames_of_a_message_encoded_by_the_codec() {
    let mut wire = BytesMut::new();
    let publish = BasicPublish {
        routing_key: ShortStr::from_static("k"),
        ..Default::default()
    };
    encode_method(&mut wire, 1, &publish);
    let props = BasicProperties::default()
        .with_message_id(ShortStr::from_static("m-1"))
        .with_priority(7);
    encode_content(&mut wire, 1, &props, &[0xff, 0x00, 0x41], 4096);
    let records = frames(&["--json", "--body"], &wire).ok().json();
    assert_eq!(
        records[1]["properties"],
        json!({"priority": 7, "message_id": "m-1"})
    );
    assert_eq!(records[2]["body_base64"], "/wBB");
    let text = frames(&["--body"], &wire).ok().stdout;
    assert!(text.ends_with("body, 3 bytes\n  hex: ff0041\n"), "{text}");
}

// ----- against the broker -----

#[test]
fn publish_then_get_round_trip_in_json() {
    let q = queue("cli-json");
    amqp(&[
        "publish",
        "",
        &q,
        "--body",
        "héllo",
        "--content-type",
        "text/plain",
        "--content-encoding",
        "utf-8",
        "--delivery-mode",
        "2",
        "--header",
        "h-str=v=1",
        "--header",
        "h-int:int=-5",
        "--header",
        "h-bool:bool=true",
        "--message-id",
        "id-1",
        "--correlation-id",
        "corr",
        "--reply-to",
        "replies",
        "--expiration",
        "60000",
        "--priority",
        "3",
        "--type",
        "greeting",
        "--app-id",
        "cli-test",
        "--timestamp",
        "1700000000",
    ])
    .ok();
    let got = amqp(&["--json", "get", &q]).ok().json();
    assert_eq!(got.len(), 1);
    let m = &got[0];
    assert_eq!(
        m.as_object().expect("object").keys().collect::<Vec<_>>(),
        [
            "delivery_tag",
            "exchange",
            "routing_key",
            "redelivered",
            "message_count",
            "properties",
            "body_size",
            "body"
        ]
    );
    assert_eq!(m["delivery_tag"], 1);
    assert_eq!(m["exchange"], "");
    assert_eq!(m["routing_key"], q.as_str());
    assert_eq!(m["redelivered"], false);
    assert_eq!(m["message_count"], 0);
    assert_eq!(m["body_size"], "héllo".len());
    assert_eq!(m["body"], "héllo");
    assert_eq!(
        m["properties"],
        json!({
            "content_type": "text/plain",
            "content_encoding": "utf-8",
            "headers": [
                {"name": "h-str", "type": "S", "value": "v=1"},
                {"name": "h-int", "type": "l", "value": -5},
                {"name": "h-bool", "type": "t", "value": true},
            ],
            "delivery_mode": 2,
            "priority": 3,
            "correlation_id": "corr",
            "reply_to": "replies",
            "expiration": "60000",
            "message_id": "id-1",
            "timestamp": 1_700_000_000,
            "type": "greeting",
            "app_id": "cli-test",
        })
    );
    // Acknowledged (the default): gone.
    assert_eq!(message_count(&q), 0);
    assert_eq!(
        amqp(&["get", &q]).ok().stdout,
        "",
        "an empty queue prints nothing"
    );
    let deleted = amqp(&["--json", "delete", "queue", &q]).ok().json();
    assert_eq!(deleted, vec![json!({"queue": q, "message_count": 0})]);
}

#[test]
fn publish_reads_lines_from_stdin_or_a_file_and_whole_inputs() {
    let q = queue("cli-lines");
    run_with(&["publish", "", &q], b"one\ntwo\r\n\nthree", true).ok();
    let got = amqp(&["--json", "get", &q, "--count", "10"]).ok().json();
    assert_eq!(bodies(&got), ["one", "two", "", "three"]);
    assert_eq!(
        got.iter().map(|m| &m["message_count"]).collect::<Vec<_>>(),
        [3, 2, 1, 0]
    );

    let dir = std::env::temp_dir().join(unique("amqp091-cli"));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let lines = dir.join("lines.txt");
    std::fs::write(&lines, "a\nb\n").expect("write");
    let lines = lines.to_str().expect("UTF-8 path");
    amqp(&["publish", "", &q, "--file", lines, "--confirm"]).ok();
    let binary = dir.join("blob.bin");
    std::fs::write(&binary, [0xff, b'\n', 0x00, b'z']).expect("write");
    let binary = binary.to_str().expect("UTF-8 path");
    amqp(&["publish", "", &q, "--file", binary, "--whole"]).ok();
    run_with(&["publish", "", &q, "--whole"], b"x\ny\n", true).ok();

    let got = amqp(&["--json", "get", &q, "--count", "10"]).ok().json();
    assert_eq!(got.len(), 4);
    assert_eq!(got[0]["body"], "a");
    assert_eq!(got[1]["body"], "b");
    assert_eq!(got[2]["body_base64"], "/woAeg==");
    assert!(got[2].get("body").is_none());
    assert_eq!(got[2]["body_size"], 4);
    assert_eq!(got[3]["body"], "x\ny\n");

    let text = amqp(&["publish", "", &q, "--file", "/nonexistent/messages.txt"]);
    assert!(text
        .fails()
        .contains("cannot open /nonexistent/messages.txt"));
    let _ = std::fs::remove_dir_all(&dir);
    amqp(&["delete", "queue", &q]).ok();
}

#[test]
fn get_prints_text_and_requeues_or_takes_without_ack() {
    let q = queue("cli-get");
    run_with(
        &["publish", "", &q, "--content-type", "text/plain"],
        b"first\nsecond\n",
        true,
    )
    .ok();

    let text = amqp(&["get", &q, "--count", "2", "--requeue"]).ok().stdout;
    assert_eq!(
        text,
        format!(
            "delivery-tag: 1\nexchange: \"\"\nrouting-key: \"{q}\"\nredelivered: false\nmessage-count: 1\n\
             properties:\n  content-type: \"text/plain\"\nbody (5 bytes): first\n\n\
             delivery-tag: 2\nexchange: \"\"\nrouting-key: \"{q}\"\nredelivered: false\nmessage-count: 0\n\
             properties:\n  content-type: \"text/plain\"\nbody (6 bytes): second\n\n"
        )
    );
    assert_eq!(message_count(&q), 2, "requeued");

    let got = amqp(&["--json", "get", &q, "--count", "5", "--no-ack"])
        .ok()
        .json();
    assert_eq!(bodies(&got), ["first", "second"]);
    assert!(got.iter().all(|m| m["redelivered"] == true));
    assert_eq!(message_count(&q), 0, "no-ack takes them");

    // The settling flags exclude each other; a count of 0 is refused.
    assert_eq!(amqp(&["get", &q, "--ack", "--no-ack"]).code, Some(2));
    assert_eq!(amqp(&["get", &q, "--count", "0"]).code, Some(2));
    amqp(&["delete", "queue", &q]).ok();
}

#[test]
fn consume_prints_and_acks_each_delivery_up_to_the_count() {
    let q = queue("cli-consume");
    let input: String = (1..=5).map(|i| format!("m{i}\n")).collect();
    run_with(&["publish", "", &q], input.as_bytes(), true).ok();

    let got = amqp(&["--json", "consume", &q, "--count", "3"]).ok().json();
    assert_eq!(bodies(&got), ["m1", "m2", "m3"]);
    for (i, m) in got.iter().enumerate() {
        assert_eq!(m["delivery_tag"], i + 1);
        assert_eq!(m["routing_key"], q.as_str());
        assert_eq!(m["redelivered"], false);
        assert!(m["consumer_tag"].as_str().is_some_and(|t| !t.is_empty()));
        assert!(m.get("message_count").is_none());
        assert_eq!(m["properties"], json!({}));
    }
    // The three printed were acked; the two the count left out went back.
    assert_eq!(message_count(&q), 2);

    let text = amqp(&["consume", &q, "--count", "1", "--prefetch", "1"])
        .ok()
        .stdout;
    assert!(text.starts_with("delivery-tag: 1\n"), "{text}");
    assert!(text.contains("consumer-tag: \""));
    assert!(text.ends_with("body (2 bytes): m4\n\n"), "{text}");
    assert_eq!(message_count(&q), 1);

    let got = amqp(&["--json", "consume", &q, "--count", "1", "--no-ack"])
        .ok()
        .json();
    assert_eq!(bodies(&got), ["m5"]);
    assert_eq!(message_count(&q), 0);
    amqp(&["delete", "queue", &q]).ok();
}

#[test]
fn exchanges_bindings_and_mandatory_returns() {
    let q = queue("cli-bind");
    let e = unique("cli-exchange");
    amqp(&["declare", "exchange", &e, "--type", "topic"]).ok();
    amqp(&["declare", "exchange", &e, "--type", "topic", "--passive"]).ok();
    amqp(&["bind", &q, &e, "a.*"]).ok();

    amqp(&["publish", &e, "a.b", "--body", "routed", "--mandatory"]).ok();
    let run = amqp(&["publish", &e, "x.y", "--body", "lost", "--mandatory"]);
    assert_eq!(
        run.fails(),
        format!(
            "error: the broker returned 1 message of 1 published (first: 312 NO_ROUTE, exchange {e:?}, routing key \"x.y\")"
        )
    );
    // Bound: --if-unused refuses to delete it.
    let run = amqp(&["delete", "exchange", &e, "--if-unused"]);
    assert!(run.fails().contains("406 PRECONDITION_FAILED"), "{run:?}");

    amqp(&["unbind", &q, &e, "a.*"]).ok();
    let run = amqp(&["publish", &e, "a.b", "--body", "now lost", "--mandatory"]);
    assert!(run.fails().contains("312 NO_ROUTE"));
    let got = amqp(&["--json", "get", &q, "--count", "5"]).ok().json();
    assert_eq!(bodies(&got), ["routed"]);

    amqp(&["delete", "exchange", &e]).ok();
    let run = amqp(&["publish", &e, "a.b", "--body", "x", "--confirm"]);
    assert!(run.fails().contains("404 NOT_FOUND"), "{run:?}");
    // Without confirms too: the broker's late channel error is waited for.
    let run = amqp(&["publish", &e, "a.b", "--body", "x"]);
    assert_eq!(
        run.fails(),
        format!(
            "error: channel 1 closed by the server: 404 NOT_FOUND - no exchange '{e}' in vhost '/' (on basic.publish)"
        )
    );
    let run = amqp(&["declare", "exchange", &e, "--type", "nonsense"]);
    assert!(run.fails().contains("503 COMMAND_INVALID"), "{run:?}");

    // An auto-delete exchange goes with its last binding.
    let auto = unique("cli-auto");
    amqp(&[
        "declare",
        "exchange",
        &auto,
        "--type",
        "fanout",
        "--auto-delete",
    ])
    .ok();
    amqp(&["bind", &q, &auto]).ok();
    amqp(&["unbind", &q, &auto]).ok();
    let run = amqp(&[
        "declare",
        "exchange",
        &auto,
        "--type",
        "fanout",
        "--passive",
    ]);
    assert!(
        run.fails()
            .contains(&format!("404 NOT_FOUND - no exchange '{auto}'")),
        "{run:?}"
    );
    amqp(&["delete", "queue", &q]).ok();
}

#[test]
fn confirmed_publish_of_many_lines() {
    let q = queue("cli-confirm");
    let input: String = (0..2000).map(|i| format!("message {i}\n")).collect();
    run_with(&["publish", "", &q, "--confirm"], input.as_bytes(), true).ok();
    assert_eq!(message_count(&q), 2000);
    let purged = amqp(&["--json", "purge", &q]).ok().json();
    assert_eq!(purged, vec![json!({"queue": q, "message_count": 2000})]);
    amqp(&["delete", "queue", &q]).ok();
}

#[test]
fn purge_and_delete_report_counts() {
    let q = queue("cli-purge");
    run_with(&["publish", "", &q], b"1\n2\n3\n", true).ok();
    assert_eq!(
        amqp(&["purge", &q]).ok().stdout,
        format!("purged queue {q}: 3 messages\n")
    );
    run_with(&["publish", "", &q], b"4\n5\n", true).ok();
    let run = amqp(&["delete", "queue", &q, "--if-empty"]);
    assert!(run.fails().contains("406 PRECONDITION_FAILED"), "{run:?}");
    assert_eq!(
        amqp(&["delete", "queue", &q]).ok().stdout,
        format!("deleted queue {q}: 2 messages\n")
    );
}

#[test]
fn declare_queue_prints_name_and_counts() {
    let run = amqp(&["declare", "queue", "--exclusive"]).ok();
    let line = run.stdout.trim_end();
    assert!(line.starts_with("queue amq.gen-"), "{line}");
    assert!(line.ends_with(": 0 messages, 0 consumers"), "{line}");

    let q = queue("cli-declare");
    run_with(&["publish", "", &q], b"x\n", true).ok();
    assert_eq!(
        amqp(&["declare", "queue", &q, "--passive"]).ok().stdout,
        format!("queue {q}: 1 message, 0 consumers\n")
    );
    // Redeclared with other arguments: 406, one line.
    let run = amqp(&["declare", "queue", &q, "--arg", "x-expires:int=1000"]);
    assert!(run.fails().contains("406 PRECONDITION_FAILED"), "{run:?}");
    amqp(&["delete", "queue", &q]).ok();
}

#[test]
fn a_missing_queue_is_one_404_line() {
    let missing = unique("cli-missing");
    for args in [
        vec!["get", &missing],
        vec!["consume", &missing, "--count", "1"],
        vec!["purge", &missing],
        vec!["declare", "queue", &missing, "--passive"],
        vec!["bind", &missing, "amq.direct", "k"],
    ] {
        let run = amqp(&args);
        let line = run.fails();
        assert!(line.contains("404 NOT_FOUND"), "{args:?}: {line}");
        assert!(
            line.contains(&format!("no queue '{missing}'")),
            "{args:?}: {line}"
        );
        assert_eq!(run.stdout, "");
    }
    let line = amqp(&["get", &missing]).fails().to_string();
    assert_eq!(
        line,
        format!(
            "error: channel 1 closed by the server: 404 NOT_FOUND - no queue '{missing}' in vhost '/' (on basic.get)"
        )
    );
}

#[test]
fn bad_urls_and_unreachable_hosts_fail_in_one_line() {
    let line = run_with(&["--url", "http://localhost/", "get", "q"], b"", false)
        .fails()
        .to_string();
    assert_eq!(
        line,
        "error: invalid AMQP URL: scheme \"http\" is not supported; use amqp or amqps"
    );
    // From the environment too.
    let mut cmd = Command::new(BIN);
    let out = cmd
        .args(["purge", "q"])
        .env("AMQP_URL", "amqp://[::1")
        .output()
        .expect("run amqp091");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("error: invalid AMQP URL"));

    // A local port nothing listens on.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("address").port()
    };
    let url = format!("amqp://guest:guest@127.0.0.1:{port}/%2f");
    let run = run_with(&["--url", &url, "--timeout", "5", "get", "q"], b"", false);
    let line = run.fails();
    assert!(
        line.starts_with("error: connection lost during TCP connect: "),
        "{line}"
    );

    // --url wins over AMQP_URL; usage errors exit with 2.
    let q = queue("cli-url");
    let run = run_with(
        &["--url", &broker_url(), "--heartbeat", "5", "purge", &q],
        b"",
        false,
    );
    run.ok();
    assert_eq!(
        run_with(&["--timeout", "soon", "purge", &q], b"", true).code,
        Some(2)
    );
    amqp(&["delete", "queue", &q]).ok();
}

#[test]
fn every_subcommand_has_help() {
    for args in [
        vec![],
        vec!["publish"],
        vec!["get"],
        vec!["consume"],
        vec!["declare"],
        vec!["declare", "exchange"],
        vec!["declare", "queue"],
        vec!["delete"],
        vec!["delete", "exchange"],
        vec!["delete", "queue"],
        vec!["bind"],
        vec!["unbind"],
        vec!["purge"],
        vec!["frames"],
    ] {
        let mut all = args.clone();
        all.push("--help");
        let run = run_with(&all, b"", false).ok();
        assert!(run.stdout.contains("Usage: amqp091"), "{args:?}: {run:?}");
    }
    let help = run_with(&["get", "--help"], b"", false).ok().stdout;
    assert!(help.contains("body_base64"));
    let help = run_with(&["frames", "--help"], b"", false).ok().stdout;
    assert!(help.contains("\"type\":\"truncated\""));
}

#[test]
fn nacked_publishes_fail_the_command() {
    // A full queue that rejects publishes: the broker nacks them.
    let q = unique("cli-nack");
    amqp(&[
        "declare",
        "queue",
        &q,
        "--arg",
        "x-max-length:int=1",
        "--arg",
        "x-overflow=reject-publish",
        "--arg",
        "x-expires:int=60000",
    ])
    .ok();
    let run = run_with(&["publish", "", &q, "--confirm"], b"a\nb\nc\n", true);
    assert_eq!(
        run.fails(),
        "error: the broker nacked 2 messages of 3 published"
    );
    let got = amqp(&["--json", "get", &q, "--count", "5"]).ok().json();
    assert_eq!(bodies(&got), ["a"]);
    amqp(&["delete", "queue", &q]).ok();
}

/// Runs `command` (a shell command line) under `script`, so that its
/// stdout and stderr are a terminal; returns what the terminal showed.
fn on_a_terminal(command: &str) -> String {
    let out = Command::new("script")
        .args(["-qec", command, "/dev/null"])
        .stdin(Stdio::null())
        .env("AMQP_URL", broker_url())
        .output()
        .expect("run script(1) (util-linux) to get a terminal");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn progress_shows_on_a_terminal_only() {
    let q = queue("cli-progress");
    let dir = std::env::temp_dir().join(unique("amqp091-cli"));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let lines = dir.join("lines.txt");
    std::fs::write(&lines, "1\n2\n3\n4\n").expect("write");
    let shown = on_a_terminal(&format!(
        "'{BIN}' publish '' '{q}' --file '{}'",
        lines.display()
    ));
    // Overwritten with \r, erased to the end of the line, ended by a newline.
    assert!(
        shown.starts_with("\r\x1b[Kpublished 1 message ("),
        "{shown:?}"
    );
    assert!(
        shown.contains("\r\x1b[Kpublished 4 messages (") && shown.ends_with("/s)\r\n"),
        "{shown:?}"
    );
    let shown = on_a_terminal(&format!("'{BIN}' consume '{q}' --count 3 >/dev/null"));
    assert!(
        shown.contains("\r\x1b[Kconsumed 3/3 messages ("),
        "{shown:?}"
    );
    // Not a terminal: nothing but the messages (ok() checks stderr is empty).
    let got = amqp(&["--json", "consume", &q, "--count", "1"]).ok().json();
    assert_eq!(bodies(&got), ["4"]);
    let _ = std::fs::remove_dir_all(&dir);
    amqp(&["delete", "queue", &q]).ok();
}

// ----- hardening: settings, lost messages, frames limits, secrets, escaping -----

/// Messages ready in `queue`, asked through the library (passive declare).
fn ready_through_the_library(queue: &str) -> u32 {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let conn = amqp091::Connection::connect(&broker_url())
            .await
            .expect("connect");
        let ch = conn.open_channel().await.expect("channel");
        let options = amqp091::QueueDeclareOptions {
            passive: true,
            ..Default::default()
        };
        let q = ch
            .queue_declare(queue, options, FieldTable::new())
            .await
            .expect("passive declare");
        conn.close().await.expect("close");
        q.message_count
    })
}

/// A queue holding `n` messages `m1`..`mN`.
fn queue_with(prefix: &str, n: usize) -> String {
    let q = queue(prefix);
    let lines: String = (1..=n).map(|i| format!("m{i}\n")).collect();
    run_with(&["publish", "", &q, "--confirm"], lines.as_bytes(), true).ok();
    assert_eq!(ready_through_the_library(&q), n as u32);
    q
}

/// Waits for a child's exit (its exit is the event), killing it after `limit`.
fn wait_exit(child: &mut std::process::Child, limit: Duration) -> std::process::ExitStatus {
    // Waits for the exit itself; a watchdog kills a child that outlives `limit`.
    let pid = child.id().to_string();
    let (done, watch) = std::sync::mpsc::channel::<()>();
    let watchdog = std::thread::spawn(move || {
        let late = watch.recv_timeout(limit).is_err();
        if late {
            let _ = Command::new("kill").args(["-KILL", &pid]).status();
        }
        late
    });
    let status = child.wait().expect("wait for the child");
    let _ = done.send(());
    assert!(
        !watchdog.join().expect("watchdog"),
        "the child still ran after {limit:?}"
    );
    status
}

/// Reads one byte at a time through the next `\n`.
fn read_line_exactly(r: &mut impl Read) -> Vec<u8> {
    let mut line = Vec::new();
    let mut byte = [0u8; 1];
    while line.last() != Some(&b'\n') {
        r.read_exact(&mut byte).expect("read a byte of the output");
        line.push(byte[0]);
    }
    line
}

fn spawn_consumer(args: &[&str]) -> std::process::Child {
    Command::new(BIN)
        .args(args)
        .env("AMQP_URL", broker_url())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start amqp091")
}

fn stderr_of(child: &mut std::process::Child) -> String {
    let mut s = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut s)
        .expect("read stderr");
    s
}

#[test]
fn consume_in_a_pipe_whose_reader_closes_after_one_line_acks_only_that_line() {
    let q = queue_with("pipe-close", 30);
    let mut child = spawn_consumer(&["--json", "consume", &q, "--prefetch", "100"]);
    let mut stdout = child.stdout.take().expect("stdout");
    let line = read_line_exactly(&mut stdout);
    let first: Value = serde_json::from_slice(&line).expect("a JSON line");
    assert_eq!(first["body"], "m1");
    drop(stdout);
    let status = wait_exit(&mut child, Duration::from_secs(30));
    let err = stderr_of(&mut child);
    assert_eq!(status.code(), Some(1), "{err}");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(err.starts_with("error: "), "{err}");
    // Only the line read was acknowledged; the rest is back in the queue.
    assert_eq!(ready_through_the_library(&q), 29);
}

#[test]
fn get_ack_in_a_pipe_whose_reader_closes_acks_only_what_was_read() {
    let q = queue_with("get-pipe-close", 5);
    let mut child = spawn_consumer(&["--json", "get", &q, "--count", "5", "--ack"]);
    let mut stdout = child.stdout.take().expect("stdout");
    read_line_exactly(&mut stdout);
    // The second message was written (and flushed) but not read whole.
    let mut byte = [0u8; 1];
    stdout
        .read_exact(&mut byte)
        .expect("the second message starts");
    drop(stdout);
    let status = wait_exit(&mut child, Duration::from_secs(30));
    let err = stderr_of(&mut child);
    assert_eq!(status.code(), Some(1), "{err}");
    assert_eq!(ready_through_the_library(&q), 4, "{err}");
}

#[test]
fn consume_with_a_closed_stdout_acks_nothing_and_fails() {
    let q = queue_with("closed-stdout", 3);
    let out = Command::new("sh")
        .args([
            "-c",
            r#"exec "$0" "$@" >&-"#,
            BIN,
            "consume",
            &q,
            "--count",
            "2",
        ])
        .env("AMQP_URL", broker_url())
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .expect("run amqp091 with stdout closed");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("standard output is closed"), "{err}");
    assert_eq!(ready_through_the_library(&q), 3);

    // `get --ack` alike; a deliberate `>/dev/null` still works.
    let out = Command::new("sh")
        .args(["-c", r#"exec "$0" "$@" >&-"#, BIN, "get", &q, "--ack"])
        .env("AMQP_URL", broker_url())
        .output()
        .expect("run amqp091 get with stdout closed");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(ready_through_the_library(&q), 3);
    let out = Command::new(BIN)
        .args(["get", &q, "--ack"])
        .env("AMQP_URL", broker_url())
        .stdout(Stdio::null())
        .output()
        .expect("run amqp091 get >/dev/null");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(ready_through_the_library(&q), 2);
}

/// Consumes 5 messages, reads the first line and one byte of the second
/// (so the first was acknowledged and the second is being read), sends
/// `signal`, and returns the exit code and the messages left.
fn consume_then_signal(signal: &str) -> (Option<i32>, u32, String) {
    let q = queue_with("signal", 5);
    let mut child = spawn_consumer(&["--json", "consume", &q, "--count", "5"]);
    let mut stdout = child.stdout.take().expect("stdout");
    read_line_exactly(&mut stdout);
    let mut byte = [0u8; 1];
    stdout
        .read_exact(&mut byte)
        .expect("the second message starts");
    let killed = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let status = wait_exit(&mut child, Duration::from_secs(30));
    let err = stderr_of(&mut child);
    (status.code(), ready_through_the_library(&q), err)
}

#[test]
fn sigint_stops_consume_with_130_and_requeues_what_was_not_read() {
    let (code, left, err) = consume_then_signal("-INT");
    assert_eq!(code, Some(130), "{err}");
    assert_eq!(left, 4, "{err}");
}

#[test]
fn sigterm_stops_consume_with_143_and_requeues_what_was_not_read() {
    let (code, left, err) = consume_then_signal("-TERM");
    assert_eq!(code, Some(143), "{err}");
    assert_eq!(left, 4, "{err}");
}

#[test]
fn timeout_applies_to_each_request_not_only_the_handshake() {
    // A server that completes the handshake, then never answers channel.open.
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("listen");
    let port = listener.local_addr().expect("address").port();
    let server = rt.spawn(async move {
        let (sock, _) = listener.accept().await.expect("accept");
        let mut peer = amqp091::testing::Peer::new(sock);
        let tune = amqp091::testing::frames::connection_tune(2047, 131_072, 0);
        peer.handshake_with(tune).await;
        // Read (and ignore) whatever comes until the client goes.
        while peer.recv().await.is_some() {}
    });
    let started = Instant::now();
    let mut child = Command::new(BIN)
        .args([
            "--url",
            &format!("amqp://127.0.0.1:{port}"),
            "--timeout",
            "1",
        ])
        .args(["declare", "queue", "q"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start amqp091");
    let status = wait_exit(&mut child, Duration::from_secs(20));
    let err = stderr_of(&mut child);
    assert_eq!(status.code(), Some(1), "{err}");
    assert!(
        err.contains("channel.open") && err.contains("--timeout"),
        "{err}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    server.abort();
}

#[test]
fn max_message_size_option_refuses_a_larger_body() {
    let q = queue("max-size");
    let body = "x".repeat(2000);
    amqp(&["publish", "", &q, "--body", &body, "--confirm"]).ok();
    let run = amqp(&["get", &q, "--max-message-size", "1000"]);
    let line = run.fails();
    assert!(line.contains("maximum message size"), "{line}");
    // The URL's parameter is the same setting.
    let url = format!("{}?max_message_size=1000", broker_url());
    let run = run_with(&["--url", &url, "get", &q], b"", false);
    assert!(run.fails().contains("maximum message size"));
}

#[test]
fn url_file_and_password_file_keep_the_password_off_the_command_line() {
    let dir = std::env::temp_dir().join(unique("url-file"));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let url_file = dir.join("url");
    std::fs::write(&url_file, format!("{}\n", broker_url())).expect("write url");
    let q = unique("url-file-q");
    let url_path = url_file.to_str().expect("UTF-8 path");
    run_with(
        &[
            "--url-file",
            url_path,
            "declare",
            "queue",
            &q,
            "--arg",
            "x-expires:int=60000",
        ],
        b"",
        false,
    )
    .ok();
    // A URL without the password, and the password from a file or stdin.
    let opts = amqp091::ConnectionOptions::from_url(&broker_url()).expect("test URL");
    let bare = format!(
        "amqp://{}@{}:{}/{}",
        opts.username,
        opts.host,
        opts.port,
        if opts.vhost == "/" {
            "%2f".to_owned()
        } else {
            opts.vhost.clone()
        }
    );
    let pw_file = dir.join("password");
    std::fs::write(&pw_file, format!("{}\n", opts.password)).expect("write password");
    let pw_path = pw_file.to_str().expect("UTF-8 path");
    let passive = [
        "declare",
        "queue",
        &q,
        "--passive",
        "--arg",
        "x-expires:int=60000",
    ];
    let mut args = vec!["--url", &bare, "--password-file", pw_path];
    args.extend(passive);
    run_with(&args, b"", false).ok();
    let mut args = vec!["--url", &bare, "--password-file", "-"];
    args.extend(passive);
    run_with(&args, format!("{}\n", opts.password).as_bytes(), false).ok();
    // Without it, the empty password is refused.
    let mut args = vec!["--url", &bare];
    args.extend(passive);
    run_with(&args, b"", false).fails();
    // --help says why.
    let help = run_with(&["--help"], b"", false).ok().stdout;
    assert!(
        help.contains("--url-file") && help.contains("--password-file"),
        "{help}"
    );
    assert!(help.contains("process list"), "{help}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn human_output_escapes_terminal_sequences_in_bodies() {
    let q = queue("escape");
    let body = "\u{1b}]0;owned\u{7}\u{1b}[2Jhello\r";
    amqp(&["publish", "", &q, "--body", body, "--confirm"]).ok();
    let run = amqp(&["get", &q, "--requeue"]).ok();
    assert!(
        !run.stdout.chars().any(|c| c.is_control() && c != '\n'),
        "{:?}",
        run.stdout
    );
    assert!(run.stdout.contains("\\x1b[2Jhello"), "{:?}", run.stdout);
    // JSON keeps the exact bytes, escaped the JSON way.
    let got = amqp(&["--json", "get", &q]).ok().json();
    assert_eq!(got[0]["body"], body);
}

/// Runs `frames` with `args`, feeding it `input` through stdin, and reads
/// its peak resident set (VmHWM, /proc) as it takes the input in and once
/// all was taken (it cannot exit before its stdin closes, unless it stops
/// at an error).
fn frames_peak_rss(args: &[&str], input: &[u8]) -> (u64, Duration, Run) {
    let started = Instant::now();
    let mut child = Command::new(BIN)
        .arg("frames")
        .args(args)
        .env_remove("AMQP_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start amqp091 frames");
    let mut stdout = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        stdout.read_to_end(&mut s).expect("read stdout");
        s
    });
    let mut stdin = child.stdin.take().expect("stdin");
    // The peak so far, read after every MiB taken in: it only grows, and
    // after an early exit (a malformed frame) the last reading stands.
    let mut peak_kib = 0u64;
    for piece in input.chunks(1 << 20) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", child.id()));
        if let Some(kib) = status.ok().as_deref().and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        }) {
            peak_kib = peak_kib.max(kib);
        }
        // It may stop reading early (an error): not a failure here.
        if stdin.write_all(piece).is_err() {
            break;
        }
    }
    if let Ok(status) = std::fs::read_to_string(format!("/proc/{}/status", child.id())) {
        if let Some(kib) = status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        {
            peak_kib = peak_kib.max(kib);
        }
    }
    assert!(peak_kib > 0, "no VmHWM reading");
    drop(stdin);
    let exit = wait_exit(&mut child, Duration::from_secs(60));
    let elapsed = started.elapsed();
    let err = stderr_of(&mut child);
    let out = reader.join().expect("stdout reader");
    let run = Run {
        code: exit.code(),
        stdout: String::from_utf8(out).expect("UTF-8"),
        stderr: err,
    };
    (peak_kib * 1024, elapsed, run)
}

/// Deterministic pseudo-random bytes (xorshift64).
fn random_bytes(n: usize, mut state: u64) -> Vec<u8> {
    let mut v = Vec::with_capacity(n + 8);
    while v.len() < n {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        v.extend_from_slice(&state.to_le_bytes());
    }
    v.truncate(n);
    v
}

#[test]
fn frames_on_64_mib_of_random_bytes_stays_small_and_quick() {
    let input = random_bytes(64 << 20, 0x9e37_79b9_7f4a_7c15);
    let (peak, elapsed, run) = frames_peak_rss(&[], &input);
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(peak < 32 << 20, "peak RSS {} MiB", peak >> 20);
    assert!(elapsed < Duration::from_secs(20), "{elapsed:?}");
}

#[test]
fn frames_streams_a_48_mib_body_and_unknown_frame_with_bounded_memory_and_output() {
    let n = 48usize << 20;
    let mut wire = Vec::with_capacity(2 * n + 16);
    for (frame_type, byte) in [(3u8, 0x1bu8), (9, 0xab)] {
        wire.push(frame_type);
        wire.extend_from_slice(&1u16.to_be_bytes());
        wire.extend_from_slice(&(n as u32).to_be_bytes());
        wire.resize(wire.len() + n, byte);
        wire.push(0xce);
    }
    let (peak, elapsed, run) = frames_peak_rss(&["--body", "--max-frame-size", "0"], &wire);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(peak < 32 << 20, "peak RSS {} MiB", peak >> 20);
    assert!(elapsed < Duration::from_secs(20), "{elapsed:?}");
    assert!(
        run.stdout.len() < 64 * 1024,
        "{} bytes of output",
        run.stdout.len()
    );
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines[0], format!("offset 0: channel 1, body, {n} bytes"));
    assert!(
        lines[1].starts_with("  text: \"\\u{1b}"),
        "{}",
        &lines[1][..40]
    );
    assert!(lines[1].ends_with(&format!("... ({} more bytes not shown)", n - 4096)));
    assert!(lines[2].starts_with(&format!(
        "offset {}: channel 1, frame of unknown type 9, {n} bytes: abab",
        n + 8
    )));
    // The default limit refuses such frames without reading them whole.
    let (peak, _, run) = frames_peak_rss(&[], &wire);
    assert!(
        run.fails().contains("exceeds frame_max 16777216"),
        "{run:?}"
    );
    assert!(peak < 32 << 20, "peak RSS {} MiB", peak >> 20);
}

#[test]
fn several_urls_are_tried_in_order_until_one_answers() {
    // A port nothing listens on, then the test broker: given twice with
    // --url, and as a comma-separated AMQP_URL.
    let dead = "amqp://guest:guest@127.0.0.1:1/%2f";
    let url = broker_url();
    let name = unique("amqp091-cli-urls");
    let run = run_with(
        &[
            "--url",
            dead,
            "--url",
            &url,
            "--json",
            "declare",
            "queue",
            &name,
            "--arg",
            "x-expires:int=60000",
        ],
        b"",
        false,
    )
    .ok();
    assert_eq!(
        run.json(),
        vec![json!({"queue": name, "message_count": 0, "consumer_count": 0})]
    );
    let list = format!("{dead},{url}");
    let mut cmd = Command::new(BIN);
    let out = cmd
        .args(["delete", "queue", &name])
        .env("AMQP_URL", &list)
        .output()
        .expect("run amqp091");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let only_dead = run_with(
        &["--url", dead, "--timeout", "2s", "declare", "queue", &name],
        b"",
        false,
    );
    assert_eq!(
        only_dead.code,
        Some(1),
        "nothing answers: {}",
        only_dead.stderr
    );
}
