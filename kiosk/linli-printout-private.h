/* linli-printout-private.h: how kiosk/ builds a LinliPrintout
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "linli-printout.h"
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

G_END_DECLS
