// A switch compiled to a jump table (br_table), and an exit status.
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) static int classify(int c) {
    switch (c % 8) {
        case 0: return 10;
        case 1: return 21;
        case 2: return 32;
        case 3: return 43;
        case 4: return 54;
        case 5: return 65;
        default: return 7;
    }
}

int main(void) {
    int total = 0;
    for (int i = 0; i < 100; i++) total += classify(i);
    printf("total %d\n", total);
    exit(total % 7);
}
