/* linli-document-page.c — one processed page and its thumbnail
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "linli-document"

#include "linli-document-page.h"

#include "linli-document.h"

struct _LinliDocumentPage
{
  GObject parent_instance;

  GBytes *jpeg;
  GBytes *thumbnail;
  int width, height;
  int thumbnail_width, thumbnail_height;
};

G_DEFINE_FINAL_TYPE (LinliDocumentPage, linli_document_page, G_TYPE_OBJECT)

static void
linli_document_page_finalize (GObject *object)
{
  linli_document_page_wipe (LINLI_DOCUMENT_PAGE (object));
  G_OBJECT_CLASS (linli_document_page_parent_class)->finalize (object);
}

static void
linli_document_page_class_init (LinliDocumentPageClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = linli_document_page_finalize;
}

static void
linli_document_page_init (LinliDocumentPage *self)
{
}

/**
 * linli_document_page_new:
 *
 * Returns: (transfer full): the page, or %NULL when @jpeg is not a usable
 *   JPEG (error in %LINLI_DOCUMENT_ERROR)
 */
LinliDocumentPage *
linli_document_page_new (GBytes *jpeg, GError **error)
{
  g_autoptr (LinliDocumentPage) self = NULL;
  g_autoptr (GBytes) thumbnail = NULL;
  int width = 0, height = 0, thumb_width = 0, thumb_height = 0;
  gsize size = 0;
  gconstpointer data;

  g_return_val_if_fail (jpeg != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  thumbnail = linli_document_thumbnail (jpeg, LINLI_DOCUMENT_PAGE_THUMBNAIL_SIDE, &width, &height,
                                        &thumb_width, &thumb_height, error);
  if (thumbnail == NULL)
    return NULL;
  self = g_object_new (LINLI_TYPE_DOCUMENT_PAGE, NULL);
  /* Our own copy, so that wiping never writes into the caller's memory. */
  data = g_bytes_get_data (jpeg, &size);
  self->jpeg = linli_document_bytes_new_wiped (data, size);
  self->thumbnail = g_steal_pointer (&thumbnail);
  self->width = width;
  self->height = height;
  self->thumbnail_width = thumb_width;
  self->thumbnail_height = thumb_height;
  return g_steal_pointer (&self);
}

GBytes *
linli_document_page_get_jpeg (LinliDocumentPage *self)
{
  g_return_val_if_fail (LINLI_IS_DOCUMENT_PAGE (self), NULL);
  return self->jpeg;
}

int
linli_document_page_get_width (LinliDocumentPage *self)
{
  g_return_val_if_fail (LINLI_IS_DOCUMENT_PAGE (self), 0);
  return self->width;
}

int
linli_document_page_get_height (LinliDocumentPage *self)
{
  g_return_val_if_fail (LINLI_IS_DOCUMENT_PAGE (self), 0);
  return self->height;
}

GBytes *
linli_document_page_get_thumbnail (LinliDocumentPage *self)
{
  g_return_val_if_fail (LINLI_IS_DOCUMENT_PAGE (self), NULL);
  return self->thumbnail;
}

int
linli_document_page_get_thumbnail_width (LinliDocumentPage *self)
{
  g_return_val_if_fail (LINLI_IS_DOCUMENT_PAGE (self), 0);
  return self->thumbnail_width;
}

int
linli_document_page_get_thumbnail_height (LinliDocumentPage *self)
{
  g_return_val_if_fail (LINLI_IS_DOCUMENT_PAGE (self), 0);
  return self->thumbnail_height;
}

/**
 * linli_document_page_wipe:
 *
 * Zeroes the image and the thumbnail now — also in the hands of anyone who
 * still holds a reference to them — and drops them. The size stays.
 */
void
linli_document_page_wipe (LinliDocumentPage *self)
{
  g_return_if_fail (LINLI_IS_DOCUMENT_PAGE (self));

  if (self->jpeg != NULL)
    linli_document_bytes_wipe (self->jpeg);
  if (self->thumbnail != NULL)
    linli_document_bytes_wipe (self->thumbnail);
  g_clear_pointer (&self->jpeg, g_bytes_unref);
  g_clear_pointer (&self->thumbnail, g_bytes_unref);
}
