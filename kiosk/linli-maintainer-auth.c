/* linli-maintainer-auth.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The PIN is kept only as a yescrypt hash in the configuration. yescrypt
 * is slow on purpose (tens of milliseconds), so the hash runs on a worker
 * and the screen keeps answering; the comparison of the two hash strings
 * takes the same time wherever they differ. Five wrong PINs in a row lock
 * the entry for five minutes, each further lockout twice as long; the
 * count and the end of the lockout are in the audit file, so restarting
 * the kiosk (pulling the plug) does not reset them. Every attempt is
 * audited — never the PIN itself.
 */
#define G_LOG_DOMAIN "linli-maintainer-auth"

#include "linli-maintainer-auth.h"
#include "linli-maintainer-auth-private.h"

#include <crypt.h>
#include <string.h>

#include "linli-audit-private.h"

G_DEFINE_QUARK (linli_maintainer_auth_error_quark, linli_maintainer_auth_error)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* 2^10 × 5 minutes is over three days: enough to stop guessing, short of
 * locking a county's maintainer out for good. */
#define MAX_DOUBLINGS 10

struct _LinliMaintainerAuth
{
  GObject parent_instance;

  LinliAudit *audit;
  char *pin_hash;
  LinliMaintainerAuthClock clock;
  gpointer clock_data;
  gboolean verifying;
};

G_DEFINE_FINAL_TYPE (LinliMaintainerAuth, linli_maintainer_auth, G_TYPE_OBJECT)

typedef struct
{
  gint64 failures;
  gint64 lockouts;
  gint64 locked_until;
} Lockout;

static gint64
real_clock (gpointer user_data)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static void
linli_maintainer_auth_finalize (GObject *object)
{
  LinliMaintainerAuth *self = LINLI_MAINTAINER_AUTH (object);

  g_clear_object (&self->audit);
  if (self->pin_hash != NULL)
    explicit_bzero (self->pin_hash, strlen (self->pin_hash));
  g_free (self->pin_hash);
  G_OBJECT_CLASS (linli_maintainer_auth_parent_class)->finalize (object);
}

static void
linli_maintainer_auth_class_init (LinliMaintainerAuthClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = linli_maintainer_auth_finalize;
}

static void
linli_maintainer_auth_init (LinliMaintainerAuth *self)
{
  self->clock = real_clock;
}

LinliMaintainerAuth *
linli_maintainer_auth_new (LinliAudit *audit, const char *pin_hash)
{
  LinliMaintainerAuth *self;

  g_return_val_if_fail (LINLI_IS_AUDIT (audit), NULL);

  self = g_object_new (LINLI_TYPE_MAINTAINER_AUTH, NULL);
  self->audit = g_object_ref (audit);
  if (pin_hash != NULL && *pin_hash != '\0')
    {
      self->pin_hash = g_strstrip (g_strdup (pin_hash));
      if (self->pin_hash[0] != '$')
        g_warning ("[maintenance] pin-hash is not a crypt hash: maintenance mode cannot be "
                   "entered (make one with linli-diag hash-pin)");
    }
  return self;
}

void
linli_maintainer_auth_set_clock (LinliMaintainerAuth *self,
                                 LinliMaintainerAuthClock clock,
                                 gpointer user_data)
{
  g_return_if_fail (LINLI_IS_MAINTAINER_AUTH (self));
  self->clock = clock != NULL ? clock : real_clock;
  self->clock_data = user_data;
}

gboolean
linli_maintainer_auth_is_configured (LinliMaintainerAuth *self)
{
  g_return_val_if_fail (LINLI_IS_MAINTAINER_AUTH (self), FALSE);
  return self->pin_hash != NULL && self->pin_hash[0] == '$';
}

static gboolean
load_lockout (LinliMaintainerAuth *self, Lockout *lockout, GError **error)
{
  sqlite3 *db = linli_audit_get_db (self->audit);
  g_autoptr (sqlite3_stmt) stmt = NULL;

  *lockout = (Lockout){ 0 };
  if (sqlite3_prepare_v2 (db,
                          "SELECT failures, lockouts, locked_until FROM maintainer_lockout"
                          " WHERE id = 1",
                          -1, &stmt, NULL)
          != SQLITE_OK
      || sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, LINLI_MAINTAINER_AUTH_ERROR, LINLI_MAINTAINER_AUTH_ERROR_FAILED,
                   "reading the lockout: %s", sqlite3_errmsg (db));
      return FALSE;
    }
  lockout->failures = sqlite3_column_int64 (stmt, 0);
  lockout->lockouts = sqlite3_column_int64 (stmt, 1);
  lockout->locked_until = sqlite3_column_int64 (stmt, 2);
  return TRUE;
}

static gboolean
save_lockout (LinliMaintainerAuth *self, const Lockout *lockout, GError **error)
{
  sqlite3 *db = linli_audit_get_db (self->audit);
  g_autoptr (sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (db,
                          "UPDATE maintainer_lockout SET failures = ?, lockouts = ?,"
                          " locked_until = ? WHERE id = 1",
                          -1, &stmt, NULL)
      != SQLITE_OK)
    {
      g_set_error (error, LINLI_MAINTAINER_AUTH_ERROR, LINLI_MAINTAINER_AUTH_ERROR_FAILED,
                   "saving the lockout: %s", sqlite3_errmsg (db));
      return FALSE;
    }
  sqlite3_bind_int64 (stmt, 1, lockout->failures);
  sqlite3_bind_int64 (stmt, 2, lockout->lockouts);
  sqlite3_bind_int64 (stmt, 3, lockout->locked_until);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      g_set_error (error, LINLI_MAINTAINER_AUTH_ERROR, LINLI_MAINTAINER_AUTH_ERROR_FAILED,
                   "saving the lockout: %s", sqlite3_errmsg (db));
      return FALSE;
    }
  return TRUE;
}

gint64
linli_maintainer_auth_get_locked_seconds (LinliMaintainerAuth *self)
{
  Lockout lockout;
  gint64 now;

  g_return_val_if_fail (LINLI_IS_MAINTAINER_AUTH (self), 0);
  if (!load_lockout (self, &lockout, NULL))
    return 0;
  now = self->clock (self->clock_data);
  return lockout.locked_until > now ? lockout.locked_until - now : 0;
}

guint
linli_maintainer_auth_get_failures (LinliMaintainerAuth *self)
{
  Lockout lockout;

  g_return_val_if_fail (LINLI_IS_MAINTAINER_AUTH (self), 0);
  if (!load_lockout (self, &lockout, NULL))
    return 0;
  return (guint) lockout.failures;
}

static gboolean
pin_is_valid (const char *pin)
{
  gsize length = pin != NULL ? strlen (pin) : 0;

  if (length < 4 || length > 12)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isdigit (pin[i]))
      return FALSE;
  return TRUE;
}

/* Same time whatever the position of the first difference. */
static gboolean
equal_constant_time (const char *a, const char *b)
{
  gsize length_a = strlen (a);
  gsize length_b = strlen (b);
  gsize length = MAX (length_a, length_b);
  volatile guchar difference = length_a != length_b;

  for (gsize i = 0; i < length; i++)
    difference |= (guchar) (i < length_a ? a[i] : 0) ^ (guchar) (i < length_b ? b[i] : 0);
  return difference == 0;
}

typedef struct
{
  char *pin;
  char *hash;
} Check;

static void
check_free (Check *check)
{
  explicit_bzero (check->pin, strlen (check->pin));
  g_free (check->pin);
  g_free (check->hash);
  g_free (check);
}

static void
check_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Check *check = task_data;
  struct crypt_data *data = g_new0 (struct crypt_data, 1);
  const char *computed = crypt_r (check->pin, check->hash, data);
  gboolean ok;

  /* crypt_r marks a failure with a string starting with '*'. */
  ok = computed != NULL && computed[0] != '*' && equal_constant_time (computed, check->hash);
  explicit_bzero (data, sizeof *data);
  g_free (data);
  g_task_return_boolean (task, ok);
}

static void
on_checked (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  LinliMaintainerAuth *self = g_task_get_source_object (task);
  g_autoptr (GError) error = NULL;
  gboolean ok = g_task_propagate_boolean (G_TASK (result), NULL);
  Lockout lockout;
  gint64 now = self->clock (self->clock_data);

  self->verifying = FALSE;
  if (!load_lockout (self, &lockout, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (ok)
    {
      lockout = (Lockout){ 0 };
      if (!save_lockout (self, &lockout, &error))
        g_warning ("%s", error->message);
      linli_audit_log (self->audit, LINLI_AUDIT_ACTOR_MAINTAINER, "pin-accepted", NULL);
      g_task_return_boolean (task, TRUE);
      return;
    }

  lockout.failures++;
  {
    g_autofree char *detail
        = g_strdup_printf ("wrong PIN %" G_GINT64_FORMAT " of %d", lockout.failures,
                           LINLI_MAINTAINER_AUTH_MAX_FAILURES);
    linli_audit_log (self->audit, LINLI_AUDIT_ACTOR_MAINTAINER, "pin-wrong", detail);
  }
  if (lockout.failures >= LINLI_MAINTAINER_AUTH_MAX_FAILURES)
    {
      gint64 seconds = (gint64) LINLI_MAINTAINER_AUTH_LOCKOUT_SECONDS
                       << MIN (lockout.lockouts, MAX_DOUBLINGS);
      g_autofree char *detail = NULL;

      lockout.lockouts++;
      lockout.failures = 0;
      lockout.locked_until = now + seconds;
      detail = g_strdup_printf ("lockout %" G_GINT64_FORMAT " for %" G_GINT64_FORMAT " s",
                                lockout.lockouts, seconds);
      linli_audit_log (self->audit, LINLI_AUDIT_ACTOR_SYSTEM, "pin-locked-out", detail);
      if (!save_lockout (self, &lockout, &error))
        g_warning ("%s", error->message);
      g_task_set_task_data (task, g_memdup2 (&seconds, sizeof seconds), g_free);
      g_task_return_new_error (task, LINLI_MAINTAINER_AUTH_ERROR,
                               LINLI_MAINTAINER_AUTH_ERROR_LOCKED_OUT,
                               "too many wrong PINs: locked for %" G_GINT64_FORMAT " s", seconds);
      return;
    }
  if (!save_lockout (self, &lockout, &error))
    g_warning ("%s", error->message);
  g_task_return_new_error (task, LINLI_MAINTAINER_AUTH_ERROR, LINLI_MAINTAINER_AUTH_ERROR_WRONG_PIN,
                           "wrong PIN (%" G_GINT64_FORMAT " of %d before a lockout)",
                           lockout.failures, LINLI_MAINTAINER_AUTH_MAX_FAILURES);
}

void
linli_maintainer_auth_verify_async (LinliMaintainerAuth *self,
                                    const char *pin,
                                    GCancellable *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (GTask) check_task = NULL;
  gint64 locked;
  Check *check;

  g_return_if_fail (LINLI_IS_MAINTAINER_AUTH (self));
  g_task_set_source_tag (task, linli_maintainer_auth_verify_async);

  if (!linli_maintainer_auth_is_configured (self))
    {
      linli_audit_log (self->audit, LINLI_AUDIT_ACTOR_MAINTAINER, "pin-refused",
                       "no maintainer PIN is configured");
      g_task_return_new_error (task, LINLI_MAINTAINER_AUTH_ERROR,
                               LINLI_MAINTAINER_AUTH_ERROR_NOT_CONFIGURED,
                               "no maintainer PIN is configured ([maintenance] pin-hash)");
      return;
    }
  locked = linli_maintainer_auth_get_locked_seconds (self);
  if (locked > 0)
    {
      g_autofree char *detail = g_strdup_printf ("%" G_GINT64_FORMAT " s left", locked);

      /* Not even hashed: a lockout that still checked PINs would still
       * tell a guesser when they were right. */
      linli_audit_log (self->audit, LINLI_AUDIT_ACTOR_MAINTAINER, "pin-while-locked", detail);
      g_task_set_task_data (task, g_memdup2 (&locked, sizeof locked), g_free);
      g_task_return_new_error (task, LINLI_MAINTAINER_AUTH_ERROR,
                               LINLI_MAINTAINER_AUTH_ERROR_LOCKED_OUT,
                               "locked for %" G_GINT64_FORMAT " s more", locked);
      return;
    }
  if (self->verifying)
    {
      g_task_return_new_error (task, LINLI_MAINTAINER_AUTH_ERROR,
                               LINLI_MAINTAINER_AUTH_ERROR_FAILED, "a PIN is being checked");
      return;
    }
  self->verifying = TRUE;
  check = g_new0 (Check, 1);
  check->pin = g_strdup (pin != NULL ? pin : "");
  check->hash = g_strdup (self->pin_hash);
  check_task = g_task_new (self, cancellable, on_checked, g_steal_pointer (&task));
  g_task_set_task_data (check_task, check, (GDestroyNotify) check_free);
  g_task_run_in_thread (check_task, check_thread);
}

gboolean
linli_maintainer_auth_verify_finish (LinliMaintainerAuth *self,
                                     GAsyncResult *result,
                                     gint64 *locked_seconds,
                                     GError **error)
{
  gint64 *locked;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  locked = g_task_get_task_data (G_TASK (result));
  if (locked_seconds != NULL)
    *locked_seconds = locked != NULL ? *locked : 0;
  return g_task_propagate_boolean (G_TASK (result), error);
}

char *
linli_maintainer_auth_hash_pin (const char *pin, GError **error)
{
  g_autofree char *salt = NULL;
  struct crypt_data *data = NULL;
  const char *hash;
  char *result;

  if (!pin_is_valid (pin))
    {
      g_set_error_literal (error, LINLI_MAINTAINER_AUTH_ERROR, LINLI_MAINTAINER_AUTH_ERROR_INVALID,
                           "a PIN is 4 to 12 digits");
      return NULL;
    }
  /* Count 0: libxcrypt's default cost for yescrypt. */
  salt = crypt_gensalt_ra ("$y$", 0, NULL, 0);
  if (salt == NULL)
    {
      g_set_error_literal (error, LINLI_MAINTAINER_AUTH_ERROR, LINLI_MAINTAINER_AUTH_ERROR_FAILED,
                           "cannot make a yescrypt salt");
      return NULL;
    }
  data = g_new0 (struct crypt_data, 1);
  hash = crypt_r (pin, salt, data);
  if (hash == NULL || hash[0] == '*')
    {
      g_free (data);
      g_set_error_literal (error, LINLI_MAINTAINER_AUTH_ERROR, LINLI_MAINTAINER_AUTH_ERROR_FAILED,
                           "yescrypt failed");
      return NULL;
    }
  result = g_strdup (hash);
  explicit_bzero (data, sizeof *data);
  g_free (data);
  return result;
}
