/* linli-home-page.h: the tiles of the service items. */
#pragma once

#include <gtk/gtk.h>

#include "linli-page.h"

#include "linli-kiosk.h"

G_BEGIN_DECLS

#define LINLI_TYPE_HOME_PAGE (linli_home_page_get_type ())
G_DECLARE_FINAL_TYPE (LinliHomePage, linli_home_page, LINLI, HOME_PAGE, LinliPage)

LinliHomePage *linli_home_page_new (LinliKiosk *kiosk);
char *linli_home_page_dup_greeting (LinliHomePage *self, gboolean full_name);

G_END_DECLS
