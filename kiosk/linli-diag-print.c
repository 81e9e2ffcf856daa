/* linli-diag-print.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What print-test and receipt print share: a LinliPrinter without idle
 * polling (the job's own checks say what is wrong) and a main loop run
 * until the job ends.
 */
#define G_LOG_DOMAIN "linli-diag"

#include "linli-diag-print.h"

#include "linli-printer.h"

typedef struct
{
  GMainLoop *loop;
  gboolean printed;
  GError *error;
} Wait;

static void
on_printed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Wait *wait = user_data;

  wait->printed = linli_printer_print_finish (LINLI_PRINTER (source), result, &wait->error);
  g_main_loop_quit (wait->loop);
}

gboolean
linli_diag_print_and_wait (
    const char *queue, GBytes *document, gboolean escpos, const char *title, GError **error)
{
  g_autoptr (LinliDevice) printer = linli_printer_new (queue);
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Wait wait = { loop, FALSE, NULL };

  linli_printer_set_poll_interval (LINLI_PRINTER (printer), 0);
  linli_printer_print_async (LINLI_PRINTER (printer), document,
                             escpos ? LINLI_PRINTER_FORMAT_RAW : LINLI_PRINTER_FORMAT_PDF, title,
                             NULL, on_printed, &wait);
  g_main_loop_run (loop);
  if (!wait.printed)
    g_propagate_error (error, wait.error);
  return wait.printed;
}
