/* linli-catalog-cache.h — the last service catalog, kept on disk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One file, catalog.cache, in a directory the caller names ([platform]
 * cache-dir): a short header with the ETag, then the platform's JSON
 * exactly as it came. Written atomically and durably (a power cut leaves
 * the old file or the new one, never half of one), mode 0600. The
 * catalog holds no personal data.
 */
#pragma once

#include <gio/gio.h>

#include "linli-catalog.h"

G_BEGIN_DECLS

#define LINLI_TYPE_CATALOG_CACHE (linli_catalog_cache_get_type ())
G_DECLARE_FINAL_TYPE (LinliCatalogCache, linli_catalog_cache, LINLI, CATALOG_CACHE, GObject)

LinliCatalogCache *linli_catalog_cache_new (const char *directory);
const char *linli_catalog_cache_get_path (LinliCatalogCache *self);

/* The cached catalog, its ETag set (NULL if it came without one).
 * G_IO_ERROR_NOT_FOUND when there is none; LINLI_PLATFORM_ERROR_INVALID_RESPONSE
 * when the file is damaged (it is then ignored, never trusted). Reads a
 * local file: quick, but call it off the UI thread when you can. */
LinliCatalog *linli_catalog_cache_load (LinliCatalogCache *self, GError **error);

/* Keeps @json (a catalog's body as the platform sent it) with @etag (may
 * be NULL). Creates the directory (0700) when needed. */
gboolean linli_catalog_cache_store (LinliCatalogCache *self,
                                    GBytes *json,
                                    const char *etag,
                                    GError **error);
/* Both on a worker thread, for LinliPlatform. */
void linli_catalog_cache_store_async (LinliCatalogCache *self,
                                      GBytes *json,
                                      const char *etag,
                                      GCancellable *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer user_data);
gboolean linli_catalog_cache_store_finish (LinliCatalogCache *self,
                                           GAsyncResult *result,
                                           GError **error);
void linli_catalog_cache_load_async (LinliCatalogCache *self,
                                     GCancellable *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer user_data);
LinliCatalog *linli_catalog_cache_load_finish (LinliCatalogCache *self,
                                               GAsyncResult *result,
                                               GError **error);

gboolean linli_catalog_cache_clear (LinliCatalogCache *self, GError **error);

/* The file's format on its own (for the fuzzer and the tests). */
LinliCatalog *linli_catalog_cache_parse (const char *data, gsize length, GError **error);

G_END_DECLS
