/* (2) libcurl, one easy handle reused (keep-alive), body collected unparsed; with "parse",
 * (3): cJSON parses the envelope, checks code, and re-serialises `data` (what a jogg call
 * returns). usage: curl <url> <seconds> [parse]
 * Over TLS the CA bundle is $BENCH_CAINFO (OpenSSL verifies against it).
 * Cold calls: a fresh easy handle for each of <n> calls (handshake and CA bundle load each
 * time), parsed; prints "<n> <total seconds> <first call seconds>".
 *   usage: curl <url> cold <n>
 * Reconnects: one handle, <n> parsed calls to a server that closes after each reply, so each
 * call reconnects (resuming its TLS session if it can); prints "<n> <seconds>".
 *   usage: curl <url> same <n> */
#include "common.h"
#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <string.h>

struct body { char *p; size_t len, cap; };

static size_t on_data(char *p, size_t size, size_t n, void *ud) {
    struct body *b = ud;
    size_t add = size * n;
    if (b->len + add + 1 > b->cap) {
        b->cap = (b->len + add + 1) * 2;
        b->p = realloc(b->p, b->cap);
        if (!b->p) die("oom");
    }
    memcpy(b->p + b->len, p, add);
    b->len += add;
    b->p[b->len] = 0;
    return add;
}

static void one(CURL *h, struct body *b, int parse) {
    b->len = 0;
    if (curl_easy_perform(h) != CURLE_OK) die("curl_easy_perform");
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    if (status != 200) die("status");
    if (!parse) return;
    cJSON *env = cJSON_ParseWithLength(b->p, b->len);
    if (!env) die("parse");
    cJSON *code = cJSON_GetObjectItemCaseSensitive(env, "code");
    if (!cJSON_IsNumber(code) || code->valuedouble != 0) die("code");
    char *out = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(env, "data"));
    if (!out) die("print");
    cJSON_free(out);
    cJSON_Delete(env);
}

static CURL *handle(const char *url, struct curl_slist *hs, struct body *b) {
    CURL *h = curl_easy_init();
    const char *cainfo = getenv("BENCH_CAINFO");
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hs);
    curl_easy_setopt(h, CURLOPT_PROXY, "");
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, b);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "bench");
    if (cainfo) curl_easy_setopt(h, CURLOPT_CAINFO, cainfo);
    return h;
}

int main(int argc, char **argv) {
    if (argc < 3) die("usage: curl <base_url> <seconds> [parse] | curl <base_url> cold|same <n>");
    int parse = argc > 3 && !strcmp(argv[3], "parse");
    char url[512];
    snprintf(url, sizeof url, "%s/v1/project?project_id=" BENCH_PROJECT, argv[1]);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    struct body b = {0};
    struct curl_slist *hs = NULL;
    hs = curl_slist_append(hs, "x-api-key: " BENCH_API_KEY);
    hs = curl_slist_append(hs, "accept: application/json");
    if (argc > 3 && (!strcmp(argv[2], "cold") || !strcmp(argv[2], "same"))) {
        long n = atol(argv[3]);
        int cold = !strcmp(argv[2], "cold");
        CURL *h = cold ? NULL : handle(url, hs, &b);
        double t0 = now_s(), first = 0;
        for (long i = 0; i < n; i++) {
            double t = now_s();
            if (cold) h = handle(url, hs, &b);
            one(h, &b, 1);
            if (cold) curl_easy_cleanup(h);
            if (i == 0) first = now_s() - t;
        }
        printf("%ld %.6f %.6f\n", n, now_s() - t0, first);
        if (!cold) curl_easy_cleanup(h);
        curl_slist_free_all(hs);
        curl_global_cleanup();
        free(b.p);
        return 0;
    }
    double secs = atof(argv[2]);
    CURL *h = handle(url, hs, &b);
    for (int i = 0; i < BENCH_WARMUP; i++) one(h, &b, parse);
    long n = 0;
    double t0 = now_s(), t;
    do {
        for (int i = 0; i < 50; i++) one(h, &b, parse);
        n += 50;
    } while ((t = now_s()) - t0 < secs);
    report(n, t - t0);
    curl_slist_free_all(hs);
    curl_easy_cleanup(h);
    curl_global_cleanup();
    free(b.p);
    return 0;
}
