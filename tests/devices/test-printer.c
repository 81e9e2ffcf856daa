/* test-printer.c: the printer's probe, idle polling and printing against
 * a real, private cupsd.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Run it under tests/rigs/cupsd-rig.sh, which exports CUPS_SERVER,
 * CUPS_RIG_QUEUE (a Generic-PDF queue writing CUPS_RIG_OUTPUT, also the
 * server's default), CUPS_RIG_DIR and CUPS_RIG_SCRIPT; faulty printers are
 * queues on the rig's linli-test backend. */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "linli-printer.h"
#include "probe-sync.h"

static const char *queue;
static const char *output;

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

/* Runs a program, failing the test unless it exits 0; returns stdout. */
static char *
run (const char *const *argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL, &status,
                &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&out);
}

/* A queue on the rig's faulty backend: linli-test:/paper-out, /jam, /slow. */
static void
add_fault_queue (const char *name, const char *fault)
{
  g_autofree char *uri = g_strdup_printf ("linli-test:/%s", fault);
  g_autofree char *lpadmin = g_find_program_in_path ("lpadmin");
  const char *argv[] = { lpadmin ? lpadmin : "/usr/sbin/lpadmin",
                         "-p",
                         name,
                         "-E",
                         "-v",
                         uri,
                         "-P",
                         "/usr/share/ppd/cupsfilters/Generic-PDF_Printer-PDF.ppd",
                         NULL };

  g_free (run (argv));
}

/* The jobs of QUEUE that are not completed (lpstat -o), as text. */
static char *
open_jobs (const char *name)
{
  const char *argv[] = { "lpstat", "-o", name, NULL };

  return run (argv);
}

/* A one-page PDF showing TEXT in Helvetica, offsets computed. */
static GBytes *
make_pdf (const char *text)
{
  GString *pdf = g_string_new ("%PDF-1.4\n");
  g_autofree char *stream = g_strdup_printf ("BT /F1 18 Tf 20 200 Td (%s) Tj ET", text);
  char *objects[5] = {
    g_strdup ("<< /Type /Catalog /Pages 2 0 R >>"),
    g_strdup ("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
    g_strdup ("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 226 300] "
              "/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"),
    g_strdup_printf ("<< /Length %zu >>\nstream\n%s\nendstream", strlen (stream), stream),
    g_strdup ("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"),
  };
  gsize offsets[5];
  gsize xref;

  for (int i = 0; i < 5; i++)
    {
      offsets[i] = pdf->len;
      g_string_append_printf (pdf, "%d 0 obj\n%s\nendobj\n", i + 1, objects[i]);
      g_free (objects[i]);
    }
  xref = pdf->len;
  g_string_append (pdf, "xref\n0 6\n0000000000 65535 f \n");
  for (int i = 0; i < 5; i++)
    g_string_append_printf (pdf, "%010zu 00000 n \n", offsets[i]);
  g_string_append_printf (pdf, "trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n",
                          xref);
  return g_string_free_to_bytes (pdf);
}

static void
print_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gboolean
print_sync (LinliDevice *printer, GBytes *document, GCancellable *cancellable, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  linli_printer_print_async (LINLI_PRINTER (printer), document, LINLI_PRINTER_FORMAT_PDF,
                             "Linli test", cancellable, print_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return linli_printer_print_finish (LINLI_PRINTER (printer), result, error);
}

/* Runs what workers queued for the main context (the paper property). */
static void
drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* A printer that does not poll, so that each test decides when to ask. */
static LinliDevice *
quiet_printer (const char *name)
{
  LinliDevice *printer = linli_printer_new (name);

  linli_printer_set_poll_interval (LINLI_PRINTER (printer), 0);
  return printer;
}

/* pdftotext of the rig's output file, or NULL (test skipped) without it. */
static char *
printed_text (void)
{
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
  const char *argv[] = { pdftotext, output, "-", NULL };

  if (pdftotext == NULL)
    {
      if (g_getenv ("CI") != NULL)
        g_error ("pdftotext not installed (poppler-utils)");
      g_test_skip ("pdftotext not installed (poppler-utils)");
      return NULL;
    }
  return run (argv);
}

/* Prints TEXT on the rig's PDF queue and checks it came out. */
static void
print_and_check (LinliDevice *printer, const char *text)
{
  g_autoptr (GBytes) pdf = make_pdf (text);
  g_autoptr (GError) error = NULL;
  g_autofree char *printed = NULL;
  gint64 start;

  /* The file: device rewrites the file: gone first, so it is this job's. */
  g_remove (output);
  start = g_get_monotonic_time ();
  g_assert_true (print_sync (printer, pdf, NULL, &error));
  g_assert_no_error (error);
  g_test_message ("submit -> completed: %.1f ms",
                  (double) (g_get_monotonic_time () - start) / 1000.0);
  g_assert_true (g_file_test (output, G_FILE_TEST_EXISTS));
  printed = printed_text ();
  if (printed != NULL)
    g_assert_nonnull (strstr (printed, text));
}

static void
test_print_pdf (void)
{
  g_autoptr (LinliDevice) printer = quiet_printer (queue);

  print_and_check (printer, "LINLI PRINT TEST 42");
  drain ();
  g_assert_cmpint (linli_printer_get_paper (LINLI_PRINTER (printer)), ==,
                   LINLI_PRINTER_PAPER_READY);
  g_assert_cmpint (linli_device_get_state (printer), ==, LINLI_DEVICE_STATE_READY);
}

/* The printer's state after a fault: probed, with the paper drained in. */
static void
assert_paper (LinliDevice *printer, LinliDeviceState state, LinliPrinterPaper paper)
{
  assert_probe_state (printer, state);
  drain ();
  g_assert_cmpstr (
      linli_printer_paper_to_string (linli_printer_get_paper (LINLI_PRINTER (printer))), ==,
      linli_printer_paper_to_string (paper));
}

static void
test_paper_out (void)
{
  g_autoptr (LinliDevice) printer = quiet_printer ("linli-paperout");
  g_autoptr (GBytes) pdf = make_pdf ("NO PAPER");
  g_autoptr (GError) error = NULL;
  g_autofree char *jobs = NULL;

  add_fault_queue ("linli-paperout", "paper-out");
  /* CUPS does not know yet: the queue looks ready until a job runs. */
  assert_paper (printer, LINLI_DEVICE_STATE_READY, LINLI_PRINTER_PAPER_READY);

  g_assert_false (print_sync (printer, pdf, NULL, &error));
  g_assert_error (error, LINLI_PRINTER_ERROR, LINLI_PRINTER_ERROR_PAPER_OUT);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  /* The failed job told the printer object at once. */
  drain ();
  g_assert_cmpint (linli_printer_get_paper (LINLI_PRINTER (printer)), ==, LINLI_PRINTER_PAPER_OUT);
  /* The receipt does not wait in the queue to come out for nobody. */
  jobs = open_jobs ("linli-paperout");
  g_assert_cmpstr (jobs, ==, "");

  assert_paper (printer, LINLI_DEVICE_STATE_FAULT, LINLI_PRINTER_PAPER_OUT);
  g_assert_nonnull (strstr (linli_device_get_detail (printer), "media-empty-error"));

  /* The next print is refused before it is queued. */
  g_assert_false (print_sync (printer, pdf, NULL, &error));
  g_assert_error (error, LINLI_PRINTER_ERROR, LINLI_PRINTER_ERROR_PAPER_OUT);
}

static void
test_jammed (void)
{
  g_autoptr (LinliDevice) printer = quiet_printer ("linli-jam");
  g_autoptr (GBytes) pdf = make_pdf ("JAM");
  g_autoptr (GError) error = NULL;

  add_fault_queue ("linli-jam", "jam");
  g_assert_false (print_sync (printer, pdf, NULL, &error));
  g_assert_error (error, LINLI_PRINTER_ERROR, LINLI_PRINTER_ERROR_JAMMED);
  assert_paper (printer, LINLI_DEVICE_STATE_FAULT, LINLI_PRINTER_PAPER_JAMMED);
}

/* The idle poll finds the trouble without anyone printing. */
static void
notify_paper (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  gboolean *changed = user_data;

  *changed = TRUE;
}

static gboolean
flag_timeout (gpointer user_data)
{
  gboolean *flag = user_data;

  *flag = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_idle_poll (void)
{
  g_autoptr (LinliDevice) printer = NULL;
  gboolean changed = FALSE;
  gboolean timed_out = FALSE;
  guint timeout_id;
  gint64 start;

  if (!run_cups_tool ("cupsdisable", "Paper jam"))
    return;
  printer = linli_printer_new (queue);
  g_assert_cmpuint (linli_printer_get_poll_interval (LINLI_PRINTER (printer)), ==, 10);
  g_signal_connect (printer, "notify::paper", G_CALLBACK (notify_paper), &changed);
  start = g_get_monotonic_time ();
  linli_printer_set_poll_interval (LINLI_PRINTER (printer), 1);
  timeout_id = g_timeout_add_seconds (5, flag_timeout, &timed_out);
  /* The paper is published from the probe's worker and the state when
   * the probe's task returns: wait for both, they arrive separately. */
  while (!(changed && linli_device_get_state (printer) == LINLI_DEVICE_STATE_FAULT) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (timeout_id);
  g_test_message ("poll saw the stop after %.0f ms",
                  (double) (g_get_monotonic_time () - start) / 1000.0);
  drain ();
  g_assert_cmpint (linli_printer_get_paper (LINLI_PRINTER (printer)), ==,
                   LINLI_PRINTER_PAPER_STOPPED);
  g_assert_cmpint (linli_device_get_state (printer), ==, LINLI_DEVICE_STATE_FAULT);

  run_cups_tool ("cupsenable", NULL);
}

static void
test_print_stopped (void)
{
  g_autoptr (LinliDevice) printer = quiet_printer (queue);
  g_autoptr (GBytes) pdf = make_pdf ("STOPPED");
  g_autoptr (GError) error = NULL;
  g_autofree char *jobs = NULL;

  if (!run_cups_tool ("cupsdisable", "Paper jam"))
    return;
  g_assert_false (print_sync (printer, pdf, NULL, &error));
  g_assert_error (error, LINLI_PRINTER_ERROR, LINLI_PRINTER_ERROR_STOPPED);
  g_assert_cmpstr (error->message, ==, "printer stopped: Paper jam");
  jobs = open_jobs (queue);
  g_assert_cmpstr (jobs, ==, "");
  run_cups_tool ("cupsenable", NULL);
}

/* cupsd restarted between two prints: the second still prints. */
static void
test_restart (void)
{
  g_autoptr (LinliDevice) printer = quiet_printer (queue);
  const char *argv[] = { g_getenv ("CUPS_RIG_SCRIPT"), "restart", g_getenv ("CUPS_RIG_DIR"), NULL };

  if (argv[0] == NULL || argv[2] == NULL)
    {
      g_test_skip ("the rig did not say how to restart it");
      return;
    }
  print_and_check (printer, "BEFORE RESTART");
  g_free (run (argv));
  print_and_check (printer, "AFTER RESTART");
}

static gboolean
cancel_later (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (void)
{
  g_autoptr (LinliDevice) printer = quiet_printer ("linli-slow");
  g_autoptr (GBytes) pdf = make_pdf ("SLOW");
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *jobs = NULL;
  gint64 start;

  add_fault_queue ("linli-slow", "slow");
  g_timeout_add_full (G_PRIORITY_DEFAULT, 500, cancel_later, g_object_ref (cancellable),
                      g_object_unref);
  start = g_get_monotonic_time ();
  g_assert_false (print_sync (printer, pdf, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* Cancelled at 0.5 s, answered at once, not after the 60 s job. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  jobs = open_jobs ("linli-slow");
  g_assert_cmpstr (jobs, ==, "");
}

static void
test_timeout (void)
{
  g_autoptr (LinliDevice) printer = quiet_printer ("linli-slow");
  g_autoptr (GBytes) pdf = make_pdf ("SLOW");
  g_autoptr (GError) error = NULL;
  g_autofree char *jobs = NULL;

  add_fault_queue ("linli-slow", "slow");
  linli_printer_set_job_timeout (LINLI_PRINTER (printer), 1);
  g_assert_false (print_sync (printer, pdf, NULL, &error));
  g_assert_error (error, LINLI_PRINTER_ERROR, LINLI_PRINTER_ERROR_TIMEOUT);
  jobs = open_jobs ("linli-slow");
  g_assert_cmpstr (jobs, ==, "");
}

/* The raw path (ESC/POS receipts): a queue to socket://, where a listener
 * thread plays the printer and keeps the bytes. */
static gpointer
listen_thread (gpointer data)
{
  GSocketListener *listener = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocketConnection) connection = NULL;
  GByteArray *bytes = g_byte_array_new ();
  guint8 buffer[4096];
  gssize n;

  connection = g_socket_listener_accept (listener, NULL, NULL, &error);
  g_assert_no_error (error);
  while ((n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (connection)), buffer,
                                   sizeof buffer, NULL, &error))
         > 0)
    g_byte_array_append (bytes, buffer, (guint) n);
  g_assert_no_error (error);
  return bytes;
}

static void
test_print_raw (void)
{
  static const guint8 escpos[] = { 0x1b, 0x40, 'L', 'I', 'N', 'L', 'I', '\n', 0x1d, 0x56, 0x00 };
  g_autoptr (GSocketListener) listener = g_socket_listener_new ();
  g_autoptr (LinliDevice) printer = quiet_printer ("linli-raw");
  g_autoptr (GBytes) document = g_bytes_new_static (escpos, sizeof escpos);
  g_autoptr (GError) error = NULL;
  g_autoptr (GByteArray) received = NULL;
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *lpadmin = g_find_program_in_path ("lpadmin");
  g_autoptr (GAsyncResult) result = NULL;
  GThread *thread;

  g_socket_listener_add_address (listener, address, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                 NULL, &bound, &error);
  g_assert_no_error (error);
  uri = g_strdup_printf ("socket://127.0.0.1:%u",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  {
    const char *argv[] = {
      lpadmin ? lpadmin : "/usr/sbin/lpadmin", "-p", "linli-raw", "-E", "-v", uri, "-m", "raw", NULL
    };

    g_free (run (argv));
  }

  thread = g_thread_new ("printer", listen_thread, listener);
  linli_printer_print_async (LINLI_PRINTER (printer), document, LINLI_PRINTER_FORMAT_RAW,
                             "Linli test", NULL, print_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (linli_printer_print_finish (LINLI_PRINTER (printer), result, &error));
  g_assert_no_error (error);
  received = g_thread_join (thread);
  g_assert_cmpmem (received->data, received->len, escpos, sizeof escpos);
}

static void
test_print_missing_queue (void)
{
  g_autoptr (LinliDevice) printer = quiet_printer ("linli-no-such-queue");
  g_autoptr (GBytes) pdf = make_pdf ("NOWHERE");
  g_autoptr (GError) error = NULL;

  g_assert_false (print_sync (printer, pdf, NULL, &error));
  g_assert_error (error, LINLI_PRINTER_ERROR, LINLI_PRINTER_ERROR_NO_QUEUE);
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

      /* And printing says so too. */
      {
        g_autoptr (GBytes) pdf = make_pdf ("NOBODY LISTENS");

        g_assert_false (print_sync (printer, pdf, NULL, &error));
        g_assert_error (error, LINLI_PRINTER_ERROR, LINLI_PRINTER_ERROR_UNREACHABLE);
      }
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
  output = g_getenv ("CUPS_RIG_OUTPUT");
  if (queue == NULL || output == NULL || g_getenv ("CUPS_SERVER") == NULL)
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
  g_test_add_func ("/printer/print-pdf", test_print_pdf);
  g_test_add_func ("/printer/print-missing-queue", test_print_missing_queue);
  g_test_add_func ("/printer/print-raw", test_print_raw);
  g_test_add_func ("/printer/print-stopped", test_print_stopped);
  g_test_add_func ("/printer/idle-poll", test_idle_poll);
  g_test_add_func ("/printer/paper-out", test_paper_out);
  g_test_add_func ("/printer/jammed", test_jammed);
  g_test_add_func ("/printer/restart", test_restart);
  g_test_add_func ("/printer/cancel", test_cancel);
  g_test_add_func ("/printer/timeout", test_timeout);

  return g_test_run ();
}
