// The bench's SQLite workload: an in-memory table, inserts, an index, queries.
#include <stdio.h>
#include <stdlib.h>
#include "sqlite3.h"

static void run(sqlite3 *db, const char *sql) {
    char *err = 0;
    if (sqlite3_exec(db, sql, 0, 0, &err) != SQLITE_OK) { printf("error: %s\n", err); exit(1); }
}

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 20000;
    sqlite3 *db;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK) return 1;
    run(db, "create table t(k integer, v text)");
    sqlite3_stmt *ins;
    sqlite3_prepare_v2(db, "insert into t values(?, ?)", -1, &ins, 0);
    run(db, "begin");
    char buf[64];
    for (int i = 0; i < n; i++) {
        snprintf(buf, sizeof buf, "value %d", (i * 7919) % n);
        sqlite3_bind_int(ins, 1, (i * 7919) % n);
        sqlite3_bind_text(ins, 2, buf, -1, SQLITE_TRANSIENT);
        sqlite3_step(ins);
        sqlite3_reset(ins);
    }
    run(db, "commit");
    run(db, "create index tk on t(k)");
    sqlite3_stmt *q;
    sqlite3_prepare_v2(db, "select count(*), sum(length(v)) from t where k between ? and ?", -1, &q, 0);
    long total = 0;
    for (int i = 0; i < n / 10; i++) {
        sqlite3_bind_int(q, 1, i);
        sqlite3_bind_int(q, 2, i + 100);
        if (sqlite3_step(q) == SQLITE_ROW) total += sqlite3_column_int(q, 0) + sqlite3_column_int(q, 1);
        sqlite3_reset(q);
    }
    printf("total %ld\n", total);
    sqlite3_close(db);
    return 0;
}
