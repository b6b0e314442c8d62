//! Redis publish/subscribe on AMQP 0-9-1: `SUBSCRIBE`, `PSUBSCRIBE`,
//! `UNSUBSCRIBE`, `PUNSUBSCRIBE` and `PUBLISH` over one topic exchange
//! (`redis.pubsub`), each subscriber with its own exclusive, auto-delete,
//! server-named queue consumed in no-ack mode (at most once, as Redis).
//! A Redis channel is a routing key; a glob pattern is bound as the widest
//! topic pattern that covers it, and the client drops what the glob does not
//! match, so that what it prints is what Redis would deliver: one `message`
//! per matching channel subscription and one `pmessage` per matching
//! pattern. The guide is `docs/redis-pubsub.md`.
//!
//! ```sh
//! cargo run --example redis_pubsub -- psubscribe 'news.*' 'h?llo'   # prints until Ctrl-C
//! cargo run --example redis_pubsub -- subscribe news.tech
//! cargo run --example redis_pubsub -- publish news.tech "rust 2.0"
//! ```

use amqp091::{
    BasicConsumeOptions, BasicProperties, Bytes, Channel, Connection, Consumer, Error,
    ExchangeDeclareOptions, FieldTable, QueueDeclareOptions,
};

/// The exchange all channels share, as a Redis server's channels share one namespace.
pub const EXCHANGE: &str = "redis.pubsub";

/// One message as a Redis client receives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// The pattern that matched (`pmessage`), or `None` for a channel subscription (`message`).
    pub pattern: Option<String>,
    /// The channel it was published to.
    pub channel: String,
    /// Its payload.
    pub payload: Bytes,
}

impl std::fmt::Display for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let payload = String::from_utf8_lossy(&self.payload);
        match &self.pattern {
            Some(p) => write!(f, "pmessage {p} {} {payload}", self.channel),
            None => write!(f, "message {} {payload}", self.channel),
        }
    }
}

/// Redis glob matching (`*`, `?`, `[abc]`, `[^a-z]`, `\x`), as `PSUBSCRIBE` uses it.
pub fn glob_match(pattern: &[u8], text: &[u8]) -> bool {
    match pattern.split_first() {
        None => text.is_empty(),
        Some((b'*', rest)) => (0..=text.len()).any(|i| glob_match(rest, &text[i..])),
        Some((b'?', rest)) => !text.is_empty() && glob_match(rest, &text[1..]),
        Some((b'[', rest)) => {
            let Some((&c, text_rest)) = text.split_first() else {
                return false;
            };
            let (negate, p) = match rest.first() {
                Some(b'^') => (true, &rest[1..]),
                _ => (false, rest),
            };
            let (mut i, mut hit) = (0, false);
            loop {
                match p.get(i) {
                    None => return false, // an unterminated class matches nothing
                    Some(b']') => break,
                    Some(b'\\') if i + 1 < p.len() => {
                        hit |= p[i + 1] == c;
                        i += 2;
                    }
                    Some(&lo) if p.get(i + 1) == Some(&b'-') && i + 2 < p.len() => {
                        let hi = p[i + 2];
                        hit |= (lo.min(hi)..=lo.max(hi)).contains(&c);
                        i += 3;
                    }
                    Some(&x) => {
                        hit |= x == c;
                        i += 1;
                    }
                }
            }
            hit != negate && glob_match(&p[i + 1..], text_rest)
        }
        Some((b'\\', [x, rest @ ..])) => text.first() == Some(x) && glob_match(rest, &text[1..]),
        Some((x, rest)) => text.first() == Some(x) && glob_match(rest, &text[1..]),
    }
}

/// The topic pattern bound for a glob: a dot-separated word without glob
/// characters stays, any other word becomes `#` (a glob word may match
/// dots, and so several topic words). The binding may deliver more than the
/// glob matches (`news.*` binds `news.#`, which also takes `news`);
/// [`glob_match`] drops the rest. A literal `*` or `#` word of a channel
/// name is a wildcard in a binding, so it becomes `#` too.
pub fn topic_for_glob(glob: &str) -> String {
    let words: Vec<&str> = glob
        .split('.')
        .map(|w| {
            if w.contains(['*', '?', '[', '\\']) || w == "#" {
                "#"
            } else {
                w
            }
        })
        .collect();
    // `#.#` is `#`: keep the pattern short.
    let mut out: Vec<&str> = Vec::with_capacity(words.len());
    for w in words {
        if !(w == "#" && out.last() == Some(&"#")) {
            out.push(w);
        }
    }
    out.join(".")
}

/// The binding for an exact channel name (a `*` or `#` word is a wildcard in a binding).
fn topic_for_channel(channel: &str) -> String {
    if channel.split('.').any(|w| w == "*" || w == "#") {
        topic_for_glob(&channel.replace(['*', '#'], "\\*"))
    } else {
        channel.to_owned()
    }
}

/// A subscriber: one connection, one exclusive queue, its subscriptions.
pub struct Subscriber {
    conn: Connection,
    ch: Channel,
    queue: String,
    consumer: Consumer,
    channels: Vec<String>,
    patterns: Vec<String>,
    pending: std::collections::VecDeque<Message>,
}

/// Declares the shared topic exchange (idempotent).
async fn exchange(ch: &Channel) -> Result<(), Error> {
    ch.exchange_declare(
        EXCHANGE,
        "topic",
        ExchangeDeclareOptions::default(),
        FieldTable::new(),
    )
    .await
}

impl Subscriber {
    /// Connects, with a server-named queue that lives as long as this connection.
    pub async fn connect(url: &str) -> Result<Subscriber, Error> {
        let conn = Connection::connect(url).await?;
        let ch = conn.open_channel().await?;
        exchange(&ch).await?;
        let options = QueueDeclareOptions {
            exclusive: true,
            auto_delete: true,
            ..Default::default()
        };
        let queue = ch.queue_declare("", options, FieldTable::new()).await?.name;
        let no_ack = BasicConsumeOptions {
            no_ack: true,
            ..Default::default()
        };
        let consumer = ch.basic_consume(&queue, no_ack, FieldTable::new()).await?;
        Ok(Subscriber {
            conn,
            ch,
            queue,
            consumer,
            channels: Vec::new(),
            patterns: Vec::new(),
            pending: Default::default(),
        })
    }

    async fn bind(&self, key: &str) -> Result<(), Error> {
        self.ch
            .queue_bind(
                &self.queue,
                EXCHANGE,
                key,
                Default::default(),
                FieldTable::new(),
            )
            .await
    }

    /// Unbinds `key` unless another subscription still needs it.
    async fn unbind_unused(&self, key: String) -> Result<(), Error> {
        let used = self
            .channels
            .iter()
            .map(|c| topic_for_channel(c))
            .chain(self.patterns.iter().map(|p| topic_for_glob(p)))
            .any(|k| k == key);
        if used {
            return Ok(());
        }
        self.ch
            .queue_unbind(&self.queue, EXCHANGE, &key, FieldTable::new())
            .await
    }

    /// `SUBSCRIBE channel`: once it returns, messages published to it arrive.
    pub async fn subscribe(&mut self, channel: &str) -> Result<(), Error> {
        if !self.channels.iter().any(|c| c == channel) {
            self.bind(&topic_for_channel(channel)).await?;
            self.channels.push(channel.to_owned());
        }
        Ok(())
    }

    /// `PSUBSCRIBE pattern` (a Redis glob).
    pub async fn psubscribe(&mut self, pattern: &str) -> Result<(), Error> {
        if !self.patterns.iter().any(|p| p == pattern) {
            self.bind(&topic_for_glob(pattern)).await?;
            self.patterns.push(pattern.to_owned());
        }
        Ok(())
    }

    /// `UNSUBSCRIBE channel`.
    pub async fn unsubscribe(&mut self, channel: &str) -> Result<(), Error> {
        self.channels.retain(|c| c != channel);
        self.unbind_unused(topic_for_channel(channel)).await
    }

    /// `PUNSUBSCRIBE pattern`.
    pub async fn punsubscribe(&mut self, pattern: &str) -> Result<(), Error> {
        self.patterns.retain(|p| p != pattern);
        self.unbind_unused(topic_for_glob(pattern)).await
    }

    /// The next message, as Redis would deliver it; `None` when the connection ended.
    pub async fn next(&mut self) -> Option<Message> {
        loop {
            if let Some(m) = self.pending.pop_front() {
                return Some(m);
            }
            let d = self.consumer.recv().await?;
            let channel = d.routing_key.to_string();
            let payload = d.body.clone();
            if self.channels.contains(&channel) {
                self.pending.push_back(Message {
                    pattern: None,
                    channel: channel.clone(),
                    payload: payload.clone(),
                });
            }
            for p in &self.patterns {
                if glob_match(p.as_bytes(), channel.as_bytes()) {
                    self.pending.push_back(Message {
                        pattern: Some(p.clone()),
                        channel: channel.clone(),
                        payload: payload.clone(),
                    });
                }
            }
        }
    }

    /// Closes the connection (its queue goes with it).
    pub async fn close(self) -> Result<(), Error> {
        self.conn.close().await
    }
}

/// `PUBLISH channel message`. AMQP does not say how many subscribers got
/// it (Redis's reply); a `mandatory` publish would be returned if none did.
pub async fn publish(ch: &Channel, channel: &str, payload: &[u8]) -> Result<(), Error> {
    ch.basic_publish(
        EXCHANGE,
        channel,
        Default::default(),
        &BasicProperties::default(),
        payload,
    )
    .await
    .map(|_| ())
}

/// What the subscriber prints up to and with a message on channel `end`.
async fn until_end(sub: &mut Subscriber) -> Vec<String> {
    let mut got = Vec::new();
    while let Some(m) = sub.next().await {
        got.push(m.to_string());
        if m.channel == "end" {
            break;
        }
    }
    got
}

/// Subscribes to `news.tech`, `news.*` and `h?llo`, publishes from another
/// connection, unsubscribes from `news.tech`, publishes again, and returns
/// what the subscriber printed.
pub async fn run(url: &str) -> Result<Vec<String>, Error> {
    let mut sub = Subscriber::connect(url).await?;
    sub.subscribe("end").await?;
    sub.subscribe("news.tech").await?;
    sub.psubscribe("news.*").await?;
    sub.psubscribe("h?llo").await?;
    let publisher = Connection::connect(url).await?;
    let ch = publisher.open_channel().await?;
    exchange(&ch).await?;
    for (channel, text) in [
        ("news.tech", "rust 2.0"), // message and pmessage
        ("news", "no dot"),        // bound by news.#, dropped: the glob wants "news."
        ("news.sport.f1", "pole"), // glob * crosses dots
        ("hello", "hi"),
        ("hallo", "hoi"),
        ("weather", "rain"), // nobody
    ] {
        publish(&ch, channel, text.as_bytes()).await?;
    }
    // A message on `end` marks the end of each round.
    publish(&ch, "end", b"1").await?;
    let mut got = until_end(&mut sub).await;
    // Unsubscribed from the channel, the pattern still matches it.
    sub.unsubscribe("news.tech").await?;
    publish(&ch, "news.tech", b"again").await?;
    publish(&ch, "end", b"2").await?;
    got.extend(until_end(&mut sub).await);
    ch.close().await?;
    publisher.close().await?;
    sub.close().await?;
    Ok(got)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    let url = std::env::var("AMQP_URL")
        .unwrap_or_else(|_| "amqp://guest:guest@localhost:5672/%2f".into());
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("publish") if args.len() == 3 => {
            let conn = Connection::connect(&url).await?;
            let ch = conn.open_channel().await?;
            exchange(&ch).await?;
            publish(&ch, &args[1], args[2].as_bytes()).await?;
            ch.close().await?; // a round trip: the broker has it
            conn.close().await
        }
        Some(cmd @ ("subscribe" | "psubscribe")) if args.len() > 1 => {
            let mut sub = Subscriber::connect(&url).await?;
            for name in &args[1..] {
                if cmd == "subscribe" {
                    sub.subscribe(name).await?
                } else {
                    sub.psubscribe(name).await?
                }
                println!("{cmd} {name}");
            }
            // Until Ctrl-C (the queue goes with the connection) or the connection ends.
            while let Some(m) = sub.next().await {
                println!("{m}");
            }
            sub.close().await
        }
        _ => {
            eprintln!("usage: redis_pubsub subscribe CHANNEL... | psubscribe PATTERN... | publish CHANNEL MESSAGE");
            std::process::exit(2);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_as_redis_matches_them() {
        for (p, t, want) in [
            ("news.*", "news.tech", true),
            ("news.*", "news.a.b", true),
            ("news.*", "news", false),
            ("h?llo", "hello", true),
            ("h?llo", "hllo", false),
            ("h[ae]llo", "hallo", true),
            ("h[^e]llo", "hello", false),
            ("h[a-c]llo", "hbllo", true),
            ("a\\*", "a*", true),
            ("a\\*", "ab", false),
            ("*", "", true),
            ("*.x", "a.b.x", true),
        ] {
            assert_eq!(glob_match(p.as_bytes(), t.as_bytes()), want, "{p} vs {t}");
        }
    }

    #[test]
    fn a_glob_binds_the_widest_topic_pattern_that_covers_it() {
        assert_eq!(topic_for_glob("news.*"), "news.#");
        assert_eq!(topic_for_glob("news.tech"), "news.tech");
        assert_eq!(topic_for_glob("h?llo"), "#");
        assert_eq!(topic_for_glob("a.*.*.z"), "a.#.z");
        assert_eq!(topic_for_channel("a.*"), "a.#");
    }
}
