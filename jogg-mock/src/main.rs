//! `jogg-mock`: run the Jogg.ai API simulator from the command line, either
//! serving until killed or wrapping one command that is pointed at it via
//! `JOGG_BASE_URL` / `JOGG_API_KEY` (handy for examples and CI).

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};
use std::thread;

use jogg_mock::{MockConfig, MockServer, MockTls};

const USAGE: &str = "\
Usage: jogg-mock [OPTIONS] [-- COMMAND [ARGS...]]

Local simulator of the Jogg.ai HTTP API, bound to 127.0.0.1.

Options:
  --port N             port to bind (default 0: chosen by the OS)
  --port-file PATH     once bound, write the port (digits and a newline) to
                       PATH, atomically: a harness that starts the mock in the
                       background waits for the file
  --quiet              print nothing but errors (no banner)
  --render-ms N        simulated render time of a video in ms (default 3000;
                       0: every render is over at once, so a wait's first
                       poll sees it done)
  --accept-any-ids     take any avatar, voice, template, music or visual style
                       id (default: ids the mock does not have are refused
                       with the API's 10104 \"record not found\")
  --api-key KEY        accepted x-api-key; repeat for several
                       (default: jogg-mock-key)
  --post-limit N       POSTs allowed per key per window (default 20)
  --post-window-ms N   rate-limit window in ms (default 60000)
  --fail-marker WORD   scripts containing WORD fail to render (default FAIL_RENDER)
  --http-errors        send business errors with HTTP 4xx/5xx instead of 200
  --webhook-retry-ms N pause before each of the 3 retries of a webhook
                       delivery that got no 2xx answer (default 5000)
  --post-window-kind K sliding (default: any N ms span) or fixed (consecutive
                       spans from the first POST) rate-limit windows
  --version            print the version
  -h, --help           print this help

HTTPS:
  --tls                serve HTTPS with a certificate for 127.0.0.1, ::1 and
                       localhost, signed by a CA the mock makes at start; the
                       CA certificate is written to a file (PEM), whose path
                       is printed as `jogg-mock CA certificate: <path>`
  --tls-ca-file PATH   write the CA certificate to PATH (default: a file in
                       the temporary directory, removed when the mock stops)
  --tls-name NAME      serve a certificate for NAME instead (repeat for
                       several): a client reaching 127.0.0.1 then sees a name
                       mismatch
  --tls-expired        serve a certificate that expired (valid in 2020 only)
  --webhook-ca PATH    CA certificates (PEM) that webhook deliveries to
                       https:// loopback receivers trust, besides the mock's
                       own CA

Faults:
  --fault 'METHOD PATH FAULT'
                       requests with this method and path (without query;
                       either may be *) get FAULT; repeat for several
  --fault-rate P       probability from 0 to 1 that an API request (/v1/,
                       /v2/) gets a random fault (default 0)
  --faults LIST        the faults --fault-rate draws from, comma-separated
                       (default: every kind)
  --fault-seed N       seed of the draws (default 0): the same seed and order
                       of requests give the same faults; webhook draws use it too

Webhook deliveries (to test receivers):
  --webhook-drop-rate P
                       probability from 0 to 1 that a delivery (one event to one
                       endpoint) is lost: never sent, no retries (default 0)
  --webhook-delay-ms N pause before each delivery's first attempt (default 0)
  --webhook-delay-spread-ms N
                       plus a random share of N ms, so deliveries arrive out of
                       order (default 0)

  FAULT is KIND[;PARAM=VALUE]..., KIND one of:
    http5xx      HTTP 5xx with an HTML body (status=500..599, default 500)
    api50000     the API's code 50000 envelope
    http429      HTTP 429, Retry-After (retry_after=SECONDS, default 1) and
                 X-RateLimit-Remaining: 0
    slow         handle the request, answer after ms=N (default 2000)
    drop-before  close the connection without handling the request
    drop-after   handle the request, then close without answering
    malformed    handle the request, answer HTTP 200 with invalid JSON
    truncated    handle the request, send half the body under the full
                 Content-Length, then close
  times=N (any kind): only the first N matching requests get the fault.
  Any HTTP client may also ask per request with the header
  `X-Jogg-Mock-Fault: FAULT` (counted per method, path and FAULT).

Prints `jogg-mock listening on http://127.0.0.1:<port>` (https:// with
--tls, after a line naming the CA certificate's file) to stderr once bound
(not with --quiet), so that the output of COMMAND is its own. Without
COMMAND it serves until killed. With COMMAND it runs it with JOGG_BASE_URL
and JOGG_API_KEY (the first key) set, and with --tls also SSL_CERT_FILE and
JOGG_MOCK_CA_FILE set to the CA certificate's file (so that clients that
honour SSL_CERT_FILE trust the mock), then stops and exits with the
command's exit status (128+N if killed by signal N, 127 if it could not be
started).

Control API (plain HTTP, no key, not counted as API traffic):
  GET  /_mock/health               {\"status\": \"ok\", \"version\", \"base_url\"}
  GET  /_mock/requests             the API requests received: method, path,
                                   query, body, operation, http_status,
                                   api_code, fault, created (task id);
                                   ?operation= ?method= ?path= filter them
  POST /_mock/reset                back to a fresh server's state
  POST /_mock/tasks/ID/finish      end a running task now, as a success
  POST /_mock/tasks/ID/fail        ... or as a failure
  GET  /_mock/webhooks             the webhook delivery attempts made
";

/// Exit status for command-line mistakes (the usual convention).
const EXIT_USAGE: i32 = 2;
/// Exit status when COMMAND cannot be started (as in POSIX shells).
const EXIT_CANNOT_RUN: i32 = 127;

/// What the command line asks for.
enum Cli {
    Help,
    Version,
    Run {
        config: Box<MockConfig>,
        output: Output,
        command: Vec<OsString>,
    },
}

/// What the mock itself prints or writes, besides serving.
#[derive(Default)]
struct Output {
    quiet: bool,
    port_file: Option<PathBuf>,
}

fn main() {
    let cli = match parse_args(std::env::args_os().skip(1)) {
        Ok(cli) => cli,
        Err(message) => {
            eprintln!("jogg-mock: {message}\n\n{USAGE}");
            std::process::exit(EXIT_USAGE);
        }
    };
    let (config, output, command) = match cli {
        Cli::Help => {
            print!("{USAGE}");
            return;
        }
        Cli::Version => {
            println!("jogg-mock {}", env!("CARGO_PKG_VERSION"));
            return;
        }
        Cli::Run {
            config,
            output,
            command,
        } => (config, output, command),
    };
    let api_key = config.api_keys.first().cloned().unwrap_or_default();
    let server = match MockServer::start(*config) {
        Ok(server) => server,
        Err(error) => {
            eprintln!("jogg-mock: cannot start the server: {error}");
            std::process::exit(1);
        }
    };
    if let Some(path) = &output.port_file
        && let Err(error) = write_port_file(path, server.port())
    {
        eprintln!(
            "jogg-mock: cannot write the port file {}: {error}",
            path.display()
        );
        std::process::exit(1);
    }
    if !output.quiet {
        announce(&server);
    }
    if command.is_empty() {
        loop {
            thread::park();
        }
    }
    let code = run_child(&server, &api_key, &command);
    // `process::exit` skips destructors, so stop the server explicitly.
    drop(server);
    std::process::exit(code);
}

/// The one line other tools wait for, on stderr: stdout belongs to COMMAND, whose output
/// may be piped into a JSON reader.
fn announce(server: &MockServer) {
    let mut stderr = std::io::stderr().lock();
    // A closed stderr must not stop the mock from serving.
    if let Some(path) = server.ca_file() {
        let _ = writeln!(stderr, "jogg-mock CA certificate: {}", path.display());
    }
    let _ = writeln!(stderr, "jogg-mock listening on {}", server.base_url());
    let _ = stderr.flush();
}

/// Writes the port beside `path` and renames it into place, so that a reader never sees a
/// half-written file.
fn write_port_file(path: &Path, port: u16) -> std::io::Result<()> {
    let mut partial = path.as_os_str().to_owned();
    partial.push(format!(".{}.tmp", std::process::id()));
    let partial = PathBuf::from(partial);
    std::fs::write(&partial, format!("{port}\n"))?;
    std::fs::rename(&partial, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&partial);
    })
}

fn parse_args(args: impl Iterator<Item = OsString>) -> Result<Cli, String> {
    let mut config = MockConfig::default();
    let mut output = Output::default();
    let mut api_keys = Vec::new();
    let mut args = args;
    while let Some(raw) = args.next() {
        let arg = raw
            .into_string()
            .map_err(|raw| format!("argument is not valid UTF-8: {raw:?}"))?;
        if arg == "--" {
            let command: Vec<OsString> = args.by_ref().collect();
            if command.is_empty() {
                return Err("expected a COMMAND after --".to_owned());
            }
            finish_keys(&mut config, api_keys);
            return Ok(Cli::Run {
                config: Box::new(config),
                output,
                command,
            });
        }
        // Accept both `--flag value` and `--flag=value`.
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_owned(), Some(value.to_owned()))
            }
            _ => (arg, None),
        };
        let mut value = || flag_value(&flag, inline.clone(), &mut args);
        match flag.as_str() {
            "-h" | "--help" => return Ok(Cli::Help),
            "--version" => return Ok(Cli::Version),
            "--http-errors" | "--quiet" | "--accept-any-ids" if inline.is_some() => {
                return Err(format!("{flag} takes no value"));
            }
            "--http-errors" => config.http_errors = true,
            "--tls" | "--tls-expired" if inline.is_some() => {
                return Err(format!("{flag} takes no value"));
            }
            "--tls" => {
                config.tls.get_or_insert_with(MockTls::default);
            }
            "--tls-expired" => config.tls.get_or_insert_with(MockTls::default).expired = true,
            "--tls-name" => {
                let name = value()?;
                config
                    .tls
                    .get_or_insert_with(MockTls::default)
                    .names
                    .push(name);
            }
            "--tls-ca-file" => {
                let path = value()?;
                config.tls.get_or_insert_with(MockTls::default).ca_file = Some(path.into());
            }
            "--webhook-ca" => config.webhook_ca_file = Some(value()?.into()),
            "--quiet" => output.quiet = true,
            "--accept-any-ids" => config.accept_any_ids = true,
            "--port-file" => output.port_file = Some(PathBuf::from(value()?)),
            "--port" => config.port = parse_number(&flag, &value()?)?,
            "--render-ms" => config.render_ms = parse_number(&flag, &value()?)?,
            "--post-limit" => config.post_limit = parse_number(&flag, &value()?)?,
            "--post-window-ms" => config.post_window_ms = parse_number(&flag, &value()?)?,
            "--fail-marker" => config.fail_marker = value()?,
            "--webhook-retry-ms" => config.webhook_retry_ms = parse_number(&flag, &value()?)?,
            "--post-window-kind" => config.post_window_kind = value()?.parse()?,
            "--fault" => config.faults.push(value()?.parse()?),
            "--fault-rate" => config.fault_rate = parse_rate(&flag, &value()?)?,
            "--faults" => {
                config.fault_kinds = value()?
                    .split(',')
                    .map(|fault| fault.trim().parse())
                    .collect::<Result<_, _>>()?;
            }
            "--fault-seed" => config.fault_seed = parse_number(&flag, &value()?)?,
            "--webhook-drop-rate" => config.webhook_drop_rate = parse_rate(&flag, &value()?)?,
            "--webhook-delay-ms" => config.webhook_delay_ms = parse_number(&flag, &value()?)?,
            "--webhook-delay-spread-ms" => {
                config.webhook_delay_spread_ms = parse_number(&flag, &value()?)?;
            }
            "--api-key" => api_keys.push(value()?),
            _ => return Err(format!("unknown argument: {flag}")),
        }
    }
    finish_keys(&mut config, api_keys);
    Ok(Cli::Run {
        config: Box::new(config),
        output,
        command: Vec::new(),
    })
}

/// Keys given on the command line replace the default key entirely.
fn finish_keys(config: &mut MockConfig, api_keys: Vec<String>) {
    if !api_keys.is_empty() {
        config.api_keys = api_keys;
    }
}

fn flag_value(
    flag: &str,
    inline: Option<String>,
    args: &mut impl Iterator<Item = OsString>,
) -> Result<String, String> {
    if let Some(value) = inline {
        return Ok(value);
    }
    args.next()
        .ok_or_else(|| format!("{flag} needs a value"))?
        .into_string()
        .map_err(|raw| format!("value of {flag} is not valid UTF-8: {raw:?}"))
}

fn parse_number<T: std::str::FromStr>(flag: &str, text: &str) -> Result<T, String> {
    text.parse()
        .map_err(|_| format!("{flag} needs a non-negative integer, got {text:?}"))
}

fn parse_rate(flag: &str, text: &str) -> Result<f64, String> {
    text.parse()
        .ok()
        .filter(|rate| (0.0..=1.0).contains(rate))
        .ok_or_else(|| format!("{flag} needs a number from 0 to 1, got {text:?}"))
}

/// Runs COMMAND against the mock. The environment always overrides any
/// inherited `JOGG_*` values so a real key is never sent to the mock.
fn run_child(server: &MockServer, api_key: &str, command: &[OsString]) -> i32 {
    let Some((program, args)) = command.split_first() else {
        return 0;
    };
    let mut command = Command::new(program);
    command
        .args(args)
        .env("JOGG_BASE_URL", server.base_url())
        .env("JOGG_API_KEY", api_key);
    if let Some(path) = server.ca_file() {
        command
            .env("SSL_CERT_FILE", path)
            .env("JOGG_MOCK_CA_FILE", path);
    }
    let status = command.status();
    match status {
        Ok(status) => exit_code(status),
        Err(error) => {
            eprintln!(
                "jogg-mock: cannot run {}: {error}",
                program.to_string_lossy()
            );
            EXIT_CANNOT_RUN
        }
    }
}

/// The child's exit code, or 128 + signal number as shells report it.
#[cfg(unix)]
fn exit_code(status: ExitStatus) -> i32 {
    use std::os::unix::process::ExitStatusExt;
    status
        .code()
        .or_else(|| status.signal().map(|signal| 128 + signal))
        .unwrap_or(1)
}

#[cfg(not(unix))]
fn exit_code(status: ExitStatus) -> i32 {
    status.code().unwrap_or(1)
}
