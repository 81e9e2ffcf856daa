/* test-heartbeat-reporter.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The kiosk's heartbeat against the real platform simulator (run under
 * tests/rigs/platform-rig.sh): a LinliKiosk with a one-second interval
 * sends heartbeats; the simulator's control port gives back the last body,
 * which must carry the version, uptime, every device, the paper, the
 * outbox and the counters — the errors counted once, not twice. A second
 * kiosk (also under tests/rigs/cupsd-rig.sh) identifies a resident, pays
 * a real bill of the simulator (paid through its control port) and prints
 * the payment receipt on a CUPS queue: the counters say 1, 1, 1, 1, and
 * the flows the kiosk does not have yet stay 0.
 */
#include "linli-build-config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <sqlite3.h>
#include <stdlib.h>

#include "linli-device.h"
#include "linli-heartbeat-reporter.h"
#include "linli-identity.h"
#include "linli-kiosk-private.h"
#include "linli-log-ring.h"
#include "linli-printout-private.h"

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

/* ---- the counters ---- */

static char *
sim_query (const char *sql, const char *parameter, gint64 *number)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *statement = NULL;
  char *text = NULL;

  g_assert_cmpint (sqlite3_open_v2 (g_getenv ("LINLI_SIM_DB"), &db, SQLITE_OPEN_READONLY, NULL), ==,
                   SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &statement, NULL), ==, SQLITE_OK);
  if (parameter != NULL)
    sqlite3_bind_text (statement, 1, parameter, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (statement) == SQLITE_ROW)
    {
      text = g_strdup ((const char *) sqlite3_column_text (statement, 0));
      if (number != NULL)
        *number = sqlite3_column_int64 (statement, 1);
    }
  sqlite3_finalize (statement);
  sqlite3_close (db);
  return text;
}

static void
control_post (const char *path)
{
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strdup_printf ("%s%s", g_getenv ("LINLI_SIM_CONTROL"), path);
  g_autoptr (SoupMessage) message = soup_message_new ("POST", url);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = soup_session_send_and_read (session, message, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), <, 300);
}

static void
wait_for_step (LinliPayment *payment, LinliPaymentStep step)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (linli_payment_get_step (payment) != step)
    {
      g_assert_cmpint (linli_payment_get_step (payment), !=, LINLI_PAYMENT_STEP_FAILED);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
on_printed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GError **error = user_data;

  if (!linli_kiosk_print_finish (LINLI_KIOSK (source), result, error) && *error == NULL)
    g_assert_not_reached ();
  g_object_set_data (source, "printed", GINT_TO_POINTER (1));
}

static gint64
counter (JsonObject *body, const char *name)
{
  return json_object_get_int_member (json_object_get_object_member (body, "counters"), name);
}

static void
test_counters (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("linli-heartbeat-XXXXXX", &error);
  g_autoptr (LinliConfig) config = linli_config_new ();
  g_autofree char *conf = NULL;
  g_autoptr (LinliKiosk) kiosk = NULL;
  LinliHeartbeatReporter *reporter;
  GListModel *devices;
  g_autoptr (LinliDevice) reader = NULL;
  LinliIdentityBuilder *builder;
  g_autoptr (LinliIdentity) identity = NULL;
  g_autofree char *bill_id = NULL;
  g_autofree char *order_id = NULL;
  g_autofree char *path = NULL;
  g_autoptr (LinliPrintout) bill = NULL;
  g_autoptr (LinliPayment) payment = NULL;
  g_autoptr (JsonObject) body = NULL;
  gint64 amount = 0, last;
  guint64 identifications, created, paid, receipts;

  g_assert_no_error (error);
  if (g_getenv ("CUPS_RIG_QUEUE") == NULL)
    {
      g_test_skip ("not under tests/rigs/cupsd-rig.sh");
      return;
    }
  conf = g_strdup_printf ("[kiosk]\nid=%s\n[devices]\nprinter=%s\n[voice]\nsink=fakesink\n"
                          "[platform]\nurl=%s\nca=%s\ncert=%s\nkey=%s\noutbox=%s/outbox.sqlite\n"
                          "cache-dir=%s/cache\nheartbeat-interval=1\n",
                          g_getenv ("LINLI_PLATFORM_KIOSK_ID"), g_getenv ("CUPS_RIG_QUEUE"),
                          g_getenv ("LINLI_PLATFORM_URL"), g_getenv ("LINLI_PLATFORM_CA"),
                          g_getenv ("LINLI_PLATFORM_CERT"), g_getenv ("LINLI_PLATFORM_KEY"), dir,
                          dir);
  g_assert_true (linli_config_load_data (config, conf, -1, "test", &error));
  kiosk = linli_kiosk_new (config);
  reporter = linli_kiosk_get_heartbeat_reporter (kiosk);
  linli_kiosk_start_platform (kiosk);
  wait_for_success (reporter, 0);

  /* A resident's card, as the reader hands it to the kiosk (no pcscd
   * here: the reader itself is the device tests' business). */
  linli_kiosk_start_readers (kiosk);
  devices = linli_kiosk_get_devices (kiosk);
  for (guint i = 0; i < g_list_model_get_n_items (devices) && reader == NULL; i++)
    {
      g_autoptr (LinliDevice) device = g_list_model_get_item (devices, i);
      if (linli_device_get_kind (device) == LINLI_DEVICE_KIND_CARD_READER
          || linli_device_get_kind (device) == LINLI_DEVICE_KIND_ID_READER)
        reader = g_steal_pointer (&device);
    }
  g_assert_nonnull (reader);
  builder = linli_identity_builder_new (LINLI_CARD_TYPE_RESIDENT_ID, "test");
  linli_identity_builder_set_name (builder, "李秀英");
  linli_identity_builder_set_id_number (builder, "11010519491231002X");
  linli_identity_builder_set_validity (builder, "2010-01-01", "long-term");
  identity = linli_identity_builder_end (builder, &error);
  g_assert_no_error (error);
  g_signal_emit_by_name (reader, "card-read", identity);
  g_assert_cmpint (linli_session_get_state (linli_kiosk_get_session (kiosk)), !=,
                   LINLI_SESSION_STATE_IDLE);

  /* A real bill of the simulator, paid by the "phone" (its control port). */
  bill_id = sim_query ("SELECT bill_id, amount_fen FROM bills WHERE status = 'unpaid'"
                       " ORDER BY bill_id LIMIT 1",
                       NULL, &amount);
  g_assert_nonnull (bill_id);
  bill = linli_printout_new ("bill", NULL);
  linli_printout_set_payable (bill, LINLI_PAYABLE_UTILITY_BILL, bill_id, amount, "水费", NULL,
                              NULL);
  payment = linli_kiosk_start_payment (kiosk, bill, &error);
  g_assert_no_error (error);
  wait_for_step (payment, LINLI_PAYMENT_STEP_WAITING);
  linli_heartbeat_reporter_get_counters (reporter, NULL, &created, &paid, NULL);
  g_assert_cmpuint (created, ==, 1);
  g_assert_cmpuint (paid, ==, 0);
  order_id
      = sim_query ("SELECT order_id, 0 FROM payment_orders WHERE payable_id = ?", bill_id, NULL);
  g_assert_nonnull (order_id);
  path = g_strdup_printf ("/payments/%s/pay", order_id);
  control_post (path);
  wait_for_step (payment, LINLI_PAYMENT_STEP_PAID);

  /* Its receipt out of the printer. */
  linli_kiosk_print_async (kiosk, linli_payment_get_receipt (payment), NULL, on_printed, &error);
  while (g_object_get_data (G_OBJECT (kiosk), "printed") == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (error);
  linli_kiosk_finish_session (kiosk);

  linli_heartbeat_reporter_get_counters (reporter, &identifications, &created, &paid, &receipts);
  g_assert_cmpuint (identifications, ==, 1);
  g_assert_cmpuint (created, ==, 1);
  g_assert_cmpuint (paid, ==, 1);
  g_assert_cmpuint (receipts, ==, 1);

  /* What the kiosk wrote to the outbox (an application, a certification). */
  linli_heartbeat_reporter_count_submission (reporter, "application");
  linli_heartbeat_reporter_count_submission (reporter, "pension-certification");
  linli_heartbeat_reporter_count_submission (reporter, "application");

  /* And so says the next heartbeat the platform receives. */
  last = linli_heartbeat_reporter_get_last_success (reporter);
  wait_for_success (reporter, last);
  body = last_heartbeat ();
  g_assert_cmpint (counter (body, "sessions"), ==, 1);
  g_assert_cmpint (counter (body, "identifications"), ==, 1);
  g_assert_cmpint (counter (body, "payments_created"), ==, 1);
  g_assert_cmpint (counter (body, "payments_paid"), ==, 1);
  g_assert_cmpint (counter (body, "receipts_printed"), ==, 1);
  g_assert_cmpint (counter (body, "applications_submitted"), ==, 2);
  g_assert_cmpint (counter (body, "certifications_submitted"), ==, 1);
  g_assert_cmpint (counter (body, "evaluations_submitted"), ==, 0);

  g_clear_object (&payment);
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
  g_test_add_func ("/heartbeat-reporter/counters", test_counters);
  return g_test_run ();
}
