/* linli-service-tile.h: one entry of the home screen. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  LINLI_SERVICE_FLOW_SERVICE,    /* a platform service item */
  LINLI_SERVICE_FLOW_STATUS,     /* application status look-up */
  LINLI_SERVICE_FLOW_CALL_STAFF, /* ask staff for help */
  LINLI_SERVICE_FLOW_ITEM,       /* one item of the platform's catalog */
} LinliServiceFlow;

#define LINLI_TYPE_SERVICE_TILE (linli_service_tile_get_type ())
G_DECLARE_FINAL_TYPE (LinliServiceTile, linli_service_tile, LINLI, SERVICE_TILE, GObject)

LinliServiceTile *linli_service_tile_new (const char *code,
                                          const char *title_zh,
                                          const char *title_en,
                                          const char *detail_zh,
                                          const char *detail_en,
                                          LinliServiceFlow flow);

const char *linli_service_tile_get_code (LinliServiceTile *self);
const char *linli_service_tile_get_title (LinliServiceTile *self, const char *language);
const char *linli_service_tile_get_detail (LinliServiceTile *self, const char *language);
LinliServiceFlow linli_service_tile_get_flow (LinliServiceTile *self);

/* What a screen reader says of the tile (the catalog's spoken text); falls
 * back to the title. */
void linli_service_tile_set_spoken (LinliServiceTile *self, const char *zh, const char *en);
const char *linli_service_tile_get_spoken (LinliServiceTile *self, const char *language);
/* For catalog items: the catalog's flow name ("info", "application"…) and
 * the category the item belongs to; NULL for other tiles. */
void linli_service_tile_set_item (LinliServiceTile *self,
                                  const char *category,
                                  const char *item_flow);
const char *linli_service_tile_get_category (LinliServiceTile *self);
const char *linli_service_tile_get_item_flow (LinliServiceTile *self);

GListModel *linli_service_tiles_load (GBytes *data, GError **error);
GListModel *linli_service_tiles_load_default (void);

G_END_DECLS
