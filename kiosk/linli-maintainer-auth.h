/* linli-maintainer-auth.h — the maintainer PIN: hashed, checked on a
 * worker, locked out after repeated failures
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "linli-audit.h"
#include "linli-pin-check.h"

G_BEGIN_DECLS

#define LINLI_MAINTAINER_AUTH_ERROR (linli_maintainer_auth_error_quark ())
GQuark linli_maintainer_auth_error_quark (void);

typedef enum
{
  LINLI_MAINTAINER_AUTH_ERROR_NOT_CONFIGURED, /* no [maintenance] pin-hash */
  LINLI_MAINTAINER_AUTH_ERROR_WRONG_PIN,
  LINLI_MAINTAINER_AUTH_ERROR_LOCKED_OUT,
  LINLI_MAINTAINER_AUTH_ERROR_INVALID, /* not a PIN (hash-pin), or a bad hash */
  LINLI_MAINTAINER_AUTH_ERROR_FAILED,
} LinliMaintainerAuthError;

/* Wrong PINs in a row before a lockout, and the first lockout's length
 * (each further lockout doubles it). */
#define LINLI_MAINTAINER_AUTH_MAX_FAILURES    LINLI_PIN_LOCKOUT_MAX_FAILURES
#define LINLI_MAINTAINER_AUTH_LOCKOUT_SECONDS LINLI_PIN_LOCKOUT_FIRST_SECONDS

#define LINLI_TYPE_MAINTAINER_AUTH (linli_maintainer_auth_get_type ())
G_DECLARE_FINAL_TYPE (LinliMaintainerAuth, linli_maintainer_auth, LINLI, MAINTAINER_AUTH, GObject)

/* @audit: where attempts are recorded and the lockout is kept; @pin_hash:
 * the [maintenance] pin-hash line, "" or NULL when none is set. */
LinliMaintainerAuth *linli_maintainer_auth_new (LinliAudit *audit, const char *pin_hash);

gboolean linli_maintainer_auth_is_configured (LinliMaintainerAuth *self);
/* Seconds until a PIN is taken again; 0 when not locked. */
gint64 linli_maintainer_auth_get_locked_seconds (LinliMaintainerAuth *self);
/* Wrong PINs since the last success or lockout. */
guint linli_maintainer_auth_get_failures (LinliMaintainerAuth *self);

void linli_maintainer_auth_verify_async (LinliMaintainerAuth *self,
                                         const char *pin,
                                         GCancellable *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer user_data);
/* LOCKED_OUT errors: *locked_seconds (may be NULL) is how long is left. */
gboolean linli_maintainer_auth_verify_finish (LinliMaintainerAuth *self,
                                              GAsyncResult *result,
                                              gint64 *locked_seconds,
                                              GError **error);

/* linli_pin_hash() with this module's error domain. A PIN is 4 to 12
 * digits. Returns: (transfer full): the "$y$…" hash. Slow (yescrypt): not
 * on the main thread. */
char *linli_maintainer_auth_hash_pin (const char *pin, GError **error);

G_END_DECLS
