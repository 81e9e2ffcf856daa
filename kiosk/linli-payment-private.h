/* linli-payment-private.h: how kiosk/ starts a LinliPayment
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "linli-payment.h"
#include "linli-platform.h"
#include "linli-receipt.h"

G_BEGIN_DECLS

/* Creates the order for @bill's payable at once. @receipt (taken) is the
 * "payment" template with everything set but the order's own fields.
 * @resident_ref may be NULL (utility bills can be paid without a card). */
LinliPayment *linli_payment_new (LinliPlatform *platform,
                                 LinliPrintout *bill,
                                 LinliReceipt *receipt,
                                 const char *resident_ref,
                                 const char *language);

/* How often the order's state is asked for (default 2 s). */
void linli_payment_set_poll_interval (LinliPayment *self, guint interval_ms);

G_END_DECLS
