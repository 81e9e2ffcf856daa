/* linli-capture.h: document pages and the certification photo, taken with
 * the kiosk's camera for the screens.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ui/ talks to this, never to the camera or the document processor: no
 * GStreamer or Leptonica type appears here.
 */
#pragma once

#include <gio/gio.h>

#include "linli-session.h"

G_BEGIN_DECLS

#define LINLI_CAPTURE_ERROR (linli_capture_error_quark ())
GQuark linli_capture_error_quark (void);

/* The messages are for the resident (translated); maintainers find the
 * device's own reason in the log and on the maintenance page. */
typedef enum
{
  LINLI_CAPTURE_ERROR_NO_CAMERA,  /* no camera configured or found */
  LINLI_CAPTURE_ERROR_CAMERA,     /* the camera failed (fault, time-out) */
  LINLI_CAPTURE_ERROR_NO_PAGE,    /* no document found in the picture */
  LINLI_CAPTURE_ERROR_RETRY,      /* the picture did not come through: take it again */
  LINLI_CAPTURE_ERROR_FULL,       /* the document already has its most pages */
  LINLI_CAPTURE_ERROR_NO_SESSION, /* the visit ended meanwhile: nothing kept */
  LINLI_CAPTURE_ERROR_BUSY,       /* a capture is already running */
  LINLI_CAPTURE_ERROR_MISSING,    /* fewer pages than the document needs */
  LINLI_CAPTURE_ERROR_TOO_LARGE,  /* the pages' PDF is over the catalog's limit */
} LinliCaptureError;

typedef enum
{
  LINLI_CAPTURE_MODE_DOCUMENT,
  LINLI_CAPTURE_MODE_PHOTO,
} LinliCaptureMode;

/* One document of a catalog item, as the capture screen needs it. */
typedef struct
{
  char *name;  /* the catalog's name: the session keeps its pages under it */
  char *title; /* in the language asked for */
  int pages_min;
  int pages_max;
  gint64 max_bytes;  /* the PDF of all its pages at most */
  gboolean required; /* FALSE: the application may go without it */
} LinliCaptureDocument;

void linli_capture_document_clear (LinliCaptureDocument *document);

/* Document @index of the catalog item @item_code, titled in @language;
 * FALSE when the catalog has no such item or document. */
typedef struct _LinliKiosk LinliKiosk;
gboolean linli_capture_find_document (LinliKiosk *kiosk,
                                      const char *item_code,
                                      guint index,
                                      const char *language,
                                      LinliCaptureDocument *document);

#define LINLI_TYPE_CAPTURE (linli_capture_get_type ())
G_DECLARE_FINAL_TYPE (LinliCapture, linli_capture, LINLI, CAPTURE, GObject)

/* @devices: the kiosk's device list; its camera is used (not opened twice). */
LinliCapture *linli_capture_new (LinliSession *session, GListModel *devices);

gboolean linli_capture_get_available (LinliCapture *self);

/* Document mode for @document (its pages live in the session under its
 * name), or photo mode. Stops a running preview. */
void linli_capture_set_document (LinliCapture *self,
                                 const char *name,
                                 int pages_min,
                                 int pages_max);
void linli_capture_set_photo_mode (LinliCapture *self);
LinliCaptureMode linli_capture_get_mode (LinliCapture *self);
int linli_capture_get_pages_min (LinliCapture *self);
int linli_capture_get_pages_max (LinliCapture *self);

/* The preview: "frame" (GBytes *rgba, int width, int height, guint stride)
 * on the main context, at the camera's capped size and rate; "still"
 * (notify) when the picture has not moved for a moment. */
gboolean linli_capture_start_preview (LinliCapture *self, GError **error);
void linli_capture_stop_preview (LinliCapture *self);
gboolean linli_capture_get_previewing (LinliCapture *self);
gboolean linli_capture_get_still (LinliCapture *self);

/* Document mode: one page, processed (cropped, deskewed, enhanced), added
 * to the session's pages, or put in place of page @replace (≥ 0: retake).
 * Photo mode: the session's photo (@replace ignored). */
void linli_capture_capture_async (LinliCapture *self,
                                  int replace,
                                  GCancellable *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer user_data);
gboolean linli_capture_capture_finish (LinliCapture *self, GAsyncResult *result, GError **error);
gboolean linli_capture_get_capturing (LinliCapture *self);

/* The current document's pages (the session's; a GListModel whose items
 * are not for ui/: use the functions below). NULL outside a session. */
GListModel *linli_capture_get_pages (LinliCapture *self);
guint linli_capture_get_n_pages (LinliCapture *self);
/* (transfer full) (nullable): a JPEG at most 240 px a side */
GBytes *linli_capture_dup_thumbnail (LinliCapture *self, guint position);
void linli_capture_remove_page (LinliCapture *self, guint position);
void linli_capture_move_page (LinliCapture *self, guint from, guint to);

/* (transfer full) (nullable): the photo's JPEG, wiped with the session */
GBytes *linli_capture_dup_photo (LinliCapture *self);
void linli_capture_discard_photo (LinliCapture *self);

/* Document mode, when the pages are done: assembles them into one PDF of
 * at most @max_bytes, kept in the session (wiped with it) under
 * "document-pdf:NAME" for the submission. FALSE with a message for the
 * resident when there are too few pages or the PDF is too large. */
gboolean linli_capture_assemble (
    LinliCapture *self, gint64 max_bytes, guint *n_pages, gsize *size, GError **error);
/* Photo mode: the resident agreed on the consent screen (now). The
 * certification sends when, and when the photo was taken after it. */
void linli_capture_note_consent (LinliCapture *self);
GDateTime *linli_capture_get_consented_at (LinliCapture *self);
GDateTime *linli_capture_get_photo_taken_at (LinliCapture *self);

G_END_DECLS
