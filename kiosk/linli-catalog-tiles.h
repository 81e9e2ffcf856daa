/* linli-catalog-tiles.h — the platform's catalog as the kiosk's tiles
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "linli-catalog.h"
#include "linli-service-tile.h"

G_BEGIN_DECLS

/* One tile per category that has an enabled item, in the catalog's order,
 * then the built-in "call staff" tile. */
GListModel *linli_catalog_tiles_for_home (LinliCatalog *catalog);
/* The enabled items of one category as ITEM tiles, in the catalog's order. */
GListModel *linli_catalog_tiles_for_category (LinliCatalog *catalog, const char *category);

G_END_DECLS
