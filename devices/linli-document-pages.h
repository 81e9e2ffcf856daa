/* linli-document-pages.h — the pages of one captured document, and its PDF
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GListModel of LinliDocumentPage, in document order, that review
 * screens show as thumbnails: pages are appended as they are captured,
 * replaced when retaken, removed, and moved. linli_document_pages_to_pdf()
 * assembles them into one PDF, one A4-proportioned page per image with the
 * JPEG embedded as it is. Nothing is written to disk; the session calls
 * linli_document_pages_wipe() when it ends (dispose does it too).
 */
#pragma once

#include <gio/gio.h>

#include "linli-document-page.h"

G_BEGIN_DECLS

#define LINLI_TYPE_DOCUMENT_PAGES (linli_document_pages_get_type ())
G_DECLARE_FINAL_TYPE (LinliDocumentPages, linli_document_pages, LINLI, DOCUMENT_PAGES, GObject)

LinliDocumentPages *linli_document_pages_new (void);

void linli_document_pages_append (LinliDocumentPages *self, LinliDocumentPage *page);
/* Retake: @page takes the place of the page at @position. */
void linli_document_pages_replace (LinliDocumentPages *self,
                                   guint position,
                                   LinliDocumentPage *page);
void linli_document_pages_remove (LinliDocumentPages *self, guint position);
/* The page at @from goes to @to (an index in the model as it is after). */
void linli_document_pages_move (LinliDocumentPages *self, guint from, guint to);

/* (transfer none) */
LinliDocumentPage *linli_document_pages_get_page (LinliDocumentPages *self, guint position);

/* The PDF of all pages, in bytes wiped when freed; NULL with
 * LINLI_DOCUMENT_ERROR_TOO_LARGE when it would be over @max_bytes (0: no
 * limit) — the message says by how much — or LINLI_DOCUMENT_ERROR_NO_PAGE
 * when there are no pages. */
GBytes *linli_document_pages_to_pdf (LinliDocumentPages *self, gsize max_bytes, GError **error);

/* Zeroes every page and empties the model. */
void linli_document_pages_wipe (LinliDocumentPages *self);

G_END_DECLS
