/*
 * jogg quickstart: pick an avatar and a voice, create a talking-avatar video, wait for it with
 * a progress bar, print the finished project.
 *
 * Configuration comes from the environment: JOGG_API_KEY, and JOGG_BASE_URL when not talking
 * to https://api.jogg.ai. `make demo` runs it against jogg-mock when no key is set.
 *
 * To stay dependency-free this example pulls two values out of the JSON with strstr; a real
 * program would use a JSON parser (cJSON, jansson...).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jogg.h"

/* Reports a failed call and frees its error JSON. */
static int fail(const char *what, jogg_code rc, char *error_json) {
    fprintf(stderr, "%s failed: %s\n%s\n", what, jogg_code_name(rc),
            error_json ? error_json : "(no detail)");
    jogg_string_free(error_json);
    return 1;
}

/* Copies the first string member `"name":"..."` of `json` into out (no escapes expected). */
static int string_member(const char *json, const char *name, char *out, size_t size) {
    char key[64];
    const char *start, *end;
    snprintf(key, sizeof key, "\"%s\":\"", name);
    start = strstr(json, key);
    if (!start) return 0;
    start += strlen(key);
    end = strchr(start, '"');
    if (!end || (size_t)(end - start) >= size) return 0;
    memcpy(out, start, (size_t)(end - start));
    out[end - start] = '\0';
    return 1;
}

/* The first integer member `"name":123` of `json`, or -1. */
static long int_member(const char *json, const char *name) {
    char key[64];
    const char *at;
    snprintf(key, sizeof key, "\"%s\":", name);
    at = strstr(json, key);
    return at ? strtol(at + strlen(key), NULL, 10) : -1;
}

/* Progress callback: one bar stage per project status (raw_status 1 start .. 4 done), plus
 * elapsed time. */
static int32_t on_progress(void *userdata, const char *event_json) {
    static const char *labels[] = {"", "queued", "waiting", "rendering", "done", "failed"};
    long code = int_member(event_json, "raw_status");
    long elapsed_ms = int_member(event_json, "elapsed_ms");
    int stage = code >= 1 && code <= 5 ? (int)code : 0;
    int filled = stage >= 4 ? 30 : stage * 30 / 4, i;
    int *polls = userdata;
    ++*polls;
    fprintf(stderr, "\r[");
    for (i = 0; i < 30; i++) fputc(i < filled ? '#' : '.', stderr);
    fprintf(stderr, "] %-9s %5.1f s", labels[stage], (double)elapsed_ms / 1000.0);
    if (stage >= 4) fputc('\n', stderr);
    return 0; /* non-zero would cancel the wait */
}

int main(void) {
    jogg_client *client = NULL;
    char *err = NULL, *avatars = NULL, *voices = NULL, *created = NULL, *project = NULL;
    char voice_id[128], project_id[128], request[1024];
    const char *base = getenv("JOGG_BASE_URL");
    /* The real API asks for no more than one poll per 5 s; the mock renders in seconds. */
    const char *wait_options = base && strstr(base, "://127.0.0.1")
        ? "{\"initial_interval_ms\": 250, \"max_interval_ms\": 1000}"
        : "{\"initial_interval_ms\": 5000, \"max_interval_ms\": 30000}";
    long avatar_id;
    int polls = 0;
    jogg_code rc;

    setvbuf(stdout, NULL, _IOLBF, 0); /* keep stdout and the stderr progress bar in order */
    printf("%s\n", jogg_version());
    rc = jogg_client_new("{}", &client, &err);
    if (rc != JOGG_OK) return fail("jogg_client_new", rc, err);

    rc = jogg_list_avatars(client, "{\"gender\": \"female\", \"style\": \"professional\", \"aspect_ratio\": 1}",
                           &avatars, &err);
    if (rc != JOGG_OK) return fail("jogg_list_avatars", rc, err);
    avatar_id = int_member(avatars, "avatar_id");
    printf("avatars (female, professional, 16:9): first is %ld\n", avatar_id);

    rc = jogg_list_voices(client, "{\"language\": \"english\", \"gender\": \"female\", \"page_size\": 5}",
                          &voices, &err);
    if (rc != JOGG_OK) return fail("jogg_list_voices", rc, err);
    if (avatar_id < 0 || !string_member(voices, "voice_id", voice_id, sizeof voice_id)) {
        fprintf(stderr, "no matching avatar or voice\n%s\n%s\n", avatars, voices);
        return 1;
    }
    printf("voices (english, female): %ld in all, using %s\n", int_member(voices, "total"), voice_id);

    snprintf(request, sizeof request,
             "{\"script\": \"Hello from jogg! This video was made from C.\","
             " \"aspect_ratio\": 1, \"screen_style\": 1, \"avatar_id\": %ld, \"avatar_type\": 0,"
             " \"voice_id\": \"%s\", \"caption\": true, \"video_name\": \"jogg quickstart\"}",
             avatar_id, voice_id);
    rc = jogg_create_talking_avatar_video(client, request, &created, &err);
    if (rc != JOGG_OK) return fail("jogg_create_talking_avatar_video", rc, err);
    string_member(created, "project_id", project_id, sizeof project_id);
    printf("project %s created, waiting...\n", project_id);

    rc = jogg_wait_for_project(client, project_id, wait_options, on_progress, &polls, &project, &err);
    if (rc != JOGG_OK) return fail("jogg_wait_for_project", rc, err);
    printf("done after %d polls:\n%s\n", polls, project);

    jogg_string_free(avatars);
    jogg_string_free(voices);
    jogg_string_free(created);
    jogg_string_free(project);
    jogg_client_free(client);
    return 0;
}
