#define _GNU_SOURCE
/* (1) The ceiling: one keep-alive socket, a fixed request written with one write(), the
 * reply read until its Content-Length is in. No parsing beyond the length.
 * usage: raw <port> <seconds> */
#include "common.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

static char buf[1 << 16];

static void one(int fd, const char *req, size_t req_len) {
    if (write(fd, req, req_len) != (ssize_t)req_len) die("write");
    size_t got = 0, need = 0;
    for (;;) {
        ssize_t r = read(fd, buf + got, sizeof buf - 1 - got);
        if (r <= 0) die("read");
        got += (size_t)r;
        if (!need) {
            buf[got] = 0;
            char *end = strstr(buf, "\r\n\r\n");
            if (!end) continue;
            char *cl = strcasestr(buf, "\r\ncontent-length:");
            if (!cl || cl > end) die("no content-length");
            need = (size_t)(end + 4 - buf) + strtoul(cl + 17, NULL, 10);
        }
        if (got >= need) return;
    }
}

int main(int argc, char **argv) {
    if (argc != 3) die("usage: raw <port> <seconds>");
    int port = atoi(argv[1]);
    double secs = atof(argv[2]);
    char req[512];
    int req_len = snprintf(req, sizeof req,
                           "GET /v1/project?project_id=" BENCH_PROJECT " HTTP/1.1\r\n"
                           "Host: 127.0.0.1:%d\r\nx-api-key: " BENCH_API_KEY
                           "\r\naccept: application/json\r\n\r\n",
                           port);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((unsigned short)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof a)) die("connect");
    int one_ = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one_, sizeof one_);
    for (int i = 0; i < BENCH_WARMUP; i++) one(fd, req, (size_t)req_len);
    long n = 0;
    double t0 = now_s(), t;
    do {
        for (int i = 0; i < 100; i++) one(fd, req, (size_t)req_len);
        n += 100;
    } while ((t = now_s()) - t0 < secs);
    report(n, t - t0);
    close(fd);
    return 0;
}
