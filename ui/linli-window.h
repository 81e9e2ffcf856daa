/* linli-window.h: the kiosk's only window. */
#pragma once

#include <gtk/gtk.h>

#include "linli-kiosk-app.h"
#include "linli-kiosk.h"
#include "linli-maintenance-page.h"

G_BEGIN_DECLS

#define LINLI_TYPE_WINDOW (linli_window_get_type ())
G_DECLARE_FINAL_TYPE (LinliWindow, linli_window, LINLI, WINDOW, GtkApplicationWindow)

LinliWindow *linli_window_new (LinliKioskApp *application,
                               LinliKiosk *kiosk,
                               gboolean report_first_frame);
/* The USB inventory for the maintenance page (see linli-maintenance-page.h). */
void linli_window_set_usb_model (LinliWindow *self,
                                 GListModel *model,
                                 LinliUsbDescribeFunc describe);

G_END_DECLS
