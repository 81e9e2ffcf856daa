/* platform-parsers.h — every JSON response parser of the platform
 * client, by the one-letter tag the seed corpus of fuzz-platform-json
 * uses. Shared by that fuzz target and test-platform-models.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "linli-platform.h"

typedef gpointer (*ParseFunc) (JsonNode *node, GError **error);

typedef struct
{
  char tag;
  ParseFunc parse;
  GDestroyNotify free_func;
} PlatformParser;

static const PlatformParser platform_parsers[] = {
  { 'C', (ParseFunc) linli_catalog_new_from_json, (GDestroyNotify) linli_catalog_unref },
  { 'I', (ParseFunc) linli_catalog_item_new_from_json, (GDestroyNotify) linli_catalog_item_unref },
  { 'R', (ParseFunc) linli_resident_new_from_json, (GDestroyNotify) linli_resident_unref },
  { 'S', (ParseFunc) linli_contribution_record_new_from_json,
    (GDestroyNotify) linli_contribution_record_unref },
  { 'Q', (ParseFunc) linli_insured_certificate_new_from_json,
    (GDestroyNotify) linli_insured_certificate_unref },
  { 'P', (ParseFunc) linli_pension_certification_new_from_json,
    (GDestroyNotify) linli_pension_certification_unref },
  { 'M', (ParseFunc) linli_medical_insurance_account_new_from_json,
    (GDestroyNotify) linli_medical_insurance_account_unref },
  { 'D', (ParseFunc) linli_contribution_due_new_from_json,
    (GDestroyNotify) linli_contribution_due_unref },
  { 'U', (ParseFunc) linli_utility_bills_new_from_json,
    (GDestroyNotify) linli_utility_bills_unref },
  { 'O', (ParseFunc) linli_payment_order_new_from_json,
    (GDestroyNotify) linli_payment_order_unref },
  { 'A', (ParseFunc) linli_application_new_from_json, (GDestroyNotify) linli_application_unref },
  { 'L', (ParseFunc) linli_application_list_new_from_json,
    (GDestroyNotify) linli_application_list_unref },
  { 'V', (ParseFunc) linli_evaluation_new_from_json, (GDestroyNotify) linli_evaluation_unref },
  { 'H', (ParseFunc) linli_heartbeat_ack_new_from_json,
    (GDestroyNotify) linli_heartbeat_ack_unref },
};
