/* linli-catalog-cache.c — the last service catalog, kept on disk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The file:
 *
 *   linli-catalog-cache 1\n
 *   etag: "cat-2024-05-14-3"\n      (empty after the colon: no ETag)
 *   \n
 *   {...the catalog's JSON as the platform sent it...}
 *
 * The JSON is checked again on every load, like an answer from the
 * platform: a damaged or tampered file is refused, not trusted.
 */
#define G_LOG_DOMAIN "linli-platform"

#include "linli-catalog-cache.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "linli-platform-error.h"
#include "linli-platform-json.h"

#define MAGIC       "linli-catalog-cache 1\n"
#define ETAG_PREFIX "etag: "
#define FILE_NAME   "catalog.cache"
#define MAX_ETAG    256

struct _LinliCatalogCache
{
  GObject parent_instance;
  char *directory;
  char *path;
};

G_DEFINE_TYPE (LinliCatalogCache, linli_catalog_cache, G_TYPE_OBJECT)

static void
linli_catalog_cache_finalize (GObject *object)
{
  LinliCatalogCache *self = LINLI_CATALOG_CACHE (object);

  g_free (self->directory);
  g_free (self->path);
  G_OBJECT_CLASS (linli_catalog_cache_parent_class)->finalize (object);
}

static void
linli_catalog_cache_class_init (LinliCatalogCacheClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = linli_catalog_cache_finalize;
}

static void
linli_catalog_cache_init (LinliCatalogCache *self)
{
}

LinliCatalogCache *
linli_catalog_cache_new (const char *directory)
{
  LinliCatalogCache *self;

  g_return_val_if_fail (directory != NULL, NULL);
  self = g_object_new (LINLI_TYPE_CATALOG_CACHE, NULL);
  self->directory = g_strdup (directory);
  self->path = g_build_filename (directory, FILE_NAME, NULL);
  return self;
}

const char *
linli_catalog_cache_get_path (LinliCatalogCache *self)
{
  g_return_val_if_fail (LINLI_IS_CATALOG_CACHE (self), NULL);
  return self->path;
}

static gboolean
etag_is_valid (const char *etag, gsize length)
{
  if (length > MAX_ETAG)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (etag[i] < 0x20 || etag[i] > 0x7e)
      return FALSE;
  return TRUE;
}

LinliCatalog *
linli_catalog_cache_parse (const char *data, gsize length, GError **error)
{
  const char *etag, *end, *json;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (LinliCatalog) catalog = NULL;
  g_autofree char *etag_copy = NULL;

  if (length < strlen (MAGIC) || memcmp (data, MAGIC, strlen (MAGIC)) != 0)
    return linli_json_set_invalid (error, "(cache)", NULL, "not a catalog cache file"), NULL;
  etag = data + strlen (MAGIC);
  if ((gsize) (etag - data) + strlen (ETAG_PREFIX) > length
      || memcmp (etag, ETAG_PREFIX, strlen (ETAG_PREFIX)) != 0)
    return linli_json_set_invalid (error, "(cache)", NULL, "no ETag line"), NULL;
  etag += strlen (ETAG_PREFIX);
  end = memchr (etag, '\n', length - (gsize) (etag - data));
  if (end == NULL || !etag_is_valid (etag, (gsize) (end - etag)))
    return linli_json_set_invalid (error, "(cache)", NULL, "bad ETag line"), NULL;
  if ((gsize) (end - data) + 2 > length || end[1] != '\n')
    return linli_json_set_invalid (error, "(cache)", NULL, "no blank line after the header"), NULL;
  json = end + 2;
  root = linli_json_parse (json, length - (gsize) (json - data), 0, error);
  if (root == NULL)
    return NULL;
  catalog = linli_catalog_new_from_json (root, error);
  if (catalog == NULL)
    return NULL;
  if (end > etag)
    {
      etag_copy = g_strndup (etag, (gsize) (end - etag));
      linli_catalog_set_etag (catalog, etag_copy);
    }
  return g_steal_pointer (&catalog);
}

LinliCatalog *
linli_catalog_cache_load (LinliCatalogCache *self, GError **error)
{
  g_autofree char *contents = NULL;
  g_autoptr (GError) local_error = NULL;
  gsize length = 0;

  g_return_val_if_fail (LINLI_IS_CATALOG_CACHE (self), NULL);
  if (!g_file_get_contents (self->path, &contents, &length, &local_error))
    {
      g_set_error (error, G_IO_ERROR,
                   g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT)
                       ? G_IO_ERROR_NOT_FOUND
                       : G_IO_ERROR_FAILED,
                   "%s", local_error->message);
      return NULL;
    }
  return linli_catalog_cache_parse (contents, length, error);
}

gboolean
linli_catalog_cache_store (LinliCatalogCache *self, GBytes *json, const char *etag, GError **error)
{
  g_autoptr (GByteArray) contents = NULL;
  gsize size;
  const guint8 *data;

  g_return_val_if_fail (LINLI_IS_CATALOG_CACHE (self), FALSE);
  g_return_val_if_fail (json != NULL, FALSE);
  if (etag != NULL && !etag_is_valid (etag, strlen (etag)))
    return linli_json_set_invalid (error, "ETag", NULL, "not printable ASCII of at most 256");
  if (g_mkdir_with_parents (self->directory, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "Cannot create %s: %s",
                   self->directory, g_strerror (saved));
      return FALSE;
    }
  data = g_bytes_get_data (json, &size);
  contents = g_byte_array_sized_new ((guint) (size + MAX_ETAG + 64));
  g_byte_array_append (contents, (const guint8 *) MAGIC, (guint) strlen (MAGIC));
  g_byte_array_append (contents, (const guint8 *) ETAG_PREFIX, (guint) strlen (ETAG_PREFIX));
  if (etag != NULL)
    g_byte_array_append (contents, (const guint8 *) etag, (guint) strlen (etag));
  g_byte_array_append (contents, (const guint8 *) "\n\n", 2);
  g_byte_array_append (contents, data, (guint) size);
  return g_file_set_contents_full (self->path, (const char *) contents->data, contents->len,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0600, error);
}

typedef struct
{
  GBytes *json;
  char *etag;
} StoreData;

static void
store_data_free (gpointer data)
{
  StoreData *store = data;

  g_bytes_unref (store->json);
  g_free (store->etag);
  g_free (store);
}

static void
store_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  StoreData *store = task_data;
  GError *error = NULL;

  if (linli_catalog_cache_store (source, store->json, store->etag, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
linli_catalog_cache_store_async (LinliCatalogCache *self,
                                 GBytes *json,
                                 const char *etag,
                                 GCancellable *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  StoreData *store = g_new0 (StoreData, 1);

  g_task_set_source_tag (task, linli_catalog_cache_store_async);
  store->json = g_bytes_ref (json);
  store->etag = g_strdup (etag);
  g_task_set_task_data (task, store, store_data_free);
  g_task_run_in_thread (task, store_thread);
}

gboolean
linli_catalog_cache_store_finish (LinliCatalogCache *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
load_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GError *error = NULL;
  LinliCatalog *catalog = linli_catalog_cache_load (source, &error);

  if (catalog != NULL)
    g_task_return_pointer (task, catalog, (GDestroyNotify) linli_catalog_unref);
  else
    g_task_return_error (task, error);
}

void
linli_catalog_cache_load_async (LinliCatalogCache *self,
                                GCancellable *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, linli_catalog_cache_load_async);
  g_task_run_in_thread (task, load_thread);
}

LinliCatalog *
linli_catalog_cache_load_finish (LinliCatalogCache *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
linli_catalog_cache_clear (LinliCatalogCache *self, GError **error)
{
  g_return_val_if_fail (LINLI_IS_CATALOG_CACHE (self), FALSE);
  if (g_unlink (self->path) != 0 && errno != ENOENT)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "Cannot remove %s: %s",
                   self->path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}
