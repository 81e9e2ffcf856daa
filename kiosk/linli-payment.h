/* linli-payment.h: paying a bill with a phone, followed to its end
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The platform makes a payment order for exactly the amount the screen
 * showed; its QR code is shown large; the kiosk asks the platform how the
 * order stands every few seconds until it is paid, expires or is
 * cancelled. Only the platform says an order is paid: when the kiosk
 * cannot find out, it says so rather than guess.
 */
#pragma once

#include <gio/gio.h>

#include "linli-printout.h"

G_BEGIN_DECLS

typedef enum
{
  LINLI_PAYMENT_STEP_CREATING,  /* asking the platform for an order */
  LINLI_PAYMENT_STEP_WAITING,   /* the QR code is shown, the resident pays */
  LINLI_PAYMENT_STEP_PAID,      /* linli_payment_get_receipt() */
  LINLI_PAYMENT_STEP_EXPIRED,   /* not paid in time; nothing was taken */
  LINLI_PAYMENT_STEP_CANCELLED, /* cancelled at the kiosk; nothing was taken */
  LINLI_PAYMENT_STEP_FAILED,    /* linli_payment_get_message() says what to do */
} LinliPaymentStep;

#define LINLI_TYPE_PAYMENT (linli_payment_get_type ())
G_DECLARE_FINAL_TYPE (LinliPayment, linli_payment, LINLI, PAYMENT, GObject)

/* The "step" property; notify::step tells each change. */
LinliPaymentStep linli_payment_get_step (LinliPayment *self);

/* What the screen says at this step, fit to show and speak. */
const char *linli_payment_get_message (LinliPayment *self);

/* While waiting: the order's QR code, RGB pixels as linli_printout_render_qr(). */
GBytes *linli_payment_render_qr (LinliPayment *self, int module_px, int *size_px, GError **error);

/* While waiting: whole seconds until the order expires (0 after). */
int linli_payment_get_seconds_left (LinliPayment *self);

/* Once paid: the payment receipt, to show and print. */
LinliPrintout *linli_payment_get_receipt (LinliPayment *self);

/* The resident changed their mind: the order is cancelled on the platform
 * (unless it was paid meanwhile, which the step then says). */
void linli_payment_cancel (LinliPayment *self);

G_END_DECLS
