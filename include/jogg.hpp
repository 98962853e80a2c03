/*
 * jogg.hpp: C++17 wrapper of jogg.h, header-only (link libjogg as for C).
 *
 *     jogg::Client client;                       // config "{}": JOGG_API_KEY, JOGG_BASE_URL
 *     std::string voices = client.list_voices(R"({"language": "english"})");
 *     std::string project = client.wait_for_project(id, "{}", [](const std::string &event) {
 *         std::cerr << event << "\n";
 *         return true;                           // false cancels the wait
 *     });
 *     jogg::Client logged("{}", [](int level, std::string_view line) {
 *         std::cerr << level << " " << line << "\n"; // JOGG_LOG_INFO or JOGG_LOG_DEBUG
 *     });
 *     auto store = std::make_shared<MyStore>();  // a jogg::PostSlotStore of your own
 *     jogg::Client a("{}", store), b("{}", store); // their POSTs counted together, in it
 *
 * What it adds to the C interface, and nothing else:
 * - jogg::Client owns a jogg_client: move-only, freed by its destructor.
 * - Every string the library returns is copied into a std::string and freed at once, also when
 *   an exception is thrown; nothing is left for the caller to release.
 * - A failed call throws jogg::Error (a std::runtime_error whose what() is the message) with
 *   code(), name(), field(), request_id() and task_id() read from the error JSON, and json()
 *   for the rest (fields, http_status...). A string argument holding a NUL byte, which C would
 *   cut short, throws Error JOGG_ERR_VALIDATION naming the argument before any call.
 * - Every function of jogg.h has a method of Client (or, when it needs no client, a function of
 *   namespace jogg): call_operation() is jogg_call, operations() is jogg_operations...
 * - Progress callbacks are std::functions. An exception one throws never crosses the C
 *   library: it is caught, the call is cancelled, and the exception is rethrown from the
 *   method (wait_for_project(), wait(), download()...) once the library has returned.
 * - A log callback (jogg_client_new_with_log) is a std::function owned by the Client, so it
 *   lives exactly as long as the jogg_client; an exception it throws is caught and dropped.
 * - A POST limiter store of your own (jogg_client_new_with_post_limiter) is a
 *   jogg::PostSlotStore held by the Client through a std::shared_ptr. An exception one of its
 *   methods throws never crosses the C library: from acquire() it fails the POST, and the
 *   method throws Error JOGG_ERR_LIMITER_STORE with the store's exception nested in it
 *   (std::rethrow_if_nested); from release() or cooldown() the library logs it.
 * - Client::call() reaches any jogg function of the usual shape, so functions added to jogg.h
 *   later are usable before this file wraps them.
 *
 * Results are the library's JSON text; jogg::find_member() pulls single values out of it for
 * programs that do not use a JSON library. Threads: as jogg.h; one Client may be used by any
 * number of threads at once (its methods are const), but not moved or destroyed meanwhile.
 */
#ifndef JOGG_HPP
#define JOGG_HPP

#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "jogg.h"

namespace jogg {

namespace detail {

/* A recursive-descent walk over JSON text, enough to find one member. The library only
 * returns valid JSON; on anything else the walk stops and reports "not found". */
class JsonScanner {
public:
    explicit JsonScanner(std::string_view text) : s_(text) {}

    /* Searches the value at the cursor for `*key` (NULL: just skips it); true when found, with
     * `out` holding the member's value. */
    bool find(const std::string_view *key, std::optional<std::string> &out, int depth = 0) {
        if (depth > 64) {
            return fail();
        }
        skip_ws();
        if (at('{')) {
            ++i_;
            skip_ws();
            if (at('}')) {
                ++i_;
                return false;
            }
            while (ok_) {
                std::string name;
                if (!string(&name)) {
                    return fail();
                }
                skip_ws();
                if (!at(':')) {
                    return fail();
                }
                ++i_;
                skip_ws();
                if (key != nullptr && name == *key) {
                    out = value();
                    return ok_;
                }
                if (find(key, out, depth + 1)) {
                    return true;
                }
                if (!next_or_end('}')) {
                    return false;
                }
            }
            return false;
        }
        if (at('[')) {
            ++i_;
            skip_ws();
            if (at(']')) {
                ++i_;
                return false;
            }
            while (ok_) {
                if (find(key, out, depth + 1)) {
                    return true;
                }
                if (!next_or_end(']')) {
                    return false;
                }
            }
            return false;
        }
        skip_scalar();
        return false;
    }

private:
    std::string_view s_;
    std::size_t i_ = 0;
    bool ok_ = true;

    bool fail() {
        ok_ = false;
        return false;
    }
    bool at(char c) const { return ok_ && i_ < s_.size() && s_[i_] == c; }
    void skip_ws() {
        while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) {
            ++i_;
        }
    }
    /* After a member or element: true at ',' (more follow), false at `close` or on error. */
    bool next_or_end(char close) {
        skip_ws();
        if (at(',')) {
            ++i_;
            skip_ws();
            return true;
        }
        if (at(close)) {
            ++i_;
            return false;
        }
        return fail();
    }
    /* The value at the cursor: strings unescaped, null as nullopt, anything else as written. */
    std::optional<std::string> value() {
        std::size_t start = i_;
        if (at('"')) {
            std::string text;
            string(&text);
            return text;
        }
        std::optional<std::string> ignored;
        find(nullptr, ignored);
        if (!ok_) {
            return std::nullopt;
        }
        std::string raw(s_.substr(start, i_ - start));
        if (raw == "null") {
            return std::nullopt;
        }
        return raw;
    }
    void skip_scalar() {
        if (at('"')) {
            string(nullptr);
            return;
        }
        std::size_t start = i_;
        while (i_ < s_.size() && s_[i_] != ',' && s_[i_] != '}' && s_[i_] != ']' && s_[i_] != ' ' &&
               s_[i_] != '\n' && s_[i_] != '\r' && s_[i_] != '\t') {
            ++i_;
        }
        if (i_ == start) {
            fail();
        }
    }
    int hex4() {
        if (i_ + 4 > s_.size()) {
            return -1;
        }
        int v = 0;
        for (int k = 0; k < 4; ++k) {
            char c = s_[i_++];
            v <<= 4;
            if (c >= '0' && c <= '9') {
                v |= c - '0';
            } else if (c >= 'a' && c <= 'f') {
                v |= c - 'a' + 10;
            } else if (c >= 'A' && c <= 'F') {
                v |= c - 'A' + 10;
            } else {
                return -1;
            }
        }
        return v;
    }
    static void utf8(std::string &out, std::uint32_t cp) {
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }
    /* A string at the cursor, unescaped into `out` when it is not NULL. */
    bool string(std::string *out) {
        if (!at('"')) {
            return fail();
        }
        ++i_;
        while (i_ < s_.size()) {
            char c = s_[i_++];
            if (c == '"') {
                return true;
            }
            if (c != '\\') {
                if (out) {
                    *out += c;
                }
                continue;
            }
            if (i_ >= s_.size()) {
                break;
            }
            char e = s_[i_++];
            std::uint32_t cp = 0;
            switch (e) {
            case '"': case '\\': case '/': cp = static_cast<unsigned char>(e); break;
            case 'b': cp = '\b'; break;
            case 'f': cp = '\f'; break;
            case 'n': cp = '\n'; break;
            case 'r': cp = '\r'; break;
            case 't': cp = '\t'; break;
            case 'u': {
                int hi = hex4();
                if (hi < 0) {
                    return fail();
                }
                cp = static_cast<std::uint32_t>(hi);
                /* A UTF-16 surrogate pair encodes one code point above U+FFFF. */
                if (hi >= 0xD800 && hi <= 0xDBFF && i_ + 1 < s_.size() && s_[i_] == '\\' &&
                    s_[i_ + 1] == 'u') {
                    i_ += 2;
                    int lo = hex4();
                    if (lo < 0xDC00 || lo > 0xDFFF) {
                        return fail();
                    }
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (static_cast<std::uint32_t>(lo) - 0xDC00);
                }
                break;
            }
            default: return fail();
            }
            if (out) {
                utf8(*out, cp);
            }
        }
        return fail();
    }
};

}  // namespace detail

/* The first member named `key` anywhere in `json` (nested objects and arrays included, in
 * document order). Strings come back unescaped; numbers, booleans, objects and arrays as
 * their JSON text; null and a missing member as std::nullopt. */
inline std::optional<std::string> find_member(std::string_view json, std::string_view key) {
    std::optional<std::string> out;
    detail::JsonScanner scanner(json);
    return scanner.find(&key, out) ? out : std::nullopt;
}

/* A failed call: the code, and the members of the library's error JSON. */
class Error : public std::runtime_error {
public:
    Error(jogg_code code, std::string json)
        : std::runtime_error(member_or(json, "message", jogg_code_name(code))),
          code_(code),
          json_(std::move(json)),
          name_(member_or(json_, "name", jogg_code_name(code))),
          field_(member_or(json_, "field", "")),
          request_id_(member_or(json_, "request_id", "")),
          task_id_(member_or(json_, "task_id", "")) {}

    /* JOGG_ERR_* value. */
    jogg_code code() const noexcept { return code_; }
    /* Its constant's name, "JOGG_ERR_VALIDATION". */
    const std::string &name() const noexcept { return name_; }
    /* The request member or parameter at fault, or "". */
    const std::string &field() const noexcept { return field_; }
    /* The API's request id (quote it to Jogg support), or "" when nothing was answered. */
    const std::string &request_id() const noexcept { return request_id_; }
    /* The project a failed, cancelled or timed-out wait was about, or "". */
    const std::string &task_id() const noexcept { return task_id_; }
    /* The whole error JSON: http_status, api_code, retry_after_ms, retryable... */
    const std::string &json() const noexcept { return json_; }

private:
    static std::string member_or(const std::string &json, const char *key, const char *fallback) {
        return find_member(json, key).value_or(fallback);
    }

    jogg_code code_;
    std::string json_;
    std::string name_;
    std::string field_;
    std::string request_id_;
    std::string task_id_;
};

namespace detail {

/* One string returned by the library, freed when this goes out of scope. */
class Owned {
public:
    Owned() = default;
    ~Owned() { jogg_string_free(p_); }
    Owned(const Owned &) = delete;
    Owned &operator=(const Owned &) = delete;

    char **slot() noexcept { return &p_; }
    std::string str() const { return p_ ? std::string(p_) : std::string(); }

private:
    char *p_ = nullptr;
};

inline void check(jogg_code rc, const Owned &error_json) {
    if (rc != JOGG_OK) {
        throw Error(rc, error_json.str());
    }
}

/* A string argument as C reads it. One holding a NUL byte would reach the library cut short,
 * so it is refused as the library refuses input it cannot read: Error JOGG_ERR_VALIDATION
 * naming the argument, before any call. */
inline const char *arg(const std::string &value, const char *name) {
    if (value.find('\0') != std::string::npos) {
        const std::string field(name);
        throw Error(JOGG_ERR_VALIDATION,
                    "{\"code\":" + std::to_string(JOGG_ERR_VALIDATION) + ",\"name\":\"" +
                        jogg_code_name(JOGG_ERR_VALIDATION) + "\",\"message\":\"" + field +
                        ": must not contain a NUL byte (C strings end there)\",\"field\":\"" +
                        field + "\",\"fields\":[\"" + field + "\"]}");
    }
    return value.c_str();
}

}  // namespace detail

/* "jogg/MAJOR.MINOR.PATCH" of the library actually loaded. */
inline std::string version() { return jogg_version(); }

/* Every operation Client::call_operation() accepts, as jogg_operations describes them. */
inline std::string operations() {
    detail::Owned out;
    detail::Owned err;
    detail::check(jogg_operations(out.slot(), err.slot()), err);
    return out.str();
}

/* jogg_webhook_verify: true when `signature` (the X-Webhook-Signature header, nullopt when the
 * request has none) signs the raw `body` under `secret`; false for a missing, malformed or
 * wrong signature (answer HTTP 401). Other failures (an empty secret) throw Error. */
inline bool webhook_verify(std::string_view body, const std::optional<std::string> &signature,
                           const std::string &secret) {
    const char *sig = signature ? detail::arg(*signature, "signature") : nullptr;
    jogg_code rc = jogg_webhook_verify(reinterpret_cast<const std::uint8_t *>(body.data()),
                                       body.size(), sig, detail::arg(secret, "secret"));
    if (rc == JOGG_ERR_SIGNATURE) {
        return false;
    }
    detail::check(rc, detail::Owned());
    return true;
}

/* jogg_webhook_parse: verifies a delivery as webhook_verify() does (a bad signature throws
 * Error JOGG_ERR_SIGNATURE), then reads it into the event JSON. */
inline std::string webhook_parse(std::string_view body, const std::optional<std::string> &signature,
                                 const std::string &secret) {
    detail::Owned out;
    detail::Owned err;
    const char *sig = signature ? detail::arg(*signature, "signature") : nullptr;
    detail::check(jogg_webhook_parse(reinterpret_cast<const std::uint8_t *>(body.data()),
                                     body.size(), sig, detail::arg(secret, "secret"), out.slot(),
                                     err.slot()),
                  err);
    return out.str();
}

/* One POST's slot, as a PostSlotStore sees it (jogg_post_slot). The strings are borrowed for
 * the call only: copy what the store keeps. */
struct PostSlot {
    /* Unique across processes and hosts. */
    std::string_view id;
    /* Which shared count: 32 hex digits, a hash of the base URL and the API key (never the key
     * itself). Clients with the same key and base URL share one count. */
    std::string_view key_id;
    /* How many slots of key_id may be held at once (the config's post_limit). */
    std::uint32_t limit;
    /* How long the slot is held from now: in acquire() its lease (request timeout + window +
     * margin, in case its answer is never reported), in release() the window + margin. */
    std::chrono::milliseconds hold;
};

/* A store of POST slots of your own (a database, a service of yours) that several clients
 * share, in any process on any host whose store shares its state: give it to the Client
 * constructor that takes one (jogg_client_new_with_post_limiter). Its methods are called from
 * whichever thread makes a POST, possibly several at once: make them thread-safe. They must
 * not call the client. */
class PostSlotStore {
public:
    virtual ~PostSlotStore() = default;

    /* Takes `slot` if fewer than slot.limit slots of slot.key_id are held and no cooldown runs:
     * drops the expired slots and records slot.id as expiring slot.hold from now, atomically,
     * then returns 0. Otherwise returns how long to wait before the client asks again (it may
     * ask sooner; any std::chrono duration converts). Throwing fails the POST with Error
     * JOGG_ERR_LIMITER_STORE, the exception nested in it (or the POST falls back, as the
     * config's post_limit_fallback says); nothing is sent. */
    virtual std::chrono::nanoseconds acquire(const PostSlot &slot) = 0;
    /* The slot's POST was answered (or failed): it now expires slot.hold from now. Throwing
     * is logged; the slot then ends with its lease. */
    virtual void release(const PostSlot &slot) = 0;
    /* A POST of `key_id` was answered 429 with Retry-After: no slot of key_id may be taken for
     * `pause` from now (extend a running cooldown, never shorten it). The default pauses no
     * one else. Throwing is logged. */
    virtual void cooldown(std::string_view key_id, std::chrono::milliseconds pause) {
        static_cast<void>(key_id);
        static_cast<void>(pause);
    }

protected:
    PostSlotStore() = default;
    PostSlotStore(const PostSlotStore &) = default;
    PostSlotStore &operator=(const PostSlotStore &) = default;
};

namespace detail {

/* What a store's acquire() threw during the call running on this thread: the library calls a
 * store back on the thread that called it. */
inline std::exception_ptr &store_failure() noexcept {
    thread_local std::exception_ptr thrown;
    return thrown;
}

inline PostSlot post_slot(const jogg_post_slot *slot) noexcept {
    return PostSlot{slot->id, slot->key_id, slot->limit, std::chrono::milliseconds(slot->hold_ms)};
}

/* The jogg_post_limiter callbacks; `userdata` is the PostSlotStore. */
inline std::int32_t store_acquire(void *userdata, const jogg_post_slot *slot,
                                  std::uint64_t *wait_ms) noexcept {
    try {
        std::chrono::nanoseconds wait = static_cast<PostSlotStore *>(userdata)->acquire(post_slot(slot));
        if (wait.count() < 0) {
            throw std::out_of_range("PostSlotStore::acquire returned a negative wait");
        }
        /* Rounded up: a wait of under a millisecond is still a wait, and 0 would mean taken. */
        *wait_ms = static_cast<std::uint64_t>(std::chrono::ceil<std::chrono::milliseconds>(wait).count());
        return 0;
    } catch (...) {
        store_failure() = std::current_exception();
        return 1;
    }
}
inline std::int32_t store_release(void *userdata, const jogg_post_slot *slot) noexcept {
    try {
        static_cast<PostSlotStore *>(userdata)->release(post_slot(slot));
        return 0;
    } catch (...) {
        return 1;
    }
}
inline std::int32_t store_cooldown(void *userdata, const char *key_id, std::uint64_t pause_ms) noexcept {
    try {
        static_cast<PostSlotStore *>(userdata)->cooldown(key_id, std::chrono::milliseconds(pause_ms));
        return 0;
    } catch (...) {
        return 1;
    }
}

}  // namespace detail

class Client {
public:
    /* Progress of a wait, given the event JSON; return false to cancel. */
    using Progress = std::function<bool(const std::string &event_json)>;
    /* A log line: `level` is JOGG_LOG_INFO or JOGG_LOG_DEBUG, `line` has no newline and is
     * borrowed for the call only. Called from whichever thread makes a request, possibly from
     * several at once: make it thread-safe. It must not call back into the client. */
    using Log = std::function<void(int level, std::string_view line)>;

    /* config_json as for jogg_client_new; "{}" takes JOGG_API_KEY and JOGG_BASE_URL. */
    explicit Client(const std::string &config_json = "{}") {
        detail::Owned err;
        jogg_client *client = nullptr;
        detail::check(jogg_client_new(detail::arg(config_json, "config_json"), &client, err.slot()),
                      err);
        handle_ = client;
    }
    /* jogg_client_new_with_log: log lines go to `log` instead of stderr. The level is the
     * config's "log", else JOGG_LOG, else "debug" (filter on `level`). An exception `log` throws
     * is caught and dropped (with its line): it never crosses the C library. An empty `log` is
     * the constructor above. */
    Client(const std::string &config_json, Log log) {
        detail::Owned err;
        jogg_client *client = nullptr;
        std::unique_ptr<Log> owned;
        jogg_log_cb cb = nullptr;
        if (log) {
            owned = std::make_unique<Log>(std::move(log));
            cb = [](void *userdata, std::int32_t level, const char *line) noexcept {
                try {
                    (*static_cast<const Log *>(userdata))(
                        static_cast<int>(level), line ? std::string_view(line) : std::string_view());
                } catch (...) {
                    /* Dropped: a log line is not worth failing, or aborting, the request. */
                }
            };
        }
        detail::check(jogg_client_new_with_log(detail::arg(config_json, "config_json"), cb,
                                               owned.get(), &client, err.slot()),
                      err);
        handle_ = client;
        log_ = std::move(owned);
    }
    /* jogg_client_new_with_post_limiter: POSTs are counted in `store` instead of a
     * "post_limit_scope", which config_json must then leave out. One store given to several
     * clients, or a store whose state lives in a database or a service of yours, makes them
     * share the key's POST limit; "post_limit", "post_window_ms" and "post_limit_fallback"
     * apply as usual. The Client holds `store` as long as it lives. An empty `store` throws
     * Error JOGG_ERR_NULL_ARGUMENT. (No log callback with it: the C interface takes one or the
     * other.) */
    Client(const std::string &config_json, std::shared_ptr<PostSlotStore> store) {
        if (!store) {
            throw Error(JOGG_ERR_NULL_ARGUMENT,
                        "{\"code\":" + std::to_string(JOGG_ERR_NULL_ARGUMENT) + ",\"name\":\"" +
                            jogg_code_name(JOGG_ERR_NULL_ARGUMENT) +
                            "\",\"message\":\"store: must not be empty\",\"field\":\"store\","
                            "\"fields\":[\"store\"]}");
        }
        jogg_post_limiter limiter{};
        limiter.acquire = detail::store_acquire;
        limiter.release = detail::store_release;
        limiter.cooldown = detail::store_cooldown;
        limiter.userdata = store.get();
        detail::Owned err;
        jogg_client *client = nullptr;
        detail::check(jogg_client_new_with_post_limiter(detail::arg(config_json, "config_json"),
                                                        &limiter, &client, err.slot()),
                      err);
        handle_ = client;
        store_ = std::move(store);
    }
    /* The handle is freed before log_ and store_ (members) are destroyed: no line can arrive,
     * and the store is asked nothing, after. */
    ~Client() { jogg_client_free(handle_); }

    /* The log callable and the store are on the heap, so their addresses (the C side's
     * userdata) survive moves. */
    Client(Client &&other) noexcept
        : handle_(std::exchange(other.handle_, nullptr)),
          log_(std::move(other.log_)),
          store_(std::move(other.store_)) {}
    Client &operator=(Client &&other) noexcept {
        if (this != &other) {
            jogg_client_free(handle_);
            handle_ = std::exchange(other.handle_, nullptr);
            log_ = std::move(other.log_);
            store_ = std::move(other.store_);
        }
        return *this;
    }
    Client(const Client &) = delete;
    Client &operator=(const Client &) = delete;

    /* The C handle, for jogg.h functions (NULL after a move). Still owned by this Client. */
    const jogg_client *get() const noexcept { return handle_; }

    /* One method per jogg.h operation; each is documented there. */
    std::string create_talking_avatar_video(const std::string &request_json) const {
        return call(jogg_create_talking_avatar_video, detail::arg(request_json, "request_json"));
    }
    std::string get_project(const std::string &project_id) const {
        return call(jogg_get_project, detail::arg(project_id, "project_id"));
    }
    std::string list_avatars(const std::string &filter_json = "{}") const {
        return call(jogg_list_avatars, detail::arg(filter_json, "filter_json"));
    }
    std::string list_voices(const std::string &filter_json = "{}") const {
        return call(jogg_list_voices, detail::arg(filter_json, "filter_json"));
    }

    std::string create_webhook_endpoint(const std::string &request_json) const {
        return call(jogg_create_webhook_endpoint, detail::arg(request_json, "request_json"));
    }
    /* jogg_webhook_deliver: hands this client a delivery your HTTP handler received (the raw
     * `body`, the X-Webhook-Signature header or nullopt); it wakes the waits on its task, in any
     * thread. Returns the event JSON (with "duplicate" and "woken"); throws Error otherwise
     * (JOGG_ERR_SIGNATURE: answer 401; JOGG_ERR_BODY_TOO_LARGE, JOGG_ERR_BAD_RESPONSE: 400). */
    std::string webhook_deliver(std::string_view body,
                                const std::optional<std::string> &signature) const {
        return call(jogg_webhook_deliver, reinterpret_cast<const std::uint8_t *>(body.data()),
                    body.size(), signature ? signature->c_str() : nullptr);
    }
    /* jogg_call: any operation by name ("v2.get_current_user"; see jogg::operations()). */
    std::string call_operation(const std::string &operation,
                               const std::string &request_json = "{}") const {
        return call(jogg_call, detail::arg(operation, "operation"),
                    detail::arg(request_json, "request_json"));
    }
    /* jogg_upload_asset: `progress` receives {"bytes", "total"} events; false cancels. */
    std::string upload_asset(const std::string &path, const std::string &options_json = "{}",
                             const Progress &progress = nullptr) const {
        return call_with_progress(progress, jogg_upload_asset, detail::arg(path, "path"),
                                  detail::arg(options_json, "options_json"));
    }

    /* Blocks until the project is done; the final project JSON. `progress` may be empty. */
    std::string wait_for_project(const std::string &project_id,
                                 const std::string &options_json = "{}",
                                 const Progress &progress = nullptr) const {
        return call_with_progress(progress, jogg_wait_for_project,
                                  detail::arg(project_id, "project_id"),
                                  detail::arg(options_json, "options_json"));
    }
    /* jogg_wait: any task, polled with `poll_operation` ("v2.get_avatar_video"...). */
    std::string wait(const std::string &poll_operation, const std::string &id,
                     const std::string &options_json = "{}", const Progress &progress = nullptr) const {
        return call_with_progress(progress, jogg_wait,
                                  detail::arg(poll_operation, "poll_operation"),
                                  detail::arg(id, "id"), detail::arg(options_json, "options_json"));
    }
    /* jogg_wait_many: `tasks_json` is an array of {"operation", "id"}. */
    std::string wait_many(const std::string &tasks_json, const std::string &options_json = "{}",
                          const Progress &progress = nullptr) const {
        return call_with_progress(progress, jogg_wait_many, detail::arg(tasks_json, "tasks_json"),
                                  detail::arg(options_json, "options_json"));
    }
    std::string call_and_wait(const std::string &operation, const std::string &request_json,
                              const std::string &options_json = "{}",
                              const Progress &progress = nullptr) const {
        return call_with_progress(progress, jogg_call_and_wait, detail::arg(operation, "operation"),
                                  detail::arg(request_json, "request_json"),
                                  detail::arg(options_json, "options_json"));
    }
    std::string generate_talking_avatar_video(const std::string &request_json,
                                              const std::string &options_json = "{}",
                                              const Progress &progress = nullptr) const {
        return call_with_progress(progress, jogg_generate_talking_avatar_video,
                                  detail::arg(request_json, "request_json"),
                                  detail::arg(options_json, "options_json"));
    }
    /* jogg_download: `progress` receives {"bytes", "total"} events. */
    std::string download(const std::string &url, const std::string &path,
                         const Progress &progress = nullptr) const {
        return call_with_progress(progress, jogg_download, detail::arg(url, "url"),
                                  detail::arg(path, "path"));
    }

    /* Any jogg function shaped (const jogg_client *, inputs..., char **out, char **error_json):
     * returns *out as a string or throws Error; both strings are freed. */
    template <typename Fn, typename... In>
    std::string call(Fn fn, In... in) const {
        detail::Owned out;
        detail::Owned err;
        if (!store_) {
            detail::check(fn(handle_, in..., out.slot(), err.slot()), err);
            return out.str();
        }
        detail::store_failure() = nullptr;
        jogg_code rc = fn(handle_, in..., out.slot(), err.slot());
        std::exception_ptr thrown = std::exchange(detail::store_failure(), nullptr);
        if (rc == JOGG_ERR_LIMITER_STORE && thrown) {
            try {
                std::rethrow_exception(thrown);
            } catch (...) {
                std::throw_with_nested(Error(rc, err.str())); /* catch it as Error */
            }
        }
        detail::check(rc, err);
        return out.str();
    }

private:
    /* call() for a function that takes (..., jogg_progress_cb cb, void *userdata, out, err):
     * `progress` (may be empty) becomes the callback, and an exception it throws is rethrown
     * here once the library has returned. */
    template <typename Fn, typename... In>
    std::string call_with_progress(const Progress &progress, Fn fn, In... in) const {
        struct State {
            const Progress *progress;
            std::exception_ptr thrown;
        } state{&progress, nullptr};
        jogg_progress_cb cb = nullptr;
        if (progress) {
            cb = [](void *userdata, const char *event_json) noexcept -> std::int32_t {
                State *s = static_cast<State *>(userdata);
                try {
                    return (*s->progress)(event_json) ? 0 : 1;
                } catch (...) {
                    s->thrown = std::current_exception();
                    return 1;
                }
            };
        }
        try {
            return call(fn, in..., cb, static_cast<void *>(&state));
        } catch (const Error &) {
            if (state.thrown) {
                std::rethrow_exception(state.thrown); /* the caller's own exception, not CANCELLED */
            }
            throw;
        }
    }

    jogg_client *handle_ = nullptr;
    /* The log callable of jogg_client_new_with_log (NULL without one); handle_'s userdata. */
    std::unique_ptr<Log> log_;
    /* The store of jogg_client_new_with_post_limiter (NULL without one); handle_'s userdata. */
    std::shared_ptr<PostSlotStore> store_;
};

}  // namespace jogg

#endif /* JOGG_HPP */
