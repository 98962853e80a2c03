/*
 * jogg webhook receiver: get told when a video is ready instead of polling.
 *
 * The program listens on a loopback port, registers http://127.0.0.1:<port>/hook as a webhook
 * endpoint, starts a video, then waits for the delivery Jogg sends when the render ends. It
 * checks the X-Webhook-Signature header against the raw body with the endpoint's secret
 * (jogg_webhook_verify), reads the event (jogg_webhook_parse), answers 200 and prints the
 * normalised event JSON on stdout.
 *
 * Run it against jogg-mock: `jogg-mock --render-ms 300 -- ./build/webhook_receiver`. The real
 * API delivers only to public HTTPS URLs; jogg-mock also accepts loopback http:// ones so that
 * this works on one machine. A production receiver answers within 5 seconds, de-duplicates on
 * event_id (deliveries may repeat), and answers 401 to a bad signature, as this one does.
 *
 * To stay dependency-free this example pulls values out of JSON with strstr; a real program
 * would use a JSON parser (cJSON, jansson...).
 */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "jogg.h"

/* Longest request head (request line and headers) accepted from the sender. */
#define HEAD_MAX 16384
/* Longest body accepted: webhook events are small JSON documents. */
#define BODY_MAX (1024 * 1024)
/* How long to wait for the delivery before giving up: renders on jogg-mock take well under
 * this; it only guards against waiting forever. */
#define DELIVERY_WAIT_MS 60000

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
    start = json ? strstr(json, key) : NULL;
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
    at = json ? strstr(json, key) : NULL;
    return at ? strtol(at + strlen(key), NULL, 10) : -1;
}

/* A socket listening on 127.0.0.1 on a port the system picks; its port goes to *port. */
static int listen_on_loopback(unsigned *port) {
    struct sockaddr_in addr;
    socklen_t len = sizeof addr;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(fd, 8) != 0 ||
        getsockname(fd, (struct sockaddr *)&addr, &len) != 0) {
        close(fd);
        return -1;
    }
    *port = ntohs(addr.sin_port);
    return fd;
}

/* The value of header `name` in a request head, copied into out; 0 if absent. Header names
 * are case-insensitive. */
static int header_value(const char *head, const char *name, char *out, size_t size) {
    size_t name_len = strlen(name);
    const char *line = strstr(head, "\r\n");
    while (line != NULL && line[2] != '\r' && line[2] != '\0') {
        const char *start = line + 2, *end = strstr(start, "\r\n");
        if (end == NULL) return 0;
        if ((size_t)(end - start) > name_len && start[name_len] == ':' &&
            strncasecmp(start, name, name_len) == 0) {
            const char *value = start + name_len + 1;
            size_t n;
            while (*value == ' ' || *value == '\t') value++;
            n = (size_t)(end - value);
            if (n >= size) return 0;
            memcpy(out, value, n);
            out[n] = '\0';
            return 1;
        }
        line = end;
    }
    return 0;
}

/* One HTTP request from `fd`: its head (NUL-terminated) and body (malloc'd, *body_len bytes).
 * Returns 0 on success. */
static int read_request(int fd, char *head, size_t head_size, unsigned char **body,
                        size_t *body_len) {
    size_t got = 0, head_len, length, have;
    char *end = NULL, value[32];
    while (end == NULL) {
        ssize_t n;
        if (got + 1 >= head_size) return -1;
        n = recv(fd, head + got, head_size - 1 - got, 0);
        if (n <= 0) return -1;
        got += (size_t)n;
        head[got] = '\0';
        end = strstr(head, "\r\n\r\n");
    }
    head_len = (size_t)(end - head) + 4;
    length = header_value(head, "Content-Length", value, sizeof value)
                 ? (size_t)strtoul(value, NULL, 10)
                 : 0;
    if (length > BODY_MAX) return -1;
    *body = malloc(length + 1);
    if (*body == NULL) return -1;
    /* Body bytes that arrived with the head. */
    have = got - head_len;
    if (have > length) have = length;
    memcpy(*body, head + head_len, have);
    while (have < length) {
        ssize_t n = recv(fd, *body + have, length - have, 0);
        if (n <= 0) {
            free(*body);
            *body = NULL;
            return -1;
        }
        have += (size_t)n;
    }
    head[head_len] = '\0';
    *body_len = length;
    return 0;
}

static void answer(int fd, const char *status) {
    char response[128];
    int n = snprintf(response, sizeof response,
                     "HTTP/1.1 %s\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", status);
    if (n > 0 && send(fd, response, (size_t)n, 0) < 0) {
        perror("send");
    }
}

/* Waits for one delivery, verifies and parses it; prints the event. Returns 0 on success. */
static int receive_event(int listen_fd, const char *secret, const char *project_id) {
    struct pollfd waiting;
    struct timeval timeout = {5, 0};
    static char head[HEAD_MAX];
    unsigned char *body = NULL;
    size_t body_len = 0;
    char signature[160], needle[160];
    char *event = NULL, *err = NULL;
    const char *sig;
    jogg_code rc;
    int fd, status = 1;

    waiting.fd = listen_fd;
    waiting.events = POLLIN;
    if (poll(&waiting, 1, DELIVERY_WAIT_MS) != 1) {
        fprintf(stderr, "no webhook delivery within %d ms\n", DELIVERY_WAIT_MS);
        return 1;
    }
    fd = accept(listen_fd, NULL, NULL);
    if (fd < 0) {
        perror("accept");
        return 1;
    }
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    if (read_request(fd, head, sizeof head, &body, &body_len) != 0) {
        fprintf(stderr, "could not read the delivery request\n");
        answer(fd, "400 Bad Request");
        close(fd);
        return 1;
    }
    /* A missing header is passed as NULL: the library rejects it like a wrong signature. */
    sig = header_value(head, "X-Webhook-Signature", signature, sizeof signature) ? signature
                                                                                 : NULL;

    rc = jogg_webhook_verify(body, body_len, sig, secret);
    if (rc != JOGG_OK) {
        fprintf(stderr, "rejected a delivery: %s\n", jogg_code_name(rc));
        answer(fd, "401 Unauthorized");
        goto done;
    }
    /* The same bytes with one changed must not pass: what a forger would try. */
    if (body_len > 0) {
        body[0] ^= 1;
        rc = jogg_webhook_verify(body, body_len, sig, secret);
        body[0] ^= 1;
        if (rc != JOGG_ERR_SIGNATURE) {
            fprintf(stderr, "a tampered body was not rejected: %s\n", jogg_code_name(rc));
            answer(fd, "500 Internal Server Error");
            goto done;
        }
    }
    rc = jogg_webhook_parse(body, body_len, sig, secret, &event, &err);
    if (rc != JOGG_OK) {
        answer(fd, "400 Bad Request");
        fail("jogg_webhook_parse", rc, err);
        goto done;
    }
    answer(fd, "200 OK");
    printf("%s\n", event);
    snprintf(needle, sizeof needle, "\"id\":\"%s\"", project_id);
    if (strstr(event, needle) == NULL) {
        fprintf(stderr, "the event is not about project %s\n", project_id);
        goto done;
    }
    status = 0;
done:
    jogg_string_free(event);
    free(body);
    close(fd);
    return status;
}

int main(void) {
    jogg_client *client = NULL;
    char *endpoint = NULL, *avatars = NULL, *voices = NULL, *created = NULL, *err = NULL;
    char request[512], secret[128], voice_id[128], project_id[128];
    unsigned port = 0;
    long avatar_id;
    jogg_code rc;
    int listen_fd, status = 1;

    listen_fd = listen_on_loopback(&port);
    if (listen_fd < 0) {
        perror("listen on 127.0.0.1");
        return 1;
    }
    /* api_key and base_url come from JOGG_API_KEY and JOGG_BASE_URL (set by jogg-mock). */
    rc = jogg_client_new("{\"proxy\":\"none\"}", &client, &err);
    if (rc != JOGG_OK) {
        close(listen_fd);
        return fail("jogg_client_new", rc, err);
    }

    /* 1. Register this program as an endpoint; keep the secret it gets. */
    snprintf(request, sizeof request,
             "{\"url\":\"http://127.0.0.1:%u/hook\","
             "\"events\":[\"generated_video_success\",\"generated_video_failed\"]}",
             port);
    rc = jogg_create_webhook_endpoint(client, request, &endpoint, &err);
    if (rc != JOGG_OK) {
        fail("jogg_create_webhook_endpoint", rc, err);
        goto out;
    }
    if (!string_member(endpoint, "secret", secret, sizeof secret)) {
        fprintf(stderr, "no secret in %s\n", endpoint);
        goto out;
    }
    fprintf(stderr, "registered http://127.0.0.1:%u/hook\n", port);

    /* 2. Start a video with a library avatar and voice. */
    rc = jogg_list_avatars(client, NULL, &avatars, &err);
    if (rc != JOGG_OK) {
        fail("jogg_list_avatars", rc, err);
        goto out;
    }
    rc = jogg_list_voices(client, "{\"language\":\"english\",\"page_size\":1}", &voices, &err);
    if (rc != JOGG_OK) {
        fail("jogg_list_voices", rc, err);
        goto out;
    }
    avatar_id = int_member(avatars, "avatar_id");
    if (avatar_id < 0 || !string_member(voices, "voice_id", voice_id, sizeof voice_id)) {
        fprintf(stderr, "no avatar or voice to use\n");
        goto out;
    }
    snprintf(request, sizeof request,
             "{\"script\":\"Your webhook works.\",\"voice_id\":\"%s\",\"avatar_id\":%ld,"
             "\"avatar_type\":0,\"screen_style\":1}",
             voice_id, avatar_id);
    rc = jogg_create_talking_avatar_video(client, request, &created, &err);
    if (rc != JOGG_OK) {
        fail("jogg_create_talking_avatar_video", rc, err);
        goto out;
    }
    if (!string_member(created, "project_id", project_id, sizeof project_id)) {
        fprintf(stderr, "no project_id in %s\n", created);
        goto out;
    }
    fprintf(stderr, "rendering project %s; waiting for the webhook\n", project_id);

    /* 3. No polling: the render's end arrives as a signed POST. */
    status = receive_event(listen_fd, secret, project_id);
out:
    jogg_string_free(endpoint);
    jogg_string_free(avatars);
    jogg_string_free(voices);
    jogg_string_free(created);
    jogg_client_free(client);
    close(listen_fd);
    return status;
}
