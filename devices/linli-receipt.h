/* linli-receipt.h — receipts and certificates, rendered for elderly readers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A receipt is a template (data shipped in the devices GResource, see
 * docs/receipts.md) plus the field values a journey sets. It renders to a
 * PDF (80 mm roll whose height follows the content, or A4) for CUPS queues
 * with a driver, and to a 1-bit raster for ESC/POS thermal printers
 * (linli-escpos.h). No GTK; rendering blocks for a few milliseconds, so call
 * it from a worker when the main loop must not stall. One receipt per
 * thread at a time.
 *
 * Values are personal data only in masked form: linli_receipt_set() refuses
 * a full 18-character ID number in any field and an unmasked name.
 */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

G_BEGIN_DECLS

#define LINLI_RECEIPT_ERROR (linli_receipt_error_quark ())
GQuark linli_receipt_error_quark (void);

typedef enum
{
  LINLI_RECEIPT_ERROR_UNKNOWN_TEMPLATE, /* no template of that name */
  LINLI_RECEIPT_ERROR_BAD_TEMPLATE,     /* a template line that does not parse */
  LINLI_RECEIPT_ERROR_UNKNOWN_FIELD,    /* a key the template does not name */
  LINLI_RECEIPT_ERROR_MISSING_FIELD,    /* a required field left unset at render time */
  LINLI_RECEIPT_ERROR_PERSONAL_DATA,    /* a full ID number, or an unmasked name or ID */
  LINLI_RECEIPT_ERROR_INVALID,          /* a value too long, not UTF-8, a QR too large */
  LINLI_RECEIPT_ERROR_RENDER,           /* cairo failed */
} LinliReceiptError;

typedef enum
{
  LINLI_RECEIPT_PAPER_ROLL_80, /* 80 mm roll, 72 mm printable, height follows content */
  LINLI_RECEIPT_PAPER_A4,
} LinliReceiptPaper;

/* Longest value linli_receipt_set() takes, in bytes. */
#define LINLI_RECEIPT_MAX_VALUE 4096

#define LINLI_TYPE_RECEIPT (linli_receipt_get_type ())
G_DECLARE_FINAL_TYPE (LinliReceipt, linli_receipt, LINLI, RECEIPT, GObject)

/* The built-in template @template_name ("application", "payment",
 * "insured-certificate", "certification", "info", "print-test"). */
LinliReceipt *linli_receipt_new (const char *template_name, GError **error);
/* A template given as text in the same format (for tests and tools). */
LinliReceipt *linli_receipt_new_from_data (const char *template_name,
                                           const char *text,
                                           GError **error);

const char *linli_receipt_get_template_name (LinliReceipt *self);
LinliReceiptPaper linli_receipt_get_paper (LinliReceipt *self);
/* The field keys the template names, in order of first use; NULL-terminated. */
const char *const *linli_receipt_get_fields (LinliReceipt *self);

/* Sets field @key to @value (UTF-8; NULL unsets). Refuses keys the template
 * does not name, a full ID number anywhere, an unmasked "name" (王*明) or
 * "id_number" (3701**********123X). Table fields ("lines") hold rows
 * separated by '\n', cells by '\t'. */
gboolean linli_receipt_set (LinliReceipt *self, const char *key, const char *value, GError **error);

/* The receipt as a PDF with its fonts embedded. */
GBytes *linli_receipt_render_pdf (LinliReceipt *self, GError **error);
/* The printable area as a CAIRO_FORMAT_A1 image @width_px wide (576 for a
 * 72 mm print width at 203 dpi; a set bit is ink), as tall as the content. */
cairo_surface_t *linli_receipt_render_raster (LinliReceipt *self, int width_px, GError **error);

/* The value of field @key, or NULL when unset. */
const char *linli_receipt_get (LinliReceipt *self, const char *key);

/* The receipt as plain text, one line per line of print (tables with their
 * cells separated by two spaces, QR codes left out): what a resident's phone
 * shows after scanning the receipt offered on screen when the printer
 * cannot print. Free it with linli_receipt_wipe_text(). */
char *linli_receipt_render_text (LinliReceipt *self, GError **error);

/* Zeroes and frees text from linli_receipt_render_text(). */
void linli_receipt_wipe_text (char *text);

/* @text as a QR code (error correction M) in RGB pixels, 3 bytes each and
 * rows without padding: @module_px pixels per module and a quiet zone of
 * four modules. *@size_px is the side of the square. */
GBytes *linli_receipt_qr_pixels (const char *text, int module_px, int *size_px, GError **error);

/* TRUE when @text holds something that looks like a full ID number: a run of
 * exactly 17 digits and a digit or X, not part of a longer run of digits. */
gboolean linli_receipt_text_has_id_number (const char *text);

G_END_DECLS
