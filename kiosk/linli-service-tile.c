/* linli-service-tile.c
 *
 * The home screen shows a GListModel of tiles: one per category of the
 * platform's catalog, or, with no platform and no cached catalog, the
 * built-in list of services.ini. Titles are data in both languages, not
 * gettext strings, because the catalog sends them that way. Catalog items
 * are tiles too (flow ITEM), listed on a category's screen.
 */
#define G_LOG_DOMAIN "linli-service-tile"

#include "linli-service-tile.h"

#include <gio/gio.h>

struct _LinliServiceTile
{
  GObject parent_instance;

  char *code;
  char *title_zh;
  char *title_en;
  char *detail_zh;
  char *detail_en;
  char *spoken_zh;
  char *spoken_en;
  char *category;
  char *item_flow;
  LinliServiceFlow flow;
};

G_DEFINE_FINAL_TYPE (LinliServiceTile, linli_service_tile, G_TYPE_OBJECT)

static void
linli_service_tile_finalize (GObject *object)
{
  LinliServiceTile *self = LINLI_SERVICE_TILE (object);

  g_free (self->code);
  g_free (self->title_zh);
  g_free (self->title_en);
  g_free (self->detail_zh);
  g_free (self->detail_en);
  g_free (self->spoken_zh);
  g_free (self->spoken_en);
  g_free (self->category);
  g_free (self->item_flow);

  G_OBJECT_CLASS (linli_service_tile_parent_class)->finalize (object);
}

static void
linli_service_tile_class_init (LinliServiceTileClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = linli_service_tile_finalize;
}

static void
linli_service_tile_init (LinliServiceTile *self)
{
}

LinliServiceTile *
linli_service_tile_new (const char *code,
                        const char *title_zh,
                        const char *title_en,
                        const char *detail_zh,
                        const char *detail_en,
                        LinliServiceFlow flow)
{
  LinliServiceTile *self;

  g_return_val_if_fail (code != NULL && title_zh != NULL && title_en != NULL, NULL);

  self = g_object_new (LINLI_TYPE_SERVICE_TILE, NULL);
  self->code = g_strdup (code);
  self->title_zh = g_strdup (title_zh);
  self->title_en = g_strdup (title_en);
  self->detail_zh = g_strdup (detail_zh != NULL ? detail_zh : "");
  self->detail_en = g_strdup (detail_en != NULL ? detail_en : "");
  self->flow = flow;
  return self;
}

/* The item code; later the platform's 事项编码. */
const char *
linli_service_tile_get_code (LinliServiceTile *self)
{
  g_return_val_if_fail (LINLI_IS_SERVICE_TILE (self), NULL);
  return self->code;
}

static gboolean
is_english (const char *language)
{
  return language != NULL && g_str_has_prefix (language, "en");
}

const char *
linli_service_tile_get_title (LinliServiceTile *self, const char *language)
{
  g_return_val_if_fail (LINLI_IS_SERVICE_TILE (self), NULL);
  return is_english (language) ? self->title_en : self->title_zh;
}

const char *
linli_service_tile_get_detail (LinliServiceTile *self, const char *language)
{
  g_return_val_if_fail (LINLI_IS_SERVICE_TILE (self), NULL);
  return is_english (language) ? self->detail_en : self->detail_zh;
}

LinliServiceFlow
linli_service_tile_get_flow (LinliServiceTile *self)
{
  g_return_val_if_fail (LINLI_IS_SERVICE_TILE (self), LINLI_SERVICE_FLOW_SERVICE);
  return self->flow;
}

void
linli_service_tile_set_spoken (LinliServiceTile *self, const char *zh, const char *en)
{
  g_return_if_fail (LINLI_IS_SERVICE_TILE (self));
  g_free (self->spoken_zh);
  g_free (self->spoken_en);
  self->spoken_zh = g_strdup (zh);
  self->spoken_en = g_strdup (en);
}

const char *
linli_service_tile_get_spoken (LinliServiceTile *self, const char *language)
{
  const char *spoken;

  g_return_val_if_fail (LINLI_IS_SERVICE_TILE (self), NULL);
  spoken = is_english (language) ? self->spoken_en : self->spoken_zh;
  return spoken != NULL && *spoken != '\0' ? spoken : linli_service_tile_get_title (self, language);
}

void
linli_service_tile_set_item (LinliServiceTile *self, const char *category, const char *item_flow)
{
  g_return_if_fail (LINLI_IS_SERVICE_TILE (self));
  g_free (self->category);
  g_free (self->item_flow);
  self->category = g_strdup (category);
  self->item_flow = g_strdup (item_flow);
}

const char *
linli_service_tile_get_category (LinliServiceTile *self)
{
  g_return_val_if_fail (LINLI_IS_SERVICE_TILE (self), NULL);
  return self->category;
}

const char *
linli_service_tile_get_item_flow (LinliServiceTile *self)
{
  g_return_val_if_fail (LINLI_IS_SERVICE_TILE (self), NULL);
  return self->item_flow;
}

static gboolean
parse_flow (const char *text, LinliServiceFlow *flow)
{
  if (g_strcmp0 (text, "service") == 0)
    *flow = LINLI_SERVICE_FLOW_SERVICE;
  else if (g_strcmp0 (text, "status") == 0)
    *flow = LINLI_SERVICE_FLOW_STATUS;
  else if (g_strcmp0 (text, "call-staff") == 0)
    *flow = LINLI_SERVICE_FLOW_CALL_STAFF;
  else
    return FALSE;
  return TRUE;
}

/**
 * linli_service_tiles_load:
 * @data: a key file, one group per tile
 *
 * Returns: (transfer full): a list of #LinliServiceTile, or %NULL with
 *   @error set naming the first bad tile
 */
GListModel *
linli_service_tiles_load (GBytes *data, GError **error)
{
  g_autoptr (GKeyFile) file = g_key_file_new ();
  g_autoptr (GListStore) store = g_list_store_new (LINLI_TYPE_SERVICE_TILE);
  g_auto (GStrv) groups = NULL;

  if (!g_key_file_load_from_bytes (file, data, G_KEY_FILE_NONE, error))
    return NULL;

  groups = g_key_file_get_groups (file, NULL);
  for (gsize i = 0; groups[i] != NULL; i++)
    {
      const char *code = groups[i];
      g_autofree char *title_zh = g_key_file_get_string (file, code, "title-zh", NULL);
      g_autofree char *title_en = g_key_file_get_string (file, code, "title-en", NULL);
      g_autofree char *detail_zh = g_key_file_get_string (file, code, "detail-zh", NULL);
      g_autofree char *detail_en = g_key_file_get_string (file, code, "detail-en", NULL);
      g_autofree char *flow_text = g_key_file_get_string (file, code, "flow", NULL);
      g_autoptr (LinliServiceTile) tile = NULL;
      LinliServiceFlow flow;

      if (title_zh == NULL || title_en == NULL || !parse_flow (flow_text, &flow))
        {
          g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                       "tile [%s] needs title-zh, title-en and a flow of service, status or "
                       "call-staff",
                       code);
          return NULL;
        }
      tile = linli_service_tile_new (code, title_zh, title_en, detail_zh, detail_en, flow);
      g_list_store_append (store, tile);
    }

  return G_LIST_MODEL (g_steal_pointer (&store));
}

/* Returns: (transfer full): the tiles shipped in the kiosk's resources */
GListModel *
linli_service_tiles_load_default (void)
{
  g_autoptr (GBytes) data = NULL;
  g_autoptr (GError) error = NULL;
  GListModel *tiles;

  data = g_resources_lookup_data ("/cn/linli/Kiosk/kiosk/services.ini",
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  /* The file is compiled into the binary: its absence is a build fault. */
  g_assert_no_error (error);
  tiles = linli_service_tiles_load (data, &error);
  g_assert_no_error (error);
  return tiles;
}
