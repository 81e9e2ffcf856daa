/* linli-sim-db.h — the simulator's SQLite database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One connection, used on the main thread only. WAL mode; the schema is
 * versioned with PRAGMA user_version and one migration per version
 * (docs/platform-sim.md lists the tables). */
#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

G_BEGIN_DECLS

#define LINLI_SIM_DB_ERROR (linli_sim_db_error_quark ())
GQuark linli_sim_db_error_quark (void);

typedef enum
{
  LINLI_SIM_DB_ERROR_FAILED,  /* SQLite said no */
  LINLI_SIM_DB_ERROR_VERSION, /* a database written by a newer simulator */
} LinliSimDbError;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

#define LINLI_TYPE_SIM_DB (linli_sim_db_get_type ())
G_DECLARE_FINAL_TYPE (LinliSimDb, linli_sim_db, LINLI, SIM_DB, GObject)

/* Opens (creates) the database and brings its schema up to date. In-progress
 * idempotency claims left by a killed simulator are dropped: their effect
 * was never committed, so the kiosk's resend applies it once. */
LinliSimDb *linli_sim_db_open (const char *path, GError **error);

int linli_sim_db_schema_version (void);

/* Statements with parameters bound from FORMAT, one character each:
 * 's' const char * (NULL binds NULL), 'i' int, 'l' gint64, 'N' gint64 that
 * binds NULL when negative, 'd' double, 'b' GBytes * (a blob). */
sqlite3_stmt *linli_sim_db_query (
    LinliSimDb *self, GError **error, const char *sql, const char *format, ...);
/* Runs a statement to its end (no rows wanted). */
gboolean linli_sim_db_run (
    LinliSimDb *self, GError **error, const char *sql, const char *format, ...);
/* TRUE with a row, FALSE at the end (error unset) or on an error (set). */
gboolean linli_sim_db_step (LinliSimDb *self, sqlite3_stmt *stmt, GError **error);
/* The first column of the first row as an integer; DEFAULT_VALUE if none. */
gint64 linli_sim_db_query_int (LinliSimDb *self,
                               GError **error,
                               gint64 default_value,
                               const char *sql,
                               const char *format,
                               ...);
/* The first column of the first row as text (NULL if none). */
char *linli_sim_db_query_text (
    LinliSimDb *self, GError **error, const char *sql, const char *format, ...);
gint64 linli_sim_db_changes (LinliSimDb *self);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK. Rollback never fails loudly. */
gboolean linli_sim_db_begin (LinliSimDb *self, GError **error);
gboolean linli_sim_db_commit (LinliSimDb *self, GError **error);
void linli_sim_db_rollback (LinliSimDb *self);

/* A column's text, never NULL ("" for NULL): for members that must be set. */
const char *linli_sim_db_text (sqlite3_stmt *stmt, int column);
/* A column's text, or NULL. */
const char *linli_sim_db_text_or_null (sqlite3_stmt *stmt, int column);

G_END_DECLS
