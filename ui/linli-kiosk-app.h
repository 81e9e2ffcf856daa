/* linli-kiosk-app.h */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define LINLI_TYPE_KIOSK_APP (linli_kiosk_app_get_type ())
G_DECLARE_FINAL_TYPE (LinliKioskApp, linli_kiosk_app, LINLI, KIOSK_APP, GtkApplication)

LinliKioskApp *linli_kiosk_app_new (void);

G_END_DECLS
