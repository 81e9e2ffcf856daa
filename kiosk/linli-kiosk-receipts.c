/* linli-kiosk-receipts.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What follows a journey's result: the common part of every receipt,
 * paying a bill (LinliPayment), printing the receipt, and keeping receipts
 * with a number so that a printer that cannot print loses nothing.
 * Printing is its own intent, so that the resident decides; a printer that
 * cannot print is explained in plain words and the screen offers the
 * receipt as a QR code.
 */
#define G_LOG_DOMAIN "linli-kiosk"

#include "linli-kiosk-private.h"
#include "linli-payment-private.h"
#include "linli-printout-private.h"
#include "linli-receipt-index.h"

#include <glib/gi18n.h>

#include "linli-escpos.h"
#include "linli-printer.h"
#include "linli-receipt.h"

/* 80 mm of a 203 dpi thermal head, for printer-format=escpos. */
#define ESCPOS_WIDTH_PX 576

/* ---- the common part of every receipt ---- */

LinliReceipt *
linli_kiosk_new_receipt (LinliKiosk *self, const char *template_name, GError **error)
{
  LinliConfig *config = linli_kiosk_get_config (self);
  g_autoptr (LinliReceipt) receipt = linli_receipt_new (template_name, error);
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *when = g_date_time_format (now, "%Y-%m-%d %H:%M");
  const char *const *fields;

  if (receipt == NULL)
    return NULL;
  fields = linli_receipt_get_fields (receipt);
  if (!linli_receipt_set (receipt, "county",
                          linli_config_get_string (config, "kiosk", "county-name"), error)
      || !linli_receipt_set (receipt, "datetime", when, error)
      || !linli_receipt_set (receipt, "kiosk_id", linli_config_get_string (config, "kiosk", "id"),
                             error))
    return NULL;
  if (g_strv_contains (fields, "centre")
      && !linli_receipt_set (receipt, "centre",
                             linli_config_get_string (config, "kiosk", "centre-name"), error))
    return NULL;
  return g_steal_pointer (&receipt);
}

/* ---- receipts kept by number ---- */

#define RECEIPT_INDEX_KEY "linli-receipt-index"

/* The index is opened at the first numbered receipt, not at start: a kiosk
 * that never takes a payment or an application never makes the file. */
static LinliReceiptIndex *
receipt_index (LinliKiosk *self)
{
  LinliConfig *config = linli_kiosk_get_config (self);
  const char *path = linli_config_get_string (config, "kiosk", "receipt-index");
  LinliReceiptIndex *index = g_object_get_data (G_OBJECT (self), RECEIPT_INDEX_KEY);
  g_autoptr (GError) error = NULL;

  if (index != NULL || path == NULL || *path == '\0')
    return index;
  index = linli_receipt_index_open (
      path, (guint) linli_config_get_int (config, "kiosk", "receipt-days"), &error);
  if (index == NULL)
    {
      g_warning ("%s", error->message);
      return NULL;
    }
  g_object_set_data_full (G_OBJECT (self), RECEIPT_INDEX_KEY, index, g_object_unref);
  return index;
}

/* Kept before anything is printed, so that a printer out of paper loses
 * nothing: staff reprint it by number (linli-diag receipt). */
void
linli_kiosk_keep_receipt (LinliKiosk *self, LinliPrintout *printout)
{
  LinliReceiptIndex *index = receipt_index (self);
  LinliReceipt *receipt = linli_printout_get_receipt (printout);
  const char *number = linli_printout_get_number (printout);
  g_autoptr (GError) error = NULL;

  if (index == NULL || receipt == NULL || number == NULL)
    return;
  if (!linli_receipt_index_put (index, number, receipt, &error))
    g_warning ("keeping a receipt: %s", error->message);
}

static void
on_payment_step (LinliPayment *payment, GParamSpec *pspec, gpointer user_data)
{
  if (linli_payment_get_step (payment) == LINLI_PAYMENT_STEP_PAID)
    linli_kiosk_keep_receipt (LINLI_KIOSK (user_data), linli_payment_get_receipt (payment));
}

/* ---- paying ---- */

/**
 * linli_kiosk_start_payment:
 * @bill: a printout with linli_printout_get_payable()
 *
 * Starts paying @bill: a payment order is made at once, then followed.
 * Returns: (transfer full) (nullable): the payment, or NULL with @error
 * (its message fit for the resident)
 */
LinliPayment *
linli_kiosk_start_payment (LinliKiosk *self, LinliPrintout *bill, GError **error)
{
  LinliPlatformLink *link = linli_kiosk_get_platform_link (self);
  LinliPlatform *platform = link != NULL ? linli_platform_link_get_platform (link) : NULL;
  LinliResident *resident = linli_kiosk_get_resident (self);
  g_autoptr (LinliReceipt) receipt = NULL;
  g_autoptr (GError) local_error = NULL;
  LinliPayableKind kind;
  const char *payable_id, *item, *account, *holder;
  gint64 amount;
  LinliPayment *payment;

  g_return_val_if_fail (LINLI_IS_KIOSK (self), NULL);
  g_return_val_if_fail (LINLI_IS_PRINTOUT (bill), NULL);

  if (!linli_printout_get_payable_details (bill, &kind, &payable_id, &amount, &item, &account,
                                           &holder))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _ ("There is nothing to pay."));
      return NULL;
    }
  if (platform == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                           _ ("Payments cannot be made from this kiosk right now. Staff at the "
                              "service desk can help you."));
      return NULL;
    }
  receipt = linli_kiosk_new_receipt (self, "payment", &local_error);
  if (receipt == NULL || !linli_receipt_set (receipt, "item", item, &local_error)
      || (account != NULL && !linli_receipt_set (receipt, "account", account, &local_error))
      || (holder != NULL && !linli_receipt_set (receipt, "name", holder, &local_error)))
    {
      g_warning ("preparing the payment receipt: %s", local_error->message);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _ ("The payment could not be prepared. Staff at the service desk can "
                              "help you."));
      return NULL;
    }
  payment = linli_heartbeat_reporter_watch_payment (
      linli_kiosk_get_heartbeat_reporter (self),
      linli_payment_new (platform, bill, g_steal_pointer (&receipt),
                         resident != NULL ? resident->resident_ref : NULL,
                         linli_kiosk_get_language (self)));
  g_signal_connect_object (payment, "notify::step", G_CALLBACK (on_payment_step), self, 0);
  return payment;
}

/* ---- printing ---- */

/* What a resident is told when the printer cannot print. */
static GError *
printer_problem (const GError *error)
{
  const char *what;

  if (error->domain == LINLI_PRINTER_ERROR && error->code == LINLI_PRINTER_ERROR_PAPER_OUT)
    what = _ ("The printer has run out of paper.");
  else if (error->domain == LINLI_PRINTER_ERROR && error->code == LINLI_PRINTER_ERROR_JAMMED)
    what = _ ("Paper is stuck in the printer.");
  else
    what = _ ("The printer is not working right now.");
  /* TRANSLATORS: two sentences in a row; Chinese needs no space between. */
  return g_error_new (LINLI_PRINTER_ERROR, error->code, C_ ("two sentences", "%s %s"), what,
                      _ ("Nothing was printed. You can scan the code on the screen with your "
                         "phone to keep it, or staff at the service desk can print it for you."));
}

static void
on_printed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;

  if (!linli_printer_print_finish (LINLI_PRINTER (source), result, &error))
    {
      /* The reason is for maintainers: it names the printer, never the
       * receipt's content. */
      g_info ("receipt not printed: %s", error->message);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_error (task, printer_problem (error));
      return;
    }
  linli_heartbeat_reporter_count_receipt (
      linli_kiosk_get_heartbeat_reporter (g_task_get_source_object (task)));
  g_task_return_boolean (task, TRUE);
}

static LinliDevice *
find_printer (LinliKiosk *self)
{
  GListModel *devices = linli_kiosk_get_devices (self);

  for (guint i = 0; i < g_list_model_get_n_items (devices); i++)
    {
      g_autoptr (LinliDevice) device = g_list_model_get_item (devices, i);

      if (LINLI_IS_PRINTER (device))
        return device;
    }
  return NULL;
}

/**
 * linli_kiosk_print_async:
 *
 * Prints @printout's receipt, as PDF or, with printer-format=escpos, as an
 * ESC/POS raster, and finishes when the printer has printed it. On failure
 * the message tells the resident what happened and what to do: the screen
 * then offers linli_printout_render_qr().
 */
void
linli_kiosk_print_async (LinliKiosk *self,
                         LinliPrintout *printout,
                         GCancellable *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  LinliReceipt *receipt;
  LinliDevice *printer = find_printer (self);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) document = NULL;
  gboolean escpos;
  g_autofree char *title = NULL;

  g_return_if_fail (LINLI_IS_KIOSK (self));
  g_return_if_fail (LINLI_IS_PRINTOUT (printout));
  g_task_set_source_tag (task, linli_kiosk_print_async);

  receipt = linli_printout_get_receipt (printout);
  if (receipt == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "%s",
                               _ ("There is nothing to print."));
      return;
    }
  if (printer == NULL)
    {
      g_task_return_new_error (task, LINLI_PRINTER_ERROR, LINLI_PRINTER_ERROR_NO_QUEUE, "%s",
                               _ ("This kiosk has no printer. You can scan the code on the screen "
                                  "with your phone, or staff at the service desk can print it "
                                  "for you."));
      return;
    }
  escpos = g_str_equal (
      linli_config_get_string (linli_kiosk_get_config (self), "devices", "printer-format"),
      "escpos");
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
      g_warning ("rendering the “%s” receipt: %s", linli_receipt_get_template_name (receipt),
                 error->message);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "%s",
                               _ ("The receipt could not be prepared. Staff at the service desk "
                                  "can help you."));
      return;
    }
  /* The title is in CUPS's logs: the template's name, never personal data. */
  title = g_strdup_printf ("Linli %s", linli_receipt_get_template_name (receipt));
  linli_printer_print_async (LINLI_PRINTER (printer), document,
                             escpos ? LINLI_PRINTER_FORMAT_RAW : LINLI_PRINTER_FORMAT_PDF, title,
                             cancellable, on_printed, g_object_ref (task));
}

gboolean
linli_kiosk_print_finish (LinliKiosk *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
