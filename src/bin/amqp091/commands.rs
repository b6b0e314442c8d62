//! The subcommands that talk to a broker: one connection, one channel, the
//! command, then a normal close.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;

use amqp091::{
    BasicConsumeOptions, BasicGetOptions, BasicNackOptions, BasicProperties, BasicPublishOptions,
    BasicQosOptions, Channel, Confirm, Connection, ConnectionOptions, ConsumerEnd,
    ExchangeDeclareOptions, ExchangeDeleteOptions, FieldTable, NoWait, PublishConfirm,
    QueueDeclareOptions, QueueDeleteOptions, Returned, Returns,
};
use serde_json::json;
use tokio::sync::mpsc;

use crate::args::{
    table, BindArgs, Cli, Command, ConsumeArgs, DeclareCommand, DeleteCommand, GetArgs, GetMode,
    PublishArgs,
};
use crate::output::{count_of, Failure, MessageView, Out, Progress};

/// Prefetch of `consume` when `--prefetch` is not given.
const DEFAULT_PREFETCH: u16 = 100;

/// Publishes in flight before the oldest confirm is waited for. Below the
/// library's 1024 unread returns, so that none is dropped before it is counted.
const CONFIRM_WINDOW: usize = 512;

/// Connects as the global options say, runs the command on one channel,
/// and closes the connection (also after a failure, whose error is kept).
pub async fn run(cli: Cli, out: &mut Out) -> Result<(), Failure> {
    let mut options = ConnectionOptions::from_url(&cli.url)?;
    if let Some(t) = cli.timeout {
        options.connection_timeout = t;
    }
    if let Some(h) = cli.heartbeat {
        options.heartbeat = Some(h);
    }
    let conn = Connection::connect_with(options).await?;
    let result = match conn.open_channel().await {
        Ok(ch) => match command(&ch, cli.command, out).await {
            Ok(()) => settle(&ch).await,
            Err(e) => Err(e),
        },
        Err(e) => Err(e.into()),
    };
    let flushed = out.flush();
    match result.and(flushed) {
        Ok(()) => conn.close().await.map_err(Failure::from),
        Err(e) => {
            // The command's error is the one to report.
            let _ = conn.close().await;
            Err(e)
        }
    }
}

/// Closes the channel: the round trip makes a channel error the broker
/// raised after the last reply (a publish to a missing exchange, a bad ack:
/// methods without a reply) arrive, and `close` reports it, before the
/// command reports success.
async fn settle(ch: &Channel) -> Result<(), Failure> {
    ch.close().await?;
    Ok(())
}

/// Runs one broker command on `ch`.
async fn command(ch: &Channel, command: Command, out: &mut Out) -> Result<(), Failure> {
    match command {
        Command::Publish(a) => publish(ch, *a).await,
        Command::Get(a) => get(ch, &a, out).await,
        Command::Consume(a) => consume(ch, &a, out).await,
        Command::Declare {
            what: DeclareCommand::Exchange(a),
        } => {
            let options = ExchangeDeclareOptions {
                passive: a.passive,
                durable: a.durable,
                auto_delete: a.auto_delete,
                internal: a.internal,
                no_wait: false,
            };
            ch.exchange_declare(&a.name, &a.kind, options, table(&a.args))
                .await?;
            Ok(())
        }
        Command::Declare {
            what: DeclareCommand::Queue(a),
        } => {
            let options = QueueDeclareOptions {
                passive: a.passive,
                durable: a.durable,
                exclusive: a.exclusive,
                auto_delete: a.auto_delete,
                no_wait: false,
            };
            let q = ch.queue_declare(&a.name, options, table(&a.args)).await?;
            if out.json {
                out.json_line(&json!({
                    "queue": q.name,
                    "message_count": q.message_count,
                    "consumer_count": q.consumer_count,
                }))
            } else {
                out.text(&format!(
                    "queue {}: {}, {}\n",
                    q.name,
                    count_of(q.message_count.into(), "message"),
                    count_of(q.consumer_count.into(), "consumer")
                ))
            }
        }
        Command::Delete {
            what: DeleteCommand::Exchange(a),
        } => {
            let options = ExchangeDeleteOptions {
                if_unused: a.if_unused,
                no_wait: false,
            };
            ch.exchange_delete(&a.name, options).await?;
            Ok(())
        }
        Command::Delete {
            what: DeleteCommand::Queue(a),
        } => {
            let options = QueueDeleteOptions {
                if_unused: a.if_unused,
                if_empty: a.if_empty,
                no_wait: false,
            };
            let n = ch.queue_delete(&a.name, options).await?;
            count_line(out, &a.name, n, "deleted")
        }
        Command::Bind(a) => bind(ch, &a, true).await,
        Command::Unbind(a) => bind(ch, &a, false).await,
        Command::Purge(a) => {
            let n = ch.queue_purge(&a.queue, NoWait::default()).await?;
            count_line(out, &a.queue, n, "purged")
        }
        Command::Frames(_) => Err(Failure::msg("frames needs no broker")),
        Command::Conform { .. } => Err(Failure::msg("conform runs on its own session")),
    }
}

/// `{"queue", "message_count"}` or `deleted queue NAME: N messages`.
fn count_line(out: &mut Out, queue: &str, n: u32, verb: &str) -> Result<(), Failure> {
    if out.json {
        out.json_line(&json!({ "queue": queue, "message_count": n }))
    } else {
        out.text(&format!(
            "{verb} queue {queue}: {}\n",
            count_of(n.into(), "message")
        ))
    }
}

/// `bind` (`bind: true`) and `unbind`.
async fn bind(ch: &Channel, a: &BindArgs, bind: bool) -> Result<(), Failure> {
    let args = table(&a.args);
    if bind {
        ch.queue_bind(
            &a.queue,
            &a.exchange,
            &a.routing_key,
            NoWait::default(),
            args,
        )
        .await?;
    } else {
        ch.queue_unbind(&a.queue, &a.exchange, &a.routing_key, args)
            .await?;
    }
    Ok(())
}

// ----- publish -----

/// The properties the options set.
fn properties(a: &PublishArgs) -> BasicProperties {
    BasicProperties {
        content_type: a.content_type.clone(),
        content_encoding: a.content_encoding.clone(),
        headers: (!a.headers.is_empty()).then(|| table(&a.headers)),
        delivery_mode: a.delivery_mode,
        priority: a.priority,
        correlation_id: a.correlation_id.clone(),
        reply_to: a.reply_to.clone(),
        expiration: a.expiration.clone(),
        message_id: a.message_id.clone(),
        timestamp: a.timestamp,
        message_type: a.message_type.clone(),
        user_id: a.user_id.clone(),
        app_id: a.app_id.clone(),
        ..BasicProperties::default()
    }
}

/// Counts the broker's verdicts on a confirm channel.
struct Confirms {
    pending: VecDeque<PublishConfirm>,
    returns: Returns,
    published: u64,
    nacked: u64,
    returned: u64,
    first_returned: Option<Returned>,
}

impl Confirms {
    fn drain_returns(&mut self) {
        while let Some(r) = self.returns.try_recv() {
            self.returned += 1;
            self.first_returned.get_or_insert(r);
        }
    }

    async fn settle_oldest(&mut self) -> Result<(), Failure> {
        if let Some(pending) = self.pending.pop_front() {
            if pending.wait().await? == Confirm::Nack {
                self.nacked += 1;
            }
        }
        self.drain_returns();
        Ok(())
    }

    async fn add(&mut self, pending: PublishConfirm) -> Result<(), Failure> {
        self.published += 1;
        self.pending.push_back(pending);
        self.drain_returns();
        while self.pending.len() > CONFIRM_WINDOW {
            self.settle_oldest().await?;
        }
        Ok(())
    }

    /// Waits for every confirm; fails if any message was nacked or returned.
    async fn finish(mut self) -> Result<(), Failure> {
        while !self.pending.is_empty() {
            self.settle_oldest().await?;
        }
        // A return comes before the ack of its publish: all are here now.
        self.drain_returns();
        let mut problems = Vec::new();
        if self.nacked > 0 {
            problems.push(format!(
                "the broker nacked {} of {} published",
                count_of(self.nacked, "message"),
                self.published
            ));
        }
        if let Some(r) = &self.first_returned {
            let code = r.reply_code;
            let text = r.reply_text.to_string();
            let reason = match code.name() {
                Some(name) if text.starts_with(name) => format!("{} {text}", code.0),
                _ => format!("{code} {text}"),
            };
            problems.push(format!(
                "the broker returned {} of {} published (first: {reason}, exchange {:?}, routing key {:?})",
                count_of(self.returned, "message"),
                self.published,
                r.exchange.to_string(),
                r.routing_key.to_string()
            ));
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Failure::Message(problems.join("; ")))
        }
    }
}

/// Where the message bodies come from.
enum Source {
    Stdin,
    File(PathBuf),
}

/// Reads messages (lines, or the whole input) on a thread of its own, so
/// that a blocking read never holds up the connection; at most a few are
/// read ahead.
fn spawn_reader(source: Source, whole: bool) -> mpsc::Receiver<Result<Vec<u8>, String>> {
    let (tx, rx) = mpsc::channel(64);
    std::thread::spawn(move || {
        let (name, input): (String, Box<dyn Read>) = match source {
            Source::Stdin => ("standard input".into(), Box::new(std::io::stdin())),
            Source::File(path) => match std::fs::File::open(&path) {
                Ok(f) => (path.display().to_string(), Box::new(f)),
                Err(e) => {
                    let _ = tx.blocking_send(Err(format!("cannot open {}: {e}", path.display())));
                    return;
                }
            },
        };
        let mut input = BufReader::new(input);
        if whole {
            let mut body = Vec::new();
            let result = input
                .read_to_end(&mut body)
                .map(|_| body)
                .map_err(|e| format!("cannot read {name}: {e}"));
            let _ = tx.blocking_send(result);
            return;
        }
        loop {
            let mut line = Vec::new();
            match input.read_until(b'\n', &mut line) {
                Ok(0) => return,
                Ok(_) => {
                    if line.last() == Some(&b'\n') {
                        line.pop();
                        if line.last() == Some(&b'\r') {
                            line.pop();
                        }
                    }
                    if tx.blocking_send(Ok(line)).is_err() {
                        return;
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    let _ = tx.blocking_send(Err(format!("cannot read {name}: {e}")));
                    return;
                }
            }
        }
    });
    rx
}

/// `publish`: one message, or one per line (or the whole input), confirmed on request.
async fn publish(ch: &Channel, a: PublishArgs) -> Result<(), Failure> {
    let props = properties(&a);
    let options = BasicPublishOptions {
        mandatory: a.mandatory,
        immediate: false,
    };
    let mut confirms = None;
    if a.confirm || a.mandatory {
        // Taken before publishing, so that no return is missed.
        let returns = ch.returns()?;
        ch.confirm_select(NoWait::default()).await?;
        confirms = Some(Confirms {
            pending: VecDeque::new(),
            returns,
            published: 0,
            nacked: 0,
            returned: 0,
            first_returned: None,
        });
    }

    if let Some(body) = &a.body {
        let pending = ch
            .basic_publish(
                &a.exchange,
                &a.routing_key,
                options,
                &props,
                body.as_bytes(),
            )
            .await?;
        if let Some(c) = confirms.as_mut() {
            c.add(pending).await?;
        }
    } else {
        let source = match a.file {
            Some(path) => Source::File(path),
            None => Source::Stdin,
        };
        let mut bodies = spawn_reader(source, a.whole);
        let mut progress = Progress::new("published", None);
        while let Some(body) = bodies.recv().await {
            let body = body.map_err(Failure::Message)?;
            let pending = ch
                .basic_publish(&a.exchange, &a.routing_key, options, &props, &body)
                .await?;
            if let Some(c) = confirms.as_mut() {
                c.add(pending).await?;
            }
            progress.tick();
        }
        progress.finish();
    }
    match confirms {
        Some(c) => c.finish().await,
        None => Ok(()),
    }
}

// ----- get and consume -----

/// `get`: up to `count` messages, each printed, then settled as the flags say.
async fn get(ch: &Channel, a: &GetArgs, out: &mut Out) -> Result<(), Failure> {
    let mode = a.mode();
    let options = BasicGetOptions {
        no_ack: mode == GetMode::NoAck,
    };
    let mut last_tag = None;
    for _ in 0..a.count {
        let Some(msg) = ch.basic_get(&a.queue, options).await? else {
            break;
        };
        let view = MessageView {
            delivery_tag: msg.delivery_tag,
            redelivered: msg.redelivered,
            exchange: &msg.exchange,
            routing_key: &msg.routing_key,
            message_count: Some(msg.message_count),
            consumer_tag: None,
            properties: &msg.properties,
            body: &msg.body,
        };
        print_message(out, &view)?;
        match mode {
            GetMode::Ack => ch.basic_ack(msg.delivery_tag, false).await?,
            // Requeued only at the end: a message requeued now would be the next one fetched.
            GetMode::Requeue => last_tag = Some(msg.delivery_tag),
            GetMode::NoAck => {}
        }
    }
    if let Some(tag) = last_tag {
        let options = BasicNackOptions {
            multiple: true,
            requeue: true,
        };
        ch.basic_nack(tag, options).await?;
    }
    Ok(())
}

/// Prints a message and flushes it, so that it is out before it is acknowledged.
fn print_message(out: &mut Out, view: &MessageView<'_>) -> Result<(), Failure> {
    if out.json {
        out.json_line(&view.json())?;
    } else {
        out.text(&view.text())?;
    }
    out.flush()
}

/// `consume`: prints and (unless `--no-ack`) acknowledges each delivery, until the count, Ctrl-C or the consumer's end.
async fn consume(ch: &Channel, a: &ConsumeArgs, out: &mut Out) -> Result<(), Failure> {
    let mut prefetch = a.prefetch.unwrap_or(DEFAULT_PREFETCH);
    if let Some(n) = a.count {
        prefetch = prefetch.min(u16::try_from(n).unwrap_or(u16::MAX));
    }
    ch.basic_qos(prefetch, BasicQosOptions::default()).await?;
    let options = BasicConsumeOptions {
        no_ack: a.no_ack,
        exclusive: a.exclusive,
        ..BasicConsumeOptions::default()
    };
    let mut consumer = ch
        .basic_consume(&a.queue, options, FieldTable::new())
        .await?;
    let interrupted = async {
        if tokio::signal::ctrl_c().await.is_err() {
            // No signal handling here: run until the count or the end.
            std::future::pending::<()>().await;
        }
    };
    tokio::pin!(interrupted);
    let mut progress = match a.count {
        Some(n) => Progress::new("consumed", Some(n)),
        None => Progress::off(),
    };
    let mut received = 0u64;
    while a.count.is_none_or(|n| received < n) {
        let delivery = tokio::select! {
            d = consumer.recv() => d,
            () = &mut interrupted => break,
        };
        let Some(d) = delivery else {
            progress.finish();
            return Err(match consumer.end_reason() {
                Some(ConsumerEnd::Closed(e)) => e.into(),
                Some(ConsumerEnd::CancelledByServer) => Failure::msg(format!(
                    "the server cancelled the consumer of queue {:?} (deleted?)",
                    a.queue
                )),
                _ => Failure::msg("the consumer ended"),
            });
        };
        let view = MessageView {
            delivery_tag: d.delivery_tag,
            redelivered: d.redelivered,
            exchange: &d.exchange,
            routing_key: &d.routing_key,
            message_count: None,
            consumer_tag: Some(&d.consumer_tag),
            properties: &d.properties,
            body: &d.body,
        };
        progress.before_output();
        print_message(out, &view)?;
        if !a.no_ack {
            ch.basic_ack(d.delivery_tag, false).await?;
        }
        received += 1;
        progress.tick();
    }
    progress.finish();
    Ok(())
}
