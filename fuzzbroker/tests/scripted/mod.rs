//! A scripted broker on 127.0.0.1 (std threads, the codec) that answers the
//! common synchronous methods and keeps the spec's rules the fuzzer knows
//! codes for (`rules.rs`), with one planted defect per oracle.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;

use amqp091_codec::method::*;
use amqp091_codec::{Frame, FrameDecoder, LongStr, Method, ProtocolHeader};
use bytes::BytesMut;

/// The defect planted.
// Each test binary (planted, differential) plants some of them only.
#[allow(dead_code)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Defect {
    /// Every connection drops on a method frame of more than 1000 payload octets.
    Crash,
    /// After basic.qos on a channel, queue.purge on it is never answered.
    Hang,
    /// A method on an unopened channel is closed with 530, not 504.
    WrongCode,
    /// An exclusive basic.consume closes channel 1 of every other connection.
    Interference,
    /// channel.flow is not implemented: the connection is closed with 540
    /// (sound in itself; a divergence from a broker that answers it).
    FlowNotImplemented,
    /// A protocol header naming another AMQP version (before any
    /// handshake) drops every connection.
    HeaderCrash,
    /// basic.qos is not implemented: the connection just ends (as MetalMQ's
    /// does). Sound otherwise: the canary must not take it for a crash.
    NoQos,
    /// None: the broker as scripted.
    Sound,
}

type Conns = Arc<Mutex<Vec<TcpStream>>>;

/// Starts the broker; its port.
pub fn start(defect: Defect) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let conns: Conns = Arc::default();
    thread::spawn(move || {
        for s in listener.incoming().flatten() {
            let _ = s.set_nodelay(true);
            let conns = conns.clone();
            if let Ok(c) = s.try_clone() {
                let mut all = conns.lock().unwrap();
                all.retain(|c| c.peer_addr().is_ok());
                all.push(c);
            }
            thread::spawn(move || {
                let _ = serve(s, defect, conns);
            });
        }
    });
    port
}

fn send(s: &mut TcpStream, channel: u16, method: Method) -> std::io::Result<()> {
    let mut buf = BytesMut::new();
    Frame::Method { channel, method }.encode(&mut buf);
    s.write_all(&buf)
}

fn close(s: &mut TcpStream, code: u16) -> std::io::Result<()> {
    let c = ConnectionClose {
        reply_code: code,
        ..Default::default()
    };
    send(s, 0, c.into())?;
    s.shutdown(Shutdown::Both)
}

struct Reader {
    buf: BytesMut,
    dec: FrameDecoder,
}

impl Reader {
    fn frame(&mut self, s: &mut TcpStream) -> std::io::Result<Result<Frame, String>> {
        loop {
            match self.dec.decode(&mut self.buf) {
                Ok(Some(raw)) => {
                    let long = raw.frame_type.0 == 1 && raw.payload.len() > 1000;
                    return Ok(match Frame::from_raw(raw) {
                        _ if long => Err("long".into()),
                        Ok(f) => Ok(f),
                        Err(e) => Err(e.to_string()),
                    });
                }
                Ok(None) => {}
                Err(e) => return Ok(Err(e.to_string())),
            }
            let mut chunk = [0u8; 8192];
            let n = s.read(&mut chunk)?;
            if n == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            self.buf.extend_from_slice(&chunk[..n]);
        }
    }
}

fn reply(method: &Method, channel: u16, qos_on: &mut Vec<u16>, defect: Defect) -> Option<Method> {
    Some(match method {
        Method::ChannelFlow(_) if defect == Defect::FlowNotImplemented => return None,
        Method::ChannelFlow(f) => ChannelFlowOk { active: f.active }.into(),
        Method::ExchangeDeclare(_) => ExchangeDeclareOk::default().into(),
        Method::ExchangeDelete(_) => ExchangeDeleteOk::default().into(),
        Method::ExchangeBind(_) => ExchangeBindOk::default().into(),
        Method::QueueDeclare(q) => QueueDeclareOk {
            queue: q.queue.clone(),
            ..Default::default()
        }
        .into(),
        Method::QueueBind(_) => QueueBindOk::default().into(),
        Method::QueueUnbind(_) => QueueUnbindOk::default().into(),
        Method::QueuePurge(_) if defect == Defect::Hang && qos_on.contains(&channel) => {
            return None
        }
        Method::QueuePurge(_) => QueuePurgeOk::default().into(),
        Method::QueueDelete(_) => QueueDeleteOk::default().into(),
        Method::BasicQos(_) => {
            qos_on.push(channel);
            BasicQosOk::default().into()
        }
        Method::BasicConsume(c) => BasicConsumeOk {
            consumer_tag: c.consumer_tag.clone(),
        }
        .into(),
        Method::BasicCancel(c) => BasicCancelOk {
            consumer_tag: c.consumer_tag.clone(),
        }
        .into(),
        Method::BasicGet(_) => BasicGetEmpty::default().into(),
        Method::BasicRecover(_) => BasicRecoverOk::default().into(),
        Method::TxSelect(_) => TxSelectOk::default().into(),
        Method::TxCommit(_) => TxCommitOk::default().into(),
        Method::TxRollback(_) => TxRollbackOk::default().into(),
        Method::ConfirmSelect(_) => ConfirmSelectOk::default().into(),
        _ => return None,
    })
}

/// The channel exception a method causes: a reserved name declared (403),
/// an ack when nothing was ever delivered (406; nothing ever is), commit or
/// rollback on a channel not transactional (406).
fn channel_error(m: &Method, channel: u16, tx: &mut Vec<u16>) -> Option<u16> {
    match m {
        Method::TxSelect(_) => {
            tx.push(channel);
            None
        }
        Method::TxCommit(_) | Method::TxRollback(_) if !tx.contains(&channel) => Some(406),
        Method::ExchangeDeclare(x) if !x.passive && x.exchange.as_bytes().starts_with(b"amq.") => {
            Some(403)
        }
        Method::QueueDeclare(q) if !q.passive && q.queue.as_bytes().starts_with(b"amq.") => {
            Some(403)
        }
        Method::BasicAck(a) if a.delivery_tag != 0 || !a.multiple => Some(406),
        _ => None,
    }
}

fn serve(mut s: TcpStream, defect: Defect, conns: Conns) -> std::io::Result<()> {
    let mut header = [0u8; 8];
    s.read_exact(&mut header)?;
    let other_version =
        header.starts_with(b"AMQP") && header != ProtocolHeader::AMQP_0_9_1.to_bytes();
    if defect == Defect::HeaderCrash && other_version {
        for c in conns.lock().unwrap().iter() {
            let _ = c.shutdown(Shutdown::Both);
        }
        return Ok(());
    }
    if !ProtocolHeader::starts(&header) {
        return Ok(());
    }
    let start = ConnectionStart {
        version_major: 0,
        version_minor: 9,
        mechanisms: LongStr::from("PLAIN"),
        locales: LongStr::from("en_US"),
        ..Default::default()
    };
    send(&mut s, 0, start.into())?;
    let mut r = Reader {
        buf: BytesMut::new(),
        dec: FrameDecoder::new(4096),
    };
    let _ = r.frame(&mut s)?; // start-ok
    let tune = ConnectionTune {
        channel_max: 16,
        frame_max: 4096,
        heartbeat: 0,
    };
    send(&mut s, 0, tune.into())?;
    let _ = r.frame(&mut s)?; // tune-ok
    let _ = r.frame(&mut s)?; // open
    send(&mut s, 0, ConnectionOpenOk::default().into())?;
    let mut open: Vec<u16> = Vec::new();
    let mut qos_on: Vec<u16> = Vec::new();
    let mut tx: Vec<u16> = Vec::new();
    loop {
        let (channel, method) = match r.frame(&mut s)? {
            Err(why) if why == "long" && defect == Defect::Crash => {
                for c in conns.lock().unwrap().iter() {
                    let _ = c.shutdown(Shutdown::Both);
                }
                return Ok(());
            }
            Err(_) => return close(&mut s, 501),
            Ok(Frame::Method { channel, method }) => (channel, method),
            Ok(Frame::Unknown(_)) => return close(&mut s, 501),
            Ok(_) => continue,
        };
        if channel > 16 {
            return close(&mut s, 504);
        }
        let is_open = matches!(method, Method::ChannelOpen(_));
        if channel != 0 && !open.contains(&channel) && !is_open {
            let code = if defect == Defect::WrongCode {
                530
            } else {
                504
            };
            return close(&mut s, code);
        }
        if let Some(reply_code) = channel_error(&method, channel, &mut tx) {
            open.retain(|c| *c != channel);
            let cc = ChannelClose {
                reply_code,
                ..Default::default()
            };
            send(&mut s, channel, cc.into())?;
            continue;
        }
        match &method {
            Method::BasicQos(_) if defect == Defect::NoQos => return s.shutdown(Shutdown::Both),
            Method::ChannelOpen(_) if open.contains(&channel) => return close(&mut s, 504),
            Method::ChannelOpen(_) => {
                open.push(channel);
                send(&mut s, channel, ChannelOpenOk::default().into())?;
            }
            Method::ChannelClose(_) => {
                open.retain(|c| *c != channel);
                send(&mut s, channel, ChannelCloseOk::default().into())?;
            }
            Method::ConnectionClose(_) => {
                send(&mut s, 0, ConnectionCloseOk::default().into())?;
                return s.shutdown(Shutdown::Both);
            }
            Method::BasicPublish(_)
            | Method::BasicAck(_)
            | Method::BasicReject(_)
            | Method::BasicNack(_)
            | Method::BasicRecoverAsync(_) => {}
            m => {
                if let Method::BasicConsume(c) = m {
                    if c.exclusive && defect == Defect::Interference {
                        let me = s.peer_addr().ok();
                        for other in conns.lock().unwrap().iter_mut() {
                            if other.peer_addr().ok() != me {
                                let cc = ChannelClose {
                                    reply_code: 406,
                                    ..Default::default()
                                };
                                let _ = send(other, 1, cc.into());
                            }
                        }
                    }
                }
                match reply(m, channel, &mut qos_on, defect) {
                    Some(rep) if !m.no_wait() => send(&mut s, channel, rep)?,
                    Some(_) => {}
                    None if matches!(m, Method::QueuePurge(_)) => {}
                    None => return close(&mut s, 540),
                }
            }
        }
    }
}
