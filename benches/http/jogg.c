/* (5) and (7): jogg_get_project through the C ABI, from <threads> threads sharing one
 * jogg_client, for <seconds>; the result JSON is freed each time.
 *   usage: jogg <base_url> <seconds> <threads>
 * RSS mode: <calls> calls on one thread; prints VmRSS (KiB) after 10 % of them and VmRSS and
 * VmHWM after all of them.
 *   usage: jogg <base_url> rss <calls>
 * Over TLS the client trusts the system's store plus $BENCH_CA_FILE (its `ca_file`).
 * Cold calls: a new client for each of <n> calls (jogg_client_new, one jogg_get_project with
 * its handshake, jogg_client_free); prints "<n> <total seconds> <first call seconds>".
 *   usage: jogg <base_url> cold <n>
 * Reconnects: one client, <n> calls to a server that closes after each reply; prints
 * "<n> <seconds>".
 *   usage: jogg <base_url> same <n>
 * Client creation: VmRSS (KiB) before the first client, after jogg_client_new, after its
 * first call (the trust store is read at creation, the TLS settings built at the first
 * handshake); then the time of <n> jogg_client_new + jogg_client_free pairs. Prints
 * "<rss before> <after new> <after call> <first new seconds> <n> <seconds>".
 *   usage: jogg <base_url> create <n> */
#include "common.h"
#include "jogg.h"
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

static jogg_client *client;
static atomic_int stop;

static void one(void) {
    char *out = NULL, *err = NULL;
    if (jogg_get_project(client, BENCH_PROJECT, &out, &err) != JOGG_OK) {
        fprintf(stderr, "%s\n", err ? err : "?");
        die("jogg_get_project");
    }
    jogg_string_free(out);
}

static void *worker(void *arg) {
    long *n = arg;
    while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
        one();
        (*n)++;
    }
    return NULL;
}

static long status_kib(const char *field) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long v = -1;
    size_t len = strlen(field);
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, field, len)) v = atol(line + len);
    if (f) fclose(f);
    return v;
}

static char config[1024];

static jogg_client *new_client(void) {
    jogg_client *c = NULL;
    char *err = NULL;
    if (jogg_client_new(config, &c, &err) != JOGG_OK) {
        fprintf(stderr, "%s\n", err);
        die("jogg_client_new");
    }
    return c;
}

int main(int argc, char **argv) {
    if (argc != 4) die("usage: jogg <base_url> <seconds> <threads> | jogg <base_url> rss|cold|same|create <n>");
    const char *ca = getenv("BENCH_CA_FILE");
    char ca_member[600] = "";
    if (ca) snprintf(ca_member, sizeof ca_member, ",\"ca_file\":\"%s\"", ca);
    snprintf(config, sizeof config,
             "{\"api_key\":\"" BENCH_API_KEY "\",\"base_url\":\"%s\",\"proxy\":\"none\"%s}", argv[1],
             ca_member);
    if (!strcmp(argv[2], "create")) {
        long n = atol(argv[3]);
        long before = status_kib("VmRSS:");
        double t = now_s();
        client = new_client();
        double first = now_s() - t;
        long created = status_kib("VmRSS:");
        one();
        long called = status_kib("VmRSS:");
        jogg_client_free(client);
        t = now_s();
        for (long i = 0; i < n; i++) jogg_client_free(new_client());
        printf("%ld %ld %ld %.6f %ld %.6f\n", before, created, called, first, n, now_s() - t);
        return 0;
    }
    if (!strcmp(argv[2], "cold") || !strcmp(argv[2], "same")) {
        long n = atol(argv[3]);
        int cold = !strcmp(argv[2], "cold");
        double t0 = now_s(), first = 0;
        if (!cold) client = new_client();
        for (long i = 0; i < n; i++) {
            double t = now_s();
            if (cold) client = new_client();
            one();
            if (cold) jogg_client_free(client);
            if (i == 0) first = now_s() - t;
        }
        printf("%ld %.6f %.6f\n", n, now_s() - t0, first);
        if (!cold) jogg_client_free(client);
        return 0;
    }
    client = new_client();
    for (int i = 0; i < BENCH_WARMUP; i++) one();
    if (!strcmp(argv[2], "rss")) {
        long calls = atol(argv[3]);
        for (long i = 0; i < calls / 10; i++) one();
        long early = status_kib("VmRSS:");
        for (long i = calls / 10; i < calls; i++) one();
        printf("%ld %ld %ld\n", early, status_kib("VmRSS:"), status_kib("VmHWM:"));
        jogg_client_free(client);
        return 0;
    }
    double secs = atof(argv[2]);
    int threads = atoi(argv[3]);
    pthread_t tid[64];
    long counts[64] = {0};
    if (threads < 1 || threads > 64) die("threads");
    double t0 = now_s();
    for (int i = 0; i < threads; i++) pthread_create(&tid[i], NULL, worker, &counts[i]);
    while (now_s() - t0 < secs) {
        struct timespec d = {0, 10 * 1000 * 1000};
        nanosleep(&d, NULL);
    }
    atomic_store(&stop, 1);
    long n = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(tid[i], NULL);
        n += counts[i];
    }
    report(n, now_s() - t0);
    jogg_client_free(client);
    return 0;
}
