/*
 * jogg webhook receiver: a wait that ends when the video does.
 *
 * The program listens on a loopback port and registers http://127.0.0.1:<port>/hook as a
 * webhook endpoint; the client remembers the endpoint's secret. A receiver thread plays the
 * part of your HTTP handler: it hands each request's raw body and X-Webhook-Signature header
 * to jogg_webhook_deliver, which verifies it, prints nothing, and wakes the waits on its
 * task. Meanwhile the main thread starts a video and waits for it with jogg_wait: the wait
 * polls once, then only as a slow safety net (every 30 s at first), and returns as soon as
 * the delivery arrives, with "source":"webhook". Were the delivery lost, the safety net's
 * polls would still end the wait.
 *
 * Run it against jogg-mock: `jogg-mock --render-ms 1000 -- ./build/webhook_receiver`. The
 * real API delivers only to public HTTPS URLs; jogg-mock also accepts loopback http:// ones
 * so that this works on one machine. A production receiver answers within 5 seconds, 2xx
 * to every delivery it accepted (repeats included), 401 to a bad signature, as this one
 * does.
 *
 * It reads members of the returned JSON with jogg_json_string, so it needs no JSON library.
 */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
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

static int fail(const char *what, jogg_code rc, char *error_json) {
    fprintf(stderr, "%s failed: %s\n%s\n", what, jogg_code_name(rc),
            error_json ? error_json : "(no detail)");
    jogg_string_free(error_json);
    return 1;
}

/* The member of `json` at JSON Pointer `pointer`, copied into out; 0 if it is not there. */
static int member(const char *json, const char *pointer, char *out, size_t size) {
    char *text = NULL;
    int ok = jogg_json_string(json, pointer, &text, NULL) == JOGG_OK && strlen(text) < size;
    if (ok) memcpy(out, text, strlen(text) + 1);
    jogg_string_free(text);
    return ok;
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

/* Your HTTP handler's part: the raw body and the signature header go to the client, whose
 * answer says how to answer the sender. */
static void handle_delivery(const jogg_client *client, int fd, const char *head,
                            const unsigned char *body, size_t body_len) {
    char signature[160], *event = NULL, *err = NULL;
    /* A missing header is passed as NULL: the library refuses it like a wrong signature. */
    const char *sig = header_value(head, "X-Webhook-Signature", signature, sizeof signature)
                          ? signature
                          : NULL;
    jogg_code rc = jogg_webhook_deliver(client, body, body_len, sig, &event, &err);
    if (rc == JOGG_OK) {
        answer(fd, "200 OK"); /* repeats too ("duplicate":true), or the sender retries */
        printf("delivered: %s\n", event);
    } else {
        answer(fd, rc == JOGG_ERR_SIGNATURE       ? "401 Unauthorized"
                   : rc == JOGG_ERR_BODY_TOO_LARGE ? "413 Content Too Large"
                                                   : "400 Bad Request");
        fprintf(stderr, "refused a delivery: %s\n", err);
    }
    jogg_string_free(event);
    jogg_string_free(err);
}

/* The receiver thread: serves the listening socket until `stop` becomes readable. */
struct receiver {
    const jogg_client *client;
    int listen_fd;
    int stop; /* read end of a pipe; main writes one byte to stop the thread */
};

static void *receive(void *arg) {
    struct receiver *r = (struct receiver *)arg;
    static char head[HEAD_MAX];
    for (;;) {
        struct pollfd fds[2];
        struct timeval timeout = {5, 0};
        unsigned char *body = NULL;
        size_t body_len = 0;
        int fd;
        fds[0].fd = r->listen_fd;
        fds[0].events = POLLIN;
        fds[1].fd = r->stop;
        fds[1].events = POLLIN;
        if (poll(fds, 2, -1) < 0 || fds[1].revents != 0) {
            return NULL;
        }
        fd = accept(r->listen_fd, NULL, NULL);
        if (fd < 0) {
            continue;
        }
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        if (read_request(fd, head, sizeof head, &body, &body_len) == 0) {
            handle_delivery(r->client, fd, head, body, body_len);
        } else {
            answer(fd, "400 Bad Request");
        }
        free(body);
        close(fd);
    }
}

/* Progress of the wait, on stderr: each poll, and the delivery that ends it. */
static int32_t on_progress(void *userdata, const char *event_json) {
    (void)userdata;
    fprintf(stderr, "progress: %s\n", event_json);
    return 0; /* non-zero would cancel the wait */
}

int main(void) {
    jogg_client *client = NULL;
    char *endpoint = NULL, *avatars = NULL, *voices = NULL, *created = NULL, *done = NULL,
         *err = NULL;
    char request[512], avatar_id[32], voice_id[128], project_id[128];
    unsigned port = 0;
    jogg_code rc;
    int listen_fd, stop[2], status = 1;
    struct receiver receiver;
    pthread_t thread;

    listen_fd = listen_on_loopback(&port);
    if (listen_fd < 0) {
        perror("listen on 127.0.0.1");
        return 1;
    }
    if (pipe(stop) != 0) {
        perror("pipe");
        close(listen_fd);
        return 1;
    }
    /* api_key and base_url come from JOGG_API_KEY and JOGG_BASE_URL (set by jogg-mock). An
     * endpoint made elsewhere would go in the config: {"webhook_secrets": ["..."]}. */
    rc = jogg_client_new("{\"proxy\":\"none\"}", &client, &err);
    if (rc != JOGG_OK) {
        close(listen_fd);
        return fail("jogg_client_new", rc, err);
    }
    receiver.client = client;
    receiver.listen_fd = listen_fd;
    receiver.stop = stop[0];
    if (pthread_create(&thread, NULL, receive, &receiver) != 0) {
        fprintf(stderr, "cannot start the receiver thread\n");
        jogg_client_free(client);
        close(listen_fd);
        return 1;
    }

    /* 1. Register this program as an endpoint: the client keeps its secret. */
    snprintf(request, sizeof request,
             "{\"url\":\"http://127.0.0.1:%u/hook\","
             "\"events\":[\"generated_video_success\",\"generated_video_failed\"]}",
             port);
    rc = jogg_create_webhook_endpoint(client, request, &endpoint, &err);
    if (rc != JOGG_OK) {
        fail("jogg_create_webhook_endpoint", rc, err);
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
    if (!member(avatars, "/avatars/0/avatar_id", avatar_id, sizeof avatar_id) ||
        !member(voices, "/voices/0/voice_id", voice_id, sizeof voice_id)) {
        fprintf(stderr, "no avatar or voice to use\n");
        goto out;
    }
    snprintf(request, sizeof request,
             "{\"script\":\"Your webhook works.\",\"voice_id\":\"%s\",\"avatar_id\":%s,"
             "\"avatar_type\":0,\"screen_style\":1}",
             voice_id, avatar_id);
    rc = jogg_create_talking_avatar_video(client, request, &created, &err);
    if (rc != JOGG_OK) {
        fail("jogg_create_talking_avatar_video", rc, err);
        goto out;
    }
    if (!member(created, "/project_id", project_id, sizeof project_id)) {
        fprintf(stderr, "no project_id in %s\n", created);
        goto out;
    }
    fprintf(stderr, "rendering project %s\n", project_id);

    /* 3. Wait: the delivery the receiver thread hands over ends it. */
    rc = jogg_wait(client, "v1.get_project", project_id, NULL, on_progress, NULL, &done, &err);
    if (rc != JOGG_OK) {
        fail("jogg_wait", rc, err);
        goto out;
    }
    printf("waited: %s\n", done);
    status = 0;
out:
    /* Stop the receiver before the client it uses is freed. */
    if (write(stop[1], "x", 1) != 1 || pthread_join(thread, NULL) != 0) {
        perror("stopping the receiver");
        status = 1;
    }
    jogg_string_free(endpoint);
    jogg_string_free(avatars);
    jogg_string_free(voices);
    jogg_string_free(created);
    jogg_string_free(done);
    jogg_client_free(client);
    close(stop[0]);
    close(stop[1]);
    close(listen_fd);
    return status;
}
