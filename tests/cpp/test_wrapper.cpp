// Tests of include/jogg.hpp, run against jogg-mock:
//
//     jogg-mock --render-ms 300 -- ./build/test_wrapper
//
// The mock sets JOGG_BASE_URL and JOGG_API_KEY. The tests of a POST limiter store start mocks
// of their own (with a POST limit, with faults): $JOGG_MOCK, else jogg-mock on PATH, as
// `make test-cpp` sets it. `make test-cpp` runs it again under
// `jogg-mock --tls`, so that every case also runs over HTTPS. Details of failures go to stderr; stdout gets
// one line, "N passed, M failed"; the exit status is non-zero when anything failed. Run under
// valgrind by `make check-memory`, which proves the wrapper frees every string it receives.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <regex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "jogg.hpp"

extern char **environ;

namespace {

int g_checks_failed;  // in the running test

bool check_at(const char *file, int line, bool ok, const std::string &what) {
    if (!ok) {
        ++g_checks_failed;
        std::cerr << "  " << file << ":" << line << ": check failed: " << what << "\n";
    }
    return ok;
}
#define CHECK(cond, what) check_at(__FILE__, __LINE__, (cond), (what))

// Runs `body`, which must throw jogg::Error; returns it (code -1 when nothing was thrown).
template <typename Body>
jogg::Error expect_error(Body body) {
    try {
        body();
    } catch (const jogg::Error &e) {
        return e;
    }
    return jogg::Error(-1, "{\"message\":\"no exception was thrown\"}");
}

const char *const kWait = R"({"timeout_ms": 20000, "initial_interval_ms": 20, "max_interval_ms": 100})";

jogg::Client mock_client() { return jogg::Client(R"({"proxy": "none"})"); }

// A talking-avatar request with the first avatar and voice of the catalogue.
std::string talking_request(const jogg::Client &client, const std::string &script) {
    std::string avatar = jogg::find_member(client.list_avatars(), "avatar_id").value_or("");
    std::string voice =
        jogg::find_member(client.list_voices(R"({"page_size": 1})"), "voice_id").value_or("");
    return R"({"script": ")" + script + R"(", "voice_id": ")" + voice + R"(", "avatar_id": )" +
           avatar + R"(, "avatar_type": 0, "screen_style": 1})";
}

// A project rendering on the mock.
std::string create_video(const jogg::Client &client, const std::string &script) {
    std::string created = client.create_talking_avatar_video(talking_request(client, script));
    return jogg::find_member(created, "project_id").value_or("");
}

bool contains(const std::string &text, const std::string &part) {
    return text.find(part) != std::string::npos;
}

void test_find_member() {
    const std::string json =
        R"({"a": {"b": "x\"y\\z\u00e9\ud83d\ude00\n"}, "b": 2, "list": [1, {"c": null}],)"
        R"( "d": "\"e\":1", "e": true, "obj": {"k": [1, 2]}, "": 5})";
    CHECK(jogg::find_member(json, "b") == std::string("x\"y\\z\xc3\xa9\xf0\x9f\x98\x80\n"),
          "nested string member, unescaped: " + jogg::find_member(json, "b").value_or("(none)"));
    CHECK(jogg::find_member(json, "e") == std::string("true"), "a member named inside a string value is not a member");
    CHECK(!jogg::find_member(json, "c").has_value(), "null is nullopt");
    CHECK(!jogg::find_member(json, "missing").has_value(), "absent is nullopt");
    CHECK(jogg::find_member(json, "obj") == std::string(R"({"k": [1, 2]})"), "objects come back as JSON text");
    CHECK(jogg::find_member(json, "") == std::string("5"), "the empty key is a key like any other");
    CHECK(!jogg::find_member(R"({"a": "unterminated)", "a").has_value() &&
              !jogg::find_member("", "a").has_value() && !jogg::find_member("[", "a").has_value(),
          "malformed or truncated JSON finds nothing (and does not crash)");
}

void test_version() {
    CHECK(jogg::version() == std::string("jogg/") + JOGG_VERSION_STRING, jogg::version());
}

void test_config_error() {
    jogg::Error e = expect_error([] { jogg::Client client(R"({"bogus": 1})"); });
    CHECK(e.code() == JOGG_ERR_INVALID_CONFIG, e.json());
    CHECK(e.name() == "JOGG_ERR_INVALID_CONFIG", e.name());
    CHECK(e.field() == "bogus", "field: " + e.field());
    CHECK(std::string(e.what()).find("bogus") != std::string::npos, e.what());
    CHECK(e.request_id().empty(), "nothing was sent, so no request id");
    bool as_runtime_error = false;
    try {
        jogg::Client client("not json");
    } catch (const std::runtime_error &) {
        as_runtime_error = true;
    }
    CHECK(as_runtime_error, "jogg::Error is caught as std::runtime_error");
}

void test_move_only_handle() {
    jogg::Client a = mock_client();
    const jogg_client *raw = a.get();
    jogg::Client b = std::move(a);
    CHECK(a.get() == nullptr && b.get() == raw, "the handle moves with the object");
    CHECK(b.list_voices().find("\"voices\"") != std::string::npos, "moved-to client works");
    jogg::Error e = expect_error([&] { a.list_voices(); });
    CHECK(e.code() == JOGG_ERR_NULL_ARGUMENT && e.field() == "client",
          "a moved-from client reports NULL_ARGUMENT, not a crash: " + e.json());
    jogg::Client c = mock_client();
    c = std::move(b);  // frees c's own handle (valgrind checks), takes b's
    CHECK(c.get() == raw && b.get() == nullptr, "move assignment transfers the handle");
}

void test_validation_names_the_field() {
    jogg::Client client = mock_client();
    jogg::Error e = expect_error([&] {
        client.create_talking_avatar_video(
            R"({"script": "hi", "voice_id": "v", "avtar_id": 1, "avatar_type": 0})");
    });
    CHECK(e.code() == JOGG_ERR_VALIDATION && e.field() == "avtar_id", e.json());
    CHECK(e.request_id().empty(), "validation fails before anything is sent");
}

void test_api_errors_carry_request_id() {
    jogg::Client client = mock_client();
    jogg::Error e = expect_error([&] { client.get_project("no-such-project"); });
    CHECK(e.code() == JOGG_ERR_NOT_FOUND && e.name() == "JOGG_ERR_NOT_FOUND", e.json());
    CHECK(!e.request_id().empty(), "request id from the API: " + e.json());

    const std::string key = "sentinel-key-7f3a";
    jogg::Client wrong(R"({"proxy": "none", "api_key": ")" + key + R"("})");
    jogg::Error auth = expect_error([&] { wrong.list_voices(); });
    CHECK(auth.code() == JOGG_ERR_AUTH && !auth.request_id().empty(), auth.json());
    CHECK(auth.json().find(key) == std::string::npos && std::string(auth.what()).find(key) == std::string::npos,
          "the API key never appears in an error");
}

void test_create_and_wait_with_progress() {
    jogg::Client client = mock_client();
    std::string id = create_video(client, "Hello from C++");
    if (!CHECK(!id.empty(), "no project id")) {
        return;
    }
    std::vector<std::string> statuses;
    std::string project = client.wait_for_project(id, kWait, [&](const std::string &event) {
        statuses.push_back(jogg::find_member(event, "status").value_or("?"));
        return true;
    });
    CHECK(jogg::find_member(project, "status_code") == std::string("4"), project);
    // http:// from a plain mock, https:// from `jogg-mock --tls`.
    const std::string base = std::getenv("JOGG_BASE_URL");
    const std::string scheme = base.substr(0, base.find("://") + 3);
    CHECK(jogg::find_member(project, "video_url").value_or("").rfind(scheme + "127.0.0.1:", 0) == 0, project);
    CHECK(!statuses.empty() && statuses.back() == "succeeded",
          "progress ends with succeeded, got " + std::to_string(statuses.size()) + " events");
    // The generic call reaches the same C function as the named method.
    CHECK(client.call(jogg_get_project, id.c_str()) == client.get_project(id), "call() == get_project()");
    // No callback at all is fine too.
    CHECK(jogg::find_member(client.wait_for_project(id, kWait), "status_code") == std::string("4"),
          "wait without a callback");
}

void test_callback_cancels() {
    jogg::Client client = mock_client();
    std::string id = create_video(client, "cancelled");
    int calls = 0;
    jogg::Error e = expect_error([&] {
        client.wait_for_project(id, kWait, [&](const std::string &) {
            ++calls;
            return false;
        });
    });
    CHECK(e.code() == JOGG_ERR_CANCELLED && e.task_id() == id, e.json());
    CHECK(calls == 1, "one event, then cancelled: " + std::to_string(calls));
}

void test_callback_exception_is_rethrown() {
    jogg::Client client = mock_client();
    std::string id = create_video(client, "thrown");
    int calls = 0;
    std::string caught;
    try {
        client.wait_for_project(id, kWait, [&](const std::string &) -> bool {
            ++calls;
            throw std::logic_error("stop here");
        });
    } catch (const std::logic_error &e) {
        caught = e.what();
    } catch (const jogg::Error &e) {
        caught = std::string("jogg::Error ") + e.name();
    }
    CHECK(caught == "stop here", "the callback's own exception reaches the caller: " + caught);
    CHECK(calls == 1, "the wait stopped at the exception");
    // The client is still fine afterwards.
    CHECK(jogg::find_member(client.get_project(id), "id") == id, "client usable after the exception");
}

void test_threads_share_one_client() {
    const jogg::Client client = mock_client();
    std::atomic<int> ok{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 5; ++i) {
                try {
                    if (client.list_voices(R"({"page_size": 2})").find("voice_id") != std::string::npos) {
                        ++ok;
                    }
                } catch (const jogg::Error &e) {
                    std::cerr << "  thread: " << e.json() << "\n";
                }
            }
        });
    }
    for (std::thread &t : threads) {
        t.join();
    }
    CHECK(ok == 20, "20 calls from 4 threads, " + std::to_string(ok.load()) + " succeeded");
}

void test_call_any_operation() {
    jogg::Client client = mock_client();
    std::string ops = jogg::operations();
    CHECK(contains(ops, R"("name":"v2.get_current_user")") && contains(ops, R"("name":"v1.get_project")"),
          "operations lists them");
    CHECK(jogg::find_member(client.call_operation("v2.get_current_user"), "username") ==
              std::string("jogg-mock"),
          "call_operation reaches the API");
    std::string all = client.call_operation("v2.list_voices", R"({"all_pages": true})");
    CHECK(jogg::find_member(all, "pages").value_or("0") != "0" && contains(all, "voice_id"), all);
    jogg::Error e = expect_error([&] { client.call_operation("v9.nothing"); });
    CHECK(e.code() == JOGG_ERR_UNKNOWN_OPERATION, e.json());
}

void test_wait_any_task_and_many() {
    jogg::Client client = mock_client();
    std::string first = create_video(client, "one");
    std::string second = create_video(client, "two");
    int events = 0;
    std::string done = client.wait("v1.get_project", first, kWait, [&](const std::string &) {
        ++events;
        return true;
    });
    CHECK(jogg::find_member(done, "status") == std::string("succeeded") &&
              jogg::find_member(done, "status_code") == std::string("4") && events > 0,
          done);
    std::string results = client.wait_many(
        R"([{"operation": "v1.get_project", "id": ")" + second +
            R"("}, {"operation": "v1.get_project", "id": "no-such-project"}])",
        kWait);
    CHECK(contains(results, R"("ok":true)") && contains(results, R"("ok":false)") &&
              contains(results, "JOGG_ERR_NOT_FOUND") && contains(results, second),
          results);
}

void test_call_and_wait_and_generate() {
    jogg::Client client = mock_client();
    std::string request = talking_request(client, "created and awaited");
    std::string done = client.call_and_wait("v1.create_video_from_talking_avatar", request, kWait);
    CHECK(jogg::find_member(done, "status") == std::string("succeeded") &&
              jogg::find_member(done, "project_id") == jogg::find_member(done, "id"),
          done);
    std::string last;
    std::string project = client.generate_talking_avatar_video(request, kWait, [&](const std::string &e) {
        last = e;
        return true;
    });
    CHECK(jogg::find_member(project, "status_code") == std::string("4") &&
              jogg::find_member(last, "status") == std::string("succeeded"),
          project + " / " + last);
}

void test_upload_and_download() {
    namespace fs = std::filesystem;
    jogg::Client client = mock_client();
    fs::path dir = fs::temp_directory_path() /
                   ("jogg-cpp-" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
    fs::create_directories(dir);
    const std::string data(120000, 'j');
    std::ofstream(dir / "clip.mp4", std::ios::binary) << data;
    int sent = 0;
    std::string uploaded = client.upload_asset((dir / "clip.mp4").string(), R"({"version": "v1"})",
                                               [&](const std::string &) {
                                                   ++sent;
                                                   return true;
                                               });
    CHECK(jogg::find_member(uploaded, "bytes") == std::to_string(data.size()) &&
              jogg::find_member(uploaded, "content_type") == std::string("video/mp4") && sent > 1,
          uploaded);
    jogg::Error cancelled = expect_error([&] {
        client.upload_asset((dir / "clip.mp4").string(), "{}", [](const std::string &) { return false; });
    });
    CHECK(cancelled.code() == JOGG_ERR_CANCELLED, cancelled.json());
    int events = 0;
    std::string done = client.download(jogg::find_member(uploaded, "asset_url").value_or(""),
                                       (dir / "copy.mp4").string(), [&](const std::string &) {
                                           ++events;
                                           return true;
                                       });
    std::ifstream copy(dir / "copy.mp4", std::ios::binary);
    std::string copied((std::istreambuf_iterator<char>(copy)), std::istreambuf_iterator<char>());
    CHECK(copied == data && events > 0 && jogg::find_member(done, "bytes") == std::to_string(data.size()),
          done);
    jogg::Error e = expect_error([&] { client.upload_asset((dir / "missing.png").string()); });
    CHECK(e.code() == JOGG_ERR_IO && e.name() == "JOGG_ERR_IO" && e.field() == "path", e.json());
    fs::remove_all(dir);
}

// RFC 4231 test case 2, and a v2 failure event signed with "whsec_test" (as tests/c/test_abi.c).
const char *const kRfcBody = "what do ya want for nothing?";
const char *const kRfcSig = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
const char *const kEventBody =
    R"({"event_id":"evt_c","event":"generated_avatar_video_failed","timestamp":1732806631,)"
    R"("data":{"video_id":"v-9","status":"failed","error":{"code":50000,"message":"render crashed"}}})";
const char *const kEventSig = "eebcc71e5d2172437926ac3fa2609c833f84eeb508b8954e378881e4ae1ee146";

void test_webhook_verify_and_parse() {
    CHECK(jogg::webhook_verify(kRfcBody, std::string(kRfcSig), "Jefe"), "valid signature");
    CHECK(!jogg::webhook_verify(std::string(kRfcBody) + " ", std::string(kRfcSig), "Jefe"), "other body");
    CHECK(!jogg::webhook_verify(kRfcBody, std::nullopt, "Jefe"), "no signature header");
    jogg::Error e = expect_error([] { jogg::webhook_verify(kRfcBody, std::string(kRfcSig), ""); });
    CHECK(e.code() == JOGG_ERR_VALIDATION, "empty secret: " + e.name());
    std::string event = jogg::webhook_parse(kEventBody, std::string(kEventSig), "whsec_test");
    CHECK(jogg::find_member(event, "task_kind") == std::string("avatar_video") &&
              jogg::find_member(event, "event_id") == std::string("evt_c") &&
              contains(event, R"("error":"render crashed")"),
          event);
    e = expect_error([] { jogg::webhook_parse(kEventBody, std::string(kEventSig), "whsec_other"); });
    CHECK(e.code() == JOGG_ERR_SIGNATURE && e.name() == "JOGG_ERR_SIGNATURE", e.json());
}

// README.md shows this function, word for word (make test checks it).
// In your HTTP handler, whatever the library: the raw body and the X-Webhook-Signature
// header (nullopt when absent) go to the client, which wakes the waits on the task.
int on_webhook(const jogg::Client &client, std::string_view body,
               const std::optional<std::string> &signature) {
    try {
        client.webhook_deliver(body, signature);
        return 200;  // a repeat too ("duplicate": true), or the sender retries
    } catch (const jogg::Error &e) {
        return e.code() == JOGG_ERR_SIGNATURE ? 401 : 400;
    }
}

void test_webhook_deliver() {
    jogg::Client client(R"({"webhook_secrets": ["whsec_test"]})");
    CHECK(on_webhook(client, kEventBody, std::string(kEventSig)) == 200, "delivered");
    std::string again = client.webhook_deliver(kEventBody, std::string(kEventSig));
    CHECK(contains(again, R"("duplicate":true)") && contains(again, R"("woken":0)"), again);
    CHECK(on_webhook(client, kEventBody, std::nullopt) == 401, "no signature");
    CHECK(on_webhook(client, kEventBody, std::string(kRfcSig)) == 401, "wrong signature");
    CHECK(on_webhook(client, std::string(JOGG_MAX_DELIVERY_BYTES + 1, ' '), std::string(kEventSig)) == 400,
          "oversized");
    CHECK(on_webhook(mock_client(), kEventBody, std::string(kEventSig)) == 401, "a client without secrets");
    // The delivery came before the wait: the wait ends at once, failed as the event says.
    std::string source;
    jogg::Error e = expect_error([&] {
        client.wait("v2.get_avatar_video", "v-9", "{}", [&](const std::string &event) {
            source = jogg::find_member(event, "source").value_or("");
            return true;
        });
    });
    CHECK(e.code() == JOGG_ERR_TASK_FAILED && e.task_id() == "v-9" && source == "webhook", e.json());
}

void test_create_webhook_endpoint() {
    jogg::Client client = mock_client();
    std::string endpoint = client.create_webhook_endpoint(
        R"({"url": "https://example.com/hook", "events": ["generated_video_success"]})");
    CHECK(jogg::find_member(endpoint, "secret").value_or("").size() >= 8 &&
              jogg::find_member(endpoint, "status") == std::string("enabled"),
          "endpoint with its secret");
    jogg::Error e = expect_error([&] { client.create_webhook_endpoint(R"({"events": []})"); });
    CHECK(e.code() == JOGG_ERR_VALIDATION && e.field() == "url", e.json());
}

// Log lines gathered from any thread.
struct LogLines {
    std::mutex lock;
    std::vector<std::pair<int, std::string>> lines;

    jogg::Client::Log callback() {
        return [this](int level, std::string_view line) {
            std::lock_guard<std::mutex> guard(lock);
            lines.emplace_back(level, std::string(line));
        };
    }
};

void test_log_callback() {
    LogLines log;
    jogg::Client client(R"({"proxy": "none"})", log.callback());
    // The callable moves with the client: the C side's userdata stays valid.
    jogg::Client moved = std::move(client);
    CHECK(contains(moved.list_voices(R"({"page_size": 1})"), "voice_id"), "request through a logged client");
    std::lock_guard<std::mutex> guard(log.lock);
    const char *key = std::getenv("JOGG_API_KEY");
    bool info = false, debug = false, path = false, other_level = false, leaked = false;
    for (const auto &[level, line] : log.lines) {
        info |= level == JOGG_LOG_INFO;
        debug |= level == JOGG_LOG_DEBUG;
        other_level |= level != JOGG_LOG_INFO && level != JOGG_LOG_DEBUG;
        path |= contains(line, "/v1/voices");
        leaked |= key != nullptr && *key != '\0' && contains(line, key);
    }
    CHECK(info && debug, "info and debug lines (no \"log\" in the config: debug), " +
                             std::to_string(log.lines.size()) + " lines");
    CHECK(!other_level, "levels are JOGG_LOG_INFO or JOGG_LOG_DEBUG");
    CHECK(path, "a line names the path: " + (log.lines.empty() ? std::string("(none)") : log.lines[0].second));
    CHECK(key != nullptr && !leaked, "the API key never appears in a line");
    // An empty callable is plain jogg_client_new.
    jogg::Client quiet(R"({"proxy": "none"})", jogg::Client::Log());
    CHECK(contains(quiet.list_voices(R"({"page_size": 1})"), "voice_id"), "empty log callable");
    jogg::Error e = expect_error([] { jogg::Client bad(R"({"log": "loud"})", [](int, std::string_view) {}); });
    CHECK(e.code() == JOGG_ERR_INVALID_CONFIG && e.field() == "log", e.json());
}

void test_log_callback_exception_is_dropped() {
    std::atomic<int> calls{0};
    jogg::Client client(R"({"proxy": "none", "log": "info"})", [&](int, std::string_view) {
        ++calls;
        throw std::runtime_error("not here");
    });
    std::string voices;
    try {
        voices = client.list_voices(R"({"page_size": 1})");
    } catch (const std::exception &e) {
        voices = std::string("thrown: ") + e.what();
    }
    CHECK(contains(voices, "voice_id"), "the request succeeds despite the throwing callback: " + voices);
    CHECK(calls == 1, "one info line, one call: " + std::to_string(calls.load()));
}

// ca_file and tls_roots reach the library through the config JSON. Under `jogg-mock --tls`
// (JOGG_MOCK_CA_FILE set): the mock's CA as ca_file alone is enough, the bundled roots alone
// refuse it. Under either mock: "ca_file_only" without a ca_file is a config error.
void test_tls_trust_from_config() {
    jogg::Error e = expect_error([] { jogg::Client bad(R"({"tls_roots": "ca_file_only"})"); });
    CHECK(e.code() == JOGG_ERR_INVALID_CONFIG && e.field() == "tls_roots", e.json());
    const char *ca = std::getenv("JOGG_MOCK_CA_FILE");
    if (ca == nullptr) {
        return;
    }
    jogg::Client trusting(std::string(R"({"proxy": "none", "tls_roots": "ca_file_only", "ca_file": ")") +
                          ca + R"("})");
    CHECK(contains(trusting.list_voices(R"({"page_size": 1})"), "voice_id"), "voices over TLS");
    jogg::Client untrusting(R"({"proxy": "none", "tls_roots": "bundled"})");
    e = expect_error([&] { untrusting.list_voices(R"({"page_size": 1})"); });
    CHECK(e.code() == JOGG_ERR_TLS && e.name() == "JOGG_ERR_TLS", e.json());
    CHECK(contains(e.json(), "unknown issuer") && contains(e.json(), "\"retryable\":false"), e.json());
}

// A string holding a NUL byte would reach C cut short: refused naming the argument, as the
// library refuses input it cannot read; an empty one goes to the library, which names it too.
void test_arguments_with_a_nul_byte_are_refused_by_name() {
    jogg::Client client = mock_client();
    jogg::Error e = expect_error([&] { client.get_project(std::string("abc\0def", 7)); });
    CHECK(e.code() == JOGG_ERR_VALIDATION && e.field() == "project_id", e.json());
    CHECK(jogg::find_member(e.json(), "fields").value_or("") == R"(["project_id"])", e.json());
    CHECK(std::string(e.what()).find("NUL") != std::string::npos, e.what());
    e = expect_error([&] { client.call_operation("v1.list_voices", std::string("{}\0", 3)); });
    CHECK(e.code() == JOGG_ERR_VALIDATION && e.field() == "request_json", e.json());
    e = expect_error([&] { client.get_project(""); });
    CHECK(e.code() == JOGG_ERR_VALIDATION && e.field() == "project_id", e.json());
    e = expect_error([&] { client.create_talking_avatar_video(R"({"script": "Hello"})"); });
    CHECK(jogg::find_member(e.json(), "fields").value_or("") ==
              R"(["screen_style","avatar_id","avatar_type","voice_id"])",
          e.json());
}


// ---------------------------------------------------------------------------------------------
// A POST limiter store of the caller's own: jogg::Client(config_json, store).

// A jogg-mock of the test's own, started with `options` ($JOGG_MOCK, else jogg-mock on PATH)
// and killed when this goes out of scope.
class OwnMock {
public:
    explicit OwnMock(const std::vector<std::string> &options) {
        const char *binary = std::getenv("JOGG_MOCK");
        std::vector<std::string> args{binary != nullptr ? binary : "jogg-mock"};
        args.insert(args.end(), options.begin(), options.end());
        std::vector<char *> argv;
        for (std::string &arg : args) {
            argv.push_back(arg.data());
        }
        argv.push_back(nullptr);
        int fds[2];
        if (pipe(fds) != 0) {
            throw std::runtime_error("pipe failed");
        }
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, fds[1], 2);
        posix_spawn_file_actions_addclose(&actions, fds[0]);
        posix_spawn_file_actions_addclose(&actions, fds[1]);
        int rc = posix_spawnp(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        close(fds[1]);
        stderr_ = fds[0];
        if (rc != 0) {
            pid_ = -1;
            close(stderr_);
            throw std::runtime_error("cannot start " + args[0] + ": set JOGG_MOCK");
        }
        // Its first line, on stderr: "jogg-mock listening on http://127.0.0.1:PORT".
        std::string line;
        char c;
        while (read(stderr_, &c, 1) == 1 && c != '\n') {
            line += c;
        }
        const std::string banner = "jogg-mock listening on ";
        if (line.rfind(banner, 0) != 0) {
            stop();
            throw std::runtime_error(args[0] + " said: " + line);
        }
        base_ = line.substr(banner.size());
    }
    ~OwnMock() { stop(); }
    OwnMock(const OwnMock &) = delete;
    OwnMock &operator=(const OwnMock &) = delete;

    const std::string &base() const { return base_; }

    // The body of GET `path` from its control API, over a plain socket.
    std::string get(const std::string &path) const {
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(static_cast<std::uint16_t>(std::stoi(base_.substr(base_.rfind(':') + 1))));
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        if (fd < 0 || connect(fd, reinterpret_cast<const sockaddr *>(&addr), sizeof addr) != 0) {
            if (fd >= 0) {
                close(fd);
            }
            throw std::runtime_error("cannot reach " + base_);
        }
        const std::string request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
        std::string reply;
        char buf[4096];
        ssize_t n = send(fd, request.data(), request.size(), 0);
        while (n > 0 && (n = read(fd, buf, sizeof buf)) > 0) {
            reply.append(buf, static_cast<std::size_t>(n));
        }
        close(fd);
        std::size_t body = reply.find("\r\n\r\n");
        if (reply.rfind("HTTP/1.1 200", 0) != 0 || body == std::string::npos) {
            throw std::runtime_error("GET " + path + ": " + reply);
        }
        return reply.substr(body + 4);
    }

private:
    void stop() {
        if (pid_ > 0) {  // never kill(-1, ...): that is every process of ours
            kill(pid_, SIGKILL);
            waitpid(pid_, nullptr, 0);
            pid_ = -1;
        }
        close(stderr_);
        stderr_ = -1;
    }

    pid_t pid_ = -1;
    int stderr_ = -1;  // kept open while the mock runs: it may still write there
    std::string base_;
};

// A client of `mock`, paced at 3 POSTs a second as the mock counts them, with no retry: a 429
// would fail the create instead of being waited out.
std::string limited_config(const OwnMock &mock, const std::string &more = "") {
    return R"({"base_url": ")" + mock.base() +
           R"(", "api_key": "jogg-mock-key", "proxy": "none", "max_retries": 0, "timeout_ms": 5000,)"
           R"( "post_limit": 3, "post_window_ms": 1000)" + more + "}";
}

const char *const kCreate = R"({"script": "Hello!", "avatar_id": 81, "avatar_type": 0,)"
                            R"( "voice_id": "en-US-ChristopherNeural", "screen_style": 1})";

std::size_t occurrences(const std::string &text, const std::string &part) {
    std::size_t n = 0;
    for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) {
        ++n;
    }
    return n;
}

// A store of the caller's own: a sliding log of slots in memory, as a program would keep in a
// database, with a record of what it was asked. Read the records once the clients are done.
class MemoryStore : public jogg::PostSlotStore {
public:
    using Clock = std::chrono::steady_clock;
    struct Slot {
        std::string id, key_id;
        std::uint32_t limit;
        std::chrono::milliseconds hold;
    };

    std::chrono::nanoseconds acquire(const jogg::PostSlot &slot) override {
        std::lock_guard<std::mutex> lock(mu_);
        if (fail) {
            throw std::runtime_error("the coordination service is offline");
        }
        Clock::time_point now = Clock::now();
        if (now < paused_to_) {
            ++waits;
            return paused_to_ - now;
        }
        Clock::time_point first = Clock::time_point::max();
        for (auto it = expiry_.begin(); it != expiry_.end();) {
            if (it->second <= now) {
                it = expiry_.erase(it);
            } else {
                first = std::min(first, it->second);
                ++it;
            }
        }
        if (expiry_.size() >= slot.limit) {
            ++waits;
            return first - now;
        }
        expiry_[std::string(slot.id)] = now + slot.hold;
        acquired.push_back({std::string(slot.id), std::string(slot.key_id), slot.limit, slot.hold});
        return std::chrono::milliseconds(0);
    }
    void release(const jogg::PostSlot &slot) override {
        std::lock_guard<std::mutex> lock(mu_);
        auto held = expiry_.find(std::string(slot.id));
        if (held != expiry_.end()) {
            held->second = Clock::now() + slot.hold;
        }
        released.push_back({std::string(slot.id), std::string(slot.key_id), slot.limit, slot.hold});
    }
    void cooldown(std::string_view key_id, std::chrono::milliseconds pause) override {
        std::lock_guard<std::mutex> lock(mu_);
        paused_to_ = std::max(paused_to_, Clock::now() + pause);
        cooldowns.emplace_back(std::string(key_id) + " " + std::to_string(pause.count()));
    }

    std::atomic<bool> fail{false};  // acquire throws while set
    std::vector<Slot> acquired, released;
    std::vector<std::string> cooldowns;  // "KEY_ID PAUSE_MS"
    int waits = 0;

private:
    std::mutex mu_;
    std::map<std::string, Clock::time_point> expiry_;  // slot id: until when it is held
    Clock::time_point paused_to_;
};

// Two clients share one store: together they keep to the mock's 3 POSTs a second, which
// counting apart (3 each) would break.
void test_clients_share_a_store_of_their_own() {
    OwnMock mock({"--render-ms", "300", "--post-limit", "3", "--post-window-ms", "1000"});
    auto store = std::make_shared<MemoryStore>();
    {
        jogg::Client a(limited_config(mock), store);
        jogg::Client b(limited_config(mock), store);
        std::vector<std::thread> workers;
        std::mutex mu;
        std::vector<std::string> failures;
        for (int i = 0; i < 6; ++i) {
            workers.emplace_back([&, i] {
                try {
                    (i % 2 == 0 ? a : b).create_talking_avatar_video(kCreate);
                } catch (const jogg::Error &e) {  // a 429 among them: max_retries is 0
                    std::lock_guard<std::mutex> lock(mu);
                    failures.push_back(e.json());
                }
            });
        }
        for (std::thread &w : workers) {
            w.join();
        }
        CHECK(failures.empty(), "creates failed: " + (failures.empty() ? "" : failures[0]));
    }
    std::string posts = mock.get("/_mock/requests?method=POST");
    // The mock answers its own rate limit as the API does: HTTP 200, the envelope's code 429.
    CHECK(jogg::find_member(posts, "count") == std::string("6") &&
              occurrences(posts, "\"http_status\":200,\"api_code\":0,") == 6,
          "the mock answered: " + posts);
    CHECK(store->acquired.size() == 6 && store->released.size() == 6,
          std::to_string(store->acquired.size()) + " taken, " + std::to_string(store->released.size()) +
              " released");
    CHECK(store->waits > 0, "no create was told to wait: the two clients did not count together");
    std::map<std::string, int> taken;
    for (const MemoryStore::Slot &s : store->acquired) {
        ++taken[s.id];
        CHECK(s.key_id == store->acquired[0].key_id && std::regex_match(s.key_id, std::regex("[0-9a-f]{32}")),
              "key id " + s.key_id);
        CHECK(s.limit == 3 && s.hold == std::chrono::milliseconds(6020),
              "limit " + std::to_string(s.limit) + ", lease (timeout + window + margin) " +
                  std::to_string(s.hold.count()));
    }
    for (const MemoryStore::Slot &s : store->released) {
        CHECK(taken[s.id]-- == 1, "released a slot not taken, or twice: " + s.id);
        CHECK(s.hold == std::chrono::milliseconds(1020), "hold (window + margin) " + std::to_string(s.hold.count()));
    }
    CHECK(taken.size() == 6 && store->cooldowns.empty(), "slot ids not unique, or a cooldown");
}

// A store that throws: the POST is not sent, and the method throws Error
// JOGG_ERR_LIMITER_STORE naming the store, with the store's exception nested in it.
void test_failing_store_throws_limiter_store() {
    OwnMock mock({"--render-ms", "300"});
    auto store = std::make_shared<MemoryStore>();
    jogg::Client first(limited_config(mock), store);
    jogg::Client client = std::move(first);  // the store moves with the handle
    store->fail = true;
    std::string inner;
    try {
        client.create_talking_avatar_video(kCreate);
        CHECK(false, "no exception was thrown");
    } catch (const jogg::Error &e) {
        CHECK(e.code() == JOGG_ERR_LIMITER_STORE && e.field() == "post_limit_scope", e.json());
        CHECK(contains(e.what(), "jogg_client_new_with_post_limiter"), e.what());
        try {
            std::rethrow_if_nested(e);
        } catch (const std::runtime_error &cause) {
            inner = cause.what();
        }
    }
    CHECK(inner == "the coordination service is offline", "nested: " + inner);
    // GETs do not ask the store, nor carry an old failure.
    bool nested = true;
    try {
        client.get_project("none");
    } catch (const jogg::Error &e) {
        nested = dynamic_cast<const std::nested_exception *>(&e) != nullptr;
    }
    CHECK(!nested, "a GET's error carries a store's exception");
    CHECK(jogg::find_member(mock.get("/_mock/requests?method=POST"), "count") == std::string("0"),
          "a POST was sent although the store failed");
    // With post_limit_fallback "process", the POST is counted in the process instead.
    jogg::Client fallback(limited_config(mock, R"(, "post_limit_fallback": "process")"), store);
    CHECK(contains(fallback.create_talking_avatar_video(kCreate), "project_id"), "fallback create");
    jogg::Error e = expect_error([] { jogg::Client c("{}", std::shared_ptr<jogg::PostSlotStore>()); });
    CHECK(e.code() == JOGG_ERR_NULL_ARGUMENT && e.field() == "store", e.json());
    e = expect_error([&] { jogg::Client c(limited_config(mock, R"(, "post_limit_scope": "host")"), store); });
    CHECK(e.code() == JOGG_ERR_INVALID_CONFIG && e.field() == "post_limit_scope", e.json());
}

// A 429 with Retry-After on a POST reaches the store's cooldown(), for the key its slots count.
void test_store_cooldown_on_a_429() {
    OwnMock mock({"--render-ms", "300", "--fault", "POST * http429;retry_after=2;times=1"});
    auto store = std::make_shared<MemoryStore>();
    jogg::Client client(limited_config(mock), store);
    jogg::Error e = expect_error([&] { client.create_talking_avatar_video(kCreate); });
    CHECK(e.code() == JOGG_ERR_RATE_LIMITED &&
              jogg::find_member(e.json(), "retry_after_ms") == std::string("2000"),
          e.json());
    CHECK(store->acquired.size() == 1 && store->released.size() == 1, "one slot taken and released");
    CHECK(store->cooldowns.size() == 1 && !store->acquired.empty() &&
              store->cooldowns[0] == store->acquired[0].key_id + " 2000",
          "cooldowns: " + (store->cooldowns.empty() ? std::string("none") : store->cooldowns[0]));
}

}  // namespace

int main() {
    if (std::getenv("JOGG_BASE_URL") == nullptr) {
        std::cerr << "JOGG_BASE_URL is not set: run me as `jogg-mock -- test_wrapper`\n";
        return 2;
    }
    struct Case {
        const char *name;
        void (*fn)();
    } cases[] = {
        {"find_member", test_find_member},
        {"version", test_version},
        {"config_error", test_config_error},
        {"move_only_handle", test_move_only_handle},
        {"validation_names_the_field", test_validation_names_the_field},
        {"api_errors_carry_request_id", test_api_errors_carry_request_id},
        {"create_and_wait_with_progress", test_create_and_wait_with_progress},
        {"callback_cancels", test_callback_cancels},
        {"callback_exception_is_rethrown", test_callback_exception_is_rethrown},
        {"threads_share_one_client", test_threads_share_one_client},
        {"call_any_operation", test_call_any_operation},
        {"wait_any_task_and_many", test_wait_any_task_and_many},
        {"webhook_deliver", test_webhook_deliver},
        {"call_and_wait_and_generate", test_call_and_wait_and_generate},
        {"upload_and_download", test_upload_and_download},
        {"webhook_verify_and_parse", test_webhook_verify_and_parse},
        {"create_webhook_endpoint", test_create_webhook_endpoint},
        {"log_callback", test_log_callback},
        {"log_callback_exception_is_dropped", test_log_callback_exception_is_dropped},
        {"tls_trust_from_config", test_tls_trust_from_config},
        {"arguments_with_a_nul_byte_are_refused_by_name",
         test_arguments_with_a_nul_byte_are_refused_by_name},
        {"clients_share_a_store_of_their_own", test_clients_share_a_store_of_their_own},
        {"failing_store_throws_limiter_store", test_failing_store_throws_limiter_store},
        {"store_cooldown_on_a_429", test_store_cooldown_on_a_429},
    };
    int passed = 0, failed = 0;
    for (const Case &c : cases) {
        g_checks_failed = 0;
        std::cerr << "[ RUN  ] " << c.name << "\n";
        try {
            c.fn();
        } catch (const std::exception &e) {
            check_at(__FILE__, __LINE__, false, std::string("unexpected exception: ") + e.what());
        }
        (g_checks_failed == 0 ? passed : failed)++;
        std::cerr << (g_checks_failed == 0 ? "[  OK  ] " : "[ FAIL ] ") << c.name << "\n";
    }
    std::cout << passed << " passed, " << failed << " failed\n";
    return failed == 0 && passed > 0 ? 0 : 1;
}
