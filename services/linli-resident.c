/* linli-resident.c — a looked-up resident and their linked accounts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "linli-platform"

#include "linli-resident.h"

#include <string.h>

#include "linli-platform-error.h"
#include "linli-platform-error-private.h"

static const char *const age_band_names[] = { "0-17", "18-59", "60-69", "70-79", "80+", NULL };
static const char *const social_security_names[] = {
  "insured", "suspended", "retired", "terminated", "not_insured", NULL,
};
static const char *const lookup_source_names[] = {
  "id_card",
  "social_security_card",
  "staff_entry",
  NULL,
};

const char *
linli_age_band_to_string (LinliAgeBand band)
{
  return linli_json_enum_to_string (age_band_names, (int) band);
}

const char *
linli_social_security_status_to_string (LinliSocialSecurityStatus status)
{
  return linli_json_enum_to_string (social_security_names, (int) status);
}

const char *
linli_lookup_source_to_string (LinliLookupSource source)
{
  return linli_json_enum_to_string (lookup_source_names, (int) source);
}

static void
social_security_free (LinliSocialSecurityLink *link)
{
  g_free (link->pension_certification_due);
  g_free (link);
}

static void
medical_free (LinliMedicalInsuranceLink *link)
{
  linli_platform_wipe_string (&link->account_masked);
  g_free (link);
}

static void
resident_clear (gpointer data)
{
  LinliResident *self = data;

  linli_platform_wipe_string (&self->resident_ref);
  linli_platform_wipe_string (&self->display_name);
  g_clear_pointer (&self->ref_expires_at, g_date_time_unref);
  g_clear_pointer (&self->social_security, social_security_free);
  g_clear_pointer (&self->medical_insurance, medical_free);
  g_clear_pointer (&self->utilities, g_ptr_array_unref);
  self->age_band = 0;
}

LINLI_DEFINE_MODEL (LinliResident, linli_resident, resident_clear)

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
parse_accounts (LinliResident *self, JsonObject *parent, GError **error)
{
  JsonObject *accounts = NULL, *social = NULL, *medical = NULL;
  JsonArray *utilities = NULL;

  if (!linli_json_get_object (parent, NULL, "accounts", LINLI_JSON_REQUIRED, &accounts, error)
      || !linli_json_get_object (accounts, "accounts", "social_security",
                                 LINLI_JSON_REQUIRED | LINLI_JSON_NULLABLE, &social, error)
      || !linli_json_get_object (accounts, "accounts", "medical_insurance",
                                 LINLI_JSON_REQUIRED | LINLI_JSON_NULLABLE, &medical, error)
      || !linli_json_get_array (accounts, "accounts", "utilities", LINLI_JSON_REQUIRED, 20,
                                &utilities, error))
    return FALSE;

  if (social != NULL)
    {
      int status = 0;

      self->social_security = g_new0 (LinliSocialSecurityLink, 1);
      if (!linli_json_get_enum (social, "accounts.social_security", "status", LINLI_JSON_REQUIRED,
                                social_security_names, &status, error)
          || !linli_json_get_date (social, "accounts.social_security", "pension_certification_due",
                                   LINLI_JSON_NULLABLE,
                                   &self->social_security->pension_certification_due, error))
        return FALSE;
      self->social_security->status = (LinliSocialSecurityStatus) status;
    }
  if (medical != NULL)
    {
      int scheme = 0, status = 0;

      self->medical_insurance = g_new0 (LinliMedicalInsuranceLink, 1);
      if (!linli_json_get_checked (medical, "accounts.medical_insurance", "account_masked",
                                   LINLI_JSON_REQUIRED, check_account_masked,
                                   "a masked account number",
                                   &self->medical_insurance->account_masked, error)
          || !linli_json_get_enum (medical, "accounts.medical_insurance", "scheme",
                                   LINLI_JSON_REQUIRED, linli_medical_scheme_names, &scheme, error)
          || !linli_json_get_enum (medical, "accounts.medical_insurance", "status",
                                   LINLI_JSON_REQUIRED, linli_medical_status_names, &status, error))
        return FALSE;
      self->medical_insurance->scheme = (LinliMedicalScheme) scheme;
      self->medical_insurance->status = (LinliMedicalStatus) status;
    }
  self->utilities = g_ptr_array_new_with_free_func ((GDestroyNotify) linli_utility_account_free);
  for (guint i = 0; i < json_array_get_length (utilities); i++)
    {
      g_autofree char *where = linli_json_path_index ("accounts", "utilities", i);
      LinliUtilityAccount *account = linli_utility_account_new_from_json (
          json_array_get_element (utilities, i), where, error);

      if (account == NULL)
        return FALSE;
      g_ptr_array_add (self->utilities, account);
    }
  return TRUE;
}

/* The platform masks the name (张*华, 张*), so a name without a mask
 * would be a full name the kiosk must not show: refused. */
static gboolean
check_display_name (const char *text)
{
  glong length = g_utf8_strlen (text, -1);

  return length >= 2 && length <= 32 && strchr (text, '*') != NULL;
}

LinliResident *
linli_resident_new_from_json (JsonNode *node, GError **error)
{
  g_autoptr (LinliResident) self = g_atomic_rc_box_new0 (LinliResident);
  JsonObject *object;
  int band = 0;

  if (!linli_json_check_object (node, NULL, &object, error)
      || !linli_json_get_checked (object, NULL, "resident_ref", LINLI_JSON_REQUIRED,
                                  linli_check_resident_ref, "a resident_ref", &self->resident_ref,
                                  error)
      || !linli_json_get_datetime (object, NULL, "ref_expires_at", LINLI_JSON_REQUIRED,
                                   &self->ref_expires_at, error)
      || !linli_json_get_checked (object, NULL, "display_name", LINLI_JSON_REQUIRED,
                                  check_display_name, "a masked name of at most 32 characters",
                                  &self->display_name, error)
      || !linli_json_get_enum (object, NULL, "age_band", LINLI_JSON_REQUIRED, age_band_names, &band,
                               error)
      || !parse_accounts (self, object, error))
    return NULL;
  self->age_band = (LinliAgeBand) band;
  return g_steal_pointer (&self);
}

GBytes *
linli_platform_encode_lookup (const char *id_number,
                              LinliLookupSource source,
                              const char *card_valid_until,
                              const char *staff_id,
                              GError **error)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  const char *source_name = linli_lookup_source_to_string (source);
  char *text;

  if (!linli_check_id_number (id_number) || source_name == NULL
      || (card_valid_until != NULL && !linli_json_is_date (card_valid_until))
      || (staff_id != NULL && (staff_id[0] == '\0' || strlen (staff_id) > 64)))
    {
      linli_platform_set_rejected (error, "a request member breaks the contract");
      return NULL;
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id_number");
  json_builder_add_string_value (builder, id_number);
  json_builder_set_member_name (builder, "source");
  json_builder_add_string_value (builder, source_name);
  json_builder_set_member_name (builder, "card_valid_until");
  if (card_valid_until != NULL)
    json_builder_add_string_value (builder, card_valid_until);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "staff_id");
  if (staff_id != NULL)
    json_builder_add_string_value (builder, staff_id);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  /* The tree's copy of the number goes too. */
  linli_json_node_wipe (root);
  return linli_platform_bytes_new_wiped (text, strlen (text));
}
