/* linli-document-page.h — one captured, processed page of a document
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A page holds its own copy of the processed JPEG, its size, and a small
 * JPEG thumbnail for review screens. It is personal data: its bytes are
 * zeroed by linli_document_page_wipe(), and in any case when it is
 * finalized.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The thumbnail's longest side, in pixels. */
#define LINLI_DOCUMENT_PAGE_THUMBNAIL_SIDE 240

#define LINLI_TYPE_DOCUMENT_PAGE (linli_document_page_get_type ())
G_DECLARE_FINAL_TYPE (LinliDocumentPage, linli_document_page, LINLI, DOCUMENT_PAGE, GObject)

/* @jpeg: a page as linli_document_process() gives it (any JPEG will do);
 * copied. Errors in LINLI_DOCUMENT_ERROR. */
LinliDocumentPage *linli_document_page_new (GBytes *jpeg, GError **error);

/* (transfer none) NULL once wiped. */
GBytes *linli_document_page_get_jpeg (LinliDocumentPage *self);
int linli_document_page_get_width (LinliDocumentPage *self);
int linli_document_page_get_height (LinliDocumentPage *self);
/* (transfer none) a JPEG, NULL once wiped. */
GBytes *linli_document_page_get_thumbnail (LinliDocumentPage *self);
int linli_document_page_get_thumbnail_width (LinliDocumentPage *self);
int linli_document_page_get_thumbnail_height (LinliDocumentPage *self);

/* Zeroes the page's image and thumbnail and drops them. */
void linli_document_page_wipe (LinliDocumentPage *self);

G_END_DECLS
