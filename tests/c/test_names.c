/* The header declares nothing a C program may already use: every name it defines starts with
 * jogg_ or JOGG_. A program with its own Kind and MAX_INPUT_BYTES (names the library uses
 * inside) includes it and compiles, as C99 and as C++17. */
typedef int Kind;
#define MAX_INPUT_BYTES 1
#define ALL_PAGES_MAX_BYTES 2
typedef int Operation;
typedef int Client;

#include "jogg.h"

int main(void) {
    Kind kind = MAX_INPUT_BYTES + ALL_PAGES_MAX_BYTES;
    Operation op = 0;
    Client client = 0;
    return (int)(kind + op + client) - 3 + (jogg_version_number() > 0 ? 0 : 1);
}
