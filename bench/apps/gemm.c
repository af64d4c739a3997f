// PolyBench-style dense matrix multiply C = alpha*A*B + beta*C, sized by
// its argument (default 1500: about a second plain on wasmtime).
#include <stdio.h>
#include <stdlib.h>

static double *matrix(int n) { return malloc(sizeof(double) * n * n); }

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 1500;
    double *a = matrix(n), *b = matrix(n), *c = matrix(n);
    if (!a || !b || !c) return 1;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            a[i * n + j] = (double)((i * j + 1) % n) / n;
            b[i * n + j] = (double)((i * (j + 1) + 2) % n) / n;
            c[i * n + j] = (double)((i * (j + 2) + 3) % n) / n;
        }
    const double alpha = 1.5, beta = 1.2;
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) c[i * n + j] *= beta;
        for (int k = 0; k < n; k++) {
            double aik = alpha * a[i * n + k];
            for (int j = 0; j < n; j++) c[i * n + j] += aik * b[k * n + j];
        }
    }
    double sum = 0;
    for (int i = 0; i < n * n; i++) sum += c[i];
    printf("checksum %.6f\n", sum);
    return 0;
}
