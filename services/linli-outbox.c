/* linli-outbox.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Exactly once, from the kiosk's side: the key is generated and committed
 * (synchronous=FULL) with the entry before the first attempt, no statement
 * ever changes it, and an entry leaves the file only in the transaction
 * that follows the platform's confirmation (or definitive refusal). A crash
 * anywhere leaves it pending with its key, so it is resent with that key
 * and the platform's deduplication answers with the first result.
 *
 * Delivery is a small state machine on the outbox's main context:
 *   idle  --enqueue/kick/flush/timer-->  sending  --confirmed/refused-->  idle
 *   sending  --failed for now-->  waiting (timer: backoff, retry_after)
 * One request at a time, the oldest pending entry first: an evaluation
 * never overtakes the application it rates. SQLite runs on the main
 * context too: the statements touch one row, and the cost of a commit
 * (one fsync of the log) is measured by tests/services/bench-outbox.c.
 */
#define G_LOG_DOMAIN "linli-outbox"

#include "linli-outbox.h"

#include <string.h>

#include "linli-outbox-db.h"

#define DEFAULT_RETRY_INITIAL_MS 2000
#define DEFAULT_RETRY_MAX_MS     (5 * 60 * 1000)
/* A retry_after beyond this is taken as this: a wrong clock or header must
 * not park the queue for days. */
#define MAX_RETRY_AFTER_S (60 * 60)

typedef struct
{
  LinliOutbox *self; /* strong: the outbox lives until the answer came */
  gint64 id;
  char *kind;
  char *key;
  GCancellable *cancellable;
} Attempt;

typedef struct
{
  GTask *task;
  GSource *cancelled_source;
} Flush;

struct _LinliOutbox
{
  GObject parent_instance;

  char *path;
  sqlite3 *db;
  GMainContext *context;
  guint depth;
  guint retry_initial_ms;
  guint retry_max_ms;

  LinliPlatform *platform; /* NULL: stopped */
  Attempt *attempt;        /* the request in flight */
  GSource *timer;          /* waiting for the oldest entry's next attempt */
  gboolean kicked;         /* try the oldest entry now, once */
  GPtrArray *flushes;      /* Flush */
};

G_DEFINE_FINAL_TYPE (LinliOutbox, linli_outbox, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_PATH,
  PROP_RETRY_INITIAL_MS,
  PROP_RETRY_MAX_MS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_ENTRY_DELIVERED,
  SIGNAL_ENTRY_REFUSED,
  SIGNAL_ATTEMPT_FAILED,
  SIGNAL_DEPTH_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void schedule (LinliOutbox *self);

/* --- small helpers --- */

static void
attempt_free (Attempt *attempt)
{
  g_object_unref (attempt->self);
  g_free (attempt->kind);
  g_free (attempt->key);
  g_object_unref (attempt->cancellable);
  g_free (attempt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Attempt, attempt_free)

static void
flush_free (Flush *flush)
{
  if (flush->cancelled_source != NULL)
    {
      g_source_destroy (flush->cancelled_source);
      g_source_unref (flush->cancelled_source);
    }
  g_clear_object (&flush->task);
  g_free (flush);
}

/* The body read back for sending is personal data: zeroed when the
 * request no longer needs it. The free function is not told the size, so
 * the block carries it in front. */
static void
wipe_block (gpointer data)
{
  gsize *block = (gsize *) data - 1;

  explicit_bzero (block, block[0] + sizeof (gsize));
  g_free (block);
}

static GBytes *
copy_body (const void *data, gsize size)
{
  gsize *block = g_malloc (sizeof (gsize) + MAX (size, 1));

  block[0] = size;
  if (size > 0)
    memcpy (block + 1, data, size);
  return g_bytes_new_with_free_func (block + 1, size, wipe_block, block + 1);
}

static const char *
error_name (const GError *error)
{
  const char *code = NULL;

  if (error->domain == LINLI_PLATFORM_ERROR)
    {
      code = linli_platform_error_get_code (error);
      if (code != NULL && code[0] != '\0')
        return code;
      switch ((LinliPlatformError) error->code)
        {
        case LINLI_PLATFORM_ERROR_UNREACHABLE:
          return "unreachable";
        case LINLI_PLATFORM_ERROR_TIMEOUT:
          return "timeout";
        case LINLI_PLATFORM_ERROR_TLS:
          return "tls";
        case LINLI_PLATFORM_ERROR_UNAUTHORIZED:
          return "unauthorized";
        case LINLI_PLATFORM_ERROR_SERVER:
          return "server";
        case LINLI_PLATFORM_ERROR_BUSY:
          return "busy";
        case LINLI_PLATFORM_ERROR_NOT_FOUND:
          return "not-found";
        case LINLI_PLATFORM_ERROR_REJECTED:
          return "rejected";
        case LINLI_PLATFORM_ERROR_INVALID_RESPONSE:
          return "invalid-response";
        case LINLI_PLATFORM_ERROR_FAILED:
        default:
          return "failed";
        }
    }
  return "failed";
}

static void
set_depth (LinliOutbox *self, guint depth)
{
  if (self->depth == depth)
    return;
  self->depth = depth;
  g_signal_emit (self, signals[SIGNAL_DEPTH_CHANGED], 0, depth);
}

/* secure_delete zeroed the deleted body's pages, but as new frames of the
 * write-ahead log: the frames written at enqueue still hold it until the
 * log is checkpointed and cut. TRUNCATE copies the zeroed pages over the
 * main file and empties the log. It waits for readers (linli-diag) up to
 * the busy timeout; if it cannot finish, the next delivery tries again. */
static void
forget_deleted (LinliOutbox *self)
{
  int rc = sqlite3_wal_checkpoint_v2 (self->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);

  if (rc != SQLITE_OK)
    g_debug ("checkpoint after a removal: %s", sqlite3_errmsg (self->db));
}

static gboolean
bump_counter (LinliOutbox *self, const char *name, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = linli_outbox_db_prepare (
      self->db, "UPDATE counters SET value = value + 1 WHERE name = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  return linli_outbox_db_step_done (self->db, stmt, "counting", error);
}

static gboolean
commit (LinliOutbox *self, GError **error)
{
  if (linli_outbox_db_exec (self->db, "COMMIT", error))
    return TRUE;
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

static void
rollback (LinliOutbox *self)
{
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

/* --- the queue --- */

static gboolean
valid_word (const char *s, gsize max)
{
  gsize n = 0;

  if (s == NULL || s[0] == '\0')
    return FALSE;
  for (; s[n] != '\0'; n++)
    if (!(g_ascii_islower (s[n]) || g_ascii_isdigit (s[n]) || s[n] == '-'))
      return FALSE;
  return n <= max;
}

static gboolean
valid_printable (const char *s, gsize max)
{
  gsize n = 0;

  if (s == NULL || s[0] == '\0')
    return FALSE;
  for (; s[n] != '\0'; n++)
    if (!g_ascii_isgraph (s[n]) && s[n] != ' ')
      return FALSE;
  return n <= max;
}

gboolean
linli_outbox_enqueue (LinliOutbox *self,
                      const char *kind,
                      const char *path,
                      const char *content_type,
                      GBytes *body,
                      char **out_key,
                      GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autofree char *key = NULL;
  gconstpointer data;
  gsize size = 0;

  g_return_val_if_fail (LINLI_IS_OUTBOX (self), FALSE);
  g_return_val_if_fail (body != NULL, FALSE);

  data = g_bytes_get_data (body, &size);
  if (!valid_word (kind, 64))
    {
      g_set_error_literal (error, LINLI_OUTBOX_ERROR, LINLI_OUTBOX_ERROR_INVALID,
                           "outbox: the kind must be a word of a-z, 0-9 and -");
      return FALSE;
    }
  if (path == NULL || path[0] != '/' || strchr (path, ' ') != NULL || !valid_printable (path, 2048))
    {
      g_set_error_literal (error, LINLI_OUTBOX_ERROR, LINLI_OUTBOX_ERROR_INVALID,
                           "outbox: the path must be an absolute path below the platform's URL");
      return FALSE;
    }
  if (!valid_printable (content_type, 255))
    {
      g_set_error_literal (error, LINLI_OUTBOX_ERROR, LINLI_OUTBOX_ERROR_INVALID,
                           "outbox: a content type is needed");
      return FALSE;
    }
  if (size == 0 || size > LINLI_OUTBOX_MAX_BODY_SIZE)
    {
      g_set_error (error, LINLI_OUTBOX_ERROR, LINLI_OUTBOX_ERROR_INVALID,
                   "outbox: a body of %" G_GSIZE_FORMAT " bytes (1 to %d are accepted)", size,
                   LINLI_OUTBOX_MAX_BODY_SIZE);
      return FALSE;
    }

  /* The key exists before the entry does, and is committed with it. */
  key = g_uuid_string_random ();
  if (!linli_outbox_db_exec (self->db, "BEGIN IMMEDIATE", error))
    return FALSE;
  stmt = linli_outbox_db_prepare (self->db,
                                  "INSERT INTO entries (kind, path, content_type, idempotency_key,"
                                  "                     created_at)"
                                  " VALUES (?, ?, ?, ?, ?)",
                                  error);
  if (stmt == NULL)
    {
      rollback (self);
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, path, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, content_type, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, key, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, g_get_real_time ());
  if (!linli_outbox_db_step_done (self->db, stmt, "enqueueing", error))
    {
      rollback (self);
      return FALSE;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);
  stmt = linli_outbox_db_prepare (self->db, "INSERT INTO bodies (entry_id, body) VALUES (?, ?)",
                                  error);
  if (stmt == NULL)
    {
      rollback (self);
      return FALSE;
    }
  sqlite3_bind_int64 (stmt, 1, sqlite3_last_insert_rowid (self->db));
  sqlite3_bind_blob64 (stmt, 2, data, size, SQLITE_STATIC);
  if (!linli_outbox_db_step_done (self->db, stmt, "enqueueing", error)
      || !bump_counter (self, "enqueued", error) || !commit (self, error))
    {
      rollback (self);
      return FALSE;
    }
  g_debug ("enqueued %s %s (%" G_GSIZE_FORMAT " bytes)", kind, key, size);

  if (out_key != NULL)
    *out_key = g_strdup (key);
  set_depth (self, self->depth + 1);
  schedule (self);
  return TRUE;
}

guint
linli_outbox_get_depth (LinliOutbox *self)
{
  g_return_val_if_fail (LINLI_IS_OUTBOX (self), 0);
  return self->depth;
}

static GDateTime *
date_time_from_usec (gint64 usec)
{
  g_autoptr (GDateTime) seconds = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);

  if (seconds == NULL)
    return NULL;
  return g_date_time_add (seconds, usec % G_USEC_PER_SEC);
}

GDateTime *
linli_outbox_get_oldest (LinliOutbox *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (LINLI_IS_OUTBOX (self), NULL);

  stmt = linli_outbox_db_prepare (
      self->db, "SELECT min(created_at) FROM entries WHERE state = 'pending'", &error);
  if (stmt == NULL)
    {
      g_warning ("%s", error->message);
      return NULL;
    }
  if (sqlite3_step (stmt) != SQLITE_ROW || sqlite3_column_type (stmt, 0) == SQLITE_NULL)
    return NULL;
  return date_time_from_usec (sqlite3_column_int64 (stmt, 0));
}

static char *
column_strdup (sqlite3_stmt *stmt, int column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

GPtrArray *
linli_outbox_list (LinliOutbox *self, GError **error)
{
  g_autoptr (GPtrArray) entries = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (LINLI_IS_OUTBOX (self), NULL);

  /* length(body) reads the record's header, not the body. */
  stmt = linli_outbox_db_prepare (
      self->db,
      "SELECT id, kind, path, content_type, idempotency_key, state, created_at, attempts,"
      "       last_attempt_at, next_attempt_at, last_error_code, coalesce (length (body), 0),"
      "       refused_code, refused_status, refused_message, refused_at"
      " FROM entries LEFT JOIN bodies ON entry_id = id ORDER BY id",
      error);
  if (stmt == NULL)
    return NULL;
  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) linli_outbox_entry_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      LinliOutboxEntry *entry = g_new0 (LinliOutboxEntry, 1);

      entry->id = sqlite3_column_int64 (stmt, 0);
      entry->kind = column_strdup (stmt, 1);
      entry->path = column_strdup (stmt, 2);
      entry->content_type = column_strdup (stmt, 3);
      entry->idempotency_key = column_strdup (stmt, 4);
      entry->state = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 5), "refused") == 0
                         ? LINLI_OUTBOX_STATE_REFUSED
                         : LINLI_OUTBOX_STATE_PENDING;
      entry->created_at = sqlite3_column_int64 (stmt, 6);
      entry->attempts = (guint) sqlite3_column_int64 (stmt, 7);
      entry->last_attempt_at = sqlite3_column_int64 (stmt, 8);
      entry->next_attempt_at = sqlite3_column_int64 (stmt, 9);
      entry->last_error_code = column_strdup (stmt, 10);
      entry->body_size = (gsize) sqlite3_column_int64 (stmt, 11);
      entry->refused_code = column_strdup (stmt, 12);
      entry->refused_status = (guint) sqlite3_column_int64 (stmt, 13);
      entry->refused_message = column_strdup (stmt, 14);
      entry->refused_at = sqlite3_column_int64 (stmt, 15);
      g_ptr_array_add (entries, entry);
    }
  if (rc != SQLITE_DONE)
    {
      linli_outbox_db_fail (self->db, "listing", error);
      return NULL;
    }
  return g_steal_pointer (&entries);
}

gboolean
linli_outbox_get_counters (LinliOutbox *self, LinliOutboxCounters *counters, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (LINLI_IS_OUTBOX (self), FALSE);
  g_return_val_if_fail (counters != NULL, FALSE);

  memset (counters, 0, sizeof *counters);
  stmt = linli_outbox_db_prepare (self->db, "SELECT name, value FROM counters", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);
      guint64 value = (guint64) MAX (sqlite3_column_int64 (stmt, 1), 0);

      if (g_strcmp0 (name, "enqueued") == 0)
        counters->enqueued = value;
      else if (g_strcmp0 (name, "delivered") == 0)
        counters->delivered = value;
      else if (g_strcmp0 (name, "refused") == 0)
        counters->refused = value;
    }
  if (rc != SQLITE_DONE)
    return linli_outbox_db_fail (self->db, "reading the counters", error);
  return TRUE;
}

gboolean
linli_outbox_clear_refused (LinliOutbox *self,
                            const char *idempotency_key,
                            guint *n_cleared,
                            GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (LINLI_IS_OUTBOX (self), FALSE);

  stmt = linli_outbox_db_prepare (
      self->db,
      "DELETE FROM entries WHERE state = 'refused' AND (?1 IS NULL OR idempotency_key = ?1)",
      error);
  if (stmt == NULL)
    return FALSE;
  if (idempotency_key != NULL)
    sqlite3_bind_text (stmt, 1, idempotency_key, -1, SQLITE_STATIC);
  if (!linli_outbox_db_step_done (self->db, stmt, "clearing refused entries", error))
    return FALSE;
  if (n_cleared != NULL)
    *n_cleared = (guint) sqlite3_changes (self->db);
  forget_deleted (self);
  return TRUE;
}

/* --- delivery --- */

static void
complete_flushes (LinliOutbox *self, const GError *error)
{
  g_autoptr (GPtrArray) flushes = NULL;

  if (self->flushes->len == 0)
    return;
  /* A callback may flush again: it joins a fresh list. */
  flushes = g_steal_pointer (&self->flushes);
  self->flushes = g_ptr_array_new_with_free_func ((GDestroyNotify) flush_free);
  for (guint i = 0; i < flushes->len; i++)
    {
      Flush *flush = g_ptr_array_index (flushes, i);
      g_autoptr (GTask) task = g_steal_pointer (&flush->task);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
}

/* The wait before attempt @attempts + 1: exponential, with "equal jitter"
 * (half fixed, half random) so that kiosks coming back after the same
 * outage do not all knock at once. */
static gint64
backoff_ms (LinliOutbox *self, guint attempts)
{
  guint64 wait = self->retry_initial_ms;

  for (guint i = 1; i < attempts && wait < self->retry_max_ms; i++)
    wait *= 2;
  wait = MIN (wait, self->retry_max_ms);
  return (gint64) (wait / 2 + (guint64) g_random_double_range (0, (double) wait / 2 + 1));
}

static gboolean
on_timer (gpointer user_data)
{
  LinliOutbox *self = user_data;

  g_clear_pointer (&self->timer, g_source_unref);
  schedule (self);
  return G_SOURCE_REMOVE;
}

static void
wait_ms (LinliOutbox *self, gint64 delay_ms)
{
  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }
  self->timer = g_timeout_source_new ((guint) CLAMP (delay_ms, 0, G_MAXUINT));
  g_source_set_callback (self->timer, on_timer, self, NULL);
  g_source_set_static_name (self->timer, "[linli-outbox] next attempt");
  g_source_attach (self->timer, self->context);
}

static void
delivered (LinliOutbox *self, Attempt *attempt, JsonNode *answer)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int changes = 0;

  if (linli_outbox_db_exec (self->db, "BEGIN IMMEDIATE", &error))
    {
      /* The body goes with it (ON DELETE CASCADE). */
      stmt = linli_outbox_db_prepare (
          self->db, "DELETE FROM entries WHERE id = ? AND state = 'pending'", &error);
      if (stmt != NULL)
        {
          sqlite3_bind_int64 (stmt, 1, attempt->id);
          if (linli_outbox_db_step_done (self->db, stmt, "removing a delivered entry", &error))
            changes = sqlite3_changes (self->db);
        }
      if (error == NULL && changes > 0)
        bump_counter (self, "delivered", &error);
      if (error == NULL)
        commit (self, &error);
      else
        rollback (self);
    }
  if (error != NULL)
    {
      /* Still pending: it goes again with its key and the platform
       * answers with the same result. Not at once, though: a file that
       * cannot be written would make that a loop. */
      g_warning ("%s %s was delivered but stays queued: %s", attempt->kind, attempt->key,
                 error->message);
      wait_ms (self, backoff_ms (self, 1));
      return;
    }
  if (changes == 0)
    return; /* an earlier attempt with the same key got there first */

  g_debug ("delivered %s %s", attempt->kind, attempt->key);
  forget_deleted (self);
  set_depth (self, self->depth - 1);
  g_signal_emit (self, signals[SIGNAL_ENTRY_DELIVERED], 0, attempt->kind, attempt->key, answer);
}

static void
refused (LinliOutbox *self, Attempt *attempt, const GError *why)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  const char *code = error_name (why);
  guint status = linli_platform_error_get_http_status (why);
  int changes = 0;

  /* The body goes now: staff see that the platform refused it and why,
   * never its content, and it cannot be resent. */
  if (linli_outbox_db_exec (self->db, "BEGIN IMMEDIATE", &error))
    {
      stmt = linli_outbox_db_prepare (self->db,
                                      "UPDATE entries SET state = 'refused',"
                                      "  last_error_code = ?1, refused_code = ?1,"
                                      "  refused_status = ?2, refused_message = ?3,"
                                      "  refused_at = ?4"
                                      " WHERE id = ?5 AND state = 'pending'",
                                      &error);
      if (stmt != NULL)
        {
          sqlite3_bind_text (stmt, 1, code, -1, SQLITE_STATIC);
          sqlite3_bind_int64 (stmt, 2, status);
          sqlite3_bind_text (stmt, 3, why->message, -1, SQLITE_STATIC);
          sqlite3_bind_int64 (stmt, 4, g_get_real_time ());
          sqlite3_bind_int64 (stmt, 5, attempt->id);
          if (linli_outbox_db_step_done (self->db, stmt, "marking an entry refused", &error))
            changes = sqlite3_changes (self->db);
        }
      g_clear_pointer (&stmt, sqlite3_finalize);
      if (error == NULL && changes > 0)
        {
          stmt
              = linli_outbox_db_prepare (self->db, "DELETE FROM bodies WHERE entry_id = ?", &error);
          if (stmt != NULL)
            {
              sqlite3_bind_int64 (stmt, 1, attempt->id);
              linli_outbox_db_step_done (self->db, stmt, "dropping a refused body", &error);
            }
        }
      if (error == NULL && changes > 0)
        bump_counter (self, "refused", &error);
      if (error == NULL)
        commit (self, &error);
      else
        rollback (self);
    }
  if (error != NULL)
    {
      g_warning ("%s %s was refused but stays queued: %s", attempt->kind, attempt->key,
                 error->message);
      wait_ms (self, backoff_ms (self, 1));
      return;
    }
  if (changes == 0)
    return;

  g_message ("the platform refused %s %s: %s (HTTP %u)", attempt->kind, attempt->key, code, status);
  forget_deleted (self);
  set_depth (self, self->depth - 1);
  g_signal_emit (self, signals[SIGNAL_ENTRY_REFUSED], 0, attempt->kind, attempt->key, why);
}

/* @current: FALSE for the answer to a request that stop() abandoned; it
 * is recorded, but says nothing about the flushes asked since. */
static void
failed (LinliOutbox *self, Attempt *attempt, const GError *why, gboolean current)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  gint64 attempts = 1;
  gint64 delay_ms;
  int retry_after
      = why->domain == LINLI_PLATFORM_ERROR ? linli_platform_error_get_retry_after (why) : -1;

  stmt = linli_outbox_db_prepare (self->db, "SELECT attempts FROM entries WHERE id = ?", &error);
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, attempt->id);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        attempts = MAX (sqlite3_column_int64 (stmt, 0), 1);
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  delay_ms = backoff_ms (self, (guint) MIN (attempts, 64));
  if (retry_after > 0)
    delay_ms = MAX (delay_ms, (gint64) MIN (retry_after, MAX_RETRY_AFTER_S) * 1000);

  g_clear_error (&error);
  stmt = linli_outbox_db_prepare (self->db,
                                  "UPDATE entries SET next_attempt_at = ?, last_error_code = ?"
                                  " WHERE id = ? AND state = 'pending'",
                                  &error);
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, g_get_real_time () + delay_ms * 1000);
      sqlite3_bind_text (stmt, 2, error_name (why), -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, attempt->id);
      linli_outbox_db_step_done (self->db, stmt, "recording a failed attempt", &error);
    }
  if (error != NULL)
    g_warning ("%s", error->message);

  g_debug ("attempt %" G_GINT64_FORMAT " of %s %s failed: %s; next in %" G_GINT64_FORMAT " ms",
           attempts, attempt->kind, attempt->key, error_name (why), delay_ms);
  g_signal_emit (self, signals[SIGNAL_ATTEMPT_FAILED], 0, attempt->kind, attempt->key, why);
  if (current)
    complete_flushes (self, why);
}

static void
on_submitted (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (Attempt) attempt = user_data;
  LinliOutbox *self = attempt->self;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) answer = NULL;
  gboolean current = self->attempt == attempt;

  answer = linli_platform_submit_finish (LINLI_PLATFORM (source), result, &error);
  if (current)
    self->attempt = NULL;

  if (answer != NULL)
    delivered (self, attempt, answer);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("sending %s %s was cancelled; it stays queued", attempt->kind, attempt->key);
  else if (error->domain == LINLI_PLATFORM_ERROR && linli_platform_error_is_definitive (error))
    refused (self, attempt, error);
  else
    failed (self, attempt, error, current);

  /* A stale answer (stop, then start again) does not start a second
   * request beside the current one: schedule() sees it in flight. */
  if (self->timer == NULL)
    schedule (self);
}

static gboolean
send_entry (LinliOutbox *self, gint64 id, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autofree char *path = NULL;
  g_autofree char *content_type = NULL;
  Attempt *attempt;
  gint64 attempts;
  gint64 now = g_get_real_time ();

  stmt = linli_outbox_db_prepare (self->db,
                                  "SELECT kind, path, content_type, idempotency_key, attempts, body"
                                  " FROM entries JOIN bodies ON entry_id = id"
                                  " WHERE id = ? AND state = 'pending'",
                                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return linli_outbox_db_fail (self->db, "reading an entry", error);

  attempt = g_new0 (Attempt, 1);
  attempt->self = g_object_ref (self);
  attempt->id = id;
  attempt->kind = column_strdup (stmt, 0);
  path = column_strdup (stmt, 1);
  content_type = column_strdup (stmt, 2);
  attempt->key = column_strdup (stmt, 3);
  attempt->cancellable = g_cancellable_new ();
  attempts = sqlite3_column_int64 (stmt, 4) + 1;
  body = copy_body (sqlite3_column_blob (stmt, 5), (gsize) sqlite3_column_bytes (stmt, 5));
  g_clear_pointer (&stmt, sqlite3_finalize);

  /* Counted, and the next wait set, before the request: a kiosk that
   * crashes on every attempt (restarted by systemd) still backs off. */
  stmt = linli_outbox_db_prepare (self->db,
                                  "UPDATE entries SET attempts = ?, last_attempt_at = ?,"
                                  "  next_attempt_at = ? WHERE id = ?",
                                  error);
  if (stmt == NULL)
    {
      attempt_free (attempt);
      return FALSE;
    }
  sqlite3_bind_int64 (stmt, 1, attempts);
  sqlite3_bind_int64 (stmt, 2, now);
  sqlite3_bind_int64 (stmt, 3, now + backoff_ms (self, (guint) MIN (attempts, 64)) * 1000);
  sqlite3_bind_int64 (stmt, 4, id);
  if (!linli_outbox_db_step_done (self->db, stmt, "counting an attempt", error))
    {
      attempt_free (attempt);
      return FALSE;
    }

  g_debug ("attempt %" G_GINT64_FORMAT " of %s %s", attempts, attempt->kind, attempt->key);
  self->attempt = attempt;
  linli_platform_submit_async (self->platform, path, content_type, body, attempt->key,
                               attempt->cancellable, on_submitted, attempt);
  return TRUE;
}

/* Decides what happens next: nothing (stopped, or a request in flight),
 * complete the flushes (nothing pending), wait (the oldest entry's next
 * attempt is later), or send the oldest entry. */
static void
schedule (LinliOutbox *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  gint64 id = 0;
  gint64 not_before = 0;
  gint64 now;
  int rc;

  if (self->platform == NULL || self->attempt != NULL)
    return;
  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }

  stmt = linli_outbox_db_prepare (self->db,
                                  "SELECT id, next_attempt_at FROM entries"
                                  " WHERE state = 'pending' ORDER BY id LIMIT 1",
                                  &error);
  if (stmt != NULL)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          id = sqlite3_column_int64 (stmt, 0);
          not_before = sqlite3_column_int64 (stmt, 1);
        }
      else if (rc != SQLITE_DONE)
        linli_outbox_db_fail (self->db, "finding the oldest entry", &error);
    }
  g_clear_pointer (&stmt, sqlite3_finalize);
  if (error == NULL && id == 0)
    {
      complete_flushes (self, NULL);
      return;
    }

  now = g_get_real_time ();
  /* Further than any wait the outbox sets: the clock was set back since;
   * such a wait must not park the queue. */
  if (not_before - now > ((gint64) MAX_RETRY_AFTER_S * 1000 + self->retry_max_ms) * 1000)
    not_before = now;
  if (error == NULL && !self->kicked && self->flushes->len == 0 && not_before > now)
    {
      /* In slices: a timer's monotonic wait, a deadline in wall time. */
      wait_ms (self, MIN ((not_before - now) / 1000 + 1, (gint64) self->retry_max_ms));
      return;
    }

  self->kicked = FALSE;
  if (error == NULL)
    send_entry (self, id, &error);
  if (error != NULL)
    {
      g_warning ("%s", error->message);
      complete_flushes (self, error);
      wait_ms (self, backoff_ms (self, 1));
    }
}

void
linli_outbox_start (LinliOutbox *self, LinliPlatform *platform)
{
  g_return_if_fail (LINLI_IS_OUTBOX (self));
  g_return_if_fail (LINLI_IS_PLATFORM (platform));

  if (self->platform == platform)
    return;
  if (self->platform != NULL)
    linli_outbox_stop (self);
  self->platform = g_object_ref (platform);
  schedule (self);
}

void
linli_outbox_stop (LinliOutbox *self)
{
  g_autoptr (GError) error = NULL;

  g_return_if_fail (LINLI_IS_OUTBOX (self));

  if (self->attempt != NULL)
    {
      /* Its answer still comes (cancelled, or already confirmed). */
      g_cancellable_cancel (self->attempt->cancellable);
      self->attempt = NULL;
    }
  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }
  self->kicked = FALSE;
  g_clear_object (&self->platform);

  error = g_error_new_literal (LINLI_OUTBOX_ERROR, LINLI_OUTBOX_ERROR_NOT_STARTED,
                               "outbox: delivery was stopped");
  complete_flushes (self, error);
}

gboolean
linli_outbox_is_started (LinliOutbox *self)
{
  g_return_val_if_fail (LINLI_IS_OUTBOX (self), FALSE);
  return self->platform != NULL;
}

void
linli_outbox_kick (LinliOutbox *self)
{
  g_return_if_fail (LINLI_IS_OUTBOX (self));

  /* A request in flight is the attempt a kick asks for. */
  if (self->platform == NULL || self->attempt != NULL)
    return;
  self->kicked = TRUE;
  schedule (self);
}

static gboolean
on_flush_cancelled (GCancellable *cancellable, gpointer user_data)
{
  GTask *task = user_data;
  LinliOutbox *self = g_task_get_source_object (task);

  for (guint i = 0; i < self->flushes->len; i++)
    {
      Flush *flush = g_ptr_array_index (self->flushes, i);

      if (flush->task == task)
        {
          g_autoptr (GTask) stolen = g_steal_pointer (&flush->task);

          g_ptr_array_remove_index (self->flushes, i);
          g_task_return_error_if_cancelled (stolen);
          break;
        }
    }
  return G_SOURCE_REMOVE;
}

void
linli_outbox_flush_async (LinliOutbox *self,
                          GCancellable *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  Flush *flush;

  g_return_if_fail (LINLI_IS_OUTBOX (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, linli_outbox_flush_async);
  if (self->platform == NULL)
    {
      g_task_return_new_error (task, LINLI_OUTBOX_ERROR, LINLI_OUTBOX_ERROR_NOT_STARTED,
                               "outbox: delivery is not started");
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  flush = g_new0 (Flush, 1);
  flush->task = g_steal_pointer (&task);
  if (cancellable != NULL)
    {
      /* A source, not a handler: cancellation from another thread is
       * handled on the outbox's context. */
      flush->cancelled_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (flush->cancelled_source, G_SOURCE_FUNC (on_flush_cancelled),
                             flush->task, NULL);
      g_source_attach (flush->cancelled_source, self->context);
    }
  g_ptr_array_add (self->flushes, flush);
  schedule (self);
}

gboolean
linli_outbox_flush_finish (LinliOutbox *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
linli_outbox_set_retry (LinliOutbox *self, guint initial_ms, guint max_ms)
{
  g_return_if_fail (LINLI_IS_OUTBOX (self));
  g_return_if_fail (initial_ms > 0 && max_ms >= initial_ms);

  g_object_freeze_notify (G_OBJECT (self));
  if (self->retry_initial_ms != initial_ms)
    {
      self->retry_initial_ms = initial_ms;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETRY_INITIAL_MS]);
    }
  if (self->retry_max_ms != max_ms)
    {
      self->retry_max_ms = max_ms;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETRY_MAX_MS]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/* --- the object --- */

LinliOutbox *
linli_outbox_open (const char *path, GError **error)
{
  g_autoptr (LinliOutbox) self = NULL;
  gint64 depth = 0;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (LINLI_TYPE_OUTBOX, "path", path, NULL);
  self->db = linli_outbox_db_open (path, error);
  if (self->db == NULL)
    return NULL;
  if (!linli_outbox_db_query_int64 (
          self->db, "SELECT count(*) FROM entries WHERE state = 'pending'", &depth, error))
    return NULL;
  self->depth = (guint) depth;
  return g_steal_pointer (&self);
}

const char *
linli_outbox_get_path (LinliOutbox *self)
{
  g_return_val_if_fail (LINLI_IS_OUTBOX (self), NULL);
  return self->path;
}

static void
linli_outbox_dispose (GObject *object)
{
  LinliOutbox *self = LINLI_OUTBOX (object);

  if (self->flushes != NULL)
    linli_outbox_stop (self);
  G_OBJECT_CLASS (linli_outbox_parent_class)->dispose (object);
}

static void
linli_outbox_finalize (GObject *object)
{
  LinliOutbox *self = LINLI_OUTBOX (object);

  if (self->db != NULL)
    linli_outbox_db_close (self->db);
  g_clear_pointer (&self->flushes, g_ptr_array_unref);
  g_main_context_unref (self->context);
  g_free (self->path);
  G_OBJECT_CLASS (linli_outbox_parent_class)->finalize (object);
}

static void
linli_outbox_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LinliOutbox *self = LINLI_OUTBOX (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_RETRY_INITIAL_MS:
      g_value_set_uint (value, self->retry_initial_ms);
      break;
    case PROP_RETRY_MAX_MS:
      g_value_set_uint (value, self->retry_max_ms);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
linli_outbox_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  LinliOutbox *self = LINLI_OUTBOX (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      break;
    case PROP_RETRY_INITIAL_MS:
      linli_outbox_set_retry (self, g_value_get_uint (value),
                              MAX (self->retry_max_ms, g_value_get_uint (value)));
      break;
    case PROP_RETRY_MAX_MS:
      linli_outbox_set_retry (self, MIN (self->retry_initial_ms, g_value_get_uint (value)),
                              g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
linli_outbox_class_init (LinliOutboxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = linli_outbox_dispose;
  object_class->finalize = linli_outbox_finalize;
  object_class->get_property = linli_outbox_get_property;
  object_class->set_property = linli_outbox_set_property;

  properties[PROP_PATH]
      = g_param_spec_string ("path", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RETRY_INITIAL_MS]
      = g_param_spec_uint ("retry-initial-ms", NULL, NULL, 1, G_MAXUINT, DEFAULT_RETRY_INITIAL_MS,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RETRY_MAX_MS]
      = g_param_spec_uint ("retry-max-ms", NULL, NULL, 1, G_MAXUINT, DEFAULT_RETRY_MAX_MS,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_ENTRY_DELIVERED] = g_signal_new (
      "entry-delivered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING, JSON_TYPE_NODE | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[SIGNAL_ENTRY_REFUSED] = g_signal_new (
      "entry-refused", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[SIGNAL_ATTEMPT_FAILED] = g_signal_new (
      "attempt-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[SIGNAL_DEPTH_CHANGED]
      = g_signal_new ("depth-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
linli_outbox_init (LinliOutbox *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->retry_initial_ms = DEFAULT_RETRY_INITIAL_MS;
  self->retry_max_ms = DEFAULT_RETRY_MAX_MS;
  self->flushes = g_ptr_array_new_with_free_func ((GDestroyNotify) flush_free);
}
