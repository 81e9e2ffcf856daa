/* test-maintainer-auth.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The maintainer PIN with real yescrypt hashes and a real audit file: the
 * right PIN, wrong PINs, the lockout after five, the lockout surviving a
 * restart (a new LinliMaintainerAuth on a reopened file), its expiry and
 * doubling on an injected clock.
 */
#include <glib/gstdio.h>

#include "linli-audit.h"
#include "linli-maintainer-auth.h"
#include "linli-maintainer-auth-private.h"

#define PIN "246810"

typedef struct
{
  char *dir;
  char *path;
  char *hash;
  LinliAudit *audit;
  LinliMaintainerAuth *auth;
  gint64 now;
} Fixture;

static gint64
fake_clock (gpointer user_data)
{
  Fixture *fixture = user_data;
  return fixture->now;
}

static void
open_auth (Fixture *fixture)
{
  g_autoptr (GError) error = NULL;

  g_clear_object (&fixture->auth);
  g_clear_object (&fixture->audit);
  fixture->audit = linli_audit_open (fixture->path, &error);
  g_assert_no_error (error);
  fixture->auth = linli_maintainer_auth_new (fixture->audit, fixture->hash);
  linli_maintainer_auth_set_clock (fixture->auth, fake_clock, fixture);
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("linli-auth-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "audit.db", NULL);
  fixture->hash = linli_maintainer_auth_hash_pin (PIN, &error);
  g_assert_no_error (error);
  fixture->now = 1700000000;
  open_auth (fixture);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  const char *suffixes[] = { "", "-wal", "-shm" };

  g_clear_object (&fixture->auth);
  g_clear_object (&fixture->audit);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (fixture->path, suffixes[i], NULL);
      g_remove (file);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->hash);
}

typedef struct
{
  gboolean done;
  gboolean ok;
  gint64 locked;
  GError *error;
} Result;

static void
on_verified (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Result *r = user_data;

  r->ok = linli_maintainer_auth_verify_finish (LINLI_MAINTAINER_AUTH (source), result, &r->locked,
                                               &r->error);
  r->done = TRUE;
}

/* Returns the error code, or -1 on success. */
static int
try_pin (Fixture *fixture, const char *pin, gint64 *locked)
{
  Result r = { 0 };
  int code;

  linli_maintainer_auth_verify_async (fixture->auth, pin, NULL, on_verified, &r);
  while (!r.done)
    g_main_context_iteration (NULL, TRUE);
  if (locked != NULL)
    *locked = r.locked;
  if (r.ok)
    {
      g_assert_no_error (r.error);
      return -1;
    }
  g_assert_nonnull (r.error);
  g_assert_true (r.error->domain == LINLI_MAINTAINER_AUTH_ERROR);
  code = r.error->code;
  g_clear_error (&r.error);
  return code;
}

static gboolean
audit_has (Fixture *fixture, const char *action)
{
  g_autoptr (GPtrArray) records = linli_audit_recent (fixture->audit, 100, NULL);

  for (guint i = 0; i < records->len; i++)
    if (g_str_equal (((LinliAuditRecord *) g_ptr_array_index (records, i))->action, action))
      return TRUE;
  return FALSE;
}

static void
test_hash (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *hash = linli_maintainer_auth_hash_pin ("1234", &error);
  g_autofree char *again = linli_maintainer_auth_hash_pin ("1234", &error);
  g_autofree char *bad = NULL;

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (hash, "$y$"));
  g_assert_cmpstr (hash, !=, again); /* salted */
  g_assert_null (strstr (hash, "1234"));
  bad = linli_maintainer_auth_hash_pin ("12a4", &error);
  g_assert_null (bad);
  g_assert_error (error, LINLI_MAINTAINER_AUTH_ERROR, LINLI_MAINTAINER_AUTH_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (linli_maintainer_auth_hash_pin ("123", &error));
}

static void
test_right_pin (Fixture *fixture, gconstpointer data)
{
  g_assert_true (linli_maintainer_auth_is_configured (fixture->auth));
  g_assert_cmpint (try_pin (fixture, PIN, NULL), ==, -1);
  g_assert_true (audit_has (fixture, "pin-accepted"));
  g_assert_true (linli_audit_verify (fixture->audit, NULL, NULL, NULL));
}

static void
test_wrong_pin (Fixture *fixture, gconstpointer data)
{
  g_assert_cmpint (try_pin (fixture, "135790", NULL), ==, LINLI_MAINTAINER_AUTH_ERROR_WRONG_PIN);
  g_assert_cmpint (try_pin (fixture, "", NULL), ==, LINLI_MAINTAINER_AUTH_ERROR_WRONG_PIN);
  g_assert_cmpuint (linli_maintainer_auth_get_failures (fixture->auth), ==, 2);
  g_assert_true (audit_has (fixture, "pin-wrong"));
  g_assert_false (audit_has (fixture, "pin-accepted"));
  /* A success clears the count. */
  g_assert_cmpint (try_pin (fixture, PIN, NULL), ==, -1);
  g_assert_cmpuint (linli_maintainer_auth_get_failures (fixture->auth), ==, 0);
}

static void
lock_out (Fixture *fixture, gint64 expected_seconds)
{
  gint64 locked = 0;

  for (int i = 0; i < 4; i++)
    g_assert_cmpint (try_pin (fixture, "000000", NULL), ==, LINLI_MAINTAINER_AUTH_ERROR_WRONG_PIN);
  g_assert_cmpint (try_pin (fixture, "000000", &locked), ==,
                   LINLI_MAINTAINER_AUTH_ERROR_LOCKED_OUT);
  g_assert_cmpint (locked, ==, expected_seconds);
  g_assert_cmpint (linli_maintainer_auth_get_locked_seconds (fixture->auth), ==, expected_seconds);
}

static void
test_lockout (Fixture *fixture, gconstpointer data)
{
  gint64 locked = 0;

  lock_out (fixture, 300);
  g_assert_true (audit_has (fixture, "pin-locked-out"));

  /* Locked even with the right PIN. */
  fixture->now += 100;
  g_assert_cmpint (try_pin (fixture, PIN, &locked), ==, LINLI_MAINTAINER_AUTH_ERROR_LOCKED_OUT);
  g_assert_cmpint (locked, ==, 200);
  g_assert_true (audit_has (fixture, "pin-while-locked"));

  /* A restart of the kiosk: a new object on the reopened file. */
  open_auth (fixture);
  g_assert_cmpint (linli_maintainer_auth_get_locked_seconds (fixture->auth), ==, 200);
  g_assert_cmpint (try_pin (fixture, PIN, NULL), ==, LINLI_MAINTAINER_AUTH_ERROR_LOCKED_OUT);

  /* Expired: PINs are taken again; the next lockout is twice as long. */
  fixture->now += 200;
  g_assert_cmpint (linli_maintainer_auth_get_locked_seconds (fixture->auth), ==, 0);
  lock_out (fixture, 600);
  fixture->now += 600;
  lock_out (fixture, 1200);
  fixture->now += 1200;
  g_assert_cmpint (try_pin (fixture, PIN, NULL), ==, -1);
  /* Success forgets the lockouts. */
  lock_out (fixture, 300);
  g_assert_true (linli_audit_verify (fixture->audit, NULL, NULL, NULL));
}

static void
test_not_configured (Fixture *fixture, gconstpointer data)
{
  g_clear_object (&fixture->auth);
  fixture->auth = linli_maintainer_auth_new (fixture->audit, "");
  g_assert_false (linli_maintainer_auth_is_configured (fixture->auth));
  g_assert_cmpint (try_pin (fixture, PIN, NULL), ==, LINLI_MAINTAINER_AUTH_ERROR_NOT_CONFIGURED);
  g_assert_true (audit_has (fixture, "pin-refused"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/maintainer-auth/hash", test_hash);
  g_test_add ("/maintainer-auth/right-pin", Fixture, NULL, fixture_set_up, test_right_pin,
              fixture_tear_down);
  g_test_add ("/maintainer-auth/wrong-pin", Fixture, NULL, fixture_set_up, test_wrong_pin,
              fixture_tear_down);
  g_test_add ("/maintainer-auth/lockout", Fixture, NULL, fixture_set_up, test_lockout,
              fixture_tear_down);
  g_test_add ("/maintainer-auth/not-configured", Fixture, NULL, fixture_set_up, test_not_configured,
              fixture_tear_down);
  return g_test_run ();
}
