//! A whole AMQP session spoken with the codec alone, over a blocking
//! `std::net::TcpStream`: handshake, a channel, a server-named queue, one
//! publish, one basic.get, and a clean close. It shows what the codec does
//! and proves it against a real broker; the client library (sans-IO core and
//! tokio driver) is what applications use.
//!
//! ```sh
//! scripts/broker.sh start        # if no broker answers at AMQP_URL
//! cargo run --example codec_session   # AMQP_URL, default amqp://guest:guest@localhost:5672/%2f
//! ```

use std::error::Error;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use amqp091::codec::method::*;
use amqp091::codec::{
    encode_content, encode_method, BasicProperties, FieldTable, FieldValue, Frame, FrameDecoder,
    LongStr, Method, MethodArgs, ProtocolHeader, ShortStr,
};
use bytes::{Bytes, BytesMut};

/// What the session saw, for callers that check it.
#[derive(Debug)]
pub struct Summary {
    /// `product` and `version` from connection.start.
    pub server: String,
    /// Negotiated frame_max.
    pub frame_max: u32,
    /// The server-named queue.
    pub queue: String,
    /// Body returned by basic.get.
    pub body: Bytes,
    /// Properties returned by basic.get.
    pub properties: BasicProperties,
}

/// The parts of an AMQP URL this example needs (the client has the full parser).
struct Target {
    addr: String,
    user: String,
    password: String,
    vhost: String,
}

fn parse_url(url: &str) -> Result<Target, Box<dyn Error>> {
    let rest = url
        .strip_prefix("amqp://")
        .ok_or("this example speaks plain amqp:// only")?;
    let (auth, rest) = rest.rsplit_once('@').unwrap_or(("guest:guest", rest));
    let (user, password) = auth.split_once(':').unwrap_or((auth, ""));
    let (hostport, vhost) = match rest.split_once('/') {
        Some((h, v)) => (
            h,
            v.split('?')
                .next()
                .unwrap_or("")
                .replace("%2f", "/")
                .replace("%2F", "/"),
        ),
        None => (rest, "/".to_string()),
    };
    let addr = if hostport.contains(':') {
        hostport.to_string()
    } else {
        format!("{hostport}:5672")
    };
    Ok(Target {
        addr,
        user: user.to_string(),
        password: password.to_string(),
        vhost,
    })
}

struct Session {
    stream: TcpStream,
    decoder: FrameDecoder,
    read_buf: BytesMut,
    write_buf: BytesMut,
}

impl Session {
    fn send<M: MethodArgs>(&mut self, channel: u16, method: &M) -> std::io::Result<()> {
        encode_method(&mut self.write_buf, channel, method);
        self.flush()
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.stream.write_all(&self.write_buf)?;
        self.write_buf.clear();
        Ok(())
    }

    fn recv(&mut self) -> Result<Frame, Box<dyn Error>> {
        loop {
            if let Some(frame) = self.decoder.decode_frame(&mut self.read_buf)? {
                return Ok(frame);
            }
            let mut chunk = [0u8; 16 * 1024];
            let n = self.stream.read(&mut chunk)?;
            if n == 0 {
                return Err("server closed the connection".into());
            }
            self.read_buf.extend_from_slice(&chunk[..n]);
        }
    }

    fn recv_method(&mut self) -> Result<Method, Box<dyn Error>> {
        match self.recv()? {
            Frame::Method {
                method: Method::ConnectionClose(c),
                ..
            } => Err(format!(
                "connection closed by server: {} {}",
                c.reply_code, c.reply_text
            )
            .into()),
            Frame::Method {
                method: Method::ChannelClose(c),
                ..
            } => Err(format!(
                "channel closed by server: {} {}",
                c.reply_code, c.reply_text
            )
            .into()),
            Frame::Method { method, .. } => Ok(method),
            other => Err(format!("expected a method, got {other:?}").into()),
        }
    }
}

/// Runs the session against `url`, reporting each step to `log`.
pub fn run(url: &str, log: &mut dyn FnMut(String)) -> Result<Summary, Box<dyn Error>> {
    let target = parse_url(url)?;
    let stream = TcpStream::connect(&target.addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.set_nodelay(true)?;
    let mut s = Session {
        stream,
        decoder: FrameDecoder::default(),
        read_buf: BytesMut::with_capacity(64 * 1024),
        write_buf: BytesMut::with_capacity(64 * 1024),
    };
    ProtocolHeader::AMQP_0_9_1.encode(&mut s.write_buf);
    s.flush()?;
    log(format!("-> protocol header {}", ProtocolHeader::AMQP_0_9_1));

    let Method::ConnectionStart(start) = s.recv_method()? else {
        return Err("expected connection.start".into());
    };
    let prop = |name: &str| match start.server_properties.get(name) {
        Some(FieldValue::LongStr(v)) => v.to_string(),
        _ => "?".to_string(),
    };
    let server = format!("{} {}", prop("product"), prop("version"));
    log(format!(
        "<- connection.start {}.{} from {server}, mechanisms {}",
        start.version_major, start.version_minor, start.mechanisms
    ));

    let mut client_properties = FieldTable::new();
    client_properties.insert("product", "amqp091 codec_session example");
    let mut response = vec![0u8];
    response.extend_from_slice(target.user.as_bytes());
    response.push(0);
    response.extend_from_slice(target.password.as_bytes());
    s.send(
        0,
        &ConnectionStartOk {
            client_properties,
            mechanism: ShortStr::from_static("PLAIN"),
            response: LongStr::from(response),
            locale: ShortStr::from_static("en_US"),
        },
    )?;
    log("-> connection.start-ok PLAIN".into());

    let Method::ConnectionTune(tune) = s.recv_method()? else {
        return Err("expected connection.tune".into());
    };
    let frame_max = match tune.frame_max {
        0 => 131_072,
        n => n.min(131_072),
    };
    log(format!(
        "<- connection.tune channel_max {} frame_max {} heartbeat {}",
        tune.channel_max, tune.frame_max, tune.heartbeat
    ));
    s.decoder.set_max_frame_size(frame_max);
    s.send(
        0,
        &ConnectionTuneOk {
            channel_max: tune.channel_max,
            frame_max,
            heartbeat: 0,
        },
    )?;
    s.send(
        0,
        &ConnectionOpen {
            virtual_host: ShortStr::copy_from_str(&target.vhost)?,
            ..Default::default()
        },
    )?;
    let Method::ConnectionOpenOk(_) = s.recv_method()? else {
        return Err("expected connection.open-ok".into());
    };
    log(format!("<- connection.open-ok (vhost {:?})", target.vhost));

    s.send(1, &ChannelOpen::default())?;
    let Method::ChannelOpenOk(_) = s.recv_method()? else {
        return Err("expected channel.open-ok".into());
    };
    log("<- channel.open-ok (channel 1)".into());

    s.send(
        1,
        &QueueDeclare {
            exclusive: true,
            auto_delete: true,
            ..Default::default()
        },
    )?;
    let Method::QueueDeclareOk(declared) = s.recv_method()? else {
        return Err("expected queue.declare-ok".into());
    };
    log(format!("<- queue.declare-ok {}", declared.queue));

    let body = b"hello from amqp091-codec";
    let mut headers = FieldTable::new();
    headers.insert("x-example", FieldValue::I32(42));
    let properties = BasicProperties::default()
        .with_content_type(ShortStr::from_static("text/plain"))
        .with_headers(headers)
        .with_delivery_mode(1);
    encode_method(
        &mut s.write_buf,
        1,
        &BasicPublish {
            routing_key: declared.queue.clone(),
            ..Default::default()
        },
    );
    encode_content(&mut s.write_buf, 1, &properties, body, frame_max);
    s.send(
        1,
        &BasicGet {
            queue: declared.queue.clone(),
            no_ack: true,
            ..Default::default()
        },
    )?;
    log(format!(
        "-> basic.publish ({} bytes) and basic.get",
        body.len()
    ));

    let got = loop {
        match s.recv_method()? {
            Method::BasicGetOk(ok) => break ok,
            // The message may not have reached the queue yet: ask again.
            Method::BasicGetEmpty(_) => s.send(
                1,
                &BasicGet {
                    queue: declared.queue.clone(),
                    no_ack: true,
                    ..Default::default()
                },
            )?,
            other => return Err(format!("expected basic.get-ok, got {}", other.name()).into()),
        }
    };
    let Frame::Header { header, .. } = s.recv()? else {
        return Err("expected a content header".into());
    };
    let mut received = BytesMut::new();
    while (received.len() as u64) < header.body_size {
        match s.recv()? {
            Frame::Body { payload, .. } => received.extend_from_slice(&payload),
            other => return Err(format!("expected a body frame, got {other:?}").into()),
        }
    }
    log(format!(
        "<- basic.get-ok delivery_tag {} + {} body bytes: {:?}",
        got.delivery_tag,
        received.len(),
        String::from_utf8_lossy(&received)
    ));

    s.send(1, &ChannelClose::default())?;
    let Method::ChannelCloseOk(_) = s.recv_method()? else {
        return Err("expected channel.close-ok".into());
    };
    s.send(
        0,
        &ConnectionClose {
            reply_code: 200,
            reply_text: ShortStr::from_static("bye"),
            ..Default::default()
        },
    )?;
    let Method::ConnectionCloseOk(_) = s.recv_method()? else {
        return Err("expected connection.close-ok".into());
    };
    log("<- channel.close-ok, connection.close-ok".into());

    Ok(Summary {
        server,
        frame_max,
        queue: declared.queue.to_string(),
        body: received.freeze(),
        properties: header.properties.into_inner(),
    })
}

#[allow(dead_code)] // tests include this file for `run`
fn main() -> Result<(), Box<dyn Error>> {
    let url = std::env::var("AMQP_URL")
        .unwrap_or_else(|_| "amqp://guest:guest@localhost:5672/%2f".into());
    run(&url, &mut |line| println!("{line}"))?;
    Ok(())
}
