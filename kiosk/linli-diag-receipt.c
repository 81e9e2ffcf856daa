/* linli-diag-receipt.c: linli-diag receipt.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   linli-diag receipt show NUMBER
 *   linli-diag receipt print NUMBER [--printer NAME] [--format pdf|escpos]
 *
 * A receipt the kiosk kept by its application or order number
 * ([kiosk] receipt-index): shown as text, or printed again, for the
 * resident whose printer ran out of paper. Waits for the job like
 * print-test: only "completed" is success.
 */
#define G_LOG_DOMAIN "linli-diag"

#include "linli-diag-receipt.h"

#include <stdlib.h>

#include "linli-diag-print.h"
#include "linli-escpos.h"
#include "linli-receipt-index.h"

#define EXIT_USAGE 2

/* 80 mm of a 203 dpi thermal head, as the kiosk prints. */
#define ESCPOS_WIDTH_PX 576

static const char receipt_usage[]
    = "Usage: linli-diag [--config PATH] receipt show NUMBER\n"
      "       linli-diag [--config PATH] receipt print NUMBER [--printer NAME] "
      "[--format pdf|escpos]\n";

static int G_GNUC_PRINTF (1, 2) receipt_usage_error (const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("linli-diag: receipt: %s\n%s", message, receipt_usage);
  return EXIT_USAGE;
}

static int
print_receipt (LinliConfig *config,
               LinliReceipt *receipt,
               const char *number,
               const char *printer_name,
               const char *format)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) document = NULL;
  g_autofree char *title = NULL;
  gboolean escpos = g_str_equal (format, "escpos");
  const char *queue = printer_name != NULL ? printer_name
                                           : linli_config_get_string (config, "devices", "printer");

  if (escpos)
    {
      cairo_surface_t *surface = linli_receipt_render_raster (receipt, ESCPOS_WIDTH_PX, &error);

      if (surface != NULL)
        {
          document = linli_escpos_encode_raster (surface, TRUE);
          cairo_surface_destroy (surface);
        }
    }
  else
    document = linli_receipt_render_pdf (receipt, &error);
  if (document == NULL)
    {
      g_printerr ("linli-diag: receipt: rendering %s: %s\n", number, error->message);
      return EXIT_FAILURE;
    }
  /* The job's title is in CUPS's logs: the template, never personal data. */
  title = g_strdup_printf ("Linli %s (reprint)", linli_receipt_get_template_name (receipt));
  if (!linli_diag_print_and_wait (queue, document, escpos, title, &error))
    {
      g_printerr ("linli-diag: receipt: %s\n", error->message);
      return EXIT_FAILURE;
    }
  g_print ("printed the receipt %s on %s: the job completed\n", number,
           *queue != '\0' ? queue : "the CUPS default printer");
  return EXIT_SUCCESS;
}

int
linli_diag_receipt (LinliConfig *config, int argc, char **argv)
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) args = g_new0 (char *, argc + 1);
  g_autofree char *printer_name = NULL;
  g_autofree char *format = NULL;
  g_autoptr (LinliReceiptIndex) index = NULL;
  g_autoptr (LinliReceipt) receipt = NULL;
  const char *path = linli_config_get_string (config, "kiosk", "receipt-index");
  const GOptionEntry entries[] = {
    { "printer", 0, 0, G_OPTION_ARG_STRING, &printer_name,
      "CUPS queue (default: [devices] printer, else the CUPS default)", "NAME" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format,
      "pdf, or escpos for a raw thermal queue (default: [devices] printer-format)", "FORMAT" },
    { NULL },
  };

  for (int i = 0; i < argc; i++)
    args[i] = g_strdup (argv[i]);
  context = g_option_context_new ("show|print NUMBER — a receipt kept by its number");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse_strv (context, &args, &error))
    return receipt_usage_error ("%s", error->message);
  if (g_strv_length (args) != 3
      || (!g_str_equal (args[1], "show") && !g_str_equal (args[1], "print")))
    return receipt_usage_error ("expected show or print, then a number");
  if (format == NULL)
    format = g_strdup (linli_config_get_string (config, "devices", "printer-format"));
  if (!g_str_equal (format, "pdf") && !g_str_equal (format, "escpos"))
    return receipt_usage_error ("--format must be pdf or escpos, not “%s”", format);
  if (*path == '\0')
    {
      g_printerr ("linli-diag: receipt: this kiosk keeps no receipts ([kiosk] receipt-index is "
                  "empty)\n");
      return EXIT_FAILURE;
    }
  /* Opening may create the file: the same as the kiosk would. */
  index = linli_receipt_index_open (
      path, (guint) linli_config_get_int (config, "kiosk", "receipt-days"), &error);
  if (index != NULL)
    receipt = linli_receipt_index_get (index, args[2], &error);
  if (receipt == NULL)
    {
      g_printerr ("linli-diag: receipt: %s\n", error->message);
      return EXIT_FAILURE;
    }
  if (g_str_equal (args[1], "show"))
    {
      char *text = linli_receipt_render_text (receipt, &error);

      if (text == NULL)
        {
          g_printerr ("linli-diag: receipt: %s\n", error->message);
          return EXIT_FAILURE;
        }
      g_print ("%s", text);
      linli_receipt_wipe_text (text);
      return EXIT_SUCCESS;
    }
  return print_receipt (config, receipt, args[2], printer_name, format);
}
