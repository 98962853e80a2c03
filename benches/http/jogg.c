/* (5) and (7): jogg_get_project through the C ABI, from <threads> threads sharing one
 * jogg_client, for <seconds>; the result JSON is freed each time.
 *   usage: jogg <base_url> <seconds> <threads>
 * RSS mode: <calls> calls on one thread; prints VmRSS (KiB) after 10 % of them and VmRSS and
 * VmHWM after all of them.
 *   usage: jogg <base_url> rss <calls> */
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

int main(int argc, char **argv) {
    if (argc != 4) die("usage: jogg <base_url> <seconds> <threads> | jogg <base_url> rss <calls>");
    char config[512], *err = NULL;
    snprintf(config, sizeof config,
             "{\"api_key\":\"" BENCH_API_KEY "\",\"base_url\":\"%s\",\"proxy\":\"none\"}", argv[1]);
    if (jogg_client_new(config, &client, &err) != JOGG_OK) {
        fprintf(stderr, "%s\n", err);
        die("jogg_client_new");
    }
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
