/* linli-payment-order.h — payment orders (PaymentOrder, PaymentOrderRequest)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "linli-platform-json.h"

G_BEGIN_DECLS

typedef enum
{
  LINLI_PAYMENT_STATE_PENDING,
  LINLI_PAYMENT_STATE_PAID,
  LINLI_PAYMENT_STATE_EXPIRED,
  LINLI_PAYMENT_STATE_CANCELLED,
} LinliPaymentState;

typedef enum
{
  LINLI_PAYABLE_UTILITY_BILL,         /* a LinliUtilityBill's bill_id */
  LINLI_PAYABLE_MEDICAL_CONTRIBUTION, /* a LinliContributionDue's payable_id */
} LinliPayableKind;

const char *linli_payment_state_to_string (LinliPaymentState state);
const char *linli_payable_kind_to_string (LinliPayableKind kind);

typedef struct
{
  char *order_id;
  LinliPaymentState state;
  gint64 amount_fen;
  LinliLocalizedText *description; /* or NULL */
  char *qr_payload;                /* opaque; drawn as a QR code */
  GDateTime *created_at;
  GDateTime *expires_at; /* after created_at */
  GDateTime *paid_at;    /* or NULL */
  char *transaction_id;  /* or NULL */
} LinliPaymentOrder;

GType linli_payment_order_get_type (void) G_GNUC_CONST;
#define LINLI_TYPE_PAYMENT_ORDER (linli_payment_order_get_type ())

LinliPaymentOrder *linli_payment_order_new_from_json (JsonNode *node, GError **error);
LinliPaymentOrder *linli_payment_order_ref (LinliPaymentOrder *self);
void linli_payment_order_unref (LinliPaymentOrder *self);
/* paid, expired and cancelled are final. */
gboolean linli_payment_order_is_final (const LinliPaymentOrder *self);

/* The JSON body of createPaymentOrder (POST /payments). @resident_ref may
 * be NULL (utility bills can be paid without identifying). *content_type
 * (may be NULL) is set to "application/json". */
GBytes *linli_platform_encode_payment_order (LinliPayableKind kind,
                                             const char *payable_id,
                                             gint64 expected_amount_fen,
                                             const char *resident_ref,
                                             char **content_type,
                                             GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LinliPaymentOrder, linli_payment_order_unref)

G_END_DECLS
