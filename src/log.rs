//! Request logging: off unless asked for, never the key, never a body.
//!
//! A client logs when its [`Config::log`](crate::Config::log) level is not `Off`: the
//! config's `"log"` member, else the `JOGG_LOG` environment variable (`debug`, `info`, `off`).
//! Lines go to the config's [`LogSink`] when one is set (the C ABI's log callback), else to
//! stderr. Each line is one request outcome (`info`) or also each attempt and retry
//! (`debug`): method, path without its query string, status, attempt, delay and request id.
//! The key never appears: lines are built without it, and every line goes through the
//! client's scrubber before it leaves, in case a server echoed it back into something we quote
//! (a request id). The scrubber also escapes control characters, so a server cannot forge a
//! second line: one event is one line.

use std::fmt;
use std::sync::Arc;

use crate::scrub::Scrubber;

/// How much a client logs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum LogLevel {
    /// Nothing (the default).
    #[default]
    Off,
    /// One line per request: its final status, attempts and request id.
    Info,
    /// Also every attempt, and every retry with its delay and reason.
    Debug,
}

impl LogLevel {
    /// `"off"`, `"info"`, `"debug"` (any case); anything else is `None`.
    pub fn parse(text: &str) -> Option<LogLevel> {
        match text.trim().to_ascii_lowercase().as_str() {
            "off" | "" | "0" | "none" => Some(LogLevel::Off),
            "info" => Some(LogLevel::Info),
            "debug" | "trace" => Some(LogLevel::Debug),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            LogLevel::Off => "off",
            LogLevel::Info => "info",
            LogLevel::Debug => "debug",
        }
    }
}

/// Where log lines go instead of stderr. Called from whichever thread makes the request,
/// possibly from several at once.
#[derive(Clone)]
pub struct LogSink(Arc<SinkFn>);

type SinkFn = dyn Fn(LogLevel, &str) + Send + Sync;

impl LogSink {
    pub fn new(f: impl Fn(LogLevel, &str) + Send + Sync + 'static) -> LogSink {
        LogSink(Arc::new(f))
    }
}

impl fmt::Debug for LogSink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("LogSink(<callback>)")
    }
}

/// A client's logger: its level, its sink and the client's scrubber.
pub(crate) struct Logger {
    level: LogLevel,
    sink: Option<LogSink>,
    scrubber: Arc<Scrubber>,
}

impl Logger {
    pub fn new(level: LogLevel, sink: Option<LogSink>, scrubber: Arc<Scrubber>) -> Logger {
        Logger {
            level,
            sink,
            scrubber,
        }
    }

    pub fn enabled(&self, level: LogLevel) -> bool {
        level != LogLevel::Off && level <= self.level
    }

    /// Emits `line` at `level` if enabled. The line is built only then.
    pub fn log(&self, level: LogLevel, line: impl FnOnce() -> String) {
        if !self.enabled(level) {
            return;
        }
        let line = line();
        let line = self.scrubber.text(&line);
        match &self.sink {
            Some(sink) => (sink.0)(level, &line),
            None => eprintln!("jogg {}: {line}", level.as_str()),
        }
    }
}

impl fmt::Debug for Logger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Logger")
            .field("level", &self.level)
            .field("sink", &self.sink)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[test]
    fn levels_parse_and_order() {
        assert_eq!(LogLevel::parse("DEBUG"), Some(LogLevel::Debug));
        assert_eq!(LogLevel::parse("info"), Some(LogLevel::Info));
        assert_eq!(LogLevel::parse("off"), Some(LogLevel::Off));
        assert_eq!(LogLevel::parse("loud"), None);
        assert!(LogLevel::Info < LogLevel::Debug);
    }

    #[test]
    fn filters_and_scrubs() {
        let lines = Arc::new(Mutex::new(Vec::new()));
        let seen = lines.clone();
        let sink = LogSink::new(move |level, line| {
            seen.lock().unwrap().push((level, line.to_string()));
        });
        let scrubber = Arc::new(Scrubber::new(["sk-SECRET".to_string()]));
        let log = Logger::new(LogLevel::Info, Some(sink), scrubber);
        log.log(LogLevel::Debug, || "hidden".into());
        log.log(LogLevel::Info, || "echo sk-SECRET back\nforged".into());
        let lines = lines.lock().unwrap();
        assert_eq!(
            *lines,
            vec![(LogLevel::Info, r"echo <redacted> back\nforged".to_string())]
        );
        let off = Logger::new(LogLevel::Off, None, Arc::default());
        assert!(!off.enabled(LogLevel::Info));
        off.log(LogLevel::Info, || unreachable!("never built when off"));
    }
}
