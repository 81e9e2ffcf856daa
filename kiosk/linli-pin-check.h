/* linli-pin-check.h — what the maintainer PIN and the staff PINs share:
 * the PIN's form, its yescrypt hash, the check on a worker, and the
 * lockout arithmetic
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define LINLI_PIN_CHECK_ERROR (linli_pin_check_error_quark ())
GQuark linli_pin_check_error_quark (void);

typedef enum
{
  LINLI_PIN_CHECK_ERROR_INVALID, /* not 4 to 12 digits */
  LINLI_PIN_CHECK_ERROR_FAILED,  /* libxcrypt could not make a salt or a hash */
} LinliPinCheckError;

#define LINLI_PIN_MIN_DIGITS 4
#define LINLI_PIN_MAX_DIGITS 12

/* 4 to 12 ASCII digits. */
gboolean linli_pin_is_valid (const char *pin);

/* Returns: (transfer full): the "$y$…" hash of @pin. Slow (yescrypt): not
 * on the main thread. */
char *linli_pin_hash (const char *pin, GError **error);

/* Hashes @pin with @hash's salt on a worker and compares the two strings
 * in constant time. The result is TRUE for a match; a wrong PIN is FALSE
 * without an error (errors: G_IO_ERROR_CANCELLED only). @pin is copied and
 * the copy wiped. */
void linli_pin_check_async (const char *pin,
                            const char *hash,
                            GCancellable *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer user_data);
gboolean linli_pin_check_finish (GAsyncResult *result, GError **error);

/* ---- lockout ----
 * @max_failures wrong PINs in a row lock the entry for @first_seconds;
 * each further lockout doubles it, up to 2^LINLI_PIN_LOCKOUT_MAX_DOUBLINGS
 * times the first. A success clears the count. */
#define LINLI_PIN_LOCKOUT_MAX_FAILURES  5
#define LINLI_PIN_LOCKOUT_FIRST_SECONDS 300
#define LINLI_PIN_LOCKOUT_MAX_DOUBLINGS 10

typedef struct
{
  gint64 failures;     /* wrong PINs since the last success or lockout */
  gint64 lockouts;     /* lockouts since the last success */
  gint64 locked_until; /* unix seconds; 0 or past: not locked */
} LinliPinLockout;

/* Seconds left at @now; 0 when not locked. */
gint64 linli_pin_lockout_remaining (const LinliPinLockout *lockout, gint64 now);
/* Counts one wrong PIN at @now. Returns: the seconds of the lockout it
 * starts, or 0 when it starts none. */
gint64 linli_pin_lockout_fail (LinliPinLockout *lockout, gint64 now);
void linli_pin_lockout_succeed (LinliPinLockout *lockout);
/* Whole minutes to tell for @seconds of lockout left, rounded up: "0
 * minutes" would invite a try that is refused. */
gint64 linli_pin_lockout_minutes (gint64 seconds);

G_END_DECLS
