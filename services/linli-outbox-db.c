/* linli-outbox-db.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The outbox file: created 0600 before SQLite sees it, checked for its
 * owner and mode on every open, switched to WAL with synchronous=FULL, and
 * migrated one schema version at a time.
 */
#define G_LOG_DOMAIN "linli-outbox"

#include "linli-outbox-db.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "linli-outbox-error.h"

/* Long enough for linli-diag's read of the file (milliseconds), short
 * enough that the kiosk's main loop never stalls for long on a lock. */
#define BUSY_TIMEOUT_MS 2000

gboolean
linli_outbox_db_fail (sqlite3 *db, const char *what, GError **error)
{
  int code = sqlite3_errcode (db) & 0xff;
  LinliOutboxError kind = LINLI_OUTBOX_ERROR_FAILED;

  if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
    kind = LINLI_OUTBOX_ERROR_NOT_AN_OUTBOX;
  /* SQLite's messages name tables and constraints, never values. */
  g_set_error (error, LINLI_OUTBOX_ERROR, kind, "%s: %s", what, sqlite3_errmsg (db));
  return FALSE;
}

gboolean
linli_outbox_db_exec (sqlite3 *db, const char *sql, GError **error)
{
  if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return linli_outbox_db_fail (db, sql, error);
  return TRUE;
}

sqlite3_stmt *
linli_outbox_db_prepare (sqlite3 *db, const char *sql, GError **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      linli_outbox_db_fail (db, sql, error);
      return NULL;
    }
  return stmt;
}

gboolean
linli_outbox_db_step_done (sqlite3 *db, sqlite3_stmt *stmt, const char *what, GError **error)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return linli_outbox_db_fail (db, what, error);
  return TRUE;
}

gboolean
linli_outbox_db_query_int64 (sqlite3 *db, const char *sql, gint64 *out, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = linli_outbox_db_prepare (db, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out = sqlite3_column_int64 (stmt, 0);
  else if (rc == SQLITE_DONE)
    *out = 0;
  else
    return linli_outbox_db_fail (db, sql, error);
  return TRUE;
}

/* --- files and modes --- */

/* The outbox holds personal data: only its owner may read it. SQLite gives
 * the -wal and -shm files the main file's mode (and, run as root, its
 * owner), so a main file created 0600 keeps all three private whatever the
 * umask; a file found wider is narrowed (it may come from a restored
 * backup), and another user's file is refused rather than taken over. */
static gboolean
secure_file (const char *path, GError **error)
{
  struct stat st;
  int fd = open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

  if (fd < 0)
    {
      int saved_errno = errno;

      if (saved_errno == ENOENT)
        return TRUE;
      g_set_error (error, LINLI_OUTBOX_ERROR, LINLI_OUTBOX_ERROR_PERMISSION, "outbox: %s: %s", path,
                   g_strerror (saved_errno));
      return FALSE;
    }
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error (error, LINLI_OUTBOX_ERROR, LINLI_OUTBOX_ERROR_PERMISSION,
                   "outbox: %s is not a regular file", path);
      return FALSE;
    }
  if (st.st_uid != geteuid () && geteuid () != 0)
    {
      close (fd);
      g_set_error (error, LINLI_OUTBOX_ERROR, LINLI_OUTBOX_ERROR_PERMISSION,
                   "outbox: %s belongs to uid %u, not to this user (uid %u)", path,
                   (guint) st.st_uid, (guint) geteuid ());
      return FALSE;
    }
  if ((st.st_mode & 0077) != 0 || (st.st_mode & 0600) != 0600)
    {
      if (fchmod (fd, 0600) != 0)
        {
          int saved_errno = errno;

          close (fd);
          g_set_error (error, LINLI_OUTBOX_ERROR, LINLI_OUTBOX_ERROR_PERMISSION,
                       "outbox: cannot make %s mode 0600: %s", path, g_strerror (saved_errno));
          return FALSE;
        }
      g_warning ("%s had mode %04o; made it 0600", path, (guint) (st.st_mode & 07777));
    }
  close (fd);
  return TRUE;
}

static gboolean
create_or_secure (const char *path, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, LINLI_OUTBOX_ERROR, LINLI_OUTBOX_ERROR_FAILED,
                   "outbox: cannot create %s: %s", dir, g_strerror (saved_errno));
      return FALSE;
    }

  /* O_EXCL: created here with 0600 (an empty file is a new database to
   * SQLite), or it existed and is checked below. fchmod because the umask
   * could have taken the owner's bits. */
  fd = open (path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY, 0600);
  if (fd >= 0)
    {
      gboolean ok = fchmod (fd, 0600) == 0;

      close (fd);
      if (!ok)
        {
          g_set_error (error, LINLI_OUTBOX_ERROR, LINLI_OUTBOX_ERROR_FAILED,
                       "outbox: cannot make %s mode 0600", path);
          return FALSE;
        }
    }
  else if (errno != EEXIST)
    {
      int saved_errno = errno;

      g_set_error (error, LINLI_OUTBOX_ERROR, LINLI_OUTBOX_ERROR_FAILED,
                   "outbox: cannot create %s: %s", path, g_strerror (saved_errno));
      return FALSE;
    }

  for (guint i = 0; i < 3; i++)
    {
      static const char *const suffixes[] = { "", "-wal", "-shm" };
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      if (!secure_file (file, error))
        return FALSE;
    }
  return TRUE;
}

/* --- schema: one function per version --- */

/* Version 1: the queue. Entries in id order; the key is generated before
 * the entry is written and never changes. */
static gboolean
migrate_to_1 (sqlite3 *db, GError **error)
{
  return linli_outbox_db_exec (
      db,
      "CREATE TABLE entries ("
      "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
      "  kind TEXT NOT NULL,"
      "  path TEXT NOT NULL,"
      "  content_type TEXT NOT NULL,"
      "  body BLOB NOT NULL,"
      "  idempotency_key TEXT NOT NULL UNIQUE,"
      "  created_at INTEGER NOT NULL,"
      "  attempts INTEGER NOT NULL DEFAULT 0,"
      "  next_attempt_at INTEGER NOT NULL DEFAULT 0,"
      "  last_error_code TEXT,"
      "  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'refused')),"
      "  refused_message TEXT"
      ");"
      "CREATE INDEX entries_by_state ON entries (state, id);"
      "PRAGMA application_id = 1280069442;", /* LINLI_OUTBOX_APPLICATION_ID */
      error);
}

/* Version 2: bodies move to their own table. SQLite rewrites a whole row
 * on UPDATE and reads a row's columns in order, so in v1 counting an
 * attempt rewrote the body (2 MiB: ~20 ms of the main loop) and looking at
 * an entry's state walked its body's overflow pages. And a refused entry
 * drops its body at once (delivery no longer needs the personal data in
 * it, staff never see bodies): bodies of entries already refused are not
 * carried over. The refusal keeps what staff do need: the platform's code,
 * HTTP status and time. Also the time of the last attempt, and lifetime
 * counters (a v1 file cannot tell delivered from cleared entries, so both
 * count as delivered). AUTOINCREMENT's sequence is carried over so ids,
 * the queue's order, keep growing past delivered entries. */
static gboolean
migrate_to_2 (sqlite3 *db, GError **error)
{
  return linli_outbox_db_exec (
      db,
      "ALTER TABLE entries RENAME TO entries_v1;"
      "DROP INDEX entries_by_state;"
      "CREATE TABLE entries ("
      "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
      "  kind TEXT NOT NULL,"
      "  path TEXT NOT NULL,"
      "  content_type TEXT NOT NULL,"
      "  idempotency_key TEXT NOT NULL UNIQUE,"
      "  created_at INTEGER NOT NULL,"
      "  attempts INTEGER NOT NULL DEFAULT 0,"
      "  last_attempt_at INTEGER NOT NULL DEFAULT 0,"
      "  next_attempt_at INTEGER NOT NULL DEFAULT 0,"
      "  last_error_code TEXT,"
      "  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'refused')),"
      "  refused_code TEXT,"
      "  refused_status INTEGER NOT NULL DEFAULT 0,"
      "  refused_message TEXT,"
      "  refused_at INTEGER NOT NULL DEFAULT 0"
      ");"
      "CREATE INDEX entries_by_state ON entries (state, id);"
      "CREATE TABLE bodies ("
      "  entry_id INTEGER PRIMARY KEY REFERENCES entries (id) ON DELETE CASCADE,"
      "  body BLOB NOT NULL"
      ");"
      "INSERT INTO entries (id, kind, path, content_type, idempotency_key, created_at, attempts,"
      "                     next_attempt_at, last_error_code, state, refused_code,"
      "                     refused_message)"
      "  SELECT id, kind, path, content_type, idempotency_key, created_at, attempts,"
      "         next_attempt_at, last_error_code, state,"
      "         CASE state WHEN 'refused' THEN last_error_code END, refused_message"
      "  FROM entries_v1 ORDER BY id;"
      "INSERT INTO bodies (entry_id, body)"
      "  SELECT id, body FROM entries_v1 WHERE state = 'pending' ORDER BY id;"
      "DELETE FROM sqlite_sequence WHERE name = 'entries';"
      "INSERT INTO sqlite_sequence (name, seq)"
      "  SELECT 'entries', seq FROM sqlite_sequence WHERE name = 'entries_v1';"
      "DROP TABLE entries_v1;"
      "CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;"
      "INSERT INTO counters (name, value) VALUES"
      "  ('enqueued', COALESCE ((SELECT seq FROM sqlite_sequence WHERE name = 'entries'), 0)),"
      "  ('refused', (SELECT count(*) FROM entries WHERE state = 'refused'));"
      "INSERT INTO counters (name, value) VALUES"
      "  ('delivered', (SELECT value FROM counters WHERE name = 'enqueued')"
      "                - (SELECT count(*) FROM entries));",
      error);
}

typedef gboolean (*Migration) (sqlite3 *db, GError **error);

/* migrations[n] takes a file from version n to n + 1. */
static const Migration migrations[LINLI_OUTBOX_SCHEMA_VERSION] = {
  migrate_to_1,
  migrate_to_2,
};

static gboolean
check_identity (sqlite3 *db, gint64 version, GError **error)
{
  gint64 application_id = 0;
  gint64 n_objects = 0;

  if (version > LINLI_OUTBOX_SCHEMA_VERSION)
    {
      g_set_error (error, LINLI_OUTBOX_ERROR, LINLI_OUTBOX_ERROR_NEWER_SCHEMA,
                   "the file has schema version %" G_GINT64_FORMAT
                   ", newer than this program's %d; left untouched",
                   version, LINLI_OUTBOX_SCHEMA_VERSION);
      return FALSE;
    }
  if (!linli_outbox_db_query_int64 (db, "PRAGMA application_id", &application_id, error))
    return FALSE;
  if (version == 0)
    {
      if (!linli_outbox_db_query_int64 (db, "SELECT count(*) FROM sqlite_schema", &n_objects,
                                        error))
        return FALSE;
    }
  if ((version > 0 && application_id != LINLI_OUTBOX_APPLICATION_ID)
      || (version == 0 && (n_objects > 0 || application_id != 0)))
    {
      g_set_error_literal (error, LINLI_OUTBOX_ERROR, LINLI_OUTBOX_ERROR_NOT_AN_OUTBOX,
                           "the file is another SQLite database, not a Linli outbox");
      return FALSE;
    }
  return TRUE;
}

/* A migration that moved rows between tables must leave every reference
 * whole (foreign keys are not checked row by row inside a rebuild). */
static gboolean
foreign_keys_hold (sqlite3 *db, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = linli_outbox_db_prepare (db, "PRAGMA foreign_key_check", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      g_set_error (error, LINLI_OUTBOX_ERROR, LINLI_OUTBOX_ERROR_FAILED,
                   "a row of %s refers to a missing row", sqlite3_column_text (stmt, 0));
      return FALSE;
    }
  if (rc != SQLITE_DONE)
    return linli_outbox_db_fail (db, "PRAGMA foreign_key_check", error);
  return TRUE;
}

/* All pending versions in one transaction: after a crash or an error the
 * file is at its old version, never half-way. */
static gboolean
migrate (sqlite3 *db, const char *path, GError **error)
{
  gint64 version = 0;
  gint64 from;

  if (!linli_outbox_db_query_int64 (db, "PRAGMA user_version", &version, error))
    return FALSE;
  if (version == LINLI_OUTBOX_SCHEMA_VERSION)
    return check_identity (db, version, error);

  /* IMMEDIATE, then read again: another process (linli-diag) may have
   * migrated the file in between. */
  if (!linli_outbox_db_exec (db, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!linli_outbox_db_query_int64 (db, "PRAGMA user_version", &version, error)
      || !check_identity (db, version, error))
    {
      sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  from = version;
  for (; version < LINLI_OUTBOX_SCHEMA_VERSION; version++)
    {
      g_autofree char *set_version
          = g_strdup_printf ("PRAGMA user_version = %" G_GINT64_FORMAT, version + 1);

      if (!migrations[version](db, error) || !linli_outbox_db_exec (db, set_version, error))
        {
          g_prefix_error (error, "migrating to schema version %" G_GINT64_FORMAT ": ", version + 1);
          sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
    }
  if (!foreign_keys_hold (db, error) || !linli_outbox_db_exec (db, "COMMIT", error))
    {
      sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  if (from > 0)
    g_message ("%s: migrated the outbox from schema version %" G_GINT64_FORMAT " to %d", path, from,
               LINLI_OUTBOX_SCHEMA_VERSION);
  return TRUE;
}

/* WAL: a commit appends to the log, readers (linli-diag) never block the
 * kiosk. synchronous=FULL, not NORMAL: in WAL mode NORMAL syncs the log
 * only at checkpoints, so a commit survives a crash of the program but can
 * be lost with the power — and an enqueue that returned has told the
 * resident "submitted". FULL syncs the log at every commit.
 * secure_delete: a delivered body is overwritten with zeros in the file,
 * not merely unlinked from the b-tree. trusted_schema: the file is data,
 * not code. */
static gboolean
configure (sqlite3 *db, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  const char *journal_mode = NULL;

  sqlite3_busy_timeout (db, BUSY_TIMEOUT_MS);
  stmt = linli_outbox_db_prepare (db, "PRAGMA journal_mode = WAL", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return linli_outbox_db_fail (db, "PRAGMA journal_mode = WAL", error);
  journal_mode = (const char *) sqlite3_column_text (stmt, 0);
  if (g_strcmp0 (journal_mode, "wal") != 0)
    {
      g_set_error (error, LINLI_OUTBOX_ERROR, LINLI_OUTBOX_ERROR_FAILED,
                   "cannot use write-ahead logging (journal mode %s)", journal_mode);
      return FALSE;
    }
  return linli_outbox_db_exec (db,
                               "PRAGMA synchronous = FULL;"
                               "PRAGMA foreign_keys = ON;"
                               "PRAGMA secure_delete = ON;"
                               "PRAGMA trusted_schema = OFF;",
                               error);
}

sqlite3 *
linli_outbox_db_open (const char *path, GError **error)
{
  g_autoptr (sqlite3) db = NULL;

  if (!create_or_secure (path, error))
    return NULL;

  /* The file exists now: never let SQLite create it with its own mode. */
  if (sqlite3_open_v2 (path, &db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE, NULL)
      != SQLITE_OK)
    {
      g_set_error (error, LINLI_OUTBOX_ERROR, LINLI_OUTBOX_ERROR_FAILED, "outbox %s: %s", path,
                   db != NULL ? sqlite3_errmsg (db) : "out of memory");
      return NULL;
    }
  if (!configure (db, error) || !migrate (db, path, error))
    {
      g_prefix_error (error, "outbox %s: ", path);
      return NULL;
    }
  return g_steal_pointer (&db);
}

void
linli_outbox_db_close (sqlite3 *db)
{
  /* The last connection to close checkpoints and removes -wal and -shm. */
  if (sqlite3_close (db) != SQLITE_OK)
    g_warning ("closing the outbox: %s", sqlite3_errmsg (db));
}
