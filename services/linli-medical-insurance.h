/* linli-medical-insurance.h — medical-insurance account and contribution due
 * (MedicalInsuranceAccount, ContributionDue)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "linli-platform-json.h"

G_BEGIN_DECLS

typedef enum
{
  LINLI_MEDICAL_SCHEME_EMPLOYEE, /* 职工医保, has a personal account balance */
  LINLI_MEDICAL_SCHEME_RESIDENT, /* 城乡居民医保, pays an annual contribution */
} LinliMedicalScheme;

typedef enum
{
  LINLI_MEDICAL_STATUS_ACTIVE,
  LINLI_MEDICAL_STATUS_SUSPENDED,
  LINLI_MEDICAL_STATUS_LAPSED,
} LinliMedicalStatus;

typedef enum
{
  LINLI_MEDICAL_RECORD_CREDIT,
  LINLI_MEDICAL_RECORD_OUTPATIENT,
  LINLI_MEDICAL_RECORD_INPATIENT,
  LINLI_MEDICAL_RECORD_PHARMACY,
  LINLI_MEDICAL_RECORD_TRANSFER,
  LINLI_MEDICAL_RECORD_ADJUSTMENT,
} LinliMedicalRecordKind;

typedef enum
{
  LINLI_CONTRIBUTION_DUE_DUE,
  LINLI_CONTRIBUTION_DUE_PAID,
  LINLI_CONTRIBUTION_DUE_NOT_APPLICABLE,
} LinliContributionDueStatus;

const char *linli_medical_scheme_to_string (LinliMedicalScheme scheme);
const char *linli_medical_status_to_string (LinliMedicalStatus status);
const char *linli_medical_record_kind_to_string (LinliMedicalRecordKind kind);
const char *linli_contribution_due_status_to_string (LinliContributionDueStatus status);

/* For the resident's linked accounts: the enums' tables. */
extern const char *const linli_medical_scheme_names[];
extern const char *const linli_medical_status_names[];

typedef struct
{
  char *date; /* YYYY-MM-DD */
  LinliMedicalRecordKind kind;
  gint64 amount_fen; /* signed: negative for spending */
  char *institution; /* or NULL */
} LinliMedicalRecord;

typedef struct
{
  char *account_masked; /* personal, wiped */
  LinliMedicalScheme scheme;
  gint64 balance_fen;
  GDateTime *as_of;
  GPtrArray *records; /* LinliMedicalRecord *, newest first */
} LinliMedicalInsuranceAccount;

typedef struct
{
  gint64 year;
  gint64 amount_due_fen;
  char *deadline; /* YYYY-MM-DD */
  LinliContributionDueStatus status;
  char *payable_id; /* set exactly when status is due */
} LinliContributionDue;

GType linli_medical_insurance_account_get_type (void) G_GNUC_CONST;
#define LINLI_TYPE_MEDICAL_INSURANCE_ACCOUNT (linli_medical_insurance_account_get_type ())
GType linli_contribution_due_get_type (void) G_GNUC_CONST;
#define LINLI_TYPE_CONTRIBUTION_DUE (linli_contribution_due_get_type ())

LinliMedicalInsuranceAccount *linli_medical_insurance_account_new_from_json (JsonNode *node,
                                                                             GError **error);
LinliMedicalInsuranceAccount *linli_medical_insurance_account_ref (
    LinliMedicalInsuranceAccount *self);
void linli_medical_insurance_account_unref (LinliMedicalInsuranceAccount *self);

LinliContributionDue *linli_contribution_due_new_from_json (JsonNode *node, GError **error);
LinliContributionDue *linli_contribution_due_ref (LinliContributionDue *self);
void linli_contribution_due_unref (LinliContributionDue *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LinliMedicalInsuranceAccount, linli_medical_insurance_account_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LinliContributionDue, linli_contribution_due_unref)

G_END_DECLS
