/* test-platform-models.c — the response models, the error body, the
 * request encoders and the catalog cache of the platform client, without a
 * network.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The seed corpus (tests/fuzz/corpus/platform-json/, generated from the
 * contract by test-platform-examples.py) is the contract's examples and
 * their malformed variants: every ok-* seed must parse, every bad-* seed
 * must be refused with INVALID_RESPONSE.
 */
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <locale.h>
#include <string.h>
#include <sys/stat.h>

#include "linli-build-config.h"
#include "linli-platform.h"

#include "platform-parsers.h"

static char *
corpus_dir (void)
{
  return g_test_build_filename (G_TEST_DIST, "..", "fuzz", "corpus", "platform-json", NULL);
}

/* Reads seed @name: its parser letter and body. */
static GBytes *
read_seed (const char *name, char *tag)
{
  g_autofree char *dir = corpus_dir ();
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr (GError) error = NULL;

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (length, >=, 1);
  *tag = contents[0];
  return g_bytes_new (contents + 1, length - 1);
}

/* Parses a JSON seed with its parser: the model, or NULL and *error. */
static gpointer
parse_seed (const char *name, GDestroyNotify *free_func, GError **error)
{
  char tag = 0;
  g_autoptr (GBytes) body = read_seed (name, &tag);
  g_autoptr (JsonNode) node = NULL;
  gsize length;
  const char *data = g_bytes_get_data (body, &length);

  for (guint i = 0; i < G_N_ELEMENTS (platform_parsers); i++)
    if (platform_parsers[i].tag == tag)
      {
        node = linli_json_parse (data, length, 0, error);
        if (node == NULL)
          return NULL;
        *free_func = platform_parsers[i].free_func;
        return platform_parsers[i].parse (node, error);
      }
  g_assert_not_reached ();
}

static void
test_corpus (void)
{
  g_autofree char *dir = corpus_dir ();
  g_autoptr (GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;
  guint ok = 0, bad = 0;

  g_assert_nonnull (listing);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      char tag = 0;
      g_autoptr (GBytes) body = read_seed (name, &tag);
      g_autoptr (GError) error = NULL;
      gboolean parsed;
      gsize length;
      const char *data = g_bytes_get_data (body, &length);

      if (tag == 'E')
        continue; /* error answers always give an error: test_error_* */
      if (tag == 'K')
        {
          g_autoptr (LinliCatalog) catalog = linli_catalog_cache_parse (data, length, &error);

          parsed = catalog != NULL;
        }
      else
        {
          GDestroyNotify free_func = NULL;
          gpointer model = parse_seed (name, &free_func, &error);

          parsed = model != NULL;
          if (model != NULL)
            free_func (model);
        }
      if (g_str_has_prefix (name, "ok-"))
        {
          if (!parsed)
            g_test_message ("%s: %s", name, error->message);
          g_assert_true (parsed);
          g_assert_no_error (error);
          ok++;
        }
      else
        {
          if (parsed)
            g_test_message ("%s parsed but must not", name);
          g_assert_false (parsed);
          g_assert_error (error, LINLI_PLATFORM_ERROR, LINLI_PLATFORM_ERROR_INVALID_RESPONSE);
          bad++;
        }
    }
  g_test_message ("%u seeds parsed, %u refused", ok, bad);
  g_assert_cmpuint (ok, >=, 30);
  g_assert_cmpuint (bad, >=, 100);
}

/* ---- Each model's members, from the contract's examples ------------------ */

#define PARSE_OK(Type, name)                                      \
  g_autoptr (GError) error = NULL;                                \
  GDestroyNotify free_func = NULL;                                \
  g_autoptr (Type) model = parse_seed (name, &free_func, &error); \
  g_assert_no_error (error);                                      \
  g_assert_nonnull (model)

static void
assert_datetime (GDateTime *datetime, const char *expected)
{
  g_autoptr (GDateTime) want = g_date_time_new_from_iso8601 (expected, NULL);

  g_assert_nonnull (datetime);
  g_assert_true (g_date_time_equal (datetime, want));
}

static void
test_catalog (void)
{
  PARSE_OK (LinliCatalog, "ok-catalog-contract.json");
  LinliCatalogItem *item;
  LinliCategory *category;

  g_assert_cmpstr (model->version, ==, "2024-05-14.3");
  assert_datetime (model->generated_at, "2024-05-14T06:00:00+08:00");
  g_assert_cmpuint (model->categories->len, ==, 1);
  category = model->categories->pdata[0];
  g_assert_cmpstr (category->code, ==, "social-security");
  g_assert_cmpint (category->order, ==, 1);
  g_assert_cmpuint (model->items->len, ==, 1);
  item = linli_catalog_lookup_item (model, "330102-SB-0001");
  g_assert_nonnull (item);
  g_assert_cmpint (item->flow, ==, LINLI_FLOW_CERTIFICATE);
  g_assert_cmpstr (linli_localized_text_get (item->title, "zh_CN"), ==, "参保证明打印");
  g_assert_cmpstr (linli_localized_text_get (item->title, "en"), ==,
                   "Print insured-status certificate");
  g_assert_cmpstr (item->receipt_template, ==, "insured-certificate");
  g_assert_true (item->enabled);
  g_assert_false (item->assisted_only);
  g_assert_true (item->requires_identity);
  g_assert_null (model->etag);
}

static void
test_catalog_item_form (void)
{
  PARSE_OK (LinliCatalogItem, "ok-catalogitem-with-form.json");
  const LinliField *phone, *relation;
  LinliDocumentSpec *document;

  g_assert_cmpint (model->flow, ==, LINLI_FLOW_APPLICATION);
  g_assert_cmpuint (model->fields->len, ==, 2);
  phone = linli_catalog_item_lookup_field (model, "phone");
  g_assert_nonnull (phone);
  g_assert_cmpint (phone->type, ==, LINLI_FIELD_TYPE_PHONE);
  g_assert_cmpstr (phone->pattern, ==, "^1[3-9][0-9]{9}$");
  g_assert_cmpint (phone->min_length, ==, 11);
  g_assert_cmpint (phone->max_length, ==, 11);
  g_assert_false (phone->has_min);
  g_assert_null (phone->min_date);
  relation = linli_catalog_item_lookup_field (model, "applicant_relation");
  g_assert_nonnull (relation);
  g_assert_cmpint (relation->type, ==, LINLI_FIELD_TYPE_CHOICE);
  g_assert_cmpuint (relation->choices->len, ==, 2);
  g_assert_cmpint (relation->min_length, ==, -1);
  g_assert_cmpuint (model->documents->len, ==, 1);
  document = model->documents->pdata[0];
  g_assert_cmpstr (document->name, ==, "hukou_booklet");
  g_assert_cmpint (document->pages_min, ==, 1);
  g_assert_cmpint (document->pages_max, ==, 4);
  g_assert_cmpint (document->trust_level, ==, LINLI_TRUST_LEVEL_REFERENCE);
  /* The contract's example (the simulator's seed leaves it out: the default,
   * LINLI_DOCUMENT_DEFAULT_MAX_BYTES, used by capture-walk). */
  g_assert_cmpint (document->max_bytes, ==, 4194304);
}

static void
test_catalog_item_payable (void)
{
  PARSE_OK (LinliCatalogItem, "ok-catalogitem-payable-water.json");

  g_assert_cmpint (model->flow, ==, LINLI_FLOW_PAYMENT);
  g_assert_true (model->has_payable);
  g_assert_cmpint (model->payable_kind, ==, LINLI_PAYABLE_UTILITY_BILL);
  g_assert_cmpstr (model->utility_type, ==, "water");
  g_assert_false (model->requires_identity);
}

static void
test_catalog_item_payable_medical (void)
{
  PARSE_OK (LinliCatalogItem, "ok-catalogitem-payable-medical.json");

  g_assert_true (model->has_payable);
  g_assert_cmpint (model->payable_kind, ==, LINLI_PAYABLE_MEDICAL_CONTRIBUTION);
  g_assert_null (model->utility_type);
}

static void
test_catalog_unknown_flow (void)
{
  PARSE_OK (LinliCatalog, "ok-catalog-unknown-flow-ignored.json");

  /* Left out, as the contract asks, and remembered for the heartbeat. */
  g_assert_cmpuint (model->items->len, ==, 1);
  g_assert_cmpuint (model->ignored_item_codes->len, ==, 1);
  g_assert_cmpstr (model->ignored_item_codes->pdata[0], ==, "330102-XX-0009");
}

static void
test_resident (void)
{
  PARSE_OK (LinliResident, "ok-resident-contract.json");
  LinliUtilityAccount *water;

  g_assert_cmpstr (model->resident_ref, ==, "r_7Hc2kQ9xPz4mWv1sLbN8");
  assert_datetime (model->ref_expires_at, "2024-05-14T10:10:00+08:00");
  g_assert_cmpstr (model->display_name, ==, "张*华");
  g_assert_cmpint (model->age_band, ==, LINLI_AGE_BAND_60_69);
  g_assert_nonnull (model->social_security);
  g_assert_cmpint (model->social_security->status, ==, LINLI_SOCIAL_SECURITY_RETIRED);
  g_assert_cmpstr (model->social_security->pension_certification_due, ==, "2024-06-30");
  g_assert_nonnull (model->medical_insurance);
  g_assert_cmpint (model->medical_insurance->scheme, ==, LINLI_MEDICAL_SCHEME_EMPLOYEE);
  g_assert_cmpint (model->medical_insurance->status, ==, LINLI_MEDICAL_STATUS_ACTIVE);
  g_assert_cmpuint (model->utilities->len, ==, 2);
  water = model->utilities->pdata[0];
  g_assert_cmpint (water->type, ==, LINLI_UTILITY_TYPE_WATER);
  g_assert_cmpstr (water->account_number, ==, "0012345678");
  g_assert_cmpstr (water->address_masked, ==, "示例街道幸福里*号楼*单元");
}

static void
test_contributions (void)
{
  PARSE_OK (LinliContributionRecord, "ok-contributionrecord-contract.json");
  LinliContributionMonth *month;

  g_assert_cmpint (model->year, ==, 2023);
  g_assert_cmpuint (model->months->len, ==, 2);
  month = model->months->pdata[1];
  g_assert_cmpstr (month->month, ==, "2023-02");
  g_assert_cmpint (month->status, ==, LINLI_CONTRIBUTION_UNPAID);
  g_assert_null (month->employer_name);
  g_assert_cmpint (model->total_personal_fen, ==, 36000);
  g_assert_cmpint (model->cumulative_months, ==, 312);
}

static void
test_certificate (void)
{
  PARSE_OK (LinliInsuredCertificate, "ok-insuredcertificate-contract.json");
  LinliInsuranceLine *line;

  g_assert_cmpstr (model->verification_code, ==, "7KX2M9QH4T");
  g_assert_cmpstr (model->name, ==, "张小华");
  g_assert_cmpstr (model->id_number_masked, ==, "110105********002X");
  g_assert_cmpstr (model->valid_until, ==, "2024-08-12");
  g_assert_cmpuint (model->insurances->len, ==, 1);
  line = model->insurances->pdata[0];
  g_assert_cmpint (line->insurance, ==, LINLI_INSURANCE_PENSION);
  g_assert_cmpstr (line->since, ==, "1998-07-01");
}

static void
test_small_models (void)
{
  {
    PARSE_OK (LinliPensionCertification, "ok-pensioncertification-contract.json");
    g_assert_cmpstr (model->certification_id, ==, "RZ2024051400123");
    g_assert_cmpint (model->result, ==, LINLI_CERTIFICATION_ACCEPTED);
    g_assert_cmpstr (model->valid_until, ==, "2025-05-13");
  }
  {
    PARSE_OK (LinliMedicalInsuranceAccount, "ok-medicalinsuranceaccount-contract.json");
    LinliMedicalRecord *record = model->records->pdata[0];

    g_assert_cmpint (model->scheme, ==, LINLI_MEDICAL_SCHEME_EMPLOYEE);
    g_assert_cmpint (record->amount_fen, ==, -4850); /* spending is negative */
    g_assert_cmpint (record->kind, ==, LINLI_MEDICAL_RECORD_PHARMACY);
  }
  {
    PARSE_OK (LinliContributionDue, "ok-contributiondue-contract.json");
    g_assert_cmpint (model->year, ==, 2025);
    g_assert_cmpint (model->amount_due_fen, ==, 40000);
    g_assert_cmpint (model->status, ==, LINLI_CONTRIBUTION_DUE_DUE);
    g_assert_cmpstr (model->payable_id, ==, "MC2025-r7Hc2kQ9");
  }
  {
    PARSE_OK (LinliUtilityBills, "ok-utilitybills-contract.json");
    LinliUtilityBill *bill = model->bills->pdata[0];

    g_assert_cmpint (model->utility_type, ==, LINLI_UTILITY_TYPE_WATER);
    g_assert_cmpstr (bill->bill_id, ==, "WB202404-0012345678");
    g_assert_true (bill->has_usage);
    g_assert_cmpfloat (bill->usage, ==, 12.5);
    g_assert_cmpint (bill->status, ==, LINLI_BILL_STATUS_UNPAID);
  }
  {
    PARSE_OK (LinliPaymentOrder, "ok-paymentorder-contract.json");
    g_assert_cmpstr (model->order_id, ==, "PO20240514000000123");
    g_assert_cmpint (model->state, ==, LINLI_PAYMENT_STATE_PENDING);
    g_assert_false (linli_payment_order_is_final (model));
    g_assert_cmpint (model->amount_fen, ==, 4350);
    g_assert_null (model->paid_at);
  }
  {
    PARSE_OK (LinliApplication, "ok-application-contract.json");
    g_assert_cmpstr (model->application_number, ==, "BJ330102202405140001");
    g_assert_cmpint (model->status, ==, LINLI_APPLICATION_STATUS_RECEIVED);
    g_assert_true (model->evaluable);
    g_assert_null (model->evaluation);
    g_assert_cmpstr (model->expected_by, ==, "2024-05-28");
  }
  {
    PARSE_OK (LinliApplicationList, "ok-applicationlist-contract.json");
    g_assert_cmpuint (model->applications->len, ==, 1);
  }
  {
    PARSE_OK (LinliEvaluation, "ok-evaluation-contract.json");
    g_assert_cmpint (model->grade, ==, LINLI_EVALUATION_VERY_SATISFIED);
  }
  {
    PARSE_OK (LinliHeartbeatAck, "ok-heartbeatack-contract.json");
    g_assert_cmpstr (model->catalog_etag, ==, "\"cat-2024-05-14-3\"");
    g_assert_nonnull (model->maintenance);
    g_assert_true (g_date_time_compare (model->maintenance->until, model->maintenance->from) > 0);
  }
}

/* The message names the member, never its value. */
static void
test_messages_name_members (void)
{
  struct
  {
    const char *seed;
    const char *member;
  } cases[] = {
    { "bad-resident-missing-display_name.json", "display_name" },
    { "bad-paymentorder-type-amount_fen.json", "amount_fen" },
    { "bad-negative-fen.json", "amount_fen" },
    { "bad-date.json", "deadline" },
    { "bad-enum.json", "state" },
    { "bad-catalogitem-pages.json", "documents[0].pages_min" },
    { "bad-long-name.json", "display_name" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      GDestroyNotify free_func = NULL;
      gpointer model = parse_seed (cases[i].seed, &free_func, &error);

      g_assert_null (model);
      g_assert_error (error, LINLI_PLATFORM_ERROR, LINLI_PLATFORM_ERROR_INVALID_RESPONSE);
      g_test_message ("%s: %s", cases[i].seed, error->message);
      g_assert_nonnull (strstr (error->message, cases[i].member));
      g_assert_null (strstr (error->message, "张"));
      g_assert_null (strstr (error->message, "refunded"));
    }
}

/* ---- JSON helpers ------------------------------------------------------- */

static void
test_dates (void)
{
  const char *good_dates[] = { "2024-05-14", "2024-02-29", "1900-01-01", "2199-12-31" };
  const char *bad_dates[] = { "2023-02-29",  "2024-13-01", "2024-5-14",  "20240514",
                              "2024-05-14T", "1899-12-31", "2024-00-10", "" };
  const char *good_times[] = { "2024-05-14T09:30:00+08:00", "2024-05-14T01:30:00Z",
                               "2024-05-14T09:30:00.123+08:00", "2024-05-14T09:30:00-05:30" };
  const char *bad_times[]
      = { "2024-05-14T09:30:00",  "2024-05-14 09:30:00+08:00", "2024-05-14T24:00:00+08:00",
          "2024-W20-2T09:30:00Z", "2024-05-14T09:30+08:00",    "2024-05-14T09:30:00+0800",
          "2024-02-30T09:30:00Z", "2024-05-14T09:30:00.Z" };

  for (guint i = 0; i < G_N_ELEMENTS (good_dates); i++)
    g_assert_true (linli_json_is_date (good_dates[i]));
  for (guint i = 0; i < G_N_ELEMENTS (bad_dates); i++)
    g_assert_false (linli_json_is_date (bad_dates[i]));
  for (guint i = 0; i < G_N_ELEMENTS (good_times); i++)
    g_assert_true (linli_json_is_datetime (good_times[i]));
  for (guint i = 0; i < G_N_ELEMENTS (bad_times); i++)
    g_assert_false (linli_json_is_datetime (bad_times[i]));
  g_assert_true (linli_json_is_month ("2023-12"));
  g_assert_false (linli_json_is_month ("2023-13"));
}

static void
test_parse_limits (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) deep = g_string_new (NULL);
  g_autoptr (JsonNode) node = NULL;

  /* 32 levels are fine, 33 are not, and a '[' inside a string is text. */
  for (int i = 0; i < 32; i++)
    g_string_append_c (deep, '[');
  g_string_append (deep, "\"[[[[\"");
  for (int i = 0; i < 32; i++)
    g_string_append_c (deep, ']');
  node = linli_json_parse (deep->str, deep->len, 0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  g_clear_pointer (&node, json_node_unref);
  g_string_prepend_c (deep, '[');
  g_string_append_c (deep, ']');
  node = linli_json_parse (deep->str, deep->len, 0, &error);
  g_assert_null (node);
  g_assert_error (error, LINLI_PLATFORM_ERROR, LINLI_PLATFORM_ERROR_INVALID_RESPONSE);
  g_clear_error (&error);

  node = linli_json_parse ("{\"a\": 1}", 8, 4, &error);
  g_assert_null (node);
  g_assert_error (error, LINLI_PLATFORM_ERROR, LINLI_PLATFORM_ERROR_INVALID_RESPONSE);
  g_clear_error (&error);
  node = linli_json_parse ("{\"a\": \"\xc3\x28\"}", 11, 0, &error);
  g_assert_null (node);
  g_assert_error (error, LINLI_PLATFORM_ERROR, LINLI_PLATFORM_ERROR_INVALID_RESPONSE);
}

/* ---- Errors ------------------------------------------------------------------ */

static GError *
error_from_seed (const char *seed, const char *retry_after, gboolean english)
{
  char tag = 0;
  g_autoptr (GBytes) data = read_seed (seed, &tag);
  gsize length;
  const char *text = g_bytes_get_data (data, &length);
  g_autoptr (GBytes) body = NULL;
  guint status;

  g_assert_cmpint (tag, ==, 'E');
  status = (guint) g_ascii_strtoull (text, NULL, 10);
  body = g_bytes_new (text + 3, length - 3);
  return linli_platform_error_new_from_response (status, body, retry_after, "req-1", english);
}

static void
test_error_body (void)
{
  g_autoptr (GError) not_found = error_from_seed ("ok-error-404.json", NULL, FALSE);
  g_autoptr (GError) not_found_en = error_from_seed ("ok-error-404.json", NULL, TRUE);
  g_autoptr (GError) busy = error_from_seed ("ok-error-429.json", NULL, FALSE);
  g_autoptr (GError) busy_header = error_from_seed ("ok-error-429.json", "7", FALSE);
  g_autoptr (GError) validation = error_from_seed ("ok-error-422.json", NULL, FALSE);
  g_autoptr (GError) copy = NULL;
  LinliPlatformFieldError *field_error;

  g_assert_error (not_found, LINLI_PLATFORM_ERROR, LINLI_PLATFORM_ERROR_NOT_FOUND);
  g_assert_cmpstr (not_found->message, ==, "没有查到您的信息，请到人工窗口咨询。");
  g_assert_cmpstr (not_found_en->message, ==,
                   "We could not find your records. Please ask at a staffed counter.");
  g_assert_cmpstr (linli_platform_error_get_code (not_found), ==, "RESIDENT_NOT_FOUND");
  g_assert_cmpuint (linli_platform_error_get_http_status (not_found), ==, 404);
  g_assert_cmpstr (linli_platform_error_get_message_en (not_found), ==, not_found_en->message);
  g_assert_cmpint (linli_platform_error_get_retry_after (not_found), ==, -1);
  /* The platform's request id wins over the kiosk's. */
  g_assert_cmpstr (linli_platform_error_get_request_id (not_found), ==,
                   "5d0c6a2e-8d1b-4f9a-a3a7-7e3c2b1d0f9e");

  g_assert_error (busy, LINLI_PLATFORM_ERROR, LINLI_PLATFORM_ERROR_BUSY);
  g_assert_cmpint (linli_platform_error_get_retry_after (busy), ==, 10);
  g_assert_cmpint (linli_platform_error_get_retry_after (busy_header), ==, 7);

  g_assert_error (validation, LINLI_PLATFORM_ERROR, LINLI_PLATFORM_ERROR_REJECTED);
  g_assert_nonnull (linli_platform_error_get_field_errors (validation));
  g_assert_cmpuint (linli_platform_error_get_field_errors (validation)->len, ==, 1);
  field_error = linli_platform_error_get_field_errors (validation)->pdata[0];
  g_assert_cmpstr (field_error->field, ==, "phone");
  g_assert_cmpstr (field_error->code, ==, "PATTERN");
  g_assert_cmpstr (field_error->message, ==, "手机号码应为11位数字。");

  /* Everything travels with a copy (GTask, the outbox). */
  copy = g_error_copy (validation);
  g_assert_cmpstr (linli_platform_error_get_code (copy), ==, "VALIDATION_FAILED");
  g_assert_cmpuint (linli_platform_error_get_field_errors (copy)->len, ==, 1);
  g_assert_cmpstr (copy->message, ==, validation->message);
}

static void
test_error_statuses (void)
{
  struct
  {
    const char *seed;
    LinliPlatformError code;
    gboolean definitive;
  } cases[] = {
    { "ok-error-400.json", LINLI_PLATFORM_ERROR_REJECTED, TRUE },
    { "ok-error-401.json", LINLI_PLATFORM_ERROR_UNAUTHORIZED, FALSE },
    { "ok-error-403.json", LINLI_PLATFORM_ERROR_UNAUTHORIZED, FALSE },
    { "ok-error-404.json", LINLI_PLATFORM_ERROR_NOT_FOUND, TRUE },
    { "ok-error-409.json", LINLI_PLATFORM_ERROR_REJECTED, TRUE }, /* IDEMPOTENCY_CONFLICT */
    { "ok-error-413.json", LINLI_PLATFORM_ERROR_REJECTED, TRUE },
    { "ok-error-422.json", LINLI_PLATFORM_ERROR_REJECTED, TRUE },
    { "ok-error-429.json", LINLI_PLATFORM_ERROR_BUSY, FALSE },
    { "ok-error-500.json", LINLI_PLATFORM_ERROR_SERVER, FALSE },
    { "ok-error-503.json", LINLI_PLATFORM_ERROR_SERVER, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = error_from_seed (cases[i].seed, NULL, FALSE);

      g_assert_error (error, LINLI_PLATFORM_ERROR, (gint) cases[i].code);
      g_assert_cmpint (linli_platform_error_is_definitive (error), ==, cases[i].definitive);
    }
}

static GBytes *
bytes_of (const char *text)
{
  return g_bytes_new_static (text, strlen (text));
}

static void
test_error_fallbacks (void)
{
  g_autoptr (GBytes) in_progress = bytes_of (
      "{\"code\":\"IDEMPOTENCY_IN_PROGRESS\",\"message\":\"请稍候。\",\"retry_after\":2}");
  g_autoptr (GBytes) unknown
      = bytes_of ("{\"code\":\"SOMETHING_NEW\",\"message\":\"服务器内部代码 E42\"}");
  g_autoptr (GBytes) empty_message = bytes_of ("{\"code\":\"INTERNAL_ERROR\",\"message\":\"\"}");
  g_autoptr (GBytes) html = bytes_of ("<html>Bad gateway</html>");
  g_autoptr (GError) busy
      = linli_platform_error_new_from_response (409, in_progress, NULL, NULL, FALSE);
  g_autoptr (GError) strange
      = linli_platform_error_new_from_response (500, unknown, NULL, NULL, FALSE);
  g_autoptr (GError) blank
      = linli_platform_error_new_from_response (500, empty_message, NULL, NULL, FALSE);
  g_autoptr (GError) gateway
      = linli_platform_error_new_from_response (502, html, NULL, "req-9", FALSE);
  g_autoptr (GError) english = linli_platform_error_new_from_response (502, html, NULL, NULL, TRUE);
  g_autoptr (GError) io = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED, "x");
  g_autoptr (GError) tls = g_error_new_literal (G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE, "x");
  g_autoptr (GError) timeout = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "x");

  g_assert_error (busy, LINLI_PLATFORM_ERROR, LINLI_PLATFORM_ERROR_BUSY);
  g_assert_false (linli_platform_error_is_definitive (busy));
  g_assert_cmpint (linli_platform_error_get_retry_after (busy), ==, 2);

  /* Unknown code, empty message, no JSON: the kiosk's own words. */
  g_assert_error (strange, LINLI_PLATFORM_ERROR, LINLI_PLATFORM_ERROR_SERVER);
  g_assert_cmpstr (strange->message, ==,
                   linli_platform_error_get_generic_message (LINLI_PLATFORM_ERROR_SERVER));
  g_assert_null (linli_platform_error_get_code (strange));
  g_assert_cmpstr (blank->message, ==,
                   linli_platform_error_get_generic_message (LINLI_PLATFORM_ERROR_SERVER));
  g_assert_error (gateway, LINLI_PLATFORM_ERROR, LINLI_PLATFORM_ERROR_SERVER);
  g_assert_cmpstr (linli_platform_error_get_request_id (gateway), ==, "req-9");
  g_assert_nonnull (linli_platform_error_get_detail (gateway));
  g_assert_cmpstr (english->message, ==, gateway->message);

  g_assert_cmpint (linli_platform_error_classify_io (io), ==, LINLI_PLATFORM_ERROR_UNREACHABLE);
  g_assert_cmpint (linli_platform_error_classify_io (tls), ==, LINLI_PLATFORM_ERROR_TLS);
  g_assert_cmpint (linli_platform_error_classify_io (timeout), ==, LINLI_PLATFORM_ERROR_TIMEOUT);

  /* Other domains: the getters answer, without criticals. */
  g_assert_null (linli_platform_error_get_code (io));
  g_assert_cmpint (linli_platform_error_get_retry_after (io), ==, -1);
  g_assert_false (linli_platform_error_is_definitive (io));
  g_assert_null (linli_platform_error_get_code (NULL));
}

/* Every generic message is translated (the kiosk's default language). */
static void
test_error_translations (void)
{
  const char *language = g_getenv ("LANGUAGE");
  g_autofree char *saved = g_strdup (language);
  extern int _nl_msg_cat_cntr;

  if (!g_file_test (LINLI_BUILD_LOCALEDIR "/zh_CN/LC_MESSAGES/linli.mo", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no compiled zh_CN catalog in the build tree");
      return;
    }
  bindtextdomain ("linli", LINLI_BUILD_LOCALEDIR);
  bind_textdomain_codeset ("linli", "UTF-8");
  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  ++_nl_msg_cat_cntr;
  g_assert_cmpstr (linli_platform_error_get_generic_message (LINLI_PLATFORM_ERROR_UNREACHABLE), ==,
                   "暂时连不上县平台，请稍后再试或到人工窗口办理。");
  for (int code = LINLI_PLATFORM_ERROR_FAILED; code <= LINLI_PLATFORM_ERROR_INVALID_RESPONSE;
       code++)
    {
      const char *message = linli_platform_error_get_generic_message (code);

      /* A translated message has Chinese in it. */
      g_assert_true ((guchar) message[0] >= 0x80);
    }
  if (saved != NULL)
    g_setenv ("LANGUAGE", saved, TRUE);
  else
    g_unsetenv ("LANGUAGE");
  ++_nl_msg_cat_cntr;
}

/* ---- Wiping ------------------------------------------------------------------ */

typedef struct
{
  guint buffers;
  guint nonzero;
} WipeCount;

static void
count_wipe (gconstpointer data, gsize size, gpointer user_data)
{
  WipeCount *count = user_data;
  const guint8 *bytes = data;

  count->buffers++;
  for (gsize i = 0; i < size; i++)
    if (bytes[i] != 0)
      {
        count->nonzero++;
        break;
      }
}

static void
test_wipe (void)
{
  WipeCount count = { 0 };
  g_autoptr (GError) error = NULL;
  GDestroyNotify free_func = NULL;
  LinliInsuredCertificate *certificate;
  LinliResident *resident;

  linli_platform_set_wipe_observer_for_testing (count_wipe, &count);
  certificate = parse_seed ("ok-insuredcertificate-contract.json", &free_func, &error);
  g_assert_no_error (error);
  count = (WipeCount){ 0 };
  linli_insured_certificate_unref (certificate);
  /* name, id_number_masked, certificate_number, verification_code at least */
  g_assert_cmpuint (count.buffers, >=, 4);
  g_assert_cmpuint (count.nonzero, ==, 0);

  resident = parse_seed ("ok-resident-contract.json", &free_func, &error);
  g_assert_no_error (error);
  count = (WipeCount){ 0 };
  linli_resident_unref (resident);
  /* display name, resident_ref, account, both addresses… */
  g_assert_cmpuint (count.buffers, >=, 5);
  g_assert_cmpuint (count.nonzero, ==, 0);
  linli_platform_set_wipe_observer_for_testing (NULL, NULL);
}

/* ---- Encoders ---------------------------------------------------------------- */

static JsonObject *
parse_object (GBytes *bytes, JsonNode **keep)
{
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);
  g_autoptr (GError) error = NULL;

  *keep = linli_json_parse (data, length, 0, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (*keep));
  return json_node_get_object (*keep);
}

static GBytes *
fake_jpeg (gsize size)
{
  guint8 *data = g_malloc0 (size);

  data[0] = 0xff;
  data[1] = 0xd8;
  data[2] = 0xff;
  data[size - 1] = 0xd9;
  return g_bytes_new_take (data, size);
}

static void
test_encode_application (void)
{
  g_autoptr (LinliApplicationForm) form
      = linli_application_form_new ("330102-YL-0007", "r_7Hc2kQ9xPz4mWv1sLbN8");
  g_autoptr (GBytes) page1 = fake_jpeg (1000);
  g_autoptr (GBytes) page2 = fake_jpeg (2000);
  GBytes *pages[] = { page1, page2 };
  g_autoptr (GDateTime) confirmed
      = g_date_time_new_from_iso8601 ("2024-05-14T10:02:30+08:00", NULL);
  g_autofree char *content_type = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (SoupMessageHeaders) headers = NULL;
  g_autoptr (SoupMultipart) multipart = NULL;
  g_autoptr (JsonNode) keep = NULL;
  SoupMessageHeaders *part_headers = NULL;
  GBytes *part = NULL;
  JsonObject *application, *fields;
  JsonArray *documents;

  linli_application_form_set_string (form, "phone", "13800000000");
  linli_application_form_set_string (form, "applicant_relation", "self");
  linli_application_form_set_int (form, "household_size", 3);
  linli_application_form_set_boolean (form, "agree", TRUE);
  linli_application_form_set_submitted_by (form, LINLI_SUBMITTER_STAFF, "GZ0042");
  linli_application_form_set_catalog_etag (form, "\"cat-2024-05-14-3\"");
  linli_application_form_set_confirmed_at (form, confirmed);
  linli_application_form_add_document (form, "hukou_booklet", "image/jpeg", pages, 2);
  body = linli_platform_encode_application (form, &content_type, &error);
  g_assert_no_error (error);
  g_assert_nonnull (body);
  g_assert_true (g_str_has_prefix (content_type, "multipart/form-data; boundary="));

  headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  soup_message_headers_replace (headers, "Content-Type", content_type);
  multipart = soup_multipart_new_from_message (headers, body);
  g_assert_nonnull (multipart);
  g_assert_cmpint (soup_multipart_get_length (multipart), ==, 3);
  g_assert_true (soup_multipart_get_part (multipart, 0, &part_headers, &part));
  g_assert_cmpstr (soup_message_headers_get_content_type (part_headers, NULL), ==,
                   "application/json");
  application = parse_object (part, &keep);
  g_assert_cmpstr (json_object_get_string_member (application, "item_code"), ==, "330102-YL-0007");
  g_assert_cmpstr (json_object_get_string_member (application, "confirmed_at"), ==,
                   "2024-05-14T10:02:30+08:00");
  fields = json_object_get_object_member (application, "fields");
  g_assert_cmpstr (json_object_get_string_member (fields, "phone"), ==, "13800000000");
  g_assert_cmpint (json_object_get_int_member (fields, "household_size"), ==, 3);
  g_assert_true (json_object_get_boolean_member (fields, "agree"));
  documents = json_object_get_array_member (application, "documents");
  g_assert_cmpuint (json_array_get_length (documents), ==, 1);
  g_assert_cmpint (
      json_object_get_int_member (json_array_get_object_element (documents, 0), "pages"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (
                       json_object_get_object_member (application, "submitted_by"), "role"),
                   ==, "staff");
  g_assert_true (soup_multipart_get_part (multipart, 2, &part_headers, &part));
  g_assert_true (g_bytes_equal (part, page2));
  g_assert_cmpstr (soup_message_headers_get_content_type (part_headers, NULL), ==, "image/jpeg");
}

static void
test_encode_refusals (void)
{
  g_autoptr (GBytes) not_jpeg = bytes_of ("GIF89a....");
  g_autoptr (GBytes) photo = fake_jpeg (100);
  g_autoptr (GBytes) huge = fake_jpeg ((2u << 20) + 1);
  g_autoptr (GDateTime) consent = g_date_time_new_from_iso8601 ("2024-05-14T09:40:51+08:00", NULL);
  g_autoptr (GDateTime) before = g_date_time_add_seconds (consent, -5);
  g_autoptr (GDateTime) after = g_date_time_add_seconds (consent, 11);
  const char *reasons[] = { "slow", "Bad Reason", NULL };
  struct
  {
    const char *what;
    GBytes *body;
  } cases[6];
  g_autofree char *ct = NULL;

  {
    g_autoptr (LinliApplicationForm) form
        = linli_application_form_new ("330102-YL-0007", "r_7Hc2kQ9xPz4mWv1sLbN8");
    GBytes *pages[] = { not_jpeg };

    linli_application_form_add_document (form, "hukou_booklet", "image/jpeg", pages, 1);
    cases[0].what = "page not a JPEG";
    cases[0].body = linli_platform_encode_application (form, &ct, NULL);
  }
  {
    g_autoptr (LinliApplicationForm) form
        = linli_application_form_new ("330102-YL-0007", "../etc/passwd");
    cases[1].what = "bad resident_ref";
    cases[1].body = linli_platform_encode_application (form, &ct, NULL);
  }
  {
    g_autoptr (LinliApplicationForm) form
        = linli_application_form_new ("330102-YL-0007", "r_7Hc2kQ9xPz4mWv1sLbN8");

    linli_application_form_set_string (form, "Bad Name", "x");
    cases[2].what = "field name";
    cases[2].body = linli_platform_encode_application (form, &ct, NULL);
  }
  cases[3].what = "photo before consent";
  cases[3].body = linli_platform_encode_pension_certification (consent, "consent-photo-2024-01",
                                                               before, NULL, photo, &ct, NULL);
  cases[4].what = "photo over 2 MiB";
  cases[4].body = linli_platform_encode_pension_certification (consent, "consent-photo-2024-01",
                                                               after, NULL, huge, &ct, NULL);
  cases[5].what = "reason code";
  cases[5].body
      = linli_platform_encode_evaluation (LINLI_EVALUATION_DISSATISFIED, NULL, reasons, NULL, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      if (cases[i].body != NULL)
        g_test_message ("encoded: %s", cases[i].what);
      g_assert_null (cases[i].body);
    }

  {
    g_autoptr (GError) error = NULL;
    g_autoptr (GBytes) body = linli_platform_encode_pension_certification (
        consent, "consent-photo-2024-01", after, "GZ0042", photo, &ct, &error);

    g_assert_no_error (error);
    g_assert_nonnull (body);
  }
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (GBytes) body = linli_platform_encode_payment_order (
        LINLI_PAYABLE_UTILITY_BILL, "WB202404-0012345678", 0, NULL, NULL, &error);

    g_assert_null (body);
    g_assert_error (error, LINLI_PLATFORM_ERROR, LINLI_PLATFORM_ERROR_REJECTED);
  }
}

static void
test_encode_json_requests (void)
{
  const char *reasons[] = { "slow", "unclear", NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) evaluation = linli_platform_encode_evaluation (
      LINLI_EVALUATION_VERY_DISSATISFIED, "等了很久。", reasons, NULL, &error);
  g_autoptr (GBytes) payment
      = linli_platform_encode_payment_order (LINLI_PAYABLE_MEDICAL_CONTRIBUTION, "MC2025-r7Hc2kQ9",
                                             40000, "r_7Hc2kQ9xPz4mWv1sLbN8", NULL, &error);
  g_autoptr (GBytes) lookup = linli_platform_encode_lookup (
      "11010519491231002X", LINLI_LOOKUP_SOURCE_ID_CARD, NULL, NULL, &error);
  g_autoptr (LinliHeartbeat) heartbeat = linli_heartbeat_new ("LL-330102-0007", "0.1.0", NULL, 42);
  LinliHeartbeatCounters counters = { .sessions = 3, .errors = 1 };
  g_autoptr (GBytes) beat = NULL;
  g_autoptr (JsonNode) n1 = NULL, n2 = NULL, n3 = NULL, n4 = NULL;
  JsonObject *object;

  g_assert_no_error (error);
  object = parse_object (evaluation, &n1);
  g_assert_cmpstr (json_object_get_string_member (object, "grade"), ==, "very_dissatisfied");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "reasons")), ==,
                    2);
  object = parse_object (payment, &n2);
  g_assert_cmpstr (json_object_get_string_member (object, "payable_kind"), ==,
                   "medical_contribution");
  g_assert_cmpint (json_object_get_int_member (object, "expected_amount_fen"), ==, 40000);
  object = parse_object (lookup, &n3);
  g_assert_cmpstr (json_object_get_string_member (object, "source"), ==, "id_card");
  g_assert_true (json_object_get_null_member (object, "card_valid_until"));

  linli_heartbeat_add_device (heartbeat, "printer", "receipt", "ready", NULL);
  linli_heartbeat_add_device (heartbeat, "camera", "document", "fault", "no frames");
  linli_heartbeat_set_paper (heartbeat, "low");
  linli_heartbeat_set_counters (heartbeat, &counters);
  beat = linli_platform_encode_heartbeat (heartbeat, NULL, &error);
  g_assert_no_error (error);
  object = parse_object (beat, &n4);
  g_assert_cmpstr (json_object_get_string_member (object, "kiosk_id"), ==, "LL-330102-0007");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "devices")), ==,
                    2);
  g_assert_cmpint (
      json_object_get_int_member (json_object_get_object_member (object, "counters"), "sessions"),
      ==, 3);
  g_assert_true (linli_json_is_datetime (json_object_get_string_member (object, "sent_at")));

  linli_heartbeat_add_device (heartbeat, "toaster", "x", "ready", NULL);
  g_clear_pointer (&beat, g_bytes_unref);
  beat = linli_platform_encode_heartbeat (heartbeat, NULL, &error);
  g_assert_null (beat);
  g_assert_error (error, LINLI_PLATFORM_ERROR, LINLI_PLATFORM_ERROR_REJECTED);
}

/* ---- The catalog cache ------------------------------------------------------- */

static void
test_cache (void)
{
  g_autofree char *dir = g_dir_make_tmp ("linli-cache-XXXXXX", NULL);
  g_autofree char *sub = g_build_filename (dir, "a", "b", NULL);
  g_autoptr (LinliCatalogCache) cache = linli_catalog_cache_new (sub);
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliCatalog) loaded = NULL;
  char tag = 0;
  g_autoptr (GBytes) seed = read_seed ("ok-catalog-contract.json", &tag);
  GStatBuf st;

  loaded = linli_catalog_cache_load (cache, &error);
  g_assert_null (loaded);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (linli_catalog_cache_store (cache, seed, "\"cat-1\"", &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (linli_catalog_cache_get_path (cache), &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  loaded = linli_catalog_cache_load (cache, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->etag, ==, "\"cat-1\"");
  g_assert_cmpuint (loaded->items->len, ==, 1);
  g_clear_pointer (&loaded, linli_catalog_unref);

  /* A damaged file is refused, not trusted. */
  g_assert_true (g_file_set_contents (linli_catalog_cache_get_path (cache),
                                      "linli-catalog-cache 1\netag: \n\n{\"version\":", -1, NULL));
  loaded = linli_catalog_cache_load (cache, &error);
  g_assert_null (loaded);
  g_assert_error (error, LINLI_PLATFORM_ERROR, LINLI_PLATFORM_ERROR_INVALID_RESPONSE);
  g_clear_error (&error);

  g_assert_false (linli_catalog_cache_store (cache, seed, "bad\netag", &error));
  g_clear_error (&error);
  g_assert_true (linli_catalog_cache_clear (cache, &error));
  g_assert_true (linli_catalog_cache_clear (cache, &error));
  g_assert_cmpint (g_rmdir (sub), ==, 0);
  g_autofree char *parent = g_path_get_dirname (sub);
  g_assert_cmpint (g_rmdir (parent), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* ---- The client's arguments, refused before any request ------------------ */

static void
test_platform_arguments (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliPlatform) platform = NULL;
  g_autofree char *dir = g_dir_make_tmp ("linli-pki-XXXXXX", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.pem", NULL);
  g_autofree char *path = NULL;

  platform = linli_platform_new ("http://127.0.0.1/linli/v1", "LL-330102-0007", missing, missing,
                                 missing, &error);
  g_assert_null (platform);
  g_assert_error (error, LINLI_PLATFORM_ERROR, LINLI_PLATFORM_ERROR_FAILED);
  g_clear_error (&error);
  platform = linli_platform_new ("https://127.0.0.1/linli/v1", "LL-330102-0007", missing, missing,
                                 missing, &error);
  g_assert_null (platform);
  g_assert_error (error, LINLI_PLATFORM_ERROR, LINLI_PLATFORM_ERROR_TLS);
  g_assert_nonnull (strstr (error->message, "missing.pem"));
  g_assert_cmpint (g_rmdir (dir), ==, 0);

  g_clear_error (&error);
  g_assert_true (linli_check_kiosk_id ("LL-330102-0007"));
  g_assert_true (linli_check_kiosk_id ("LL-DEMO-0001"));
  g_assert_true (linli_check_kiosk_id ("LL-TEST-0042"));
  g_assert_false (linli_check_kiosk_id ("LL-DEMO-001"));
  g_assert_false (linli_check_kiosk_id ("LL-33010-0007"));
  g_assert_false (linli_check_kiosk_id ("LL-XXXX-0001"));
  platform = linli_platform_new ("https://127.0.0.1/linli/v1", "kiosk 7", missing, missing, missing,
                                 &error);
  g_assert_null (platform);
  g_assert_error (error, LINLI_PLATFORM_ERROR, LINLI_PLATFORM_ERROR_FAILED);
  g_clear_error (&error);

  g_assert_null (linli_platform_path_evaluation ("../../x"));
  g_assert_null (linli_platform_path_pension_certifications ("short"));
  path = linli_platform_path_evaluation ("BJ330102202405140001");
  g_assert_cmpstr (path, ==, "/applications/BJ330102202405140001/evaluation");
}

int
main (int argc, char **argv)
{
  /* A real locale (C.UTF-8), or gettext ignores LANGUAGE. */
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/platform/models/corpus", test_corpus);
  g_test_add_func ("/platform/models/catalog", test_catalog);
  g_test_add_func ("/platform/models/catalog-item-form", test_catalog_item_form);
  g_test_add_func ("/platform/models/catalog-item-payable", test_catalog_item_payable);
  g_test_add_func ("/platform/models/catalog-item-payable-medical",
                   test_catalog_item_payable_medical);
  g_test_add_func ("/platform/models/catalog-unknown-flow", test_catalog_unknown_flow);
  g_test_add_func ("/platform/models/resident", test_resident);
  g_test_add_func ("/platform/models/contributions", test_contributions);
  g_test_add_func ("/platform/models/certificate", test_certificate);
  g_test_add_func ("/platform/models/small", test_small_models);
  g_test_add_func ("/platform/models/messages-name-members", test_messages_name_members);
  g_test_add_func ("/platform/json/dates", test_dates);
  g_test_add_func ("/platform/json/limits", test_parse_limits);
  g_test_add_func ("/platform/error/body", test_error_body);
  g_test_add_func ("/platform/error/statuses", test_error_statuses);
  g_test_add_func ("/platform/error/fallbacks", test_error_fallbacks);
  g_test_add_func ("/platform/error/translations", test_error_translations);
  g_test_add_func ("/platform/models/wipe", test_wipe);
  g_test_add_func ("/platform/encode/application", test_encode_application);
  g_test_add_func ("/platform/encode/refusals", test_encode_refusals);
  g_test_add_func ("/platform/encode/json", test_encode_json_requests);
  g_test_add_func ("/platform/cache", test_cache);
  g_test_add_func ("/platform/arguments", test_platform_arguments);
  return g_test_run ();
}
