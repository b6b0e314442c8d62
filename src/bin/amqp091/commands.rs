//! The subcommands that talk to a broker: one connection, one channel, the
//! command, then a normal close.

use std::collections::VecDeque;
use std::future::Future;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::time::Duration;

use amqp091::{
    BasicConsumeOptions, BasicGetOptions, BasicNackOptions, BasicProperties, BasicPublishOptions,
    BasicQosOptions, Channel, Confirm, Connection, ConnectionOptions, ConsumerEnd,
    ExchangeDeclareOptions, ExchangeDeleteOptions, FieldTable, NoWait, PublishConfirm,
    QueueDeclareOptions, QueueDeleteOptions, Returned, Returns,
};
use serde_json::json;
use tokio::signal::unix::{signal, Signal, SignalKind};
use tokio::sync::mpsc;

use crate::args::{
    table, BindArgs, Cli, Command, ConsumeArgs, DeclareCommand, DeleteCommand, GetArgs, GetMode,
    PublishArgs,
};
use crate::output::{count_of, Failure, Interrupt, MessageView, Out, Progress};
use crate::stdout::Watch;

/// Prefetch of `consume` when `--prefetch` is not given.
const DEFAULT_PREFETCH: u16 = 100;

/// Publishes in flight before the oldest confirm is waited for. Below the
/// library's 1024 unread returns, so that none is dropped before it is counted.
const CONFIRM_WINDOW: usize = 512;

/// Connects as the global options say, runs the command on one channel,
/// and closes the connection (also after a failure, whose error is kept).
/// SIGINT and SIGTERM stop the command; the close then puts every message
/// delivered but not acknowledged back in its queue.
pub async fn run(cli: Cli, out: &mut Out) -> Result<(), Failure> {
    let options = connection_options(&cli)?;
    let limit = cli.timeout;
    let mut signals = Signals::new()?;
    let conn = tokio::select! {
        conn = Connection::connect_with(options) => conn?,
        signal = signals.recv() => return Err(Failure::Interrupted(signal)),
    };
    let work = async {
        let ch = within(limit, "channel.open", conn.open_channel()).await?;
        command(&ch, cli.command, limit, out).await?;
        settle(&ch, limit).await
    };
    let result = tokio::select! {
        result = work => result,
        signal = signals.recv() => Err(Failure::Interrupted(signal)),
    };
    let flushed = out.flush();
    match result.and(flushed) {
        Ok(()) => within(limit, "connection.close", conn.close()).await,
        Err(e) => {
            // The command's error is the one to report.
            let _ = within(limit, "connection.close", conn.close()).await;
            Err(e)
        }
    }
}

/// The options of the URL (`--url`, `AMQP_URL` or `--url-file`), with the
/// password of `--password-file` and the global options applied.
pub(crate) fn connection_options(cli: &Cli) -> Result<ConnectionOptions, Failure> {
    let mut options = match &cli.url_file {
        Some(path) => ConnectionOptions::from_urls(&first_line(path, "URL")?)?,
        None => ConnectionOptions::from_urls(&cli.url.join(","))?,
    };
    if let Some(path) = &cli.password_file {
        options.password = first_line(path, "password")?;
    }
    if let Some(t) = cli.timeout {
        options.connection_timeout = t;
        options.request_timeout = Some(t);
    }
    if let Some(h) = cli.heartbeat {
        options.heartbeat = Some(h);
    }
    if let Some(m) = cli.max_message_size {
        options.max_message_size = m;
    }
    Ok(options)
}

/// The first line of a file (`-`: standard input), without its line ending.
/// Its text is never shown: it may be a secret.
fn first_line(path: &Path, what: &str) -> Result<String, Failure> {
    let mut line = String::new();
    let read = if path == Path::new("-") {
        std::io::stdin().read_line(&mut line)
    } else {
        std::fs::File::open(path).and_then(|f| BufReader::new(f).read_line(&mut line))
    };
    let name = if path == Path::new("-") {
        "standard input".to_owned()
    } else {
        path.display().to_string()
    };
    read.map_err(|e| Failure::msg(format!("cannot read the {what} from {name}: {e}")))?;
    let line = line.strip_suffix('\n').unwrap_or(&line);
    let line = line.strip_suffix('\r').unwrap_or(line);
    if line.is_empty() {
        return Err(Failure::msg(format!(
            "no {what} in {name}: its first line is empty"
        )));
    }
    Ok(line.to_owned())
}

/// SIGINT and SIGTERM, as they come.
pub(crate) struct Signals {
    int: Signal,
    term: Signal,
}

impl Signals {
    pub(crate) fn new() -> Result<Signals, Failure> {
        let listen =
            |kind| signal(kind).map_err(|e| Failure::msg(format!("cannot handle signals: {e}")));
        Ok(Signals {
            int: listen(SignalKind::interrupt())?,
            term: listen(SignalKind::terminate())?,
        })
    }

    /// The next signal.
    pub(crate) async fn recv(&mut self) -> Interrupt {
        tokio::select! {
            Some(()) = self.int.recv() => Interrupt::Int,
            Some(()) = self.term.recv() => Interrupt::Term,
            else => std::future::pending().await,
        }
    }
}

/// Runs one step within the `--timeout`, if given. The library bounds each
/// request by it already (`request_timeout`); this also bounds the steps
/// that are not requests (closes, confirms), and names the step either way.
async fn within<T, E: Into<Failure>>(
    limit: Option<Duration>,
    what: &str,
    request: impl Future<Output = Result<T, E>>,
) -> Result<T, Failure> {
    let late = |limit: Duration| {
        Failure::msg(format!(
            "the broker did not answer {what} within {limit:?} (--timeout)"
        ))
    };
    match limit {
        None => request.await.map_err(Into::into),
        Some(limit) => match tokio::time::timeout(limit, request).await {
            Ok(result) => result.map_err(|e| match e.into() {
                Failure::Amqp(amqp091::Error::Timeout(amqp091::TimeoutKind::Request)) => {
                    late(limit)
                }
                other => other,
            }),
            Err(_) => Err(late(limit)),
        },
    }
}

/// Closes the channel: the round trip makes a channel error the broker
/// raised after the last reply (a publish to a missing exchange, a bad ack:
/// methods without a reply) arrive, and `close` reports it, before the
/// command reports success.
async fn settle(ch: &Channel, limit: Option<Duration>) -> Result<(), Failure> {
    within(limit, "channel.close", ch.close()).await
}

/// Runs one broker command on `ch`.
async fn command(
    ch: &Channel,
    command: Command,
    t: Option<Duration>,
    out: &mut Out,
) -> Result<(), Failure> {
    match command {
        Command::Publish(a) => publish(ch, *a, t).await,
        Command::Get(a) => get(ch, &a, t, out).await,
        Command::Consume(a) => consume(ch, &a, t, out).await,
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
            let declare = ch.exchange_declare(&a.name, &a.kind, options, table(&a.args));
            within(t, "exchange.declare", declare).await?;
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
            let declare = ch.queue_declare(&a.name, options, table(&a.args));
            let q = within(t, "queue.declare", declare).await?;
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
            within(t, "exchange.delete", ch.exchange_delete(&a.name, options)).await?;
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
            let n = within(t, "queue.delete", ch.queue_delete(&a.name, options)).await?;
            count_line(out, &a.name, n, "deleted")
        }
        Command::Bind(a) => bind(ch, &a, true, t).await,
        Command::Unbind(a) => bind(ch, &a, false, t).await,
        Command::Purge(a) => {
            let purge = ch.queue_purge(&a.queue, NoWait::default());
            let n = within(t, "queue.purge", purge).await?;
            count_line(out, &a.queue, n, "purged")
        }
        Command::Frames(_) => Err(Failure::msg("frames needs no broker")),
        Command::Conform { .. } => Err(Failure::msg("conform runs on its own session")),
        Command::Perf(_) => Err(Failure::msg("perf opens its own connections")),
        Command::FuzzBroker { .. } => Err(Failure::msg("fuzz-broker runs on its own session")),
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
async fn bind(ch: &Channel, a: &BindArgs, bind: bool, t: Option<Duration>) -> Result<(), Failure> {
    let args = table(&a.args);
    if bind {
        let request = ch.queue_bind(
            &a.queue,
            &a.exchange,
            &a.routing_key,
            NoWait::default(),
            args,
        );
        within(t, "queue.bind", request).await?;
    } else {
        let request = ch.queue_unbind(&a.queue, &a.exchange, &a.routing_key, args);
        within(t, "queue.unbind", request).await?;
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
    limit: Option<Duration>,
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
            if within(self.limit, "a publisher confirm", pending.wait()).await? == Confirm::Nack {
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
async fn publish(ch: &Channel, a: PublishArgs, limit: Option<Duration>) -> Result<(), Failure> {
    let props = properties(&a);
    let options = BasicPublishOptions {
        mandatory: a.mandatory,
        immediate: false,
    };
    let mut confirms = None;
    if a.confirm || a.mandatory {
        // Taken before publishing, so that no return is missed.
        let returns = ch.returns()?;
        within(
            limit,
            "confirm.select",
            ch.confirm_select(NoWait::default()),
        )
        .await?;
        confirms = Some(Confirms {
            limit,
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

/// Messages printed but not acknowledged yet, each with the output offset
/// its text ends at: acknowledged once the reader of stdout has read that
/// far (see `stdout.rs`).
struct Acks {
    watch: Watch,
    /// `(delivery tag, end offset in the output)`, oldest first.
    pending: VecDeque<(u64, u64)>,
}

/// How often to look again whether the reader of a pipe has read on.
const READ_POLL: Duration = Duration::from_millis(5);

impl Acks {
    fn new() -> Result<Acks, Failure> {
        Ok(Acks {
            watch: Watch::new()?,
            pending: VecDeque::new(),
        })
    }

    /// Records a printed (and flushed) message.
    fn printed(&mut self, tag: u64, out: &Out) {
        self.pending.push_back((tag, out.written()));
    }

    /// Acknowledges (in one `multiple` ack) the messages whose text the
    /// reader has read. Fails when the reader went away.
    async fn ack_read(&mut self, ch: &Channel, out: &Out) -> Result<(), Failure> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let (unread, gone) = self.watch.unread()?;
        let read_up_to = out.written().saturating_sub(unread);
        let mut last = None;
        while let Some(&(tag, end)) = self.pending.front() {
            if end > read_up_to {
                break;
            }
            last = Some(tag);
            self.pending.pop_front();
        }
        if let Some(tag) = last {
            ch.basic_ack(tag, true).await?;
        }
        if gone {
            // What it did not read goes back to the queue when the channel closes.
            return Err(Failure::msg(format!(
                "the reader of standard output went away; {} not acknowledged, \
                 returned to the queue",
                count_of(self.pending.len() as u64, "message")
            )));
        }
        Ok(())
    }

    /// Waits until every printed message was read, and acknowledges it:
    /// a few quick looks first (a reader that keeps up has read it within
    /// microseconds), then looks at most [`READ_POLL`] apart.
    async fn ack_all(&mut self, ch: &Channel, out: &Out) -> Result<(), Failure> {
        let mut looks = 0u32;
        loop {
            self.ack_read(ch, out).await?;
            if self.pending.is_empty() {
                return Ok(());
            }
            looks += 1;
            if looks < 200 {
                tokio::task::yield_now().await;
            } else {
                let pause = Duration::from_millis(u64::from((looks - 199).min(5)));
                tokio::time::sleep(pause.min(READ_POLL)).await;
            }
        }
    }
}

/// Fails when the output cannot be shown to anyone: a message fetched then
/// would be acknowledged unseen.
fn check_output_open() -> Result<(), Failure> {
    Watch::new().map(|_| ()).map_err(|_| {
        Failure::msg("standard output is closed: no message was fetched, as none could be shown")
    })
}

/// `get`: up to `count` messages, each printed, then settled as the flags
/// say; with `--ack`, each once it was read from stdout.
async fn get(ch: &Channel, a: &GetArgs, t: Option<Duration>, out: &mut Out) -> Result<(), Failure> {
    let mode = a.mode();
    let options = BasicGetOptions {
        no_ack: mode == GetMode::NoAck,
    };
    check_output_open()?;
    let mut acks = Acks::new()?;
    let mut last_tag = None;
    for _ in 0..a.count {
        let Some(msg) = within(t, "basic.get", ch.basic_get(&a.queue, options)).await? else {
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
            GetMode::Ack => {
                acks.printed(msg.delivery_tag, out);
                acks.ack_all(ch, out).await?;
            }
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

/// `consume`: prints each delivery and (unless `--no-ack`) acknowledges it
/// once stdout's reader has read it, until the count or the consumer's end
/// (a signal stops it in [`run`]).
async fn consume(
    ch: &Channel,
    a: &ConsumeArgs,
    t: Option<Duration>,
    out: &mut Out,
) -> Result<(), Failure> {
    let mut prefetch = a.prefetch.unwrap_or(DEFAULT_PREFETCH);
    if let Some(n) = a.count {
        prefetch = prefetch.min(u16::try_from(n).unwrap_or(u16::MAX));
    }
    check_output_open()?;
    let mut acks = Acks::new()?;
    within(
        t,
        "basic.qos",
        ch.basic_qos(prefetch, BasicQosOptions::default()),
    )
    .await?;
    let options = BasicConsumeOptions {
        no_ack: a.no_ack,
        exclusive: a.exclusive,
        ..BasicConsumeOptions::default()
    };
    let mut consumer = within(
        t,
        "basic.consume",
        ch.basic_consume(&a.queue, options, FieldTable::new()),
    )
    .await?;
    let mut progress = match a.count {
        Some(n) => Progress::new("consumed", Some(n)),
        None => Progress::off(),
    };
    let mut received = 0u64;
    while a.count.is_none_or(|n| received < n) {
        let Some(d) = consumer.recv().await else {
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
            // The next message is written only once this one was read: a
            // reader that reads a block and stops (`head -1`) then takes
            // one message, not a pipe's worth of them.
            acks.printed(d.delivery_tag, out);
            acks.ack_all(ch, out).await?;
        }
        received += 1;
        progress.tick();
    }
    progress.finish();
    Ok(())
}
