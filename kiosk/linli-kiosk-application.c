/* linli-kiosk-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An application (办件) after the resident confirmed its summary: the
 * values are checked once more by the catalog's rules, the pages go as
 * JPEG parts in the document order, and the whole submission is written
 * to the outbox before anything is sent (so it is filed exactly once, even
 * across a power cut). The resident waits a little for the platform's
 * application number (办件编号), which the receipt carries in large digits
 * and as a QR code; without an answer in time they are told honestly that
 * the application is kept and will be sent.
 */
#define G_LOG_DOMAIN "linli-kiosk"

#include "linli-kiosk-private.h"
#include "linli-printout-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "linli-document-pages.h"
#include "linli-field-check.h"
#include "linli-identity.h"
#include "linli-outbox.h"
#include "linli-receipt.h"
#include "linli-spoken.h"

/* How long the resident waits for the application number at the kiosk. */
#define ANSWER_TIMEOUT_S 20

typedef struct
{
  char *title_zh;     /* the item, as printed */
  char *title_screen; /* the item, in the screen's language */
  char *staff_id;     /* or NULL */
  /* Masked when filed: the answer may come after the resident left. */
  char *name;
  char *id_number;
} Submission;

static void
submission_free (Submission *submission)
{
  g_free (submission->title_zh);
  g_free (submission->title_screen);
  g_free (submission->staff_id);
  g_free (submission->name);
  g_free (submission->id_number);
  g_free (submission);
}

static LinliPrintout *
application_printout (LinliKiosk *self,
                      Submission *submission,
                      LinliApplication *answer,
                      GError **error)
{
  const char *language = linli_kiosk_get_language (self);
  g_autoptr (LinliReceipt) receipt = linli_kiosk_new_receipt (self, "application", error);
  g_autoptr (GString) lines = g_string_new (NULL);
  g_autofree char *spoken_number = NULL;
  g_autofree char *spoken_line = NULL;
  LinliPrintout *printout;

  if (receipt == NULL)
    return NULL;
  g_string_append_printf (lines, "状态\t%s", linli_localized_text_get (answer->status_text, "zh"));
  if (answer->expected_by != NULL)
    g_string_append_printf (lines, "\n预计办结\t%s", answer->expected_by);
  if (!linli_receipt_set (receipt, "item", submission->title_zh, error)
      || !linli_receipt_set (receipt, "name", submission->name != NULL ? submission->name : "",
                             error)
      || !linli_receipt_set (receipt, "id_number",
                             submission->id_number != NULL ? submission->id_number : "", error)
      || (submission->staff_id != NULL
          && !linli_receipt_set (receipt, "staff", submission->staff_id, error))
      || !linli_receipt_set (receipt, "lines", lines->str, error)
      || !linli_receipt_set (receipt, "application_number", answer->application_number, error)
      /* The number itself: the platform gives no look-up address, and the
       * status item looks an application up by it. */
      || !linli_receipt_set (receipt, "qr", answer->application_number, error))
    return NULL;

  printout = linli_printout_new (submission->title_screen, g_steal_pointer (&receipt));
  linli_printout_set_number (printout, answer->application_number);
  spoken_number = linli_spoken_digits (answer->application_number, language);
  spoken_line = g_strdup_printf ("%s，%s", _ ("Application number"), spoken_number);
  linli_printout_add_line (printout, _ ("Application number"), answer->application_number,
                           spoken_line);
  linli_printout_add_line (printout, _ ("Status"),
                           linli_localized_text_get (answer->status_text, language), NULL);
  if (answer->expected_by != NULL)
    linli_printout_add_line (printout, _ ("Expected by"), answer->expected_by, NULL);
  linli_printout_set_note (printout, _ ("Choose Print to take your receipt. Keep it: the "
                                        "application number lets you follow your application."));
  return printout;
}

static void
on_answered (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  LinliKiosk *self = g_task_get_source_object (task);
  Submission *submission = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) answer = linli_outbox_wait_finish (LINLI_OUTBOX (source), result, &error);
  g_autoptr (LinliApplication) application = NULL;
  LinliPrintout *printout;

  if (answer == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        {
          printout = linli_printout_new (submission->title_screen, NULL);
          linli_printout_set_note (
              printout, _ ("Your application is kept safely on this kiosk and will be sent to "
                           "the platform as soon as it can be reached. Nothing more is needed "
                           "from you today. You can look it up here later with your ID card."));
          g_task_return_pointer (task, printout, g_object_unref);
        }
      else
        /* Refused: the platform's message is written for residents (a
         * document missing, an item not open to them…). */
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  application = linli_application_new_from_json (answer, &error);
  printout
      = application != NULL ? application_printout (self, submission, application, &error) : NULL;
  if (printout == NULL)
    {
      /* Filed all the same: the platform has it. */
      g_warning ("application answer: %s", error->message);
      printout = linli_printout_new (submission->title_screen, NULL);
      linli_printout_set_note (printout,
                               _ ("Your application was received by the platform. Staff at the "
                                  "service desk can tell you its number."));
    }
  else
    linli_kiosk_keep_receipt (self, printout);
  if (submission->staff_id != NULL && application != NULL)
    {
      g_autofree char *detail
          = g_strdup_printf ("application %s filed", application->application_number);
      linli_kiosk_audit_staff_action (self, "staff-application-numbered", detail);
    }
  g_task_return_pointer (task, printout, g_object_unref);
}

/* The checked values into @request; FALSE with a message naming the first
 * field that does not fit. */
static gboolean
add_fields (LinliCatalogItem *item,
            LinliForm *form,
            const char *language,
            LinliApplicationForm *request,
            GError **error)
{
  for (guint i = 0; i < item->fields->len; i++)
    {
      const LinliField *field = g_ptr_array_index (item->fields, i);
      g_autofree char *value = NULL;
      g_autofree char *message = NULL;

      if (!linli_field_check (field, linli_form_get_text (form, i), language, &value, &message))
        {
          g_set_error_literal (error, LINLI_FORM_ERROR, LINLI_FORM_ERROR_INVALID, message);
          return FALSE;
        }
      if (value == NULL)
        continue;
      switch (field->type)
        {
        case LINLI_FIELD_TYPE_INTEGER:
        case LINLI_FIELD_TYPE_AMOUNT:
          linli_application_form_set_int (request, field->name, g_ascii_strtoll (value, NULL, 10));
          break;
        case LINLI_FIELD_TYPE_BOOLEAN:
          linli_application_form_set_boolean (request, field->name, g_str_equal (value, "true"));
          break;
        default:
          linli_application_form_set_string (request, field->name, value);
          break;
        }
      explicit_bzero (value, strlen (value));
    }
  return TRUE;
}

/* Each document's pages, as JPEG parts; an optional document left out
 * when no page was taken. */
static gboolean
add_documents (LinliCatalogItem *item,
               LinliSession *session,
               const char *language,
               LinliApplicationForm *request,
               GError **error)
{
  for (guint i = 0; i < item->documents->len; i++)
    {
      const LinliDocumentSpec *spec = g_ptr_array_index (item->documents, i);
      LinliDocumentPages *pages = linli_session_get_pages (session, spec->name);
      guint n = pages != NULL ? g_list_model_get_n_items (G_LIST_MODEL (pages)) : 0;
      g_autoptr (GPtrArray) jpegs = NULL;

      if (n == 0 && !spec->required)
        continue;
      if (n < (guint) MAX (spec->pages_min, 1))
        {
          g_set_error (error, LINLI_FORM_ERROR, LINLI_FORM_ERROR_INVALID,
                       _ ("Pages of %s are still missing. Please take them first."),
                       linli_localized_text_get (spec->title, language));
          return FALSE;
        }
      jpegs = g_ptr_array_new ();
      for (guint p = 0; p < n; p++)
        g_ptr_array_add (jpegs,
                         linli_document_page_get_jpeg (linli_document_pages_get_page (pages, p)));
      linli_application_form_add_document (request, spec->name, "image/jpeg",
                                           (GBytes *const *) jpegs->pdata, n);
    }
  return TRUE;
}

/**
 * linli_kiosk_submit_application_async:
 * @form: the form filled in this session, its summary confirmed
 *
 * Files the application of the resident on the reader through the outbox
 * (by the staff member signed in, when one is), and waits up to 20 s for
 * the platform's answer. Finishes with a printout: the receipt with the
 * application number, or a note that the application is kept and will be
 * sent. Errors (no card, not confirmed, a value that does not fit, no
 * platform, refused) are fit to show and speak to the resident.
 */
void
linli_kiosk_submit_application_async (LinliKiosk *self,
                                      LinliForm *form,
                                      GCancellable *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  LinliPlatformLink *link = linli_kiosk_get_platform_link (self);
  LinliOutbox *outbox = link != NULL ? linli_platform_link_get_outbox (link) : NULL;
  LinliResident *resident = linli_kiosk_get_resident (self);
  LinliCatalog *catalog = linli_kiosk_get_catalog (self);
  const char *language = linli_kiosk_get_language (self);
  LinliCatalogItem *item = NULL;
  g_autoptr (LinliApplicationForm) request = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *key = NULL;
  Submission *submission;

  g_return_if_fail (LINLI_IS_KIOSK (self));
  g_return_if_fail (LINLI_IS_FORM (form));
  g_task_set_source_tag (task, linli_kiosk_submit_application_async);

  if (catalog != NULL)
    item = linli_catalog_lookup_item (catalog, linli_form_get_item_code (form));
  if (linli_kiosk_get_identity (self) == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s",
                               _ ("Please place your ID card on the reader first."));
      return;
    }
  if (outbox == NULL || resident == NULL || item == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED, "%s",
                               _ ("Applications cannot be filed at this kiosk right now. Staff "
                                  "at the service desk can help you."));
      return;
    }
  if (linli_form_get_confirmed_at (form) == NULL)
    {
      g_task_return_new_error (task, LINLI_FORM_ERROR, LINLI_FORM_ERROR_INVALID, "%s",
                               _ ("Please check the summary and confirm it first."));
      return;
    }

  submission = g_new0 (Submission, 1);
  submission->title_zh = g_strdup (linli_localized_text_get (item->title, "zh"));
  submission->title_screen = g_strdup (linli_localized_text_get (item->title, language));
  submission->name = linli_mask_name (linli_identity_get_name (linli_kiosk_get_identity (self)));
  submission->id_number
      = linli_mask_id_number (linli_identity_get_id_number (linli_kiosk_get_identity (self)));
  g_task_set_task_data (task, submission, (GDestroyNotify) submission_free);

  if (item->assisted_only && linli_kiosk_get_staff_id (self) == NULL)
    {
      g_task_return_new_error (task, LINLI_FORM_ERROR, LINLI_FORM_ERROR_INVALID, "%s",
                               _ ("Staff must file this application with you. Please ask staff "
                                  "at the service desk."));
      return;
    }
  submission->staff_id = g_strdup (linli_kiosk_get_staff_id (self));
  request = linli_application_form_new (item->item_code, resident->resident_ref);
  if (submission->staff_id != NULL)
    linli_application_form_set_submitted_by (request, LINLI_SUBMITTER_STAFF, submission->staff_id);
  if (catalog->etag != NULL)
    linli_application_form_set_catalog_etag (request, catalog->etag);
  linli_application_form_set_confirmed_at (request, linli_form_get_confirmed_at (form));
  if (!add_fields (item, form, language, request, &error)
      || !add_documents (item, linli_kiosk_get_session (self), language, request, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  body = linli_platform_encode_application (request, &content_type, &error);
  if (body == NULL)
    {
      g_warning ("application: %s", error->message);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s",
                               _ ("The application could not be put together. Please check the "
                                  "pages, or ask staff at the service desk."));
      return;
    }
  if (!linli_outbox_enqueue (outbox, LINLI_OUTBOX_KIND_APPLICATION,
                             LINLI_PLATFORM_PATH_APPLICATIONS, content_type, body, &key, &error))
    {
      g_warning ("application: %s", error->message);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "%s",
                               _ ("The application could not be saved. Staff at the service "
                                  "desk can help you."));
      return;
    }
  g_info ("application for item %s kept in the outbox (%zu bytes)", item->item_code,
          g_bytes_get_size (body));
  if (linli_kiosk_get_heartbeat_reporter (self) != NULL)
    linli_heartbeat_reporter_count_submission (linli_kiosk_get_heartbeat_reporter (self),
                                               LINLI_OUTBOX_KIND_APPLICATION);
  if (submission->staff_id != NULL)
    {
      g_autofree char *detail = g_strdup_printf ("item %s, key %s", item->item_code, key);
      linli_kiosk_audit_staff_action (self, "staff-application-filed", detail);
    }
  /* Not the task's cancellable: a resident who leaves the screen does not
   * take the application back from the outbox. */
  linli_outbox_wait_async (outbox, key, ANSWER_TIMEOUT_S, NULL, on_answered,
                           g_steal_pointer (&task));
}

LinliPrintout *
linli_kiosk_submit_application_finish (LinliKiosk *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
