/* bench-print.c: submit → CUPS job completed, for a rendered receipt on
 * the file queue of tests/rigs/cupsd-rig.sh (Generic-PDF), and for the
 * ESC/POS raster on a raw socket queue. Median, p95 and max over 20 jobs
 * after one warm-up. Budget: < 1 s (DESIGN.md). Prints figures; fails only
 * when a job does not complete.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>

#include "linli-escpos.h"
#include "linli-printer.h"
#include "linli-receipt.h"
#include "test-receipt-samples.h"

#define RUNS 20

typedef struct
{
  GMainLoop *loop;
  gboolean printed;
  GError *error;
} Wait;

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
on_printed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Wait *wait = user_data;

  wait->printed = linli_printer_print_finish (LINLI_PRINTER (source), result, &wait->error);
  g_main_loop_quit (wait->loop);
}

static double
print_once (LinliPrinter *printer, GBytes *document, const char *format)
{
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Wait wait = { loop, FALSE, NULL };
  gint64 start = g_get_monotonic_time ();

  linli_printer_print_async (printer, document, format, "Linli benchmark", NULL, on_printed, &wait);
  g_main_loop_run (loop);
  if (!wait.printed)
    g_error ("the job did not complete: %s", wait.error->message);
  return (double) (g_get_monotonic_time () - start) / 1000.0;
}

static void
bench (const char *label, const char *queue, GBytes *document, const char *format)
{
  g_autoptr (LinliDevice) printer = linli_printer_new (queue);
  double times[RUNS];

  linli_printer_set_poll_interval (LINLI_PRINTER (printer), 0);
  print_once (LINLI_PRINTER (printer), document, format);
  for (guint i = 0; i < RUNS; i++)
    times[i] = print_once (LINLI_PRINTER (printer), document, format);
  qsort (times, RUNS, sizeof (double), compare_doubles);
  g_print ("%-34s median %6.1f ms  p95 %6.1f ms  max %6.1f ms  (%zu bytes, %d jobs)\n", label,
           times[RUNS / 2], times[RUNS * 95 / 100], times[RUNS - 1], g_bytes_get_size (document),
           RUNS);
}

/* A raw queue's device: a listener that takes whatever comes, like a
 * thermal printer's socket. */
static gboolean
on_incoming (GSocketService *service, GSocketConnection *connection, GObject *source, gpointer data)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  char buffer[65536];

  while (g_input_stream_read (in, buffer, sizeof buffer, NULL, NULL) > 0)
    ;
  return TRUE;
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  const ReceiptSample *sample = &receipt_samples[0];
  g_autoptr (LinliReceipt) receipt = linli_receipt_new (sample->template_name, &error);
  g_autoptr (GBytes) pdf = NULL;
  g_autoptr (GBytes) escpos = NULL;
  g_autoptr (GSocketService) service = g_threaded_socket_service_new (2);
  g_autofree char *uri = NULL;
  g_autofree char *lpadmin = NULL;
  cairo_surface_t *surface;
  guint16 port;

  if (g_getenv ("CUPS_SERVER") == NULL)
    {
      g_print ("not inside tests/rigs/cupsd-rig.sh\n");
      return 77;
    }
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (sample->fields) && sample->fields[i].key != NULL; i++)
    if (!linli_receipt_set (receipt, sample->fields[i].key, sample->fields[i].value, &error))
      g_error ("%s", error->message);
  pdf = linli_receipt_render_pdf (receipt, &error);
  g_assert_no_error (error);
  surface = linli_receipt_render_raster (receipt, 576, &error);
  g_assert_no_error (error);
  escpos = linli_escpos_encode_raster (surface, TRUE);
  cairo_surface_destroy (surface);

  bench ("PDF receipt → file queue", g_getenv ("CUPS_RIG_QUEUE"), pdf, LINLI_PRINTER_FORMAT_PDF);

  port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (service), NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (service, "run", G_CALLBACK (on_incoming), NULL);
  g_socket_service_start (service);
  uri = g_strdup_printf ("socket://127.0.0.1:%u", port);
  lpadmin = g_strdup_printf ("lpadmin -p bench-raw -E -v %s -m raw", uri);
  if (!g_spawn_command_line_sync (lpadmin, NULL, NULL, NULL, &error))
    g_error ("%s", error->message);
  bench ("ESC/POS receipt → raw socket queue", "bench-raw", escpos, LINLI_PRINTER_FORMAT_RAW);
  g_print ("budget: submit → job completed < 1000 ms\n");
  return 0;
}
