/* test-heartbeat-reporter.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The kiosk's heartbeat against the real platform simulator (run under
 * tests/rigs/platform-rig.sh): a LinliKiosk with a one-second interval
 * sends heartbeats; the simulator's control port gives back the last body,
 * which must carry the version, uptime, every device, the paper, the
 * outbox and the counters — the errors counted once, not twice.
 */
#include "linli-build-config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <stdlib.h>

#include "linli-heartbeat-reporter.h"
#include "linli-kiosk-private.h"
#include "linli-log-ring.h"

static JsonObject *
last_heartbeat (void)
{
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strdup_printf ("%s/heartbeats/last", g_getenv ("LINLI_SIM_CONTROL"));
  g_autoptr (SoupMessage) message = soup_message_new ("GET", url);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = soup_session_send_and_read (session, message, NULL, &error);
  g_autoptr (JsonNode) node = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, 200);
  node = json_from_string (g_bytes_get_data (body, NULL), &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (node));
}

static void
wait_for_success (LinliHeartbeatReporter *reporter, gint64 after)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (linli_heartbeat_reporter_get_last_success (reporter) <= after)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
test_heartbeat (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("linli-heartbeat-XXXXXX", &error);
  g_autoptr (LinliConfig) config = linli_config_new ();
  g_autofree char *conf = NULL;
  g_autoptr (LinliKiosk) kiosk = NULL;
  LinliHeartbeatReporter *reporter;
  LinliLogRing *ring = linli_log_ring_get_default ();
  g_autoptr (JsonObject) body = NULL;
  JsonArray *devices;
  gboolean printer_seen = FALSE;
  gint64 first;

  g_assert_no_error (error);
  conf = g_strdup_printf ("[kiosk]\nid=%s\n[devices]\nprinter=linli-no-such-queue\n"
                          "[voice]\nsink=fakesink\n"
                          "[platform]\nurl=%s\nca=%s\ncert=%s\nkey=%s\noutbox=%s/outbox.sqlite\n"
                          "cache-dir=%s/cache\nheartbeat-interval=1\n",
                          g_getenv ("LINLI_PLATFORM_KIOSK_ID"), g_getenv ("LINLI_PLATFORM_URL"),
                          g_getenv ("LINLI_PLATFORM_CA"), g_getenv ("LINLI_PLATFORM_CERT"),
                          g_getenv ("LINLI_PLATFORM_KEY"), dir, dir);
  g_assert_true (linli_config_load_data (config, conf, -1, "test", &error));
  g_assert_no_error (error);
  kiosk = linli_kiosk_new (config);
  reporter = linli_kiosk_get_heartbeat_reporter (kiosk);
  g_assert_cmpuint (linli_heartbeat_reporter_get_interval (reporter), ==, 1);
  g_assert_cmpint (linli_heartbeat_reporter_get_last_success (reporter), ==, 0);

  /* Two problems logged before the first heartbeat (not through
   * g_warning: the test framework makes warnings fatal). */
  linli_log_ring_add (ring, G_LOG_LEVEL_WARNING, "linli-test", "first problem");
  linli_log_ring_add (ring, G_LOG_LEVEL_CRITICAL, "linli-test", "second problem");

  linli_kiosk_start_platform (kiosk);
  wait_for_success (reporter, 0);
  g_assert_null (linli_heartbeat_reporter_get_last_error (reporter));

  body = last_heartbeat ();
  g_assert_cmpstr (json_object_get_string_member (body, "kiosk_id"), ==,
                   g_getenv ("LINLI_PLATFORM_KIOSK_ID"));
  g_assert_cmpstr (json_object_get_string_member (body, "version"), ==, LINLI_VERSION);
  g_assert_true (json_object_has_member (body, "uptime_s"));
  g_assert_cmpint (json_object_get_int_member (body, "uptime_s"), <, 60);
  /* The printer has not been probed: unknown, not "ok". */
  g_assert_cmpstr (json_object_get_string_member (body, "paper"), ==, "unknown");
  g_assert_cmpint (
      json_object_get_int_member (json_object_get_object_member (body, "outbox"), "depth"), ==, 0);
  g_assert_cmpint (
      json_object_get_int_member (json_object_get_object_member (body, "counters"), "sessions"), ==,
      0);
  g_assert_cmpint (
      json_object_get_int_member (json_object_get_object_member (body, "counters"), "errors"), ==,
      2);
  devices = json_object_get_array_member (body, "devices");
  g_assert_cmpuint (json_array_get_length (devices), ==,
                    g_list_model_get_n_items (linli_kiosk_get_devices (kiosk)));
  for (guint i = 0; i < json_array_get_length (devices); i++)
    {
      JsonObject *device = json_array_get_object_element (devices, i);

      g_assert_true (json_object_has_member (device, "state"));
      if (g_str_equal (json_object_get_string_member (device, "kind"), "printer"))
        printer_seen = TRUE;
    }
  g_assert_true (printer_seen);

  /* A session served, then the next heartbeat: one session, and the two
   * errors already reported are not counted again. */
  linli_kiosk_start_session (kiosk);
  linli_kiosk_finish_session (kiosk);
  first = linli_heartbeat_reporter_get_last_success (reporter);
  wait_for_success (reporter, first);
  g_clear_pointer (&body, json_object_unref);
  body = last_heartbeat ();
  g_assert_cmpint (
      json_object_get_int_member (json_object_get_object_member (body, "counters"), "sessions"), ==,
      1);
  g_assert_cmpint (
      json_object_get_int_member (json_object_get_object_member (body, "counters"), "errors"), ==,
      0);

  g_clear_object (&kiosk);
  {
    g_autofree char *outbox = g_build_filename (dir, "outbox.sqlite", NULL);
    g_autofree char *cache = g_build_filename (dir, "cache", NULL);
    g_remove (outbox);
    g_rmdir (cache);
    g_rmdir (dir);
  }
}

int
main (int argc, char **argv)
{
  g_autoptr (LinliLogRing) ring = linli_log_ring_new (LINLI_LOG_RING_CAPACITY);

  g_test_init (&argc, &argv, NULL);
  if (g_getenv ("LINLI_PLATFORM_URL") == NULL || g_getenv ("LINLI_SIM_CONTROL") == NULL)
    {
      g_printerr ("not under tests/rigs/platform-rig.sh\n");
      return g_getenv ("CI") != NULL ? EXIT_FAILURE : 77;
    }
  linli_log_ring_install (ring);
  g_test_add_func ("/heartbeat-reporter/to-simulator", test_heartbeat);
  return g_test_run ();
}
