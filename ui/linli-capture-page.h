/* linli-capture-page.h: the camera screen — document pages, or the
 * certification photo after consent.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "linli-kiosk.h"
#include "linli-page.h"

G_BEGIN_DECLS

#define LINLI_TYPE_CAPTURE_PAGE (linli_capture_page_get_type ())
G_DECLARE_FINAL_TYPE (LinliCapturePage, linli_capture_page, LINLI, CAPTURE_PAGE, LinliPage)

LinliCapturePage *linli_capture_page_new (LinliKiosk *kiosk);

/* Pages of a document (the kiosk's LinliCapture already set to it with
 * linli_capture_set_document()); @title is the document's, as shown. */
void linli_capture_page_start_document (LinliCapturePage *self, const char *title);
/* Consent, then the photo, then its review. */
void linli_capture_page_start_photo (LinliCapturePage *self);
/* What the caller says at the end (and speaks), with "Back to home". */
void linli_capture_page_show_result (LinliCapturePage *self, const char *title, const char *note);
void linli_capture_page_show_problem (LinliCapturePage *self, const char *text);
const char *linli_capture_page_get_title (LinliCapturePage *self);
/* Preview pictures drawn on screen since the page was made. */
guint64 linli_capture_page_get_frames_drawn (LinliCapturePage *self);

G_END_DECLS
