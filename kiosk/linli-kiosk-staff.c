/* linli-kiosk-staff.c — LinliKiosk's staff sign-in (帮办人员登录)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A staff member signs in to act for the resident in front of the kiosk
 * (journey 5: both identities are recorded with an application). The
 * sign-in belongs to the visit, not to the kiosk: it begins the session if
 * none is running, and however the session ends (finished, timed out, the
 * card taken out, maintenance entered, shutdown) the staff member is
 * signed out and that is audited, so the next resident never inherits
 * someone's sign-in. A check still running when the session ends is
 * cancelled and counts for nothing.
 */
#define G_LOG_DOMAIN "linli-kiosk-staff"

#include "linli-kiosk.h"

#include "linli-kiosk-private.h"
#include "linli-maintenance-mode.h"
#include "linli-staff-auth.h"

struct _LinliKioskStaff
{
  LinliKiosk *kiosk; /* unowned: the kiosk owns us */
  LinliSession *session;
  LinliMaintenanceMode *maintenance;
  LinliStaffAuth *auth;
  char *staff_id;           /* signed in, upper case; NULL: nobody */
  GCancellable *signing_in; /* the check under way */
};

static void
set_staff_id (LinliKioskStaff *staff, const char *staff_id, const char *why)
{
  if (g_strcmp0 (staff->staff_id, staff_id) == 0)
    return;
  if (staff->staff_id != NULL)
    {
      linli_staff_auth_note_signed_out (staff->auth, staff->staff_id, why);
      g_info ("staff signed out (%s)", why);
    }
  g_free (staff->staff_id);
  staff->staff_id = g_strdup (staff_id);
  if (staff_id != NULL)
    g_info ("staff signed in");
  g_object_notify (G_OBJECT (staff->kiosk), "staff-id");
}

static void
end_sign_in (LinliKioskStaff *staff, const char *why)
{
  g_cancellable_cancel (staff->signing_in);
  g_clear_object (&staff->signing_in);
  set_staff_id (staff, NULL, why);
}

static void
on_session_ended (LinliSession *session, LinliSessionEndReason reason, gpointer user_data)
{
  LinliKioskStaff *staff = user_data;
  GEnumClass *klass = g_type_class_ref (LINLI_TYPE_SESSION_END_REASON);

  end_sign_in (staff, g_enum_get_value (klass, (int) reason)->value_nick);
  g_type_class_unref (klass);
}

static void
on_maintenance_active (LinliKioskStaff *staff)
{
  if (linli_maintenance_mode_get_active (staff->maintenance))
    end_sign_in (staff, "maintenance");
}

LinliKioskStaff *
linli_kiosk_staff_new (LinliKiosk *kiosk)
{
  LinliKioskStaff *staff = g_new0 (LinliKioskStaff, 1);

  staff->kiosk = kiosk;
  staff->session = g_object_ref (linli_kiosk_get_session (kiosk));
  staff->maintenance = g_object_ref (linli_kiosk_get_maintenance (kiosk));
  /* Read now: a bad roster line is reported when the kiosk starts. */
  staff->auth = linli_staff_auth_new (linli_kiosk_get_config (kiosk));
  g_signal_connect (staff->session, "ended", G_CALLBACK (on_session_ended), staff);
  g_signal_connect_swapped (staff->maintenance, "notify::active",
                            G_CALLBACK (on_maintenance_active), staff);
  return staff;
}

void
linli_kiosk_staff_free (LinliKioskStaff *staff)
{
  if (staff == NULL)
    return;
  g_signal_handlers_disconnect_by_data (staff->session, staff);
  g_signal_handlers_disconnect_by_data (staff->maintenance, staff);
  g_cancellable_cancel (staff->signing_in);
  g_clear_object (&staff->signing_in);
  /* The kiosk is going: its sign-in ends with it (no notify now). */
  if (staff->staff_id != NULL)
    linli_staff_auth_note_signed_out (staff->auth, staff->staff_id, "shutdown");
  g_free (staff->staff_id);
  g_clear_object (&staff->auth);
  g_clear_object (&staff->maintenance);
  g_clear_object (&staff->session);
  g_free (staff);
}

/* TRUE when the configuration has a usable [staff] roster. */
/* Audits what the signed-in staff member did (nothing when nobody is). */
void
linli_kiosk_audit_staff_action (LinliKiosk *self, const char *action, const char *detail)
{
  LinliKioskStaff *staff = linli_kiosk_get_staff (self);

  if (staff != NULL && staff->staff_id != NULL)
    linli_staff_auth_note_action (staff->auth, staff->staff_id, action, detail);
}

gboolean
linli_kiosk_get_staff_configured (LinliKiosk *self)
{
  g_return_val_if_fail (LINLI_IS_KIOSK (self), FALSE);
  return linli_staff_auth_is_configured (linli_kiosk_get_staff (self)->auth);
}

/* Returns: (nullable): the signed-in staff number (upper case), NULL when
 * nobody is signed in */
const char *
linli_kiosk_get_staff_id (LinliKiosk *self)
{
  g_return_val_if_fail (LINLI_IS_KIOSK (self), NULL);
  return linli_kiosk_get_staff (self)->staff_id;
}

void
linli_kiosk_sign_out_staff (LinliKiosk *self)
{
  g_return_if_fail (LINLI_IS_KIOSK (self));
  end_sign_in (linli_kiosk_get_staff (self), "signed out");
}

typedef struct
{
  char *staff_id;
  gint64 locked;
  GCancellable *cancellable; /* staff->signing_in while it runs */
  GCancellable *caller;      /* the caller's, followed by ours */
  gulong caller_handler;
} SignIn;

static void
sign_in_free (SignIn *sign_in)
{
  if (sign_in->caller_handler != 0)
    g_cancellable_disconnect (sign_in->caller, sign_in->caller_handler);
  g_clear_object (&sign_in->caller);
  g_clear_object (&sign_in->cancellable);
  g_free (sign_in->staff_id);
  g_free (sign_in);
}

static void
on_caller_cancelled (GCancellable *caller, gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static void
on_verified (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  LinliKiosk *self = g_task_get_source_object (task);
  LinliKioskStaff *staff = linli_kiosk_get_staff (self);
  SignIn *sign_in = g_task_get_task_data (task);
  GError *error = NULL;

  /* After a session's end another check may be running already. */
  if (staff->signing_in == sign_in->cancellable)
    g_clear_object (&staff->signing_in);
  if (!linli_staff_auth_verify_finish (LINLI_STAFF_AUTH (source), result, &sign_in->locked, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  /* Someone else was signed in: they are signed out first, audited. */
  if (staff->staff_id != NULL)
    set_staff_id (staff, NULL, "another staff member signed in");
  set_staff_id (staff, sign_in->staff_id, NULL);
  g_task_return_boolean (task, TRUE);
}

/**
 * linli_kiosk_sign_in_staff_async:
 * @staff_id: the staff number as typed (letters in either case)
 * @pin: copied; the caller wipes its own copy
 *
 * Begins the session if none is running. Errors are LINLI_STAFF_AUTH_ERROR
 * (UNKNOWN_OR_WRONG, LOCKED_OUT with *locked_seconds, NOT_CONFIGURED,
 * INVALID, FAILED), LINLI_AUDIT_ERROR (no audit file: nobody signs in
 * unaudited) or G_IO_ERROR_CANCELLED (also when the session ends first).
 */
void
linli_kiosk_sign_in_staff_async (LinliKiosk *self,
                                 const char *staff_id,
                                 const char *pin,
                                 GCancellable *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  LinliKioskStaff *staff;
  SignIn *sign_in;

  g_return_if_fail (LINLI_IS_KIOSK (self));

  staff = linli_kiosk_get_staff (self);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, linli_kiosk_sign_in_staff_async);
  sign_in = g_new0 (SignIn, 1);
  sign_in->staff_id = linli_staff_id_normalize (staff_id);
  g_task_set_task_data (task, sign_in, (GDestroyNotify) sign_in_free);

  if (staff->signing_in != NULL)
    {
      g_task_return_new_error (task, LINLI_STAFF_AUTH_ERROR, LINLI_STAFF_AUTH_ERROR_FAILED,
                               "a sign-in is being checked");
      return;
    }
  if (linli_session_get_state (staff->session) == LINLI_SESSION_STATE_IDLE)
    linli_kiosk_start_session (self);
  else
    linli_kiosk_user_activity (self);
  /* Its own cancellable: the session's end cancels it whatever the
   * caller's does. */
  staff->signing_in = g_cancellable_new ();
  sign_in->cancellable = g_object_ref (staff->signing_in);
  if (cancellable != NULL)
    {
      sign_in->caller = g_object_ref (cancellable);
      sign_in->caller_handler
          = g_cancellable_connect (cancellable, G_CALLBACK (on_caller_cancelled),
                                   g_object_ref (staff->signing_in), g_object_unref);
    }
  linli_staff_auth_verify_async (staff->auth, staff_id, pin, staff->signing_in, on_verified,
                                 g_steal_pointer (&task));
}

gboolean
linli_kiosk_sign_in_staff_finish (LinliKiosk *self,
                                  GAsyncResult *result,
                                  gint64 *locked_seconds,
                                  GError **error)
{
  SignIn *sign_in;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  sign_in = g_task_get_task_data (G_TASK (result));
  if (locked_seconds != NULL)
    *locked_seconds = sign_in->locked;
  return g_task_propagate_boolean (G_TASK (result), error);
}
