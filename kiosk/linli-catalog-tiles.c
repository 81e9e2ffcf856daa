/* linli-catalog-tiles.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Items are data (the contract's promise to counties): whatever categories
 * and items the platform publishes become tiles, with no code per item.
 */
#define G_LOG_DOMAIN "linli-catalog-tiles"

#include "linli-catalog-tiles.h"

/* A category's detail line names its first few items, like the built-in
 * tiles do ("参保证明 · 缴费记录 · 资格认证"). */
#define DETAIL_ITEMS 3

static int
compare_categories (gconstpointer a, gconstpointer b)
{
  const LinliCategory *x = *(const LinliCategory *const *) a;
  const LinliCategory *y = *(const LinliCategory *const *) b;

  return (x->order > y->order) - (x->order < y->order);
}

static char *
join_item_titles (LinliCatalog *catalog, const char *category, const char *language)
{
  g_autoptr (GString) text = g_string_new (NULL);
  guint n = 0;

  for (guint i = 0; i < catalog->items->len && n < DETAIL_ITEMS; i++)
    {
      LinliCatalogItem *item = g_ptr_array_index (catalog->items, i);

      if (!item->enabled || g_strcmp0 (item->category, category) != 0)
        continue;
      if (n++ > 0)
        g_string_append (text, " · ");
      g_string_append (text, linli_localized_text_get (item->title, language));
    }
  return n > 0 ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
}

GListModel *
linli_catalog_tiles_for_home (LinliCatalog *catalog)
{
  g_autoptr (GListStore) store = g_list_store_new (LINLI_TYPE_SERVICE_TILE);
  g_autoptr (GPtrArray) categories = NULL;
  g_autoptr (GListModel) builtin = linli_service_tiles_load_default ();

  g_return_val_if_fail (catalog != NULL, NULL);

  /* Stable sort: equal orders keep the catalog's own order. */
  categories = g_ptr_array_copy (catalog->categories, NULL, NULL);
  /* The copy inherits the catalog's free function: it only borrows. */
  g_ptr_array_set_free_func (categories, NULL);
  g_ptr_array_sort (categories, compare_categories);

  for (guint i = 0; i < categories->len; i++)
    {
      LinliCategory *category = g_ptr_array_index (categories, i);
      g_autofree char *detail_zh = join_item_titles (catalog, category->code, "zh_CN");
      g_autofree char *detail_en = join_item_titles (catalog, category->code, "en");
      g_autoptr (LinliServiceTile) tile = NULL;

      if (detail_zh == NULL)
        continue;
      tile = linli_service_tile_new (category->code,
                                     linli_localized_text_get (category->title, "zh_CN"),
                                     linli_localized_text_get (category->title, "en"), detail_zh,
                                     detail_en, LINLI_SERVICE_FLOW_SERVICE);
      if (category->spoken != NULL)
        linli_service_tile_set_spoken (tile, linli_localized_text_get (category->spoken, "zh_CN"),
                                       linli_localized_text_get (category->spoken, "en"));
      g_list_store_append (store, tile);
    }

  /* Asking staff for help is the kiosk's own, not the platform's. */
  for (guint i = 0; i < g_list_model_get_n_items (builtin); i++)
    {
      g_autoptr (LinliServiceTile) tile = g_list_model_get_item (builtin, i);

      if (linli_service_tile_get_flow (tile) == LINLI_SERVICE_FLOW_CALL_STAFF)
        g_list_store_append (store, tile);
    }
  return G_LIST_MODEL (g_steal_pointer (&store));
}

GListModel *
linli_catalog_tiles_for_category (LinliCatalog *catalog, const char *category)
{
  g_autoptr (GListStore) store = g_list_store_new (LINLI_TYPE_SERVICE_TILE);

  g_return_val_if_fail (catalog != NULL, NULL);

  for (guint i = 0; i < catalog->items->len; i++)
    {
      LinliCatalogItem *item = g_ptr_array_index (catalog->items, i);
      g_autoptr (LinliServiceTile) tile = NULL;

      if (!item->enabled || g_strcmp0 (item->category, category) != 0)
        continue;
      tile = linli_service_tile_new (
          item->item_code, linli_localized_text_get (item->title, "zh_CN"),
          linli_localized_text_get (item->title, "en"),
          linli_localized_text_get (item->description, "zh_CN"),
          linli_localized_text_get (item->description, "en"), LINLI_SERVICE_FLOW_ITEM);
      linli_service_tile_set_spoken (tile, linli_localized_text_get (item->spoken, "zh_CN"),
                                     linli_localized_text_get (item->spoken, "en"));
      linli_service_tile_set_item (tile, item->category, linli_flow_to_string (item->flow));
      g_list_store_append (store, tile);
    }
  return G_LIST_MODEL (g_steal_pointer (&store));
}
