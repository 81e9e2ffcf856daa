/* linli-receipt-index.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One table, one row per number: the template's name and the field values
 * as a JSON object. WAL with synchronous=NORMAL: a put is one short
 * transaction on the main loop and never waits for the disk; losing the
 * last receipt in a power cut costs a reprint, not a submission (those go
 * through the outbox). Deleted rows are overwritten (secure_delete).
 */
#define G_LOG_DOMAIN "linli-receipt-index"

#include "linli-receipt-index.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

G_DEFINE_QUARK (linli_receipt_index_error, linli_receipt_index_error)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

#define SCHEMA_VERSION 1

struct _LinliReceiptIndex
{
  GObject parent_instance;

  sqlite3 *db;
  guint keep_days;
};

G_DEFINE_FINAL_TYPE (LinliReceiptIndex, linli_receipt_index, G_TYPE_OBJECT)

static void
linli_receipt_index_finalize (GObject *object)
{
  LinliReceiptIndex *self = LINLI_RECEIPT_INDEX (object);

  g_clear_pointer (&self->db, sqlite3_close);
  G_OBJECT_CLASS (linli_receipt_index_parent_class)->finalize (object);
}

static void
linli_receipt_index_class_init (LinliReceiptIndexClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = linli_receipt_index_finalize;
}

static void
linli_receipt_index_init (LinliReceiptIndex *self)
{
}

static gboolean
fail (LinliReceiptIndex *self, const char *what, GError **error)
{
  /* SQLite's messages name tables and columns, never values. */
  g_set_error (error, LINLI_RECEIPT_INDEX_ERROR, LINLI_RECEIPT_INDEX_ERROR_FAILED, "%s: %s", what,
               sqlite3_errmsg (self->db));
  return FALSE;
}

static gboolean
exec (LinliReceiptIndex *self, const char *sql, GError **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return fail (self, sql, error);
  return TRUE;
}

static sqlite3_stmt *
prepare (LinliReceiptIndex *self, const char *sql, GError **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      fail (self, sql, error);
      return NULL;
    }
  return stmt;
}

/* Version 0 → 1: the table. One function per version, as the outbox does. */
static gboolean
migrate_to_1 (LinliReceiptIndex *self, GError **error)
{
  return exec (self,
               "CREATE TABLE receipts ("
               " number TEXT PRIMARY KEY,"
               " template TEXT NOT NULL,"
               " fields TEXT NOT NULL,"
               " created INTEGER NOT NULL);"
               "CREATE INDEX receipts_created ON receipts (created);",
               error);
}

static gboolean
migrate (LinliReceiptIndex *self, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = prepare (self, "PRAGMA user_version", error);
  int version;

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return fail (self, "PRAGMA user_version", error);
  version = sqlite3_column_int (stmt, 0);
  if (version > SCHEMA_VERSION)
    {
      g_set_error (error, LINLI_RECEIPT_INDEX_ERROR, LINLI_RECEIPT_INDEX_ERROR_FAILED,
                   "receipt index: schema version %d is newer than this kiosk's %d", version,
                   SCHEMA_VERSION);
      return FALSE;
    }
  if (version == SCHEMA_VERSION)
    return TRUE;
  if (!exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  if ((version < 1 && !migrate_to_1 (self, error)) || !exec (self, "PRAGMA user_version = 1", error)
      || !exec (self, "COMMIT", error))
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  return TRUE;
}

/* The file exists 0600 before SQLite opens it, so it never exists readable
 * by others, whatever the umask. */
static gboolean
create_private (const char *path, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, LINLI_RECEIPT_INDEX_ERROR, LINLI_RECEIPT_INDEX_ERROR_FAILED,
                   "receipt index: cannot make %s: %s", dir, g_strerror (saved));
      return FALSE;
    }
  fd = open (path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
  if (fd < 0 || fchmod (fd, 0600) != 0)
    {
      int saved = errno;
      if (fd >= 0)
        close (fd);
      g_set_error (error, LINLI_RECEIPT_INDEX_ERROR, LINLI_RECEIPT_INDEX_ERROR_FAILED,
                   "receipt index: cannot open %s: %s", path, g_strerror (saved));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

LinliReceiptIndex *
linli_receipt_index_open (const char *path, guint keep_days, GError **error)
{
  g_autoptr (LinliReceiptIndex) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!create_private (path, error))
    return NULL;
  self = g_object_new (LINLI_TYPE_RECEIPT_INDEX, NULL);
  self->keep_days = MAX (keep_days, 1);
  if (sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL)
      != SQLITE_OK)
    {
      fail (self, "receipt index: open", error);
      return NULL;
    }
  sqlite3_busy_timeout (self->db, 1000);
  if (!exec (self,
             "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
             " PRAGMA secure_delete = ON;",
             error)
      || !migrate (self, error) || linli_receipt_index_purge (self, NULL, error) == G_MAXUINT)
    return NULL;
  return g_steal_pointer (&self);
}

static gboolean
check_number (const char *number, GError **error)
{
  gsize length = strlen (number);

  for (const char *p = number; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      length = 0;
  if (length < 4 || length > 64)
    {
      g_set_error_literal (error, LINLI_RECEIPT_INDEX_ERROR, LINLI_RECEIPT_INDEX_ERROR_INVALID,
                           "not an application or order number");
      return FALSE;
    }
  return TRUE;
}

gboolean
linli_receipt_index_put (LinliReceiptIndex *self,
                         const char *number,
                         LinliReceipt *receipt,
                         GError **error)
{
  const char *const *fields;
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *json = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  gboolean ok;

  g_return_val_if_fail (LINLI_IS_RECEIPT_INDEX (self), FALSE);
  g_return_val_if_fail (number != NULL, FALSE);
  g_return_val_if_fail (LINLI_IS_RECEIPT (receipt), FALSE);

  if (!check_number (number, error))
    return FALSE;
  fields = linli_receipt_get_fields (receipt);
  json_builder_begin_object (builder);
  for (guint i = 0; fields[i] != NULL; i++)
    {
      const char *value = linli_receipt_get (receipt, fields[i]);

      if (value == NULL)
        continue;
      json_builder_set_member_name (builder, fields[i]);
      json_builder_add_string_value (builder, value);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, NULL);

  stmt = prepare (self,
                  "INSERT OR REPLACE INTO receipts (number, template, fields, created)"
                  " VALUES (?, ?, ?, ?)",
                  error);
  if (stmt == NULL)
    ok = FALSE;
  else
    {
      sqlite3_bind_text (stmt, 1, number, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, linli_receipt_get_template_name (receipt), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, json, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 4, g_date_time_to_unix (now));
      ok = sqlite3_step (stmt) == SQLITE_DONE || fail (self, "receipt index: put", error);
    }
  explicit_bzero (json, strlen (json));
  return ok && linli_receipt_index_purge (self, now, error) != G_MAXUINT;
}

LinliReceipt *
linli_receipt_index_get (LinliReceiptIndex *self, const char *number, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (LinliReceipt) receipt = NULL;
  g_autoptr (GError) local_error = NULL;
  JsonNode *root;
  JsonObject *object;
  g_autoptr (GList) members = NULL;

  g_return_val_if_fail (LINLI_IS_RECEIPT_INDEX (self), NULL);
  g_return_val_if_fail (number != NULL, NULL);

  if (!check_number (number, error))
    return NULL;
  stmt = prepare (self, "SELECT template, fields FROM receipts WHERE number = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_STATIC);
  switch (sqlite3_step (stmt))
    {
    case SQLITE_ROW:
      break;
    case SQLITE_DONE:
      g_set_error (error, LINLI_RECEIPT_INDEX_ERROR, LINLI_RECEIPT_INDEX_ERROR_NOT_FOUND,
                   "no receipt is kept under %s", number);
      return NULL;
    default:
      fail (self, "receipt index: get", error);
      return NULL;
    }

  receipt = linli_receipt_new ((const char *) sqlite3_column_text (stmt, 0), &local_error);
  if (receipt == NULL
      || !json_parser_load_from_data (parser, (const char *) sqlite3_column_text (stmt, 1), -1,
                                      &local_error)
      || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, LINLI_RECEIPT_INDEX_ERROR, LINLI_RECEIPT_INDEX_ERROR_INVALID,
                   "the receipt kept under %s cannot be read: %s", number,
                   local_error != NULL ? local_error->message : "not an object");
      return NULL;
    }
  object = json_node_get_object (root);
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;
      JsonNode *node = json_object_get_member (object, key);

      /* The receipt checks each value again (masked data only). */
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING
          || !linli_receipt_set (receipt, key, json_node_get_string (node), &local_error))
        {
          g_set_error (error, LINLI_RECEIPT_INDEX_ERROR, LINLI_RECEIPT_INDEX_ERROR_INVALID,
                       "the receipt kept under %s cannot be read: field “%s”%s%s", number, key,
                       local_error != NULL ? ": " : "",
                       local_error != NULL ? local_error->message : "");
          return NULL;
        }
    }
  return g_steal_pointer (&receipt);
}

guint
linli_receipt_index_purge (LinliReceiptIndex *self, GDateTime *now, GError **error)
{
  g_autoptr (GDateTime) current = now != NULL ? g_date_time_ref (now) : g_date_time_new_now_utc ();
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (LINLI_IS_RECEIPT_INDEX (self), G_MAXUINT);

  stmt = prepare (self, "DELETE FROM receipts WHERE created <= ?", error);
  if (stmt == NULL)
    return G_MAXUINT;
  sqlite3_bind_int64 (stmt, 1,
                      g_date_time_to_unix (current) - (gint64) self->keep_days * 24 * 3600);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      fail (self, "receipt index: purge", error);
      return G_MAXUINT;
    }
  return (guint) sqlite3_changes (self->db);
}

guint
linli_receipt_index_count (LinliReceiptIndex *self)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (LINLI_IS_RECEIPT_INDEX (self), 0);
  stmt = prepare (self, "SELECT count(*) FROM receipts", NULL);
  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return 0;
  return (guint) sqlite3_column_int (stmt, 0);
}
