/* linli-audit.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every maintenance action (and every PIN attempt) is one row. Each row
 * carries the hash of the row before it and its own hash, SHA-256 over that
 * previous hash and its fields, so an edited, removed or inserted row
 * breaks the chain at that point and linli_audit_verify() names it. Triggers
 * refuse UPDATE and DELETE, which stops mistakes; the chain is what catches
 * someone who drops the triggers first. Removing rows from the end cannot
 * be seen from the file alone: the newest hash is also in the journal.
 */
#define G_LOG_DOMAIN "linli-audit"

#include "linli-audit.h"
#include "linli-audit-private.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

G_DEFINE_QUARK (linli_audit_error_quark, linli_audit_error)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

#define BUSY_TIMEOUT_MS 2000
/* The hash the first record links to. */
#define GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"

struct _LinliAudit
{
  GObject parent_instance;

  char *path;
  sqlite3 *db;
};

G_DEFINE_FINAL_TYPE (LinliAudit, linli_audit, G_TYPE_OBJECT)

const char *
linli_audit_actor_to_string (LinliAuditActor actor)
{
  switch (actor)
    {
    case LINLI_AUDIT_ACTOR_MAINTAINER:
      return "maintainer";
    case LINLI_AUDIT_ACTOR_STAFF:
      return "staff";
    case LINLI_AUDIT_ACTOR_SYSTEM:
    default:
      return "system";
    }
}

void
linli_audit_record_free (LinliAuditRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->actor);
  g_free (record->action);
  g_free (record->detail);
  g_free (record->prev_hash);
  g_free (record->hash);
  g_free (record);
}

static gboolean
fail (sqlite3 *db, const char *what, GError **error)
{
  int code = sqlite3_errcode (db) & 0xff;

  g_set_error (error, LINLI_AUDIT_ERROR,
               code == SQLITE_NOTADB || code == SQLITE_CORRUPT ? LINLI_AUDIT_ERROR_NOT_AN_AUDIT
                                                               : LINLI_AUDIT_ERROR_FAILED,
               "audit log: %s: %s", what, sqlite3_errmsg (db));
  return FALSE;
}

static gboolean
exec (sqlite3 *db, const char *sql, GError **error)
{
  if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return fail (db, sql, error);
  return TRUE;
}

static sqlite3_stmt *
prepare (sqlite3 *db, const char *sql, GError **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      fail (db, sql, error);
      return NULL;
    }
  return stmt;
}

static gboolean
query_int64 (sqlite3 *db, const char *sql, gint64 *out, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = prepare (db, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out = sqlite3_column_int64 (stmt, 0);
  else if (rc == SQLITE_DONE)
    *out = 0;
  else
    return fail (db, sql, error);
  return TRUE;
}

/* ---- the file: created 0600, never taken from another user ---- */

static gboolean
create_or_secure (const char *path, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  struct stat st;
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, LINLI_AUDIT_ERROR, LINLI_AUDIT_ERROR_FAILED,
                   "audit log: cannot create %s: %s", dir, g_strerror (saved_errno));
      return FALSE;
    }
  fd = open (path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, LINLI_AUDIT_ERROR, LINLI_AUDIT_ERROR_PERMISSION, "audit log: %s: %s",
                   path, g_strerror (saved_errno));
      return FALSE;
    }
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode) || (st.st_uid != geteuid () && geteuid () != 0))
    {
      close (fd);
      g_set_error (error, LINLI_AUDIT_ERROR, LINLI_AUDIT_ERROR_PERMISSION,
                   "audit log: %s is not a regular file of this user", path);
      return FALSE;
    }
  if ((st.st_mode & 0777) != 0600 && fchmod (fd, 0600) != 0)
    {
      int saved_errno = errno;

      close (fd);
      g_set_error (error, LINLI_AUDIT_ERROR, LINLI_AUDIT_ERROR_PERMISSION,
                   "audit log: cannot make %s mode 0600: %s", path, g_strerror (saved_errno));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

/* ---- schema: one function per version ---- */

/* Version 1: the chain, the triggers that keep it append-only, and the
 * maintainer PIN's lockout state (one row). */
static gboolean
migrate_to_1 (sqlite3 *db, GError **error)
{
  return exec (db,
               "CREATE TABLE records ("
               "  id INTEGER PRIMARY KEY,"
               "  time INTEGER NOT NULL,"
               "  actor TEXT NOT NULL CHECK (actor IN ('maintainer', 'staff', 'system')),"
               "  action TEXT NOT NULL,"
               "  detail TEXT NOT NULL DEFAULT '',"
               "  prev_hash TEXT NOT NULL,"
               "  hash TEXT NOT NULL"
               ");"
               "CREATE TRIGGER records_no_update BEFORE UPDATE ON records"
               "  BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;"
               "CREATE TRIGGER records_no_delete BEFORE DELETE ON records"
               "  BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;"
               "CREATE TABLE maintainer_lockout ("
               "  id INTEGER PRIMARY KEY CHECK (id = 1),"
               "  failures INTEGER NOT NULL DEFAULT 0,"
               "  lockouts INTEGER NOT NULL DEFAULT 0,"
               "  locked_until INTEGER NOT NULL DEFAULT 0"
               ");"
               "INSERT INTO maintainer_lockout (id) VALUES (1);"
               "PRAGMA application_id = 1280065877;", /* LINLI_AUDIT_APPLICATION_ID */
               error);
}

/* Version 2: the staff PINs' lockouts, one row per staff number that has
 * failed (linli-staff-auth.c). */
static gboolean
migrate_to_2 (sqlite3 *db, GError **error)
{
  return exec (db,
               "CREATE TABLE staff_lockout ("
               "  staff_id TEXT PRIMARY KEY,"
               "  failures INTEGER NOT NULL DEFAULT 0,"
               "  lockouts INTEGER NOT NULL DEFAULT 0,"
               "  locked_until INTEGER NOT NULL DEFAULT 0"
               ");",
               error);
}

typedef gboolean (*Migration) (sqlite3 *db, GError **error);

/* migrations[n] takes a file from version n to n + 1. */
static const Migration migrations[LINLI_AUDIT_SCHEMA_VERSION] = {
  migrate_to_1,
  migrate_to_2,
};

static gboolean
check_identity (sqlite3 *db, gint64 version, GError **error)
{
  gint64 application_id = 0;
  gint64 n_objects = 0;

  if (version > LINLI_AUDIT_SCHEMA_VERSION)
    {
      g_set_error (error, LINLI_AUDIT_ERROR, LINLI_AUDIT_ERROR_NEWER_SCHEMA,
                   "the audit log has schema version %" G_GINT64_FORMAT
                   ", newer than this program's %d; left untouched",
                   version, LINLI_AUDIT_SCHEMA_VERSION);
      return FALSE;
    }
  if (!query_int64 (db, "PRAGMA application_id", &application_id, error))
    return FALSE;
  if (version == 0 && !query_int64 (db, "SELECT count(*) FROM sqlite_schema", &n_objects, error))
    return FALSE;
  if ((version > 0 && application_id != LINLI_AUDIT_APPLICATION_ID)
      || (version == 0 && (n_objects > 0 || application_id != 0)))
    {
      g_set_error_literal (error, LINLI_AUDIT_ERROR, LINLI_AUDIT_ERROR_NOT_AN_AUDIT,
                           "the file is another SQLite database, not a Linli audit log");
      return FALSE;
    }
  return TRUE;
}

/* All pending versions in one transaction. */
static gboolean
migrate (sqlite3 *db, GError **error)
{
  gint64 version = 0;

  if (!query_int64 (db, "PRAGMA user_version", &version, error))
    return FALSE;
  if (version == LINLI_AUDIT_SCHEMA_VERSION)
    return check_identity (db, version, error);
  if (!exec (db, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!query_int64 (db, "PRAGMA user_version", &version, error)
      || !check_identity (db, version, error))
    {
      sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  for (; version < LINLI_AUDIT_SCHEMA_VERSION; version++)
    {
      g_autofree char *set_version
          = g_strdup_printf ("PRAGMA user_version = %" G_GINT64_FORMAT, version + 1);

      if (!migrations[version](db, error) || !exec (db, set_version, error))
        {
          g_prefix_error (error, "migrating to schema version %" G_GINT64_FORMAT ": ", version + 1);
          sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
    }
  return exec (db, "COMMIT", error);
}

static void
linli_audit_finalize (GObject *object)
{
  LinliAudit *self = LINLI_AUDIT (object);

  if (self->db != NULL && sqlite3_close (self->db) != SQLITE_OK)
    g_warning ("closing the audit log: %s", sqlite3_errmsg (self->db));
  g_free (self->path);
  G_OBJECT_CLASS (linli_audit_parent_class)->finalize (object);
}

static void
linli_audit_class_init (LinliAuditClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = linli_audit_finalize;
}

static void
linli_audit_init (LinliAudit *self)
{
}

/**
 * linli_audit_open:
 * @path: the file (created 0600 with its directory 0700 when missing)
 *
 * Returns: (transfer full) (nullable): the log, migrated to this
 *   program's schema
 */
LinliAudit *
linli_audit_open (const char *path, GError **error)
{
  g_autoptr (LinliAudit) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  if (!create_or_secure (path, error))
    return NULL;
  self = g_object_new (LINLI_TYPE_AUDIT, NULL);
  self->path = g_strdup (path);
  if (sqlite3_open_v2 (path, &self->db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX | SQLITE_OPEN_EXRESCODE, NULL)
      != SQLITE_OK)
    {
      g_set_error (error, LINLI_AUDIT_ERROR, LINLI_AUDIT_ERROR_FAILED, "audit log %s: %s", path,
                   self->db != NULL ? sqlite3_errmsg (self->db) : "out of memory");
      return NULL;
    }
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);
  /* FULL: an audited action is on disk before it happens. */
  if (!exec (self->db,
             "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
             "PRAGMA trusted_schema = OFF;",
             error)
      || !migrate (self->db, error))
    {
      g_prefix_error (error, "%s: ", path);
      return NULL;
    }
  return g_steal_pointer (&self);
}

const char *
linli_audit_get_path (LinliAudit *self)
{
  g_return_val_if_fail (LINLI_IS_AUDIT (self), NULL);
  return self->path;
}

sqlite3 *
linli_audit_get_db (LinliAudit *self)
{
  g_return_val_if_fail (LINLI_IS_AUDIT (self), NULL);
  return self->db;
}

static void
hash_field (GChecksum *checksum, const char *value)
{
  /* Length-prefixed: ("ab", "c") and ("a", "bc") hash differently. */
  g_autofree char *length = g_strdup_printf ("%zu:", strlen (value));

  g_checksum_update (checksum, (const guchar *) length, -1);
  g_checksum_update (checksum, (const guchar *) value, -1);
}

static char *
record_hash (const char *prev_hash,
             gint64 id,
             gint64 time,
             const char *actor,
             const char *action,
             const char *detail)
{
  g_autoptr (GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  g_autofree char *time_text = g_strdup_printf ("%" G_GINT64_FORMAT, time);

  hash_field (checksum, prev_hash);
  hash_field (checksum, id_text);
  hash_field (checksum, time_text);
  hash_field (checksum, actor);
  hash_field (checksum, action);
  hash_field (checksum, detail);
  return g_strdup (g_checksum_get_string (checksum));
}

static const char *
column_text (sqlite3_stmt *stmt, int column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return text != NULL ? text : "";
}

/* Inside the caller's transaction. */
static gboolean
append_in_transaction (LinliAudit *self,
                       const char *actor_name,
                       const char *action,
                       const char *detail,
                       char **hash_out,
                       gint64 *id_out,
                       GError **error)
{
  g_autoptr (sqlite3_stmt) last = NULL;
  g_autoptr (sqlite3_stmt) insert = NULL;
  g_autofree char *prev_hash = NULL;
  g_autofree char *hash = NULL;
  gint64 id = 1;
  gint64 now = g_get_real_time ();
  int rc;

  last = prepare (self->db, "SELECT id, hash FROM records ORDER BY id DESC LIMIT 1", error);
  if (last == NULL)
    return FALSE;
  rc = sqlite3_step (last);
  if (rc == SQLITE_ROW)
    {
      id = sqlite3_column_int64 (last, 0) + 1;
      prev_hash = g_strdup (column_text (last, 1));
    }
  else if (rc == SQLITE_DONE)
    prev_hash = g_strdup (GENESIS_HASH);
  else
    return fail (self->db, "reading the last record", error);
  hash = record_hash (prev_hash, id, now, actor_name, action, detail);
  insert = prepare (self->db,
                    "INSERT INTO records (id, time, actor, action, detail, prev_hash, hash)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    error);
  if (insert == NULL)
    return FALSE;
  sqlite3_bind_int64 (insert, 1, id);
  sqlite3_bind_int64 (insert, 2, now);
  sqlite3_bind_text (insert, 3, actor_name, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 4, action, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (insert, 5, detail, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (insert, 6, prev_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (insert, 7, hash, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (insert) != SQLITE_DONE)
    return fail (self->db, "appending a record", error);
  *hash_out = g_steal_pointer (&hash);
  *id_out = id;
  return TRUE;
}

gboolean
linli_audit_append (
    LinliAudit *self, LinliAuditActor actor, const char *action, const char *detail, GError **error)
{
  const char *actor_name = linli_audit_actor_to_string (actor);
  g_autofree char *hash = NULL;
  gint64 id = 0;

  g_return_val_if_fail (LINLI_IS_AUDIT (self), FALSE);
  g_return_val_if_fail (action != NULL, FALSE);

  /* IMMEDIATE: linli-diag may append too; the tail read and the insert
   * must see the same tail. */
  if (!exec (self->db, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!append_in_transaction (self, actor_name, action, detail != NULL ? detail : "", &hash, &id,
                              error)
      || !exec (self->db, "COMMIT", error))
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  /* The journal keeps the newest link: a log cut short at its end shows. */
  g_info ("audit %" G_GINT64_FORMAT " %s %s (chain %.16s)", id, actor_name, action, hash);
  return TRUE;
}

void
linli_audit_log (LinliAudit *self, LinliAuditActor actor, const char *action, const char *detail)
{
  g_autoptr (GError) error = NULL;

  if (self == NULL)
    return;
  if (!linli_audit_append (self, actor, action, detail, &error))
    g_warning ("%s: not audited: %s", action, error->message);
}

gboolean
linli_audit_verify (LinliAudit *self, gint64 *n_records, gint64 *bad_id, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autofree char *expected_prev = g_strdup (GENESIS_HASH);
  gint64 expected_id = 1;
  gint64 count = 0;
  int rc;

  g_return_val_if_fail (LINLI_IS_AUDIT (self), FALSE);

  stmt = prepare (self->db,
                  "SELECT id, time, actor, action, detail, prev_hash, hash FROM records"
                  " ORDER BY id",
                  error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_autofree char *hash
          = record_hash (column_text (stmt, 5), id, sqlite3_column_int64 (stmt, 1),
                         column_text (stmt, 2), column_text (stmt, 3), column_text (stmt, 4));
      const char *why = NULL;

      if (id != expected_id)
        why = "a record is missing before it";
      else if (!g_str_equal (column_text (stmt, 5), expected_prev))
        why = "it does not link to the record before it";
      else if (!g_str_equal (column_text (stmt, 6), hash))
        why = "its fields do not match its hash";
      if (why != NULL)
        {
          if (bad_id != NULL)
            *bad_id = id;
          if (n_records != NULL)
            *n_records = count;
          g_set_error (error, LINLI_AUDIT_ERROR, LINLI_AUDIT_ERROR_BROKEN_CHAIN,
                       "audit record %" G_GINT64_FORMAT ": %s", id, why);
          return FALSE;
        }
      g_free (expected_prev);
      expected_prev = g_strdup (column_text (stmt, 6));
      expected_id = id + 1;
      count++;
    }
  if (rc != SQLITE_DONE)
    return fail (self->db, "reading the records", error);
  if (n_records != NULL)
    *n_records = count;
  return TRUE;
}

GPtrArray *
linli_audit_recent (LinliAudit *self, guint n, GError **error)
{
  g_autoptr (GPtrArray) records
      = g_ptr_array_new_with_free_func ((GDestroyNotify) linli_audit_record_free);
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (LINLI_IS_AUDIT (self), NULL);

  stmt = prepare (self->db,
                  "SELECT id, time, actor, action, detail, prev_hash, hash FROM records"
                  " ORDER BY id DESC LIMIT ?",
                  error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, n);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      LinliAuditRecord *record = g_new0 (LinliAuditRecord, 1);

      record->id = sqlite3_column_int64 (stmt, 0);
      record->time = sqlite3_column_int64 (stmt, 1);
      record->actor = g_strdup (column_text (stmt, 2));
      record->action = g_strdup (column_text (stmt, 3));
      record->detail = g_strdup (column_text (stmt, 4));
      record->prev_hash = g_strdup (column_text (stmt, 5));
      record->hash = g_strdup (column_text (stmt, 6));
      g_ptr_array_add (records, record);
    }
  if (rc != SQLITE_DONE)
    {
      fail (self->db, "reading the records", error);
      return NULL;
    }
  return g_steal_pointer (&records);
}
