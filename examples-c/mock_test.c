/* A test of your own code with jogg-mock as its test double. Run it as
 *     jogg-mock --quiet --render-ms 0 -- ./mock_test
 * The mock's control API (plain HTTP under /_mock/, no key) resets it and says what the code
 * under test sent: here, that it created exactly one video, and that its wait saw success. */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "jogg.h"

/* The code under test: one video from a script, waited for. */
static jogg_code make_video(const jogg_client *client, const char *script, char **project,
                            char **err) {
    char request[512], *created = NULL, *id = NULL;
    jogg_code rc;
    snprintf(request, sizeof request,
             "{\"script\": \"%s\", \"avatar_id\": 81, \"avatar_type\": 0,"
             " \"voice_id\": \"en-US-ChristopherNeural\", \"screen_style\": 1}", script);
    rc = jogg_create_talking_avatar_video(client, request, &created, err);
    if (rc == JOGG_OK) rc = jogg_json_string(created, "/project_id", &id, err);
    /* In tests, poll every 50 ms rather than the production schedule's 5 s. */
    if (rc == JOGG_OK)
        rc = jogg_wait_for_project(client, id, "{\"initial_interval_ms\": 50}", NULL, NULL,
                                   project, err);
    jogg_string_free(id);
    jogg_string_free(created);
    return rc;
}

/* The member of `json` at `pointer` as a number, or -1 if it is not there. */
static long number_at(const char *json, const char *pointer) {
    char *text = NULL;
    long value = -1;
    if (jogg_json_string(json, pointer, &text, NULL) == JOGG_OK) value = strtol(text, NULL, 10);
    jogg_string_free(text);
    return value;
}

/* One control request: METHOD /_mock/PATH on the mock of JOGG_BASE_URL; its body in `body`. */
static int mock(const char *method, const char *path, char *body, size_t size) {
    const char *base = getenv("JOGG_BASE_URL"), *port = base ? strrchr(base, ':') : NULL;
    struct sockaddr_in addr;
    char request[256], *start;
    size_t got = 0;
    ssize_t n;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((unsigned short)atoi(port ? port + 1 : "0"));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        if (fd >= 0) close(fd);
        return -1;
    }
    n = snprintf(request, sizeof request,
                 "%s /_mock/%s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n"
                 "Connection: close\r\n\r\n", method, path);
    if (write(fd, request, (size_t)n) != n) n = -1;
    while (n >= 0 && got + 1 < size && (n = read(fd, body + got, size - 1 - got)) > 0) {
        got += (size_t)n;
    }
    close(fd);
    body[got] = '\0';
    start = strstr(body, "\r\n\r\n"); /* the body follows the head */
    if (n < 0 || start == NULL || strncmp(body, "HTTP/1.1 200", 12) != 0) return -1;
    memmove(body, start + 4, strlen(start + 4) + 1);
    return 0;
}

int main(void) {
    jogg_client *client = NULL;
    char *project = NULL, *err = NULL, log[65536];
    long creates = -1;
    int failures = 0;
    if (mock("POST", "reset", log, sizeof log) != 0) {
        fprintf(stderr, "no jogg-mock at JOGG_BASE_URL: run this under jogg-mock\n");
        return 1;
    }
    if (jogg_client_new("{}", &client, &err) != JOGG_OK ||
        make_video(client, "Hello!", &project, &err) != JOGG_OK) {
        fprintf(stderr, "FAIL: %s\n", err);
        jogg_string_free(err);
        jogg_client_free(client);
        return 1;
    }
    if (number_at(project, "/status_code") != 4) {  /* 4: success */
        fprintf(stderr, "FAIL: the wait did not see success: %s\n", project);
        failures++;
    }
    if (mock("GET", "requests?operation=v1.create_video_from_talking_avatar", log,
             sizeof log) != 0 || (creates = number_at(log, "/count")) != 1) {
        fprintf(stderr, "FAIL: %ld creates sent, want 1: %s\n", creates, log);
        failures++;
    }
    printf("%s: one create sent, and the wait saw success\n", failures ? "FAIL" : "ok");
    jogg_string_free(project);
    jogg_client_free(client);
    return failures != 0;
}
