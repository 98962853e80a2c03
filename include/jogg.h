/*
 * jogg: the Jogg.ai video-generation API, C interface.
 *
 * Ownership: every char* a jogg function returns is NUL-terminated UTF-8 JSON owned by the
 * caller, to be released with jogg_string_free() (never free()). Input strings are borrowed for
 * the call only. Outputs are written on success only; *error_json on failure only (and set to
 * NULL on success); error_json may be NULL when only the code is wanted.
 *
 * Errors: every fallible function returns a jogg_code (JOGG_OK = 0) and, in *error_json, an
 * object with code, name, message, field, fields, http_status, api_code, api_message, api_data,
 * request_id, retry_after_ms, retryable, maybe_processed and task_id. field names the
 * request member at fault; fields lists every member at fault (all the missing ones at once
 * when several are missing; else [field]), null when no member is. retryable means "safe to send again
 * as it is, and it may then succeed"; it is false whenever maybe_processed is true (the
 * request, a create perhaps, may have been acted on: check before sending it again).
 * retry_after_ms is the server's Retry-After (seconds or an HTTP date) or its body hint, at
 * most 86400000 (one day); a call itself waits out hints of up to 60 s and reports longer
 * ones. No string the library hands out (error JSON, log line) holds the API key or a proxy
 * password, and control characters in server-given text (request ids, messages) are escaped
 * as \n, \u{1b}...: one event is one line.
 *
 * Deadlines: no call blocks past its deadline, whatever the server or the file system does.
 * A request ends within the config's timeout_ms (per attempt; retries add at most
 * max_retries attempts and their pauses; a POST's wait for a slot of the POST limit adds at
 * most timeout_ms plus a window); a wait within its timeout_ms plus 1 s (the last
 * poll's grace); an upload or download within transfer_timeout_ms, each stall within
 * timeout_ms. Files are opened without waiting (a FIFO is refused, never waited on).
 *
 * Processes: a jogg_client may be used in a process forked from the one that created it.
 * The child never uses the connections its parent pooled (they are the same sockets): its
 * first request starts a fresh pool of its own, and the parent's is left untouched. POSTs
 * are then counted as post_limit_scope says: the host and Redis scopes share one count
 * between processes, the process and client scopes do not.
 *
 * Limits: string arguments up to 8 MiB; JSON arguments nested up to 128 levels (deeper is
 * JOGG_ERR_INVALID_JSON); response bodies up to 10 MiB; jogg_call's all_pages up to 64 MiB
 * of page data (JOGG_ERR_BODY_TOO_LARGE past it).
 *
 * Threads: every function may be called from any thread, concurrently, and one jogg_client
 * may be shared by any number of threads at once (one connection pool); the exceptions are
 * stated at the function (jogg_client_free). A returned string may be freed on any thread.
 * Callbacks run on the calling thread, inside the call that received them. There is no
 * global state to set up or tear down.
 *
 * Versions: JOGG_VERSION_* describe this header, jogg_version() and jogg_version_number()
 * the library actually loaded; they must agree. The shared library's SONAME is
 * libjogg.so.<JOGG_ABI_VERSION>.
 */

#ifndef JOGG_H
#define JOGG_H

/* Generated from src/ffi by build.rs (cbindgen, then arranged in sections). Do not edit:
 * run `cargo build`. */

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

/* JOGG_API precedes every function of the library. It is empty unless defined before this
 * header is included, e.g. to __declspec(dllimport) on Windows. */
#ifndef JOGG_API
#define JOGG_API
#endif

/* JOGG_DEPRECATED(message) marks a function kept for compatibility that a newer one
 * replaces; compilers that know the attribute warn at each use, with the message. */
#ifndef JOGG_DEPRECATED
#if defined(__GNUC__) || defined(__clang__)
#define JOGG_DEPRECATED(message) __attribute__((deprecated(message)))
#elif defined(_MSC_VER)
#define JOGG_DEPRECATED(message) __declspec(deprecated(message))
#else
#define JOGG_DEPRECATED(message)
#endif
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* =========================================================================================
 * 1. Version
 *
 * The JOGG_VERSION_* macros describe this header; jogg_version() and
 * jogg_version_number() the library actually loaded. They must agree: a program may
 * compare JOGG_VERSION_NUMBER with jogg_version_number() at start-up.
 */

#define JOGG_VERSION_MAJOR 0
#define JOGG_VERSION_MINOR 1
#define JOGG_VERSION_PATCH 0
/* MAJOR * 1000000 + MINOR * 1000 + PATCH; compare with jogg_version_number(). */
#define JOGG_VERSION_NUMBER 1000
#define JOGG_VERSION_STRING "0.1.0"
/* SONAME suffix: programs link to libjogg.so.<JOGG_ABI_VERSION>. */
#define JOGG_ABI_VERSION "0.1"

/**
 * The library version, `"jogg/MAJOR.MINOR.PATCH"`. Static: do not free.
 */
JOGG_API
const char *jogg_version(void);

/**
 * The library version as `MAJOR * 1000000 + MINOR * 1000 + PATCH`, to compare with
 * `JOGG_VERSION_NUMBER` from the header the program was compiled with.
 */
JOGG_API
uint32_t jogg_version_number(void);


/* =========================================================================================
 * 2. Result codes
 *
 * Every fallible function returns a jogg_code: JOGG_OK (0) or a JOGG_ERR_* value, and on
 * failure an error JSON in *error_json. The numbers are stable and never reused; new
 * ones may be added, so treat an unknown value as a failure of its family.
 *
 * family   what happened                         what to do
 * -------  ------------------------------------  -----------------------------------
 * 1-99     the call's own arguments are wrong:   fix the call; nothing was sent
 *          NULL, UTF-8, JSON, a request member,
 *          an operation name, the config, a
 *          JSON Pointer
 * 100-199  the request did not complete on the   retry when "retryable" is true
 *          network: connect, timeout, TLS
 * 200-299  the API answered with an error        read api_code, api_message and
 *                                                request_id; retry when "retryable"
 * 300-399  a wait ended without success          task_id holds the task: wait again,
 *                                                or read why it failed
 * 400-499  something outside the API and the     fix the file, the delivery or the
 *          call: a local file, a webhook         shared store
 *          delivery, the POST limit's store
 * 900-999  a bug in jogg                         report it; the client stays usable
 *
 * These are not HTTP statuses: JOGG_ERR_IO is 400 and JOGG_ERR_SIGNATURE 401 by family,
 * not by meaning. The HTTP status, when there was one, is the error JSON's
 * http_status.
 */

/**
 * A status code: `JOGG_OK` (0) or one of the `JOGG_ERR_*` values. Numbers are stable and
 * never reused; new ones may be added, so treat an unknown value as a generic failure.
 */
typedef int32_t jogg_code;

/**
 * Success.
 */
#define JOGG_OK 0

/**
 * A pointer parameter that must not be NULL was NULL (`field` names it).
 */
#define JOGG_ERR_NULL_ARGUMENT 1

/**
 * A string parameter was not valid UTF-8.
 */
#define JOGG_ERR_INVALID_UTF8 2

/**
 * A JSON parameter could not be parsed, or is nested deeper than 128 levels.
 */
#define JOGG_ERR_INVALID_JSON 3

/**
 * A request member is missing, unknown, of the wrong type or out of range (`field` names
 * it). Nothing was sent.
 */
#define JOGG_ERR_VALIDATION 4

/**
 * No operation has that name.
 */
#define JOGG_ERR_UNKNOWN_OPERATION 5

/**
 * The client configuration is invalid (`field` names the member).
 */
#define JOGG_ERR_INVALID_CONFIG 6

/**
 * `jogg_json_string`: nothing is at that JSON Pointer.
 */
#define JOGG_ERR_NO_SUCH_MEMBER 7

/**
 * `jogg_json_string`: the member is not a string or a number.
 */
#define JOGG_ERR_WRONG_TYPE 8

/**
 * Could not connect (refused, a host name that does not resolve, a proxy that refused the
 * tunnel, or no connection within `connect_timeout_ms`); the message names the host and port
 * (or the proxy's). Nothing was sent.
 */
#define JOGG_ERR_CONNECT 100

/**
 * Connected, but the answer did not come in time: no reply within `timeout_ms`, an upload
 * or download that stalled for `timeout_ms`, or one that ran past `transfer_timeout_ms`.
 */
#define JOGG_ERR_TIMEOUT 101

/**
 * The TLS handshake failed: the server's certificate is not trusted (unknown issuer: see
 * `ca_file` and `tls_roots`), expired, or not for the host's name, or the handshake itself
 * failed. The message names the host and port and the cause. Never retryable: the same
 * certificate is refused the next time. Nothing was sent.
 */
#define JOGG_ERR_TLS 102

/**
 * Another network or HTTP protocol failure.
 */
#define JOGG_ERR_TRANSPORT 103

/**
 * The response body was larger than the limit (10 MiB, once decoded), or `jogg_call`'s
 * `all_pages` gathered more than 64 MiB of page data.
 */
#define JOGG_ERR_BODY_TOO_LARGE 104

/**
 * The API returned an error code this library does not classify (`api_code` has it).
 */
#define JOGG_ERR_API 200

/**
 * API key missing or invalid (API code 10105).
 */
#define JOGG_ERR_AUTH 201

/**
 * No such record (API code 10104).
 */
#define JOGG_ERR_NOT_FOUND 202

/**
 * Too many requests (API code 429); `retry_after_ms` says when to try again (at most one
 * day; a hint over 60 s is not waited out inside the call).
 */
#define JOGG_ERR_RATE_LIMITED 203

/**
 * Server-side failure (API code 50000 or HTTP 5xx).
 */
#define JOGG_ERR_SERVER 204

/**
 * The API refused the parameters (API code 40000).
 */
#define JOGG_ERR_INVALID_REQUEST 205

/**
 * Not enough credits (API code 18020).
 */
#define JOGG_ERR_INSUFFICIENT_CREDITS 206

/**
 * The account may not use the API (API code 18025).
 */
#define JOGG_ERR_FORBIDDEN 207

/**
 * The API's reply could not be understood.
 */
#define JOGG_ERR_BAD_RESPONSE 208

/**
 * A progress callback returned non-zero.
 */
#define JOGG_ERR_CANCELLED 300

/**
 * A wait reached its `timeout_ms` (its last poll said "not yet", or got no answer in time);
 * the task may still finish (`task_id` has it).
 */
#define JOGG_ERR_WAIT_TIMEOUT 301

/**
 * The task failed or was deleted (`task_id` has it).
 */
#define JOGG_ERR_TASK_FAILED 302

/**
 * A local file could not be used: an upload source that is missing, not a regular file,
 * unreadable, empty or over the size limit, or a download target that cannot be written
 * (`field` names the parameter, `message` gives the reason). Both are checked before any
 * request; a download whose disk fills up mid-way reports this code too.
 */
#define JOGG_ERR_IO 400

/**
 * A webhook delivery failed verification: the signature is missing, is not 64 hex digits,
 * or does not match the body and secret (for `jogg_webhook_deliver`: any secret the client
 * knows, and it knows none). Answer such a request with HTTP 401 and ignore it.
 */
#define JOGG_ERR_SIGNATURE 401

/**
 * The POST limiter's shared store could not be used: the `"host"` scope's directory, the
 * Redis server of a `redis://` scope, or the store of `jogg_client_new_with_post_limiter`
 * (`field` is `post_limit_scope`, `message` names the store and the problem). Nothing was
 * sent. Set `post_limit_fallback` to `"process"` to count in the process instead.
 */
#define JOGG_ERR_LIMITER_STORE 402

/**
 * A bug in jogg was caught at the boundary; the client remains usable.
 */
#define JOGG_ERR_PANIC 900

/**
 * Another internal error.
 */
#define JOGG_ERR_INTERNAL 901

/**
 * The name of a code's constant (`"JOGG_ERR_VALIDATION"`), or `"UNKNOWN"`. Static: do not
 * free.
 */
JOGG_API
const char *jogg_code_name(jogg_code code);


/* =========================================================================================
 * 3. Strings the library returns
 *
 * Every char* a jogg function returns is NUL-terminated UTF-8 JSON owned by the caller:
 * release it with jogg_string_free(), never free(). jogg_json_string() reads one member
 * of such a JSON (or any JSON) without a JSON library.
 */

/**
 * Releases a string returned by any jogg function, once, from any thread. NULL is a no-op.
 * Never pass these strings to `free()`, and never pass other strings here.
 */
JOGG_API
void jogg_string_free(char *s);

/**
 * Reads the member of `json` at `pointer`, a JSON Pointer (RFC 6901): `"/project_id"`,
 * `"/video_url"`, `"/voices/0/voice_id"` (`~1` stands for `/` in a name, `~0` for `~`).
 * On success `*value_out` receives the member's text: a string's characters (unquoted,
 * unescaped), or a number as JSON writes it (`"4"`, `"12.5"`), so ids read the same whether
 * the API sends them as numbers or strings. Free it with `jogg_string_free`.
 *
 * Errors: `JOGG_ERR_INVALID_JSON` when `json` is not JSON; `JOGG_ERR_VALIDATION` when
 * `pointer` is neither empty nor starts with `/`; `JOGG_ERR_NO_SUCH_MEMBER` when nothing is
 * at `pointer`; `JOGG_ERR_WRONG_TYPE` when the member is an object, an array, a boolean,
 * `null`, or a string holding a NUL character. `json` and `pointer` are borrowed for the
 * call only; `error_json` as in `jogg_client_new`. Needs no client, never blocks.
 */
JOGG_API
jogg_code jogg_json_string(const char *json,
                           const char *pointer,
                           char **value_out,
                           char **error_json);


/* =========================================================================================
 * 4. The client
 *
 * A jogg_client holds the configuration, the API key and one connection pool. Create one
 * per program (or per API key) and share it between threads.
 */

/**
 * An opaque client: configuration, API key and one connection pool. Immutable after
 * `jogg_client_new` and thread-safe: any number of threads may use one client at once. A
 * process forked from the one that created it may use it too: the child starts a pool of
 * its own at its first request and never touches the parent's connections.
 */
typedef struct jogg_client jogg_client;

/**
 * Creates a client. `config_json` is a JSON object, all members optional:
 * `api_key` (else env `JOGG_API_KEY`), `base_url` (else env `JOGG_BASE_URL`, else
 * `https://api.jogg.ai`; `http://` only to a loopback host; no `user:password@`),
 * `connect_timeout_ms` (5000), `timeout_ms` (60000, per request attempt; for uploads and
 * downloads, per stall), `transfer_timeout_ms` (3600000, a whole upload or download),
 * `proxy` (`"env"`, `"none"` or a URL), `ca_file` (a PEM file of CA certificates trusted
 * besides `tls_roots`: a company or TLS-inspecting proxy's CA), `tls_roots` (`"system"`, the
 * default: the platform's trust store, honouring `SSL_CERT_FILE` and `SSL_CERT_DIR` as
 * OpenSSL does, or the bundled roots where there is none; `"bundled"`: the Mozilla roots
 * built into the library; `"ca_file_only"`: `ca_file`'s alone), `user_agent_suffix`, `max_retries` (2), `post_limit` (20 POSTs per `post_window_ms`,
 * 60000; 0 for none), `post_limit_scope` (who shares that count, among clients with the
 * same key and base URL: `"client"`, `"process"` (the default), `"host"` (the processes of
 * this user, through files in the private directory `post_limit_dir`, default
 * `/tmp/jogg-<uid>`) or a `redis://host:port/db` URL (every host using that server)),
 * `post_limit_fallback` (`"error"`, the default: a POST fails with
 * `JOGG_ERR_LIMITER_STORE` when the shared store cannot be used; `"process"`: it is counted
 * in the process instead, logged), `log` (`"off"`, `"info"` or `"debug"`; else env
 * `JOGG_LOG`, else off; lines go to stderr) and `webhook_secrets` (an array of the secrets
 * of webhook endpoints whose deliveries the program hands to `jogg_webhook_deliver`, beside
 * those the client creates itself). Unknown members are an error. Nothing is sent.
 *
 * On success `*out_client` receives a client to release with `jogg_client_free`.
 * `error_json` may be NULL; otherwise it receives an error JSON string on failure (free it
 * with `jogg_string_free`) and NULL on success.
 */
JOGG_API
jogg_code jogg_client_new(const char *config_json,
                          jogg_client **out_client,
                          char **error_json);

/**
 * A log callback (`jogg_client_new_with_log`): `level` is `JOGG_LOG_INFO` or
 * `JOGG_LOG_DEBUG`, `line` one log line without a newline, borrowed for the call only. It
 * is called from whichever thread is making a request with the client, possibly from
 * several threads at once: make it thread-safe. It must return normally and must not call
 * back into the client. Lines never contain the API key or request bodies.
 */
typedef void (*jogg_log_cb)(void *userdata,
                            int32_t level,
                            const char *line);

/**
 * Log level of a `jogg_log_cb` line: one line per request (method, path, final status,
 * attempts, request id).
 */
#define JOGG_LOG_INFO 1

/**
 * Log level of a `jogg_log_cb` line: every attempt, and every retry with its delay and
 * reason.
 */
#define JOGG_LOG_DEBUG 2

/**
 * Creates a client as `jogg_client_new` does, whose log lines go to `cb` (with `userdata`)
 * instead of stderr. The level is the config's `log`, else env `JOGG_LOG`, else `"debug"`
 * (a callback asks for lines; filter on `level`). `cb` may be NULL: then this is
 * `jogg_client_new`. `userdata` is never dereferenced by jogg; it must stay valid until
 * the client is freed. See `jogg_log_cb` for threading. Ownership and `error_json` as in
 * `jogg_client_new`.
 */
JOGG_API
jogg_code jogg_client_new_with_log(const char *config_json,
                                   jogg_log_cb cb,
                                   void *userdata,
                                   jogg_client **out_client,
                                   char **error_json);

/**
 * One POST's slot, borrowed for the duration of a `jogg_post_limiter` callback.
 */
typedef struct {
  /**
   * Unique across processes and hosts.
   */
  const char *id;
  /**
   * Which shared count: 32 hex digits, a hash of the base URL and the API key (never the
   * key itself). Clients with the same key and base URL share one count.
   */
  const char *key_id;
  /**
   * How many slots of `key_id` may be held at once (the config's `post_limit`).
   */
  uint32_t limit;
  /**
   * How long the slot is held from now, in ms: in `acquire` its lease (request timeout +
   * window + margin, in case its answer is never reported), in `release` the window +
   * margin.
   */
  uint64_t hold_ms;
} jogg_post_slot;

/**
 * Takes `slot` if fewer than `slot->limit` slots of `slot->key_id` are held and no cooldown
 * runs: drops the expired slots and records `slot->id` as expiring `slot->hold_ms` from now,
 * atomically, then sets `*wait_ms` to 0. Otherwise sets `*wait_ms` to how long to wait
 * before jogg asks again (it may ask sooner). Returns 0, or non-zero when the store failed
 * (the POST then fails with `JOGG_ERR_LIMITER_STORE`, or falls back as configured).
 */
typedef int32_t (*jogg_post_acquire_cb)(void *userdata,
                                        const jogg_post_slot *slot,
                                        uint64_t *wait_ms);

/**
 * The slot's POST was answered (or failed): it now expires `slot->hold_ms` from now. Returns
 * 0, or non-zero when the store failed (logged; the slot then ends with its lease).
 */
typedef int32_t (*jogg_post_release_cb)(void *userdata,
                                        const jogg_post_slot *slot);

/**
 * A POST of `key_id` was answered 429 with `Retry-After`: no slot of `key_id` may be taken
 * for `pause_ms` from now (extend a running cooldown, never shorten it). Returns 0, or
 * non-zero when the store failed (logged).
 */
typedef int32_t (*jogg_post_cooldown_cb)(void *userdata,
                                         const char *key_id,
                                         uint64_t pause_ms);

/**
 * A store of POST slots of the caller's own, shared by every client (in any process, on any
 * host) whose store shares its state. `acquire` and `release` are required, `cooldown` may
 * be NULL (a 429 then pauses no one else). The callbacks run on whichever thread makes a
 * POST, possibly several at once: make them thread-safe. They must return normally and
 * must not call back into the client. `userdata` is passed to each, never dereferenced by
 * jogg, and must stay valid until the client is freed.
 */
typedef struct {
  jogg_post_acquire_cb acquire;
  jogg_post_release_cb release;
  jogg_post_cooldown_cb cooldown;
  void *userdata;
} jogg_post_limiter;

/**
 * Creates a client as `jogg_client_new` does, whose POSTs are counted in the caller's store
 * `limiter` (copied; see `jogg_post_limiter`) instead of a `post_limit_scope`, which
 * `config_json` must then leave out. `post_limit`, `post_window_ms` and
 * `post_limit_fallback` apply as usual. Ownership and `error_json` as in `jogg_client_new`.
 */
JOGG_API
jogg_code jogg_client_new_with_post_limiter(const char *config_json,
                                            const jogg_post_limiter *limiter,
                                            jogg_client **out_client,
                                            char **error_json);

/**
 * Releases a client. NULL is a no-op. No call on this client may be running or start
 * afterwards.
 */
JOGG_API
void jogg_client_free(jogg_client *client);


/* =========================================================================================
 * 5. The main job: a talking-avatar video
 *
 * Pick an avatar and a voice, create the video, wait for it (next section), fetch it
 * (Files); jogg_generate_talking_avatar_video (next section) does both in one call. Like
 * jogg_call, every call that talks to the API blocks until its answer: a POST (a
 * create) may first wait for a slot of the POST limit, and an attempt that failed in
 * a way that is safe to repeat is retried after a pause.
 */

/**
 * Library avatars. `filter_json` may be NULL (no filter) or an object with any of
 * `aspect_ratio` (0, 1, 2), `style` (professional, social), `gender` (male, female), `age`
 * (adult, senior, young_adult), `scene` (lifestyle, outdoors, business, studio,
 * health_fitness, education, news), `ethnicity` (european, african, south_asian, east_asian,
 * middle_eastern, south_american, north_american). `"all_pages": true` is accepted as by
 * `jogg_call`; the library comes in one reply anyway. On success `*response_json` receives
 * `{"avatars": [...]}` as sent. Ownership and `error_json` as in `jogg_client_new`.
 */
JOGG_API
jogg_code jogg_list_avatars(const jogg_client *client,
                            const char *filter_json,
                            char **response_json,
                            char **error_json);

/**
 * One page of library voices. `filter_json` may be NULL or an object with any of `page`
 * (from 1), `page_size` (1-100, default 10), `gender` (male, female), `age` (young,
 * middle_aged, old), `language` (`english`, `spanish`...; sent in lower case, as the API
 * spells it). On success `*response_json` receives `{"total": N, "voices": [...]}` as sent;
 * with `"all_pages": true`, every page: `{"voices": [all of them], "pages": N}`, as
 * `jogg_call` gives. Ownership and `error_json` as in `jogg_client_new`.
 */
JOGG_API
jogg_code jogg_list_voices(const jogg_client *client,
                           const char *filter_json,
                           char **response_json,
                           char **error_json);

/**
 * Starts rendering a talking-avatar video (v1). `request_json` members:
 * - required: `avatar_id`, `avatar_type` (0 library, 1 yours), `screen_style` (1 normal,
 *   2 green screen, 3 transparent WebM), and exactly one of `script` or `audio_url`;
 *   `voice_id` is required with `script`;
 * - optional: `aspect_ratio` (0 9:16, 1 16:9, 2 1:1), `caption`, `video_name`.
 *
 * It is validated before anything is sent: every missing required member is reported at
 * once (`JOGG_ERR_VALIDATION`, the first in `field`, all of them in `fields`).
 *
 * On success `*response_json` receives `{"project_id": "..."}` (always a string) for
 * `jogg_wait_for_project`. This call costs credits: on a later failure, wait on the id
 * rather than creating again. Ownership and `error_json` as in `jogg_client_new`.
 */
JOGG_API
jogg_code jogg_create_talking_avatar_video(const jogg_client *client,
                                           const char *request_json,
                                           char **response_json,
                                           char **error_json);

/**
 * The current state of a v1 project. On success `*response_json` receives the project as the
 * API sent it: `id`, `status_code` (1 start, 2 waiting, 3 processing, 4 success, 5 failed,
 * 99 deleted), `status_desc`, `video_url`, `cover_url`, `video_duration`, `title`,
 * `created_at`. Ownership and `error_json` as in `jogg_client_new`.
 */
JOGG_API
jogg_code jogg_get_project(const jogg_client *client,
                           const char *project_id,
                           char **response_json,
                           char **error_json);


/* =========================================================================================
 * 6. Waiting for background work
 *
 * Videos, avatars, photos and scripts render in the background. These calls poll the
 * operation that reads a task until it succeeds, fails, or the wait's deadline passes,
 * calling a progress callback after each poll; the callback may cancel. They block the
 * calling thread for as long as the wait lasts (at most its timeout_ms plus 1 s).
 */

/**
 * A progress callback. `event_json` is borrowed for the duration of the call only. Return 0
 * to continue, anything else to cancel (the call then fails with `JOGG_ERR_CANCELLED`). It
 * runs synchronously on the calling thread; it must return normally (no longjmp, no C++
 * exception) and must not free the client.
 */
typedef int32_t (*jogg_progress_cb)(void *userdata,
                                    const char *event_json);

/**
 * Polls a v1 project until it succeeds, fails, is deleted, the timeout passes, or the
 * callback cancels; a webhook delivery for it handed to `jogg_webhook_deliver` (from any
 * thread) ends the wait at once, without another poll.
 *
 * `options_json` may be NULL or an object with `timeout_ms` (default 1800000),
 * `initial_interval_ms` (5000: the shortest pause; the first poll is immediate),
 * `interval_ratio` (0.1: each pause is this share of the time waited so far),
 * `max_interval_ms` (60000: the longest pause), `max_polls` (no limit) and
 * `webhook_slowdown` (6: while the client knows a webhook secret, and so expects
 * deliveries, every pause of a task that a webhook event ends is this many times longer:
 * polls are then a safety net against lost deliveries; 1 polls as without webhooks). With
 * the defaults, renders up to 50 s are polled every 5 s (seen 2.5 s late on average) and
 * longer ones are seen about 5 % of their time late, at most 30 s, for half the polls of a
 * fixed 5-second poll at 5 minutes; lower `interval_ratio` or `max_interval_ms` to see ends
 * sooner for more polls.
 *
 * `cb` may be NULL; otherwise it is called after every poll, and when a delivery ends the
 * wait, with `{"id", "operation", "status" (pending, processing, succeeded, failed,
 * deleted, unknown), "raw_status" (the API's value: 1, 2, 3, 4, 5 or 99 for projects; for a
 * delivery the event name), "elapsed_ms", "polls", "next_poll_ms", "source" ("poll" or
 * "webhook")}`, and `userdata` is passed through untouched.
 *
 * The wait returns within `timeout_ms` plus 1 s whatever the server does: each poll request
 * gets what is left of the wait (at least 1 s, the last poll's grace), and no retry starts
 * past it.
 *
 * On success `*result_json` receives the final project with the members `jogg_get_project`
 * gives, in the server's order, as compact JSON (when a delivery ended the wait, the project
 * as last polled with the event's data laid over it). Failure, deletion
 * (`JOGG_ERR_TASK_FAILED`), timeout or spent budget (`JOGG_ERR_WAIT_TIMEOUT`, also when the
 * last poll got no answer by the deadline) and cancellation (`JOGG_ERR_CANCELLED`) put the
 * project id in the error JSON's `task_id`. Blocks the calling thread. Ownership and
 * `error_json` as in `jogg_client_new`.
 */
JOGG_API
jogg_code jogg_wait_for_project(const jogg_client *client,
                                const char *project_id,
                                const char *options_json,
                                jogg_progress_cb cb,
                                void *userdata,
                                char **result_json,
                                char **error_json);

/**
 * The main job in one call: creates a talking-avatar video (`request_json` as in
 * `jogg_create_talking_avatar_video`) and waits for it (`options_json`, `cb` and `userdata`
 * as in `jogg_wait_for_project`). On success `*result_json` receives the finished project.
 * If anything fails after the video was created, the error JSON's `task_id` is its project
 * id: resume with `jogg_wait_for_project` instead of paying for a new video. Ownership and
 * `error_json` as in `jogg_client_new`.
 */
JOGG_API
jogg_code jogg_generate_talking_avatar_video(const jogg_client *client,
                                             const char *request_json,
                                             const char *options_json,
                                             jogg_progress_cb cb,
                                             void *userdata,
                                             char **result_json,
                                             char **error_json);

/**
 * Polls any background task until it ends: `poll_operation` is the operation that reads it
 * (`"v1.get_project"`, `"v2.get_avatar_video"`, `"v2.get_lip_sync_video"`,
 * `"v2.get_photo_generation"`...; the `poll_with` of `jogg_operations`), `id` the task's id.
 * Options, callback and errors as in `jogg_wait_for_project`.
 *
 * On success `*result_json` receives `{"id", "status": "succeeded", "polls", "elapsed_ms",
 * "source", "event", "task"}`: `source` is `"poll"` or `"webhook"` (what saw the end),
 * `event` the delivery that ended the wait (as `jogg_webhook_parse` gives it) or null, and
 * `task` the task as the API last sent it (after a delivery: with the event's data laid over
 * it and its status set to the outcome). Ownership and `error_json` as in `jogg_client_new`.
 */
JOGG_API
jogg_code jogg_wait(const jogg_client *client,
                    const char *poll_operation,
                    const char *id,
                    const char *options_json,
                    jogg_progress_cb cb,
                    void *userdata,
                    char **result_json,
                    char **error_json);

/**
 * Waits for many tasks from this one thread: `tasks_json` is an array of
 * `{"operation": <poll operation>, "id": <task id>}`. Only unfinished tasks are polled, each
 * on its own schedule, and each ends at its webhook delivery when one comes; `cb` sees every
 * poll and delivery of every task (its `id` tells which).
 * Options as in `jogg_wait_for_project`, applied to each task.
 *
 * On success (every task reached an end, whatever it was) `*results_json` receives an
 * array in the order given of `{"id", "operation", "ok": true, "result": <as jogg_wait>}` or
 * `{"id", "operation", "ok": false, "error": <error JSON>}`. A cancel from `cb` fails the
 * whole call with `JOGG_ERR_CANCELLED`. Ownership and `error_json` as in `jogg_client_new`.
 */
JOGG_API
jogg_code jogg_wait_many(const jogg_client *client,
                         const char *tasks_json,
                         const char *options_json,
                         jogg_progress_cb cb,
                         void *userdata,
                         char **results_json,
                         char **error_json);

/**
 * Starts a task by operation name (as `jogg_call`) and waits for it (as `jogg_wait`):
 * `operation` must be one that starts a task (`"async": true` in `jogg_operations`).
 *
 * On success `*result_json` receives `{"created": <the create reply>, "id", "status",
 * "polls", "elapsed_ms", "task"}`. If the wait fails after the task was created, the error
 * JSON's `task_id` holds its id: wait on it with `jogg_wait` instead of creating (and
 * paying) again. Ownership and `error_json` as in `jogg_client_new`.
 */
JOGG_API
jogg_code jogg_call_and_wait(const jogg_client *client,
                             const char *operation,
                             const char *request_json,
                             const char *options_json,
                             jogg_progress_cb cb,
                             void *userdata,
                             char **result_json,
                             char **error_json);


/* =========================================================================================
 * 7. Files
 *
 * Uploading a local file for the API to use (an audio track, a product image), and
 * downloading a finished video. Both block until done, cancelled, or past the config's
 * transfer_timeout_ms.
 */

/**
 * Uploads the local file at `path` as an asset and returns its URL, for `audio_url`,
 * `media[].url` and the like in a create request. The API is asked for a signed upload URL
 * and the file is streamed there with a PUT; the API key is sent to the API only.
 *
 * `options_json` may be NULL or an object with any of: `version` (`"v2"`, the default, or
 * `"v1"`), `filename` (declared name; default: the file's name), `content_type` (declared
 * MIME type; default: from the extension `.jpg` `.jpeg` `.png` `.webp` `.gif` `.mp4` `.webm`
 * `.mov` `.mp3` `.wav` `.m4a`, required for others), `max_bytes` (default: the documented
 * limit, 10 MiB for images, 20 MiB for audio, 100 MiB otherwise).
 *
 * A missing, non-regular (directory, FIFO, device), empty, unreadable or oversized file
 * fails with `JOGG_ERR_IO` (`field` `"path"`) before any request. The file is opened once,
 * without waiting (a FIFO cannot block the call); its size then is what is declared to the
 * API, sent (as the PUT's Content-Length, exactly) and returned as `bytes`. A file that
 * shrinks during the upload fails with `JOGG_ERR_IO`; bytes it gains are not sent.
 *
 * `cb` may be NULL; otherwise it is called when the PUT starts and after every chunk sent
 * with `{"bytes": N, "total": M}` (`total` is the size counted at open; `bytes` never
 * decreases), and `userdata` is passed through. A non-zero return cancels with
 * `JOGG_ERR_CANCELLED`. The whole upload ends by the client's `transfer_timeout_ms`, each
 * stall (no byte accepted, or no answer) by its `timeout_ms`: `JOGG_ERR_TIMEOUT`.
 *
 * On success `*result_json` receives `{"asset_url", "filename", "content_type", "bytes",
 * "version"}`. Blocks the calling thread. Ownership and `error_json` as in
 * `jogg_client_new`.
 */
JOGG_API
jogg_code jogg_upload_asset(const jogg_client *client,
                            const char *path,
                            const char *options_json,
                            jogg_progress_cb cb,
                            void *userdata,
                            char **result_json,
                            char **error_json);

/**
 * Downloads `url` (a finished video's `video_url`, an asset...) to the file `path`. The bytes
 * are streamed to `<path>.part` beside it, which is renamed to `path` only when complete:
 * `path` never holds a partial file, and an existing file there is replaced only by a
 * complete download. The API key is not sent. `url`, and every redirect target, must be
 * `https://` (or `http://` to a loopback host); a redirect elsewhere is
 * `JOGG_ERR_BAD_RESPONSE`. The bytes are saved as the server sent them (the request asks
 * for no content coding, and a `Content-Encoding` in the reply is not undone).
 *
 * If a `<path>.part` from an earlier failed or cancelled attempt exists, only the rest is
 * requested (HTTP Range) and appended; delete it to start over. The `.part` is opened
 * without following links: one that is a symbolic link, a hard link to another name, a FIFO
 * or anything but a regular file is refused with `JOGG_ERR_IO` before any request. Do not
 * run two downloads to the same `path` at once. `cb` may be NULL; otherwise it is called
 * before the first byte and after every chunk with `{"bytes": N, "total": M}` (`total` is
 * null when the server does not say; `bytes` never decreases), and `userdata` is passed
 * through. A non-zero return cancels with `JOGG_ERR_CANCELLED`. After a failure or a cancel
 * the message ends by saying what became of the `.part`: kept (with its size) when bytes
 * were received, removed when none were.
 *
 * The whole download ends by the client's `transfer_timeout_ms` (redirects included), each
 * stall (no answer, or no byte) by its `timeout_ms`: `JOGG_ERR_TIMEOUT`.
 *
 * On success `*result_json` receives `{"path", "bytes", "sha256" (lowercase hex of the whole
 * file), "resumed_from" (bytes reused from a `.part`), "content_type"}`. A target that cannot
 * be written fails with `JOGG_ERR_IO` before any request. Blocks the calling thread.
 * Ownership and `error_json` as in `jogg_client_new`.
 */
JOGG_API
jogg_code jogg_download(const jogg_client *client,
                        const char *url,
                        const char *path,
                        jogg_progress_cb cb,
                        void *userdata,
                        char **result_json,
                        char **error_json);


/* =========================================================================================
 * 8. Webhooks
 *
 * Jogg posts a signed event to your endpoint when a task ends. Check the signature on
 * the raw body before reading it; jogg_webhook_deliver also hands the event to the
 * client, which ends at once every wait on its task.
 */

/**
 * Checks a webhook delivery: `signature` (the `X-Webhook-Signature` header, NULL when the
 * request has none) must be the hex HMAC-SHA256 of the raw request body (`body_len` bytes at
 * `body`, exactly as received) under `secret` (the endpoint's `secret`). Hex digits may be
 * upper or lower case; the comparison is constant-time.
 *
 * Returns `JOGG_OK`, or `JOGG_ERR_SIGNATURE` for a missing, malformed or wrong signature
 * (answer the request with HTTP 401), `JOGG_ERR_VALIDATION` for an empty secret,
 * `JOGG_ERR_NULL_ARGUMENT` for a NULL `secret` or a NULL `body` with a non-zero `body_len`.
 * Sends nothing; needs no client.
 */
JOGG_API
jogg_code jogg_webhook_verify(const uint8_t *body,
                              size_t body_len,
                              const char *signature,
                              const char *secret);

/**
 * Verifies a webhook delivery as `jogg_webhook_verify` does, then reads it. On success
 * `*event_json` receives one shape for every event:
 * `{"event", "event_id" (or null), "timestamp", "task_kind" (video, avatar_video,
 * template_video, product_video, translate_video, photo_avatar, product_avatar, script,
 * image, motion, avatar; for an unknown event, its name without prefix and outcome),
 * "id" (the task's id as a string), "status" ("succeeded" or "failed" from the event name;
 * "unknown" otherwise), "video_url", "cover_url", "error" (message or null), "data" (the
 * delivery's data as sent)}`.
 *
 * A verified body that is not a JSON object with an `event` name fails with
 * `JOGG_ERR_BAD_RESPONSE`. Deliveries may repeat: de-duplicate on `event_id`. Ownership and
 * `error_json` as in `jogg_client_new`.
 */
JOGG_API
jogg_code jogg_webhook_parse(const uint8_t *body,
                             size_t body_len,
                             const char *signature,
                             const char *secret,
                             char **event_json,
                             char **error_json);

/**
 * The largest webhook delivery body `jogg_webhook_deliver` accepts, in bytes (256 KiB): events
 * are JSON documents of a few hundred bytes.
 */
#define JOGG_MAX_DELIVERY_BYTES (256 * 1024)

/**
 * Hands `client` a webhook delivery that the program's own HTTP handler received, whatever
 * its framework or language: `body` is the raw request body (`body_len` bytes, exactly as
 * received; NULL when empty), `signature` the `X-Webhook-Signature` header (NULL when the
 * request has none). The client verifies it with the secrets it knows (those of the
 * endpoints it created, and its config's `webhook_secrets`; constant-time, every secret
 * tried), reads it, and wakes at once every wait on its task (`jogg_wait`,
 * `jogg_wait_for_project`, `jogg_wait_many`... on this client, in any thread). Those waits
 * return without polling again, their result's `source` `"webhook"`. A delivery no wait is
 * waiting for is kept for 10 minutes (the last 1024), for a wait that starts just after
 * it; a repeated delivery (the same `event_id`) wakes nothing again.
 *
 * On success `*event_json` receives the event as `jogg_webhook_parse` gives it, plus
 * `"duplicate"` (true for a repeat: answer it 2xx all the same, or the sender keeps
 * retrying) and `"woken"` (the number of waits it ended; 0: kept). Answer the request 2xx.
 *
 * Errors, none of which wakes a wait: `JOGG_ERR_SIGNATURE` for a missing, malformed or
 * wrong signature, or a client that knows no secret (answer 401);
 * `JOGG_ERR_BODY_TOO_LARGE` for a body over `JOGG_MAX_DELIVERY_BYTES`, refused unread;
 * `JOGG_ERR_BAD_RESPONSE` for a body that is not an event (`field` `"body"`), an event no
 * task ends with (`"event"`) or one that names no task (`"data"`) (answer 400);
 * `JOGG_ERR_NULL_ARGUMENT` for a NULL client, or a NULL body with a non-zero length.
 * Ownership and `error_json` as in `jogg_client_new`.
 */
JOGG_API
jogg_code jogg_webhook_deliver(const jogg_client *client,
                               const uint8_t *body,
                               size_t body_len,
                               const char *signature,
                               char **event_json,
                               char **error_json);

/**
 * Registers a webhook endpoint (v1 `POST /endpoint`). `request_json` members: `url`
 * (required; the API accepts HTTPS only, jogg-mock also loopback `http://`), `events`
 * (required array of event names, e.g. `["generated_video_success",
 * "generated_video_failed"]`), `status` (`"enabled"`, the default, or `"disabled"`).
 *
 * On success `*response_json` receives the endpoint as the API sent it: `endpoint_id`,
 * `url`, `secret` (the key for `jogg_webhook_verify`; keep it out of logs), `status`,
 * `events`, `username`, `created_at`. The client remembers the secret, to verify the
 * deliveries given to `jogg_webhook_deliver` (as it does for an endpoint made through
 * `jogg_call`, v1 or v2). Ownership and `error_json` as in `jogg_client_new`.
 */
JOGG_API
jogg_code jogg_create_webhook_endpoint(const jogg_client *client,
                                       const char *request_json,
                                       char **response_json,
                                       char **error_json);


/* =========================================================================================
 * 9. Every operation by name
 *
 * All 80 operations of the API's v1 and v2, by name ("v1.get_project",
 * "v2.create_video_from_avatar"), with the request as JSON. jogg_operations() lists
 * them with their parameters.
 */

/**
 * Runs any API operation by name: `"v1.get_project"`, `"v2.create_video_from_avatar"`... (the
 * list: `jogg_operations`). `request_json` may be NULL (no parameters) or an object: members
 * named in the path template fill the path, the others go to the query string (GET, DELETE)
 * or the JSON body (POST, PUT). It is validated before anything is sent: an unknown, missing
 * or mistyped member is `JOGG_ERR_VALIDATION` naming it; an unknown operation is
 * `JOGG_ERR_UNKNOWN_OPERATION`.
 *
 * Paged lists (voices, music, template and product videos, previews, v2 avatar lists) also
 * take `"all_pages": true`: every page is fetched (100 items a page unless `page_size` is
 * given) and `*response_json` receives `{"<items member>": [all items], "pages": N}`. The
 * pages may hold at most 64 MiB of data between them: past that the call fails with
 * `JOGG_ERR_BODY_TOO_LARGE` (`field` `"all_pages"`); fetch page by page instead.
 *
 * Blocks the calling thread until the answer: a POST first waits for a slot of the POST limit
 * (20 a minute per key by default, see `post_limit`; the wait lasts up to a window, and when
 * clients sharing the count keep taking the slots, it ends after `timeout_ms` plus a window
 * with `JOGG_ERR_TIMEOUT`, nothing sent), and a failed attempt that is safe to repeat is
 * retried after a pause (`max_retries`, backoff or the server's `Retry-After` up to 60 s).
 * Each attempt ends within `timeout_ms`.
 *
 * On success `*response_json` receives the API's `data` as sent (`null` for operations
 * without a payload). Ownership and `error_json` as in `jogg_client_new`.
 */
JOGG_API
jogg_code jogg_call(const jogg_client *client,
                    const char *operation,
                    const char *request_json,
                    char **response_json,
                    char **error_json);

/**
 * Every operation `jogg_call` accepts, as a JSON array of `{"name", "version", "method",
 * "path", "async", "poll_with", "polls", "items", "params": [{"name", "required", "in"}]}`:
 * `async` operations start work to wait for, polled by the operation named in `poll_with`
 * (the `poll_operation` of `jogg_wait`); `polls` marks those poll operations; `items` names
 * the member holding a paged list's items (`null` when not paged). Needs no client.
 * Ownership and `error_json` as in `jogg_client_new`.
 */
JOGG_API
jogg_code jogg_operations(char **operations_json,
                          char **error_json);

#ifdef __cplusplus
}  /* extern "C" */
#endif

#endif  /* JOGG_H */
