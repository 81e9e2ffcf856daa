/* linli-printer.h: the receipt printer, a CUPS queue.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "linli-device.h"

G_BEGIN_DECLS

#define LINLI_PRINTER_ERROR (linli_printer_error_quark ())
GQuark linli_printer_error_quark (void);

typedef enum
{
  LINLI_PRINTER_ERROR_UNREACHABLE, /* the CUPS scheduler does not answer */
  LINLI_PRINTER_ERROR_NO_QUEUE,    /* no such queue (or no default one) */
  LINLI_PRINTER_ERROR_PAPER_OUT,
  LINLI_PRINTER_ERROR_JAMMED,
  LINLI_PRINTER_ERROR_OFFLINE,
  LINLI_PRINTER_ERROR_STOPPED,  /* the queue is disabled (cupsdisable, a backend gave up) */
  LINLI_PRINTER_ERROR_REJECTED, /* the queue or the scheduler refused the job */
  LINLI_PRINTER_ERROR_ABORTED,  /* the job was aborted by the system */
  LINLI_PRINTER_ERROR_CANCELED, /* the job was canceled at the scheduler, not by us */
  LINLI_PRINTER_ERROR_TIMEOUT,  /* the job did not complete in time */
  LINLI_PRINTER_ERROR_FAILED,   /* any other IPP failure */
} LinliPrinterError;

/* What a maintainer needs to know before a resident meets it. */
typedef enum
{
  LINLI_PRINTER_PAPER_UNKNOWN, /* not probed yet, no queue, no scheduler */
  LINLI_PRINTER_PAPER_READY,
  LINLI_PRINTER_PAPER_LOW,
  LINLI_PRINTER_PAPER_OUT,
  LINLI_PRINTER_PAPER_JAMMED,
  LINLI_PRINTER_PAPER_OFFLINE,
  LINLI_PRINTER_PAPER_STOPPED,
} LinliPrinterPaper;

GType linli_printer_paper_get_type (void) G_GNUC_CONST;
#define LINLI_TYPE_PRINTER_PAPER (linli_printer_paper_get_type ())
const char *linli_printer_paper_to_string (LinliPrinterPaper paper);

#define LINLI_PRINTER_FORMAT_PDF "application/pdf"
#define LINLI_PRINTER_FORMAT_RAW "application/vnd.cups-raw"

#define LINLI_TYPE_PRINTER (linli_printer_get_type ())
G_DECLARE_FINAL_TYPE (LinliPrinter, linli_printer, LINLI, PRINTER, LinliDevice)

LinliDevice *linli_printer_new (const char *queue);

const char *linli_printer_get_queue (LinliPrinter *self);
LinliPrinterPaper linli_printer_get_paper (LinliPrinter *self);

guint linli_printer_get_poll_interval (LinliPrinter *self);
void linli_printer_set_poll_interval (LinliPrinter *self, guint seconds);
guint linli_printer_get_job_timeout (LinliPrinter *self);
void linli_printer_set_job_timeout (LinliPrinter *self, guint seconds);

void linli_printer_refresh (LinliPrinter *self);

void linli_printer_print_async (LinliPrinter *self,
                                GBytes *document,
                                const char *format,
                                const char *title,
                                GCancellable *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer user_data);
gboolean linli_printer_print_finish (LinliPrinter *self, GAsyncResult *result, GError **error);

G_END_DECLS
