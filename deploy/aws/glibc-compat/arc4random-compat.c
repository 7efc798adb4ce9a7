/*
 * Keeps the release binary runnable on glibc 2.34 (Amazon Linux 2023) when it is built on a newer
 * glibc. The artifact links libstdc++ statically (AL2023's libstdc++ is older than the compiler's),
 * and GCC 12's std::random_device calls arc4random, which glibc added only in 2.36. This is the
 * same function over getrandom(2) (glibc 2.25), which is what glibc's own version uses too.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/random.h>

void arc4random_buf(void *buffer, size_t length) {
    unsigned char *out = buffer;
    while (length > 0) {
        ssize_t got = getrandom(out, length, 0);
        if (got < 0) {
            if (errno == EINTR) continue;
            abort(); /* no entropy source at all: nothing safe to return */
        }
        out += got;
        length -= (size_t)got;
    }
}

uint32_t arc4random(void) {
    uint32_t value;
    arc4random_buf(&value, sizeof value);
    return value;
}

uint32_t arc4random_uniform(uint32_t upper_bound) {
    if (upper_bound < 2) return 0;
    /* Reject the values that would make some results more likely than others. */
    uint32_t min = -upper_bound % upper_bound;
    for (;;) {
        uint32_t r = arc4random();
        if (r >= min) return r % upper_bound;
    }
}
