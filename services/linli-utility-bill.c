/* linli-utility-bill.c — water, electricity, gas and heating bills
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "linli-platform"

#include "linli-utility-bill.h"

#include <string.h>

static const char *const utility_type_names[] = { "water", "electricity", "gas", "heating", NULL };
static const char *const bill_status_names[] = { "unpaid", "overdue", "paid", NULL };

const char *
linli_utility_type_to_string (LinliUtilityType type)
{
  return linli_json_enum_to_string (utility_type_names, (int) type);
}

gboolean
linli_utility_type_from_string (const char *name, LinliUtilityType *type)
{
  int index = linli_json_enum_from_string (utility_type_names, name);

  if (index < 0)
    return FALSE;
  *type = (LinliUtilityType) index;
  return TRUE;
}

const char *
linli_bill_status_to_string (LinliBillStatus status)
{
  return linli_json_enum_to_string (bill_status_names, (int) status);
}

void
linli_utility_account_free (LinliUtilityAccount *account)
{
  if (account == NULL)
    return;
  linli_platform_wipe_string (&account->account_number);
  linli_platform_wipe_string (&account->provider);
  linli_platform_wipe_string (&account->address_masked);
  g_free (account);
}

LinliUtilityAccount *
linli_utility_account_new_from_json (JsonNode *node, const char *path, GError **error)
{
  g_autoptr (LinliUtilityAccount) account = g_new0 (LinliUtilityAccount, 1);
  JsonObject *object;
  int type = 0;

  if (!linli_json_check_object (node, path, &object, error)
      || !linli_json_get_enum (object, path, "type", LINLI_JSON_REQUIRED, utility_type_names, &type,
                               error)
      || !linli_json_get_checked (object, path, "account_number", LINLI_JSON_REQUIRED,
                                  linli_check_utility_account, "a utility account number",
                                  &account->account_number, error)
      || !linli_json_get_string (object, path, "provider", LINLI_JSON_REQUIRED, LINLI_JSON_MAX_LINE,
                                 &account->provider, error)
      || !linli_json_get_string (object, path, "address_masked", LINLI_JSON_NULLABLE,
                                 LINLI_JSON_MAX_LINE, &account->address_masked, error))
    return NULL;
  account->type = (LinliUtilityType) type;
  return g_steal_pointer (&account);
}

static void
bill_free (gpointer data)
{
  LinliUtilityBill *bill = data;

  g_free (bill->bill_id);
  g_free (bill->period_start);
  g_free (bill->period_end);
  g_free (bill->unit);
  g_free (bill->due_date);
  g_free (bill);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LinliUtilityBill, bill_free)

static void
utility_bills_clear (gpointer data)
{
  LinliUtilityBills *self = data;

  linli_platform_wipe_string (&self->account_number);
  linli_platform_wipe_string (&self->provider);
  linli_platform_wipe_string (&self->holder_masked);
  linli_platform_wipe_string (&self->address_masked);
  g_clear_pointer (&self->bills, g_ptr_array_unref);
}

LINLI_DEFINE_MODEL (LinliUtilityBills, linli_utility_bills, utility_bills_clear)

static gboolean
check_bill_id (const char *text)
{
  gsize length = strlen (text);

  /* Not given a pattern by the contract; it goes back into a JSON body
   * only, but is printed on receipts: keep it short and plain. */
  if (length < 1 || length > 64)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isalnum (text[i]) && strchr ("-_.", text[i]) == NULL)
      return FALSE;
  return TRUE;
}

static LinliUtilityBill *
parse_bill (JsonNode *node, const char *path, GError **error)
{
  g_autoptr (LinliUtilityBill) bill = g_new0 (LinliUtilityBill, 1);
  JsonObject *object;
  int status = 0;

  bill->late_fee_fen = -1;
  if (!linli_json_check_object (node, path, &object, error)
      || !linli_json_get_checked (object, path, "bill_id", LINLI_JSON_REQUIRED, check_bill_id,
                                  "a bill id", &bill->bill_id, error)
      || !linli_json_get_date (object, path, "period_start", LINLI_JSON_REQUIRED,
                               &bill->period_start, error)
      || !linli_json_get_date (object, path, "period_end", LINLI_JSON_REQUIRED, &bill->period_end,
                               error)
      || !linli_json_get_number (object, path, "usage", LINLI_JSON_NULLABLE, 0, 1e12, &bill->usage,
                                 &bill->has_usage, error)
      || !linli_json_get_string (object, path, "unit", LINLI_JSON_NULLABLE, 16, &bill->unit, error)
      || !linli_json_get_fen (object, path, "amount_fen", LINLI_JSON_REQUIRED, &bill->amount_fen,
                              NULL, error)
      || !linli_json_get_fen (object, path, "late_fee_fen", LINLI_JSON_OPTIONAL,
                              &bill->late_fee_fen, NULL, error)
      || !linli_json_get_date (object, path, "due_date", LINLI_JSON_REQUIRED, &bill->due_date,
                               error)
      || !linli_json_get_enum (object, path, "status", LINLI_JSON_REQUIRED, bill_status_names,
                               &status, error))
    return NULL;
  bill->status = (LinliBillStatus) status;
  if (strcmp (bill->period_start, bill->period_end) > 0)
    return linli_json_set_invalid (error, path, "period_end", "before period_start"), NULL;
  if (bill->late_fee_fen > bill->amount_fen)
    return linli_json_set_invalid (error, path, "late_fee_fen", "more than amount_fen"), NULL;
  return g_steal_pointer (&bill);
}

LinliUtilityBills *
linli_utility_bills_new_from_json (JsonNode *node, GError **error)
{
  g_autoptr (LinliUtilityBills) self = g_atomic_rc_box_new0 (LinliUtilityBills);
  JsonObject *object;
  JsonArray *bills = NULL;
  int type = 0;

  self->prepaid_balance_fen = -1;
  if (!linli_json_check_object (node, NULL, &object, error)
      || !linli_json_get_enum (object, NULL, "utility_type", LINLI_JSON_REQUIRED,
                               utility_type_names, &type, error)
      || !linli_json_get_checked (object, NULL, "account_number", LINLI_JSON_REQUIRED,
                                  linli_check_utility_account, "a utility account number",
                                  &self->account_number, error)
      || !linli_json_get_string (object, NULL, "provider", LINLI_JSON_REQUIRED, LINLI_JSON_MAX_LINE,
                                 &self->provider, error)
      || !linli_json_get_string (object, NULL, "holder_masked", LINLI_JSON_NULLABLE,
                                 LINLI_JSON_MAX_CODE, &self->holder_masked, error)
      || !linli_json_get_string (object, NULL, "address_masked", LINLI_JSON_NULLABLE,
                                 LINLI_JSON_MAX_LINE, &self->address_masked, error)
      || !linli_json_get_fen (object, NULL, "prepaid_balance_fen", LINLI_JSON_OPTIONAL,
                              &self->prepaid_balance_fen, NULL, error)
      || !linli_json_get_array (object, NULL, "bills", LINLI_JSON_REQUIRED, 48, &bills, error))
    return NULL;
  self->utility_type = (LinliUtilityType) type;
  self->bills = g_ptr_array_new_with_free_func (bill_free);
  for (guint i = 0; i < json_array_get_length (bills); i++)
    {
      g_autofree char *where = linli_json_path_index (NULL, "bills", i);
      LinliUtilityBill *bill = parse_bill (json_array_get_element (bills, i), where, error);

      if (bill == NULL)
        return NULL;
      g_ptr_array_add (self->bills, bill);
    }
  return g_steal_pointer (&self);
}
