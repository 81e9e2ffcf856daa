/* linli-document-pages.c — the pages of a document as a list model; PDF
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The PDF is drawn with cairo: each image is an image surface carrying its
 * JPEG as mime data, so cairo embeds the JPEG stream itself (DCTDecode)
 * instead of re-encoding the pixels — the surface's own pixels are never
 * drawn and stay blank.
 */
#define G_LOG_DOMAIN "linli-document"

#include "linli-document-pages.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <string.h>

#include "linli-document.h"

/* A4 in points, and the margin around the image on the page. */
#define A4_SHORT (210.0 * 72.0 / 25.4)
#define A4_LONG  (297.0 * 72.0 / 25.4)
#define MARGIN   (5.0 * 72.0 / 25.4)

struct _LinliDocumentPages
{
  GObject parent_instance;

  GPtrArray *pages; /* of LinliDocumentPage */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (LinliDocumentPages,
                               linli_document_pages,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
get_item_type (GListModel *model)
{
  return LINLI_TYPE_DOCUMENT_PAGE;
}

static guint
get_n_items (GListModel *model)
{
  return LINLI_DOCUMENT_PAGES (model)->pages->len;
}

static gpointer
get_item (GListModel *model, guint position)
{
  LinliDocumentPages *self = LINLI_DOCUMENT_PAGES (model);

  if (position >= self->pages->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->pages, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
linli_document_pages_dispose (GObject *object)
{
  LinliDocumentPages *self = LINLI_DOCUMENT_PAGES (object);

  /* No signal from a model being disposed: wipe and drop quietly. */
  for (guint i = 0; i < self->pages->len; i++)
    linli_document_page_wipe (g_ptr_array_index (self->pages, i));
  g_ptr_array_set_size (self->pages, 0);
  G_OBJECT_CLASS (linli_document_pages_parent_class)->dispose (object);
}

static void
linli_document_pages_finalize (GObject *object)
{
  g_ptr_array_unref (LINLI_DOCUMENT_PAGES (object)->pages);
  G_OBJECT_CLASS (linli_document_pages_parent_class)->finalize (object);
}

static void
linli_document_pages_class_init (LinliDocumentPagesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = linli_document_pages_dispose;
  object_class->finalize = linli_document_pages_finalize;
}

static void
linli_document_pages_init (LinliDocumentPages *self)
{
  self->pages = g_ptr_array_new_with_free_func (g_object_unref);
}

LinliDocumentPages *
linli_document_pages_new (void)
{
  return g_object_new (LINLI_TYPE_DOCUMENT_PAGES, NULL);
}

void
linli_document_pages_append (LinliDocumentPages *self, LinliDocumentPage *page)
{
  g_return_if_fail (LINLI_IS_DOCUMENT_PAGES (self));
  g_return_if_fail (LINLI_IS_DOCUMENT_PAGE (page));

  g_ptr_array_add (self->pages, g_object_ref (page));
  g_list_model_items_changed (G_LIST_MODEL (self), self->pages->len - 1, 0, 1);
}

void
linli_document_pages_replace (LinliDocumentPages *self, guint position, LinliDocumentPage *page)
{
  LinliDocumentPage *old;

  g_return_if_fail (LINLI_IS_DOCUMENT_PAGES (self));
  g_return_if_fail (LINLI_IS_DOCUMENT_PAGE (page));
  g_return_if_fail (position < self->pages->len);

  old = g_ptr_array_index (self->pages, position);
  if (old == page)
    return;
  /* The retaken page is gone for good: wipe it even if a screen still
   * holds it. */
  linli_document_page_wipe (old);
  g_object_unref (old);
  self->pages->pdata[position] = g_object_ref (page);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 1);
}

void
linli_document_pages_remove (LinliDocumentPages *self, guint position)
{
  g_return_if_fail (LINLI_IS_DOCUMENT_PAGES (self));
  g_return_if_fail (position < self->pages->len);

  linli_document_page_wipe (g_ptr_array_index (self->pages, position));
  g_ptr_array_remove_index (self->pages, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
}

void
linli_document_pages_move (LinliDocumentPages *self, guint from, guint to)
{
  gpointer page;
  guint first, count;

  g_return_if_fail (LINLI_IS_DOCUMENT_PAGES (self));
  g_return_if_fail (from < self->pages->len);
  g_return_if_fail (to < self->pages->len);

  if (from == to)
    return;
  page = g_ptr_array_steal_index (self->pages, from);
  g_ptr_array_insert (self->pages, (gint) to, page);
  first = MIN (from, to);
  count = MAX (from, to) - first + 1;
  g_list_model_items_changed (G_LIST_MODEL (self), first, count, count);
}

LinliDocumentPage *
linli_document_pages_get_page (LinliDocumentPages *self, guint position)
{
  g_return_val_if_fail (LINLI_IS_DOCUMENT_PAGES (self), NULL);
  g_return_val_if_fail (position < self->pages->len, NULL);

  return g_ptr_array_index (self->pages, position);
}

/* ---- PDF ---- */

typedef struct
{
  GByteArray *data;
  gsize limit; /* 0: none */
  gsize total; /* all bytes cairo wrote, kept or not */
} PdfSink;

static cairo_status_t
pdf_write (void *closure, const unsigned char *data, unsigned int length)
{
  PdfSink *sink = closure;

  sink->total += length;
  /* Past the limit, only count: the size is reported, the bytes are not
   * needed. */
  if (sink->limit == 0 || sink->total <= sink->limit)
    g_byte_array_append (sink->data, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static void
wipe_byte_array (GByteArray *array)
{
  if (array->len > 0)
    explicit_bzero (array->data, array->len);
  g_byte_array_unref (array);
}

/* Draws @page on a page of @pdf: A4, portrait or landscape as the image
 * is, the image fitted inside the margins and centred. */
static gboolean
draw_page (cairo_surface_t *pdf, LinliDocumentPage *page, GError **error)
{
  int width = linli_document_page_get_width (page);
  int height = linli_document_page_get_height (page);
  gboolean landscape = width > height;
  double page_w = landscape ? A4_LONG : A4_SHORT;
  double page_h = landscape ? A4_SHORT : A4_LONG;
  double scale = MIN ((page_w - 2 * MARGIN) / width, (page_h - 2 * MARGIN) / height);
  GBytes *jpeg = linli_document_page_get_jpeg (page);
  gsize size = 0;
  const guchar *data = g_bytes_get_data (jpeg, &size);
  cairo_surface_t *image;
  cairo_t *cr;
  cairo_status_t status;

  cairo_pdf_surface_set_size (pdf, page_w, page_h);
  /* The pixels are never read: cairo embeds the mime data. The bytes stay
   * referenced by the surface until cairo lets it go. */
  image = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  status = cairo_surface_set_mime_data (image, CAIRO_MIME_TYPE_JPEG, data, size,
                                        (cairo_destroy_func_t) g_bytes_unref, g_bytes_ref (jpeg));
  if (status != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (image);
      g_set_error (error, LINLI_DOCUMENT_ERROR, LINLI_DOCUMENT_ERROR_FAILED, "PDF: %s",
                   cairo_status_to_string (status));
      return FALSE;
    }
  cr = cairo_create (pdf);
  cairo_translate (cr, (page_w - width * scale) / 2.0, (page_h - height * scale) / 2.0);
  cairo_scale (cr, scale, scale);
  cairo_set_source_surface (cr, image, 0, 0);
  cairo_paint (cr);
  cairo_show_page (cr);
  status = cairo_status (cr);
  cairo_destroy (cr);
  cairo_surface_destroy (image);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, LINLI_DOCUMENT_ERROR, LINLI_DOCUMENT_ERROR_FAILED, "PDF: %s",
                   cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

/**
 * linli_document_pages_to_pdf:
 * @max_bytes: the catalog's size limit for the document; 0 for none
 *
 * Returns: (transfer full): the PDF, or %NULL with an error in
 *   %LINLI_DOCUMENT_ERROR
 */
GBytes *
linli_document_pages_to_pdf (LinliDocumentPages *self, gsize max_bytes, GError **error)
{
  PdfSink sink = { 0 };
  g_autoptr (GError) local_error = NULL;
  cairo_surface_t *pdf;
  cairo_status_t status;
  GBytes *result;

  g_return_val_if_fail (LINLI_IS_DOCUMENT_PAGES (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (self->pages->len == 0)
    {
      g_set_error_literal (error, LINLI_DOCUMENT_ERROR, LINLI_DOCUMENT_ERROR_NO_PAGE,
                           "the document has no pages");
      return NULL;
    }
  sink.data = g_byte_array_new ();
  sink.limit = max_bytes;
  pdf = cairo_pdf_surface_create_for_stream (pdf_write, &sink, A4_SHORT, A4_LONG);
  /* No creation date: the same pages give the same PDF. */
  cairo_pdf_surface_set_metadata (pdf, CAIRO_PDF_METADATA_CREATOR, "Linli");
  for (guint i = 0; i < self->pages->len && local_error == NULL; i++)
    draw_page (pdf, g_ptr_array_index (self->pages, i), &local_error);
  cairo_surface_finish (pdf);
  status = cairo_surface_status (pdf);
  cairo_surface_destroy (pdf);
  if (local_error == NULL && status != CAIRO_STATUS_SUCCESS)
    g_set_error (&local_error, LINLI_DOCUMENT_ERROR, LINLI_DOCUMENT_ERROR_FAILED, "PDF: %s",
                 cairo_status_to_string (status));
  if (local_error != NULL)
    {
      wipe_byte_array (sink.data);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (max_bytes > 0 && sink.total > max_bytes)
    {
      g_autofree char *size_text = g_format_size (sink.total);
      g_autofree char *over_text = g_format_size (sink.total - max_bytes);
      g_autofree char *limit_text = g_format_size (max_bytes);

      wipe_byte_array (sink.data);
      g_set_error (error, LINLI_DOCUMENT_ERROR, LINLI_DOCUMENT_ERROR_TOO_LARGE,
                   "the document is %s (%" G_GSIZE_FORMAT " bytes), %s (%" G_GSIZE_FORMAT
                   " bytes) over its limit of %s (%" G_GSIZE_FORMAT " bytes)",
                   size_text, sink.total, over_text, sink.total - max_bytes, limit_text, max_bytes);
      return NULL;
    }
  result = linli_document_bytes_new_wiped (sink.data->data, sink.data->len);
  wipe_byte_array (sink.data);
  return result;
}

/**
 * linli_document_pages_wipe:
 *
 * Zeroes every page (also where a screen still holds one) and removes
 * them all.
 */
void
linli_document_pages_wipe (LinliDocumentPages *self)
{
  guint count;

  g_return_if_fail (LINLI_IS_DOCUMENT_PAGES (self));

  count = self->pages->len;
  for (guint i = 0; i < count; i++)
    linli_document_page_wipe (g_ptr_array_index (self->pages, i));
  g_ptr_array_set_size (self->pages, 0);
  if (count > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, count, 0);
}
