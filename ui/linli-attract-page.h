/* linli-attract-page.h: what the kiosk shows while nobody uses it. */
#pragma once

#include <gtk/gtk.h>

#include "linli-page.h"

#include "linli-kiosk.h"

G_BEGIN_DECLS

#define LINLI_TYPE_ATTRACT_PAGE (linli_attract_page_get_type ())
G_DECLARE_FINAL_TYPE (LinliAttractPage, linli_attract_page, LINLI, ATTRACT_PAGE, LinliPage)

LinliAttractPage *linli_attract_page_new (LinliKiosk *kiosk);
void linli_attract_page_show_notice (LinliAttractPage *self, const char *text);

G_END_DECLS
