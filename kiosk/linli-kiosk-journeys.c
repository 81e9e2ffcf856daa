/* linli-kiosk-journeys.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The journeys that end in something to take home: a query shown in large
 * text and spoken (info), the insured-status certificate (certificate), the
 * resident's applications (status). Each fetches from the platform into a
 * LinliPrintout: lines for the screen, and the receipt the catalog's
 * template names, filled with masked data only. Paying a bill, printing
 * and keeping receipts by number are in linli-kiosk-receipts.c.
 */
#define G_LOG_DOMAIN "linli-kiosk"

#include "linli-kiosk-private.h"
#include "linli-printout-private.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "linli-identity.h"
#include "linli-receipt.h"
#include "linli-spoken.h"

/* Recent medical-insurance records and applications shown at most. */
#define RECENT_LIMIT 5

/* ---- labels: receipts are Chinese official documents, screens follow the language ---- */

static const char *
insurance_label (LinliInsurance insurance)
{
  switch (insurance)
    {
    case LINLI_INSURANCE_PENSION:
      return "养老保险";
    case LINLI_INSURANCE_MEDICAL:
      return "医疗保险";
    case LINLI_INSURANCE_UNEMPLOYMENT:
      return "失业保险";
    case LINLI_INSURANCE_WORK_INJURY:
      return "工伤保险";
    case LINLI_INSURANCE_MATERNITY:
      return "生育保险";
    default:
      return "社会保险";
    }
}

static const char *
insurance_screen_label (LinliInsurance insurance)
{
  switch (insurance)
    {
    case LINLI_INSURANCE_PENSION:
      return _ ("Pension insurance");
    case LINLI_INSURANCE_MEDICAL:
      return _ ("Medical insurance");
    case LINLI_INSURANCE_UNEMPLOYMENT:
      return _ ("Unemployment insurance");
    case LINLI_INSURANCE_WORK_INJURY:
      return _ ("Work-injury insurance");
    case LINLI_INSURANCE_MATERNITY:
      return _ ("Maternity insurance");
    default:
      return _ ("Social insurance");
    }
}

static const char *
insurance_status_label (LinliInsuranceStatus status)
{
  switch (status)
    {
    case LINLI_INSURANCE_STATUS_INSURED:
      return "正常参保";
    case LINLI_INSURANCE_STATUS_SUSPENDED:
      return "暂停缴费";
    case LINLI_INSURANCE_STATUS_RETIRED:
      return "退休";
    case LINLI_INSURANCE_STATUS_TERMINATED:
      return "终止参保";
    default:
      return "";
    }
}

static const char *
insurance_status_screen_label (LinliInsuranceStatus status)
{
  switch (status)
    {
    case LINLI_INSURANCE_STATUS_INSURED:
      return _ ("Insured");
    case LINLI_INSURANCE_STATUS_SUSPENDED:
      return _ ("Contributions suspended");
    case LINLI_INSURANCE_STATUS_RETIRED:
      return _ ("Retired");
    case LINLI_INSURANCE_STATUS_TERMINATED:
      return _ ("Insurance ended");
    default:
      return "";
    }
}

static const char *
contribution_status_label (LinliContributionStatus status)
{
  switch (status)
    {
    case LINLI_CONTRIBUTION_PAID:
      return "已缴";
    case LINLI_CONTRIBUTION_UNPAID:
      return "欠缴";
    case LINLI_CONTRIBUTION_BACK_PAID:
      return "补缴";
    default:
      return "";
    }
}

static const char *
medical_record_label (LinliMedicalRecordKind kind)
{
  switch (kind)
    {
    case LINLI_MEDICAL_RECORD_CREDIT:
      return "划入";
    case LINLI_MEDICAL_RECORD_OUTPATIENT:
      return "门诊";
    case LINLI_MEDICAL_RECORD_INPATIENT:
      return "住院";
    case LINLI_MEDICAL_RECORD_PHARMACY:
      return "购药";
    case LINLI_MEDICAL_RECORD_TRANSFER:
      return "转入转出";
    case LINLI_MEDICAL_RECORD_ADJUSTMENT:
    default:
      return "调整";
    }
}

static const char *
medical_record_screen_label (LinliMedicalRecordKind kind)
{
  switch (kind)
    {
    case LINLI_MEDICAL_RECORD_CREDIT:
      return _ ("Paid in");
    case LINLI_MEDICAL_RECORD_OUTPATIENT:
      return _ ("Outpatient");
    case LINLI_MEDICAL_RECORD_INPATIENT:
      return _ ("Hospital stay");
    case LINLI_MEDICAL_RECORD_PHARMACY:
      return _ ("Pharmacy");
    case LINLI_MEDICAL_RECORD_TRANSFER:
      return _ ("Transfer");
    case LINLI_MEDICAL_RECORD_ADJUSTMENT:
    default:
      return _ ("Adjustment");
    }
}

/* Amounts as printed: yuan with two decimals. */
static char *
format_yuan (gint64 fen)
{
  return g_strdup_printf ("%s%" G_GINT64_FORMAT ".%02d 元", fen < 0 ? "-" : "", ABS (fen) / 100,
                          (int) (ABS (fen) % 100));
}

/* An amount as the screen writes it, "12.50 元" / "12.50 yuan". */
char *
linli_format_screen_yuan (gint64 fen)
{
  /* TRANSLATORS: an amount of money; %s is the number with two decimals. */
  g_autofree char *number = g_strdup_printf ("%s%" G_GINT64_FORMAT ".%02d", fen < 0 ? "-" : "",
                                             ABS (fen) / 100, (int) (ABS (fen) % 100));
  return g_strdup_printf (_ ("%s yuan"), number);
}

/* A line whose value is an amount: written in figures, spoken in words. */
static void
add_amount_line (LinliPrintout *printout, const char *language, const char *label, gint64 fen)
{
  g_autofree char *written = linli_format_screen_yuan (fen);
  g_autofree char *amount = linli_spoken_amount (fen, language);
  g_autofree char *spoken = g_strdup_printf ("%s，%s", label, amount);

  linli_printout_add_line (printout, label, written, spoken);
}

/* The identity lines of a receipt: the name masked here, the ID number as
 * the card reader masked it. */
static gboolean
set_identity (LinliKiosk *self, LinliReceipt *receipt, const char *full_name, GError **error)
{
  LinliIdentity *identity = linli_kiosk_get_identity (self);
  g_autofree char *name = NULL;
  g_autofree char *id_number = NULL;
  const char *const *fields = linli_receipt_get_fields (receipt);

  if (identity == NULL)
    return TRUE;
  name = linli_mask_name (full_name != NULL ? full_name : linli_identity_get_name (identity));
  id_number = linli_mask_id_number (linli_identity_get_id_number (identity));
  if (g_strv_contains (fields, "name") && !linli_receipt_set (receipt, "name", name, error))
    return FALSE;
  if (g_strv_contains (fields, "id_number") && id_number != NULL
      && !linli_receipt_set (receipt, "id_number", id_number, error))
    return FALSE;
  return TRUE;
}

/* ---- certificate ---- */

static LinliPrintout *
certificate_printout (LinliKiosk *self, LinliInsuredCertificate *certificate, GError **error)
{
  g_autoptr (LinliReceipt) receipt = linli_kiosk_new_receipt (self, "insured-certificate", error);
  g_autoptr (GString) lines = g_string_new ("险种\t状态\t参保时间\t累计月数");
  g_autoptr (LinliPrintout) printout = NULL;
  g_autofree char *name = NULL;

  if (receipt == NULL)
    return NULL;
  for (guint i = 0; i < certificate->insurances->len; i++)
    {
      LinliInsuranceLine *line = g_ptr_array_index (certificate->insurances, i);

      g_string_append_printf (
          lines, "\n%s\t%s\t%s\t%" G_GINT64_FORMAT, insurance_label (line->insurance),
          insurance_status_label (line->status), line->since, line->cumulative_months);
    }
  /* The platform sends the name in full for this document only. */
  name = linli_mask_name (certificate->name);
  if (!linli_receipt_set (receipt, "name", name, error)
      || !linli_receipt_set (receipt, "id_number", certificate->id_number_masked, error)
      || !linli_receipt_set (receipt, "lines", lines->str, error)
      || !linli_receipt_set (receipt, "statement",
                             "兹证明上述人员在本县参加社会保险，参保情况如上。", error)
      || !linli_receipt_set (receipt, "verification_code", certificate->verification_code, error)
      || !linli_receipt_set (receipt, "qr", certificate->verify_url, error)
      || (certificate->issuer != NULL
          && !linli_receipt_set (receipt, "issuer", certificate->issuer, error)))
    return NULL;

  printout = linli_printout_new (_ ("Insured-status certificate"), g_steal_pointer (&receipt));
  for (guint i = 0; i < certificate->insurances->len; i++)
    {
      LinliInsuranceLine *line = g_ptr_array_index (certificate->insurances, i);
      g_autofree char *value = g_strdup_printf (
          /* TRANSLATORS: a status, then since when (a date) */
          _ ("%s, since %s"), insurance_status_screen_label (line->status), line->since);

      linli_printout_add_line (printout, insurance_screen_label (line->insurance), value, NULL);
    }
  linli_printout_set_note (printout, _ ("Choose Print to print your certificate."));
  return g_steal_pointer (&printout);
}

/* ---- info: the pension contribution record of this year ---- */

static LinliPrintout *
contributions_printout (LinliKiosk *self, LinliContributionRecord *record, GError **error)
{
  const char *language = linli_kiosk_get_language (self);
  g_autoptr (LinliReceipt) receipt = linli_kiosk_new_receipt (self, "contribution-record", error);
  g_autoptr (GString) lines = NULL;
  g_autoptr (LinliPrintout) printout = NULL;
  g_autofree char *personal = format_yuan (record->total_personal_fen);
  g_autofree char *employer = format_yuan (record->total_employer_fen);
  g_autofree char *year = NULL;
  g_autofree char *months = NULL;
  g_autofree char *cumulative = NULL;

  if (receipt == NULL || !set_identity (self, receipt, NULL, error))
    return NULL;
  lines = g_string_new (NULL);
  g_string_append_printf (lines, "年度\t%" G_GINT64_FORMAT "\n", record->year);
  g_string_append_printf (lines, "本年缴费\t%u 个月\n", record->months->len);
  g_string_append_printf (lines, "个人缴费合计\t%s\n", personal);
  g_string_append_printf (lines, "单位缴费合计\t%s\n", employer);
  g_string_append_printf (lines, "累计缴费\t%" G_GINT64_FORMAT " 个月", record->cumulative_months);
  if (record->months->len > 0)
    g_string_append (lines, "\n月份\t状态\t个人缴费");
  for (guint i = 0; i < record->months->len; i++)
    {
      LinliContributionMonth *month = g_ptr_array_index (record->months, i);
      g_autofree char *amount = format_yuan (month->personal_fen);

      g_string_append_printf (lines, "\n%s\t%s\t%s", month->month,
                              contribution_status_label (month->status), amount);
    }
  if (!linli_receipt_set (receipt, "lines", lines->str, error))
    return NULL;
  explicit_bzero (lines->str, lines->len);

  printout = linli_printout_new (_ ("Pension contribution record"), g_steal_pointer (&receipt));
  year = g_strdup_printf ("%" G_GINT64_FORMAT, record->year);
  linli_printout_add_line (printout, _ ("Year"), year, NULL);
  months = g_strdup_printf (ngettext ("%u month", "%u months", record->months->len),
                            record->months->len);
  linli_printout_add_line (printout, _ ("Months paid this year"), months, NULL);
  add_amount_line (printout, language, _ ("Paid by you this year"), record->total_personal_fen);
  add_amount_line (printout, language, _ ("Paid by your employer this year"),
                   record->total_employer_fen);
  cumulative
      = g_strdup_printf (ngettext ("%u month", "%u months", (gulong) record->cumulative_months),
                         (guint) record->cumulative_months);
  linli_printout_add_line (printout, _ ("Months paid in all"), cumulative, NULL);
  for (guint i = 0; i < record->months->len; i++)
    {
      LinliContributionMonth *month = g_ptr_array_index (record->months, i);

      if (month->status == LINLI_CONTRIBUTION_UNPAID)
        {
          g_autofree char *note = g_strdup_printf (_ ("%s was not paid."), month->month);

          linli_printout_add_line (printout, _ ("Unpaid month"), note, NULL);
        }
    }
  linli_printout_set_note (printout, _ ("Choose Print to take this record home."));
  return g_steal_pointer (&printout);
}

/* ---- info: the medical-insurance account ---- */

static LinliPrintout *
medical_printout (LinliKiosk *self, LinliMedicalInsuranceAccount *account, GError **error)
{
  const char *language = linli_kiosk_get_language (self);
  g_autoptr (LinliReceipt) receipt = linli_kiosk_new_receipt (self, "medical-balance", error);
  g_autoptr (GString) lines = g_string_new (NULL);
  g_autoptr (LinliPrintout) printout = NULL;
  g_autofree char *balance = format_yuan (account->balance_fen);
  g_autofree char *as_of = g_date_time_format (account->as_of, "%Y-%m-%d %H:%M");

  if (receipt == NULL || !set_identity (self, receipt, NULL, error))
    return NULL;
  g_string_append_printf (lines, "医保类别\t%s\n",
                          account->scheme == LINLI_MEDICAL_SCHEME_EMPLOYEE ? "职工医保"
                                                                           : "城乡居民医保");
  g_string_append_printf (lines, "账户余额\t%s\n", balance);
  g_string_append_printf (lines, "截至\t%s", as_of);
  if (account->records->len > 0)
    g_string_append (lines, "\n日期\t类别\t金额");
  for (guint i = 0; i < account->records->len && i < RECENT_LIMIT; i++)
    {
      LinliMedicalRecord *record = g_ptr_array_index (account->records, i);
      g_autofree char *amount = format_yuan (record->amount_fen);

      g_string_append_printf (lines, "\n%s\t%s\t%s", record->date,
                              medical_record_label (record->kind), amount);
    }
  if (!linli_receipt_set (receipt, "lines", lines->str, error))
    return NULL;
  explicit_bzero (lines->str, lines->len);

  printout = linli_printout_new (_ ("Medical-insurance account"), g_steal_pointer (&receipt));
  add_amount_line (printout, language, _ ("Balance"), account->balance_fen);
  linli_printout_add_line (printout, _ ("Scheme"),
                           account->scheme == LINLI_MEDICAL_SCHEME_EMPLOYEE
                               ? _ ("Employee medical insurance")
                               : _ ("Residents' medical insurance"),
                           NULL);
  for (guint i = 0; i < account->records->len && i < RECENT_LIMIT; i++)
    {
      LinliMedicalRecord *record = g_ptr_array_index (account->records, i);
      g_autofree char *amount = linli_format_screen_yuan (record->amount_fen);
      g_autofree char *spoken_amount = linli_spoken_amount (record->amount_fen, language);
      g_autofree char *label
          = g_strdup_printf ("%s %s", record->date, medical_record_screen_label (record->kind));
      int year = 0, month = 0, day = 0;
      g_autofree char *spoken_date = NULL;
      g_autofree char *spoken = NULL;

      if (sscanf (record->date, "%4d-%2d-%2d", &year, &month, &day) == 3)
        spoken_date = linli_spoken_date (year, month, day, language);
      spoken = g_strdup_printf ("%s，%s，%s", spoken_date != NULL ? spoken_date : record->date,
                                medical_record_screen_label (record->kind), spoken_amount);
      linli_printout_add_line (printout, label, amount, spoken);
    }
  linli_printout_set_note (printout, _ ("Choose Print to take this record home."));
  return g_steal_pointer (&printout);
}

/* ---- status: the resident's recent applications ---- */

static LinliPrintout *
applications_printout (LinliKiosk *self, LinliApplicationList *list, GError **error)
{
  const char *language = linli_kiosk_get_language (self);
  guint n = MIN (list->applications->len, RECENT_LIMIT);
  g_autoptr (LinliReceipt) receipt = NULL;
  g_autoptr (GString) lines = g_string_new (NULL);
  g_autoptr (LinliPrintout) printout = NULL;

  if (n == 0)
    {
      /* Nothing to take home: shown and spoken only. */
      printout = linli_printout_new (_ ("Your applications"), NULL);
      linli_printout_set_note (printout, _ ("There are no applications in your name."));
      return g_steal_pointer (&printout);
    }
  receipt = linli_kiosk_new_receipt (self, "application-status", error);
  if (receipt == NULL || !set_identity (self, receipt, NULL, error))
    return NULL;
  for (guint i = 0; i < n; i++)
    {
      LinliApplication *application = g_ptr_array_index (list->applications, i);

      g_string_append_printf (lines, "%s%s\n%s\t%s", i > 0 ? "\n" : "",
                              application->application_number,
                              linli_localized_text_get (application->title, "zh"),
                              linli_localized_text_get (application->status_text, "zh"));
    }
  if (!linli_receipt_set (receipt, "lines", lines->str, error))
    return NULL;
  explicit_bzero (lines->str, lines->len);

  printout = linli_printout_new (_ ("Your applications"), g_steal_pointer (&receipt));
  for (guint i = 0; i < n; i++)
    {
      LinliApplication *application = g_ptr_array_index (list->applications, i);
      const char *status = linli_localized_text_get (application->status_text, language);
      g_autofree char *spoken_number
          = linli_spoken_digits (application->application_number, language);
      g_autofree char *label
          = g_strdup_printf ("%s\n%s", linli_localized_text_get (application->title, language),
                             application->application_number);
      g_autofree char *spoken
          = g_strdup_printf ("%s，%s，%s", linli_localized_text_get (application->title, language),
                             spoken_number, status);

      linli_printout_add_line (printout, label, status, spoken);
    }
  linli_printout_set_note (printout, _ ("Choose Print to take this list home."));
  return g_steal_pointer (&printout);
}

/* ---- payment: the bill to pay ---- */

static const char *
utility_screen_label (LinliUtilityType type)
{
  switch (type)
    {
    case LINLI_UTILITY_TYPE_WATER:
      return _ ("Water bill");
    case LINLI_UTILITY_TYPE_ELECTRICITY:
      return _ ("Electricity bill");
    case LINLI_UTILITY_TYPE_GAS:
      return _ ("Gas bill");
    case LINLI_UTILITY_TYPE_HEATING:
    default:
      return _ ("Heating bill");
    }
}

/* The oldest unpaid bill is the one offered: paid one after the other,
 * the resident never skips one by mistake. */
static LinliPrintout *
utility_printout (LinliKiosk *self,
                  LinliCatalogItem *item,
                  LinliUtilityBills *bills,
                  GError **error)
{
  const char *language = linli_kiosk_get_language (self);
  LinliUtilityBill *bill = NULL;
  guint unpaid = 0;
  g_autoptr (LinliPrintout) printout = NULL;
  g_autofree char *period = NULL;

  for (guint i = 0; i < bills->bills->len; i++)
    {
      LinliUtilityBill *candidate = g_ptr_array_index (bills->bills, i);

      if (candidate->status == LINLI_BILL_STATUS_PAID)
        continue;
      unpaid++;
      if (bill == NULL || g_strcmp0 (candidate->period_start, bill->period_start) < 0)
        bill = candidate;
    }
  printout = linli_printout_new (utility_screen_label (bills->utility_type), NULL);
  linli_printout_add_line (printout, _ ("Provider"), bills->provider, NULL);
  linli_printout_add_line (printout, _ ("Account number"), bills->account_number, NULL);
  if (bill == NULL)
    {
      linli_printout_set_note (printout, _ ("There is no unpaid bill on this account."));
      return g_steal_pointer (&printout);
    }
  period = g_strdup_printf ("%s – %s", bill->period_start, bill->period_end);
  linli_printout_add_line (printout, _ ("Period"), period, NULL);
  if (bill->has_usage && bill->unit != NULL)
    {
      g_autofree char *usage = g_strdup_printf ("%.1f %s", bill->usage, bill->unit);

      linli_printout_add_line (printout, _ ("Used"), usage, NULL);
    }
  add_amount_line (printout, language, _ ("Amount due"), bill->amount_fen);
  if (bill->late_fee_fen > 0)
    add_amount_line (printout, language, _ ("Of which late fee"), bill->late_fee_fen);
  linli_printout_add_line (printout, _ ("Pay by"), bill->due_date, NULL);
  if (unpaid > 1)
    {
      g_autofree char *note = g_strdup_printf (
          ngettext ("There is %u more unpaid bill. Choose Pay to pay this one first.",
                    "There are %u more unpaid bills. Choose Pay to pay this one first.",
                    unpaid - 1),
          unpaid - 1);
      linli_printout_set_note (printout, note);
    }
  else
    linli_printout_set_note (printout, _ ("Choose Pay to pay it with your phone."));
  linli_printout_set_payable (printout, LINLI_PAYABLE_UTILITY_BILL, bill->bill_id, bill->amount_fen,
                              linli_localized_text_get (item->title, "zh"), bills->account_number,
                              bills->holder_masked);
  return g_steal_pointer (&printout);
}

static LinliPrintout *
medical_due_printout (LinliKiosk *self,
                      LinliCatalogItem *item,
                      LinliContributionDue *due,
                      GError **error)
{
  const char *language = linli_kiosk_get_language (self);
  g_autoptr (LinliPrintout) printout
      = linli_printout_new (_ ("Residents' medical insurance contribution"), NULL);
  g_autofree char *year = g_strdup_printf ("%" G_GINT64_FORMAT, due->year);
  g_autofree char *masked_name = NULL;
  LinliIdentity *identity = linli_kiosk_get_identity (self);

  linli_printout_add_line (printout, _ ("Insurance year"), year, NULL);
  if (due->status == LINLI_CONTRIBUTION_DUE_PAID)
    {
      linli_printout_set_note (printout, _ ("This year's contribution has already been paid."));
      return g_steal_pointer (&printout);
    }
  if (due->status != LINLI_CONTRIBUTION_DUE_DUE)
    {
      linli_printout_set_note (printout, _ ("You do not need to pay this contribution. Staff at "
                                            "the service desk can tell you more."));
      return g_steal_pointer (&printout);
    }
  add_amount_line (printout, language, _ ("Amount due"), due->amount_due_fen);
  linli_printout_add_line (printout, _ ("Pay by"), due->deadline, NULL);
  linli_printout_set_note (printout, _ ("Choose Pay to pay it with your phone."));
  if (identity != NULL)
    masked_name = linli_mask_name (linli_identity_get_name (identity));
  linli_printout_set_payable (printout, LINLI_PAYABLE_MEDICAL_CONTRIBUTION, due->payable_id,
                              due->amount_due_fen, linli_localized_text_get (item->title, "zh"),
                              NULL, masked_name);
  return g_steal_pointer (&printout);
}

/* ---- the query: which platform call an item makes ---- */

typedef enum
{
  QUERY_CERTIFICATE,
  QUERY_CONTRIBUTIONS,
  QUERY_MEDICAL,
  QUERY_APPLICATIONS,
  QUERY_UTILITY_BILLS,
  QUERY_MEDICAL_DUE,
} QueryKind;

typedef struct
{
  QueryKind kind;
  LinliCatalogItem *item;
} Query;

static void
query_free (Query *query)
{
  linli_catalog_item_unref (query->item);
  g_free (query);
}

static void
on_query_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  LinliKiosk *self = g_task_get_source_object (task);
  LinliPlatform *platform = LINLI_PLATFORM (source);
  Query *query = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr (GError) render_error = NULL;
  LinliPrintout *printout = NULL;

  switch (query->kind)
    {
    case QUERY_CERTIFICATE:
      {
        g_autoptr (LinliInsuredCertificate) certificate
            = linli_platform_get_insured_certificate_finish (platform, result, &error);
        if (certificate != NULL)
          printout = certificate_printout (self, certificate, &render_error);
        break;
      }
    case QUERY_CONTRIBUTIONS:
      {
        g_autoptr (LinliContributionRecord) record
            = linli_platform_get_contributions_finish (platform, result, &error);
        if (record != NULL)
          printout = contributions_printout (self, record, &render_error);
        break;
      }
    case QUERY_MEDICAL:
      {
        g_autoptr (LinliMedicalInsuranceAccount) account
            = linli_platform_get_medical_account_finish (platform, result, &error);
        if (account != NULL)
          printout = medical_printout (self, account, &render_error);
        break;
      }
    case QUERY_UTILITY_BILLS:
      {
        g_autoptr (LinliUtilityBills) bills
            = linli_platform_list_utility_bills_finish (platform, result, &error);
        if (bills != NULL)
          printout = utility_printout (self, query->item, bills, &render_error);
        break;
      }
    case QUERY_MEDICAL_DUE:
      {
        g_autoptr (LinliContributionDue) due
            = linli_platform_get_medical_contribution_due_finish (platform, result, &error);
        if (due != NULL)
          printout = medical_due_printout (self, query->item, due, &render_error);
        break;
      }
    case QUERY_APPLICATIONS:
    default:
      {
        g_autoptr (LinliApplicationList) list
            = linli_platform_list_resident_applications_finish (platform, result, &error);
        if (list != NULL)
          printout = applications_printout (self, list, &render_error);
        break;
      }
    }

  if (error != NULL)
    {
      /* The platform's messages are written for residents. */
      g_task_return_error (task, error);
      return;
    }
  if (printout == NULL)
    {
      /* A template that does not fit the data: for maintainers, without
       * the data itself. */
      g_warning ("preparing a receipt: %s", render_error->message);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "%s",
                               _ ("This information could not be prepared. Staff at the service "
                                  "desk can help you."));
      return;
    }
  g_task_return_pointer (task, printout, g_object_unref);
}

static void
start_query (GTask *task, LinliPlatform *platform, LinliResident *resident)
{
  Query *query = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  switch (query->kind)
    {
    case QUERY_UTILITY_BILLS:
      {
        LinliUtilityType type = LINLI_UTILITY_TYPE_WATER;
        LinliUtilityAccount *account = NULL;

        linli_utility_type_from_string (query->item->utility_type, &type);
        for (guint i = 0; resident->utilities != NULL && i < resident->utilities->len; i++)
          {
            LinliUtilityAccount *candidate = g_ptr_array_index (resident->utilities, i);

            if (candidate->type == type)
              {
                account = candidate;
                break;
              }
          }
        if (account == NULL)
          {
            g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s",
                                     _ ("There is no account of this kind in your name. Staff "
                                        "at the service desk can help you."));
            return;
          }
        linli_platform_list_utility_bills_async (platform, type, account->account_number,
                                                 cancellable, on_query_done, g_object_ref (task));
        break;
      }
    case QUERY_MEDICAL_DUE:
      linli_platform_get_medical_contribution_due_async (
          platform, resident->resident_ref, 0, cancellable, on_query_done, g_object_ref (task));
      break;
    case QUERY_CERTIFICATE:
      linli_platform_get_insured_certificate_async (platform, resident->resident_ref, cancellable,
                                                    on_query_done, g_object_ref (task));
      break;
    case QUERY_CONTRIBUTIONS:
      {
        g_autoptr (GDateTime) now = g_date_time_new_now_local ();

        linli_platform_get_contributions_async (platform, resident->resident_ref,
                                                g_date_time_get_year (now), cancellable,
                                                on_query_done, g_object_ref (task));
        break;
      }
    case QUERY_MEDICAL:
      linli_platform_get_medical_account_async (platform, resident->resident_ref, RECENT_LIMIT,
                                                cancellable, on_query_done, g_object_ref (task));
      break;
    case QUERY_APPLICATIONS:
    default:
      linli_platform_list_resident_applications_async (platform, resident->resident_ref, NULL,
                                                       RECENT_LIMIT, cancellable, on_query_done,
                                                       g_object_ref (task));
      break;
    }
}

/* The card was read a moment ago and the session's own look-up has not
 * answered yet: this query asks for itself rather than wait on it. */
static void
on_resident (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;
  LinliPlatformLink *link = LINLI_PLATFORM_LINK (source);
  g_autoptr (LinliResident) resident
      = linli_platform_link_lookup_resident_finish (link, result, &error);

  if (resident == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  start_query (task, linli_platform_link_get_platform (link), resident);
}

/**
 * linli_kiosk_query_async:
 * @item_code: a catalog item of flow info, certificate or status
 *
 * Fetches what the item shows for the session's resident and prepares its
 * receipt. The error messages are fit to show and speak to the resident.
 */
void
linli_kiosk_query_async (LinliKiosk *self,
                         const char *item_code,
                         GCancellable *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  LinliPlatformLink *link = linli_kiosk_get_platform_link (self);
  LinliPlatform *platform = link != NULL ? linli_platform_link_get_platform (link) : NULL;
  LinliCatalog *catalog = linli_kiosk_get_catalog (self);
  LinliResident *resident = linli_kiosk_get_resident (self);
  LinliIdentity *identity = linli_kiosk_get_identity (self);
  LinliCatalogItem *item = catalog != NULL ? linli_catalog_lookup_item (catalog, item_code) : NULL;
  QueryKind kind;
  Query *query;

  g_return_if_fail (LINLI_IS_KIOSK (self));
  g_return_if_fail (item_code != NULL);
  g_task_set_source_tag (task, linli_kiosk_query_async);

  if (item == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s",
                               _ ("This service is not offered at this kiosk."));
      return;
    }
  if (item->flow == LINLI_FLOW_CERTIFICATE)
    kind = QUERY_CERTIFICATE;
  else if (item->flow == LINLI_FLOW_STATUS)
    kind = QUERY_APPLICATIONS;
  else if (item->flow == LINLI_FLOW_INFO
           && g_str_equal (item->receipt_template, "contribution-record"))
    kind = QUERY_CONTRIBUTIONS;
  else if (item->flow == LINLI_FLOW_INFO && g_str_equal (item->receipt_template, "medical-balance"))
    kind = QUERY_MEDICAL;
  else if (item->flow == LINLI_FLOW_PAYMENT && item->has_payable
           && item->payable_kind == LINLI_PAYABLE_UTILITY_BILL)
    kind = QUERY_UTILITY_BILLS;
  else if (item->flow == LINLI_FLOW_PAYMENT && item->has_payable
           && item->payable_kind == LINLI_PAYABLE_MEDICAL_CONTRIBUTION)
    kind = QUERY_MEDICAL_DUE;
  else
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "%s",
                               _ ("This kiosk cannot do this service yet. Staff at the service "
                                  "desk can do it for you."));
      return;
    }
  if (identity == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s",
                               _ ("Please place your ID card on the reader first."));
      return;
    }
  if (platform == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED, "%s",
                               _ ("Your records cannot be reached from this kiosk right now. "
                                  "Staff at the service desk can help you."));
      return;
    }

  query = g_new0 (Query, 1);
  query->kind = kind;
  query->item = linli_catalog_item_ref (item);
  g_task_set_task_data (task, query, (GDestroyNotify) query_free);
  if (resident == NULL)
    linli_platform_link_lookup_resident_async (link, identity, cancellable, on_resident,
                                               g_object_ref (task));
  else
    start_query (task, platform, resident);
}

LinliPrintout *
linli_kiosk_query_finish (LinliKiosk *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
