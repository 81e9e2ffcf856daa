/* linli-printout-private.h: how kiosk/ builds a LinliPrintout
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "linli-printout.h"
#include "linli-payment-order.h"
#include "linli-receipt.h"

G_BEGIN_DECLS

/* Takes @receipt (may be NULL: shown, not printable). */
LinliPrintout *linli_printout_new (const char *title, LinliReceipt *receipt);
void linli_printout_add_line (LinliPrintout *self,
                              const char *label,
                              const char *value,
                              const char *spoken);
void linli_printout_set_note (LinliPrintout *self, const char *note);
void linli_printout_set_number (LinliPrintout *self, const char *number);
LinliReceipt *linli_printout_get_receipt (LinliPrintout *self);

/* A bill the resident can pay from this screen: the order is made for
 * @payable_id and must be for exactly @amount_fen (what the screen showed).
 * @item (Chinese, for the receipt) and @account (may be NULL) go on the
 * payment receipt. */
void linli_printout_set_payable (LinliPrintout *self,
                                 LinliPayableKind kind,
                                 const char *payable_id,
                                 gint64 amount_fen,
                                 const char *item,
                                 const char *account,
                                 const char *holder_masked);
gboolean linli_printout_get_payable_details (LinliPrintout *self,
                                             LinliPayableKind *kind,
                                             const char **payable_id,
                                             gint64 *amount_fen,
                                             const char **item,
                                             const char **account,
                                             const char **holder_masked);

G_END_DECLS
