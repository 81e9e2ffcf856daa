/* linli-medical-insurance.c — medical-insurance account and contribution due
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "linli-platform"

#include "linli-medical-insurance.h"

#include <string.h>

const char *const linli_medical_scheme_names[] = { "employee", "resident", NULL };
const char *const linli_medical_status_names[] = { "active", "suspended", "lapsed", NULL };
static const char *const record_kind_names[] = {
  "credit", "outpatient", "inpatient", "pharmacy", "transfer", "adjustment", NULL,
};
static const char *const due_status_names[] = { "due", "paid", "not_applicable", NULL };

const char *
linli_medical_scheme_to_string (LinliMedicalScheme scheme)
{
  return linli_json_enum_to_string (linli_medical_scheme_names, (int) scheme);
}

const char *
linli_medical_status_to_string (LinliMedicalStatus status)
{
  return linli_json_enum_to_string (linli_medical_status_names, (int) status);
}

const char *
linli_medical_record_kind_to_string (LinliMedicalRecordKind kind)
{
  return linli_json_enum_to_string (record_kind_names, (int) kind);
}

const char *
linli_contribution_due_status_to_string (LinliContributionDueStatus status)
{
  return linli_json_enum_to_string (due_status_names, (int) status);
}

/* Masked account numbers: digits, letters and the mask. */
static gboolean
check_account_masked (const char *text)
{
  gsize length = strlen (text);

  if (length < 4 || length > 40)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isalnum (text[i]) && text[i] != '*' && text[i] != '-')
      return FALSE;
  return TRUE;
}

static gboolean
check_payable_id (const char *text)
{
  gsize length = strlen (text);

  if (length < 1 || length > 64)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isalnum (text[i]) && strchr ("-_.", text[i]) == NULL)
      return FALSE;
  return TRUE;
}

/* ---- MedicalInsuranceAccount ---------------------------------------------- */

static void
record_free (gpointer data)
{
  LinliMedicalRecord *record = data;

  g_free (record->date);
  linli_platform_wipe_string (&record->institution);
  g_free (record);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LinliMedicalRecord, record_free)

static void
account_clear (gpointer data)
{
  LinliMedicalInsuranceAccount *self = data;

  linli_platform_wipe_string (&self->account_masked);
  g_clear_pointer (&self->as_of, g_date_time_unref);
  g_clear_pointer (&self->records, g_ptr_array_unref);
  self->balance_fen = 0;
}

LINLI_DEFINE_MODEL (LinliMedicalInsuranceAccount, linli_medical_insurance_account, account_clear)

static LinliMedicalRecord *
parse_record (JsonNode *node, const char *path, GError **error)
{
  g_autoptr (LinliMedicalRecord) record = g_new0 (LinliMedicalRecord, 1);
  JsonObject *object;
  int kind = 0;

  if (!linli_json_check_object (node, path, &object, error)
      || !linli_json_get_date (object, path, "date", LINLI_JSON_REQUIRED, &record->date, error)
      || !linli_json_get_enum (object, path, "kind", LINLI_JSON_REQUIRED, record_kind_names, &kind,
                               error)
      || !linli_json_get_int (object, path, "amount_fen", LINLI_JSON_REQUIRED, -LINLI_JSON_MAX_FEN,
                              LINLI_JSON_MAX_FEN, &record->amount_fen, NULL, error)
      || !linli_json_get_string (object, path, "institution", LINLI_JSON_NULLABLE,
                                 LINLI_JSON_MAX_LINE, &record->institution, error))
    return NULL;
  record->kind = (LinliMedicalRecordKind) kind;
  return g_steal_pointer (&record);
}

LinliMedicalInsuranceAccount *
linli_medical_insurance_account_new_from_json (JsonNode *node, GError **error)
{
  g_autoptr (LinliMedicalInsuranceAccount) self
      = g_atomic_rc_box_new0 (LinliMedicalInsuranceAccount);
  JsonObject *object;
  JsonArray *records = NULL;
  int scheme = 0;

  if (!linli_json_check_object (node, NULL, &object, error)
      || !linli_json_get_checked (object, NULL, "account_masked", LINLI_JSON_REQUIRED,
                                  check_account_masked, "a masked account number",
                                  &self->account_masked, error)
      || !linli_json_get_enum (object, NULL, "scheme", LINLI_JSON_REQUIRED,
                               linli_medical_scheme_names, &scheme, error)
      || !linli_json_get_fen (object, NULL, "balance_fen", LINLI_JSON_REQUIRED, &self->balance_fen,
                              NULL, error)
      || !linli_json_get_datetime (object, NULL, "as_of", LINLI_JSON_REQUIRED, &self->as_of, error)
      || !linli_json_get_array (object, NULL, "records", LINLI_JSON_REQUIRED, 50, &records, error))
    return NULL;
  self->scheme = (LinliMedicalScheme) scheme;
  self->records = g_ptr_array_new_with_free_func (record_free);
  for (guint i = 0; i < json_array_get_length (records); i++)
    {
      g_autofree char *where = linli_json_path_index (NULL, "records", i);
      LinliMedicalRecord *record = parse_record (json_array_get_element (records, i), where, error);

      if (record == NULL)
        return NULL;
      g_ptr_array_add (self->records, record);
    }
  return g_steal_pointer (&self);
}

/* ---- ContributionDue ----------------------------------------------------- */

static void
due_clear (gpointer data)
{
  LinliContributionDue *self = data;

  g_free (self->deadline);
  g_free (self->payable_id);
}

LINLI_DEFINE_MODEL (LinliContributionDue, linli_contribution_due, due_clear)

LinliContributionDue *
linli_contribution_due_new_from_json (JsonNode *node, GError **error)
{
  g_autoptr (LinliContributionDue) self = g_atomic_rc_box_new0 (LinliContributionDue);
  JsonObject *object;
  int status = 0;

  if (!linli_json_check_object (node, NULL, &object, error)
      || !linli_json_get_int (object, NULL, "year", LINLI_JSON_REQUIRED, 2000, 2100, &self->year,
                              NULL, error)
      || !linli_json_get_fen (object, NULL, "amount_due_fen", LINLI_JSON_REQUIRED,
                              &self->amount_due_fen, NULL, error)
      || !linli_json_get_date (object, NULL, "deadline", LINLI_JSON_REQUIRED, &self->deadline,
                               error)
      || !linli_json_get_enum (object, NULL, "status", LINLI_JSON_REQUIRED, due_status_names,
                               &status, error)
      || !linli_json_get_checked (object, NULL, "payable_id", LINLI_JSON_NULLABLE, check_payable_id,
                                  "a payable id", &self->payable_id, error))
    return NULL;
  self->status = (LinliContributionDueStatus) status;
  /* The kiosk turns a due contribution into a payment order with this id. */
  if (self->status == LINLI_CONTRIBUTION_DUE_DUE && self->payable_id == NULL)
    return linli_json_set_invalid (error, NULL, "payable_id", "missing for a due contribution"),
           NULL;
  if (self->status != LINLI_CONTRIBUTION_DUE_DUE && self->payable_id != NULL)
    return linli_json_set_invalid (error, NULL, "payable_id", "given for a contribution not due"),
           NULL;
  return g_steal_pointer (&self);
}
