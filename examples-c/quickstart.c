/*
 * jogg quickstart: pick an avatar and a voice, create a talking-avatar video, wait for it with
 * a progress bar, print the finished project.
 *
 * Configuration comes from the environment: JOGG_API_KEY, and JOGG_BASE_URL when not talking
 * to https://api.jogg.ai. `make demo` runs it against jogg-mock when no key is set.
 *
 * It reads members of the returned JSON with jogg_json_string (a JSON Pointer, no JSON
 * library needed).
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

/* The member of `json` at `pointer` as a number (0 when absent). */
static long number_at(const char *json, const char *pointer) {
    char *text = NULL;
    long value = 0;
    if (jogg_json_string(json, pointer, &text, NULL) == JOGG_OK) value = strtol(text, NULL, 10);
    jogg_string_free(text);
    return value;
}

/* Progress callback: one bar stage per project status (raw_status 1 start .. 4 done), plus
 * elapsed time. */
static int32_t on_progress(void *userdata, const char *event_json) {
    static const char *labels[] = {"", "queued", "waiting", "rendering", "done", "failed"};
    long code = number_at(event_json, "/raw_status");
    long elapsed_ms = number_at(event_json, "/elapsed_ms");
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
    char *avatar_id = NULL, *voice_id = NULL, *project_id = NULL, *video_url = NULL;
    char request[1024];
    const char *base = getenv("JOGG_BASE_URL");
    /* The real API asks for no more than one poll per 5 s; the mock renders in seconds. */
    const char *wait_options = base && strstr(base, "://127.0.0.1")
        ? "{\"initial_interval_ms\": 250, \"max_interval_ms\": 1000}"
        : "{\"initial_interval_ms\": 5000, \"max_interval_ms\": 30000}";
    int polls = 0;
    jogg_code rc;

    setvbuf(stdout, NULL, _IOLBF, 0); /* keep stdout and the stderr progress bar in order */
    printf("%s\n", jogg_version());
    rc = jogg_client_new("{}", &client, &err);
    if (rc != JOGG_OK) return fail("jogg_client_new", rc, err);

    rc = jogg_list_avatars(client, "{\"gender\": \"female\", \"style\": \"professional\", \"aspect_ratio\": 1}",
                           &avatars, &err);
    if (rc != JOGG_OK) return fail("jogg_list_avatars", rc, err);
    rc = jogg_json_string(avatars, "/avatars/0/avatar_id", &avatar_id, &err);
    if (rc != JOGG_OK) return fail("no matching avatar", rc, err);
    printf("avatars (female, professional, 16:9): first is %s\n", avatar_id);

    rc = jogg_list_voices(client, "{\"language\": \"english\", \"gender\": \"female\", \"page_size\": 5}",
                          &voices, &err);
    if (rc != JOGG_OK) return fail("jogg_list_voices", rc, err);
    rc = jogg_json_string(voices, "/voices/0/voice_id", &voice_id, &err);
    if (rc != JOGG_OK) return fail("no matching voice", rc, err);
    printf("voices (english, female): %ld in all, using %s\n", number_at(voices, "/total"), voice_id);

    snprintf(request, sizeof request,
             "{\"script\": \"Hello from jogg! This video was made from C.\","
             " \"aspect_ratio\": 1, \"screen_style\": 1, \"avatar_id\": %s, \"avatar_type\": 0,"
             " \"voice_id\": \"%s\", \"caption\": true, \"video_name\": \"jogg quickstart\"}",
             avatar_id, voice_id);
    rc = jogg_create_talking_avatar_video(client, request, &created, &err);
    if (rc != JOGG_OK) return fail("jogg_create_talking_avatar_video", rc, err);
    rc = jogg_json_string(created, "/project_id", &project_id, &err);
    if (rc != JOGG_OK) return fail("reading project_id", rc, err);
    printf("project %s created, waiting...\n", project_id);

    rc = jogg_wait_for_project(client, project_id, wait_options, on_progress, &polls, &project, &err);
    if (rc != JOGG_OK) return fail("jogg_wait_for_project", rc, err);
    printf("done after %d polls:\n%s\n", polls, project);
    rc = jogg_json_string(project, "/video_url", &video_url, &err);
    if (rc != JOGG_OK) return fail("reading video_url", rc, err);
    printf("video: %s\n", video_url);

    jogg_string_free(avatars);
    jogg_string_free(voices);
    jogg_string_free(created);
    jogg_string_free(project);
    jogg_string_free(avatar_id);
    jogg_string_free(voice_id);
    jogg_string_free(project_id);
    jogg_string_free(video_url);
    jogg_client_free(client);
    return 0;
}
