/* linli-payment-order.c — payment orders
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "linli-platform"

#include "linli-payment-order.h"

#include <string.h>

#include "linli-platform-error.h"
#include "linli-platform-error-private.h"

static const char *const state_names[] = { "pending", "paid", "expired", "cancelled", NULL };
static const char *const payable_kind_names[] = { "utility_bill", "medical_contribution", NULL };

const char *
linli_payment_state_to_string (LinliPaymentState state)
{
  return linli_json_enum_to_string (state_names, (int) state);
}

const char *
linli_payable_kind_to_string (LinliPayableKind kind)
{
  return linli_json_enum_to_string (payable_kind_names, (int) kind);
}

static void
order_clear (gpointer data)
{
  LinliPaymentOrder *self = data;

  g_free (self->order_id);
  linli_localized_text_free (self->description);
  g_free (self->qr_payload);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_clear_pointer (&self->expires_at, g_date_time_unref);
  g_clear_pointer (&self->paid_at, g_date_time_unref);
  g_free (self->transaction_id);
}

LINLI_DEFINE_MODEL (LinliPaymentOrder, linli_payment_order, order_clear)

gboolean
linli_payment_order_is_final (const LinliPaymentOrder *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->state != LINLI_PAYMENT_STATE_PENDING;
}

static gboolean
check_qr_payload (const char *text)
{
  gsize length = strlen (text);

  /* Opaque, but a QR code of printable ASCII (a URL): at most 512. */
  if (length < 1 || length > 512)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (text[i] < 0x21 || text[i] > 0x7e)
      return FALSE;
  return TRUE;
}

static gboolean
check_transaction_id (const char *text)
{
  gsize length = strlen (text);

  if (length < 1 || length > 64)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isalnum (text[i]) && strchr ("-_.", text[i]) == NULL)
      return FALSE;
  return TRUE;
}

LinliPaymentOrder *
linli_payment_order_new_from_json (JsonNode *node, GError **error)
{
  g_autoptr (LinliPaymentOrder) self = g_atomic_rc_box_new0 (LinliPaymentOrder);
  JsonObject *object;
  int state = 0;

  if (!linli_json_check_object (node, NULL, &object, error)
      || !linli_json_get_checked (object, NULL, "order_id", LINLI_JSON_REQUIRED,
                                  linli_check_order_id, "an order id", &self->order_id, error)
      || !linli_json_get_enum (object, NULL, "state", LINLI_JSON_REQUIRED, state_names, &state,
                               error)
      || !linli_json_get_int (object, NULL, "amount_fen", LINLI_JSON_REQUIRED, 1,
                              LINLI_JSON_MAX_FEN, &self->amount_fen, NULL, error)
      || !linli_json_get_text (object, NULL, "description", LINLI_JSON_OPTIONAL,
                               LINLI_JSON_MAX_LINE, &self->description, error)
      || !linli_json_get_checked (object, NULL, "qr_payload", LINLI_JSON_REQUIRED, check_qr_payload,
                                  "a QR payload of at most 512 characters", &self->qr_payload,
                                  error)
      || !linli_json_get_datetime (object, NULL, "created_at", LINLI_JSON_REQUIRED,
                                   &self->created_at, error)
      || !linli_json_get_datetime (object, NULL, "expires_at", LINLI_JSON_REQUIRED,
                                   &self->expires_at, error)
      || !linli_json_get_datetime (object, NULL, "paid_at", LINLI_JSON_NULLABLE, &self->paid_at,
                                   error)
      || !linli_json_get_checked (object, NULL, "transaction_id", LINLI_JSON_NULLABLE,
                                  check_transaction_id, "a transaction id", &self->transaction_id,
                                  error))
    return NULL;
  self->state = (LinliPaymentState) state;
  if (g_date_time_compare (self->expires_at, self->created_at) <= 0)
    return linli_json_set_invalid (error, NULL, "expires_at", "not after created_at"), NULL;
  if (self->state == LINLI_PAYMENT_STATE_PAID && self->paid_at == NULL)
    return linli_json_set_invalid (error, NULL, "paid_at", "missing for a paid order"), NULL;
  return g_steal_pointer (&self);
}

static gboolean
check_payable_id (const char *text)
{
  gsize length;

  if (text == NULL)
    return FALSE;
  length = strlen (text);
  if (length < 1 || length > 64)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isalnum (text[i]) && strchr ("-_.", text[i]) == NULL)
      return FALSE;
  return TRUE;
}

GBytes *
linli_platform_encode_payment_order (LinliPayableKind kind,
                                     const char *payable_id,
                                     gint64 expected_amount_fen,
                                     const char *resident_ref,
                                     char **content_type,
                                     GError **error)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  const char *kind_name = linli_payable_kind_to_string (kind);
  gsize length;
  char *text;

  if (kind_name == NULL || !check_payable_id (payable_id) || expected_amount_fen < 1
      || expected_amount_fen > LINLI_JSON_MAX_FEN
      || (resident_ref != NULL && !linli_check_resident_ref (resident_ref)))
    {
      linli_platform_set_rejected (error, "a request member breaks the contract");
      return NULL;
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "payable_kind");
  json_builder_add_string_value (builder, kind_name);
  json_builder_set_member_name (builder, "payable_id");
  json_builder_add_string_value (builder, payable_id);
  json_builder_set_member_name (builder, "expected_amount_fen");
  json_builder_add_int_value (builder, expected_amount_fen);
  if (resident_ref != NULL)
    {
      json_builder_set_member_name (builder, "resident_ref");
      json_builder_add_string_value (builder, resident_ref);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);
  if (content_type != NULL)
    *content_type = g_strdup ("application/json");
  return g_bytes_new_take (text, length);
}
