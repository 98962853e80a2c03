/* Four worker processes on one API key: the "host" scope makes them share its 20 POSTs a
 * minute, so none is answered 429. Key and base URL come from JOGG_API_KEY and JOGG_BASE_URL. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include "jogg.h"

#define WORKERS 4
#define JOBS 5 /* per worker */

static int worker(int n) {
    /* Between hosts: {"post_limit_scope": "redis://10.0.0.5:6379/0"}. */
    const char *config = "{\"post_limit_scope\": \"host\"}";
    const char *request = "{\"script\": \"Hello!\", \"avatar_id\": 81, \"avatar_type\": 0,"
                          " \"voice_id\": \"en-US-ChristopherNeural\", \"screen_style\": 1}";
    jogg_client *client = NULL;
    char *out = NULL, *err = NULL;
    int i, failed = 0;
    if (jogg_client_new(config, &client, &err) != JOGG_OK) {
        fprintf(stderr, "worker %d: %s\n", n, err);
        jogg_string_free(err);
        return 1;
    }
    for (i = 0; i < JOBS; i++) {
        if (jogg_create_talking_avatar_video(client, request, &out, &err) == JOGG_OK) {
            printf("worker %d: %s\n", n, out);
            jogg_string_free(out);
        } else {
            fprintf(stderr, "worker %d: %s\n", n, err); /* e.g. JOGG_ERR_LIMITER_STORE */
            jogg_string_free(err);
            failed = 1;
        }
    }
    jogg_client_free(client);
    return failed;
}

int main(void) {
    int n, status, failures = 0;
    for (n = 0; n < WORKERS; n++) {
        pid_t pid = fork();
        if (pid == 0) {
            exit(worker(n)); /* exit, not _exit: stdout is flushed */
        }
        failures += pid < 0;
    }
    while (wait(&status) > 0) {
        failures += !WIFEXITED(status) || WEXITSTATUS(status) != 0;
    }
    return failures == 0 ? 0 : 1;
}
