/* linli-utility-bill.h — water, electricity, gas and heating bills (UtilityBills)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "linli-platform-json.h"

G_BEGIN_DECLS

typedef enum
{
  LINLI_UTILITY_TYPE_WATER,
  LINLI_UTILITY_TYPE_ELECTRICITY,
  LINLI_UTILITY_TYPE_GAS,
  LINLI_UTILITY_TYPE_HEATING,
} LinliUtilityType;

typedef enum
{
  LINLI_BILL_STATUS_UNPAID,
  LINLI_BILL_STATUS_OVERDUE,
  LINLI_BILL_STATUS_PAID,
} LinliBillStatus;

/* "water"…, "unpaid"…: the contract's names (also in paths). */
const char *linli_utility_type_to_string (LinliUtilityType type);
gboolean linli_utility_type_from_string (const char *name, LinliUtilityType *type);
const char *linli_bill_status_to_string (LinliBillStatus status);

/* Also the linked accounts of a resident (UtilityAccount). */
typedef struct
{
  LinliUtilityType type;
  char *account_number;
  char *provider;
  char *address_masked; /* or NULL; personal, wiped */
} LinliUtilityAccount;

void linli_utility_account_free (LinliUtilityAccount *account);
/* Reads one UtilityAccount object (for the resident's accounts). */
LinliUtilityAccount *linli_utility_account_new_from_json (JsonNode *node,
                                                          const char *path,
                                                          GError **error);

typedef struct
{
  char *bill_id;
  char *period_start; /* YYYY-MM-DD */
  char *period_end;   /* YYYY-MM-DD, not before period_start */
  gboolean has_usage;
  double usage;
  char *unit; /* or NULL */
  gint64 amount_fen;
  gint64 late_fee_fen; /* -1: none; included in amount_fen */
  char *due_date;      /* YYYY-MM-DD */
  LinliBillStatus status;
} LinliUtilityBill;

typedef struct
{
  LinliUtilityType utility_type;
  char *account_number;
  char *provider;
  char *holder_masked;        /* or NULL; personal, wiped */
  char *address_masked;       /* or NULL; personal, wiped */
  gint64 prepaid_balance_fen; /* -1: not a prepaid meter */
  GPtrArray *bills;           /* LinliUtilityBill * */
} LinliUtilityBills;

GType linli_utility_bills_get_type (void) G_GNUC_CONST;
#define LINLI_TYPE_UTILITY_BILLS (linli_utility_bills_get_type ())

LinliUtilityBills *linli_utility_bills_new_from_json (JsonNode *node, GError **error);
LinliUtilityBills *linli_utility_bills_ref (LinliUtilityBills *self);
void linli_utility_bills_unref (LinliUtilityBills *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LinliUtilityBills, linli_utility_bills_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LinliUtilityAccount, linli_utility_account_free)

G_END_DECLS
