/* linli-staff-auth.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The roster is the configuration's [staff] group, one line per staff
 * member: STAFFNUMBER = the yescrypt hash of their PIN (linli-diag
 * hash-pin). Nothing tells a guesser which staff numbers exist: an unknown
 * number is checked against a dummy hash of the same cost, fails with the
 * same error as a wrong PIN, and is locked out after the same five tries.
 * The lockout is kept per staff number in the audit file, so restarting
 * the kiosk does not reset it.
 *
 * Audit records carry the staff number, never the PIN. A number that is
 * not on the roster may be a PIN typed in the wrong box: it is neither
 * audited nor stored as typed, only as a keyed hash ("unknown #…") that
 * lets a maintainer see repeated tries of the same number. The key is the
 * roster's hashes, which live in the 0600 configuration, not in the audit
 * file.
 */
#define G_LOG_DOMAIN "linli-staff-auth"

#include "linli-staff-auth.h"
#include "linli-staff-auth-private.h"

#include <string.h>

#include "linli-audit-private.h"

G_DEFINE_QUARK (linli_staff_auth_error_quark, linli_staff_auth_error)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* A yescrypt hash at libxcrypt's default cost ("j9T", what linli-diag
 * hash-pin makes) of a PIN nobody has: unknown staff numbers cost as much
 * time as known ones. */
#define DUMMY_HASH "$y$j9T$z9yD312DQs4/NMimWXetA1$91OXOv/Cd3vxvaxLcWxkaCPve8.cvECzWPVQNCjNSw4"

struct _LinliStaffAuth
{
  GObject parent_instance;

  char *audit_path;
  LinliAudit *audit;  /* opened at the first attempt */
  GHashTable *roster; /* upper-case staff number → hash */
  char *unknown_key;  /* HMAC key for numbers not on the roster */
  LinliStaffAuthClock clock;
  gpointer clock_data;
  gboolean verifying;
};

G_DEFINE_FINAL_TYPE (LinliStaffAuth, linli_staff_auth, G_TYPE_OBJECT)

static gint64
real_clock (gpointer user_data)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static void
wipe_string (gpointer data)
{
  char *text = data;

  if (text != NULL)
    explicit_bzero (text, strlen (text));
  g_free (text);
}

static void
linli_staff_auth_finalize (GObject *object)
{
  LinliStaffAuth *self = LINLI_STAFF_AUTH (object);

  g_clear_object (&self->audit);
  g_clear_pointer (&self->roster, g_hash_table_unref);
  g_clear_pointer (&self->unknown_key, wipe_string);
  g_free (self->audit_path);
  G_OBJECT_CLASS (linli_staff_auth_parent_class)->finalize (object);
}

static void
linli_staff_auth_class_init (LinliStaffAuthClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = linli_staff_auth_finalize;
}

static void
linli_staff_auth_init (LinliStaffAuth *self)
{
  self->clock = real_clock;
  self->roster = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, wipe_string);
}

char *
linli_staff_id_normalize (const char *staff_id)
{
  gsize length = staff_id != NULL ? strlen (staff_id) : 0;

  if (length < LINLI_STAFF_ID_MIN_LENGTH || length > LINLI_STAFF_ID_MAX_LENGTH)
    return NULL;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isalnum (staff_id[i]))
      return NULL;
  return g_ascii_strup (staff_id, -1);
}

/* Roster order is the file's; the key is built in that order. */
static void
read_roster (LinliStaffAuth *self, LinliConfig *config)
{
  g_auto (GStrv) keys = linli_config_dup_keys (config, "staff");
  g_autoptr (GString) key = g_string_new (NULL);

  for (gsize i = 0; keys[i] != NULL; i++)
    {
      g_autofree char *id = linli_staff_id_normalize (keys[i]);
      g_autofree char *hash = linli_config_dup_value (config, "staff", keys[i]);

      /* The line number is not known here; the key is not personal data
       * unless it is bad, so only its position is named. */
      if (id == NULL)
        {
          g_warning ("[staff] line %zu: the key is not a staff number (2 to 16 letters or "
                     "digits); skipped",
                     i + 1);
          continue;
        }
      if (hash == NULL || hash[0] != '$' || strchr (hash + 1, '$') == NULL)
        {
          g_warning ("[staff] %s: not a crypt hash (make one with linli-diag hash-pin); skipped",
                     id);
          continue;
        }
      if (g_hash_table_contains (self->roster, id))
        {
          g_warning ("[staff] %s: listed twice; the first line is used", id);
          continue;
        }
      g_string_append (key, hash);
      g_hash_table_insert (self->roster, g_steal_pointer (&id), g_steal_pointer (&hash));
    }
  self->unknown_key = g_string_free (g_steal_pointer (&key), FALSE);
}

LinliStaffAuth *
linli_staff_auth_new (LinliConfig *config)
{
  LinliStaffAuth *self;

  g_return_val_if_fail (LINLI_IS_CONFIG (config), NULL);

  self = g_object_new (LINLI_TYPE_STAFF_AUTH, NULL);
  self->audit_path = g_strdup (linli_config_get_string (config, "maintenance", "audit-db"));
  read_roster (self, config);
  if (g_hash_table_size (self->roster) > 0)
    g_info ("staff roster: %u staff numbers", g_hash_table_size (self->roster));
  return self;
}

void
linli_staff_auth_set_clock (LinliStaffAuth *self, LinliStaffAuthClock clock, gpointer user_data)
{
  g_return_if_fail (LINLI_IS_STAFF_AUTH (self));
  self->clock = clock != NULL ? clock : real_clock;
  self->clock_data = user_data;
}

gboolean
linli_staff_auth_is_configured (LinliStaffAuth *self)
{
  g_return_val_if_fail (LINLI_IS_STAFF_AUTH (self), FALSE);
  return g_hash_table_size (self->roster) > 0;
}

guint
linli_staff_auth_get_roster_size (LinliStaffAuth *self)
{
  g_return_val_if_fail (LINLI_IS_STAFF_AUTH (self), 0);
  return g_hash_table_size (self->roster);
}

static gboolean
ensure_audit (LinliStaffAuth *self, GError **error)
{
  if (self->audit == NULL)
    self->audit = linli_audit_open (self->audit_path, error);
  return self->audit != NULL;
}

/* What the audit file calls @id (upper case): itself when on the roster,
 * else a keyed hash of it. */
static char *
record_name (LinliStaffAuth *self, const char *id)
{
  g_autofree char *mac = NULL;

  if (g_hash_table_contains (self->roster, id))
    return g_strdup (id);
  mac = g_compute_hmac_for_string (G_CHECKSUM_SHA256, (const guchar *) self->unknown_key,
                                   strlen (self->unknown_key), id, -1);
  return g_strdup_printf ("unknown #%.12s", mac);
}

static gboolean
lockout_failed (sqlite3 *db, const char *what, GError **error)
{
  g_set_error (error, LINLI_STAFF_AUTH_ERROR, LINLI_STAFF_AUTH_ERROR_FAILED,
               "%s the staff lockout: %s", what, sqlite3_errmsg (db));
  return FALSE;
}

static gboolean
load_lockout (LinliStaffAuth *self, const char *name, LinliPinLockout *lockout, GError **error)
{
  sqlite3 *db = linli_audit_get_db (self->audit);
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  *lockout = (LinliPinLockout){ 0 };
  if (sqlite3_prepare_v2 (db,
                          "SELECT failures, lockouts, locked_until FROM staff_lockout"
                          " WHERE staff_id = ?",
                          -1, &stmt, NULL)
      != SQLITE_OK)
    return lockout_failed (db, "reading", error);
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc != SQLITE_ROW)
    return lockout_failed (db, "reading", error);
  lockout->failures = sqlite3_column_int64 (stmt, 0);
  lockout->lockouts = sqlite3_column_int64 (stmt, 1);
  lockout->locked_until = sqlite3_column_int64 (stmt, 2);
  return TRUE;
}

/* A clean state is no row: the table holds only numbers that failed. */
static gboolean
save_lockout (LinliStaffAuth *self,
              const char *name,
              const LinliPinLockout *lockout,
              GError **error)
{
  sqlite3 *db = linli_audit_get_db (self->audit);
  g_autoptr (sqlite3_stmt) stmt = NULL;
  gboolean clean = lockout->failures == 0 && lockout->lockouts == 0 && lockout->locked_until == 0;

  if (sqlite3_prepare_v2 (db,
                          clean ? "DELETE FROM staff_lockout WHERE staff_id = ?"
                                : "INSERT OR REPLACE INTO staff_lockout"
                                  " (staff_id, failures, lockouts, locked_until)"
                                  " VALUES (?, ?, ?, ?)",
                          -1, &stmt, NULL)
      != SQLITE_OK)
    return lockout_failed (db, "saving", error);
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  if (!clean)
    {
      sqlite3_bind_int64 (stmt, 2, lockout->failures);
      sqlite3_bind_int64 (stmt, 3, lockout->lockouts);
      sqlite3_bind_int64 (stmt, 4, lockout->locked_until);
    }
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return lockout_failed (db, "saving", error);
  return TRUE;
}

static gboolean
current_lockout (LinliStaffAuth *self, const char *staff_id, LinliPinLockout *lockout)
{
  g_autofree char *id = linli_staff_id_normalize (staff_id);
  g_autofree char *name = NULL;

  *lockout = (LinliPinLockout){ 0 };
  if (id == NULL || !ensure_audit (self, NULL))
    return FALSE;
  name = record_name (self, id);
  return load_lockout (self, name, lockout, NULL);
}

gint64
linli_staff_auth_get_locked_seconds (LinliStaffAuth *self, const char *staff_id)
{
  LinliPinLockout lockout;

  g_return_val_if_fail (LINLI_IS_STAFF_AUTH (self), 0);
  if (!current_lockout (self, staff_id, &lockout))
    return 0;
  return linli_pin_lockout_remaining (&lockout, self->clock (self->clock_data));
}

guint
linli_staff_auth_get_failures (LinliStaffAuth *self, const char *staff_id)
{
  LinliPinLockout lockout;

  g_return_val_if_fail (LINLI_IS_STAFF_AUTH (self), 0);
  if (!current_lockout (self, staff_id, &lockout))
    return 0;
  return (guint) lockout.failures;
}

static void
audit (LinliStaffAuth *self, const char *action, const char *detail)
{
  linli_audit_log (self->audit, LINLI_AUDIT_ACTOR_STAFF, action, detail);
}

typedef struct
{
  char *name; /* as audited: the staff number, or "unknown #…" */
  gboolean known;
  gint64 locked; /* for LOCKED_OUT */
} Attempt;

static void
attempt_free (Attempt *attempt)
{
  g_free (attempt->name);
  g_free (attempt);
}

static void
on_checked (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  LinliStaffAuth *self = g_task_get_source_object (task);
  Attempt *attempt = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  gboolean match = linli_pin_check_finish (result, &error);
  LinliPinLockout lockout;
  gint64 seconds;

  self->verifying = FALSE;
  /* Given up before the answer: not an attempt that counts. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_clear_error (&error);
  if (!load_lockout (self, attempt->name, &lockout, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (match && attempt->known)
    {
      g_autofree char *detail = g_strdup_printf ("staff %s", attempt->name);

      linli_pin_lockout_succeed (&lockout);
      if (!save_lockout (self, attempt->name, &lockout, &error))
        g_warning ("%s", error->message);
      audit (self, "staff-signed-in", detail);
      g_task_return_boolean (task, TRUE);
      return;
    }

  seconds = linli_pin_lockout_fail (&lockout, self->clock (self->clock_data));
  {
    g_autofree char *detail
        = g_strdup_printf ("staff %s: wrong %" G_GINT64_FORMAT " of %d", attempt->name,
                           seconds > 0 ? (gint64) LINLI_PIN_LOCKOUT_MAX_FAILURES : lockout.failures,
                           LINLI_PIN_LOCKOUT_MAX_FAILURES);
    audit (self, "staff-pin-wrong", detail);
  }
  if (!save_lockout (self, attempt->name, &lockout, &error))
    g_warning ("%s", error->message);
  if (seconds > 0)
    {
      g_autofree char *detail
          = g_strdup_printf ("staff %s: lockout %" G_GINT64_FORMAT " for %" G_GINT64_FORMAT " s",
                             attempt->name, lockout.lockouts, seconds);

      audit (self, "staff-locked-out", detail);
      attempt->locked = seconds;
      g_task_return_new_error (task, LINLI_STAFF_AUTH_ERROR, LINLI_STAFF_AUTH_ERROR_LOCKED_OUT,
                               "too many wrong tries: locked for %" G_GINT64_FORMAT " s", seconds);
      return;
    }
  g_task_return_new_error (task, LINLI_STAFF_AUTH_ERROR, LINLI_STAFF_AUTH_ERROR_UNKNOWN_OR_WRONG,
                           "unknown staff number or wrong PIN");
}

void
linli_staff_auth_verify_async (LinliStaffAuth *self,
                               const char *staff_id,
                               const char *pin,
                               GCancellable *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *id = NULL;
  GError *error = NULL;
  LinliPinLockout lockout;
  const char *hash;
  Attempt *attempt;
  gint64 locked;

  g_return_if_fail (LINLI_IS_STAFF_AUTH (self));
  g_task_set_source_tag (task, linli_staff_auth_verify_async);
  attempt = g_new0 (Attempt, 1);
  g_task_set_task_data (task, attempt, (GDestroyNotify) attempt_free);

  if (!ensure_audit (self, &error))
    {
      g_warning ("staff sign-in is not possible: %s", error->message);
      g_task_return_error (task, error);
      return;
    }
  if (!linli_staff_auth_is_configured (self))
    {
      audit (self, "staff-sign-in-refused", "no [staff] roster is configured");
      g_task_return_new_error (task, LINLI_STAFF_AUTH_ERROR, LINLI_STAFF_AUTH_ERROR_NOT_CONFIGURED,
                               "no staff roster is configured ([staff])");
      return;
    }
  id = linli_staff_id_normalize (staff_id);
  if (id == NULL)
    {
      /* Not audited as typed: it may be anything, a PIN included. */
      audit (self, "staff-sign-in-refused", "not a staff number");
      g_task_return_new_error (task, LINLI_STAFF_AUTH_ERROR, LINLI_STAFF_AUTH_ERROR_INVALID,
                               "a staff number is 2 to 16 letters or digits");
      return;
    }
  attempt->name = record_name (self, id);
  hash = g_hash_table_lookup (self->roster, id);
  attempt->known = hash != NULL;
  if (!load_lockout (self, attempt->name, &lockout, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  locked = linli_pin_lockout_remaining (&lockout, self->clock (self->clock_data));
  if (locked > 0)
    {
      g_autofree char *detail = g_strdup_printf (
          "staff %s: still locked, %" G_GINT64_FORMAT " s left", attempt->name, locked);

      /* Not even hashed: a lockout that still checked PINs would still
       * tell a guesser when they were right. */
      audit (self, "staff-locked-out", detail);
      attempt->locked = locked;
      g_task_return_new_error (task, LINLI_STAFF_AUTH_ERROR, LINLI_STAFF_AUTH_ERROR_LOCKED_OUT,
                               "locked for %" G_GINT64_FORMAT " s more", locked);
      return;
    }
  if (self->verifying)
    {
      g_task_return_new_error (task, LINLI_STAFF_AUTH_ERROR, LINLI_STAFF_AUTH_ERROR_FAILED,
                               "a PIN is being checked");
      return;
    }
  self->verifying = TRUE;
  linli_pin_check_async (pin, hash != NULL ? hash : DUMMY_HASH, cancellable, on_checked,
                         g_steal_pointer (&task));
}

gboolean
linli_staff_auth_verify_finish (LinliStaffAuth *self,
                                GAsyncResult *result,
                                gint64 *locked_seconds,
                                GError **error)
{
  Attempt *attempt;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  attempt = g_task_get_task_data (G_TASK (result));
  if (locked_seconds != NULL)
    *locked_seconds = attempt != NULL ? attempt->locked : 0;
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* What a signed-in staff member did for a resident (an application filed
 * on their behalf): @detail names the item, never the resident. */
void
linli_staff_auth_note_action (LinliStaffAuth *self,
                              const char *staff_id,
                              const char *action,
                              const char *detail)
{
  g_autofree char *line = NULL;

  g_return_if_fail (LINLI_IS_STAFF_AUTH (self));
  if (!ensure_audit (self, NULL))
    {
      g_warning ("%s: not audited: no audit file", action);
      return;
    }
  line = g_strdup_printf ("staff %s: %s", staff_id, detail != NULL ? detail : "");
  audit (self, action, line);
}

void
linli_staff_auth_note_signed_out (LinliStaffAuth *self, const char *staff_id, const char *why)
{
  g_autofree char *detail = NULL;

  g_return_if_fail (LINLI_IS_STAFF_AUTH (self));
  if (!ensure_audit (self, NULL))
    {
      g_warning ("staff-signed-out: not audited: no audit file");
      return;
    }
  detail = g_strdup_printf ("staff %s: %s", staff_id, why != NULL ? why : "signed out");
  audit (self, "staff-signed-out", detail);
}
