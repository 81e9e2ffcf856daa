/* linli-capture.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The capture screens' model: the kiosk's one LinliCamera (from the device
 * list, so the device is never opened twice), the document processor, and
 * the session that keeps what was taken. A document page goes camera →
 * full-size JPEG → linli_document_process_async → LinliDocumentPage → the
 * session's LinliDocumentPages; a photo goes camera → JPEG → the session's
 * "photo" secret. Nothing is written to disk; nothing personal is logged.
 */
#define G_LOG_DOMAIN "linli-capture"

#include "linli-capture.h"

#include <glib/gi18n.h>

#include "linli-camera.h"
#include "linli-document-pages.h"
#include "linli-document.h"
#include "linli-kiosk-private.h"

G_DEFINE_QUARK (linli_capture_error_quark, linli_capture_error)

struct _LinliCapture
{
  GObject parent_instance;

  LinliSession *session;
  LinliCamera *camera; /* or NULL: none configured */

  LinliCaptureMode mode;
  char *document; /* the session's key for the pages */
  int pages_min;
  int pages_max;

  gboolean previewing;
  gboolean capturing;
  GDateTime *consented_at;   /* photo mode: when the resident agreed */
  GDateTime *photo_taken_at; /* photo mode: when the kept photo was taken */
  gulong frame_id;
  gulong still_id;
  gulong previewing_id;
};

G_DEFINE_FINAL_TYPE (LinliCapture, linli_capture, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_STILL,
  PROP_PREVIEWING,
  PROP_CAPTURING,
  N_PROPS
};

enum
{
  SIGNAL_FRAME,
  SIGNAL_PAGES_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

void
linli_capture_document_clear (LinliCaptureDocument *document)
{
  g_clear_pointer (&document->name, g_free);
  g_clear_pointer (&document->title, g_free);
}

static void
set_capturing (LinliCapture *self, gboolean capturing)
{
  if (self->capturing == capturing)
    return;
  self->capturing = capturing;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAPTURING]);
}

static void
set_previewing (LinliCapture *self, gboolean previewing)
{
  if (self->previewing == previewing)
    return;
  self->previewing = previewing;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PREVIEWING]);
}

static void
on_camera_frame (LinliCamera *camera, LinliCameraFrame *frame, LinliCapture *self)
{
  g_signal_emit (self, signals[SIGNAL_FRAME], 0, linli_camera_frame_get_pixels (frame),
                 linli_camera_frame_get_width (frame), linli_camera_frame_get_height (frame),
                 (guint) linli_camera_frame_get_stride (frame));
}

static void
on_camera_still (LinliCapture *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STILL]);
}

/* A preview that fails stops by itself: the screen hears of it. */
static void
on_camera_previewing (LinliCapture *self)
{
  if (self->previewing && !linli_camera_get_previewing (self->camera))
    {
      g_warning ("the camera's preview stopped: %s",
                 linli_device_get_detail (LINLI_DEVICE (self->camera)));
      linli_capture_stop_preview (self);
    }
}

static void
linli_capture_dispose (GObject *object)
{
  LinliCapture *self = LINLI_CAPTURE (object);

  if (self->camera != NULL)
    {
      linli_capture_stop_preview (self);
      g_clear_signal_handler (&self->still_id, self->camera);
      g_clear_signal_handler (&self->previewing_id, self->camera);
    }
  g_clear_object (&self->camera);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (linli_capture_parent_class)->dispose (object);
}

static void
linli_capture_finalize (GObject *object)
{
  LinliCapture *self = LINLI_CAPTURE (object);

  g_free (self->document);
  g_clear_pointer (&self->consented_at, g_date_time_unref);
  g_clear_pointer (&self->photo_taken_at, g_date_time_unref);
  G_OBJECT_CLASS (linli_capture_parent_class)->finalize (object);
}

static void
linli_capture_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LinliCapture *self = LINLI_CAPTURE (object);

  switch (prop_id)
    {
    case PROP_STILL:
      g_value_set_boolean (value, linli_capture_get_still (self));
      break;
    case PROP_PREVIEWING:
      g_value_set_boolean (value, self->previewing);
      break;
    case PROP_CAPTURING:
      g_value_set_boolean (value, self->capturing);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
linli_capture_class_init (LinliCaptureClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = linli_capture_dispose;
  object_class->finalize = linli_capture_finalize;
  object_class->get_property = linli_capture_get_property;

  /* The picture has not moved for a moment: time for automatic capture. */
  properties[PROP_STILL]
      = g_param_spec_boolean ("still", NULL, NULL, FALSE,
                              G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PREVIEWING]
      = g_param_spec_boolean ("previewing", NULL, NULL, FALSE,
                              G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAPTURING]
      = g_param_spec_boolean ("capturing", NULL, NULL, FALSE,
                              G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LinliCapture::frame:
   * @pixels: RGBA, 8 bits a channel, valid during the emission (ref it)
   *
   * A preview picture, on the main context.
   */
  signals[SIGNAL_FRAME]
      = g_signal_new ("frame", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                      G_TYPE_NONE, 4, G_TYPE_BYTES, G_TYPE_INT, G_TYPE_INT, G_TYPE_UINT);
  /* The current document's pages changed (added, retaken, moved, removed). */
  signals[SIGNAL_PAGES_CHANGED]
      = g_signal_new ("pages-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 0);
}

static void
linli_capture_init (LinliCapture *self)
{
  self->mode = LINLI_CAPTURE_MODE_PHOTO;
  self->pages_min = 1;
  self->pages_max = 1;
}

LinliCapture *
linli_capture_new (LinliSession *session, GListModel *devices)
{
  LinliCapture *self = g_object_new (LINLI_TYPE_CAPTURE, NULL);

  g_return_val_if_fail (LINLI_IS_SESSION (session), self);
  g_return_val_if_fail (G_IS_LIST_MODEL (devices), self);

  self->session = g_object_ref (session);
  for (guint i = 0; i < g_list_model_get_n_items (devices) && self->camera == NULL; i++)
    {
      g_autoptr (GObject) device = g_list_model_get_item (devices, i);

      if (LINLI_IS_CAMERA (device))
        self->camera = g_object_ref (LINLI_CAMERA (device));
    }
  if (self->camera != NULL)
    {
      self->still_id = g_signal_connect_swapped (self->camera, "notify::still",
                                                 G_CALLBACK (on_camera_still), self);
      self->previewing_id = g_signal_connect_swapped (self->camera, "notify::previewing",
                                                      G_CALLBACK (on_camera_previewing), self);
    }
  return self;
}

gboolean
linli_capture_get_available (LinliCapture *self)
{
  g_return_val_if_fail (LINLI_IS_CAPTURE (self), FALSE);
  return self->camera != NULL;
}

void
linli_capture_set_document (LinliCapture *self, const char *name, int pages_min, int pages_max)
{
  g_return_if_fail (LINLI_IS_CAPTURE (self));
  g_return_if_fail (name != NULL);

  linli_capture_stop_preview (self);
  self->mode = LINLI_CAPTURE_MODE_DOCUMENT;
  g_free (self->document);
  self->document = g_strdup (name);
  /* 0: a document the application may go without. */
  self->pages_min = MAX (pages_min, 0);
  self->pages_max = MAX (pages_max, MAX (self->pages_min, 1));
}

void
linli_capture_set_photo_mode (LinliCapture *self)
{
  g_return_if_fail (LINLI_IS_CAPTURE (self));

  linli_capture_stop_preview (self);
  self->mode = LINLI_CAPTURE_MODE_PHOTO;
  g_clear_pointer (&self->consented_at, g_date_time_unref);
  g_clear_pointer (&self->photo_taken_at, g_date_time_unref);
  g_clear_pointer (&self->document, g_free);
  self->pages_min = self->pages_max = 1;
}

LinliCaptureMode
linli_capture_get_mode (LinliCapture *self)
{
  g_return_val_if_fail (LINLI_IS_CAPTURE (self), LINLI_CAPTURE_MODE_PHOTO);
  return self->mode;
}

int
linli_capture_get_pages_min (LinliCapture *self)
{
  g_return_val_if_fail (LINLI_IS_CAPTURE (self), 1);
  return self->pages_min;
}

int
linli_capture_get_pages_max (LinliCapture *self)
{
  g_return_val_if_fail (LINLI_IS_CAPTURE (self), 1);
  return self->pages_max;
}

gboolean
linli_capture_start_preview (LinliCapture *self, GError **error)
{
  g_autoptr (GError) camera_error = NULL;

  g_return_val_if_fail (LINLI_IS_CAPTURE (self), FALSE);

  if (self->camera == NULL)
    {
      g_set_error_literal (error, LINLI_CAPTURE_ERROR, LINLI_CAPTURE_ERROR_NO_CAMERA,
                           _ ("This kiosk has no camera. Please ask staff for help."));
      return FALSE;
    }
  if (self->previewing)
    return TRUE;
  if (self->frame_id == 0)
    self->frame_id = g_signal_connect (self->camera, "frame", G_CALLBACK (on_camera_frame), self);
  if (!linli_camera_start_preview (self->camera, &camera_error))
    {
      /* The device's words are for maintainers, in the log. */
      g_warning ("camera preview: %s", camera_error->message);
      g_clear_signal_handler (&self->frame_id, self->camera);
      g_set_error_literal (error, LINLI_CAPTURE_ERROR, LINLI_CAPTURE_ERROR_CAMERA,
                           _ ("The camera is not working. Please ask staff for help."));
      return FALSE;
    }
  set_previewing (self, TRUE);
  return TRUE;
}

void
linli_capture_stop_preview (LinliCapture *self)
{
  g_return_if_fail (LINLI_IS_CAPTURE (self));

  if (self->camera == NULL)
    return;
  g_clear_signal_handler (&self->frame_id, self->camera);
  if (!self->previewing)
    return;
  set_previewing (self, FALSE);
  linli_camera_stop_preview (self->camera);
}

gboolean
linli_capture_get_previewing (LinliCapture *self)
{
  g_return_val_if_fail (LINLI_IS_CAPTURE (self), FALSE);
  return self->previewing;
}

gboolean
linli_capture_get_still (LinliCapture *self)
{
  g_return_val_if_fail (LINLI_IS_CAPTURE (self), FALSE);
  return self->previewing && linli_camera_get_still (self->camera);
}

gboolean
linli_capture_get_capturing (LinliCapture *self)
{
  g_return_val_if_fail (LINLI_IS_CAPTURE (self), FALSE);
  return self->capturing;
}

/* ---- capture ---- */

typedef struct
{
  LinliCaptureMode mode;
  char *document;
  int replace;
} CaptureData;

static void
capture_data_free (CaptureData *data)
{
  g_free (data->document);
  g_free (data);
}

static void
capture_failed (GTask *task, LinliCaptureError code, const char *message)
{
  LinliCapture *self = g_task_get_source_object (task);

  set_capturing (self, FALSE);
  g_task_return_new_error (task, LINLI_CAPTURE_ERROR, code, "%s", message);
}

static void
on_processed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  LinliCapture *self = g_task_get_source_object (task);
  CaptureData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) processed = NULL;
  g_autoptr (LinliDocumentPage) page = NULL;
  LinliDocumentReport report = { 0 };
  LinliDocumentPages *pages;

  processed = linli_document_process_finish (result, &report, &error);
  if (processed == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          set_capturing (self, FALSE);
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_info ("document processing: %s", error->message);
      if (g_error_matches (error, LINLI_DOCUMENT_ERROR, LINLI_DOCUMENT_ERROR_NO_PAGE))
        capture_failed (task, LINLI_CAPTURE_ERROR_NO_PAGE,
                        _ ("No document was found in the picture. Please lay it flat in the "
                           "capture area and try again."));
      else
        capture_failed (task, LINLI_CAPTURE_ERROR_RETRY,
                        _ ("The picture did not come through. Please try again."));
      return;
    }
  g_info ("page processed in %" G_GINT64_FORMAT " ms: skew %.2f°, %dx%d, %" G_GSIZE_FORMAT " bytes",
          report.elapsed_us / 1000, report.skew_degrees, report.width, report.height, report.bytes);

  page = linli_document_page_new (processed, &error);
  linli_document_bytes_wipe (processed);
  if (page == NULL)
    {
      g_warning ("document page: %s", error->message);
      capture_failed (task, LINLI_CAPTURE_ERROR_RETRY,
                      _ ("The picture did not come through. Please try again."));
      return;
    }
  /* The visit may have ended while the page was processed. */
  pages = linli_session_get_pages (self->session, data->document);
  if (pages == NULL)
    {
      linli_document_page_wipe (page);
      capture_failed (task, LINLI_CAPTURE_ERROR_NO_SESSION, _ ("The visit has ended."));
      return;
    }
  if (data->replace >= 0 && (guint) data->replace < g_list_model_get_n_items (G_LIST_MODEL (pages)))
    linli_document_pages_replace (pages, (guint) data->replace, page);
  else if (g_list_model_get_n_items (G_LIST_MODEL (pages)) < (guint) self->pages_max)
    linli_document_pages_append (pages, page);
  else
    {
      linli_document_page_wipe (page);
      capture_failed (task, LINLI_CAPTURE_ERROR_FULL,
                      _ ("This document already has all its pages."));
      return;
    }
  set_capturing (self, FALSE);
  if (g_strcmp0 (data->document, self->document) == 0)
    g_signal_emit (self, signals[SIGNAL_PAGES_CHANGED], 0);
  g_task_return_boolean (task, TRUE);
}

static void
on_captured (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  LinliCapture *self = g_task_get_source_object (task);
  CaptureData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) jpeg = NULL;
  int width = 0, height = 0;

  jpeg = linli_camera_capture_finish (LINLI_CAMERA (source), result, &width, &height, &error);
  if (jpeg == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          set_capturing (self, FALSE);
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_warning ("camera capture: %s", error->message);
      capture_failed (task, LINLI_CAPTURE_ERROR_CAMERA,
                      _ ("The camera is not working. Please ask staff for help."));
      return;
    }
  g_debug ("captured %dx%d", width, height);

  if (data->mode == LINLI_CAPTURE_MODE_DOCUMENT)
    {
      /* The cancellable first: argument order is unspecified. */
      GCancellable *cancellable = g_task_get_cancellable (task);

      linli_document_process_async (jpeg, cancellable, on_processed, g_steal_pointer (&task));
      return;
    }
  if (linli_session_get_state (self->session) == LINLI_SESSION_STATE_IDLE)
    {
      capture_failed (task, LINLI_CAPTURE_ERROR_NO_SESSION, _ ("The visit has ended."));
      return;
    }
  linli_session_set_photo (self->session, jpeg);
  g_clear_pointer (&self->photo_taken_at, g_date_time_unref);
  self->photo_taken_at = g_date_time_new_now_utc ();
  set_capturing (self, FALSE);
  g_task_return_boolean (task, TRUE);
}

void
linli_capture_capture_async (LinliCapture *self,
                             int replace,
                             GCancellable *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  CaptureData *data;

  g_return_if_fail (LINLI_IS_CAPTURE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, linli_capture_capture_async);
  if (self->camera == NULL)
    {
      g_task_return_new_error (task, LINLI_CAPTURE_ERROR, LINLI_CAPTURE_ERROR_NO_CAMERA, "%s",
                               _ ("This kiosk has no camera. Please ask staff for help."));
      return;
    }
  if (self->capturing)
    {
      g_task_return_new_error (task, LINLI_CAPTURE_ERROR, LINLI_CAPTURE_ERROR_BUSY, "%s",
                               _ ("Please wait, the picture is being taken."));
      return;
    }
  if (self->mode == LINLI_CAPTURE_MODE_DOCUMENT && replace < 0
      && linli_capture_get_n_pages (self) >= (guint) self->pages_max)
    {
      g_task_return_new_error (task, LINLI_CAPTURE_ERROR, LINLI_CAPTURE_ERROR_FULL, "%s",
                               _ ("This document already has all its pages."));
      return;
    }
  data = g_new0 (CaptureData, 1);
  data->mode = self->mode;
  data->document = g_strdup (self->document);
  data->replace = replace;
  g_task_set_task_data (task, data, (GDestroyNotify) capture_data_free);
  set_capturing (self, TRUE);
  linli_camera_capture_async (self->camera, cancellable, on_captured, g_steal_pointer (&task));
}

gboolean
linli_capture_capture_finish (LinliCapture *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- pages and photo ---- */

GListModel *
linli_capture_get_pages (LinliCapture *self)
{
  g_return_val_if_fail (LINLI_IS_CAPTURE (self), NULL);

  if (self->document == NULL)
    return NULL;
  return G_LIST_MODEL (linli_session_get_pages (self->session, self->document));
}

guint
linli_capture_get_n_pages (LinliCapture *self)
{
  GListModel *pages = linli_capture_get_pages (self);

  return pages != NULL ? g_list_model_get_n_items (pages) : 0;
}

GBytes *
linli_capture_dup_thumbnail (LinliCapture *self, guint position)
{
  GListModel *pages = linli_capture_get_pages (self);
  LinliDocumentPage *page;
  GBytes *thumbnail;

  if (pages == NULL || position >= g_list_model_get_n_items (pages))
    return NULL;
  page = linli_document_pages_get_page (LINLI_DOCUMENT_PAGES (pages), position);
  thumbnail = linli_document_page_get_thumbnail (page);
  return thumbnail != NULL ? g_bytes_ref (thumbnail) : NULL;
}

void
linli_capture_remove_page (LinliCapture *self, guint position)
{
  GListModel *pages = linli_capture_get_pages (self);

  if (pages == NULL || position >= g_list_model_get_n_items (pages))
    return;
  linli_document_pages_remove (LINLI_DOCUMENT_PAGES (pages), position);
  g_signal_emit (self, signals[SIGNAL_PAGES_CHANGED], 0);
}

void
linli_capture_move_page (LinliCapture *self, guint from, guint to)
{
  GListModel *pages = linli_capture_get_pages (self);
  guint n = pages != NULL ? g_list_model_get_n_items (pages) : 0;

  if (from >= n || to >= n || from == to)
    return;
  linli_document_pages_move (LINLI_DOCUMENT_PAGES (pages), from, to);
  g_signal_emit (self, signals[SIGNAL_PAGES_CHANGED], 0);
}

GBytes *
linli_capture_dup_photo (LinliCapture *self)
{
  g_return_val_if_fail (LINLI_IS_CAPTURE (self), NULL);
  return linli_session_dup_photo (self->session);
}

void
linli_capture_discard_photo (LinliCapture *self)
{
  g_return_if_fail (LINLI_IS_CAPTURE (self));
  linli_session_forget (self->session, "photo");
  g_clear_pointer (&self->photo_taken_at, g_date_time_unref);
}

void
linli_capture_note_consent (LinliCapture *self)
{
  g_return_if_fail (LINLI_IS_CAPTURE (self));
  g_clear_pointer (&self->consented_at, g_date_time_unref);
  self->consented_at = g_date_time_new_now_utc ();
}

GDateTime *
linli_capture_get_consented_at (LinliCapture *self)
{
  g_return_val_if_fail (LINLI_IS_CAPTURE (self), NULL);
  return self->consented_at;
}

GDateTime *
linli_capture_get_photo_taken_at (LinliCapture *self)
{
  g_return_val_if_fail (LINLI_IS_CAPTURE (self), NULL);
  return self->photo_taken_at;
}

/* ---- the catalog's documents ---- */

gboolean
linli_capture_find_document (LinliKiosk *kiosk,
                             const char *item_code,
                             guint index,
                             const char *language,
                             LinliCaptureDocument *document)
{
  LinliCatalog *catalog;

  g_return_val_if_fail (LINLI_IS_KIOSK (kiosk), FALSE);
  g_return_val_if_fail (item_code != NULL && document != NULL, FALSE);

  catalog = linli_kiosk_get_catalog (kiosk);
  if (catalog == NULL)
    return FALSE;
  for (guint i = 0; i < catalog->items->len; i++)
    {
      LinliCatalogItem *item = g_ptr_array_index (catalog->items, i);
      LinliDocumentSpec *spec;

      if (g_strcmp0 (item->item_code, item_code) != 0)
        continue;
      if (index >= item->documents->len)
        return FALSE;
      spec = g_ptr_array_index (item->documents, index);
      document->name = g_strdup (spec->name);
      document->title = g_strdup (linli_localized_text_get (spec->title, language));
      document->pages_min = spec->pages_min;
      document->pages_max = spec->pages_max;
      document->max_bytes = spec->max_bytes;
      document->required = spec->required;
      return TRUE;
    }
  return FALSE;
}

gboolean
linli_capture_assemble (
    LinliCapture *self, gint64 max_bytes, guint *n_pages, gsize *size, GError **error)
{
  LinliDocumentPages *pages;
  g_autoptr (GBytes) pdf = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autoptr (LinliSecret) secret = NULL;
  g_autofree char *key = NULL;
  guint n;

  g_return_val_if_fail (LINLI_IS_CAPTURE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  pages = self->document != NULL ? linli_session_get_pages (self->session, self->document) : NULL;
  n = pages != NULL ? g_list_model_get_n_items (G_LIST_MODEL (pages)) : 0;
  if (pages != NULL && n == 0 && self->pages_min == 0)
    {
      /* An optional document left out: nothing to put together. */
      if (n_pages != NULL)
        *n_pages = 0;
      if (size != NULL)
        *size = 0;
      return TRUE;
    }
  if (pages == NULL || n < (guint) self->pages_min)
    {
      g_set_error_literal (error, LINLI_CAPTURE_ERROR, LINLI_CAPTURE_ERROR_MISSING,
                           _ ("Some pages are still missing. Please take them first."));
      return FALSE;
    }
  pdf = linli_document_pages_to_pdf (pages, (gsize) max_bytes, &local_error);
  if (pdf == NULL)
    {
      /* The reason (bytes over) is for maintainers; the resident hears
       * what to do. */
      g_info ("document %s: %s", self->document, local_error->message);
      g_set_error_literal (error, LINLI_CAPTURE_ERROR, LINLI_CAPTURE_ERROR_TOO_LARGE,
                           _ ("These pages are too large to send together. Please delete a page "
                              "or take it again more closely."));
      return FALSE;
    }
  secret = linli_secret_new (g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf));
  key = g_strconcat ("document-pdf:", self->document, NULL);
  linli_session_keep (self->session, key, secret);
  g_info ("document %s: a PDF of %u pages, %zu bytes, kept in the session", self->document, n,
          g_bytes_get_size (pdf));
  if (n_pages != NULL)
    *n_pages = n;
  if (size != NULL)
    *size = g_bytes_get_size (pdf);
  return TRUE;
}
