/* linli-staff-auth.h — staff sign-in (帮办人员登录): the [staff] roster of
 * staff numbers and PIN hashes, checked on a worker, locked out per staff
 * number after repeated failures, every attempt audited
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "linli-audit.h"
#include "linli-config.h"
#include "linli-pin-check.h"

G_BEGIN_DECLS

#define LINLI_STAFF_AUTH_ERROR (linli_staff_auth_error_quark ())
GQuark linli_staff_auth_error_quark (void);

typedef enum
{
  LINLI_STAFF_AUTH_ERROR_NOT_CONFIGURED, /* no usable line in [staff] */
  /* One code for both: the screen never tells which of the two was wrong. */
  LINLI_STAFF_AUTH_ERROR_UNKNOWN_OR_WRONG,
  LINLI_STAFF_AUTH_ERROR_LOCKED_OUT,
  LINLI_STAFF_AUTH_ERROR_INVALID, /* not a staff number (2 to 16 letters or digits) */
  LINLI_STAFF_AUTH_ERROR_FAILED,  /* the audit file, or a check already running */
} LinliStaffAuthError;

#define LINLI_STAFF_ID_MIN_LENGTH 2
#define LINLI_STAFF_ID_MAX_LENGTH 16

/* Returns: (transfer full) (nullable): @staff_id in upper case when it is
 * 2 to 16 ASCII letters or digits, else NULL. */
char *linli_staff_id_normalize (const char *staff_id);

#define LINLI_TYPE_STAFF_AUTH (linli_staff_auth_get_type ())
G_DECLARE_FINAL_TYPE (LinliStaffAuth, linli_staff_auth, LINLI, STAFF_AUTH, GObject)

/* Reads the roster from @config's [staff] group (bad lines are warned
 * about and skipped). The audit file ([maintenance] audit-db) is opened at
 * the first attempt. */
LinliStaffAuth *linli_staff_auth_new (LinliConfig *config);

gboolean linli_staff_auth_is_configured (LinliStaffAuth *self);
/* Usable lines of the roster. */
guint linli_staff_auth_get_roster_size (LinliStaffAuth *self);
/* Seconds until @staff_id's PIN is taken again; 0 when not locked (or when
 * the audit file cannot be opened). */
gint64 linli_staff_auth_get_locked_seconds (LinliStaffAuth *self, const char *staff_id);
/* Wrong PINs for @staff_id since its last success or lockout. */
guint linli_staff_auth_get_failures (LinliStaffAuth *self, const char *staff_id);

void linli_staff_auth_verify_async (LinliStaffAuth *self,
                                    const char *staff_id,
                                    const char *pin,
                                    GCancellable *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer user_data);
/* LOCKED_OUT errors: *locked_seconds (may be NULL) is how long is left.
 * LINLI_AUDIT_ERROR when the audit file cannot be opened: nobody signs in
 * unaudited. */
gboolean linli_staff_auth_verify_finish (LinliStaffAuth *self,
                                         GAsyncResult *result,
                                         gint64 *locked_seconds,
                                         GError **error);

/* Audits "staff-signed-out" for @staff_id, with @why ("finished",
 * "timeout"…) in the detail. */
void linli_staff_auth_note_action (LinliStaffAuth *self,
                                   const char *staff_id,
                                   const char *action,
                                   const char *detail);
void linli_staff_auth_note_signed_out (LinliStaffAuth *self, const char *staff_id, const char *why);

G_END_DECLS
