/* linli-social-security.h — contribution record, insured-status certificate
 * and pension qualification certification (ContributionRecord,
 * InsuredCertificate, PensionCertification)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "linli-platform-json.h"

G_BEGIN_DECLS

typedef enum
{
  LINLI_CONTRIBUTION_PAID,
  LINLI_CONTRIBUTION_UNPAID,
  LINLI_CONTRIBUTION_BACK_PAID,
} LinliContributionStatus;

typedef enum
{
  LINLI_INSURANCE_PENSION,
  LINLI_INSURANCE_MEDICAL,
  LINLI_INSURANCE_UNEMPLOYMENT,
  LINLI_INSURANCE_WORK_INJURY,
  LINLI_INSURANCE_MATERNITY,
} LinliInsurance;

typedef enum
{
  LINLI_INSURANCE_STATUS_INSURED,
  LINLI_INSURANCE_STATUS_SUSPENDED,
  LINLI_INSURANCE_STATUS_RETIRED,
  LINLI_INSURANCE_STATUS_TERMINATED,
} LinliInsuranceStatus;

typedef enum
{
  LINLI_CERTIFICATION_ACCEPTED,
  LINLI_CERTIFICATION_REJECTED,
  LINLI_CERTIFICATION_PENDING,
} LinliCertificationResult;

const char *linli_contribution_status_to_string (LinliContributionStatus status);
const char *linli_insurance_to_string (LinliInsurance insurance);
const char *linli_insurance_status_to_string (LinliInsuranceStatus status);
const char *linli_certification_result_to_string (LinliCertificationResult result);

/* ---- ContributionRecord ---- */

typedef struct
{
  char *month; /* YYYY-MM, within the record's year */
  gint64 base_fen;
  gint64 personal_fen;
  gint64 employer_fen;
  LinliContributionStatus status;
  char *employer_name; /* or NULL (flexible employment) */
} LinliContributionMonth;

typedef struct
{
  gint64 year;
  GPtrArray *months; /* LinliContributionMonth *, January first, at most 12 */
  gint64 total_personal_fen;
  gint64 total_employer_fen;
  gint64 cumulative_months;
} LinliContributionRecord;

GType linli_contribution_record_get_type (void) G_GNUC_CONST;
#define LINLI_TYPE_CONTRIBUTION_RECORD (linli_contribution_record_get_type ())
LinliContributionRecord *linli_contribution_record_new_from_json (JsonNode *node, GError **error);
LinliContributionRecord *linli_contribution_record_ref (LinliContributionRecord *self);
void linli_contribution_record_unref (LinliContributionRecord *self);

/* ---- InsuredCertificate (personal: the full name; wiped) ---- */

typedef struct
{
  LinliInsurance insurance;
  LinliInsuranceStatus status;
  char *since; /* YYYY-MM-DD */
  gint64 cumulative_months;
} LinliInsuranceLine;

typedef struct
{
  char *certificate_number;
  char *verification_code;
  char *verify_url; /* https URL */
  GDateTime *issued_at;
  char *valid_until; /* YYYY-MM-DD */
  char *name;        /* full name, for printing only */
  char *id_number_masked;
  GPtrArray *insurances; /* LinliInsuranceLine * */
  char *issuer;          /* or NULL */
} LinliInsuredCertificate;

GType linli_insured_certificate_get_type (void) G_GNUC_CONST;
#define LINLI_TYPE_INSURED_CERTIFICATE (linli_insured_certificate_get_type ())
LinliInsuredCertificate *linli_insured_certificate_new_from_json (JsonNode *node, GError **error);
LinliInsuredCertificate *linli_insured_certificate_ref (LinliInsuredCertificate *self);
void linli_insured_certificate_unref (LinliInsuredCertificate *self);

/* ---- PensionCertification ---- */

typedef struct
{
  char *certification_id;
  LinliCertificationResult result;
  LinliLocalizedText *reason; /* for rejected; or NULL */
  GDateTime *received_at;
  GDateTime *decided_at; /* NULL while pending */
  char *valid_until;     /* for accepted; YYYY-MM-DD or NULL */
} LinliPensionCertification;

GType linli_pension_certification_get_type (void) G_GNUC_CONST;
#define LINLI_TYPE_PENSION_CERTIFICATION (linli_pension_certification_get_type ())
LinliPensionCertification *linli_pension_certification_new_from_json (JsonNode *node,
                                                                      GError **error);
LinliPensionCertification *linli_pension_certification_ref (LinliPensionCertification *self);
void linli_pension_certification_unref (LinliPensionCertification *self);

/* The multipart/form-data body of submitPensionCertification (POST to
 * linli_platform_path_pension_certifications()): the JSON part
 * `certification` (consent given at @consent_given_at to the consent text
 * @consent_text_version, photo taken at @captured_at, @assisted_by the staff
 * id or NULL) and the JPEG part `photo` (at most 2 MiB). */
GBytes *linli_platform_encode_pension_certification (GDateTime *consent_given_at,
                                                     const char *consent_text_version,
                                                     GDateTime *captured_at,
                                                     const char *assisted_by,
                                                     GBytes *photo,
                                                     char **content_type,
                                                     GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LinliContributionRecord, linli_contribution_record_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LinliInsuredCertificate, linli_insured_certificate_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LinliPensionCertification, linli_pension_certification_unref)

G_END_DECLS
