/* test-staff-auth.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Staff sign-in with real yescrypt hashes and a real audit file: the
 * [staff] roster and its bad lines, the right PIN, a wrong PIN and an
 * unknown staff number (the same error), the lockout per staff number and
 * its doubling on an injected clock, the lockout surviving a restart, the
 * audit file's migration from schema 1, no PIN in any audit record; and on
 * a real LinliKiosk, a sign-in that begins the session and ends with it.
 */
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "linli-audit-private.h"
#include "linli-audit.h"
#include "linli-kiosk.h"
#include "linli-maintenance-mode.h"
#include "linli-staff-auth-private.h"
#include "linli-staff-auth.h"

#define PIN       "135792"
#define OTHER_PIN "8642"

typedef struct
{
  char *dir;
  char *audit_path;
  char *hash;
  char *other_hash;
  LinliConfig *config;
  LinliStaffAuth *auth;
  gint64 now;
} Fixture;

static gint64
fake_clock (gpointer user_data)
{
  Fixture *fixture = user_data;
  return fixture->now;
}

static void
load_config (Fixture *fixture, const char *staff_lines)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *conf
      = g_strdup_printf ("[voice]\nsink=fakesink\n[devices]\ncamera-source=videotestsrc\n"
                         "[maintenance]\naudit-db=%s\n[staff]\n%s",
                         fixture->audit_path, staff_lines);

  g_clear_object (&fixture->config);
  fixture->config = linli_config_new ();
  g_assert_true (linli_config_load_data (fixture->config, conf, -1, "test", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (linli_config_get_problems (fixture->config)->len, ==, 0);
}

/* A restart of the kiosk: a new object on the same configuration. */
static void
open_auth (Fixture *fixture)
{
  g_clear_object (&fixture->auth);
  fixture->auth = linli_staff_auth_new (fixture->config);
  linli_staff_auth_set_clock (fixture->auth, fake_clock, fixture);
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *lines = NULL;

  fixture->dir = g_dir_make_tmp ("linli-staff-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->audit_path = g_build_filename (fixture->dir, "audit.db", NULL);
  fixture->hash = linli_pin_hash (PIN, &error);
  g_assert_no_error (error);
  fixture->other_hash = linli_pin_hash (OTHER_PIN, &error);
  g_assert_no_error (error);
  fixture->now = 1700000000;
  lines = g_strdup_printf ("GZ0042 = %s\nGZ0043=%s\n", fixture->hash, fixture->other_hash);
  load_config (fixture, lines);
  open_auth (fixture);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  const char *suffixes[] = { "", "-wal", "-shm" };

  g_clear_object (&fixture->auth);
  g_clear_object (&fixture->config);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (fixture->audit_path, suffixes[i], NULL);
      g_remove (file);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->audit_path);
  g_free (fixture->hash);
  g_free (fixture->other_hash);
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

  r->ok = linli_staff_auth_verify_finish (LINLI_STAFF_AUTH (source), result, &r->locked, &r->error);
  r->done = TRUE;
}

/* Returns: -1 when signed in, else the LINLI_STAFF_AUTH_ERROR code. */
static int
try_sign_in (Fixture *fixture, const char *staff_id, const char *pin, gint64 *locked)
{
  Result r = { 0 };
  int code;

  linli_staff_auth_verify_async (fixture->auth, staff_id, pin, NULL, on_verified, &r);
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
  g_assert_true (r.error->domain == LINLI_STAFF_AUTH_ERROR);
  code = r.error->code;
  g_clear_error (&r.error);
  return code;
}

static GPtrArray *
records (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliAudit) audit = linli_audit_open (path, &error);
  GPtrArray *list;

  g_assert_no_error (error);
  g_assert_true (linli_audit_verify (audit, NULL, NULL, &error));
  g_assert_no_error (error);
  list = linli_audit_recent (audit, 1000, &error);
  g_assert_no_error (error);
  return list;
}

static guint
count_records (Fixture *fixture, const char *action, const char *detail_part)
{
  g_autoptr (GPtrArray) list = records (fixture->audit_path);
  guint n = 0;

  for (guint i = 0; i < list->len; i++)
    {
      LinliAuditRecord *record = g_ptr_array_index (list, i);

      g_assert_cmpstr (record->actor, ==, "staff");
      if (g_str_equal (record->action, action)
          && (detail_part == NULL || strstr (record->detail, detail_part) != NULL))
        n++;
    }
  return n;
}

/* No PIN (nor any of the wrong ones tried) in any record. */
static void
assert_no_pins (Fixture *fixture, const char *const *pins)
{
  g_autoptr (GPtrArray) list = records (fixture->audit_path);

  for (guint i = 0; i < list->len; i++)
    {
      LinliAuditRecord *record = g_ptr_array_index (list, i);

      for (guint p = 0; pins[p] != NULL; p++)
        if (strstr (record->detail, pins[p]) != NULL || strstr (record->action, pins[p]) != NULL)
          g_error ("audit record %" G_GINT64_FORMAT " holds a PIN: %s %s", record->id,
                   record->action, record->detail);
    }
}

static void
test_normalize (void)
{
  g_autofree char *upper = linli_staff_id_normalize ("gz0042");

  g_assert_cmpstr (upper, ==, "GZ0042");
  g_assert_null (linli_staff_id_normalize ("G"));
  g_assert_null (linli_staff_id_normalize ("GZ 0042"));
  g_assert_null (linli_staff_id_normalize ("GZ-0042"));
  g_assert_null (linli_staff_id_normalize ("工号0042"));
  g_assert_null (linli_staff_id_normalize ("ABCDEFGHIJ1234567"));
  g_assert_null (linli_staff_id_normalize (NULL));
}

static void
test_roster (Fixture *fixture, gconstpointer data)
{
  g_autofree char *lines = g_strdup_printf (
      "GZ0042 = %s\nG = %s\nGZ_0001 = %s\nAB12 = not-a-hash\ngz0042 = %s\nXY99 = %s\n",
      fixture->hash, fixture->hash, fixture->hash, fixture->other_hash, fixture->other_hash);

  g_assert_true (linli_staff_auth_is_configured (fixture->auth));
  g_assert_cmpuint (linli_staff_auth_get_roster_size (fixture->auth), ==, 2);

  load_config (fixture, lines);
  g_test_expect_message ("linli-staff-auth", G_LOG_LEVEL_WARNING, "*line 2*not a staff number*");
  g_test_expect_message ("linli-staff-auth", G_LOG_LEVEL_WARNING, "*line 3*not a staff number*");
  g_test_expect_message ("linli-staff-auth", G_LOG_LEVEL_WARNING, "*AB12*not a crypt hash*");
  g_test_expect_message ("linli-staff-auth", G_LOG_LEVEL_WARNING, "*GZ0042*listed twice*");
  open_auth (fixture);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (linli_staff_auth_get_roster_size (fixture->auth), ==, 2);
  /* The first line of a number listed twice is the one used. */
  g_assert_cmpint (try_sign_in (fixture, "GZ0042", PIN, NULL), ==, -1);
  g_assert_cmpint (try_sign_in (fixture, "GZ0042", OTHER_PIN, NULL), ==,
                   LINLI_STAFF_AUTH_ERROR_UNKNOWN_OR_WRONG);
  g_assert_cmpint (try_sign_in (fixture, "XY99", OTHER_PIN, NULL), ==, -1);
  g_assert_cmpint (try_sign_in (fixture, "AB12", PIN, NULL), ==,
                   LINLI_STAFF_AUTH_ERROR_UNKNOWN_OR_WRONG);
}

static void
test_not_configured (Fixture *fixture, gconstpointer data)
{
  load_config (fixture, "");
  open_auth (fixture);
  g_assert_false (linli_staff_auth_is_configured (fixture->auth));
  g_assert_cmpint (try_sign_in (fixture, "GZ0042", PIN, NULL), ==,
                   LINLI_STAFF_AUTH_ERROR_NOT_CONFIGURED);
  g_assert_cmpuint (count_records (fixture, "staff-sign-in-refused", NULL), ==, 1);
}

static void
test_right_wrong_unknown (Fixture *fixture, gconstpointer data)
{
  const char *const pins[] = { PIN, OTHER_PIN, "000000", "13579", NULL };

  g_assert_cmpint (try_sign_in (fixture, "GZ0042", PIN, NULL), ==, -1);
  /* Letters in either case. */
  g_assert_cmpint (try_sign_in (fixture, "gz0043", OTHER_PIN, NULL), ==, -1);
  g_assert_cmpuint (count_records (fixture, "staff-signed-in", "GZ0042"), ==, 1);
  g_assert_cmpuint (count_records (fixture, "staff-signed-in", "GZ0043"), ==, 1);

  /* Another's PIN, a wrong PIN, an unknown number: one error for all. */
  g_assert_cmpint (try_sign_in (fixture, "GZ0042", OTHER_PIN, NULL), ==,
                   LINLI_STAFF_AUTH_ERROR_UNKNOWN_OR_WRONG);
  g_assert_cmpint (try_sign_in (fixture, "GZ0042", "000000", NULL), ==,
                   LINLI_STAFF_AUTH_ERROR_UNKNOWN_OR_WRONG);
  g_assert_cmpint (try_sign_in (fixture, "GZ0042", "", NULL), ==,
                   LINLI_STAFF_AUTH_ERROR_UNKNOWN_OR_WRONG);
  g_assert_cmpuint (linli_staff_auth_get_failures (fixture->auth, "GZ0042"), ==, 3);
  g_assert_cmpuint (linli_staff_auth_get_failures (fixture->auth, "GZ0043"), ==, 0);
  g_assert_cmpint (try_sign_in (fixture, "ZZ9999", PIN, NULL), ==,
                   LINLI_STAFF_AUTH_ERROR_UNKNOWN_OR_WRONG);
  /* A PIN typed as the staff number is not recorded as typed. */
  g_assert_cmpint (try_sign_in (fixture, "13579", PIN, NULL), ==,
                   LINLI_STAFF_AUTH_ERROR_UNKNOWN_OR_WRONG);
  g_assert_cmpuint (linli_staff_auth_get_failures (fixture->auth, "13579"), ==, 1);
  g_assert_cmpuint (count_records (fixture, "staff-pin-wrong", "GZ0042"), ==, 3);
  g_assert_cmpuint (count_records (fixture, "staff-pin-wrong", "unknown #"), ==, 2);
  g_assert_cmpuint (count_records (fixture, "staff-pin-wrong", "ZZ9999"), ==, 0);
  /* Not a staff number at all. */
  g_assert_cmpint (try_sign_in (fixture, "G-1", PIN, NULL), ==, LINLI_STAFF_AUTH_ERROR_INVALID);

  /* A success clears the count. */
  g_assert_cmpint (try_sign_in (fixture, "GZ0042", PIN, NULL), ==, -1);
  g_assert_cmpuint (linli_staff_auth_get_failures (fixture->auth, "GZ0042"), ==, 0);

  linli_staff_auth_note_signed_out (fixture->auth, "GZ0042", "finished");
  g_assert_cmpuint (count_records (fixture, "staff-signed-out", "GZ0042: finished"), ==, 1);
  assert_no_pins (fixture, pins);
}

static void
lock_out (Fixture *fixture, const char *staff_id, gint64 expected_seconds)
{
  gint64 locked = 0;

  for (int i = 0; i < 4; i++)
    g_assert_cmpint (try_sign_in (fixture, staff_id, "000000", NULL), ==,
                     LINLI_STAFF_AUTH_ERROR_UNKNOWN_OR_WRONG);
  g_assert_cmpint (try_sign_in (fixture, staff_id, "000000", &locked), ==,
                   LINLI_STAFF_AUTH_ERROR_LOCKED_OUT);
  g_assert_cmpint (locked, ==, expected_seconds);
  g_assert_cmpint (linli_staff_auth_get_locked_seconds (fixture->auth, staff_id), ==,
                   expected_seconds);
}

static void
test_lockout (Fixture *fixture, gconstpointer data)
{
  const char *const pins[] = { PIN, OTHER_PIN, "000000", NULL };
  gint64 locked = 0;

  lock_out (fixture, "GZ0042", 300);
  g_assert_cmpuint (count_records (fixture, "staff-locked-out", "GZ0042"), ==, 1);

  /* Per staff number: a colleague still signs in. */
  g_assert_cmpint (try_sign_in (fixture, "GZ0043", OTHER_PIN, NULL), ==, -1);

  /* Locked even with the right PIN; said with the time left. */
  fixture->now += 100;
  g_assert_cmpint (try_sign_in (fixture, "gz0042", PIN, &locked), ==,
                   LINLI_STAFF_AUTH_ERROR_LOCKED_OUT);
  g_assert_cmpint (locked, ==, 200);
  g_assert_cmpuint (count_records (fixture, "staff-locked-out", "200 s left"), ==, 1);

  /* A restart: a new object, the audit file reopened. */
  open_auth (fixture);
  g_assert_cmpint (linli_staff_auth_get_locked_seconds (fixture->auth, "GZ0042"), ==, 200);
  g_assert_cmpint (try_sign_in (fixture, "GZ0042", PIN, NULL), ==,
                   LINLI_STAFF_AUTH_ERROR_LOCKED_OUT);

  /* Expired: the next lockout is twice as long, then twice again. */
  fixture->now += 200;
  g_assert_cmpint (linli_staff_auth_get_locked_seconds (fixture->auth, "GZ0042"), ==, 0);
  lock_out (fixture, "GZ0042", 600);
  fixture->now += 600;
  lock_out (fixture, "GZ0042", 1200);
  fixture->now += 1200;
  g_assert_cmpint (try_sign_in (fixture, "GZ0042", PIN, NULL), ==, -1);
  /* Success forgets the lockouts. */
  lock_out (fixture, "GZ0042", 300);

  /* An unknown number locks the same way: nothing tells it apart. */
  lock_out (fixture, "ZZ9999", 300);
  assert_no_pins (fixture, pins);
}

/* Lockouts are capped at 2^10 times the first. */
static void
test_lockout_cap (void)
{
  LinliPinLockout lockout = { 0 };
  gint64 seconds = 0;

  for (int round = 0; round < 14; round++)
    for (int i = 0; i < LINLI_PIN_LOCKOUT_MAX_FAILURES; i++)
      {
        seconds = linli_pin_lockout_fail (&lockout, 0);
        g_assert_cmpint (seconds != 0, ==, i == LINLI_PIN_LOCKOUT_MAX_FAILURES - 1);
        if (seconds != 0)
          g_assert_cmpint (seconds, ==, (gint64) 300 << MIN (round, 10));
      }
  g_assert_cmpint (linli_pin_lockout_remaining (&lockout, 0), ==, (gint64) 300 << 10);
  linli_pin_lockout_succeed (&lockout);
  g_assert_cmpint (linli_pin_lockout_remaining (&lockout, 0), ==, 0);
  g_assert_cmpint (lockout.lockouts, ==, 0);
}

/* A file written by a kiosk before staff sign-in (schema 1, the SQL of
 * migrate_to_1) with a record in it. */
static void
test_migration_from_1 (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliAudit) audit = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n = 0;

  g_clear_object (&fixture->auth);
  g_assert_cmpint (sqlite3_open (fixture->audit_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (
      sqlite3_exec (db,
                    "CREATE TABLE records (id INTEGER PRIMARY KEY, time INTEGER NOT NULL,"
                    "  actor TEXT NOT NULL CHECK (actor IN ('maintainer', 'staff', 'system')),"
                    "  action TEXT NOT NULL, detail TEXT NOT NULL DEFAULT '',"
                    "  prev_hash TEXT NOT NULL, hash TEXT NOT NULL);"
                    "CREATE TRIGGER records_no_update BEFORE UPDATE ON records"
                    "  BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;"
                    "CREATE TRIGGER records_no_delete BEFORE DELETE ON records"
                    "  BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;"
                    "CREATE TABLE maintainer_lockout (id INTEGER PRIMARY KEY CHECK (id = 1),"
                    "  failures INTEGER NOT NULL DEFAULT 0, lockouts INTEGER NOT NULL DEFAULT 0,"
                    "  locked_until INTEGER NOT NULL DEFAULT 0);"
                    "INSERT INTO maintainer_lockout (id) VALUES (1);"
                    "PRAGMA application_id = 1280065877; PRAGMA user_version = 1;",
                    NULL, NULL, NULL),
      ==, SQLITE_OK);
  sqlite3_close (db);
  audit = linli_audit_open (fixture->audit_path, &error);
  g_assert_no_error (error);
  linli_audit_log (audit, LINLI_AUDIT_ACTOR_MAINTAINER, "pin-accepted", NULL);
  g_clear_object (&audit);
  /* That opening migrated it; open it as schema 1 would have been read. */
  audit = linli_audit_open (fixture->audit_path, &error);
  g_assert_no_error (error);
  db = linli_audit_get_db (audit);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int64 (stmt, 0), ==, 2);
  g_assert_cmpint (LINLI_AUDIT_SCHEMA_VERSION, ==, 2);
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM staff_lockout", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  sqlite3_finalize (stmt);
  g_assert_true (linli_audit_verify (audit, &n, NULL, &error));
  g_assert_cmpint (n, ==, 1);
  g_clear_object (&audit);

  /* Staff lockouts work in the migrated file. */
  open_auth (fixture);
  lock_out (fixture, "GZ0042", 300);
}

/* ---- on a real LinliKiosk ---- */

static void
on_kiosk_signed_in (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Result *r = user_data;

  r->ok = linli_kiosk_sign_in_staff_finish (LINLI_KIOSK (source), result, &r->locked, &r->error);
  r->done = TRUE;
}

static gboolean
kiosk_sign_in (LinliKiosk *kiosk, const char *staff_id, const char *pin, GError **error)
{
  Result r = { 0 };

  linli_kiosk_sign_in_staff_async (kiosk, staff_id, pin, NULL, on_kiosk_signed_in, &r);
  while (!r.done)
    g_main_context_iteration (NULL, TRUE);
  if (r.error != NULL)
    g_propagate_error (error, r.error);
  return r.ok;
}

static void
count_notify (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  (*(guint *) user_data)++;
}

static void
test_kiosk_session (Fixture *fixture, gconstpointer data)
{
  g_autoptr (LinliKiosk) kiosk = linli_kiosk_new (fixture->config);
  LinliSession *session = linli_kiosk_get_session (kiosk);
  g_autoptr (GError) error = NULL;
  g_autofree char *property = NULL;
  guint notified = 0;

  g_signal_connect (kiosk, "notify::staff-id", G_CALLBACK (count_notify), &notified);
  g_assert_true (linli_kiosk_get_staff_configured (kiosk));
  g_assert_null (linli_kiosk_get_staff_id (kiosk));
  g_assert_cmpint (linli_session_get_state (session), ==, LINLI_SESSION_STATE_IDLE);

  /* A wrong PIN: nobody signed in, but the visit has begun. */
  g_assert_false (kiosk_sign_in (kiosk, "GZ0042", "0000", &error));
  g_assert_error (error, LINLI_STAFF_AUTH_ERROR, LINLI_STAFF_AUTH_ERROR_UNKNOWN_OR_WRONG);
  g_clear_error (&error);
  g_assert_null (linli_kiosk_get_staff_id (kiosk));
  g_assert_cmpint (linli_session_get_state (session), ==, LINLI_SESSION_STATE_ACTIVE);
  linli_kiosk_finish_session (kiosk);

  /* Signing in begins the session; finishing it signs out. */
  g_assert_true (kiosk_sign_in (kiosk, "gz0042", PIN, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (linli_kiosk_get_staff_id (kiosk), ==, "GZ0042");
  g_object_get (kiosk, "staff-id", &property, NULL);
  g_assert_cmpstr (property, ==, "GZ0042");
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpint (linli_session_get_state (session), ==, LINLI_SESSION_STATE_ACTIVE);
  linli_kiosk_finish_session (kiosk);
  g_assert_null (linli_kiosk_get_staff_id (kiosk));
  g_assert_cmpuint (notified, ==, 2);
  g_assert_cmpuint (count_records (fixture, "staff-signed-out", "GZ0042: finished"), ==, 1);

  /* Signing out by hand keeps the visit. */
  g_assert_true (kiosk_sign_in (kiosk, "GZ0043", OTHER_PIN, &error));
  linli_kiosk_sign_out_staff (kiosk);
  g_assert_null (linli_kiosk_get_staff_id (kiosk));
  g_assert_cmpint (linli_session_get_state (session), ==, LINLI_SESSION_STATE_ACTIVE);
  g_assert_cmpuint (count_records (fixture, "staff-signed-out", "GZ0043: signed out"), ==, 1);

  /* A second staff member signing in signs the first out. */
  g_assert_true (kiosk_sign_in (kiosk, "GZ0042", PIN, &error));
  g_assert_true (kiosk_sign_in (kiosk, "GZ0043", OTHER_PIN, &error));
  g_assert_cmpstr (linli_kiosk_get_staff_id (kiosk), ==, "GZ0043");
  g_assert_cmpuint (count_records (fixture, "staff-signed-out", "GZ0042: another"), ==, 1);

  /* Shutting down signs out too (the session reports the end as
   * "finished"). */
  g_clear_object (&kiosk);
  g_assert_cmpuint (count_records (fixture, "staff-signed-out", "GZ0043: finished"), ==, 1);
}

/* The session ending while the PIN is being checked: the check counts
 * for nothing and nobody is signed in. */
static void
test_kiosk_session_ends_during_check (Fixture *fixture, gconstpointer data)
{
  g_autoptr (LinliKiosk) kiosk = linli_kiosk_new (fixture->config);
  Result r = { 0 };

  linli_kiosk_sign_in_staff_async (kiosk, "GZ0042", PIN, NULL, on_kiosk_signed_in, &r);
  linli_kiosk_finish_session (kiosk);
  while (!r.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (r.ok);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&r.error);
  g_assert_null (linli_kiosk_get_staff_id (kiosk));
  g_assert_cmpuint (count_records (fixture, "staff-signed-in", NULL), ==, 0);
  g_assert_cmpuint (count_records (fixture, "staff-pin-wrong", NULL), ==, 0);
  /* And the next sign-in is taken. */
  g_assert_true (kiosk_sign_in (kiosk, "GZ0042", PIN, NULL));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/staff-auth/normalize", test_normalize);
  g_test_add_func ("/staff-auth/lockout-cap", test_lockout_cap);
#define ADD(path, func) \
  g_test_add ("/staff-auth/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("roster", test_roster);
  ADD ("not-configured", test_not_configured);
  ADD ("right-wrong-unknown", test_right_wrong_unknown);
  ADD ("lockout", test_lockout);
  ADD ("migration-from-1", test_migration_from_1);
  ADD ("kiosk-session", test_kiosk_session);
  ADD ("kiosk-session-ends-during-check", test_kiosk_session_ends_during_check);
#undef ADD
  return g_test_run ();
}
