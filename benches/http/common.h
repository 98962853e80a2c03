/* Shared by the HTTP benchmark's C programs: a monotonic clock and the result line.
 * Every program runs a warm-up, then calls for a fixed time and prints
 * "<requests> <seconds>" on stdout; the driver (benches/http.rs) computes requests/s. */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define BENCH_API_KEY "bench-key-0123456789"
#define BENCH_PROJECT "p_bench"
#define BENCH_WARMUP 500

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void report(long n, double seconds) { printf("%ld %.6f\n", n, seconds); }

static void die(const char *what) {
    fprintf(stderr, "bench: %s\n", what);
    exit(1);
}
#endif
