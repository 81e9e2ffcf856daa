/* linli-maintainer-auth.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The PIN is kept only as a yescrypt hash in the configuration, checked
 * on a worker by linli-pin-check.c (shared with the staff PINs). Five
 * wrong PINs in a row lock
 * the entry for five minutes, each further lockout twice as long; the
 * count and the end of the lockout are in the audit file, so restarting
 * the kiosk (pulling the plug) does not reset them. Every attempt is
 * audited — never the PIN itself.
 */
#define G_LOG_DOMAIN "linli-maintainer-auth"

#include "linli-maintainer-auth.h"
#include "linli-maintainer-auth-private.h"

#include <string.h>

#include "linli-audit-private.h"
#include "linli-pin-check.h"

G_DEFINE_QUARK (linli_maintainer_auth_error_quark, linli_maintainer_auth_error)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

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

typedef LinliPinLockout Lockout;

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
  return linli_pin_lockout_remaining (&lockout, now);
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

static void
on_checked (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  LinliMaintainerAuth *self = g_task_get_source_object (task);
  g_autoptr (GError) error = NULL;
  gboolean ok = linli_pin_check_finish (result, NULL);
  Lockout lockout;
  gint64 now = self->clock (self->clock_data);
  gint64 seconds;

  self->verifying = FALSE;
  if (!load_lockout (self, &lockout, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (ok)
    {
      linli_pin_lockout_succeed (&lockout);
      if (!save_lockout (self, &lockout, &error))
        g_warning ("%s", error->message);
      linli_audit_log (self->audit, LINLI_AUDIT_ACTOR_MAINTAINER, "pin-accepted", NULL);
      g_task_return_boolean (task, TRUE);
      return;
    }

  seconds = linli_pin_lockout_fail (&lockout, now);
  {
    /* The count before linli_pin_lockout_fail cleared it for a lockout. */
    g_autofree char *detail = g_strdup_printf (
        "wrong PIN %" G_GINT64_FORMAT " of %d",
        seconds > 0 ? (gint64) LINLI_MAINTAINER_AUTH_MAX_FAILURES : lockout.failures,
        LINLI_MAINTAINER_AUTH_MAX_FAILURES);
    linli_audit_log (self->audit, LINLI_AUDIT_ACTOR_MAINTAINER, "pin-wrong", detail);
  }
  if (seconds > 0)
    {
      g_autofree char *detail = NULL;

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
  gint64 locked;

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
  linli_pin_check_async (pin, self->pin_hash, cancellable, on_checked, g_steal_pointer (&task));
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
  g_autoptr (GError) local_error = NULL;
  char *hash = linli_pin_hash (pin, &local_error);

  if (hash == NULL)
    g_set_error_literal (
        error, LINLI_MAINTAINER_AUTH_ERROR,
        g_error_matches (local_error, LINLI_PIN_CHECK_ERROR, LINLI_PIN_CHECK_ERROR_INVALID)
            ? LINLI_MAINTAINER_AUTH_ERROR_INVALID
            : LINLI_MAINTAINER_AUTH_ERROR_FAILED,
        local_error->message);
  return hash;
}
