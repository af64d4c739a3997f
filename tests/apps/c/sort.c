// Insertion sort of a pseudo-random array: data-dependent branches.
#include <stdio.h>
#include <stdlib.h>

static unsigned data[1 << 16];

__attribute__((noinline)) static void swap(unsigned *x, unsigned *y) {
    unsigned t = *x;
    *x = *y;
    *y = t;
}

int main(int argc, char **argv) {
    unsigned n = argc > 1 ? (unsigned)atoi(argv[1]) : 200;
    if (n > sizeof data / sizeof data[0]) n = sizeof data / sizeof data[0];
    unsigned seed = 12345;
    for (unsigned i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        data[i] = (seed >> 16) % 1000;
    }
    for (unsigned i = 1; i < n; i++)
        for (unsigned j = i; j > 0 && data[j - 1] > data[j]; j--) swap(&data[j - 1], &data[j]);
    unsigned long long check = 0;
    for (unsigned i = 0; i < n; i++) check = check * 31 + data[i];
    printf("sorted %u values, check %llu\n", n, check);
    return 0;
}
