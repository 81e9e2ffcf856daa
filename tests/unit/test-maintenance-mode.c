/* test-maintenance-mode.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Maintenance mode on a real LinliKiosk with a real audit file: entering
 * ends the resident's session, a wrong PIN keeps it closed, the card test
 * shows type and masked number without starting a session, every action
 * is audited, and "restart" exits with its own status. The inactivity
 * timeouts of the PIN pad and of the page run on short configured times
 * ([maintenance] pin-timeout and idle-timeout, 2 s); the camera snapshot
 * is a real picture from a videotestsrc camera.
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
  conf = g_strdup_printf ("[voice]\nsink=fakesink\n[devices]\nprinter=linli-q\n"
                          "camera-source=%s\n[maintenance]\npin-hash=%s\naudit-db=%s\n"
                          "idle-timeout=2\npin-timeout=2\n",
                          data != NULL ? (const char *) data : "videotestsrc", hash,
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

static gboolean
tick (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop until *flag is set or @seconds have passed. */
static gboolean
wait_flag (const gboolean *flag, double seconds)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);
  /* Wakes the loop so the deadline is seen without other events. */
  guint wake = g_timeout_add (50, tick, NULL);

  while (!*flag && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
  return *flag;
}

static void
on_flag (gpointer instance, gboolean *flag)
{
  *flag = TRUE;
}

static void
on_active (LinliMaintenanceMode *mode, GParamSpec *pspec, gboolean *left)
{
  if (!linli_maintenance_mode_get_active (mode))
    *left = TRUE;
}

static void
test_timeouts (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) names = NULL;
  gboolean timed_out = FALSE;
  gboolean left = FALSE;
  gint64 start;

  g_signal_connect (fixture->mode, "entry-timed-out", G_CALLBACK (on_flag), &timed_out);
  g_signal_connect (fixture->mode, "notify::active", G_CALLBACK (on_active), &left);

  /* The pad shown, then closed: no timeout after it is gone. */
  g_assert_cmpint (linli_maintenance_mode_get_locked_seconds (fixture->mode), ==, 0);
  linli_maintenance_mode_begin_entry (fixture->mode);
  linli_maintenance_mode_end_entry (fixture->mode);
  g_assert_false (wait_flag (&timed_out, 3.5));

  /* Left untouched: closed after the 2 s, not before. */
  start = g_get_monotonic_time ();
  linli_maintenance_mode_begin_entry (fixture->mode);
  g_assert_true (wait_flag (&timed_out, 5.0));
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 19 * G_USEC_PER_SEC / 10);

  /* Touched after 1.5 s: the 2 s start again from the touch. */
  timed_out = FALSE;
  start = g_get_monotonic_time ();
  linli_maintenance_mode_begin_entry (fixture->mode);
  g_assert_false (wait_flag (&timed_out, 1.5));
  linli_maintenance_mode_note_activity (fixture->mode);
  g_assert_true (wait_flag (&timed_out, 5.0));
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 34 * G_USEC_PER_SEC / 10);

  /* The page: kept open by input, left after 2 s without. */
  linli_maintenance_mode_begin_entry (fixture->mode);
  g_assert_true (enter (fixture, PIN, &error));
  g_assert_no_error (error);
  timed_out = FALSE;
  for (int i = 0; i < 3; i++)
    {
      g_assert_false (wait_flag (&left, 1.2));
      linli_maintenance_mode_note_activity (fixture->mode);
    }
  /* Entering stopped the pad's timer. */
  g_assert_false (timed_out);
  g_assert_true (linli_maintenance_mode_get_active (fixture->mode));
  start = g_get_monotonic_time ();
  g_assert_true (wait_flag (&left, 5.0));
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 19 * G_USEC_PER_SEC / 10);
  g_assert_false (linli_maintenance_mode_get_active (fixture->mode));
  /* Out of maintenance, input starts no timer. */
  linli_maintenance_mode_note_activity (fixture->mode);
  g_assert_false (wait_flag (&timed_out, 2.5));

  names = actions (fixture);
  g_assert_true (has (names, "maintenance-timeout:PIN pad closed after 2 s without input"));
  g_assert_true (has (names, "maintenance-timeout:maintenance left after 2 s without input"));
  g_assert_false (has (names, "maintenance-exited:"));
}

typedef struct
{
  gboolean done;
  GBytes *jpeg;
  int width;
  int height;
  GError *error;
} Snapshot;

static void
on_snapshot (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Snapshot *snapshot = user_data;

  snapshot->jpeg = linli_maintenance_mode_camera_snapshot_finish (
      LINLI_MAINTENANCE_MODE (source), result, &snapshot->width, &snapshot->height,
      &snapshot->error);
  snapshot->done = TRUE;
}

static void
snap (Fixture *fixture, Snapshot *snapshot)
{
  linli_maintenance_mode_camera_snapshot_async (fixture->mode, NULL, on_snapshot, snapshot);
  g_assert_true (wait_flag (&snapshot->done, 30.0));
}

static void
test_camera_snapshot (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) names = NULL;
  Snapshot before = { 0 }, picture = { 0 };
  const guint8 *bytes;

  /* Not before the PIN. */
  snap (fixture, &before);
  g_assert_null (before.jpeg);
  g_assert_error (before.error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&before.error);

  g_assert_true (enter (fixture, PIN, &error));
  snap (fixture, &picture);
  g_assert_no_error (picture.error);
  g_assert_nonnull (picture.jpeg);
  bytes = g_bytes_get_data (picture.jpeg, NULL);
  g_assert_cmpuint (g_bytes_get_size (picture.jpeg), >, 1000);
  g_assert_cmpuint (bytes[0], ==, 0xff);
  g_assert_cmpuint (bytes[1], ==, 0xd8);
  g_assert_cmpint (picture.width, >, 0);
  g_assert_cmpint (picture.height, >, 0);
  g_bytes_unref (picture.jpeg);
  linli_maintenance_mode_exit (fixture->mode);

  names = actions (fixture);
  g_assert_true (has (names, "camera-snapshot:videotestsrc"));
  for (guint i = 0; i < names->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (names, i), "camera-snapshot-taken:"))
      return;
  g_assert_not_reached ();
}

static void
test_camera_snapshot_fails (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) names = NULL;
  Snapshot picture = { 0 };
  gboolean audited = FALSE;

  g_assert_true (enter (fixture, PIN, &error));
  snap (fixture, &picture);
  g_assert_null (picture.jpeg);
  g_assert_nonnull (picture.error);
  g_clear_error (&picture.error);
  names = actions (fixture);
  for (guint i = 0; i < names->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (names, i), "camera-snapshot-failed:"))
      audited = TRUE;
  g_assert_true (audited);
}

static void
test_device_names (Fixture *fixture, gconstpointer data)
{
  GListModel *devices = linli_kiosk_get_devices (fixture->kiosk);
  guint checked = 0;

  for (guint i = 0; i < g_list_model_get_n_items (devices); i++)
    {
      g_autoptr (GObject) device = g_list_model_get_item (devices, i);
      g_autofree char *line = linli_maintenance_mode_describe_device (fixture->mode, device);
      g_autofree char *english_name = NULL;

      g_object_get (device, "name", &english_name, NULL);
      /* devices/ says "Printer (linli-q)"; the screen says the kind in
       * the kiosk's language and keeps the queue (LANG=C here: the
       * msgids, which the zh_CN catalog translates). */
      if (g_str_equal (english_name, "Printer (linli-q)"))
        {
          g_assert_true (g_str_has_prefix (line, "Printer (linli-q): "));
          checked++;
        }
      else if (g_str_equal (english_name, "Camera"))
        {
          g_assert_true (g_str_has_prefix (line, "Document camera: "));
          checked++;
        }
    }
  g_assert_cmpuint (checked, ==, 2);
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
  g_test_add ("/maintenance-mode/timeouts", Fixture, NULL, fixture_set_up, test_timeouts,
              fixture_tear_down);
  g_test_add ("/maintenance-mode/camera-snapshot", Fixture, NULL, fixture_set_up,
              test_camera_snapshot, fixture_tear_down);
  g_test_add ("/maintenance-mode/camera-snapshot-fails", Fixture,
              "filesrc location=/nonexistent/linli.png ! pngdec", fixture_set_up,
              test_camera_snapshot_fails, fixture_tear_down);
  g_test_add ("/maintenance-mode/device-names", Fixture, NULL, fixture_set_up, test_device_names,
              fixture_tear_down);
  g_test_add_func ("/maintenance-mode/not-configured", test_not_configured);
  return g_test_run ();
}
