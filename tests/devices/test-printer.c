/* test-printer.c: the printer's probe against a real, private cupsd.
 *
 * Run it under tests/rigs/cupsd-rig.sh, which exports CUPS_SERVER and
 * CUPS_RIG_QUEUE (a queue that is also the server's default). */
#include <gio/gio.h>
#include <string.h>

#include "linli-printer.h"
#include "probe-sync.h"

static const char *queue;

/* Runs a CUPS admin tool (cupsdisable, cupsenable…) on the rig's queue. */
static gboolean
run_cups_tool (const char *tool, const char *reason)
{
  g_autofree char *path = g_find_program_in_path (tool);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  int status = 0;

  if (path == NULL)
    path = g_build_filename ("/usr/sbin", tool, NULL);
  if (!g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip_printf ("%s not installed", tool);
      return FALSE;
    }

  g_ptr_array_add (argv, path);
  if (reason != NULL)
    {
      g_ptr_array_add (argv, "-r");
      g_ptr_array_add (argv, (char *) reason);
    }
  g_ptr_array_add (argv, (char *) queue);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status,
                &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);
  return TRUE;
}

static void
test_idle_queue (void)
{
  g_autoptr (LinliDevice) printer = linli_printer_new (queue);
  g_autofree char *name = g_strdup_printf ("Printer (%s)", queue);
  g_autofree char *detail = g_strdup_printf ("%s: idle", queue);

  g_assert_cmpstr (linli_device_get_name (printer), ==, name);
  g_assert_cmpint (linli_device_get_kind (printer), ==, LINLI_DEVICE_KIND_PRINTER);
  assert_probe_state (printer, LINLI_DEVICE_STATE_READY);
  g_assert_cmpstr (linli_device_get_detail (printer), ==, detail);
}

static void
test_default_queue (void)
{
  g_autoptr (LinliDevice) printer = linli_printer_new ("");
  g_autofree char *detail = g_strdup_printf ("%s: idle", queue);

  g_assert_cmpstr (linli_device_get_name (printer), ==, "Printer (default queue)");
  assert_probe_state (printer, LINLI_DEVICE_STATE_READY);
  g_assert_cmpstr (linli_device_get_detail (printer), ==, detail);
}

static void
test_stopped_queue (void)
{
  g_autoptr (LinliDevice) printer = linli_printer_new (queue);
  g_autofree char *detail = g_strdup_printf ("%s: stopped (paused): Paper jam", queue);

  if (!run_cups_tool ("cupsdisable", "Paper jam"))
    return;
  assert_probe_state (printer, LINLI_DEVICE_STATE_FAULT);
  g_assert_cmpstr (linli_device_get_detail (printer), ==, detail);

  /* And back: the state follows the queue, it is not latched. */
  run_cups_tool ("cupsenable", NULL);
  assert_probe_state (printer, LINLI_DEVICE_STATE_READY);
}

static void
test_rejecting_queue (void)
{
  g_autoptr (LinliDevice) printer = linli_printer_new (queue);

  if (!run_cups_tool ("cupsreject", "Out of paper"))
    return;
  assert_probe_state (printer, LINLI_DEVICE_STATE_FAULT);
  g_assert_true (strstr (linli_device_get_detail (printer), "not accepting jobs") != NULL);

  run_cups_tool ("cupsaccept", NULL);
  assert_probe_state (printer, LINLI_DEVICE_STATE_READY);
}

static void
test_missing_queue (void)
{
  g_autoptr (LinliDevice) printer = linli_printer_new ("linli-no-such-queue");

  assert_probe_state (printer, LINLI_DEVICE_STATE_ABSENT);
  g_assert_cmpstr (linli_device_get_detail (printer), ==,
                   "no CUPS queue named \"linli-no-such-queue\"");
}

/* A scheduler that is not there is a fault, not a missing queue. libcups
 * reads CUPS_SERVER once per thread, hence a fresh process. */
static void
test_no_scheduler (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr (GSocket) socket = NULL;
      g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
      g_autoptr (GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
      g_autoptr (GSocketAddress) bound = NULL;
      g_autoptr (LinliDevice) printer = NULL;
      g_autoptr (GError) error = NULL;
      g_autofree char *server = NULL;

      /* A port that is bound but not listening refuses connections, and no
       * other process can take it while the test runs. */
      socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                             &error);
      g_assert_no_error (error);
      g_socket_bind (socket, address, FALSE, &error);
      g_assert_no_error (error);
      bound = g_socket_get_local_address (socket, &error);
      g_assert_no_error (error);
      server = g_strdup_printf ("127.0.0.1:%u",
                                g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
      g_setenv ("CUPS_SERVER", server, TRUE);

      printer = linli_printer_new (queue);
      assert_probe_state (printer, LINLI_DEVICE_STATE_FAULT);
      g_assert_true (g_str_has_prefix (linli_device_get_detail (printer), "CUPS scheduler "));
      g_assert_true (strstr (linli_device_get_detail (printer), server) != NULL);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  queue = g_getenv ("CUPS_RIG_QUEUE");
  if (queue == NULL || g_getenv ("CUPS_SERVER") == NULL)
    {
      g_printerr ("test-printer: run me under tests/rigs/cupsd-rig.sh run -- …; skipping\n");
      return 77;
    }
  /* The default destination must be the rig's, not one from the caller. */
  g_unsetenv ("LPDEST");
  g_unsetenv ("PRINTER");

  g_test_add_func ("/printer/idle-queue", test_idle_queue);
  g_test_add_func ("/printer/default-queue", test_default_queue);
  g_test_add_func ("/printer/stopped-queue", test_stopped_queue);
  g_test_add_func ("/printer/rejecting-queue", test_rejecting_queue);
  g_test_add_func ("/printer/missing-queue", test_missing_queue);
  g_test_add_func ("/printer/no-scheduler", test_no_scheduler);

  return g_test_run ();
}
