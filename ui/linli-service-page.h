/* linli-service-page.h: the screen a service tile opens. */
#pragma once

#include <gtk/gtk.h>

#include "linli-page.h"

#include "linli-kiosk.h"

G_BEGIN_DECLS

#define LINLI_TYPE_SERVICE_PAGE (linli_service_page_get_type ())
G_DECLARE_FINAL_TYPE (LinliServicePage, linli_service_page, LINLI, SERVICE_PAGE, LinliPage)

LinliServicePage *linli_service_page_new (LinliKiosk *kiosk);
void linli_service_page_set_tile (LinliServicePage *self, LinliServiceTile *tile);
void linli_service_page_submit_certification (LinliServicePage *self,
                                              LinliServiceTile *tile,
                                              GBytes *photo,
                                              GDateTime *consent_at,
                                              GDateTime *captured_at);

void linli_service_page_submit_application (LinliServicePage *self,
                                            LinliServiceTile *tile,
                                            LinliForm *form);

G_END_DECLS
