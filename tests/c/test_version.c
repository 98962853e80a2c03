/*
 * Header, library and Cargo.toml agree on the version:
 *
 *     cc -DEXPECTED_VERSION='"0.1.0"' test_version.c libjogg.a ... && ./test_version
 *
 * The Makefile reads EXPECTED_VERSION from Cargo.toml. Built against an installed library it
 * also proves that the header and the library a program finds come from the same release.
 * Needs no server. Exit status 0 when everything agrees; each disagreement goes to stderr.
 */
#include <stdio.h>
#include <string.h>

#include "jogg.h"

#ifndef EXPECTED_VERSION
#error "compile with -DEXPECTED_VERSION='\"MAJOR.MINOR.PATCH\"' (the version in Cargo.toml)"
#endif

static int failures;

static void check(int ok, const char *what) {
    if (!ok) {
        fprintf(stderr, "version mismatch: %s\n", what);
        failures++;
    }
}

int main(void) {
    unsigned long major = 0, minor = 0, patch = 0, number;
    char abi[32];
    char tail;

    /* Exactly MAJOR.MINOR.PATCH: a pre-release suffix would not fit the numeric macros. */
    if (sscanf(EXPECTED_VERSION, "%lu.%lu.%lu%c", &major, &minor, &patch, &tail) != 3) {
        fprintf(stderr, "EXPECTED_VERSION \"%s\" is not MAJOR.MINOR.PATCH\n", EXPECTED_VERSION);
        return 1;
    }
    number = major * 1000000UL + minor * 1000UL + patch;
    /* cargo-c's SONAME rule, restated independently of build.rs. */
    if (major > 0) {
        snprintf(abi, sizeof abi, "%lu", major);
    } else if (minor > 0) {
        snprintf(abi, sizeof abi, "0.%lu", minor);
    } else {
        snprintf(abi, sizeof abi, "0.0.%lu", patch);
    }

    check(strcmp(JOGG_VERSION_STRING, EXPECTED_VERSION) == 0, "JOGG_VERSION_STRING != Cargo.toml");
    check(JOGG_VERSION_MAJOR == major, "JOGG_VERSION_MAJOR != Cargo.toml");
    check(JOGG_VERSION_MINOR == minor, "JOGG_VERSION_MINOR != Cargo.toml");
    check(JOGG_VERSION_PATCH == patch, "JOGG_VERSION_PATCH != Cargo.toml");
    check(JOGG_VERSION_NUMBER == number, "JOGG_VERSION_NUMBER != MAJOR*1000000+MINOR*1000+PATCH");
    check(strcmp(JOGG_ABI_VERSION, abi) == 0, "JOGG_ABI_VERSION != the SONAME rule");
    check(strcmp(jogg_version(), "jogg/" EXPECTED_VERSION) == 0, "jogg_version() != Cargo.toml");
    check(jogg_version_number() == number, "jogg_version_number() != Cargo.toml");
    check(jogg_version_number() == JOGG_VERSION_NUMBER, "jogg_version_number() != header");

    if (failures > 0) {
        fprintf(stderr, "header %s (%lu), library %s (%lu), Cargo.toml %s\n", JOGG_VERSION_STRING,
                (unsigned long)JOGG_VERSION_NUMBER, jogg_version(),
                (unsigned long)jogg_version_number(), EXPECTED_VERSION);
        return 1;
    }
    printf("version %s: header, library and Cargo.toml agree (number %lu, ABI %s)\n",
           EXPECTED_VERSION, number, abi);
    return 0;
}
