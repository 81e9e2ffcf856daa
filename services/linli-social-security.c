/* linli-social-security.c — contribution record, insured-status certificate
 * and pension qualification certification
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "linli-platform"

#include "linli-social-security.h"

#include <libsoup/soup.h>
#include <string.h>

#include "linli-platform-error-private.h"

static const char *const contribution_status_names[] = { "paid", "unpaid", "back_paid", NULL };
static const char *const insurance_names[] = {
  "pension", "medical", "unemployment", "work_injury", "maternity", NULL,
};
static const char *const insurance_status_names[] = {
  "insured", "suspended", "retired", "terminated", NULL,
};
static const char *const certification_result_names[] = { "accepted", "rejected", "pending", NULL };

const char *
linli_contribution_status_to_string (LinliContributionStatus status)
{
  return linli_json_enum_to_string (contribution_status_names, (int) status);
}

const char *
linli_insurance_to_string (LinliInsurance insurance)
{
  return linli_json_enum_to_string (insurance_names, (int) insurance);
}

const char *
linli_insurance_status_to_string (LinliInsuranceStatus status)
{
  return linli_json_enum_to_string (insurance_status_names, (int) status);
}

const char *
linli_certification_result_to_string (LinliCertificationResult result)
{
  return linli_json_enum_to_string (certification_result_names, (int) result);
}

/* ---- ContributionRecord ------------------------------------------------------ */

static void
month_free (gpointer data)
{
  LinliContributionMonth *month = data;

  g_free (month->month);
  linli_platform_wipe_string (&month->employer_name);
  g_free (month);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LinliContributionMonth, month_free)

static void
record_clear (gpointer data)
{
  LinliContributionRecord *self = data;

  g_clear_pointer (&self->months, g_ptr_array_unref);
  self->total_personal_fen = self->total_employer_fen = self->cumulative_months = 0;
}

LINLI_DEFINE_MODEL (LinliContributionRecord, linli_contribution_record, record_clear)

static LinliContributionMonth *
parse_month (JsonNode *node, const char *path, gint64 year, GError **error)
{
  g_autoptr (LinliContributionMonth) month = g_new0 (LinliContributionMonth, 1);
  JsonObject *object;
  int status = 0;

  if (!linli_json_check_object (node, path, &object, error)
      || !linli_json_get_month (object, path, "month", LINLI_JSON_REQUIRED, &month->month, error)
      || !linli_json_get_fen (object, path, "base_fen", LINLI_JSON_REQUIRED, &month->base_fen, NULL,
                              error)
      || !linli_json_get_fen (object, path, "personal_fen", LINLI_JSON_REQUIRED,
                              &month->personal_fen, NULL, error)
      || !linli_json_get_fen (object, path, "employer_fen", LINLI_JSON_REQUIRED,
                              &month->employer_fen, NULL, error)
      || !linli_json_get_enum (object, path, "status", LINLI_JSON_REQUIRED,
                               contribution_status_names, &status, error)
      || !linli_json_get_string (object, path, "employer_name", LINLI_JSON_NULLABLE,
                                 LINLI_JSON_MAX_LINE, &month->employer_name, error))
    return NULL;
  month->status = (LinliContributionStatus) status;
  if (g_ascii_strtoll (month->month, NULL, 10) != year)
    return linli_json_set_invalid (error, path, "month", "not in the record's year"), NULL;
  return g_steal_pointer (&month);
}

LinliContributionRecord *
linli_contribution_record_new_from_json (JsonNode *node, GError **error)
{
  g_autoptr (LinliContributionRecord) self = g_atomic_rc_box_new0 (LinliContributionRecord);
  JsonObject *object;
  JsonArray *months = NULL;

  if (!linli_json_check_object (node, NULL, &object, error)
      || !linli_json_get_int (object, NULL, "year", LINLI_JSON_REQUIRED, 1990, 2100, &self->year,
                              NULL, error)
      || !linli_json_get_array (object, NULL, "months", LINLI_JSON_REQUIRED, 12, &months, error)
      || !linli_json_get_fen (object, NULL, "total_personal_fen", LINLI_JSON_REQUIRED,
                              &self->total_personal_fen, NULL, error)
      || !linli_json_get_fen (object, NULL, "total_employer_fen", LINLI_JSON_REQUIRED,
                              &self->total_employer_fen, NULL, error)
      || !linli_json_get_int (object, NULL, "cumulative_months", LINLI_JSON_REQUIRED, 0, 12 * 120,
                              &self->cumulative_months, NULL, error))
    return NULL;
  self->months = g_ptr_array_new_with_free_func (month_free);
  for (guint i = 0; i < json_array_get_length (months); i++)
    {
      g_autofree char *where = linli_json_path_index (NULL, "months", i);
      LinliContributionMonth *month
          = parse_month (json_array_get_element (months, i), where, self->year, error);

      if (month == NULL)
        return NULL;
      /* January first, each month once: the screen reads them in order. */
      if (i > 0
          && strcmp (((LinliContributionMonth *) self->months->pdata[i - 1])->month, month->month)
                 >= 0)
        {
          month_free (month);
          return linli_json_set_invalid (error, where, "month", "not after the previous month"),
                 NULL;
        }
      g_ptr_array_add (self->months, month);
    }
  return g_steal_pointer (&self);
}

/* ---- InsuredCertificate ----------------------------------------------------- */

static void
line_free (gpointer data)
{
  LinliInsuranceLine *line = data;

  g_free (line->since);
  g_free (line);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LinliInsuranceLine, line_free)

static void
certificate_clear (gpointer data)
{
  LinliInsuredCertificate *self = data;

  linli_platform_wipe_string (&self->certificate_number);
  linli_platform_wipe_string (&self->verification_code);
  g_free (self->verify_url);
  g_clear_pointer (&self->issued_at, g_date_time_unref);
  g_free (self->valid_until);
  linli_platform_wipe_string (&self->name);
  linli_platform_wipe_string (&self->id_number_masked);
  g_clear_pointer (&self->insurances, g_ptr_array_unref);
  g_free (self->issuer);
}

LINLI_DEFINE_MODEL (LinliInsuredCertificate, linli_insured_certificate, certificate_clear)

static gboolean
check_verification_code (const char *text)
{
  gsize length = strlen (text);

  if (length < 8 || length > 16)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isupper (text[i]) && !g_ascii_isdigit (text[i]))
      return FALSE;
  return TRUE;
}

static gboolean
check_certificate_number (const char *text)
{
  gsize length = strlen (text);

  if (length < 4 || length > 64)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isalnum (text[i]) && text[i] != '-')
      return FALSE;
  return TRUE;
}

/* Printed as text and in a QR code for anyone to open: only https. */
static gboolean
check_verify_url (const char *text)
{
  g_autoptr (GUri) uri = NULL;

  if (strlen (text) > 512)
    return FALSE;
  uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
  return uri != NULL && g_strcmp0 (g_uri_get_scheme (uri), "https") == 0
         && g_uri_get_host (uri) != NULL && g_uri_get_host (uri)[0] != '\0';
}

/* 110105********002X: 18 characters, digits 7–14 masked. */
static gboolean
check_id_number_masked (const char *text)
{
  if (strlen (text) != 18)
    return FALSE;
  for (gsize i = 0; i < 18; i++)
    {
      char c = text[i];

      if (i >= 6 && i < 14)
        {
          if (c != '*')
            return FALSE;
        }
      else if (!g_ascii_isdigit (c) && !(i == 17 && c == 'X'))
        return FALSE;
    }
  return TRUE;
}

static LinliInsuranceLine *
parse_line (JsonNode *node, const char *path, GError **error)
{
  g_autoptr (LinliInsuranceLine) line = g_new0 (LinliInsuranceLine, 1);
  JsonObject *object;
  int insurance = 0, status = 0;

  if (!linli_json_check_object (node, path, &object, error)
      || !linli_json_get_enum (object, path, "insurance", LINLI_JSON_REQUIRED, insurance_names,
                               &insurance, error)
      || !linli_json_get_enum (object, path, "status", LINLI_JSON_REQUIRED, insurance_status_names,
                               &status, error)
      || !linli_json_get_date (object, path, "since", LINLI_JSON_REQUIRED, &line->since, error)
      || !linli_json_get_int (object, path, "cumulative_months", LINLI_JSON_REQUIRED, 0, 12 * 120,
                              &line->cumulative_months, NULL, error))
    return NULL;
  line->insurance = (LinliInsurance) insurance;
  line->status = (LinliInsuranceStatus) status;
  return g_steal_pointer (&line);
}

LinliInsuredCertificate *
linli_insured_certificate_new_from_json (JsonNode *node, GError **error)
{
  g_autoptr (LinliInsuredCertificate) self = g_atomic_rc_box_new0 (LinliInsuredCertificate);
  JsonObject *object;
  JsonArray *lines = NULL;

  if (!linli_json_check_object (node, NULL, &object, error)
      || !linli_json_get_checked (object, NULL, "certificate_number", LINLI_JSON_REQUIRED,
                                  check_certificate_number, "a certificate number",
                                  &self->certificate_number, error)
      || !linli_json_get_checked (object, NULL, "verification_code", LINLI_JSON_REQUIRED,
                                  check_verification_code, "a verification code",
                                  &self->verification_code, error)
      || !linli_json_get_checked (object, NULL, "verify_url", LINLI_JSON_REQUIRED, check_verify_url,
                                  "an https URL", &self->verify_url, error)
      || !linli_json_get_datetime (object, NULL, "issued_at", LINLI_JSON_REQUIRED, &self->issued_at,
                                   error)
      || !linli_json_get_date (object, NULL, "valid_until", LINLI_JSON_REQUIRED, &self->valid_until,
                               error)
      || !linli_json_get_string (object, NULL, "name", LINLI_JSON_REQUIRED, 64, &self->name, error)
      || !linli_json_get_checked (object, NULL, "id_number_masked", LINLI_JSON_REQUIRED,
                                  check_id_number_masked, "a masked identity number",
                                  &self->id_number_masked, error)
      || !linli_json_get_array (object, NULL, "insurances", LINLI_JSON_REQUIRED, 10, &lines, error)
      || !linli_json_get_string (object, NULL, "issuer", LINLI_JSON_OPTIONAL, LINLI_JSON_MAX_LINE,
                                 &self->issuer, error))
    return NULL;
  self->insurances = g_ptr_array_new_with_free_func (line_free);
  for (guint i = 0; i < json_array_get_length (lines); i++)
    {
      g_autofree char *where = linli_json_path_index (NULL, "insurances", i);
      LinliInsuranceLine *line = parse_line (json_array_get_element (lines, i), where, error);

      if (line == NULL)
        return NULL;
      g_ptr_array_add (self->insurances, line);
    }
  return g_steal_pointer (&self);
}

/* ---- PensionCertification ------------------------------------------------ */

static void
certification_clear (gpointer data)
{
  LinliPensionCertification *self = data;

  g_free (self->certification_id);
  linli_localized_text_free (self->reason);
  g_clear_pointer (&self->received_at, g_date_time_unref);
  g_clear_pointer (&self->decided_at, g_date_time_unref);
  g_free (self->valid_until);
}

LINLI_DEFINE_MODEL (LinliPensionCertification, linli_pension_certification, certification_clear)

LinliPensionCertification *
linli_pension_certification_new_from_json (JsonNode *node, GError **error)
{
  g_autoptr (LinliPensionCertification) self = g_atomic_rc_box_new0 (LinliPensionCertification);
  JsonObject *object;
  int result = 0;

  if (!linli_json_check_object (node, NULL, &object, error)
      || !linli_json_get_checked (object, NULL, "certification_id", LINLI_JSON_REQUIRED,
                                  linli_check_certification_id, "a certification id",
                                  &self->certification_id, error)
      || !linli_json_get_enum (object, NULL, "result", LINLI_JSON_REQUIRED,
                               certification_result_names, &result, error)
      || !linli_json_get_text (object, NULL, "reason", LINLI_JSON_MULTILINE, LINLI_JSON_MAX_TEXT,
                               &self->reason, error)
      || !linli_json_get_datetime (object, NULL, "received_at", LINLI_JSON_REQUIRED,
                                   &self->received_at, error)
      || !linli_json_get_datetime (object, NULL, "decided_at", LINLI_JSON_NULLABLE,
                                   &self->decided_at, error)
      || !linli_json_get_date (object, NULL, "valid_until", LINLI_JSON_NULLABLE, &self->valid_until,
                               error))
    return NULL;
  self->result = (LinliCertificationResult) result;
  if (self->result != LINLI_CERTIFICATION_PENDING && self->decided_at == NULL)
    return linli_json_set_invalid (error, NULL, "decided_at", "missing for a decided result"), NULL;
  return g_steal_pointer (&self);
}

/* ---- The certification's upload ------------------------------------------- */

#define MAX_PHOTO (2u << 20)

static gboolean
check_short_text (const char *text)
{
  return text != NULL && text[0] != '\0' && g_utf8_validate (text, -1, NULL)
         && g_utf8_strlen (text, -1) <= 64;
}

GBytes *
linli_platform_encode_pension_certification (GDateTime *consent_given_at,
                                             const char *consent_text_version,
                                             GDateTime *captured_at,
                                             const char *assisted_by,
                                             GBytes *photo,
                                             char **content_type,
                                             GError **error)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (SoupMultipart) multipart = NULL;
  g_autoptr (SoupMessageHeaders) json_headers = NULL;
  g_autoptr (SoupMessageHeaders) headers = NULL;
  g_autoptr (GHashTable) disposition = NULL;
  g_autoptr (GBytes) json_part = NULL;
  g_autofree char *given = NULL;
  g_autofree char *captured = NULL;
  const guint8 *data;
  gsize size = 0, length = 0;
  GBytes *body = NULL;
  char *text;

  g_return_val_if_fail (content_type != NULL, NULL);
  if (consent_given_at == NULL || captured_at == NULL)
    return linli_platform_set_rejected (error, "certification: no consent or capture time"), NULL;
  /* The photo may only be taken after the resident consented. */
  if (g_date_time_compare (captured_at, consent_given_at) < 0)
    return linli_platform_set_rejected (error, "certification: photo taken before consent"), NULL;
  if (!check_short_text (consent_text_version))
    return linli_platform_set_rejected (error, "certification: no consent text version"), NULL;
  if (assisted_by != NULL && !check_short_text (assisted_by))
    return linli_platform_set_rejected (error, "certification: staff id too long"), NULL;
  data = photo != NULL ? g_bytes_get_data (photo, &size) : NULL;
  if (data == NULL || size < 3 || data[0] != 0xff || data[1] != 0xd8 || data[2] != 0xff)
    return linli_platform_set_rejected (error, "certification: the photo is not a JPEG image"),
           NULL;
  if (size > MAX_PHOTO)
    return linli_platform_set_rejected (error, "certification: the photo is larger than 2 MiB"),
           NULL;

  given = linli_json_format_datetime (consent_given_at);
  captured = linli_json_format_datetime (captured_at);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "consent");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "given_at");
  json_builder_add_string_value (builder, given);
  json_builder_set_member_name (builder, "text_version");
  json_builder_add_string_value (builder, consent_text_version);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "captured_at");
  json_builder_add_string_value (builder, captured);
  json_builder_set_member_name (builder, "assisted_by");
  if (assisted_by != NULL)
    json_builder_add_string_value (builder, assisted_by);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);
  json_part = g_bytes_new_take (text, length);

  multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  json_headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_MULTIPART);
  disposition = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (disposition, (gpointer) "name", (gpointer) "certification");
  soup_message_headers_set_content_disposition (json_headers, "form-data", disposition);
  soup_message_headers_set_content_type (json_headers, "application/json", NULL);
  soup_multipart_append_part (multipart, json_headers, json_part);
  soup_multipart_append_form_file (multipart, "photo", "photo.jpg", "image/jpeg", photo);
  headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  soup_multipart_to_message (multipart, headers, &body);
  *content_type = g_strdup (soup_message_headers_get_one (headers, "Content-Type"));
  return body;
}
