/* linli-receipt-index.h: receipts kept by number, for a reprint
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * When a receipt with an application or order number is made, its template
 * and field values (already masked: a LinliReceipt refuses anything else)
 * are kept in a small SQLite file for a number of days, so that a receipt
 * the printer could not print is not lost: staff reprint it by its number.
 */
#pragma once

#include <gio/gio.h>

#include "linli-receipt.h"

G_BEGIN_DECLS

#define LINLI_RECEIPT_INDEX_ERROR (linli_receipt_index_error_quark ())
GQuark linli_receipt_index_error_quark (void);

typedef enum
{
  LINLI_RECEIPT_INDEX_ERROR_FAILED,    /* SQLite or the file system */
  LINLI_RECEIPT_INDEX_ERROR_NOT_FOUND, /* no receipt under that number */
  LINLI_RECEIPT_INDEX_ERROR_INVALID,   /* a number or a stored receipt that does not parse */
} LinliReceiptIndexError;

#define LINLI_TYPE_RECEIPT_INDEX (linli_receipt_index_get_type ())
G_DECLARE_FINAL_TYPE (LinliReceiptIndex, linli_receipt_index, LINLI, RECEIPT_INDEX, GObject)

/* Opens (creating it 0600, and its directory 0700) the index at @path.
 * Receipts older than @keep_days are dropped at once and on every put. */
LinliReceiptIndex *linli_receipt_index_open (const char *path, guint keep_days, GError **error);

/* Keeps @receipt under @number (letters, digits, '-' and '_', 4–64), replacing
 * an earlier one with the same number. */
gboolean linli_receipt_index_put (LinliReceiptIndex *self,
                                  const char *number,
                                  LinliReceipt *receipt,
                                  GError **error);

/* The receipt kept under @number, rebuilt from its template. */
LinliReceipt *linli_receipt_index_get (LinliReceiptIndex *self, const char *number, GError **error);

/* Drops the receipts kept longer than the index's days, counted from @now
 * (NULL: the current time); returns how many went. */
guint linli_receipt_index_purge (LinliReceiptIndex *self, GDateTime *now, GError **error);

/* How many receipts are kept. */
guint linli_receipt_index_count (LinliReceiptIndex *self);

G_END_DECLS
