/* test-platform-contract.c — LinliPlatform against linli-platform-sim, over
 * real TLS on loopback.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Run under tests/rigs/platform-rig.sh, which starts the simulator and
 * exports LINLI_PLATFORM_* and LINLI_SIM_*; without them the test is
 * skipped (77), or fails when $CI is set. Covers: every operation of the
 * contract with typed results; each injected fault with the right error
 * and a message fit for a resident; retries only where the contract allows
 * them (counted by the simulator); bad server certificates; the kiosk's
 * own certificate refused; ETag/304 and the stale catalog with the
 * platform down; cancellation mid-request; and that nothing personal
 * reached the client's log.
 */
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <locale.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>

#include "linli-build-config.h"
#include "linli-platform.h"

typedef struct
{
  const char *url;
  const char *ca;
  const char *cert;
  const char *key;
  const char *kiosk_id;
  const char *pki;
  const char *control;
  const char *sim;
} Rig;

static Rig rig;
static SoupSession *control_session;
static GPtrArray *log_lines; /* everything the client logged */

/* ---- Helpers --------------------------------------------------------------- */

/* GB 11643: the 18th character of an identity number. */
static char *
id_number (const char *id17)
{
  static const int weights[] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
  int sum = 0;

  for (int i = 0; i < 17; i++)
    sum += (id17[i] - '0') * weights[i];
  return g_strdup_printf ("%s%c", id17, "10X98765432"[sum % 11]);
}

#define ELDER_ID17    "11010519491231002" /* 李秀英: pensioner, water 0012345678, review */
#define WORKER_ID17   "11010119900307123" /* 王小明 */
#define ACCEPT_ID17   "54010219641001002" /* 卓玛: certification accepted at once */
#define RESIDENT_ID17 "44030619920814053" /* 欧阳文华: residents' medical insurance due */
#define UNKNOWN_ID17  "11010519800101001" /* nobody */

static void
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
}

static void
got_result (GObject *source, GAsyncResult *result, gpointer data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

static LinliPlatform *
platform_with (const char *url, const char *cert, const char *key, const char *kiosk_id)
{
  g_autoptr (GError) error = NULL;
  LinliPlatform *platform = linli_platform_new (url, kiosk_id, rig.ca, cert, key, &error);

  g_assert_no_error (error);
  g_assert_nonnull (platform);
  /* Short, so that fault tests take seconds, not minutes. */
  linli_platform_set_timeouts (platform, 3000, 10000);
  linli_platform_set_retry_policy (platform, 3, 50, 3000);
  return platform;
}

static LinliPlatform *
new_platform (void)
{
  return platform_with (rig.url, rig.cert, rig.key, rig.kiosk_id);
}

/* The control port: faults, statistics, the payment channel. */
static JsonNode *
control (const char *method, const char *path, const char *body)
{
  g_autofree char *url = g_strconcat (rig.control, path, NULL);
  g_autoptr (SoupMessage) message = soup_message_new (method, url);
  g_autoptr (GBytes) answer = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();

  if (body != NULL)
    {
      g_autoptr (GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (message, "application/json", bytes);
    }
  answer = soup_session_send_and_read (control_session, message, NULL, &error);
  g_assert_no_error (error);
  if (soup_message_get_status (message) >= 300)
    g_error ("control %s %s: %u %.*s", method, path, soup_message_get_status (message),
             (int) g_bytes_get_size (answer), (const char *) g_bytes_get_data (answer, NULL));
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL),
                                             (gssize) g_bytes_get_size (answer), &error));
  return json_node_copy (json_parser_get_root (parser));
}

static void
add_fault (const char *json)
{
  g_autoptr (JsonNode) answer = control ("POST", "/faults", json);
}

static void
reset_sim (void)
{
  g_autoptr (JsonNode) faults = control ("DELETE", "/faults", NULL);
  g_autoptr (JsonNode) stats = control ("DELETE", "/stats", NULL);
}

static gint64
requests_of (const char *operation)
{
  g_autoptr (JsonNode) stats = control ("GET", "/stats", NULL);
  JsonObject *requests = json_object_get_object_member (json_node_get_object (stats), "requests");

  return json_object_get_int_member_with_default (requests, operation, 0);
}

static gint64
key_received (const char *key)
{
  g_autoptr (JsonNode) stats = control ("GET", "/stats", NULL);
  JsonObject *keys
      = json_object_get_object_member (json_node_get_object (stats), "idempotency_keys");
  JsonObject *entry = json_object_get_object_member (keys, key);

  return entry != NULL ? json_object_get_int_member (entry, "received") : 0;
}

/* What a resident may be shown and told: short, no jargon, no codes, and
 * in Chinese (the test runs in zh_CN). */
static void
assert_resident_fit (const GError *error)
{
  const char *technical[] = { "HTTP", "http", "{",    "<",    "error", "Error", "TLS",
                              "JSON", "json", "Soup", "g-io", "0x",    "_" };

  g_assert_nonnull (error);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_cmpuint (g_utf8_strlen (error->message, -1), >=, 4);
  g_assert_cmpuint (g_utf8_strlen (error->message, -1), <=, 200);
  for (guint i = 0; i < G_N_ELEMENTS (technical); i++)
    if (strstr (error->message, technical[i]) != NULL)
      g_error ("not fit for a resident (%s): %s", technical[i], error->message);
  g_assert_true ((guchar) error->message[0] >= 0x80);
}

static LinliResident *
lookup (LinliPlatform *platform, const char *id17, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autofree char *number = id_number (id17);

  linli_platform_lookup_resident_async (platform, number, LINLI_LOOKUP_SOURCE_ID_CARD, NULL, NULL,
                                        NULL, got_result, &result);
  wait_for (&result);
  return linli_platform_lookup_resident_finish (platform, result, error);
}

static LinliCatalog *
get_catalog (LinliPlatform *platform, gboolean *stale, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  linli_platform_get_catalog_async (platform, NULL, got_result, &result);
  wait_for (&result);
  return linli_platform_get_catalog_finish (platform, result, stale, error);
}

static GBytes *
fake_jpeg (gsize size)
{
  guint8 *data = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) (i * 7);
  data[0] = 0xff;
  data[1] = 0xd8;
  data[2] = 0xff;
  data[3] = 0xe0;
  data[size - 2] = 0xff;
  data[size - 1] = 0xd9;
  return g_bytes_new_take (data, size);
}

/* ---- Every operation ------------------------------------------------------- */

static void
test_catalog_and_items (void)
{
  g_autoptr (LinliPlatform) platform = new_platform ();
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliCatalog) catalog = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (LinliCatalogItem) item = NULL;
  gboolean stale = TRUE;

  reset_sim ();
  catalog = get_catalog (platform, &stale, &error);
  g_assert_no_error (error);
  g_assert_false (stale);
  g_assert_nonnull (catalog->etag);
  g_assert_cmpuint (catalog->categories->len, >=, 3);
  g_assert_cmpuint (catalog->items->len, >=, 6);
  /* An item limited to another kiosk is not offered to this one. */
  g_assert_null (linli_catalog_lookup_item (catalog, "330102-MZ-0099"));
  g_assert_nonnull (linli_catalog_lookup_item (catalog, "330102-YB-0010"));

  linli_platform_get_catalog_item_async (platform, "330102-YB-0010", NULL, got_result, &result);
  wait_for (&result);
  item = linli_platform_get_catalog_item_finish (platform, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (item->flow, ==, LINLI_FLOW_APPLICATION);
  g_assert_nonnull (linli_catalog_item_lookup_field (item, "destination"));
  g_assert_cmpuint (item->documents->len, ==, 1);
  g_clear_object (&result);

  linli_platform_get_catalog_item_async (platform, "330102-ZZ-9999", NULL, got_result, &result);
  wait_for (&result);
  g_assert_null (linli_platform_get_catalog_item_finish (platform, result, &error));
  g_assert_error (error, LINLI_PLATFORM_ERROR, LINLI_PLATFORM_ERROR_NOT_FOUND);
  g_assert_cmpstr (linli_platform_error_get_code (error), ==, "ITEM_NOT_FOUND");
  assert_resident_fit (error);
}

static void
test_resident_and_social_security (void)
{
  g_autoptr (LinliPlatform) platform = new_platform ();
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliResident) resident = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (LinliContributionRecord) record = NULL;
  g_autoptr (LinliInsuredCertificate) certificate = NULL;
  g_autoptr (LinliApplicationList) list = NULL;

  reset_sim ();
  resident = lookup (platform, ELDER_ID17, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (resident->display_name, "李"));
  g_assert_nonnull (strchr (resident->display_name, '*'));
  g_assert_cmpint (resident->age_band, ==, LINLI_AGE_BAND_70_79);
  g_assert_nonnull (resident->social_security);
  g_assert_cmpint (resident->social_security->status, ==, LINLI_SOCIAL_SECURITY_RETIRED);
  g_assert_cmpuint (resident->utilities->len, ==, 3);

  linli_platform_get_contributions_async (platform, resident->resident_ref, 1999, NULL, got_result,
                                          &result);
  wait_for (&result);
  record = linli_platform_get_contributions_finish (platform, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (record->year, ==, 1999);
  g_assert_cmpuint (record->months->len, ==, 12);
  g_assert_cmpint (((LinliContributionMonth *) record->months->pdata[4])->status, ==,
                   LINLI_CONTRIBUTION_UNPAID);
  g_assert_cmpint (((LinliContributionMonth *) record->months->pdata[5])->status, ==,
                   LINLI_CONTRIBUTION_BACK_PAID);
  g_clear_object (&result);

  linli_platform_get_insured_certificate_async (platform, resident->resident_ref, NULL, got_result,
                                                &result);
  wait_for (&result);
  certificate = linli_platform_get_insured_certificate_finish (platform, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (certificate->name, ==, "李秀英");
  g_assert_true (g_str_has_suffix (certificate->id_number_masked, "002X")
                 || strlen (certificate->id_number_masked) == 18);
  g_assert_cmpuint (certificate->insurances->len, ==, 2);
  g_clear_object (&result);

  linli_platform_list_resident_applications_async (platform, resident->resident_ref, NULL, 0, NULL,
                                                   got_result, &result);
  wait_for (&result);
  list = linli_platform_list_resident_applications_finish (platform, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->applications->len, >=, 1);
  g_clear_object (&result);

  g_clear_pointer (&list, linli_application_list_unref);
  linli_platform_list_resident_applications_async (platform, resident->resident_ref, "withdrawn", 5,
                                                   NULL, got_result, &result);
  wait_for (&result);
  list = linli_platform_list_resident_applications_finish (platform, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->applications->len, ==, 0);
}

static void
certify (LinliPlatform *platform,
         const char *resident_ref,
         LinliPensionCertification **certification)
{
  g_autoptr (GDateTime) consent = g_date_time_new_now_local ();
  g_autoptr (GDateTime) captured = g_date_time_add_seconds (consent, 3);
  g_autoptr (GBytes) photo = fake_jpeg (20000);
  g_autofree char *content_type = NULL;
  g_autofree char *key = g_uuid_string_random ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = linli_platform_encode_pension_certification (
      consent, "consent-photo-2024-01", captured, NULL, photo, &content_type, &error);
  g_autoptr (GAsyncResult) result = NULL;

  g_assert_no_error (error);
  linli_platform_submit_pension_certification_async (platform, resident_ref, content_type, body,
                                                     key, NULL, got_result, &result);
  wait_for (&result);
  *certification = linli_platform_submit_pension_certification_finish (platform, result, &error);
  g_assert_no_error (error);
}

static void
test_pension_certification (void)
{
  g_autoptr (LinliPlatform) platform = new_platform ();
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliResident) accepted_resident = lookup (platform, ACCEPT_ID17, &error);
  g_autoptr (LinliResident) elder = lookup (platform, ELDER_ID17, &error);
  g_autoptr (LinliPensionCertification) accepted = NULL;
  g_autoptr (LinliPensionCertification) pending = NULL;
  g_autoptr (LinliPensionCertification) again = NULL;
  g_autoptr (GAsyncResult) result = NULL;

  g_assert_no_error (error);
  certify (platform, accepted_resident->resident_ref, &accepted);
  g_assert_cmpint (accepted->result, ==, LINLI_CERTIFICATION_ACCEPTED);
  g_assert_nonnull (accepted->decided_at);
  g_assert_nonnull (accepted->valid_until);

  certify (platform, elder->resident_ref, &pending);
  g_assert_cmpint (pending->result, ==, LINLI_CERTIFICATION_PENDING);
  g_assert_null (pending->decided_at);

  linli_platform_get_pension_certification_async (platform, pending->certification_id, NULL,
                                                  got_result, &result);
  wait_for (&result);
  again = linli_platform_get_pension_certification_finish (platform, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again->certification_id, ==, pending->certification_id);
}

static void
test_medical_and_utilities (void)
{
  g_autoptr (LinliPlatform) platform = new_platform ();
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliResident) elder = lookup (platform, ELDER_ID17, &error);
  g_autoptr (LinliResident) insured = lookup (platform, RESIDENT_ID17, &error);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (LinliMedicalInsuranceAccount) account = NULL;
  g_autoptr (LinliContributionDue) due = NULL;
  g_autoptr (LinliUtilityBills) bills = NULL;
  LinliMedicalRecord *record;

  g_assert_no_error (error);
  linli_platform_get_medical_account_async (platform, elder->resident_ref, 3, NULL, got_result,
                                            &result);
  wait_for (&result);
  account = linli_platform_get_medical_account_finish (platform, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (account->scheme, ==, LINLI_MEDICAL_SCHEME_EMPLOYEE);
  g_assert_cmpint (account->balance_fen, ==, 352000);
  g_assert_cmpuint (account->records->len, ==, 3);
  record = account->records->pdata[0];
  g_assert_cmpint (record->amount_fen, ==, -4850);
  g_clear_object (&result);

  linli_platform_get_medical_contribution_due_async (platform, insured->resident_ref, 0, NULL,
                                                     got_result, &result);
  wait_for (&result);
  due = linli_platform_get_medical_contribution_due_finish (platform, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (due->status, ==, LINLI_CONTRIBUTION_DUE_DUE);
  g_assert_cmpint (due->amount_due_fen, ==, 40000);
  g_assert_nonnull (due->payable_id);
  g_clear_object (&result);

  linli_platform_list_utility_bills_async (platform, LINLI_UTILITY_TYPE_WATER, "0012345678", NULL,
                                           got_result, &result);
  wait_for (&result);
  bills = linli_platform_list_utility_bills_finish (platform, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (bills->utility_type, ==, LINLI_UTILITY_TYPE_WATER);
  g_assert_cmpuint (bills->bills->len, ==, 4);
  g_assert_cmpint (((LinliUtilityBill *) bills->bills->pdata[0])->status, !=,
                   LINLI_BILL_STATUS_PAID);
  g_clear_object (&result);

  g_clear_pointer (&bills, linli_utility_bills_unref);
  linli_platform_list_utility_bills_async (platform, LINLI_UTILITY_TYPE_GAS, "9999999999", NULL,
                                           got_result, &result);
  wait_for (&result);
  bills = linli_platform_list_utility_bills_finish (platform, result, &error);
  g_assert_error (error, LINLI_PLATFORM_ERROR, LINLI_PLATFORM_ERROR_NOT_FOUND);
  g_assert_cmpstr (linli_platform_error_get_code (error), ==, "ACCOUNT_NOT_FOUND");
  assert_resident_fit (error);
}

static LinliPaymentOrder *
create_order (LinliPlatform *platform,
              LinliPayableKind kind,
              const char *payable,
              gint64 amount,
              const char *key,
              GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  linli_platform_create_payment_order_async (platform, kind, payable, amount, NULL, key, NULL,
                                             got_result, &result);
  wait_for (&result);
  return linli_platform_create_payment_order_finish (platform, result, error);
}

static LinliPaymentOrder *
order_op (LinliPlatform *platform, const char *order_id, gboolean cancel, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  if (cancel)
    {
      linli_platform_cancel_payment_order_async (platform, order_id, NULL, got_result, &result);
      wait_for (&result);
      return linli_platform_cancel_payment_order_finish (platform, result, error);
    }
  linli_platform_get_payment_order_async (platform, order_id, NULL, got_result, &result);
  wait_for (&result);
  return linli_platform_get_payment_order_finish (platform, result, error);
}

/* The first bill still to pay (the seeds have one in each account used). */
static LinliUtilityBill *
first_unpaid (LinliUtilityBills *bills)
{
  for (guint i = 0; i < bills->bills->len; i++)
    {
      LinliUtilityBill *bill = bills->bills->pdata[i];

      if (bill->status != LINLI_BILL_STATUS_PAID)
        return bill;
    }
  g_error ("no unpaid bill in the seeded account");
}

static void
test_payments (void)
{
  g_autoptr (LinliPlatform) platform = new_platform ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (LinliUtilityBills) bills = NULL;
  g_autoptr (LinliPaymentOrder) order = NULL;
  g_autoptr (LinliPaymentOrder) replay = NULL;
  g_autoptr (LinliPaymentOrder) paid = NULL;
  g_autoptr (LinliPaymentOrder) other = NULL;
  g_autoptr (LinliPaymentOrder) cancelled = NULL;
  g_autoptr (LinliPaymentOrder) refused = NULL;
  g_autofree char *key = g_uuid_string_random ();
  g_autofree char *pay_path = NULL;
  g_autoptr (JsonNode) paid_answer = NULL;
  LinliUtilityBill *bill;

  reset_sim ();
  linli_platform_list_utility_bills_async (platform, LINLI_UTILITY_TYPE_ELECTRICITY, "3300112233",
                                           NULL, got_result, &result);
  wait_for (&result);
  bills = linli_platform_list_utility_bills_finish (platform, result, &error);
  g_assert_no_error (error);
  bill = first_unpaid (bills);
  g_assert_nonnull (bill);

  /* The amount the resident was not shown is refused. */
  refused = create_order (platform, LINLI_PAYABLE_UTILITY_BILL, bill->bill_id, bill->amount_fen + 1,
                          key, &error);
  g_assert_null (refused);
  g_assert_error (error, LINLI_PLATFORM_ERROR, LINLI_PLATFORM_ERROR_REJECTED);
  g_assert_cmpstr (linli_platform_error_get_code (error), ==, "AMOUNT_MISMATCH");
  g_assert_true (linli_platform_error_is_definitive (error));
  assert_resident_fit (error);
  g_clear_error (&error);

  g_free (key);
  key = g_uuid_string_random ();
  order = create_order (platform, LINLI_PAYABLE_UTILITY_BILL, bill->bill_id, bill->amount_fen, key,
                        &error);
  g_assert_no_error (error);
  g_assert_cmpint (order->state, ==, LINLI_PAYMENT_STATE_PENDING);
  g_assert_cmpint (order->amount_fen, ==, bill->amount_fen);
  g_assert_true (g_str_has_prefix (order->qr_payload, "http"));
  /* The same key again: the same order, not a second one. */
  replay = create_order (platform, LINLI_PAYABLE_UTILITY_BILL, bill->bill_id, bill->amount_fen, key,
                         &error);
  g_assert_no_error (error);
  g_assert_cmpstr (replay->order_id, ==, order->order_id);
  g_assert_cmpint (key_received (key), ==, 2);

  pay_path = g_strdup_printf ("/payments/%s/pay", order->order_id);
  paid_answer = control ("POST", pay_path, NULL);
  paid = order_op (platform, order->order_id, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (paid->state, ==, LINLI_PAYMENT_STATE_PAID);
  g_assert_true (linli_payment_order_is_final (paid));
  g_assert_nonnull (paid->paid_at);

  /* A paid order cannot be cancelled; the platform says so. */
  g_assert_null (order_op (platform, order->order_id, TRUE, &error));
  g_assert_error (error, LINLI_PLATFORM_ERROR, LINLI_PLATFORM_ERROR_REJECTED);
  g_assert_cmpstr (linli_platform_error_get_code (error), ==, "ORDER_NOT_CANCELLABLE");
  g_clear_error (&error);

  /* A contribution, cancelled when the resident walks away. */
  {
    g_autoptr (LinliResident) insured = lookup (platform, RESIDENT_ID17, &error);
    g_autoptr (LinliContributionDue) due = NULL;
    g_autoptr (GAsyncResult) due_result = NULL;
    g_autofree char *other_key = g_uuid_string_random ();

    g_assert_no_error (error);
    linli_platform_get_medical_contribution_due_async (platform, insured->resident_ref, 0, NULL,
                                                       got_result, &due_result);
    wait_for (&due_result);
    due = linli_platform_get_medical_contribution_due_finish (platform, due_result, &error);
    g_assert_no_error (error);
    other = create_order (platform, LINLI_PAYABLE_MEDICAL_CONTRIBUTION, due->payable_id,
                          due->amount_due_fen, other_key, &error);
    g_assert_no_error (error);
    cancelled = order_op (platform, other->order_id, TRUE, &error);
    g_assert_no_error (error);
    g_assert_cmpint (cancelled->state, ==, LINLI_PAYMENT_STATE_CANCELLED);
  }
}

static GBytes *
application_body (const char *resident_ref, const char *destination, char **content_type)
{
  g_autoptr (LinliApplicationForm) form
      = linli_application_form_new ("330102-YB-0010", resident_ref);
  g_autoptr (GBytes) page = fake_jpeg (30000);
  GBytes *pages[] = { page };
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  g_autoptr (GError) error = NULL;
  GBytes *body;

  linli_application_form_set_string (form, "destination", destination);
  linli_application_form_set_string (form, "reason", "long_term_residence");
  linli_application_form_set_string (form, "start_date", today);
  linli_application_form_set_string (form, "phone", "13800000000");
  linli_application_form_set_submitted_by (form, LINLI_SUBMITTER_STAFF, "GZ0042");
  linli_application_form_set_confirmed_at (form, now);
  linli_application_form_add_document (form, "residence_proof", "image/jpeg", pages, 1);
  body = linli_platform_encode_application (form, content_type, &error);
  g_assert_no_error (error);
  return body;
}

static void
test_applications (void)
{
  g_autoptr (LinliPlatform) platform = new_platform ();
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliResident) worker = lookup (platform, WORKER_ID17, &error);
  g_autofree char *content_type = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autofree char *key = g_uuid_string_random ();
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (LinliApplication) application = NULL;
  g_autoptr (LinliApplication) fetched = NULL;
  g_autoptr (JsonNode) replayed = NULL;
  g_autoptr (LinliApplication) replayed_application = NULL;
  g_autoptr (LinliEvaluation) evaluation = NULL;
  g_autoptr (GBytes) evaluation_body = NULL;
  g_autofree char *evaluation_key = g_uuid_string_random ();
  g_autofree char *evaluation_path = NULL;

  g_assert_no_error (error);
  reset_sim ();
  body = application_body (worker->resident_ref, "上海市", &content_type);
  linli_platform_create_application_async (platform, content_type, body, key, NULL, got_result,
                                           &result);
  wait_for (&result);
  application = linli_platform_create_application_finish (platform, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (application->item_code, ==, "330102-YB-0010");
  g_assert_cmpint (application->status, ==, LINLI_APPLICATION_STATUS_RECEIVED);
  g_clear_object (&result);

  /* The outbox's way: the same bytes with the same key are a replay. */
  linli_platform_submit_async (platform, LINLI_PLATFORM_PATH_APPLICATIONS, content_type, body, key,
                               NULL, got_result, &result);
  wait_for (&result);
  replayed = linli_platform_submit_finish (platform, result, &error);
  g_assert_no_error (error);
  replayed_application = linli_application_new_from_json (replayed, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (replayed_application->application_number, ==, application->application_number);
  g_assert_cmpint (key_received (key), ==, 2);
  g_clear_object (&result);

  linli_platform_get_application_async (platform, application->application_number, NULL, got_result,
                                        &result);
  wait_for (&result);
  fetched = linli_platform_get_application_finish (platform, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fetched->application_number, ==, application->application_number);
  g_clear_object (&result);

  evaluation_body
      = linli_platform_encode_evaluation (LINLI_EVALUATION_SATISFIED, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  linli_platform_submit_evaluation_async (platform, application->application_number,
                                          evaluation_body, evaluation_key, NULL, got_result,
                                          &result);
  wait_for (&result);
  evaluation = linli_platform_submit_evaluation_finish (platform, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (evaluation->grade, ==, LINLI_EVALUATION_SATISFIED);
  g_assert_cmpstr (evaluation->application_number, ==, application->application_number);
  g_clear_object (&result);

  /* A second evaluation, with another key, is refused for good. */
  g_free (evaluation_key);
  evaluation_key = g_uuid_string_random ();
  evaluation_path = linli_platform_path_evaluation (application->application_number);
  linli_platform_submit_async (platform, evaluation_path, "application/json", evaluation_body,
                               evaluation_key, NULL, got_result, &result);
  wait_for (&result);
  g_assert_null (linli_platform_submit_finish (platform, result, &error));
  g_assert_error (error, LINLI_PLATFORM_ERROR, LINLI_PLATFORM_ERROR_REJECTED);
  g_assert_cmpstr (linli_platform_error_get_code (error), ==, "ALREADY_EVALUATED");
  g_assert_true (linli_platform_error_is_definitive (error));
  g_clear_error (&error);
  g_clear_object (&result);

  /* The same key with another application: IDEMPOTENCY_CONFLICT, definitive. */
  {
    g_autofree char *other_type = NULL;
    g_autoptr (GBytes) other = application_body (worker->resident_ref, "杭州市", &other_type);

    linli_platform_submit_async (platform, LINLI_PLATFORM_PATH_APPLICATIONS, other_type, other, key,
                                 NULL, got_result, &result);
    wait_for (&result);
    g_assert_null (linli_platform_submit_finish (platform, result, &error));
    g_assert_error (error, LINLI_PLATFORM_ERROR, LINLI_PLATFORM_ERROR_REJECTED);
    g_assert_cmpstr (linli_platform_error_get_code (error), ==, "IDEMPOTENCY_CONFLICT");
    g_assert_true (linli_platform_error_is_definitive (error));
  }
}

static void
test_heartbeat (void)
{
  g_autoptr (LinliPlatform) platform = new_platform ();
  g_autoptr (LinliHeartbeat) heartbeat
      = linli_heartbeat_new (rig.kiosk_id, LINLI_VERSION, NULL, 120);
  LinliHeartbeatCounters counters = { .sessions = 2, .identifications = 1 };
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliHeartbeatAck) ack = NULL;
  g_autoptr (LinliCatalog) catalog = get_catalog (platform, NULL, &error);

  g_assert_no_error (error);
  linli_heartbeat_add_device (heartbeat, "printer", "receipt", "ready", NULL);
  linli_heartbeat_add_device (heartbeat, "camera", "document", "fault", "no frames for 5 s");
  linli_heartbeat_set_paper (heartbeat, "ok");
  linli_heartbeat_set_outbox (heartbeat, 0, NULL);
  linli_heartbeat_set_counters (heartbeat, &counters);
  linli_heartbeat_set_catalog_etag (heartbeat, catalog->etag);
  linli_platform_send_heartbeat_async (platform, heartbeat, NULL, got_result, &result);
  wait_for (&result);
  ack = linli_platform_send_heartbeat_finish (platform, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ack->server_time);
  g_assert_cmpstr (ack->catalog_etag, ==, catalog->etag);
}

static void
test_platform_errors (void)
{
  g_autoptr (LinliPlatform) platform = new_platform ();
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliResident) nobody = NULL;
  g_autoptr (LinliResident) bad = NULL;
  g_autofree char *wrong = id_number (ELDER_ID17);

  nobody = lookup (platform, UNKNOWN_ID17, &error);
  g_assert_null (nobody);
  g_assert_error (error, LINLI_PLATFORM_ERROR, LINLI_PLATFORM_ERROR_NOT_FOUND);
  g_assert_cmpstr (linli_platform_error_get_code (error), ==, "RESIDENT_NOT_FOUND");
  g_assert_cmpuint (linli_platform_error_get_http_status (error), ==, 404);
  assert_resident_fit (error);
  g_assert_nonnull (linli_platform_error_get_request_id (error));
  g_clear_error (&error);

  /* The platform's English message in English mode. */
  linli_platform_set_language (platform, "en");
  g_clear_pointer (&nobody, linli_resident_unref);
  nobody = lookup (platform, UNKNOWN_ID17, &error);
  g_assert_error (error, LINLI_PLATFORM_ERROR, LINLI_PLATFORM_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, linli_platform_error_get_message_en (error));
  g_assert_true (g_ascii_isupper (error->message[0]));
  g_clear_error (&error);
  linli_platform_set_language (platform, "zh_CN");

  /* A check digit the platform refuses (the kiosk checks only the shape). */
  wrong[17] = wrong[17] == '0' ? '1' : '0';
  {
    g_autoptr (GAsyncResult) result = NULL;

    linli_platform_lookup_resident_async (platform, wrong, LINLI_LOOKUP_SOURCE_STAFF_ENTRY, NULL,
                                          "GZ0042", NULL, got_result, &result);
    wait_for (&result);
    bad = linli_platform_lookup_resident_finish (platform, result, &error);
  }
  g_assert_null (bad);
  g_assert_error (error, LINLI_PLATFORM_ERROR, LINLI_PLATFORM_ERROR_REJECTED);
  g_assert_cmpstr (linli_platform_error_get_code (error), ==, "INVALID_ID_NUMBER");
  assert_resident_fit (error);
  g_clear_error (&error);

  /* Arguments that break the contract never leave the kiosk. */
  reset_sim ();
  {
    g_autoptr (GAsyncResult) result = NULL;
    g_autoptr (LinliContributionRecord) record = NULL;

    linli_platform_get_contributions_async (platform, "../../etc/passwd", 2020, NULL, got_result,
                                            &result);
    wait_for (&result);
    record = linli_platform_get_contributions_finish (platform, result, &error);
    g_assert_error (error, LINLI_PLATFORM_ERROR, LINLI_PLATFORM_ERROR_REJECTED);
    assert_resident_fit (error);
  }
  g_assert_cmpint (requests_of ("getContributionRecord"), ==, 0);
}

/* ---- Faults ----------------------------------------------------------------- */

typedef struct
{
  const char *name;
  const char *fault;
  LinliPlatformError expected;
  gint64 attempts; /* requests the simulator saw */
} FaultCase;

/* Each fault on a GET (retried up to 3 times) of the catalog item. */
static void
test_faults_on_get (void)
{
  const FaultCase cases[] = {
    { "500 always",
      "{\"kind\":\"status\",\"path\":\"/catalog/items/\",\"status\":500,\"count\":-1}",
      LINLI_PLATFORM_ERROR_SERVER, 3 },
    { "503 once",
      "{\"kind\":\"status\",\"path\":\"/catalog/items/\",\"status\":503,\"count\":1,"
      "\"retry_after\":0}",
      0, 2 },
    { "502 proxy page",
      "{\"kind\":\"status\",\"path\":\"/catalog/items/\",\"status\":502,\"count\":-1}",
      LINLI_PLATFORM_ERROR_SERVER, 3 },
    { "429 beyond the wait",
      "{\"kind\":\"status\",\"path\":\"/catalog/items/\",\"status\":429,\"count\":-1,"
      "\"retry_after\":60}",
      LINLI_PLATFORM_ERROR_BUSY, 1 },
    { "401", "{\"kind\":\"status\",\"path\":\"/catalog/items/\",\"status\":401,\"count\":-1}",
      LINLI_PLATFORM_ERROR_UNAUTHORIZED, 1 },
    { "403", "{\"kind\":\"status\",\"path\":\"/catalog/items/\",\"status\":403,\"count\":-1}",
      LINLI_PLATFORM_ERROR_UNAUTHORIZED, 1 },
    { "drop request once", "{\"kind\":\"drop-request\",\"path\":\"/catalog/items/\",\"count\":1}",
      0, 2 },
    { "drop request always",
      "{\"kind\":\"drop-request\",\"path\":\"/catalog/items/\",\"count\":-1}",
      LINLI_PLATFORM_ERROR_UNREACHABLE, 3 },
    { "drop response always",
      "{\"kind\":\"drop-response\",\"path\":\"/catalog/items/\",\"count\":-1}",
      LINLI_PLATFORM_ERROR_UNREACHABLE, 3 },
    { "malformed JSON", "{\"kind\":\"malformed-json\",\"path\":\"/catalog/items/\",\"count\":-1}",
      LINLI_PLATFORM_ERROR_INVALID_RESPONSE, 1 },
    { "oversized", "{\"kind\":\"oversized\",\"path\":\"/catalog/items/\",\"count\":-1}",
      LINLI_PLATFORM_ERROR_INVALID_RESPONSE, 1 },
    { "slow once",
      "{\"kind\":\"latency\",\"path\":\"/catalog/items/\",\"latency_ms\":3000,\"count\":1}", 0, 2 },
    { "slow always",
      "{\"kind\":\"latency\",\"path\":\"/catalog/items/\",\"latency_ms\":4000,\"count\":-1}",
      LINLI_PLATFORM_ERROR_TIMEOUT, 3 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (LinliPlatform) platform = new_platform ();
      g_autoptr (GAsyncResult) result = NULL;
      g_autoptr (GError) error = NULL;
      g_autoptr (LinliCatalogItem) item = NULL;
      gint64 started = g_get_monotonic_time ();

      /* No reused connection: libsoup would resend a GET on its own when a
       * kept-alive connection turns out closed, and blur the count. */
      linli_platform_set_keep_alive (platform, FALSE);
      /* Long enough for a handshake under AddressSanitizer, short enough
       * for the slow faults (3–4 s) to time out. */
      linli_platform_set_timeouts (platform, 2000, 2000);
      reset_sim ();
      add_fault (cases[i].fault);
      linli_platform_get_catalog_item_async (platform, "330102-SB-0001", NULL, got_result, &result);
      wait_for (&result);
      item = linli_platform_get_catalog_item_finish (platform, result, &error);
      g_test_message ("%s: %s in %.0f ms (%s)", cases[i].name,
                      error != NULL ? error->message : "ok",
                      (double) (g_get_monotonic_time () - started) / 1000.0,
                      error != NULL && linli_platform_error_get_detail (error) != NULL
                          ? linli_platform_error_get_detail (error)
                          : "-");
      if (cases[i].expected == 0)
        {
          g_assert_no_error (error);
          g_assert_nonnull (item);
        }
      else
        {
          g_assert_null (item);
          g_assert_error (error, LINLI_PLATFORM_ERROR, (gint) cases[i].expected);
          assert_resident_fit (error);
          g_assert_false (linli_platform_error_is_definitive (error));
        }
      g_assert_cmpint (requests_of ("getCatalogItem"), ==, cases[i].attempts);
    }
  reset_sim ();
}

/* 503 with Retry-After: 1 is waited for (a second, not the 50 ms backoff). */
static void
test_retry_after (void)
{
  g_autoptr (LinliPlatform) platform = new_platform ();
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliCatalogItem) item = NULL;
  gint64 started;

  reset_sim ();
  add_fault ("{\"kind\":\"status\",\"path\":\"/catalog/items/\",\"status\":503,\"count\":1,"
             "\"retry_after\":1}");
  started = g_get_monotonic_time ();
  linli_platform_get_catalog_item_async (platform, "330102-SB-0001", NULL, got_result, &result);
  wait_for (&result);
  item = linli_platform_get_catalog_item_finish (platform, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_get_monotonic_time () - started, >=, 1000 * 1000);
  g_assert_cmpint (requests_of ("getCatalogItem"), ==, 2);
  reset_sim ();
}

/* POSTs: retried only with an Idempotency-Key. */
static void
test_post_retries (void)
{
  g_autoptr (LinliPlatform) platform = new_platform ();
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliResident) resident = NULL;
  g_autoptr (LinliUtilityBills) bills = NULL;
  g_autoptr (LinliPaymentOrder) order = NULL;
  g_autoptr (LinliPaymentOrder) cancelled = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autofree char *key = g_uuid_string_random ();
  LinliUtilityBill *bill;

  linli_platform_set_keep_alive (platform, FALSE);
  /* lookupResident: a POST without a key is sent once, whatever happens. */
  reset_sim ();
  add_fault ("{\"kind\":\"status\",\"path\":\"/residents/lookup\",\"status\":503,\"count\":1,"
             "\"retry_after\":0}");
  resident = lookup (platform, ELDER_ID17, &error);
  g_assert_error (error, LINLI_PLATFORM_ERROR, LINLI_PLATFORM_ERROR_SERVER);
  assert_resident_fit (error);
  g_assert_cmpint (requests_of ("lookupResident"), ==, 1);
  g_clear_error (&error);

  reset_sim ();
  add_fault ("{\"kind\":\"drop-response\",\"path\":\"/residents/lookup\",\"count\":1}");
  resident = lookup (platform, ELDER_ID17, &error);
  g_assert_error (error, LINLI_PLATFORM_ERROR, LINLI_PLATFORM_ERROR_UNREACHABLE);
  g_assert_cmpint (requests_of ("lookupResident"), ==, 1);
  g_clear_error (&error);

  /* createPaymentOrder: with its key, resent after a 503 and a drop. */
  reset_sim ();
  linli_platform_list_utility_bills_async (platform, LINLI_UTILITY_TYPE_WATER, "0012345679", NULL,
                                           got_result, &result);
  wait_for (&result);
  bills = linli_platform_list_utility_bills_finish (platform, result, &error);
  g_assert_no_error (error);
  bill = first_unpaid (bills);
  g_assert_nonnull (bill);
  add_fault ("{\"kind\":\"status\",\"path\":\"/payments\",\"method\":\"POST\",\"status\":503,"
             "\"count\":1,\"retry_after\":0}");
  add_fault ("{\"kind\":\"drop-response\",\"path\":\"/payments\",\"method\":\"POST\",\"count\":1}");
  order = create_order (platform, LINLI_PAYABLE_UTILITY_BILL, bill->bill_id, bill->amount_fen, key,
                        &error);
  g_assert_no_error (error);
  g_assert_nonnull (order);
  g_assert_cmpint (requests_of ("createPaymentOrder"), ==, 3);
  g_assert_cmpint (key_received (key), ==, 3);

  /* cancelPaymentOrder: idempotent by nature, but without a key: once. */
  add_fault ("{\"kind\":\"status\",\"path\":\"/payments/\",\"method\":\"POST\",\"status\":500,"
             "\"count\":1}");
  cancelled = order_op (platform, order->order_id, TRUE, &error);
  g_assert_error (error, LINLI_PLATFORM_ERROR, LINLI_PLATFORM_ERROR_SERVER);
  g_assert_cmpint (requests_of ("cancelPaymentOrder"), ==, 1);
  g_clear_error (&error);
  cancelled = order_op (platform, order->order_id, TRUE, &error);
  g_assert_no_error (error);
  reset_sim ();
}

/* 409 IDEMPOTENCY_IN_PROGRESS: busy, waited for, then the result. */
static void
test_in_progress (void)
{
  g_autoptr (LinliPlatform) platform = new_platform ();
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliResident) worker = lookup (platform, WORKER_ID17, &error);
  g_autofree char *content_type = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autofree char *key = g_uuid_string_random ();
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (JsonNode) answer = NULL;

  g_assert_no_error (error);
  body = application_body (worker->resident_ref, "上海市", &content_type);
  reset_sim ();
  add_fault ("{\"kind\":\"status\",\"path\":\"/applications\",\"method\":\"POST\",\"status\":409,"
             "\"code\":\"IDEMPOTENCY_IN_PROGRESS\",\"count\":1,\"retry_after\":0}");
  linli_platform_submit_async (platform, LINLI_PLATFORM_PATH_APPLICATIONS, content_type, body, key,
                               NULL, got_result, &result);
  wait_for (&result);
  answer = linli_platform_submit_finish (platform, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (answer);
  g_assert_cmpint (requests_of ("createApplication"), ==, 2);
  g_clear_object (&result);

  /* Without the chance to wait: BUSY, not definitive (the outbox keeps it). */
  g_free (key);
  key = g_uuid_string_random ();
  linli_platform_set_retry_policy (platform, 1, 50, 3000);
  add_fault ("{\"kind\":\"status\",\"path\":\"/applications\",\"method\":\"POST\",\"status\":409,"
             "\"code\":\"IDEMPOTENCY_IN_PROGRESS\",\"count\":1,\"retry_after\":5}");
  linli_platform_submit_async (platform, LINLI_PLATFORM_PATH_APPLICATIONS, content_type, body, key,
                               NULL, got_result, &result);
  wait_for (&result);
  g_assert_null (linli_platform_submit_finish (platform, result, &error));
  g_assert_error (error, LINLI_PLATFORM_ERROR, LINLI_PLATFORM_ERROR_BUSY);
  g_assert_false (linli_platform_error_is_definitive (error));
  g_assert_cmpint (linli_platform_error_get_retry_after (error), ==, 5);
  assert_resident_fit (error);
  reset_sim ();
}

/* ---- Cancellation ------------------------------------------------------------ */

typedef struct
{
  GCancellable *cancellable;
  gint64 cancelled_at;
} CancelWatch;

/* Cancels once the simulator has the request in hand (it is sleeping on it,
 * or the client is waiting out its Retry-After). */
static gboolean
cancel_when_seen (gpointer data)
{
  CancelWatch *watch = data;

  if (requests_of ("getCatalogItem") < 1)
    return G_SOURCE_CONTINUE;
  watch->cancelled_at = g_get_monotonic_time ();
  g_cancellable_cancel (watch->cancellable);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (void)
{
  const char *faults[] = {
    /* mid-request: the platform is thinking */
    "{\"kind\":\"latency\",\"path\":\"/catalog/items/\",\"latency_ms\":5000,\"count\":-1}",
    /* between attempts: waiting out a Retry-After */
    "{\"kind\":\"status\",\"path\":\"/catalog/items/\",\"status\":503,\"count\":-1,"
    "\"retry_after\":3}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      g_autoptr (LinliPlatform) platform = new_platform ();
      g_autoptr (GCancellable) cancellable = g_cancellable_new ();
      g_autoptr (GAsyncResult) result = NULL;
      g_autoptr (GError) error = NULL;
      g_autoptr (LinliCatalogItem) item = NULL;
      CancelWatch watch = { cancellable, 0 };
      guint source;

      linli_platform_set_timeouts (platform, 10000, 10000);
      linli_platform_set_retry_policy (platform, 3, 50, 5000);
      reset_sim ();
      add_fault (faults[i]);
      linli_platform_get_catalog_item_async (platform, "330102-SB-0001", cancellable, got_result,
                                             &result);
      source = g_timeout_add (20, cancel_when_seen, &watch);
      wait_for (&result);
      if (watch.cancelled_at == 0)
        g_source_remove (source);
      item = linli_platform_get_catalog_item_finish (platform, result, &error);
      g_assert_null (item);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_assert_cmpint (watch.cancelled_at, >, 0);
      /* At once, not after the latency or the Retry-After. */
      g_assert_cmpint (g_get_monotonic_time () - watch.cancelled_at, <, 1000 * 1000);
      g_assert_cmpint (requests_of ("getCatalogItem"), ==, 1);
    }
  reset_sim ();
}

/* ---- TLS --------------------------------------------------------------------- */

typedef struct
{
  GSubprocess *process;
  char *dir;
  char *url;
} ExtraSim;

/* A second simulator, with server certificate @cert_name, on @address. */
static ExtraSim *
extra_sim_start (const char *cert_name, const char *address)
{
  ExtraSim *sim = g_new0 (ExtraSim, 1);
  g_autoptr (GError) error = NULL;
  g_autofree char *cert = g_strdup_printf ("%s/%s.pem", rig.pki, cert_name);
  g_autofree char *key = g_strdup_printf ("%s/%s.key", rig.pki, cert_name);
  g_autofree char *client_ca = g_build_filename (rig.pki, "kiosk-ca.pem", NULL);
  g_autofree char *db = NULL;
  g_autofree char *ports = NULL;
  g_autofree char *log = NULL;
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  guint port = 0;

  sim->dir = g_dir_make_tmp ("linli-sim-XXXXXX", &error);
  g_assert_no_error (error);
  db = g_build_filename (sim->dir, "sim.sqlite", NULL);
  ports = g_build_filename (sim->dir, "ports", NULL);
  log = g_build_filename (sim->dir, "sim.log", NULL);
  g_subprocess_launcher_set_stdout_file_path (launcher, log);
  g_subprocess_launcher_set_stderr_file_path (launcher, log);
  sim->process = g_subprocess_launcher_spawn (
      launcher, &error, rig.sim, "--port", "0", "--listen", address, "--cert", cert, "--key", key,
      "--client-ca", client_ca, "--db", db, "--seed", "--port-file", ports, NULL);
  g_assert_no_error (error);
  for (int i = 0; i < 200 && port == 0; i++)
    {
      g_autofree char *text = NULL;

      if (g_file_get_contents (ports, &text, NULL, NULL) && g_str_has_prefix (text, "port="))
        port = (guint) g_ascii_strtoull (text + 5, NULL, 10);
      else
        g_usleep (50 * 1000);
    }
  g_assert_cmpuint (port, >, 0);
  sim->url = g_strdup_printf ("https://%s:%u/linli/v1", address, port);
  return sim;
}

static void
extra_sim_stop (ExtraSim *sim)
{
  const char *files[] = { "sim.sqlite", "sim.sqlite-wal", "sim.sqlite-shm", "ports", "sim.log" };

  if (sim->process != NULL)
    {
      g_subprocess_send_signal (sim->process, SIGTERM);
      g_assert_true (g_subprocess_wait (sim->process, NULL, NULL));
      g_clear_object (&sim->process);
    }
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (sim->dir, files[i], NULL);

      g_unlink (path);
    }
  g_rmdir (sim->dir);
  g_free (sim->dir);
  g_free (sim->url);
  g_free (sim);
}

static void
test_bad_server_certificates (void)
{
  struct
  {
    const char *cert;
    const char *address;
    const char *why;
  } cases[] = {
    { "server-expired", "127.0.0.1", "expired" },
    { "server-wrong-ca", "127.0.0.1", "another CA" },
    /* The certificate names 127.0.0.1 and localhost, not this address. */
    { "server", "127.0.0.2", "wrong host" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      ExtraSim *sim = extra_sim_start (cases[i].cert, cases[i].address);
      g_autoptr (LinliPlatform) platform
          = platform_with (sim->url, rig.cert, rig.key, rig.kiosk_id);
      g_autoptr (GError) error = NULL;
      g_autoptr (LinliResident) resident = lookup (platform, ELDER_ID17, &error);

      g_test_message ("%s: %s", cases[i].why, linli_platform_error_get_detail (error));
      g_assert_null (resident);
      g_assert_error (error, LINLI_PLATFORM_ERROR, LINLI_PLATFORM_ERROR_TLS);
      assert_resident_fit (error);
      extra_sim_stop (sim);
    }
}

/* The kiosk's own certificate: what the simulator does with a bad one, as
 * it really happens (docs/platform-client.md). */
static void
test_bad_client_certificates (void)
{
  struct
  {
    const char *name;
    LinliPlatformError expected;
    const char *code;
  } cases[] = {
    { "kiosk-expired", LINLI_PLATFORM_ERROR_UNAUTHORIZED, NULL },
    { "kiosk-foreign", LINLI_PLATFORM_ERROR_UNAUTHORIZED, NULL },
    /* A valid certificate of another kiosk, with this kiosk's header. */
    { "kiosk-other", LINLI_PLATFORM_ERROR_UNAUTHORIZED, "KIOSK_ID_MISMATCH" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *cert = g_strdup_printf ("%s/%s.pem", rig.pki, cases[i].name);
      g_autofree char *key = g_strdup_printf ("%s/%s.key", rig.pki, cases[i].name);
      g_autoptr (LinliPlatform) platform = platform_with (rig.url, cert, key, rig.kiosk_id);
      g_autoptr (GError) error = NULL;
      g_autoptr (LinliResident) resident = lookup (platform, ELDER_ID17, &error);

      g_test_message (
          "%s: %s, code %s, status %u (%s)", cases[i].name,
          error != NULL ? error->message : "accepted", linli_platform_error_get_code (error),
          linli_platform_error_get_http_status (error), linli_platform_error_get_detail (error));
      g_assert_null (resident);
      g_assert_error (error, LINLI_PLATFORM_ERROR, (gint) cases[i].expected);
      if (cases[i].code != NULL)
        g_assert_cmpstr (linli_platform_error_get_code (error), ==, cases[i].code);
      assert_resident_fit (error);
    }
}

/* ---- The catalog cache ------------------------------------------------------- */

static void
inode_of (const char *path, GStatBuf *st)
{
  g_assert_cmpint (g_stat (path, st), ==, 0);
}

static void
test_catalog_cache (void)
{
  g_autofree char *dir = g_dir_make_tmp ("linli-catalog-XXXXXX", NULL);
  g_autoptr (LinliCatalogCache) cache = linli_catalog_cache_new (dir);
  g_autoptr (LinliPlatform) platform = new_platform ();
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliCatalog) first = NULL;
  g_autoptr (LinliCatalog) second = NULL;
  g_autoptr (LinliCatalog) third = NULL;
  g_autoptr (LinliCatalog) stale_catalog = NULL;
  g_autoptr (JsonNode) published = NULL;
  gboolean stale = TRUE;
  GStatBuf before, after;

  linli_platform_set_catalog_cache (platform, cache);
  reset_sim ();
  first = get_catalog (platform, &stale, &error);
  g_assert_no_error (error);
  g_assert_false (stale);
  inode_of (linli_catalog_cache_get_path (cache), &before);
  g_assert_cmpint (before.st_mode & 0777, ==, 0600);

  /* Revalidated: 304, the cached copy, the file untouched. */
  second = get_catalog (platform, &stale, &error);
  g_assert_no_error (error);
  g_assert_false (stale);
  g_assert_cmpstr (second->etag, ==, first->etag);
  inode_of (linli_catalog_cache_get_path (cache), &after);
  g_assert_cmpuint (after.st_ino, ==, before.st_ino);
  g_assert_cmpint (requests_of ("getCatalog"), ==, 2);

  /* A new catalog: a new ETag, a new file. */
  published = control ("POST", "/catalog/publish", NULL);
  third = get_catalog (platform, &stale, &error);
  g_assert_no_error (error);
  g_assert_false (stale);
  g_assert_cmpstr (third->etag, !=, first->etag);
  inode_of (linli_catalog_cache_get_path (cache), &after);
  g_assert_cmpuint (after.st_ino, !=, before.st_ino);

  /* A platform that fails: the last catalog, stale. */
  add_fault ("{\"kind\":\"status\",\"path\":\"/catalog\",\"status\":500,\"count\":-1}");
  stale_catalog = get_catalog (platform, &stale, &error);
  g_assert_no_error (error);
  g_assert_true (stale);
  g_assert_cmpstr (stale_catalog->etag, ==, third->etag);
  reset_sim ();

  g_assert_true (linli_catalog_cache_clear (cache, NULL));
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* The platform stopped: the kiosk keeps the last catalog. */
static void
test_catalog_platform_down (void)
{
  g_autofree char *dir = g_dir_make_tmp ("linli-catalog-XXXXXX", NULL);
  g_autoptr (LinliCatalogCache) cache = linli_catalog_cache_new (dir);
  ExtraSim *sim = extra_sim_start ("server", "127.0.0.1");
  g_autoptr (LinliPlatform) platform = platform_with (sim->url, rig.cert, rig.key, rig.kiosk_id);
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliCatalog) fresh = NULL;
  g_autoptr (LinliCatalog) kept = NULL;
  g_autoptr (LinliCatalog) nothing = NULL;
  g_autoptr (LinliPlatform) uncached = NULL;
  gboolean stale = TRUE;

  linli_platform_set_catalog_cache (platform, cache);
  fresh = get_catalog (platform, &stale, &error);
  g_assert_no_error (error);
  g_assert_false (stale);
  uncached = platform_with (sim->url, rig.cert, rig.key, rig.kiosk_id);
  extra_sim_stop (sim);

  kept = get_catalog (platform, &stale, &error);
  g_assert_no_error (error);
  g_assert_true (stale);
  g_assert_cmpstr (kept->etag, ==, fresh->etag);
  g_assert_cmpuint (kept->items->len, ==, fresh->items->len);

  /* Without a cache there is nothing to fall back on. */
  nothing = get_catalog (uncached, &stale, &error);
  g_assert_null (nothing);
  g_assert_error (error, LINLI_PLATFORM_ERROR, LINLI_PLATFORM_ERROR_UNREACHABLE);
  assert_resident_fit (error);

  g_assert_true (linli_catalog_cache_clear (cache, NULL));
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* ---- The log ------------------------------------------------------------------ */

/* Every level of the client's domain, debug included (a domain handler
 * sees what G_MESSAGES_DEBUG would hide); messages and worse also printed. */
static void
record_log (const char *domain, GLogLevelFlags level, const char *message, gpointer user_data)
{
  g_ptr_array_add (log_lines, g_strdup (message));
  if (level & G_LOG_LEVEL_MESSAGE)
    g_test_message ("%s: %s", domain, message); /* a TAP comment */
  else if (!(level & (G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO)))
    g_log_default_handler (domain, level, message, user_data);
}

static void
drop_log (const char *domain, GLogLevelFlags level, const char *message, gpointer user_data)
{
}

static void
test_log_is_clean (void)
{
  const char *id17s[] = { ELDER_ID17, WORKER_ID17, ACCEPT_ID17, RESIDENT_ID17, UNKNOWN_ID17 };
  const char *personal[] = { "李秀英", "王小明", "卓玛", "欧阳", "13800000000", "上海市" };
  /* The simulator's resident_refs: r_ and 22 characters. */
  g_autoptr (GRegex) ref = g_regex_new ("r_[A-Za-z0-9_-]{16,}", 0, 0, NULL);

  g_test_message ("%u lines logged", log_lines->len);
  g_assert_cmpuint (log_lines->len, >, 20);
  for (guint i = 0; i < log_lines->len; i++)
    {
      const char *line = log_lines->pdata[i];

      for (guint j = 0; j < G_N_ELEMENTS (id17s); j++)
        g_assert_null (strstr (line, id17s[j]));
      for (guint j = 0; j < G_N_ELEMENTS (personal); j++)
        if (strstr (line, personal[j]) != NULL)
          g_error ("personal data in the log: %s", line);
      if (g_regex_match (ref, line, 0, NULL))
        g_error ("a resident_ref in the log: %s", line);
    }
}

int
main (int argc, char **argv)
{
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain ("linli", LINLI_BUILD_LOCALEDIR);
  bind_textdomain_codeset ("linli", "UTF-8");
  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  g_test_init (&argc, &argv, NULL);

  rig.url = g_getenv ("LINLI_PLATFORM_URL");
  rig.ca = g_getenv ("LINLI_PLATFORM_CA");
  rig.cert = g_getenv ("LINLI_PLATFORM_CERT");
  rig.key = g_getenv ("LINLI_PLATFORM_KEY");
  rig.kiosk_id = g_getenv ("LINLI_PLATFORM_KIOSK_ID");
  rig.pki = g_getenv ("LINLI_PLATFORM_PKI");
  rig.control = g_getenv ("LINLI_SIM_CONTROL");
  rig.sim = g_getenv ("LINLI_SIM");
  if (rig.url == NULL || rig.ca == NULL || rig.cert == NULL || rig.key == NULL
      || rig.kiosk_id == NULL || rig.pki == NULL || rig.control == NULL || rig.sim == NULL)
    {
      g_printerr ("not under tests/rigs/platform-rig.sh (LINLI_PLATFORM_* unset)\n");
      return g_getenv ("CI") != NULL ? 1 : 77;
    }
  control_session = soup_session_new ();
  soup_session_set_proxy_resolver (control_session, NULL);
  log_lines = g_ptr_array_new_with_free_func (g_free);
  g_log_set_handler ("linli-platform", G_LOG_LEVEL_MASK | G_LOG_FLAG_FATAL | G_LOG_FLAG_RECURSION,
                     record_log, NULL);
  /* GIO's connection chatter would drown the test's own messages. */
  g_log_set_handler ("GLib-GIO", G_LOG_LEVEL_DEBUG, drop_log, NULL);

  g_test_add_func ("/platform-contract/catalog", test_catalog_and_items);
  g_test_add_func ("/platform-contract/resident-social-security",
                   test_resident_and_social_security);
  g_test_add_func ("/platform-contract/pension-certification", test_pension_certification);
  g_test_add_func ("/platform-contract/medical-utilities", test_medical_and_utilities);
  g_test_add_func ("/platform-contract/payments", test_payments);
  g_test_add_func ("/platform-contract/applications", test_applications);
  g_test_add_func ("/platform-contract/heartbeat", test_heartbeat);
  g_test_add_func ("/platform-contract/platform-errors", test_platform_errors);
  g_test_add_func ("/platform-contract/faults-get", test_faults_on_get);
  g_test_add_func ("/platform-contract/retry-after", test_retry_after);
  g_test_add_func ("/platform-contract/post-retries", test_post_retries);
  g_test_add_func ("/platform-contract/in-progress", test_in_progress);
  g_test_add_func ("/platform-contract/cancel", test_cancel);
  g_test_add_func ("/platform-contract/server-certificates", test_bad_server_certificates);
  g_test_add_func ("/platform-contract/client-certificates", test_bad_client_certificates);
  g_test_add_func ("/platform-contract/catalog-cache", test_catalog_cache);
  g_test_add_func ("/platform-contract/catalog-platform-down", test_catalog_platform_down);
  g_test_add_func ("/platform-contract/log-is-clean", test_log_is_clean);
  status = g_test_run ();
  g_ptr_array_unref (log_lines);
  g_object_unref (control_session);
  return status;
}
