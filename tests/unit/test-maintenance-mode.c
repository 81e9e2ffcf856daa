/* test-maintenance-mode.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Maintenance mode on a real LinliKiosk with a real audit file: entering
 * ends the resident's session, a wrong PIN keeps it closed, the card test
 * shows type and masked number without starting a session, every action
 * is audited, and "restart" exits with its own status.
 */
#include <glib/gstdio.h>

#include "linli-audit.h"
#include "linli-maintainer-auth.h"
#include "linli-maintenance-mode.h"

#define PIN "246810"

typedef struct
{
  char *dir;
  char *audit_path;
  LinliKiosk *kiosk;
  LinliMaintenanceMode *mode;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *hash = linli_maintainer_auth_hash_pin (PIN, &error);
  g_autoptr (LinliConfig) config = linli_config_new ();
  g_autofree char *conf = NULL;

  fixture->dir = g_dir_make_tmp ("linli-maint-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->audit_path = g_build_filename (fixture->dir, "audit.db", NULL);
  conf = g_strdup_printf ("[voice]\nsink=fakesink\n[maintenance]\npin-hash=%s\naudit-db=%s\n", hash,
                          fixture->audit_path);
  g_assert_true (linli_config_load_data (config, conf, -1, "test", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (linli_config_get_problems (config)->len, ==, 0);
  fixture->kiosk = linli_kiosk_new (config);
  fixture->mode = linli_kiosk_get_maintenance (fixture->kiosk);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  const char *suffixes[] = { "", "-wal", "-shm" };

  g_clear_object (&fixture->kiosk);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (fixture->audit_path, suffixes[i], NULL);
      g_remove (file);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->audit_path);
}

typedef struct
{
  gboolean done;
  gboolean ok;
  GError *error;
} Result;

static void
on_entered (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Result *r = user_data;

  r->ok = linli_maintenance_mode_enter_finish (LINLI_MAINTENANCE_MODE (source), result, NULL,
                                               &r->error);
  r->done = TRUE;
}

static gboolean
enter (Fixture *fixture, const char *pin, GError **error)
{
  Result r = { 0 };

  linli_maintenance_mode_enter_async (fixture->mode, pin, NULL, on_entered, &r);
  while (!r.done)
    g_main_context_iteration (NULL, TRUE);
  if (r.error != NULL)
    g_propagate_error (error, r.error);
  return r.ok;
}

static GPtrArray *
actions (Fixture *fixture)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliAudit) audit = linli_audit_open (fixture->audit_path, &error);
  g_autoptr (GPtrArray) records = NULL;
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);

  g_assert_no_error (error);
  g_assert_true (linli_audit_verify (audit, NULL, NULL, &error));
  records = linli_audit_recent (audit, 100, &error);
  for (guint i = records->len; i > 0; i--)
    {
      LinliAuditRecord *record = g_ptr_array_index (records, i - 1);
      g_ptr_array_add (names, g_strdup_printf ("%s:%s", record->action, record->detail));
    }
  return names;
}

static gboolean
has (GPtrArray *names, const char *entry)
{
  for (guint i = 0; i < names->len; i++)
    if (g_str_equal (g_ptr_array_index (names, i), entry))
      return TRUE;
  return FALSE;
}

static void
on_card_tested (LinliMaintenanceMode *mode, const char *description, char **out)
{
  g_free (*out);
  *out = g_strdup (description);
}

static void
test_enter_and_actions (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) names = NULL;
  g_autofree char *tested = NULL;
  LinliSession *session = linli_kiosk_get_session (fixture->kiosk);

  g_assert_true (linli_maintenance_mode_is_configured (fixture->mode));
  g_assert_false (linli_maintenance_mode_get_active (fixture->mode));

  /* A resident was being served: the attempt itself ends the visit. */
  linli_kiosk_start_session (fixture->kiosk);
  g_assert_false (enter (fixture, "111111", &error));
  g_assert_error (error, LINLI_MAINTAINER_AUTH_ERROR, LINLI_MAINTAINER_AUTH_ERROR_WRONG_PIN);
  g_clear_error (&error);
  g_assert_cmpint (linli_session_get_state (session), ==, LINLI_SESSION_STATE_IDLE);
  g_assert_false (linli_maintenance_mode_get_active (fixture->mode));

  g_assert_true (enter (fixture, PIN, &error));
  g_assert_no_error (error);
  g_assert_true (linli_maintenance_mode_get_active (fixture->mode));

  /* Cards: ignored until the test is armed, then described once. */
  g_signal_connect (fixture->mode, "card-tested", G_CALLBACK (on_card_tested), &tested);
  g_assert_true (linli_maintenance_mode_take_card (fixture->mode, "id-card", "1101**********0021"));
  g_assert_null (tested);
  linli_maintenance_mode_arm_card_test (fixture->mode);
  g_assert_true (linli_maintenance_mode_take_card (fixture->mode, "id-card", "1101**********0021"));
  g_assert_cmpstr (tested, ==, "id-card 1101**********0021");
  g_assert_cmpint (linli_session_get_state (session), ==, LINLI_SESSION_STATE_IDLE);

  linli_maintenance_mode_voice_test (fixture->mode);
  linli_maintenance_mode_retry_outbox (fixture->mode);
  g_assert_cmpuint (linli_maintenance_mode_get_outbox_depth (fixture->mode), ==, 0);
  g_assert_cmpint (linli_maintenance_mode_get_last_heartbeat (fixture->mode), ==, 0);
  g_assert_nonnull (linli_maintenance_mode_get_paper_text (fixture->mode));

  linli_maintenance_mode_exit (fixture->mode);
  g_assert_false (linli_maintenance_mode_get_active (fixture->mode));
  /* Out of maintenance a card is the kiosk's again. */
  g_assert_false (linli_maintenance_mode_take_card (fixture->mode, "id-card", "x"));

  names = actions (fixture);
  g_assert_true (has (names, "pin-wrong:wrong PIN 1 of 5"));
  g_assert_true (has (names, "pin-accepted:"));
  g_assert_true (has (names, "maintenance-entered:"));
  g_assert_true (has (names, "card-test:waiting for a card"));
  /* The type only: not even the masked number is audited. */
  g_assert_true (has (names, "card-test-read:id-card"));
  g_assert_true (has (names, "voice-test:"));
  g_assert_true (has (names, "outbox-retry:0 waiting"));
  g_assert_true (has (names, "maintenance-exited:"));
}

static void
test_restart (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (enter (fixture, PIN, &error));
  /* A fresh process (not fork: the sanitizers' leak check would see a
   * forked child's missing threads). GLib cannot give the exit status, so
   * the child says it; the parent sees a non-zero exit and the audit. */
  if (g_test_subprocess ())
    linli_maintenance_mode_restart (fixture->mode);
  /* The child has a fixture (and audit file) of its own: its journal line
   * shows the record was committed before the exit. */
  g_setenv ("G_MESSAGES_DEBUG", "linli-audit linli-maintenance", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_unsetenv ("G_MESSAGES_DEBUG");
  g_test_trap_assert_failed ();
  /* GLib's default writer: info to stdout, messages to stderr. */
  g_test_trap_assert_stdout ("*maintainer restart (chain *");
  g_test_trap_assert_stderr ("*restarting at the maintainer's request (exit status 75)*");
}

static void
test_not_configured (void)
{
  g_autoptr (LinliConfig) config = linli_config_new ();
  g_autoptr (LinliKiosk) kiosk = NULL;

  g_assert_true (linli_config_load_data (config, "[voice]\nsink=fakesink\n", -1, "t", NULL));
  kiosk = linli_kiosk_new (config);
  g_assert_false (linli_maintenance_mode_is_configured (linli_kiosk_get_maintenance (kiosk)));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/maintenance-mode/enter-and-actions", Fixture, NULL, fixture_set_up,
              test_enter_and_actions, fixture_tear_down);
  g_test_add ("/maintenance-mode/restart", Fixture, NULL, fixture_set_up, test_restart,
              fixture_tear_down);
  g_test_add_func ("/maintenance-mode/not-configured", test_not_configured);
  return g_test_run ();
}
