// Sieve of Eratosthenes: loops, loads and stores, a helper per prime.
#include <stdio.h>
#include <stdlib.h>

static unsigned char composite[1 << 20];

__attribute__((noinline)) static void cross_out(unsigned p, unsigned limit) {
    for (unsigned m = p * p; m <= limit; m += p) composite[m] = 1;
}

int main(int argc, char **argv) {
    unsigned limit = argc > 1 ? (unsigned)atoi(argv[1]) : 1000;
    if (limit >= sizeof composite) limit = sizeof composite - 1;
    unsigned count = 0;
    for (unsigned i = 2; i <= limit; i++) {
        if (!composite[i]) {
            count++;
            if ((unsigned long long)i * i <= limit) cross_out(i, limit);
        }
    }
    printf("%u primes up to %u\n", count, limit);
    return 0;
}
