/* linli-print-test.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The print-test receipt, rendered the way the kiosk renders receipts.
 */
#define G_LOG_DOMAIN "linli-print-test"

#include "linli-print-test.h"

#include "linli-build-config.h"
#include "linli-escpos.h"
#include "linli-receipt.h"

/* 80 mm of a 203 dpi thermal head. */
#define ESCPOS_WIDTH_PX 576

GBytes *
linli_print_test_render (const char *kiosk_id,
                         const char *printer_name,
                         gboolean escpos,
                         GError **error)
{
  g_autoptr (LinliReceipt) receipt = linli_receipt_new ("print-test", error);
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *when = g_date_time_format (now, "%Y-%m-%d %H:%M:%S");
  g_autofree char *qr = NULL;
  cairo_surface_t *surface;
  GBytes *bytes;

  if (receipt == NULL)
    return NULL;
  qr = g_strdup_printf ("LINLI PRINT TEST %s %s", kiosk_id, when);
  if (!linli_receipt_set (receipt, "kiosk_id", kiosk_id, error)
      || !linli_receipt_set (receipt, "datetime", when, error)
      || !linli_receipt_set (receipt, "version", LINLI_VERSION, error)
      || !linli_receipt_set (receipt, "printer", printer_name, error)
      || !linli_receipt_set (receipt, "qr", qr, error))
    return NULL;
  if (!escpos)
    return linli_receipt_render_pdf (receipt, error);

  surface = linli_receipt_render_raster (receipt, ESCPOS_WIDTH_PX, error);
  if (surface == NULL)
    return NULL;
  bytes = linli_escpos_encode_raster (surface, TRUE);
  cairo_surface_destroy (surface);
  return bytes;
}
