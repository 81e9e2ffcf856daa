/* linli-kiosk-certification.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The pension qualification certification (养老金资格认证), after the
 * resident consented and the photo was taken: the submission goes into the
 * outbox first (so it is sent exactly once, even across a power cut), then
 * the kiosk waits a little for the platform's answer. The platform decides;
 * the kiosk never judges the photo. An answer in time gives the receipt
 * with the certification number; no answer in time is said honestly: the
 * photo is safe in the outbox and goes as soon as the platform is back.
 */
#define G_LOG_DOMAIN "linli-kiosk"

#include "linli-kiosk-private.h"
#include "linli-printout-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "linli-document.h"
#include "linli-identity.h"
#include "linli-outbox.h"
#include "linli-receipt.h"
#include "linli-spoken.h"

/* How long the resident waits for the platform's answer at the kiosk. */
#define ANSWER_TIMEOUT_S 20

/* The contract's bounds for the photo. */
#define PHOTO_MAX_WIDTH  1920
#define PHOTO_MAX_HEIGHT 1080

static const char *
result_label (LinliCertificationResult result)
{
  switch (result)
    {
    case LINLI_CERTIFICATION_ACCEPTED:
      return "认证通过";
    case LINLI_CERTIFICATION_REJECTED:
      return "未通过";
    case LINLI_CERTIFICATION_PENDING:
    default:
      return "已提交，等待审核";
    }
}

static const char *
result_screen_label (LinliCertificationResult result)
{
  switch (result)
    {
    case LINLI_CERTIFICATION_ACCEPTED:
      return _ ("Certified");
    case LINLI_CERTIFICATION_REJECTED:
      return _ ("Not certified");
    case LINLI_CERTIFICATION_PENDING:
    default:
      return _ ("Submitted, waiting for review");
    }
}

static LinliPrintout *
certification_printout (LinliKiosk *self, LinliPensionCertification *answer, GError **error)
{
  LinliIdentity *identity = linli_kiosk_get_identity (self);
  const char *language = linli_kiosk_get_language (self);
  g_autoptr (LinliReceipt) receipt = linli_kiosk_new_receipt (self, "certification", error);
  g_autofree char *name = NULL;
  g_autofree char *id_number = NULL;
  g_autofree char *spoken_id = NULL;
  g_autofree char *spoken_line = NULL;
  LinliPrintout *printout;

  if (receipt == NULL)
    return NULL;
  if (identity != NULL)
    {
      name = linli_mask_name (linli_identity_get_name (identity));
      id_number = linli_mask_id_number (linli_identity_get_id_number (identity));
    }
  if (!linli_receipt_set (receipt, "name", name != NULL ? name : "", error)
      || !linli_receipt_set (receipt, "id_number", id_number != NULL ? id_number : "", error)
      || !linli_receipt_set (receipt, "status", result_label (answer->result), error)
      || !linli_receipt_set (receipt, "certification_id", answer->certification_id, error)
      /* The number itself: the platform gives no look-up address. */
      || !linli_receipt_set (receipt, "qr", answer->certification_id, error))
    return NULL;

  printout
      = linli_printout_new (_ ("Pension qualification certification"), g_steal_pointer (&receipt));
  linli_printout_set_number (printout, answer->certification_id);
  linli_printout_add_line (printout, _ ("Result"), result_screen_label (answer->result), NULL);
  spoken_id = linli_spoken_digits (answer->certification_id, language);
  spoken_line = g_strdup_printf ("%s，%s", _ ("Certification number"), spoken_id);
  linli_printout_add_line (printout, _ ("Certification number"), answer->certification_id,
                           spoken_line);
  if (answer->result == LINLI_CERTIFICATION_REJECTED && answer->reason != NULL)
    linli_printout_add_line (printout, _ ("Reason"),
                             linli_localized_text_get (answer->reason, language), NULL);
  if (answer->valid_until != NULL)
    linli_printout_add_line (printout, _ ("Valid until"), answer->valid_until, NULL);
  linli_printout_set_note (printout, _ ("Choose Print to take your receipt."));
  return printout;
}

static LinliPrintout *
queued_printout (void)
{
  LinliPrintout *printout = linli_printout_new (_ ("Pension qualification certification"), NULL);

  linli_printout_set_note (
      printout, _ ("Your photo is kept safely on this kiosk and will be sent to the platform as "
                   "soon as it can be reached. Nothing more is needed from you today. You can "
                   "look up the result here later with your ID card."));
  return printout;
}

static void
on_answered (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  LinliKiosk *self = g_task_get_source_object (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) answer = linli_outbox_wait_finish (LINLI_OUTBOX (source), result, &error);
  g_autoptr (LinliPensionCertification) certification = NULL;
  LinliPrintout *printout;

  if (answer == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        g_task_return_pointer (task, queued_printout (), g_object_unref);
      else
        /* Refused: the platform's message is written for residents (a
         * photo it cannot use, a certification not due yet…). */
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  certification = linli_pension_certification_new_from_json (answer, &error);
  printout = certification != NULL ? certification_printout (self, certification, &error) : NULL;
  if (printout == NULL)
    {
      /* Delivered all the same: the platform has it. */
      g_warning ("certification answer: %s", error->message);
      printout = linli_printout_new (_ ("Pension qualification certification"), NULL);
      linli_printout_set_note (printout,
                               _ ("Your certification was received by the platform. Staff at "
                                  "the service desk can tell you the result."));
    }
  else
    linli_kiosk_keep_receipt (self, printout);
  g_task_return_pointer (task, printout, g_object_unref);
}

/* The photo within the contract's bounds, as a JPEG. */
static GBytes *
fit_photo (GBytes *photo, GError **error)
{
  int width = 0, height = 0, out_w = 0, out_h = 0;
  g_autoptr (GBytes) probe
      = linli_document_thumbnail (photo, 16, &width, &height, &out_w, &out_h, error);
  double scale;

  if (probe == NULL)
    return NULL;
  if (width <= PHOTO_MAX_WIDTH && height <= PHOTO_MAX_HEIGHT)
    return g_bytes_ref (photo);
  scale = MIN ((double) PHOTO_MAX_WIDTH / width, (double) PHOTO_MAX_HEIGHT / height);
  return linli_document_thumbnail (photo, (int) (MAX (width, height) * scale), &width, &height,
                                   &out_w, &out_h, error);
}

/**
 * linli_kiosk_submit_certification_async:
 * @photo: the JPEG taken after consent
 * @consent_at: when the resident consented
 * @captured_at: when the photo was taken
 *
 * Submits the session resident's certification through the outbox and
 * waits up to 20 s for the platform's answer. Finishes with a printout: the
 * receipt when the platform answered, or a note that the photo is queued.
 * Errors (not identified, no platform, refused) are fit for the resident.
 */
void
linli_kiosk_submit_certification_async (LinliKiosk *self,
                                        GBytes *photo,
                                        GDateTime *consent_at,
                                        GDateTime *captured_at,
                                        GCancellable *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  LinliPlatformLink *link = linli_kiosk_get_platform_link (self);
  LinliOutbox *outbox = link != NULL ? linli_platform_link_get_outbox (link) : NULL;
  LinliResident *resident = linli_kiosk_get_resident (self);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) fitted = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *path = NULL;
  g_autofree char *key = NULL;

  g_return_if_fail (LINLI_IS_KIOSK (self));
  g_return_if_fail (photo != NULL && consent_at != NULL && captured_at != NULL);
  g_task_set_source_tag (task, linli_kiosk_submit_certification_async);

  if (linli_kiosk_get_identity (self) == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s",
                               _ ("Please place your ID card on the reader first."));
      return;
    }
  if (outbox == NULL || resident == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED, "%s",
                               _ ("The certification cannot be done at this kiosk right now. "
                                  "Staff at the service desk can help you."));
      return;
    }
  fitted = fit_photo (photo, &error);
  if (fitted != NULL)
    body = linli_platform_encode_pension_certification (
        consent_at, LINLI_CONSENT_TEXT_VERSION, captured_at, NULL, fitted, &content_type, &error);
  if (body == NULL)
    {
      g_warning ("certification: %s", error->message);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s",
                               _ ("The photo could not be used. Please take it again."));
      return;
    }
  path = linli_platform_path_pension_certifications (resident->resident_ref);
  if (!linli_outbox_enqueue (outbox, LINLI_OUTBOX_KIND_PENSION_CERTIFICATION, path, content_type,
                             body, &key, &error))
    {
      g_warning ("certification: %s", error->message);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "%s",
                               _ ("The certification could not be saved. Staff at the service "
                                  "desk can help you."));
      return;
    }
  if (linli_kiosk_get_heartbeat_reporter (self) != NULL)
    linli_heartbeat_reporter_count_submission (linli_kiosk_get_heartbeat_reporter (self),
                                               LINLI_OUTBOX_KIND_PENSION_CERTIFICATION);
  /* Not the task's cancellable: a resident who leaves the screen does not
   * take the photo back from the outbox. */
  linli_outbox_wait_async (outbox, key, ANSWER_TIMEOUT_S, NULL, on_answered,
                           g_steal_pointer (&task));
}

LinliPrintout *
linli_kiosk_submit_certification_finish (LinliKiosk *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
