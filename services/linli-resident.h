/* linli-resident.h — a looked-up resident and their linked accounts (Resident)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Personal data: the masked name, the masked addresses and the
 * resident_ref are wiped (explicit_bzero) when the last reference goes.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "linli-medical-insurance.h"
#include "linli-platform-json.h"
#include "linli-utility-bill.h"

G_BEGIN_DECLS

typedef enum
{
  LINLI_AGE_BAND_0_17,
  LINLI_AGE_BAND_18_59,
  LINLI_AGE_BAND_60_69,
  LINLI_AGE_BAND_70_79,
  LINLI_AGE_BAND_80_PLUS,
} LinliAgeBand;

typedef enum
{
  LINLI_SOCIAL_SECURITY_INSURED,
  LINLI_SOCIAL_SECURITY_SUSPENDED,
  LINLI_SOCIAL_SECURITY_RETIRED,
  LINLI_SOCIAL_SECURITY_TERMINATED,
  LINLI_SOCIAL_SECURITY_NOT_INSURED,
} LinliSocialSecurityStatus;

/* How the identity number was obtained (ResidentLookupRequest.source). */
typedef enum
{
  LINLI_LOOKUP_SOURCE_ID_CARD,
  LINLI_LOOKUP_SOURCE_SOCIAL_SECURITY_CARD,
  LINLI_LOOKUP_SOURCE_STAFF_ENTRY,
} LinliLookupSource;

const char *linli_age_band_to_string (LinliAgeBand band); /* "0-17"… */
const char *linli_social_security_status_to_string (LinliSocialSecurityStatus status);
const char *linli_lookup_source_to_string (LinliLookupSource source);

typedef struct
{
  LinliSocialSecurityStatus status;
  char *pension_certification_due; /* YYYY-MM-DD or NULL */
} LinliSocialSecurityLink;

typedef struct
{
  char *account_masked;
  LinliMedicalScheme scheme;
  LinliMedicalStatus status;
} LinliMedicalInsuranceLink;

typedef struct
{
  char *resident_ref;
  GDateTime *ref_expires_at;
  char *display_name; /* masked by the platform: 张*华 */
  LinliAgeBand age_band;
  LinliSocialSecurityLink *social_security;     /* or NULL: no such account */
  LinliMedicalInsuranceLink *medical_insurance; /* or NULL */
  GPtrArray *utilities;                         /* LinliUtilityAccount * */
} LinliResident;

GType linli_resident_get_type (void) G_GNUC_CONST;
#define LINLI_TYPE_RESIDENT (linli_resident_get_type ())

LinliResident *linli_resident_new_from_json (JsonNode *node, GError **error);
LinliResident *linli_resident_ref (LinliResident *self);
void linli_resident_unref (LinliResident *self);

/* The request body of lookupResident (the identity number travels only
 * there). @card_valid_until (YYYY-MM-DD) and @staff_id may be NULL. The
 * returned bytes are wiped when freed. */
GBytes *linli_platform_encode_lookup (const char *id_number,
                                      LinliLookupSource source,
                                      const char *card_valid_until,
                                      const char *staff_id,
                                      GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LinliResident, linli_resident_unref)

G_END_DECLS
