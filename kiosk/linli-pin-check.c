/* linli-pin-check.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A PIN is kept only as a yescrypt hash. yescrypt is slow on purpose (tens
 * of milliseconds), so the check runs on a worker and the screen keeps
 * answering; the comparison of the two hash strings takes the same time
 * wherever they differ. The lockout is plain arithmetic on three numbers,
 * so that each user keeps them where it likes (the audit file, for both
 * users today) and the doubling is written once.
 */
#define G_LOG_DOMAIN "linli-pin-check"

#include "linli-pin-check.h"

#include <crypt.h>
#include <string.h>

G_DEFINE_QUARK (linli_pin_check_error_quark, linli_pin_check_error)

gboolean
linli_pin_is_valid (const char *pin)
{
  gsize length = pin != NULL ? strlen (pin) : 0;

  if (length < LINLI_PIN_MIN_DIGITS || length > LINLI_PIN_MAX_DIGITS)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isdigit (pin[i]))
      return FALSE;
  return TRUE;
}

char *
linli_pin_hash (const char *pin, GError **error)
{
  g_autofree char *salt = NULL;
  struct crypt_data *data = NULL;
  const char *hash;
  char *result;

  if (!linli_pin_is_valid (pin))
    {
      g_set_error_literal (error, LINLI_PIN_CHECK_ERROR, LINLI_PIN_CHECK_ERROR_INVALID,
                           "a PIN is 4 to 12 digits");
      return NULL;
    }
  /* Count 0: libxcrypt's default cost for yescrypt. */
  salt = crypt_gensalt_ra ("$y$", 0, NULL, 0);
  if (salt == NULL)
    {
      g_set_error_literal (error, LINLI_PIN_CHECK_ERROR, LINLI_PIN_CHECK_ERROR_FAILED,
                           "cannot make a yescrypt salt");
      return NULL;
    }
  data = g_new0 (struct crypt_data, 1);
  hash = crypt_r (pin, salt, data);
  if (hash == NULL || hash[0] == '*')
    {
      g_free (data);
      g_set_error_literal (error, LINLI_PIN_CHECK_ERROR, LINLI_PIN_CHECK_ERROR_FAILED,
                           "yescrypt failed");
      return NULL;
    }
  result = g_strdup (hash);
  explicit_bzero (data, sizeof *data);
  g_free (data);
  return result;
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

void
linli_pin_check_async (const char *pin,
                       const char *hash,
                       GCancellable *cancellable,
                       GAsyncReadyCallback callback,
                       gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  Check *check;

  g_return_if_fail (hash != NULL);
  g_task_set_source_tag (task, linli_pin_check_async);
  check = g_new0 (Check, 1);
  check->pin = g_strdup (pin != NULL ? pin : "");
  check->hash = g_strdup (hash);
  g_task_set_task_data (task, check, (GDestroyNotify) check_free);
  g_task_run_in_thread (task, check_thread);
}

gboolean
linli_pin_check_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gint64
linli_pin_lockout_remaining (const LinliPinLockout *lockout, gint64 now)
{
  g_return_val_if_fail (lockout != NULL, 0);
  return lockout->locked_until > now ? lockout->locked_until - now : 0;
}

gint64
linli_pin_lockout_fail (LinliPinLockout *lockout, gint64 now)
{
  gint64 seconds;

  g_return_val_if_fail (lockout != NULL, 0);
  lockout->failures++;
  if (lockout->failures < LINLI_PIN_LOCKOUT_MAX_FAILURES)
    return 0;
  /* 2^10 × 5 minutes is over three days: enough to stop guessing, short
   * of locking a county's maintainer or staff member out for good. */
  seconds = (gint64) LINLI_PIN_LOCKOUT_FIRST_SECONDS
            << MIN (MAX (lockout->lockouts, 0), LINLI_PIN_LOCKOUT_MAX_DOUBLINGS);
  lockout->lockouts++;
  lockout->failures = 0;
  lockout->locked_until = now + seconds;
  return seconds;
}

void
linli_pin_lockout_succeed (LinliPinLockout *lockout)
{
  g_return_if_fail (lockout != NULL);
  *lockout = (LinliPinLockout){ 0 };
}

gint64
linli_pin_lockout_minutes (gint64 seconds)
{
  return seconds / 60 + (seconds % 60 != 0 ? 1 : 0);
}
