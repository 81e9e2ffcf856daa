/* linli-outbox-db.h — the outbox's SQLite file: opening, modes, schema
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Private to services/: only linli-outbox.c (and its tests) use it.
 */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* The schema this code writes; PRAGMA user_version holds the file's. */
#define LINLI_OUTBOX_SCHEMA_VERSION 2

/* PRAGMA application_id of an outbox file: "LLOB". */
#define LINLI_OUTBOX_APPLICATION_ID 0x4c4c4f42

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3, sqlite3_close)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* Opens (creating it 0600 if needed) and migrates the outbox at @path. */
sqlite3 *linli_outbox_db_open (const char *path, GError **error);
void linli_outbox_db_close (sqlite3 *db);

gboolean linli_outbox_db_exec (sqlite3 *db, const char *sql, GError **error);
sqlite3_stmt *linli_outbox_db_prepare (sqlite3 *db, const char *sql, GError **error);
/* Sets @error from the connection's last error; returns FALSE. */
gboolean linli_outbox_db_fail (sqlite3 *db, const char *what, GError **error);
/* One step that must be SQLITE_DONE. */
gboolean linli_outbox_db_step_done (sqlite3 *db,
                                    sqlite3_stmt *stmt,
                                    const char *what,
                                    GError **error);
/* The first column of a one-row query (0 when no row). */
gboolean linli_outbox_db_query_int64 (sqlite3 *db, const char *sql, gint64 *out, GError **error);

G_END_DECLS
