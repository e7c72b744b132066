/* The sign-in limit for `make bench`: Argon2id hashes per second of this process with libargon2
 * and the product's default parameters (m=19456 KiB, t=2, p=1, 16-byte salt, 32-byte hash), as
 * PHP's password_hash does. bench.py runs two at once, one per worker.
 *   argon2-rate SECONDS   prints hashes/s */
#include <argon2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    double seconds = argc > 1 ? atof(argv[1]) : 3;
    const char *password = "bench-password-123";
    unsigned char salt[16] = "0123456789abcdef";
    char encoded[128];
    long n = 0;
    double start = now(), elapsed;
    do {
        salt[0] = (unsigned char)n;
        int rc = argon2id_hash_encoded(2, 19456, 1, password, strlen(password), salt, sizeof salt, 32,
                                       encoded, sizeof encoded);
        if (rc != ARGON2_OK) { fprintf(stderr, "argon2: %s\n", argon2_error_message(rc)); return 1; }
        n++;
        elapsed = now() - start;
    } while (elapsed < seconds);
    printf("%.2f\n", n / elapsed);
    return 0;
}
