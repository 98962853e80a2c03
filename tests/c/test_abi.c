/*
 * C ABI tests for libjogg, run against jogg-mock:
 *
 *     jogg-mock --render-ms 300 -- ./build/test_abi
 *
 * The mock sets JOGG_BASE_URL and JOGG_API_KEY; clients made with {"proxy":"none"} pick them
 * up. Every string the library returns is freed with jogg_string_free, so valgrind and ASan
 * runs double as leak checks of the ownership rules. Progress and failure details go to
 * stderr; stdout gets exactly one line, "N passed, M failed" (test functions, not checks).
 */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "jogg.h"

/* ---------------------------------------------------------------------------------------- */
/* A tiny assertion framework. CHECK may be called from any thread.                          */

static pthread_mutex_t g_check_lock = PTHREAD_MUTEX_INITIALIZER;
static int g_case_failures; /* failed checks in the running test function */

static int check_at(const char *file, int line, int ok, const char *fmt, ...) {
    if (ok) {
        return 1;
    }
    pthread_mutex_lock(&g_check_lock);
    g_case_failures++;
    fprintf(stderr, "  %s:%d: check failed: ", file, line);
    {
        va_list ap;
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
    }
    fputc('\n', stderr);
    pthread_mutex_unlock(&g_check_lock);
    return 0;
}

/* CHECK(condition, printf-format, args...): records file:line and the message on failure;
 * evaluates to the condition so a test can stop early when later steps depend on it. */
#define CHECK(...) check_at(__FILE__, __LINE__, __VA_ARGS__)

static int g_passed, g_failed;

static void run_test(const char *name, void (*fn)(void)) {
    g_case_failures = 0;
    fprintf(stderr, "[ RUN  ] %s\n", name);
    fn();
    if (g_case_failures == 0) {
        g_passed++;
        fprintf(stderr, "[  OK  ] %s\n", name);
    } else {
        g_failed++;
        fprintf(stderr, "[ FAIL ] %s (%d failed checks)\n", name, g_case_failures);
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Helpers                                                                                    */

/* Distinct non-NULL pointers the library must never write or read through: out parameters
 * are initialised to them to prove they stay untouched on failure (and error_json is
 * overwritten with NULL on success). */
static char g_sentinel_storage[2];
#define OUT_SENTINEL (&g_sentinel_storage[0])
#define ERR_SENTINEL (&g_sentinel_storage[1])
#define CLIENT_SENTINEL ((jogg_client *)(void *)&g_sentinel_storage[0])

#define WAIT_OPTIONS "{\"timeout_ms\":20000,\"initial_interval_ms\":20,\"max_interval_ms\":100}"
#define ID_MAX 128

static const char *g_env_base_url;
static const char *g_env_api_key;

static int contains(const char *haystack, const char *needle) {
    return haystack != NULL && strstr(haystack, needle) != NULL;
}

static const char *show(const char *s) {
    return s == NULL ? "(null)" : s;
}

static size_t count_occurrences(const char *haystack, const char *needle) {
    size_t n = 0;
    size_t len = strlen(needle);
    const char *p = haystack;
    while (p != NULL && (p = strstr(p, needle)) != NULL) {
        n++;
        p += len;
    }
    return n;
}

/* Copies the JSON string value after the first `"key":"` into out; 0 if absent/too long. */
static int json_string_value(const char *json, const char *key, char *out, size_t out_size) {
    char pattern[64];
    const char *start;
    const char *end;
    snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
    start = json == NULL ? NULL : strstr(json, pattern);
    if (start == NULL) {
        return 0;
    }
    start += strlen(pattern);
    end = strchr(start, '"');
    if (end == NULL || (size_t)(end - start) >= out_size || end == start) {
        return 0;
    }
    memcpy(out, start, (size_t)(end - start));
    out[end - start] = '\0';
    return 1;
}

/* The integer after the first `"key":`; 0 if absent. */
static int json_int_value(const char *json, const char *key, long *out) {
    char pattern[64];
    const char *start;
    char *end;
    snprintf(pattern, sizeof pattern, "\"%s\":", key);
    start = json == NULL ? NULL : strstr(json, pattern);
    if (start == NULL) {
        return 0;
    }
    start += strlen(pattern);
    *out = strtol(start, &end, 10);
    return end != start;
}

/* Checks a failed call: the code, the error JSON's code/name members, `field` when given,
 * that the API key never leaks, then frees the error JSON. */
static void expect_error_at(const char *file, int line, jogg_code got, char **errp,
                            jogg_code want, const char *field) {
    char *err = *errp;
    char needle[160];
    check_at(file, line, got == want, "code %d (%s), want %d (%s); error %s", (int)got,
             jogg_code_name(got), (int)want, jogg_code_name(want), show(err));
    if (check_at(file, line, err != NULL && err != ERR_SENTINEL,
                 "error_json not set on failure")) {
        snprintf(needle, sizeof needle, "\"code\":%d", (int)want);
        check_at(file, line, contains(err, needle), "%s not in %s", needle, err);
        snprintf(needle, sizeof needle, "\"name\":\"%s\"", jogg_code_name(want));
        check_at(file, line, contains(err, needle), "%s not in %s", needle, err);
        check_at(file, line, contains(err, "\"message\":\""), "no message in %s", err);
        if (field != NULL) {
            snprintf(needle, sizeof needle, "\"field\":\"%s\"", field);
            check_at(file, line, contains(err, needle), "%s not in %s", needle, err);
        }
        if (g_env_api_key != NULL && g_env_api_key[0] != '\0') {
            check_at(file, line, !contains(err, g_env_api_key), "API key leaked in %s", err);
        }
        jogg_string_free(err);
        *errp = NULL;
    }
}
/* The error and out slots are passed by address and read inside the helper, after `got`
 * (often the call itself) has been evaluated. */
#define EXPECT_ERROR(got, err, want, field) \
    expect_error_at(__FILE__, __LINE__, (got), &(err), (want), (field))

/* Checks a successful call: JOGG_OK, *error_json reset to NULL, an output written. */
static int expect_ok_at(const char *file, int line, jogg_code got, char **errp,
                        char *const *outp) {
    char *err = *errp;
    const char *out = *outp;
    int ok = check_at(file, line, got == JOGG_OK, "code %d (%s), want JOGG_OK; error %s",
                      (int)got, jogg_code_name(got), err == ERR_SENTINEL ? "(sentinel)" : show(err));
    ok &= check_at(file, line, err == NULL, "error_json not set to NULL on success");
    if (err != ERR_SENTINEL) {
        jogg_string_free(err);
        *errp = NULL;
    }
    ok &= check_at(file, line, out != NULL && out != OUT_SENTINEL, "no output on success");
    return ok;
}
#define EXPECT_OK(got, err, out) expect_ok_at(__FILE__, __LINE__, (got), &(err), &(out))

/* A client on JOGG_BASE_URL / JOGG_API_KEY (the mock's). */
static jogg_client *new_client(void) {
    jogg_client *client = CLIENT_SENTINEL;
    char *err = ERR_SENTINEL;
    jogg_code rc = jogg_client_new("{\"proxy\":\"none\"}", &client, &err);
    if (!CHECK(rc == JOGG_OK && client != NULL && client != CLIENT_SENTINEL && err == NULL,
               "jogg_client_new failed: %d %s", (int)rc,
               err == ERR_SENTINEL ? "(sentinel)" : show(err))) {
        if (err != ERR_SENTINEL) {
            jogg_string_free(err);
        }
        return NULL;
    }
    return client;
}

/* Library ids from the catalogue, found the way a user would: through the list calls. */
static int pick_avatar_and_voice(const jogg_client *client, long *avatar_id, char *voice_id,
                                 size_t voice_size) {
    char *avatars = NULL;
    char *voices = NULL;
    int ok = 1;
    ok &= CHECK(jogg_list_avatars(client, NULL, &avatars, NULL) == JOGG_OK, "list_avatars");
    ok &= CHECK(json_int_value(avatars, "avatar_id", avatar_id), "no avatar_id in %s",
                show(avatars));
    ok &= CHECK(jogg_list_voices(client, "{\"page_size\":1}", &voices, NULL) == JOGG_OK,
                "list_voices");
    ok &= CHECK(json_string_value(voices, "voice_id", voice_id, voice_size),
                "no voice_id in %s", show(voices));
    jogg_string_free(avatars);
    jogg_string_free(voices);
    return ok;
}

/* Starts a render of `script`; writes the project id. */
static int create_video(const jogg_client *client, const char *script, char *project_id,
                        size_t id_size) {
    long avatar_id = 0;
    char voice_id[ID_MAX];
    char request[512];
    char *response = OUT_SENTINEL;
    char *err = ERR_SENTINEL;
    int ok;
    if (!pick_avatar_and_voice(client, &avatar_id, voice_id, sizeof voice_id)) {
        return 0;
    }
    snprintf(request, sizeof request,
             "{\"script\":\"%s\",\"voice_id\":\"%s\",\"avatar_id\":%ld,\"avatar_type\":0,"
             "\"screen_style\":1}",
             script, voice_id, avatar_id);
    ok = EXPECT_OK(jogg_create_talking_avatar_video(client, request, &response, &err), err,
                   response);
    if (ok) {
        ok = CHECK(json_string_value(response, "project_id", project_id, id_size),
                   "no string project_id in %s", response);
        jogg_string_free(response);
    }
    return ok;
}

/* Progress callback state: counts calls, checks each event, optionally cancels. */
struct progress {
    const char *project_id;
    int calls;
    int cancel;            /* return value of the callback */
    int last_polls;        /* "polls" of the last event */
    char last_status[32];  /* "status" of the last event */
};

static int32_t on_progress(void *userdata, const char *event_json) {
    struct progress *p = (struct progress *)userdata;
    char pid[ID_MAX];
    long polls = -1;
    p->calls++;
    CHECK(event_json != NULL, "event_json is NULL");
    CHECK(json_string_value(event_json, "status", p->last_status, sizeof p->last_status),
          "no \"status\" in event %s", show(event_json));
    CHECK(json_int_value(event_json, "polls", &polls) && polls == p->calls,
          "\"polls\" %ld, want %d in event %s", polls, p->calls, show(event_json));
    CHECK(json_string_value(event_json, "id", pid, sizeof pid) &&
              strcmp(pid, p->project_id) == 0,
          "event for the wrong project: %s", show(event_json));
    CHECK(contains(event_json, "\"elapsed_ms\":") && contains(event_json, "\"next_poll_ms\":"),
          "event lacks elapsed_ms/next_poll_ms: %s", show(event_json));
    p->last_polls = (int)polls;
    return p->cancel;
}

/* ---------------------------------------------------------------------------------------- */
/* 1. Version and code names                                                                  */

static void test_version(void) {
    CHECK(strcmp(jogg_version(), "jogg/" JOGG_VERSION_STRING) == 0, "jogg_version() = %s",
          jogg_version());
    CHECK(jogg_version_number() == JOGG_VERSION_NUMBER, "jogg_version_number() = %lu",
          (unsigned long)jogg_version_number());
    CHECK(JOGG_VERSION_NUMBER ==
              JOGG_VERSION_MAJOR * 1000000 + JOGG_VERSION_MINOR * 1000 + JOGG_VERSION_PATCH,
          "JOGG_VERSION_NUMBER disagrees with MAJOR/MINOR/PATCH");
    CHECK(strcmp(jogg_code_name(JOGG_ERR_VALIDATION), "JOGG_ERR_VALIDATION") == 0, "%s",
          jogg_code_name(JOGG_ERR_VALIDATION));
    CHECK(strcmp(jogg_code_name(JOGG_OK), "JOGG_OK") == 0, "%s", jogg_code_name(JOGG_OK));
    CHECK(strcmp(jogg_code_name(JOGG_ERR_WAIT_TIMEOUT), "JOGG_ERR_WAIT_TIMEOUT") == 0, "%s",
          jogg_code_name(JOGG_ERR_WAIT_TIMEOUT));
    CHECK(strcmp(jogg_code_name(4242), "UNKNOWN") == 0, "%s", jogg_code_name(4242));
    CHECK(strcmp(jogg_code_name(-1), "UNKNOWN") == 0, "%s", jogg_code_name(-1));
}

/* ---------------------------------------------------------------------------------------- */
/* 2. Happy path: list, create, get, wait                                                     */

static void test_happy_path(void) {
    jogg_client *client = new_client();
    char *avatars = OUT_SENTINEL, *voices = OUT_SENTINEL, *created = OUT_SENTINEL;
    char *project = OUT_SENTINEL, *result = OUT_SENTINEL, *err = ERR_SENTINEL;
    long avatar_id = -1;
    char voice_id[ID_MAX], project_id[ID_MAX], request[512], needle[ID_MAX + 16];
    struct progress progress;
    size_t n;
    if (client == NULL) {
        return;
    }

    /* Avatars: every item of a filtered list matches the filter. */
    if (EXPECT_OK(jogg_list_avatars(client, "{\"gender\":\"female\",\"style\":\"professional\"}",
                                    &avatars, &err),
                  err, avatars)) {
        n = count_occurrences(avatars, "\"avatar_id\":");
        CHECK(contains(avatars, "\"avatars\":["), "no avatars array in %s", avatars);
        CHECK(n > 0, "filtered avatar list is empty: %s", avatars);
        CHECK(count_occurrences(avatars, "\"gender\":\"female\"") == n &&
                  count_occurrences(avatars, "\"style\":\"professional\"") == n,
              "an avatar does not match gender=female style=professional: %s", avatars);
        CHECK(!contains(avatars, "\"gender\":\"male\"") && !contains(avatars, "\"social\""),
              "unfiltered avatar in %s", avatars);
        CHECK(json_int_value(avatars, "avatar_id", &avatar_id) && avatar_id > 0,
              "no numeric avatar_id in %s", avatars);
        jogg_string_free(avatars);
    }

    /* Voices: one page of five English voices, with the total. */
    err = ERR_SENTINEL;
    if (EXPECT_OK(jogg_list_voices(client, "{\"language\":\"english\",\"page_size\":5}", &voices,
                                   &err),
                  err, voices)) {
        long total = -1;
        CHECK(json_int_value(voices, "total", &total) && total >= 5, "total %ld in %s", total,
              voices);
        n = count_occurrences(voices, "\"voice_id\":\"");
        CHECK(n == 5, "%lu voices on a page of 5: %s", (unsigned long)n, voices);
        CHECK(count_occurrences(voices, "\"language\":\"english\"") == n,
              "a non-English voice in %s", voices);
        CHECK(json_string_value(voices, "voice_id", voice_id, sizeof voice_id),
              "no voice_id in %s", voices);
        jogg_string_free(voices);
    }
    if (g_case_failures != 0) {
        jogg_client_free(client);
        return;
    }

    /* Create with those ids. */
    snprintf(request, sizeof request,
             "{\"script\":\"Hello from the jogg C ABI tests.\",\"voice_id\":\"%s\","
             "\"avatar_id\":%ld,\"avatar_type\":0,\"screen_style\":1,\"aspect_ratio\":0,"
             "\"caption\":false,\"video_name\":\"c-abi-happy-path\"}",
             voice_id, avatar_id);
    err = ERR_SENTINEL;
    if (!EXPECT_OK(jogg_create_talking_avatar_video(client, request, &created, &err), err,
                   created)) {
        jogg_client_free(client);
        return;
    }
    CHECK(json_string_value(created, "project_id", project_id, sizeof project_id),
          "project_id is not a string in %s", created);
    jogg_string_free(created);

    /* Get it: the same id and title, a v1 status code. */
    err = ERR_SENTINEL;
    if (EXPECT_OK(jogg_get_project(client, project_id, &project, &err), err, project)) {
        long status = -1;
        snprintf(needle, sizeof needle, "\"id\":\"%s\"", project_id);
        CHECK(contains(project, needle), "%s not in %s", needle, project);
        CHECK(contains(project, "\"title\":\"c-abi-happy-path\""), "title in %s", project);
        CHECK(json_int_value(project, "status_code", &status) && status >= 1 && status <= 4,
              "status_code %ld in %s", status, project);
        jogg_string_free(project);
    }

    /* Wait for it with progress. */
    memset(&progress, 0, sizeof progress);
    progress.project_id = project_id;
    err = ERR_SENTINEL;
    if (EXPECT_OK(jogg_wait_for_project(client, project_id, WAIT_OPTIONS, on_progress,
                                        &progress, &result, &err),
                  err, result)) {
        snprintf(needle, sizeof needle, "\"id\":\"%s\"", project_id);
        CHECK(contains(result, needle), "%s not in %s", needle, result);
        CHECK(contains(result, "\"status_code\":4"), "not succeeded: %s", result);
        CHECK(contains(result, "\"video_url\":\"http://127.0.0.1"), "video_url in %s", result);
        jogg_string_free(result);
    }
    CHECK(progress.calls >= 1, "progress callback never called");
    CHECK(progress.last_polls == progress.calls, "last event polls %d after %d calls",
          progress.last_polls, progress.calls);
    CHECK(strcmp(progress.last_status, "succeeded") == 0, "last event status %s",
          progress.last_status);
    jogg_client_free(client);
}

/* ---------------------------------------------------------------------------------------- */
/* 3. NULL arguments                                                                          */

static void test_null_arguments(void) {
    static const char *const request =
        "{\"script\":\"x\",\"voice_id\":\"en-US-JennyNeural\",\"avatar_id\":81,"
        "\"avatar_type\":0,\"screen_style\":1}";
    jogg_client *client = new_client();
    jogg_client *out_client = CLIENT_SENTINEL;
    char *out = OUT_SENTINEL, *err = ERR_SENTINEL;
    char project_id[ID_MAX];
    if (client == NULL) {
        return;
    }

    /* jogg_client_new */
    EXPECT_ERROR(jogg_client_new(NULL, &out_client, &err), err, JOGG_ERR_NULL_ARGUMENT,
                 "config_json");
    CHECK(out_client == CLIENT_SENTINEL, "out_client written on failure");
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_client_new("{}", NULL, &err), err, JOGG_ERR_NULL_ARGUMENT, "out_client");

    /* jogg_create_talking_avatar_video */
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_create_talking_avatar_video(NULL, request, &out, &err), err,
                 JOGG_ERR_NULL_ARGUMENT, "client");
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_create_talking_avatar_video(client, NULL, &out, &err), err,
                 JOGG_ERR_NULL_ARGUMENT, "request_json");
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_create_talking_avatar_video(client, request, NULL, &err), err,
                 JOGG_ERR_NULL_ARGUMENT, "response_json");

    /* jogg_get_project */
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_get_project(NULL, "p", &out, &err), err, JOGG_ERR_NULL_ARGUMENT, "client");
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_get_project(client, NULL, &out, &err), err, JOGG_ERR_NULL_ARGUMENT,
                 "project_id");
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_get_project(client, "p", NULL, &err), err, JOGG_ERR_NULL_ARGUMENT,
                 "response_json");

    /* jogg_list_avatars / jogg_list_voices */
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_list_avatars(NULL, NULL, &out, &err), err, JOGG_ERR_NULL_ARGUMENT,
                 "client");
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_list_avatars(client, NULL, NULL, &err), err, JOGG_ERR_NULL_ARGUMENT,
                 "response_json");
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_list_voices(NULL, NULL, &out, &err), err, JOGG_ERR_NULL_ARGUMENT,
                 "client");
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_list_voices(client, NULL, NULL, &err), err, JOGG_ERR_NULL_ARGUMENT,
                 "response_json");

    /* jogg_wait_for_project */
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_wait_for_project(NULL, "p", NULL, NULL, NULL, &out, &err), err,
                 JOGG_ERR_NULL_ARGUMENT, "client");
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_wait_for_project(client, NULL, NULL, NULL, NULL, &out, &err), err,
                 JOGG_ERR_NULL_ARGUMENT, "project_id");
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_wait_for_project(client, "p", WAIT_OPTIONS, NULL, NULL, NULL, &err), err,
                 JOGG_ERR_NULL_ARGUMENT, "result_json");
    CHECK(out == OUT_SENTINEL, "an out parameter was written on a NULL-argument failure");

    /* NULL error_json: only the code comes back, on failure and on success. */
    CHECK(jogg_get_project(NULL, "p", &out, NULL) == JOGG_ERR_NULL_ARGUMENT,
          "NULL error_json on failure");
    CHECK(jogg_client_new("{\"unknown\":1}", &out_client, NULL) == JOGG_ERR_INVALID_CONFIG,
          "NULL error_json on a config failure");
    CHECK(out == OUT_SENTINEL && out_client == CLIENT_SENTINEL, "out written on failure");

    /* NULL filter_json is "no filter", not an error. */
    err = ERR_SENTINEL;
    out = OUT_SENTINEL;
    if (EXPECT_OK(jogg_list_avatars(client, NULL, &out, &err), err, out)) {
        CHECK(count_occurrences(out, "\"avatar_id\":") > 1, "unfiltered avatars: %s", out);
        jogg_string_free(out);
    }
    err = ERR_SENTINEL;
    out = OUT_SENTINEL;
    if (EXPECT_OK(jogg_list_voices(client, NULL, &out, &err), err, out)) {
        CHECK(contains(out, "\"total\":") && contains(out, "\"voice_id\":\""), "voices: %s",
              out);
        jogg_string_free(out);
    }
    out = OUT_SENTINEL;
    CHECK(jogg_list_voices(client, NULL, &out, NULL) == JOGG_OK && out != OUT_SENTINEL,
          "NULL error_json on success");
    if (out != OUT_SENTINEL) {
        jogg_string_free(out);
    }

    /* NULL cb (and userdata) while waiting, then NULL options on a finished project (the
     * first poll is immediate, so the default 5 s interval never applies). */
    if (create_video(client, "Null callback test.", project_id, sizeof project_id)) {
        out = OUT_SENTINEL;
        err = ERR_SENTINEL;
        if (EXPECT_OK(jogg_wait_for_project(client, project_id, WAIT_OPTIONS, NULL, NULL, &out,
                                            &err),
                      err, out)) {
            CHECK(contains(out, "\"status_code\":4"), "not succeeded: %s", out);
            jogg_string_free(out);
        }
        out = OUT_SENTINEL;
        err = ERR_SENTINEL;
        if (EXPECT_OK(jogg_wait_for_project(client, project_id, NULL, NULL, NULL, &out, &err),
                      err, out)) {
            CHECK(contains(out, "\"status_code\":4"), "not succeeded: %s", out);
            jogg_string_free(out);
        }
    }

    /* Freeing NULL is a no-op. */
    jogg_client_free(NULL);
    jogg_string_free(NULL);
    jogg_client_free(client);
}

/* ---------------------------------------------------------------------------------------- */
/* 4. Bad JSON, bad UTF-8, validation                                                         */

/* Runs a create that must fail with `want` naming `field`, checking the out parameter. */
static void expect_create_error_at(const char *file, int line, const jogg_client *client,
                                   const char *request, jogg_code want, const char *field) {
    char *out = OUT_SENTINEL;
    char *err = ERR_SENTINEL;
    jogg_code rc = jogg_create_talking_avatar_video(client, request, &out, &err);
    check_at(file, line, out == OUT_SENTINEL, "response_json written on failure (%s)", request);
    expect_error_at(file, line, rc, &err, want, field);
}
#define EXPECT_CREATE_ERROR(client, request, want, field) \
    expect_create_error_at(__FILE__, __LINE__, (client), (request), (want), (field))

static void test_invalid_input(void) {
    jogg_client *client = new_client();
    jogg_client *out_client = CLIENT_SENTINEL;
    char *out = OUT_SENTINEL, *err = ERR_SENTINEL;
    if (client == NULL) {
        return;
    }

    /* Not JSON. */
    EXPECT_CREATE_ERROR(client, "{\"script\":", JOGG_ERR_INVALID_JSON, "request_json");
    EXPECT_CREATE_ERROR(client, "", JOGG_ERR_INVALID_JSON, "request_json");
    EXPECT_ERROR(jogg_list_avatars(client, "{gender:female}", &out, &err), err,
                 JOGG_ERR_INVALID_JSON, "filter_json");
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_list_voices(client, "[1,", &out, &err), err, JOGG_ERR_INVALID_JSON,
                 "filter_json");
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_wait_for_project(client, "p", "{", NULL, NULL, &out, &err), err,
                 JOGG_ERR_INVALID_JSON, "options_json");
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_client_new("{\"proxy\":", &out_client, &err), err, JOGG_ERR_INVALID_JSON,
                 "config_json");

    /* Not UTF-8, in every kind of string parameter. */
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_get_project(client, "\xff\xfe", &out, &err), err, JOGG_ERR_INVALID_UTF8,
                 "project_id");
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_wait_for_project(client, "\xff\xfe", NULL, NULL, NULL, &out, &err), err,
                 JOGG_ERR_INVALID_UTF8, "project_id");
    EXPECT_CREATE_ERROR(client, "{\"script\":\"\xff\xfe\"}", JOGG_ERR_INVALID_UTF8,
                        "request_json");
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_list_voices(client, "{\"language\":\"\xff\xfe\"}", &out, &err), err,
                 JOGG_ERR_INVALID_UTF8, "filter_json");
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_client_new("{\"api_key\":\"\xff\xfe\"}", &out_client, &err), err,
                 JOGG_ERR_INVALID_UTF8, "config_json");

    /* Valid JSON, invalid request: refused before sending, naming the member. */
    EXPECT_CREATE_ERROR(client,
                        "{\"script\":\"hi\",\"voice_id\":\"en-US-JennyNeural\",\"avtar_id\":81,"
                        "\"avatar_type\":0,\"screen_style\":1}",
                        JOGG_ERR_VALIDATION, "avtar_id");
    EXPECT_CREATE_ERROR(client,
                        "{\"script\":\"hi\",\"voice_id\":\"en-US-JennyNeural\",\"avatar_id\":81,"
                        "\"avatar_type\":0,\"screen_style\":1,\"aspect_ratio\":7}",
                        JOGG_ERR_VALIDATION, "aspect_ratio");
    /* "Exactly one of": the member to remove is named. */
    EXPECT_CREATE_ERROR(client,
                        "{\"script\":\"hi\",\"audio_url\":\"https://example.com/a.mp3\","
                        "\"voice_id\":\"v\",\"avatar_id\":81,\"avatar_type\":0,\"screen_style\":1}",
                        JOGG_ERR_VALIDATION, "audio_url");
    EXPECT_CREATE_ERROR(client,
                        "{\"script\":\"hi\",\"avatar_id\":81,\"avatar_type\":0,"
                        "\"screen_style\":1}",
                        JOGG_ERR_VALIDATION, "voice_id");
    EXPECT_CREATE_ERROR(client,
                        "{\"script\":\"hi\",\"voice_id\":\"v\",\"avatar_id\":\"81\","
                        "\"avatar_type\":0,\"screen_style\":1}",
                        JOGG_ERR_VALIDATION, "avatar_id");
    EXPECT_CREATE_ERROR(client, "[]", JOGG_ERR_VALIDATION, NULL);
    /* Every missing member at once: the first in field, all of them in fields. */
    err = ERR_SENTINEL;
    {
        jogg_code rc = jogg_create_talking_avatar_video(client, "{\"script\":\"hi\"}", &out, &err);
        CHECK(err != NULL && err != ERR_SENTINEL &&
                  contains(err, "\"fields\":[\"screen_style\",\"avatar_id\",\"avatar_type\","
                                "\"voice_id\"]"),
              "fields: %s", show(err));
        EXPECT_ERROR(rc, err, JOGG_ERR_VALIDATION, "screen_style");
    }
    out = OUT_SENTINEL;
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_list_avatars(client, "{\"gender\":\"other\"}", &out, &err), err,
                 JOGG_ERR_VALIDATION, "gender");
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_list_voices(client, "{\"page_size\":0}", &out, &err), err,
                 JOGG_ERR_VALIDATION, "page_size");
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_get_project(client, "", &out, &err), err, JOGG_ERR_VALIDATION,
                 "project_id");
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_wait_for_project(client, "p", "{\"timeout\":5}", NULL, NULL, &out, &err),
                 err, JOGG_ERR_VALIDATION, "timeout");
    CHECK(out == OUT_SENTINEL && out_client == CLIENT_SENTINEL,
          "an out parameter was written on failure");

    /* Success resets a sentinel *error_json to NULL. */
    err = ERR_SENTINEL;
    if (EXPECT_OK(jogg_list_voices(client, "{\"page\":2,\"page_size\":3}", &out, &err), err,
                  out)) {
        CHECK(count_occurrences(out, "\"voice_id\":\"") == 3, "page of 3: %s", out);
        jogg_string_free(out);
    }
    /* The named lists take all_pages, and a language filter in any case finds the voices. */
    err = ERR_SENTINEL;
    if (EXPECT_OK(jogg_list_voices(client,
                                   "{\"language\":\"English\",\"page_size\":5,\"all_pages\":true}",
                                   &out, &err),
                  err, out)) {
        size_t n = count_occurrences(out, "\"voice_id\":\"");
        CHECK(n > 5 && contains(out, "\"pages\":"), "every page of English voices: %s", out);
        CHECK(count_occurrences(out, "\"language\":\"english\"") == n, "a non-English voice: %s",
              out);
        jogg_string_free(out);
    }
    err = ERR_SENTINEL;
    if (EXPECT_OK(jogg_list_avatars(client, "{\"all_pages\":true}", &out, &err), err, out)) {
        CHECK(count_occurrences(out, "\"avatar_id\":") > 10, "the whole library: %s", out);
        jogg_string_free(out);
    }
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_list_voices(client, "{\"all_pages\":\"yes\"}", &out, &err), err,
                 JOGG_ERR_VALIDATION, "all_pages");
    jogg_client_free(client);
}

/* ---------------------------------------------------------------------------------------- */
/* 5. Configuration errors and a bad API key                                                  */

static void test_config_errors(void) {
    jogg_client *client = CLIENT_SENTINEL;
    char *err = ERR_SENTINEL, *out = OUT_SENTINEL;
    char config[512];

    EXPECT_ERROR(jogg_client_new("{\"proxy\":\"none\",\"base_ulr\":\"http://127.0.0.1:1\"}",
                                 &client, &err),
                 err, JOGG_ERR_INVALID_CONFIG, "base_ulr");
    CHECK(client == CLIENT_SENTINEL, "out_client written on failure");
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_client_new("{\"api_key\":\"k\",\"base_url\":\"http://example.com\"}",
                                 &client, &err),
                 err, JOGG_ERR_INVALID_CONFIG, "base_url");
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_client_new("{\"api_key\":\"k\",\"timeout_ms\":0}", &client, &err), err,
                 JOGG_ERR_INVALID_CONFIG, "timeout_ms");
    /* A member of the wrong type: named, with what it must be in plain words. */
    err = ERR_SENTINEL;
    {
        jogg_code rc = jogg_client_new("{\"api_key\":\"k\",\"timeout_ms\":\"60s\"}", &client, &err);
        CHECK(err != NULL && err != ERR_SENTINEL &&
                  contains(err, "timeout_ms: must be a whole number of milliseconds") &&
                  !contains(err, "u64"),
              "wrong type: %s", show(err));
        EXPECT_ERROR(rc, err, JOGG_ERR_INVALID_CONFIG, "timeout_ms");
    }
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_client_new("{\"api_key\":\"k\",\"proxy\":\"socks\"}", &client, &err), err,
                 JOGG_ERR_INVALID_CONFIG, "proxy");
    CHECK(client == CLIENT_SENTINEL, "out_client written on failure");

    /* A wrong key is only found out by the API: every call says AUTH, with the API's code
     * and request id, and never echoes the key. */
    snprintf(config, sizeof config,
             "{\"api_key\":\"wrong-key\",\"base_url\":\"%s\",\"proxy\":\"none\","
             "\"timeout_ms\":20000}",
             g_env_base_url);
    err = ERR_SENTINEL;
    if (!CHECK(jogg_client_new(config, &client, &err) == JOGG_OK && err == NULL,
               "client with an explicit config: %s",
               err == ERR_SENTINEL ? "(sentinel)" : show(err))) {
        if (err != ERR_SENTINEL) {
            jogg_string_free(err);
        }
        return;
    }
    {
        char *errs[5] = {ERR_SENTINEL, ERR_SENTINEL, ERR_SENTINEL, ERR_SENTINEL, ERR_SENTINEL};
        jogg_code codes[5];
        int i;
        codes[0] = jogg_list_voices(client, NULL, &out, &errs[0]);
        codes[1] = jogg_list_avatars(client, "{\"gender\":\"male\"}", &out, &errs[1]);
        codes[2] = jogg_get_project(client, "0123456789abcdef0123456789abcdef", &out, &errs[2]);
        codes[3] = jogg_create_talking_avatar_video(
            client,
            "{\"script\":\"hi\",\"voice_id\":\"en-US-JennyNeural\",\"avatar_id\":81,"
            "\"avatar_type\":0,\"screen_style\":1}",
            &out, &errs[3]);
        codes[4] = jogg_wait_for_project(client, "0123456789abcdef0123456789abcdef",
                                         WAIT_OPTIONS, NULL, NULL, &out, &errs[4]);
        for (i = 0; i < 5; i++) {
            CHECK(!contains(errs[i], "wrong-key"), "call %d: the key leaked: %s", i, errs[i]);
            CHECK(contains(errs[i], "\"api_code\":10105"), "call %d: api_code: %s", i,
                  show(errs[i]));
            CHECK(contains(errs[i], "\"request_id\":\""), "call %d: request_id: %s", i,
                  show(errs[i]));
            EXPECT_ERROR(codes[i], errs[i], JOGG_ERR_AUTH, NULL);
        }
        CHECK(out == OUT_SENTINEL, "an out parameter was written on failure");
    }
    jogg_client_free(client);
}

/* ---------------------------------------------------------------------------------------- */
/* 6. Unknown project, failed render                                                          */

static void test_not_found_and_failed_render(void) {
    static const char *const unknown = "ffffffffffffffffffffffffffffffff";
    jogg_client *client = new_client();
    char *out = OUT_SENTINEL, *err = ERR_SENTINEL;
    char project_id[ID_MAX], needle[ID_MAX + 16], task_id[ID_MAX];
    struct progress progress;
    if (client == NULL) {
        return;
    }

    jogg_code rc = jogg_get_project(client, unknown, &out, &err);
    CHECK(contains(err, "\"api_code\":10104"), "api_code: %s", show(err));
    CHECK(contains(err, "\"request_id\":\""), "request_id: %s", show(err));
    CHECK(contains(err, "\"http_status\":200"), "business error not on HTTP 200: %s", show(err));
    CHECK(out == OUT_SENTINEL, "response_json written on failure");
    EXPECT_ERROR(rc, err, JOGG_ERR_NOT_FOUND, NULL);

    /* Waiting on it fails the same way and names the task. */
    err = ERR_SENTINEL;
    rc = jogg_wait_for_project(client, unknown, WAIT_OPTIONS, NULL, NULL, &out, &err);
    snprintf(needle, sizeof needle, "\"task_id\":\"%s\"", unknown);
    CHECK(contains(err, needle), "%s not in %s", needle, show(err));
    EXPECT_ERROR(rc, err, JOGG_ERR_NOT_FOUND, NULL);

    /* A render that fails. */
    if (create_video(client, "This one will FAIL_RENDER on purpose.", project_id,
                     sizeof project_id)) {
        memset(&progress, 0, sizeof progress);
        progress.project_id = project_id;
        err = ERR_SENTINEL;
        rc = jogg_wait_for_project(client, project_id, WAIT_OPTIONS, on_progress, &progress,
                                   &out, &err);
        CHECK(json_string_value(err, "task_id", task_id, sizeof task_id) &&
                  strcmp(task_id, project_id) == 0,
              "task_id is not %s in %s", project_id, show(err));
        CHECK(contains(err, "\"request_id\":\""), "request_id: %s", show(err));
        CHECK(out == OUT_SENTINEL, "result_json written on failure");
        EXPECT_ERROR(rc, err, JOGG_ERR_TASK_FAILED, NULL);
        CHECK(progress.calls >= 1 && strcmp(progress.last_status, "failed") == 0,
              "%d callbacks, last status %s", progress.calls, progress.last_status);
    }
    jogg_client_free(client);
}

/* ---------------------------------------------------------------------------------------- */
/* 7. Wait deadline and cancellation                                                          */

static void test_wait_timeout_and_cancel(void) {
    jogg_client *client = new_client();
    char *out = OUT_SENTINEL, *err = ERR_SENTINEL;
    char project_id[ID_MAX], task_id[ID_MAX];
    struct progress progress;
    jogg_code rc;
    if (client == NULL) {
        return;
    }
    if (!create_video(client, "Deadline and cancel test.", project_id, sizeof project_id)) {
        jogg_client_free(client);
        return;
    }

    /* A 1 ms deadline on a render that takes 300 ms. */
    memset(&progress, 0, sizeof progress);
    progress.project_id = project_id;
    rc = jogg_wait_for_project(client, project_id,
                               "{\"timeout_ms\":1,\"initial_interval_ms\":1}", on_progress,
                               &progress, &out, &err);
    CHECK(json_string_value(err, "task_id", task_id, sizeof task_id) &&
              strcmp(task_id, project_id) == 0,
          "task_id is not %s in %s", project_id, show(err));
    CHECK(out == OUT_SENTINEL, "result_json written on failure");
    EXPECT_ERROR(rc, err, JOGG_ERR_WAIT_TIMEOUT, NULL);
    CHECK(progress.calls >= 1, "no progress before the deadline");
    CHECK(strcmp(progress.last_status, "succeeded") != 0 &&
              strcmp(progress.last_status, "failed") != 0,
          "project already terminal: %s", progress.last_status);

    /* A callback returning non-zero cancels after its first call. */
    memset(&progress, 0, sizeof progress);
    progress.project_id = project_id;
    progress.cancel = 1;
    err = ERR_SENTINEL;
    rc = jogg_wait_for_project(client, project_id, WAIT_OPTIONS, on_progress, &progress, &out,
                               &err);
    CHECK(progress.calls == 1, "callback called %d times, want 1", progress.calls);
    CHECK(json_string_value(err, "task_id", task_id, sizeof task_id) &&
              strcmp(task_id, project_id) == 0,
          "task_id is not %s in %s", project_id, show(err));
    CHECK(out == OUT_SENTINEL, "result_json written on failure");
    EXPECT_ERROR(rc, err, JOGG_ERR_CANCELLED, NULL);

    /* Any non-zero value cancels. */
    memset(&progress, 0, sizeof progress);
    progress.project_id = project_id;
    progress.cancel = -7;
    CHECK(jogg_wait_for_project(client, project_id, WAIT_OPTIONS, on_progress, &progress, &out,
                                NULL) == JOGG_ERR_CANCELLED &&
              progress.calls == 1,
          "return -7 did not cancel after one call (%d calls)", progress.calls);
    CHECK(out == OUT_SENTINEL, "result_json written on failure");
    jogg_client_free(client);
}

/* ---------------------------------------------------------------------------------------- */
/* 8. One client, many threads                                                                */

#define THREADS 8
#define CALLS_PER_THREAD 20

struct worker {
    const jogg_client *client;
    const char *project_id;
    int index;
    int succeeded;
};

static void *worker_main(void *arg) {
    static const char *const avatar_filters[] = {
        "{\"gender\":\"male\"}",         "{\"style\":\"social\"}",
        "{\"age\":\"senior\",\"aspect_ratio\":2}", "{\"scene\":\"news\"}",
        "{\"ethnicity\":\"east_asian\"}", NULL,
    };
    struct worker *w = (struct worker *)arg;
    char request[128], needle[ID_MAX + 16];
    int i;
    for (i = 0; i < CALLS_PER_THREAD; i++) {
        char *out = NULL;
        char *err = NULL;
        jogg_code rc;
        int ok = 0;
        switch ((w->index + i) % 3) {
        case 0:
            snprintf(request, sizeof request, "{\"page\":%d,\"page_size\":4}",
                     1 + (w->index * CALLS_PER_THREAD + i) % 6);
            rc = jogg_list_voices(w->client, request, &out, &err);
            ok = rc == JOGG_OK && contains(out, "\"total\":") &&
                 contains(out, "\"voice_id\":\"");
            break;
        case 1:
            rc = jogg_get_project(w->client, w->project_id, &out, &err);
            snprintf(needle, sizeof needle, "\"id\":\"%s\"", w->project_id);
            ok = rc == JOGG_OK && contains(out, needle);
            break;
        default: {
            const char *filter = avatar_filters[(w->index + i) % 6];
            rc = jogg_list_avatars(w->client, filter, &out, &err);
            ok = rc == JOGG_OK && count_occurrences(out, "\"avatar_id\":") > 0;
            break;
        }
        }
        CHECK(ok && err == NULL, "thread %d call %d: code %d, out %s, error %s", w->index, i,
              (int)rc, show(out), show(err));
        w->succeeded += ok;
        jogg_string_free(out);
        jogg_string_free(err);
    }
    return NULL;
}

static void test_threads(void) {
    jogg_client *client = new_client();
    char project_id[ID_MAX];
    pthread_t threads[THREADS];
    struct worker workers[THREADS];
    int started = 0, i, total = 0;
    if (client == NULL) {
        return;
    }
    if (!create_video(client, "Shared by many threads.", project_id, sizeof project_id)) {
        jogg_client_free(client);
        return;
    }
    for (i = 0; i < THREADS; i++) {
        workers[i].client = client;
        workers[i].project_id = project_id;
        workers[i].index = i;
        workers[i].succeeded = 0;
        if (!CHECK(pthread_create(&threads[i], NULL, worker_main, &workers[i]) == 0,
                   "pthread_create %d", i)) {
            break;
        }
        started++;
    }
    for (i = 0; i < started; i++) {
        CHECK(pthread_join(threads[i], NULL) == 0, "pthread_join %d", i);
        total += workers[i].succeeded;
    }
    CHECK(total == THREADS * CALLS_PER_THREAD, "%d of %d calls succeeded", total,
          THREADS * CALLS_PER_THREAD);
    jogg_client_free(client);
}

/* ---------------------------------------------------------------------------------------- */
/* 9. Webhook verification and parsing                                                        */

/* RFC 4231 test case 2: HMAC-SHA256 with key "Jefe". */
#define RFC_BODY "what do ya want for nothing?"
#define RFC_SIG "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
#define RFC_SIG_UPPER "5BDCC146BF60754E6A042426089575C75A003F089D2739839DEC58B964EC3843"
/* A v2 failure event and its signature under "whsec_test" (computed independently). */
#define EVENT_BODY                                                                          \
    "{\"event_id\":\"evt_c\",\"event\":\"generated_avatar_video_failed\",\"timestamp\":"    \
    "1732806631,\"data\":{\"video_id\":\"v-9\",\"status\":\"failed\",\"error\":{\"code\":" \
    "50000,\"message\":\"render crashed\"}}}"
#define EVENT_SIG "eebcc71e5d2172437926ac3fa2609c833f84eeb508b8954e378881e4ae1ee146"

static void test_webhook_verify(void) {
    const uint8_t *body = (const uint8_t *)RFC_BODY;
    size_t len = strlen(RFC_BODY);
    char tampered[64];
    CHECK(jogg_webhook_verify(body, len, RFC_SIG, "Jefe") == JOGG_OK, "valid signature");
    CHECK(jogg_webhook_verify(body, len, RFC_SIG_UPPER, "Jefe") == JOGG_OK,
          "uppercase hex is accepted");
    CHECK(jogg_webhook_verify(body, len, RFC_SIG, "jefe") == JOGG_ERR_SIGNATURE,
          "wrong secret accepted");
    memcpy(tampered, RFC_BODY, len);
    tampered[0] = 'W';
    CHECK(jogg_webhook_verify((const uint8_t *)tampered, len, RFC_SIG, "Jefe") ==
              JOGG_ERR_SIGNATURE,
          "tampered body accepted");
    CHECK(jogg_webhook_verify(body, len - 1, RFC_SIG, "Jefe") == JOGG_ERR_SIGNATURE,
          "truncated body accepted");
    CHECK(jogg_webhook_verify(body, len, RFC_SIG + 1, "Jefe") == JOGG_ERR_SIGNATURE,
          "truncated signature accepted");
    CHECK(jogg_webhook_verify(body, len, "", "Jefe") == JOGG_ERR_SIGNATURE,
          "empty signature accepted");
    CHECK(jogg_webhook_verify(body, len, "sha256=" RFC_SIG, "Jefe") == JOGG_ERR_SIGNATURE,
          "prefixed signature accepted");
    CHECK(jogg_webhook_verify(body, len, "\xff\xfe", "Jefe") == JOGG_ERR_SIGNATURE,
          "non-UTF-8 signature not rejected as a signature error");
    CHECK(jogg_webhook_verify(body, len, NULL, "Jefe") == JOGG_ERR_SIGNATURE,
          "missing signature (NULL) accepted");
    CHECK(jogg_webhook_verify(body, len, RFC_SIG, NULL) == JOGG_ERR_NULL_ARGUMENT,
          "NULL secret");
    CHECK(jogg_webhook_verify(body, len, RFC_SIG, "") == JOGG_ERR_VALIDATION, "empty secret");
    CHECK(jogg_webhook_verify(NULL, len, RFC_SIG, "Jefe") == JOGG_ERR_NULL_ARGUMENT,
          "NULL body with a length");
    CHECK(jogg_webhook_verify(NULL, 0, RFC_SIG, "Jefe") == JOGG_ERR_SIGNATURE,
          "NULL empty body is an empty body, which this signature does not match");
    CHECK(strcmp(jogg_code_name(JOGG_ERR_SIGNATURE), "JOGG_ERR_SIGNATURE") == 0, "%s",
          jogg_code_name(JOGG_ERR_SIGNATURE));
}

static void test_webhook_parse(void) {
    const uint8_t *body = (const uint8_t *)EVENT_BODY;
    size_t len = strlen(EVENT_BODY);
    char *event = OUT_SENTINEL, *err = ERR_SENTINEL;
    if (EXPECT_OK(jogg_webhook_parse(body, len, EVENT_SIG, "whsec_test", &event, &err), err,
                  event)) {
        CHECK(contains(event, "\"event\":\"generated_avatar_video_failed\""), "%s", event);
        CHECK(contains(event, "\"task_kind\":\"avatar_video\""), "%s", event);
        CHECK(contains(event, "\"id\":\"v-9\""), "%s", event);
        CHECK(contains(event, "\"status\":\"failed\""), "%s", event);
        CHECK(contains(event, "\"error\":\"render crashed\""), "%s", event);
        CHECK(contains(event, "\"event_id\":\"evt_c\""), "%s", event);
        CHECK(contains(event, "\"timestamp\":1732806631"), "%s", event);
        CHECK(contains(event, "\"video_url\":null"), "%s", event);
        jogg_string_free(event);
    }
    event = OUT_SENTINEL;
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_webhook_parse(body, len, EVENT_SIG, "whsec_other", &event, &err), err,
                 JOGG_ERR_SIGNATURE, "signature");
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_webhook_parse(body, len, NULL, "whsec_test", &event, &err), err,
                 JOGG_ERR_SIGNATURE, "signature");
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_webhook_parse(body, len, EVENT_SIG, "whsec_test", NULL, &err), err,
                 JOGG_ERR_NULL_ARGUMENT, "event_json");
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_webhook_parse(body, len, EVENT_SIG, NULL, &event, &err), err,
                 JOGG_ERR_NULL_ARGUMENT, "secret");
    /* Verified, but not an event: the signature passes, the body does not. */
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_webhook_parse((const uint8_t *)RFC_BODY, strlen(RFC_BODY), RFC_SIG, "Jefe",
                                    &event, &err),
                 err, JOGG_ERR_BAD_RESPONSE, NULL);
    CHECK(event == OUT_SENTINEL, "event_json written on failure");
    CHECK(jogg_webhook_parse(body, len, EVENT_SIG, "x", &event, NULL) == JOGG_ERR_SIGNATURE,
          "NULL error_json");
}

/* Records the "source" of each progress event. */
static int32_t on_source(void *userdata, const char *event_json) {
    char *source = (char *)userdata;
    if (!json_string_value(event_json, "source", source, 16)) {
        strcpy(source, "missing");
    }
    return 0;
}

static void test_webhook_deliver(void) {
    const uint8_t *body = (const uint8_t *)EVENT_BODY;
    size_t len = strlen(EVENT_BODY);
    jogg_client *client = CLIENT_SENTINEL, *plain = new_client();
    char *event = OUT_SENTINEL, *err = ERR_SENTINEL, *result = OUT_SENTINEL;
    char source[16] = "";
    if (!CHECK(jogg_client_new("{\"proxy\":\"none\",\"webhook_secrets\":[\"whsec_test\"]}",
                               &client, NULL) == JOGG_OK,
               "client with webhook_secrets") ||
        plain == NULL) {
        jogg_client_free(plain);
        return;
    }
    /* Nobody waits on v-9 yet: the delivery is kept. */
    if (EXPECT_OK(jogg_webhook_deliver(client, body, len, EVENT_SIG, &event, &err), err, event)) {
        CHECK(contains(event, "\"event\":\"generated_avatar_video_failed\""), "%s", event);
        CHECK(contains(event, "\"id\":\"v-9\""), "%s", event);
        CHECK(contains(event, "\"duplicate\":false"), "%s", event);
        CHECK(contains(event, "\"woken\":0"), "%s", event);
        jogg_string_free(event);
    }
    event = OUT_SENTINEL;
    if (EXPECT_OK(jogg_webhook_deliver(client, body, len, EVENT_SIG, &event, &err), err, event)) {
        CHECK(contains(event, "\"duplicate\":true"), "a repeat is recognised: %s", event);
        jogg_string_free(event);
    }
    /* A wait that starts after its delivery ends at once, without polling (the mock knows no
     * video v-9: a poll would fail with JOGG_ERR_NOT_FOUND). */
    EXPECT_ERROR(jogg_wait(client, "v2.get_avatar_video", "v-9", NULL, on_source, source, &result,
                           &err),
                 err, JOGG_ERR_TASK_FAILED, NULL);
    CHECK(strcmp(source, "webhook") == 0, "progress source %s", source);
    CHECK(result == OUT_SENTINEL, "result_json written on failure");

    event = OUT_SENTINEL;
    EXPECT_ERROR(jogg_webhook_deliver(client, body, len, RFC_SIG, &event, &err), err,
                 JOGG_ERR_SIGNATURE, "signature");
    EXPECT_ERROR(jogg_webhook_deliver(client, body, len, NULL, &event, &err), err,
                 JOGG_ERR_SIGNATURE, "signature");
    EXPECT_ERROR(jogg_webhook_deliver(plain, body, len, EVENT_SIG, &event, &err), err,
                 JOGG_ERR_SIGNATURE, "signature");
    EXPECT_ERROR(jogg_webhook_deliver(client, NULL, len, EVENT_SIG, &event, &err), err,
                 JOGG_ERR_NULL_ARGUMENT, "body");
    EXPECT_ERROR(jogg_webhook_deliver(NULL, body, len, EVENT_SIG, &event, &err), err,
                 JOGG_ERR_NULL_ARGUMENT, "client");
    EXPECT_ERROR(jogg_webhook_deliver(client, body, len, EVENT_SIG, NULL, &err), err,
                 JOGG_ERR_NULL_ARGUMENT, "event_json");
    CHECK(event == OUT_SENTINEL, "event_json written on failure");
    CHECK(jogg_webhook_deliver(client, body, len, "00", &event, NULL) == JOGG_ERR_SIGNATURE,
          "NULL error_json");
    jogg_client_free(plain);
    jogg_client_free(client);
    /* A secret that is not a string, or empty, is a config error naming it. */
    client = CLIENT_SENTINEL;
    EXPECT_ERROR(jogg_client_new("{\"webhook_secrets\":[\"\"]}", &client, &err), err,
                 JOGG_ERR_INVALID_CONFIG, "webhook_secrets[0]");
    CHECK(client == CLIENT_SENTINEL, "client written on failure");
}

static void test_create_webhook_endpoint(void) {
    jogg_client *client = new_client();
    char *out = OUT_SENTINEL, *err = ERR_SENTINEL;
    char secret[128];
    if (client == NULL) {
        return;
    }
    if (EXPECT_OK(jogg_create_webhook_endpoint(
                      client,
                      "{\"url\":\"https://example.com/hook\","
                      "\"events\":[\"generated_video_success\"]}",
                      &out, &err),
                  err, out)) {
        CHECK(json_string_value(out, "secret", secret, sizeof secret) && strlen(secret) >= 8,
              "secret in %s", out);
        CHECK(contains(out, "\"endpoint_id\":\""), "endpoint_id in %s", out);
        CHECK(contains(out, "\"status\":\"enabled\""), "status in %s", out);
        jogg_string_free(out);
    }
    out = OUT_SENTINEL;
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_create_webhook_endpoint(client, "{\"events\":[]}", &out, &err), err,
                 JOGG_ERR_VALIDATION, "url");
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_create_webhook_endpoint(client, "{\"url\":\"https://x\",\"events\":[1]}",
                                              &out, &err),
                 err, JOGG_ERR_VALIDATION, "events[0]");
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_create_webhook_endpoint(client, NULL, &out, &err), err,
                 JOGG_ERR_NULL_ARGUMENT, "request_json");
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_create_webhook_endpoint(client, "{\"url\":\"http://example.com/h\","
                                                      "\"events\":[]}",
                                              &out, &err),
                 err, JOGG_ERR_INVALID_REQUEST, NULL);
    CHECK(out == OUT_SENTINEL, "response_json written on failure");
    jogg_client_free(client);
}

/* ---------------------------------------------------------------------------------------- */
/* 10. Upload and download                                                                    */

struct transfer {
    int calls;
    long last_bytes;
    int went_back;       /* set if "bytes" ever decreased */
    int cancel_after;    /* cancel once this many events were seen; 0 = never */
};

static int32_t on_transfer(void *userdata, const char *event_json) {
    struct transfer *t = (struct transfer *)userdata;
    long bytes = -1;
    t->calls++;
    CHECK(json_int_value(event_json, "bytes", &bytes), "no bytes in %s", show(event_json));
    CHECK(contains(event_json, "\"total\":"), "no total in %s", show(event_json));
    if (bytes < t->last_bytes) {
        t->went_back = 1;
    }
    t->last_bytes = bytes;
    return t->cancel_after != 0 && t->calls >= t->cancel_after;
}

static int write_file(const char *path, const unsigned char *bytes, size_t len) {
    FILE *f = fopen(path, "wb");
    int ok = f != NULL && fwrite(bytes, 1, len, f) == len;
    if (f != NULL && fclose(f) != 0) {
        ok = 0;
    }
    return ok;
}

/* The whole file into a malloc'd buffer; NULL if unreadable. */
static unsigned char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    long size;
    if (f == NULL) {
        return NULL;
    }
    if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
        buf = malloc((size_t)size + 1);
        if (buf != NULL && fread(buf, 1, (size_t)size, f) != (size_t)size) {
            free(buf);
            buf = NULL;
        }
        *len = (size_t)size;
    }
    fclose(f);
    return buf;
}

static int file_exists(const char *path) {
    return access(path, F_OK) == 0;
}

#define UPLOAD_BYTES 300000

static void test_upload_and_download(void) {
    jogg_client *client = new_client();
    char dir_template[] = "/tmp/jogg-abi-XXXXXX";
    char *dir;
    char source[96], target[96], part[112], empty[96], missing[96];
    char asset_url[512], sha[80];
    char *out = OUT_SENTINEL, *err = ERR_SENTINEL;
    unsigned char *original = NULL, *copy = NULL;
    size_t copy_len = 0, i;
    long bytes = -1;
    struct transfer t;
    if (client == NULL) {
        return;
    }
    dir = mkdtemp(dir_template);
    if (!CHECK(dir != NULL, "mkdtemp")) {
        jogg_client_free(client);
        return;
    }
    snprintf(source, sizeof source, "%s/source.mp4", dir);
    snprintf(target, sizeof target, "%s/copy.mp4", dir);
    snprintf(part, sizeof part, "%s.part", target);
    snprintf(empty, sizeof empty, "%s/empty.png", dir);
    snprintf(missing, sizeof missing, "%s/missing.png", dir);
    original = malloc(UPLOAD_BYTES);
    if (!CHECK(original != NULL, "malloc")) {
        goto cleanup;
    }
    for (i = 0; i < UPLOAD_BYTES; i++) {
        original[i] = (unsigned char)((i * 2654435761u) >> 13);
    }
    CHECK(write_file(source, original, UPLOAD_BYTES) && write_file(empty, original, 0),
          "writing the test files");

    /* Bad files: refused with JOGG_ERR_IO naming the path, nothing written. */
    EXPECT_ERROR(jogg_upload_asset(client, missing, NULL, NULL, NULL, &out, &err), err, JOGG_ERR_IO, "path");
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_upload_asset(client, empty, NULL, NULL, NULL, &out, &err), err, JOGG_ERR_IO, "path");
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_upload_asset(client, dir, NULL, NULL, NULL, &out, &err), err, JOGG_ERR_IO, "path");
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_upload_asset(client, source, "{\"max_bytes\":10}", NULL, NULL, &out, &err), err,
                 JOGG_ERR_IO, "path");
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_upload_asset(client, source, "{\"versoin\":\"v1\"}", NULL, NULL, &out, &err), err,
                 JOGG_ERR_VALIDATION, "versoin");
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_upload_asset(client, source, "{", NULL, NULL, &out, &err), err, JOGG_ERR_INVALID_JSON,
                 "options_json");
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_upload_asset(client, NULL, NULL, NULL, NULL, &out, &err), err, JOGG_ERR_NULL_ARGUMENT,
                 "path");
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_upload_asset(client, source, NULL, NULL, NULL, NULL, &err), err,
                 JOGG_ERR_NULL_ARGUMENT, "result_json");
    CHECK(out == OUT_SENTINEL, "result_json written on failure");

    /* Upload (v1 this time), then download what the asset URL serves. */
    err = ERR_SENTINEL;
    if (!EXPECT_OK(jogg_upload_asset(client, source, "{\"version\":\"v1\"}", NULL, NULL, &out, &err), err,
                   out)) {
        goto cleanup;
    }
    CHECK(json_string_value(out, "asset_url", asset_url, sizeof asset_url), "asset_url in %s",
          out);
    CHECK(json_int_value(out, "bytes", &bytes) && bytes == UPLOAD_BYTES, "bytes in %s", out);
    CHECK(contains(out, "\"content_type\":\"video/mp4\""), "content_type in %s", out);
    jogg_string_free(out);

    /* Cancelled at the second event: no target, a resumable .part. */
    memset(&t, 0, sizeof t);
    t.cancel_after = 2;
    out = OUT_SENTINEL;
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_download(client, asset_url, target, on_transfer, &t, &out, &err), err,
                 JOGG_ERR_CANCELLED, NULL);
    CHECK(t.calls == 2, "%d callbacks before the cancel took effect", t.calls);
    CHECK(!file_exists(target), "a cancelled download reached the target path");
    CHECK(out == OUT_SENTINEL, "result_json written on failure");

    /* Complete it: resumes from the .part, progress never goes back. */
    memset(&t, 0, sizeof t);
    err = ERR_SENTINEL;
    if (EXPECT_OK(jogg_download(client, asset_url, target, on_transfer, &t, &out, &err), err,
                  out)) {
        CHECK(json_int_value(out, "bytes", &bytes) && bytes == UPLOAD_BYTES, "bytes in %s",
              out);
        CHECK(json_string_value(out, "sha256", sha, sizeof sha) && strlen(sha) == 64,
              "sha256 in %s", out);
        CHECK(json_int_value(out, "resumed_from", &bytes) && bytes > 0,
              "did not resume: %s", out);
        jogg_string_free(out);
    }
    CHECK(t.calls >= 2 && !t.went_back && t.last_bytes == UPLOAD_BYTES,
          "%d events, went back %d, last %ld", t.calls, t.went_back, t.last_bytes);
    CHECK(!file_exists(part), "the .part survived a complete download");
    copy = read_file(target, &copy_len);
    CHECK(copy != NULL && copy_len == UPLOAD_BYTES &&
              memcmp(copy, original, UPLOAD_BYTES) == 0,
          "downloaded bytes differ from the uploaded ones (%lu bytes)", (unsigned long)copy_len);

    /* Bad download arguments, checked before any request. */
    out = OUT_SENTINEL;
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_download(client, "http://example.com/v.mp4", target, NULL, NULL, &out,
                               &err),
                 err, JOGG_ERR_VALIDATION, "url");
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_download(client, asset_url, "/nonexistent-dir/jogg/v.mp4", NULL, NULL,
                               &out, &err),
                 err, JOGG_ERR_IO, "path");
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_download(client, NULL, target, NULL, NULL, &out, &err), err,
                 JOGG_ERR_NULL_ARGUMENT, "url");
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_download(client, asset_url, target, NULL, NULL, NULL, &err), err,
                 JOGG_ERR_NULL_ARGUMENT, "result_json");
    CHECK(out == OUT_SENTINEL, "result_json written on failure");

cleanup:
    free(original);
    free(copy);
    remove(source);
    remove(target);
    remove(part);
    remove(empty);
    rmdir(dir);
    jogg_client_free(client);
}

/* ---------------------------------------------------------------------------------------- */

/* ---------------------------------------------------------------------------------------- */
/* 9. Any operation by name: jogg_call and jogg_operations                                  */

/* The README's example of a call by name (the Makefile checks that it is this passage). */
/* Starts a lip-sync task by the operation's name: its reply, or NULL after printing why. */
static char *start_lip_sync(const jogg_client *client) {
    char *out = NULL, *err = NULL;
    jogg_code rc = jogg_call(client, "v2.create_lip_sync_video",
                             "{\"video_url\": \"https://example.com/in.mp4\","
                             " \"audio_url\": \"https://example.com/a.mp3\"}",
                             &out, &err);
    if (rc != JOGG_OK) {
        fprintf(stderr, "%s: %s\n", jogg_code_name(rc), err);
        jogg_string_free(err);
    }
    return out; /* {"task_id": "...", "status": "pending"}, to free with jogg_string_free */
}

static void test_call_by_name(void) {
    jogg_client *client = new_client();
    char *out = OUT_SENTINEL;
    char *err = ERR_SENTINEL;
    char task_id[ID_MAX];
    char request[256];
    if (client == NULL) {
        return;
    }
    /* The list names every operation, with its method and path. */
    if (EXPECT_OK(jogg_operations(&out, &err), err, out)) {
        CHECK(contains(out, "\"name\":\"v1.get_project\"") &&
                  contains(out, "\"name\":\"v2.create_lip_sync_video\"") &&
                  contains(out, "\"path\":\"/v2/lip_sync_video/{task_id}\""),
              "operations list lacks entries: %.200s", out);
        jogg_string_free(out);
    }
    out = start_lip_sync(client);
    CHECK(out != NULL && contains(out, "\"task_id\":") && contains(out, "\"status\":\"pending\""),
          "the README's call: %s", out ? out : "(failed)");
    jogg_string_free(out);
    /* Create and read back a v2 task by name; NULL request means no parameters. */
    out = OUT_SENTINEL;
    err = ERR_SENTINEL;
    if (EXPECT_OK(jogg_call(client, "v2.create_lip_sync_video",
                            "{\"video_url\":\"https://example.com/v.mp4\","
                            "\"audio_url\":\"https://example.com/a.mp3\"}",
                            &out, &err),
                  err, out)) {
        CHECK(json_string_value(out, "task_id", task_id, sizeof task_id), "no task_id: %s", out);
        jogg_string_free(out);
        snprintf(request, sizeof request, "{\"task_id\":\"%s\"}", task_id);
        out = OUT_SENTINEL;
        err = ERR_SENTINEL;
        if (EXPECT_OK(jogg_call(client, "v2.get_lip_sync_video", request, &out, &err), err, out)) {
            CHECK(contains(out, task_id) && contains(out, "\"status\":"), "task: %s", out);
            jogg_string_free(out);
        }
    }
    out = OUT_SENTINEL;
    err = ERR_SENTINEL;
    if (EXPECT_OK(jogg_call(client, "v2.get_current_user", NULL, &out, &err), err, out)) {
        CHECK(contains(out, "\"username\":"), "whoami: %s", out);
        jogg_string_free(out);
    }
    /* All pages in one call. */
    out = OUT_SENTINEL;
    err = ERR_SENTINEL;
    if (EXPECT_OK(jogg_call(client, "v2.list_musics", "{\"all_pages\":true,\"page_size\":5}",
                            &out, &err),
                  err, out)) {
        CHECK(contains(out, "\"music\":[") && contains(out, "\"pages\":"), "all pages: %.200s",
              out);
        jogg_string_free(out);
    }
    /* Unknown names, bad parameters, NULLs. */
    out = OUT_SENTINEL;
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_call(client, "v1.get_projects", "{}", &out, &err), err,
                 JOGG_ERR_UNKNOWN_OPERATION, NULL);
    CHECK(out == OUT_SENTINEL, "response written on failure");
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_call(client, "v2.create_lip_sync_video", "{\"video_url\":\"x\"}", &out, &err),
                 err, JOGG_ERR_VALIDATION, "video_url");
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_call(client, NULL, "{}", &out, &err), err, JOGG_ERR_NULL_ARGUMENT,
                 "operation");
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_call(NULL, "v2.get_current_user", "{}", &out, &err), err,
                 JOGG_ERR_NULL_ARGUMENT, "client");
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_call(client, "v2.get_current_user", "{}", NULL, &err), err,
                 JOGG_ERR_NULL_ARGUMENT, "response_json");
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_operations(NULL, &err), err, JOGG_ERR_NULL_ARGUMENT, "operations_json");
    jogg_client_free(client);
}

/* ---------------------------------------------------------------------------------------- */
/* 10. Waiting on any task, on many, and creating then waiting                               */

static int32_t count_events(void *userdata, const char *event_json) {
    int *n = (int *)userdata;
    ++*n;
    CHECK(contains(event_json, "\"status\":") && contains(event_json, "\"raw_status\":"),
          "event: %s", show(event_json));
    return 0;
}

static void test_generic_waits(void) {
    jogg_client *client = new_client();
    char *out = OUT_SENTINEL;
    char *err = ERR_SENTINEL;
    char id1[ID_MAX], id2[ID_MAX], tasks[512], task_id[ID_MAX];
    int events = 0;
    long avatar_id = 0;
    char voice_id[ID_MAX], request[512];
    if (client == NULL || !pick_avatar_and_voice(client, &avatar_id, voice_id, sizeof voice_id)) {
        jogg_client_free(client);
        return;
    }
    /* The main job in one call. */
    snprintf(request, sizeof request,
             "{\"script\":\"one call\",\"voice_id\":\"%s\",\"avatar_id\":%ld,"
             "\"avatar_type\":0,\"screen_style\":1}",
             voice_id, avatar_id);
    if (EXPECT_OK(jogg_generate_talking_avatar_video(client, request, WAIT_OPTIONS, count_events,
                                                     &events, &out, &err),
                  err, out)) {
        CHECK(contains(out, "\"status_code\":4") && contains(out, "\"video_url\":\"http"),
              "project: %s", out);
        jogg_string_free(out);
    }
    CHECK(events >= 1, "no progress events");
    /* Any task by name, created then awaited. */
    out = OUT_SENTINEL;
    err = ERR_SENTINEL;
    if (EXPECT_OK(jogg_call_and_wait(client, "v2.create_lip_sync_video",
                                     "{\"video_url\":\"https://example.com/v.mp4\","
                                     "\"audio_url\":\"https://example.com/a.mp3\"}",
                                     WAIT_OPTIONS, NULL, NULL, &out, &err),
                  err, out)) {
        CHECK(contains(out, "\"status\":\"succeeded\"") && contains(out, "\"created\":{") &&
                  contains(out, "\"result_url\":"),
              "call_and_wait: %s", out);
        CHECK(json_string_value(out, "id", task_id, sizeof task_id), "no id: %s", out);
        jogg_string_free(out);
        /* Waiting again on a finished task answers at once. */
        out = OUT_SENTINEL;
        err = ERR_SENTINEL;
        if (EXPECT_OK(jogg_wait(client, "v2.get_lip_sync_video", task_id, NULL, NULL, NULL, &out,
                                &err),
                      err, out)) {
            CHECK(contains(out, "\"polls\":1") && contains(out, task_id), "wait: %s", out);
            jogg_string_free(out);
        }
    }
    /* Two projects at once, one failing: both reported, in order. */
    if (create_video(client, "first", id1, sizeof id1) &&
        create_video(client, "second FAIL_RENDER", id2, sizeof id2)) {
        snprintf(tasks, sizeof tasks,
                 "[{\"operation\":\"v1.get_project\",\"id\":\"%s\"},"
                 "{\"operation\":\"v1.get_project\",\"id\":\"%s\"}]",
                 id1, id2);
        out = OUT_SENTINEL;
        err = ERR_SENTINEL;
        if (EXPECT_OK(jogg_wait_many(client, tasks, WAIT_OPTIONS, NULL, NULL, &out, &err), err,
                      out)) {
            const char *first = strstr(out, id1), *second = strstr(out, id2);
            CHECK(first && second && first < second, "order: %s", out);
            CHECK(count_occurrences(out, "\"ok\":true") == 1 &&
                      count_occurrences(out, "\"ok\":false") == 1 &&
                      contains(out, "JOGG_ERR_TASK_FAILED"),
                  "results: %s", out);
            jogg_string_free(out);
        }
    }
    /* Mistakes. */
    out = OUT_SENTINEL;
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_wait(client, "v2.get_current_user", "x", NULL, NULL, NULL, &out, &err), err,
                 JOGG_ERR_VALIDATION, "operation");
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_wait(client, "v1.get_project", NULL, NULL, NULL, NULL, &out, &err), err,
                 JOGG_ERR_NULL_ARGUMENT, "id");
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_wait_many(client, "[{\"operation\":\"v1.get_project\"}]", NULL, NULL,
                                NULL, &out, &err),
                 err, JOGG_ERR_VALIDATION, "tasks_json[0].id");
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_call_and_wait(client, "v2.get_current_user", NULL, NULL, NULL, NULL, &out,
                                    &err),
                 err, JOGG_ERR_VALIDATION, "operation");
    CHECK(out == OUT_SENTINEL, "result written on failure");
    jogg_client_free(client);
}

/* ---------------------------------------------------------------------------------------- */
/* Hardening: deep and oversized input, the log callback from many threads.                  */

static void test_input_limits(void) {
    jogg_client *client = new_client();
    const size_t depth = 100000;
    const size_t big = (size_t)9 << 20;
    char *deep;
    char *huge;
    char *out = OUT_SENTINEL;
    char *err = ERR_SENTINEL;
    size_t i;
    if (client == NULL) {
        return;
    }
    /* {"project_id":[[[[...]]]]}: a typed error, not a stack overflow. */
    deep = malloc(depth * 2 + 32);
    if (!CHECK(deep != NULL, "malloc")) {
        jogg_client_free(client);
        return;
    }
    strcpy(deep, "{\"project_id\":");
    i = strlen(deep);
    memset(deep + i, '[', depth);
    memset(deep + i + depth, ']', depth);
    strcpy(deep + i + 2 * depth, "}");
    EXPECT_ERROR(jogg_call(client, "v1.get_project", deep, &out, &err), err,
                 JOGG_ERR_INVALID_JSON, "request_json");
    CHECK(out == OUT_SENTINEL, "output written on failure");
    free(deep);
    /* 9 MiB of request: refused by name before parsing. */
    huge = malloc(big + 1);
    if (!CHECK(huge != NULL, "malloc")) {
        jogg_client_free(client);
        return;
    }
    memset(huge, ' ', big);
    huge[0] = '{';
    huge[big - 1] = '}';
    huge[big] = '\0';
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_call(client, "v1.get_project", huge, &out, &err), err,
                 JOGG_ERR_VALIDATION, "request_json");
    free(huge);
    jogg_client_free(client);
}

struct log_count {
    pthread_mutex_t lock;
    int info;
    int debug;
    int key_seen;
};

static void on_log(void *userdata, int32_t level, const char *line) {
    struct log_count *c = userdata;
    pthread_mutex_lock(&c->lock);
    if (level == JOGG_LOG_INFO) {
        c->info++;
    } else if (level == JOGG_LOG_DEBUG) {
        c->debug++;
    }
    if (contains(line, g_env_api_key) || line == NULL || strchr(line, '\n') != NULL) {
        c->key_seen++;
    }
    pthread_mutex_unlock(&c->lock);
}

static void *log_worker(void *arg) {
    const jogg_client *client = arg;
    int n;
    for (n = 0; n < 5; n++) {
        char *out = NULL;
        char *err = NULL;
        jogg_code rc = jogg_call(client, "v1.get_project", "{\"project_id\":\"nope\"}", &out, &err);
        CHECK(rc == JOGG_ERR_NOT_FOUND, "code %d: %s", (int)rc, show(err));
        jogg_string_free(out);
        jogg_string_free(err);
    }
    return NULL;
}

static void test_log_callback(void) {
    struct log_count counts;
    jogg_client *client = CLIENT_SENTINEL;
    char *err = ERR_SENTINEL;
    pthread_t threads[4];
    int t;
    memset(&counts, 0, sizeof counts);
    pthread_mutex_init(&counts.lock, NULL);
    if (!CHECK(jogg_client_new_with_log("{\"proxy\":\"none\",\"log\":\"debug\"}", on_log, &counts,
                                        &client, &err) == JOGG_OK,
               "jogg_client_new_with_log: %s", err == ERR_SENTINEL ? "(sentinel)" : show(err))) {
        return;
    }
    CHECK(err == NULL, "error_json not reset");
    for (t = 0; t < 4; t++) {
        pthread_create(&threads[t], NULL, log_worker, client);
    }
    for (t = 0; t < 4; t++) {
        pthread_join(threads[t], NULL);
    }
    jogg_client_free(client);
    CHECK(counts.info == 20, "one info line per request: %d", counts.info);
    CHECK(counts.debug == 20, "one debug line per attempt: %d", counts.debug);
    CHECK(counts.key_seen == 0, "the key or a newline in %d lines", counts.key_seen);
    pthread_mutex_destroy(&counts.lock);
    /* A NULL callback is jogg_client_new; a bad config is an error as there. */
    client = CLIENT_SENTINEL;
    CHECK(jogg_client_new_with_log("{\"proxy\":\"none\"}", NULL, NULL, &client, NULL) == JOGG_OK,
          "NULL callback");
    jogg_client_free(client);
    err = ERR_SENTINEL;
    client = CLIENT_SENTINEL;
    EXPECT_ERROR(jogg_client_new_with_log("{\"log\":\"loud\"}", on_log, &counts, &client, &err),
                 err, JOGG_ERR_INVALID_CONFIG, "log");
    CHECK(client == CLIENT_SENTINEL, "client written on failure");
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_client_new_with_log(NULL, on_log, &counts, &client, &err), err,
                 JOGG_ERR_NULL_ARGUMENT, "config_json");
}

/* ---------------------------------------------------------------------------------------- */
/* A POST limiter store of the caller's own: jogg_client_new_with_post_limiter               */

/* A sliding log of slots in memory, as a program would keep in its own shared store. */
struct c_store {
    pthread_mutex_t lock;
    struct {
        char id[96];
        int64_t expiry_ms;
    } slots[16];
    int n;
    int fail;          /* acquire returns this when non-zero */
    int acquires;      /* acquire calls */
    int taken;         /* slots taken */
    int told_to_wait;  /* acquire calls that answered "wait" */
    int releases;
    int unknown_releases; /* a release of an id never taken */
    uint32_t limit;
    uint64_t acquire_hold_ms, release_hold_ms;
    char key_id[64];
};

static int64_t monotonic_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int32_t store_acquire(void *userdata, const jogg_post_slot *slot, uint64_t *wait_ms) {
    struct c_store *s = userdata;
    int64_t now = monotonic_ms(), first = INT64_MAX;
    int i, kept = 0;
    pthread_mutex_lock(&s->lock);
    s->acquires++;
    s->limit = slot->limit;
    s->acquire_hold_ms = slot->hold_ms;
    snprintf(s->key_id, sizeof s->key_id, "%s", slot->key_id);
    if (s->fail) {
        pthread_mutex_unlock(&s->lock);
        return s->fail;
    }
    for (i = 0; i < s->n; i++) {
        if (s->slots[i].expiry_ms > now) {
            s->slots[kept++] = s->slots[i];
        }
    }
    s->n = kept;
    if ((uint32_t)s->n < slot->limit && s->n < 16) {
        snprintf(s->slots[s->n].id, sizeof s->slots[s->n].id, "%s", slot->id);
        s->slots[s->n].expiry_ms = now + (int64_t)slot->hold_ms;
        s->n++;
        s->taken++;
        *wait_ms = 0;
    } else {
        for (i = 0; i < s->n; i++) {
            first = s->slots[i].expiry_ms < first ? s->slots[i].expiry_ms : first;
        }
        s->told_to_wait++;
        *wait_ms = (uint64_t)(first - now);
    }
    pthread_mutex_unlock(&s->lock);
    return 0;
}

static int32_t store_release(void *userdata, const jogg_post_slot *slot) {
    struct c_store *s = userdata;
    int i, found = 0;
    pthread_mutex_lock(&s->lock);
    s->releases++;
    s->release_hold_ms = slot->hold_ms;
    for (i = 0; i < s->n; i++) {
        if (strcmp(s->slots[i].id, slot->id) == 0) {
            s->slots[i].expiry_ms = monotonic_ms() + (int64_t)slot->hold_ms;
            found = 1;
        }
    }
    s->unknown_releases += !found;
    pthread_mutex_unlock(&s->lock);
    return 0;
}

/* POSTs to a port where nothing listens: each takes a slot, fails to connect, gives it back.
 * The mock's own POST budget is left alone. */
#define NOWHERE_CONFIG(extra)                                                                   \
    "{\"api_key\":\"k\",\"base_url\":\"http://127.0.0.1:1\",\"proxy\":\"none\","               \
    "\"max_retries\":0,\"post_limit\":2,\"post_window_ms\":200,\"timeout_ms\":1000" extra "}"
#define A_CREATE                                                                               \
    "{\"script\":\"hi\",\"voice_id\":\"en-US-JennyNeural\",\"avatar_id\":81,"                 \
    "\"avatar_type\":0,\"screen_style\":1}"

static void test_post_limiter(void) {
    struct c_store store;
    jogg_post_limiter limiter;
    jogg_client *client = CLIENT_SENTINEL;
    char *err = ERR_SENTINEL, *out = OUT_SENTINEL;
    size_t i;
    memset(&store, 0, sizeof store);
    pthread_mutex_init(&store.lock, NULL);
    limiter.acquire = store_acquire;
    limiter.release = store_release;
    limiter.cooldown = NULL;
    limiter.userdata = &store;

    if (!CHECK(jogg_client_new_with_post_limiter(NOWHERE_CONFIG(""), &limiter, &client, &err) ==
                   JOGG_OK && err == NULL,
               "jogg_client_new_with_post_limiter: %s",
               err == ERR_SENTINEL ? "(sentinel)" : show(err))) {
        return;
    }
    /* Three creates with a limit of 2: the third is told to wait until a slot's hold (the
     * window + margin after its answer) has passed, then goes. */
    for (i = 0; i < 3; i++) {
        err = ERR_SENTINEL;
        EXPECT_ERROR(jogg_create_talking_avatar_video(client, A_CREATE, &out, &err), err,
                     JOGG_ERR_CONNECT, NULL);
    }
    CHECK(store.taken == 3 && store.releases == 3, "taken %d, released %d", store.taken,
          store.releases);
    CHECK(store.told_to_wait >= 1, "the third create did not wait");
    CHECK(store.acquires == store.taken + store.told_to_wait, "acquire calls %d", store.acquires);
    CHECK(store.unknown_releases == 0, "released a slot it never took");
    CHECK(store.limit == 2, "limit %u", (unsigned)store.limit);
    CHECK(strlen(store.key_id) == 32 && strspn(store.key_id, "0123456789abcdef") == 32,
          "key_id %s", store.key_id);
    CHECK(store.acquire_hold_ms == 1000 + 200 + 20, "lease %llu ms: timeout + window + margin",
          (unsigned long long)store.acquire_hold_ms);
    CHECK(store.release_hold_ms == 200 + 20, "hold %llu ms: window + margin",
          (unsigned long long)store.release_hold_ms);
    /* GETs are not counted. */
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_get_project(client, "p1", &out, &err), err, JOGG_ERR_CONNECT, NULL);
    CHECK(store.acquires == store.taken + store.told_to_wait, "a GET asked the store");
    /* A failing store: nothing is sent, the error names the store. */
    store.fail = 7;
    err = ERR_SENTINEL;
    jogg_code rc = jogg_create_talking_avatar_video(client, A_CREATE, &out, &err);
    CHECK(contains(err, "acquire callback returned 7"), "message: %s", show(err));
    EXPECT_ERROR(rc, err, JOGG_ERR_LIMITER_STORE, "post_limit_scope");
    jogg_client_free(client);
    /* ...unless the config asks to count in the process instead. */
    client = CLIENT_SENTINEL;
    err = ERR_SENTINEL;
    if (CHECK(jogg_client_new_with_post_limiter(
                  NOWHERE_CONFIG(",\"post_limit_fallback\":\"process\""), &limiter, &client,
                  &err) == JOGG_OK,
              "fallback config: %s", err == ERR_SENTINEL ? "(sentinel)" : show(err))) {
        err = ERR_SENTINEL;
        EXPECT_ERROR(jogg_create_talking_avatar_video(client, A_CREATE, &out, &err), err,
                     JOGG_ERR_CONNECT, NULL);
        jogg_client_free(client);
    }
    CHECK(out == OUT_SENTINEL, "an out parameter was written on failure");

    /* Misuse: NULL limiter or callbacks, a scope chosen twice. */
    client = CLIENT_SENTINEL;
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_client_new_with_post_limiter(NOWHERE_CONFIG(""), NULL, &client, &err), err,
                 JOGG_ERR_NULL_ARGUMENT, "limiter");
    limiter.acquire = NULL;
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_client_new_with_post_limiter(NOWHERE_CONFIG(""), &limiter, &client, &err),
                 err, JOGG_ERR_NULL_ARGUMENT, "limiter.acquire");
    limiter.acquire = store_acquire;
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_client_new_with_post_limiter(
                     NOWHERE_CONFIG(",\"post_limit_scope\":\"host\""), &limiter, &client, &err),
                 err, JOGG_ERR_INVALID_CONFIG, "post_limit_scope");
    CHECK(client == CLIENT_SENTINEL, "out_client written on failure");
    pthread_mutex_destroy(&store.lock);
}

/* jogg_json_string: one member of a JSON by JSON Pointer, and a typed error for everything
 * else, without a crash: bad JSON, no such member, the wrong type, bad pointers, NULLs. */
static void test_json_string(void) {
    const char *doc =
        "{\"project_id\": \"a1\", \"status_code\" : 4, \"video_url\":\"http://x/v.mp4\","
        " \"voices\": [{\"voice_id\": \"en-US-A\"}], \"a/b\": {\"~k\": \"esc\\u00e9\\n\"},"
        " \"done\": true, \"gone\": null, \"nul\": \"x\\u0000y\"}";
    char *out = OUT_SENTINEL, *err = ERR_SENTINEL;

    if (EXPECT_OK(jogg_json_string(doc, "/project_id", &out, &err), err, out)) {
        CHECK(strcmp(out, "a1") == 0, "/project_id gave %s", out);
        jogg_string_free(out);
    }
    out = OUT_SENTINEL;
    err = ERR_SENTINEL;
    if (EXPECT_OK(jogg_json_string(doc, "/status_code", &out, &err), err, out)) {
        CHECK(strcmp(out, "4") == 0, "a number reads as its text: %s", out);
        jogg_string_free(out);
    }
    out = OUT_SENTINEL;
    err = ERR_SENTINEL;
    if (EXPECT_OK(jogg_json_string(doc, "/voices/0/voice_id", &out, &err), err, out)) {
        CHECK(strcmp(out, "en-US-A") == 0, "array index: %s", out);
        jogg_string_free(out);
    }
    out = OUT_SENTINEL;
    err = ERR_SENTINEL;
    if (EXPECT_OK(jogg_json_string(doc, "/a~1b/~0k", &out, &err), err, out)) {
        CHECK(strcmp(out, "esc\xc3\xa9\n") == 0, "escapes are decoded: %s", out);
        jogg_string_free(out);
    }

    out = OUT_SENTINEL;
    err = ERR_SENTINEL;
    EXPECT_ERROR(jogg_json_string(doc, "/video", &out, &err), err, JOGG_ERR_NO_SUCH_MEMBER,
                 "pointer");
    EXPECT_ERROR(jogg_json_string(doc, "/voices/7/voice_id", &out, &err), err,
                 JOGG_ERR_NO_SUCH_MEMBER, "pointer");
    EXPECT_ERROR(jogg_json_string(doc, "/done", &out, &err), err, JOGG_ERR_WRONG_TYPE, "pointer");
    EXPECT_ERROR(jogg_json_string(doc, "/gone", &out, &err), err, JOGG_ERR_WRONG_TYPE, "pointer");
    EXPECT_ERROR(jogg_json_string(doc, "/voices", &out, &err), err, JOGG_ERR_WRONG_TYPE,
                 "pointer");
    EXPECT_ERROR(jogg_json_string(doc, "/nul", &out, &err), err, JOGG_ERR_WRONG_TYPE, NULL);
    EXPECT_ERROR(jogg_json_string(doc, "project_id", &out, &err), err, JOGG_ERR_VALIDATION,
                 "pointer");
    EXPECT_ERROR(jogg_json_string("{\"project_id\": ", "/project_id", &out, &err), err,
                 JOGG_ERR_INVALID_JSON, "json");
    EXPECT_ERROR(jogg_json_string(NULL, "/x", &out, &err), err, JOGG_ERR_NULL_ARGUMENT, "json");
    EXPECT_ERROR(jogg_json_string(doc, NULL, &out, &err), err, JOGG_ERR_NULL_ARGUMENT, "pointer");
    EXPECT_ERROR(jogg_json_string(doc, "/project_id", NULL, &err), err, JOGG_ERR_NULL_ARGUMENT,
                 "value_out");
    CHECK(out == OUT_SENTINEL, "the output is written on success only");
    CHECK(jogg_json_string(doc, "/done", &out, NULL) == JOGG_ERR_WRONG_TYPE,
          "error_json may be NULL");
}

int main(void) {
    g_env_base_url = getenv("JOGG_BASE_URL");
    g_env_api_key = getenv("JOGG_API_KEY");
    if (g_env_base_url == NULL || g_env_api_key == NULL) {
        fprintf(stderr, "JOGG_BASE_URL and JOGG_API_KEY must be set: run this under jogg-mock, "
                        "e.g. jogg-mock --render-ms 300 -- %s\n",
                "./build/test_abi");
        return 2;
    }
    run_test("version", test_version);
    run_test("happy_path", test_happy_path);
    run_test("null_arguments", test_null_arguments);
    run_test("invalid_input", test_invalid_input);
    run_test("config_errors", test_config_errors);
    run_test("not_found_and_failed_render", test_not_found_and_failed_render);
    run_test("wait_timeout_and_cancel", test_wait_timeout_and_cancel);
    run_test("threads", test_threads);
    run_test("call_by_name", test_call_by_name);
    run_test("generic_waits", test_generic_waits);
    run_test("webhook_verify", test_webhook_verify);
    run_test("webhook_parse", test_webhook_parse);
    run_test("webhook_deliver", test_webhook_deliver);
    run_test("create_webhook_endpoint", test_create_webhook_endpoint);
    run_test("upload_and_download", test_upload_and_download);
    run_test("input_limits", test_input_limits);
    run_test("log_callback", test_log_callback);
    run_test("post_limiter", test_post_limiter);
    run_test("json_string", test_json_string);
    printf("%d passed, %d failed\n", g_passed, g_failed);
    return g_failed == 0 ? 0 : 1;
}
