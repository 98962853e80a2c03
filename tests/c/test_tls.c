/*
 * The C ABI over HTTPS, against jogg-mock serving TLS with a CA of its own:
 *
 *     jogg-mock --tls --render-ms 300 -- ./build/test_tls
 *
 * The mock sets JOGG_BASE_URL (https://127.0.0.1:<port>), JOGG_API_KEY, and SSL_CERT_FILE and
 * JOGG_MOCK_CA_FILE to its CA certificate. Covered: the whole job (avatars, voices, create,
 * wait, download) with the CA found through SSL_CERT_FILE, as the system's trust store; the
 * CA given as `ca_file` alone; no CA trusted (JOGG_ERR_TLS, not retryable, nothing sent); a
 * CA file that does not exist. stdout gets one line, "N passed, M failed".
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jogg.h"

static int g_failures, g_passed, g_failed;

#define CHECK(cond, ...)                                                     \
    ((cond) ? 1 : (fprintf(stderr, "  %s:%d: check failed: ", __FILE__, __LINE__), \
                   fprintf(stderr, __VA_ARGS__), fputc('\n', stderr), g_failures++, 0))

static void run(const char *name, void (*test)(void)) {
    g_failures = 0;
    fprintf(stderr, "%s\n", name);
    test();
    if (g_failures) g_failed++;
    else g_passed++;
}

/* Copies the first string member `"name":"..."` of `json` into out (no escapes expected). */
static int string_member(const char *json, const char *name, char *out, size_t size) {
    char key[64];
    const char *start, *end;
    snprintf(key, sizeof key, "\"%s\":\"", name);
    start = json ? strstr(json, key) : NULL;
    if (!start) return 0;
    start += strlen(key);
    end = strchr(start, '"');
    if (!end || (size_t)(end - start) >= size) return 0;
    memcpy(out, start, (size_t)(end - start));
    out[end - start] = '\0';
    return 1;
}

static long int_member(const char *json, const char *name) {
    char key[64];
    const char *at;
    snprintf(key, sizeof key, "\"%s\":", name);
    at = json ? strstr(json, key) : NULL;
    return at ? strtol(at + strlen(key), NULL, 10) : -1;
}

static jogg_client *new_client(const char *config) {
    jogg_client *client = NULL;
    char *err = NULL;
    jogg_code rc = jogg_client_new(config, &client, &err);
    CHECK(rc == JOGG_OK, "jogg_client_new(%s): %s", config, err ? err : "?");
    jogg_string_free(err);
    return client;
}

/* The whole job over HTTPS; "{}" takes the base URL from JOGG_BASE_URL and trusts the
 * system's store, which SSL_CERT_FILE names. */
static void test_mission_trusting_ssl_cert_file(void) {
    jogg_client *client = new_client("{}");
    char *err = NULL, *avatars = NULL, *voices = NULL, *created = NULL, *project = NULL;
    char *saved = NULL, voice_id[128], project_id[128], video_url[512], request[1024];
    char path[256];
    long avatar_id;
    if (!client) return;
    CHECK(jogg_list_avatars(client, "{}", &avatars, &err) == JOGG_OK, "avatars: %s", err);
    avatar_id = int_member(avatars, "avatar_id");
    CHECK(jogg_list_voices(client, "{\"page_size\": 5}", &voices, &err) == JOGG_OK, "voices: %s",
          err);
    if (!CHECK(avatar_id >= 0 && string_member(voices, "voice_id", voice_id, sizeof voice_id),
               "an avatar and a voice"))
        goto done;
    snprintf(request, sizeof request,
             "{\"script\": \"Hello over TLS\", \"aspect_ratio\": 1, \"screen_style\": 1,"
             " \"avatar_id\": %ld, \"avatar_type\": 0, \"voice_id\": \"%s\"}",
             avatar_id, voice_id);
    if (!CHECK(jogg_create_talking_avatar_video(client, request, &created, &err) == JOGG_OK,
               "create: %s", err))
        goto done;
    string_member(created, "project_id", project_id, sizeof project_id);
    if (!CHECK(jogg_wait_for_project(client, project_id,
                                     "{\"initial_interval_ms\": 100, \"max_interval_ms\": 200}",
                                     NULL, NULL, &project, &err) == JOGG_OK,
               "wait: %s", err))
        goto done;
    if (!CHECK(string_member(project, "video_url", video_url, sizeof video_url) &&
                   strncmp(video_url, "https://127.0.0.1:", 18) == 0,
               "an https video_url in %s", project))
        goto done;
    snprintf(path, sizeof path, "/tmp/jogg-test-tls-%ld.mp4", (long)getpid());
    CHECK(jogg_download(client, video_url, path, NULL, NULL, &saved, &err) == JOGG_OK,
          "download: %s", err);
    CHECK(int_member(saved, "bytes") > 0, "bytes in %s", saved ? saved : "(null)");
    remove(path);
done:
    jogg_string_free(err);
    jogg_string_free(avatars);
    jogg_string_free(voices);
    jogg_string_free(created);
    jogg_string_free(project);
    jogg_string_free(saved);
    jogg_client_free(client);
}

/* The mock's CA as `ca_file`, and nothing else trusted. */
static void test_ca_file_only(void) {
    const char *ca = getenv("JOGG_MOCK_CA_FILE");
    char config[1024], *voices = NULL, *err = NULL;
    jogg_client *client;
    if (!CHECK(ca != NULL, "JOGG_MOCK_CA_FILE is set (run under jogg-mock --tls)")) return;
    snprintf(config, sizeof config, "{\"ca_file\": \"%s\", \"tls_roots\": \"ca_file_only\"}", ca);
    client = new_client(config);
    if (!client) return;
    CHECK(jogg_list_voices(client, "{}", &voices, &err) == JOGG_OK, "voices: %s", err);
    jogg_string_free(voices);
    jogg_string_free(err);
    jogg_client_free(client);
}

/* Only the bundled roots: the mock's CA is not among them. A create is refused at the
 * handshake: JOGG_ERR_TLS, not retryable, not maybe processed, naming the server. */
static void test_untrusted_server_is_a_tls_error(void) {
    jogg_client *client = new_client("{\"tls_roots\": \"bundled\"}");
    char *created = NULL, *err = NULL;
    const char *base = getenv("JOGG_BASE_URL");
    jogg_code rc;
    if (!client) return;
    rc = jogg_create_talking_avatar_video(
        client,
        "{\"script\": \"Hi\", \"aspect_ratio\": 1, \"screen_style\": 1, \"avatar_id\": 81,"
        " \"avatar_type\": 0, \"voice_id\": \"en-US-JennyNeural\"}",
        &created, &err);
    CHECK(rc == JOGG_ERR_TLS, "code %s: %s", jogg_code_name(rc), err ? err : "?");
    CHECK(created == NULL, "no result");
    CHECK(err && strstr(err, "\"name\":\"JOGG_ERR_TLS\""), "%s", err);
    CHECK(err && strstr(err, "\"retryable\":false"), "%s", err);
    CHECK(err && strstr(err, "\"maybe_processed\":false"), "%s", err);
    CHECK(err && strstr(err, "unknown issuer"), "%s", err);
    CHECK(err && base && strstr(err, base + strlen("https://")), "names the server: %s", err);
    jogg_string_free(err);
    jogg_client_free(client);
}

static void test_missing_ca_file_fails_the_client(void) {
    jogg_client *client = NULL;
    char *err = NULL;
    jogg_code rc = jogg_client_new("{\"ca_file\": \"/nonexistent/corp-ca.pem\"}", &client, &err);
    CHECK(rc == JOGG_ERR_INVALID_CONFIG, "code %s", jogg_code_name(rc));
    CHECK(client == NULL, "no client");
    CHECK(err && strstr(err, "\"field\":\"ca_file\""), "%s", err);
    jogg_string_free(err);
}

int main(void) {
    run("mission over HTTPS, CA from SSL_CERT_FILE", test_mission_trusting_ssl_cert_file);
    run("ca_file with ca_file_only", test_ca_file_only);
    run("untrusted server", test_untrusted_server_is_a_tls_error);
    run("missing ca_file", test_missing_ca_file_fails_the_client);
    printf("%d passed, %d failed\n", g_passed, g_failed);
    return g_failed ? 1 : 0;
}
