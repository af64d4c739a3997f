// Dense matrix multiply: the classic arithmetic kernel.
#include <stdio.h>
#include <stdlib.h>

#define MAX 256
static double a[MAX][MAX], b[MAX][MAX], c[MAX][MAX];

__attribute__((noinline)) static double dot(int n, int i, int j) {
    double s = 0;
    for (int k = 0; k < n; k++) s += a[i][k] * b[k][j];
    return s;
}

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 16;
    if (n > MAX) n = MAX;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            a[i][j] = (double)((i * 7 + j * 3) % 10);
            b[i][j] = (double)((i * 5 + j * 11) % 10);
        }
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) c[i][j] = dot(n, i, j);
    double sum = 0;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) sum += c[i][j];
    printf("checksum %.0f\n", sum);
    return 0;
}
