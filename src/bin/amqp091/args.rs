//! The command line: global options, subcommands and their arguments
//! (clap derive), and the parsers of the values clap cannot parse alone
//! (short strings, `name[:type]=value` table entries, seconds).

use std::path::PathBuf;
use std::time::Duration;

use amqp091::codec::ShortStr;
use amqp091::{FieldTable, FieldValue};
use clap::{ArgGroup, Args, Parser, Subcommand};

/// The URL used when neither `--url` nor `AMQP_URL` gives one (`%2f` is the vhost `/`).
pub const DEFAULT_URL: &str = "amqp://guest:guest@localhost:5672/%2f";

/// The help heading of the options every subcommand takes.
const GLOBAL: &str = "Global options";

/// `amqp091`: publish, fetch and consume messages, manage exchanges and
/// queues on an AMQP 0-9-1 broker, and dissect captured AMQP bytes.
#[derive(Debug, Parser)]
#[command(
    name = "amqp091",
    version,
    about = "AMQP 0-9-1 from the command line: publish, get, consume, declare, \
             delete, bind, purge, and a dissector of raw AMQP bytes",
    long_about = None,
    after_help = "Errors are printed as one line on stderr, and the exit code is then 1 \
                  (2 for a usage error; 130 or 143 when SIGINT or SIGTERM stopped the command).\n\
                  A password in --url is visible to every user of the machine in the process \
                  list (ps): give the URL with --url-file or AMQP_URL, or the password with \
                  --password-file (`-` reads it from standard input).\n\
                  With --json, every message or frame is one JSON object on one line; \
                  see `amqp091 help get` and `amqp091 help frames` for the shapes."
)]
pub struct Cli {
    /// Broker URL: amqp://user:password@host:port/vhost?heartbeat=30 (`%2f` is the vhost `/`).
    /// Give it more than once (or a comma-separated list, also in
    /// AMQP_URL) for several brokers: the next is tried when one does not
    /// answer; the first URL's credentials and vhost apply to all.
    /// Every user of the machine can read a password given here in the
    /// process list: prefer --url-file, --password-file or AMQP_URL.
    #[arg(
        long,
        env = "AMQP_URL",
        default_value = DEFAULT_URL,
        value_delimiter = ',',
        action = clap::ArgAction::Append,
        hide_env_values = true,
        hide_default_value = true,
        global = true,
        value_name = "URL",
        help_heading = GLOBAL
    )]
    pub url: Vec<String>,

    /// Read the broker URL from the first line of this file (`-`: standard
    /// input) instead of --url, keeping its password out of the process list.
    #[arg(
        long,
        global = true,
        value_name = "PATH",
        conflicts_with = "url",
        help_heading = GLOBAL
    )]
    pub url_file: Option<PathBuf>,

    /// Read the password from the first line of this file (`-`: standard
    /// input); it replaces the URL's password.
    #[arg(long, global = true, value_name = "PATH", help_heading = GLOBAL)]
    pub password_file: Option<PathBuf>,

    /// Time allowed for each step: the TCP connect and the AMQP handshake
    /// together, then each request to the broker and the close (sets the
    /// URL's `connection_timeout` and `request_timeout`; defaults 30 s and
    /// 60 s). A number of seconds, or with a unit: 500ms, 10s, 2m.
    #[arg(
        long,
        global = true,
        value_name = "DUR",
        value_parser = parse_duration,
        help_heading = GLOBAL
    )]
    pub timeout: Option<Duration>,

    /// Largest message body accepted from the broker, in bytes (sets the
    /// URL's `max_message_size`; default 134217728, 128 MiB).
    #[arg(
        long,
        global = true,
        value_name = "BYTES",
        value_parser = clap::value_parser!(u64).range(1..),
        help_heading = GLOBAL
    )]
    pub max_message_size: Option<u64>,

    /// Heartbeat interval to ask for (0 turns heartbeats off; default: the server's proposal).
    #[arg(long, global = true, value_name = "SECONDS", help_heading = GLOBAL)]
    pub heartbeat: Option<u16>,

    /// One JSON object per line for every message, frame or result, instead of text.
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub json: bool,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Publish messages: one with --body, else one per line of --file or stdin.
    Publish(Box<PublishArgs>),
    /// Fetch messages with basic.get and print them.
    Get(GetArgs),
    /// Consume messages from a queue and print each delivery (until --count or Ctrl-C).
    Consume(ConsumeArgs),
    /// Declare an exchange or a queue.
    Declare {
        /// What to declare.
        #[command(subcommand)]
        what: DeclareCommand,
    },
    /// Delete an exchange or a queue.
    Delete {
        /// What to delete.
        #[command(subcommand)]
        what: DeleteCommand,
    },
    /// Bind a queue to an exchange.
    Bind(BindArgs),
    /// Remove a queue's binding to an exchange.
    Unbind(BindArgs),
    /// Remove every ready message from a queue; prints how many.
    Purge(PurgeArgs),
    /// Dissect raw AMQP bytes (one direction of a TCP stream) from FILE or stdin.
    #[command(after_help = FRAMES_HELP)]
    Frames(FramesArgs),
    /// Check a broker against every rule of the 0-9-1 spec (`amqp091 conform --help`).
    #[command(disable_help_flag = true)]
    Conform {
        /// URL and options, parsed by the conformance runner (amqp091-conform).
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Load test (PerfTest-style): producers, consumers, rates, latencies; checks every message.
    Perf(Box<crate::perf::args::PerfArgs>),
    /// Fuzz a broker's frame handling (`amqp091 fuzz-broker --help`).
    #[command(name = "fuzz-broker", disable_help_flag = true)]
    FuzzBroker {
        /// URL, sub-command and options, parsed by the fuzzer (amqp091-fuzzbroker).
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
}

/// The JSON shape of a message, for the help of `get` and `consume`.
const MESSAGE_JSON_HELP: &str = "With --json, each message is one line: \
{\"delivery_tag\":1,\"exchange\":\"\",\"routing_key\":\"q\",\"redelivered\":false,\
\"message_count\":0,\"properties\":{\"content_type\":\"text/plain\",\"headers\":[...]},\
\"body_size\":5,\"body\":\"hello\"} (get gives \"message_count\", the messages left; \
consume gives \"consumer_tag\" instead). \"body\" is the body as text when it is UTF-8; \
otherwise \"body_base64\" holds it in standard base64. Properties appear only when \
present, named as in the spec with '-' as '_'. A field table is an array of \
{\"name\",\"type\",\"value\"} in wire order, \"type\" being its one-letter tag (S, I, t, F, ...).";

/// What `frames` prints, for its help.
const FRAMES_HELP: &str = "Every frame is printed with its stream offset, channel and type: \
a method with its class.method and every argument by spec name, a content header with its \
class, body size and properties, field tables with the type tag of every value, a body with \
its size (and its bytes with --body). A leading protocol header is optional.\n\
Malformed input is reported with its offset and reason, and dissection stops there \
(exit code 1); so does a truncated last frame.\n\
With --json, one object per line: {\"offset\":8,\"channel\":0,\"type\":\"method\",\"size\":496,\
\"class_id\":10,\"method_id\":10,\"method\":\"connection.start\",\"arguments\":{\"version_major\":0,...}}; \
headers: {\"type\":\"header\",...,\"class\":\"basic\",\"body_size\":5,\"properties\":{...}}; \
bodies: {\"type\":\"body\",...,\"size\":5} (with --body also \"body\" or \"body_base64\"); \
{\"type\":\"heartbeat\"}, {\"type\":\"protocol-header\"}; and a last {\"type\":\"error\"} or \
{\"type\":\"truncated\"} object for bad input. Strings that are not UTF-8, and byte arrays, \
are {\"base64\":\"...\"}.";

/// `publish` arguments.
#[derive(Debug, Args)]
#[command(
    after_help = "Without --body, every line of --file or stdin is one message \
(its line ending removed; an empty line is an empty message), or the whole input is one \
message with --whole. Headers and arguments are NAME=VALUE (a long string) or \
NAME:TYPE=VALUE with TYPE one of str, int (signed 64-bit), i32, bool, float, timestamp, void."
)]
pub struct PublishArgs {
    /// Exchange to publish to ("" for the default exchange).
    pub exchange: String,
    /// Routing key (with the default exchange: the queue name).
    pub routing_key: String,

    /// The body of a single message.
    #[arg(long, conflicts_with_all = ["file", "whole"])]
    pub body: Option<String>,
    /// Read the messages from this file instead of stdin.
    #[arg(long, value_name = "PATH")]
    pub file: Option<PathBuf>,
    /// Publish the whole input (file or stdin) as one message instead of one per line.
    #[arg(long)]
    pub whole: bool,

    /// content-type property (MIME type).
    #[arg(long, value_parser = parse_short)]
    pub content_type: Option<ShortStr>,
    /// content-encoding property.
    #[arg(long, value_parser = parse_short)]
    pub content_encoding: Option<ShortStr>,
    /// delivery-mode property: 1 transient, 2 persistent.
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=2))]
    pub delivery_mode: Option<u8>,
    /// A header (repeatable): NAME=VALUE or NAME:TYPE=VALUE.
    #[arg(long = "header", value_name = "NAME[:TYPE]=VALUE", value_parser = parse_entry)]
    pub headers: Vec<TableEntry>,
    /// message-id property.
    #[arg(long, value_parser = parse_short)]
    pub message_id: Option<ShortStr>,
    /// correlation-id property.
    #[arg(long, value_parser = parse_short)]
    pub correlation_id: Option<ShortStr>,
    /// reply-to property.
    #[arg(long, value_parser = parse_short)]
    pub reply_to: Option<ShortStr>,
    /// expiration property (RabbitMQ: a TTL in milliseconds, as text).
    #[arg(long, value_parser = parse_short)]
    pub expiration: Option<ShortStr>,
    /// priority property (0 to 9 in the spec; RabbitMQ takes up to 255).
    #[arg(long)]
    pub priority: Option<u8>,
    /// type property (message type name).
    #[arg(long = "type", value_parser = parse_short, value_name = "TYPE")]
    pub message_type: Option<ShortStr>,
    /// app-id property.
    #[arg(long, value_parser = parse_short)]
    pub app_id: Option<ShortStr>,
    /// user-id property (RabbitMQ checks it against the connection's user).
    #[arg(long, value_parser = parse_short)]
    pub user_id: Option<ShortStr>,
    /// timestamp property, in seconds since the epoch.
    #[arg(long, value_name = "SECONDS")]
    pub timestamp: Option<u64>,

    /// Ask the broker to return messages no queue takes; a returned message
    /// fails the command. Turns --confirm on (returns are only known for sure
    /// once the broker has confirmed every message).
    #[arg(long)]
    pub mandatory: bool,
    /// Use publisher confirms: wait until the broker has confirmed every
    /// message, and fail if any is nacked or returned.
    #[arg(long)]
    pub confirm: bool,
}

/// How `get` settles the messages it fetched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GetMode {
    /// Acknowledge each after printing it.
    Ack,
    /// Put them back in the queue (basic.nack with requeue) after printing them all.
    Requeue,
    /// Fetch with no-ack: the broker forgets them once sent.
    NoAck,
}

/// `get` arguments.
#[derive(Debug, Args)]
#[command(
    group(ArgGroup::new("settle").args(["ack", "requeue", "no_ack"]).multiple(false)),
    after_help = MESSAGE_JSON_HELP
)]
pub struct GetArgs {
    /// Queue to fetch from.
    pub queue: String,
    /// Fetch up to this many messages (stops early when the queue is empty).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    pub count: u32,
    /// Acknowledge each message after printing it (the default).
    #[arg(long)]
    pub ack: bool,
    /// Leave the messages in the queue: nack them with requeue after printing.
    #[arg(long)]
    pub requeue: bool,
    /// Fetch in no-ack mode: the broker removes each message as it sends it.
    #[arg(long)]
    pub no_ack: bool,
}

impl GetArgs {
    /// The settling mode the flags choose.
    pub fn mode(&self) -> GetMode {
        if self.requeue {
            GetMode::Requeue
        } else if self.no_ack {
            GetMode::NoAck
        } else {
            GetMode::Ack
        }
    }
}

/// `consume` arguments.
#[derive(Debug, Args)]
#[command(after_help = MESSAGE_JSON_HELP)]
pub struct ConsumeArgs {
    /// Queue to consume from.
    pub queue: String,
    /// Unacknowledged deliveries the broker may send ahead (basic.qos;
    /// default 100, at most --count).
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
    pub prefetch: Option<u16>,
    /// Stop after this many deliveries.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    pub count: Option<u64>,
    /// Consume in no-ack mode (the broker forgets each message once sent;
    /// with --count, deliveries already sent past the count are lost).
    #[arg(long)]
    pub no_ack: bool,
    /// Be the queue's only consumer.
    #[arg(long)]
    pub exclusive: bool,
}

/// `declare` subcommands.
#[derive(Debug, Subcommand)]
pub enum DeclareCommand {
    /// Declare an exchange.
    Exchange(DeclareExchangeArgs),
    /// Declare a queue; prints its name, message count and consumer count.
    Queue(DeclareQueueArgs),
}

/// `declare exchange` arguments.
#[derive(Debug, Args)]
pub struct DeclareExchangeArgs {
    /// Exchange name.
    pub name: String,
    /// Exchange type: direct, fanout, topic, headers (or a plugin's type).
    #[arg(long = "type", default_value = "direct", value_name = "TYPE")]
    pub kind: String,
    /// Survive a broker restart.
    #[arg(long)]
    pub durable: bool,
    /// Delete it when its last binding goes.
    #[arg(long)]
    pub auto_delete: bool,
    /// Only exchange-to-exchange bindings may publish to it.
    #[arg(long)]
    pub internal: bool,
    /// Only check that it exists.
    #[arg(long)]
    pub passive: bool,
    /// An argument (repeatable): NAME=VALUE or NAME:TYPE=VALUE.
    #[arg(long = "arg", value_name = "NAME[:TYPE]=VALUE", value_parser = parse_entry)]
    pub args: Vec<TableEntry>,
}

/// `declare queue` arguments.
#[derive(Debug, Args)]
#[command(
    after_help = "Arguments are NAME=VALUE (a long string) or NAME:TYPE=VALUE with TYPE \
one of str, int (signed 64-bit), i32, bool, float, timestamp, void: \
--arg x-max-length:int=1000 --arg x-queue-type=quorum."
)]
pub struct DeclareQueueArgs {
    /// Queue name ("" or none: the server chooses one).
    #[arg(default_value = "")]
    pub name: String,
    /// Survive a broker restart.
    #[arg(long)]
    pub durable: bool,
    /// Used by this connection only (so deleted when the command ends).
    #[arg(long)]
    pub exclusive: bool,
    /// Delete it when its last consumer goes.
    #[arg(long)]
    pub auto_delete: bool,
    /// Only check that it exists (and print its counts).
    #[arg(long)]
    pub passive: bool,
    /// An argument (repeatable): NAME=VALUE or NAME:TYPE=VALUE.
    #[arg(long = "arg", value_name = "NAME[:TYPE]=VALUE", value_parser = parse_entry)]
    pub args: Vec<TableEntry>,
}

/// `delete` subcommands.
#[derive(Debug, Subcommand)]
pub enum DeleteCommand {
    /// Delete an exchange.
    Exchange(DeleteExchangeArgs),
    /// Delete a queue; prints how many messages it held.
    Queue(DeleteQueueArgs),
}

/// `delete exchange` arguments.
#[derive(Debug, Args)]
pub struct DeleteExchangeArgs {
    /// Exchange name.
    pub name: String,
    /// Only if it has no bindings.
    #[arg(long)]
    pub if_unused: bool,
}

/// `delete queue` arguments.
#[derive(Debug, Args)]
pub struct DeleteQueueArgs {
    /// Queue name.
    pub name: String,
    /// Only if it has no consumers.
    #[arg(long)]
    pub if_unused: bool,
    /// Only if it has no messages.
    #[arg(long)]
    pub if_empty: bool,
}

/// `bind` and `unbind` arguments.
#[derive(Debug, Args)]
pub struct BindArgs {
    /// Queue name.
    pub queue: String,
    /// Exchange name.
    pub exchange: String,
    /// Routing key (binding key).
    #[arg(default_value = "")]
    pub routing_key: String,
    /// A binding argument (repeatable; headers exchanges: x-match=all ...):
    /// NAME=VALUE or NAME:TYPE=VALUE.
    #[arg(long = "arg", value_name = "NAME[:TYPE]=VALUE", value_parser = parse_entry)]
    pub args: Vec<TableEntry>,
}

/// `purge` arguments.
#[derive(Debug, Args)]
pub struct PurgeArgs {
    /// Queue name.
    pub queue: String,
}

/// `frames` arguments.
#[derive(Debug, Args)]
pub struct FramesArgs {
    /// File of raw bytes (default: stdin).
    pub file: Option<PathBuf>,
    /// Print body frames' bytes too (as text when UTF-8, else hex; base64
    /// in JSON; at most the first 4096 bytes of each frame).
    #[arg(long)]
    pub body: bool,
    /// Largest frame accepted, header and frame-end included (0: no limit);
    /// a larger one is reported as malformed. Method and content header
    /// frames are held whole in memory; bodies are streamed.
    #[arg(
        long,
        value_name = "BYTES",
        default_value_t = amqp091::cli::frames::DEFAULT_MAX_FRAME_SIZE
    )]
    pub max_frame_size: u32,
}

/// One `NAME[:TYPE]=VALUE` of a field table (headers, arguments).
#[derive(Debug, Clone, PartialEq)]
pub struct TableEntry {
    /// The name.
    pub name: ShortStr,
    /// The typed value.
    pub value: FieldValue,
}

/// A table of the entries, in the order given (repeated names are kept).
pub fn table(entries: &[TableEntry]) -> FieldTable {
    let mut t = FieldTable::new();
    for e in entries {
        t.push(e.name.clone(), e.value.clone());
    }
    t
}

/// Parses a `shortstr` (at most 255 bytes).
fn parse_short(s: &str) -> Result<ShortStr, String> {
    ShortStr::copy_from_str(s).map_err(|e| e.to_string())
}

/// The TYPEs of `NAME:TYPE=VALUE`.
const TYPES: &str = "str, int, i32, bool, float, timestamp, void";

/// Parses `NAME=VALUE` (a long string) or `NAME:TYPE=VALUE`.
pub fn parse_entry(s: &str) -> Result<TableEntry, String> {
    let Some((lhs, raw)) = s.split_once('=') else {
        return Err(format!("expected NAME=VALUE or NAME:TYPE=VALUE, got {s:?}"));
    };
    let (name, ty) = match lhs.rsplit_once(':') {
        Some((name, ty)) => (name, Some(ty)),
        None => (lhs, None),
    };
    if name.is_empty() {
        return Err(format!("empty name in {s:?}"));
    }
    let name = ShortStr::copy_from_str(name).map_err(|e| format!("name: {e}"))?;
    let bad = |what: &str| format!("{raw:?} is not {what}");
    let value = match ty {
        None | Some("str") => FieldValue::LongStr(raw.to_string().into()),
        Some("int") => FieldValue::I64(raw.parse().map_err(|_| bad("a signed 64-bit integer"))?),
        Some("i32") => FieldValue::I32(raw.parse().map_err(|_| bad("a signed 32-bit integer"))?),
        Some("bool") => FieldValue::Bool(match raw {
            "true" | "1" | "yes" => true,
            "false" | "0" | "no" => false,
            _ => return Err(bad("a boolean (true or false)")),
        }),
        Some("float") => FieldValue::F64(raw.parse().map_err(|_| bad("a number"))?),
        Some("timestamp") => FieldValue::Timestamp(
            raw.parse()
                .map_err(|_| bad("a timestamp (seconds since the epoch)"))?,
        ),
        Some("void") if raw.is_empty() => FieldValue::Void,
        Some("void") => return Err(format!("a void value has no text: write {lhs}=")),
        Some(other) => {
            return Err(format!(
                "unknown type {other:?} (types: {TYPES}); a name that holds ':' needs a type, \
                 as in 'a:b:str=v'"
            ))
        }
    };
    Ok(TableEntry { name, value })
}

/// Parses a duration: a (fractional) number of seconds, or one with a
/// unit: `ms`, `s`, `m`.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let (number, scale) = if let Some(n) = s.strip_suffix("ms") {
        (n, 0.001)
    } else if let Some(n) = s.strip_suffix('s') {
        (n, 1.0)
    } else if let Some(n) = s.strip_suffix('m') {
        (n, 60.0)
    } else {
        (s, 1.0)
    };
    let value: f64 = number
        .trim()
        .parse()
        .map_err(|_| format!("{s:?} is not a duration (seconds, or 500ms, 10s, 2m)"))?;
    Duration::try_from_secs_f64(value * scale)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| format!("{s:?} is not a usable duration (it must be positive)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries() {
        let e = parse_entry("k=v=w").expect("plain");
        assert_eq!(e.name, "k");
        assert_eq!(e.value, FieldValue::LongStr("v=w".into()));
        let e = parse_entry("x-max-length:int=10").expect("int");
        assert_eq!(e.value, FieldValue::I64(10));
        let e = parse_entry("a:b:str=c").expect("colon in name");
        assert_eq!(e.name, "a:b");
        assert_eq!(
            parse_entry("flag:bool=yes").expect("bool").value,
            FieldValue::Bool(true)
        );
        assert_eq!(
            parse_entry("v:void=").expect("void").value,
            FieldValue::Void
        );
        assert!(parse_entry("k").is_err());
        assert!(parse_entry("=v").is_err());
        assert!(parse_entry("k:int=x").is_err());
        assert!(parse_entry("k:nope=1").is_err());
        assert!(parse_entry(&format!("{}=v", "n".repeat(256))).is_err());
    }

    #[test]
    fn durations_are_seconds_or_take_a_unit() {
        assert_eq!(parse_duration("1.5"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("10s"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        for bad in ["-1", "x", "0", "", "1h", "nan"] {
            assert!(parse_duration(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn cli_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
