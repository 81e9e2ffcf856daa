/* linli-diag-print-test.c: linli-diag print-test.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   linli-diag print-test [--printer NAME] [--format pdf|escpos]
 *
 * Renders the print-test receipt (kiosk id, time, version, a QR code, the
 * line 打印测试 / print test) the way the kiosk renders receipts, sends it
 * to the configured queue (or --printer) and waits until CUPS reports the
 * job completed or failed. "Completed" is the only success: a queue that
 * takes the job but cannot print it (paper out) is a failure with its
 * reason.
 */
#define G_LOG_DOMAIN "linli-diag"

#include "linli-diag-print-test.h"

#include <stdlib.h>

#include "linli-diag-print.h"
#include "linli-print-test.h"

#define EXIT_USAGE 2

static const char print_test_usage[]
    = "Usage: linli-diag [--config PATH] print-test [--printer NAME] [--format pdf|escpos]\n";

static int G_GNUC_PRINTF (1, 2) print_test_usage_error (const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("linli-diag: print-test: %s\n%s", message, print_test_usage);
  return EXIT_USAGE;
}

int
linli_diag_print_test (LinliConfig *config, int argc, char **argv)
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) args = g_new0 (char *, argc + 1);
  g_autofree char *printer_name = NULL;
  g_autofree char *format = NULL;
  g_autoptr (GBytes) document = NULL;
  const char *queue;
  gboolean escpos;
  const GOptionEntry entries[] = {
    { "printer", 0, 0, G_OPTION_ARG_STRING, &printer_name,
      "CUPS queue (default: [devices] printer, else the CUPS default)", "NAME" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format,
      "pdf, or escpos for a raw thermal queue (default: [devices] printer-format)", "FORMAT" },
    { NULL },
  };

  for (int i = 0; i < argc; i++)
    args[i] = g_strdup (argv[i]);
  context = g_option_context_new ("— print a test receipt and wait for it");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse_strv (context, &args, &error))
    return print_test_usage_error ("%s", error->message);
  if (g_strv_length (args) != 1)
    return print_test_usage_error ("unexpected argument “%s”", args[1]);
  if (format == NULL)
    format = g_strdup (linli_config_get_string (config, "devices", "printer-format"));
  if (!g_str_equal (format, "pdf") && !g_str_equal (format, "escpos"))
    return print_test_usage_error ("--format must be pdf or escpos, not “%s”", format);
  escpos = g_str_equal (format, "escpos");
  queue = printer_name != NULL ? printer_name
                               : linli_config_get_string (config, "devices", "printer");

  document = linli_print_test_render (linli_config_get_string (config, "kiosk", "id"),
                                      *queue != '\0' ? queue : "CUPS default", escpos, &error);
  if (document == NULL)
    {
      g_printerr ("linli-diag: print-test: rendering the receipt: %s\n", error->message);
      return EXIT_FAILURE;
    }

  if (!linli_diag_print_and_wait (queue, document, escpos, "Linli print test", &error))
    {
      g_printerr ("linli-diag: print-test: %s\n", error->message);
      return EXIT_FAILURE;
    }
  g_print ("printed a test receipt on %s (%s, %zu bytes): the job completed\n",
           *queue != '\0' ? queue : "the CUPS default printer", format,
           g_bytes_get_size (document));
  return EXIT_SUCCESS;
}
