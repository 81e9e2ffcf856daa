/* linli-maintenance-page.h: what a maintainer sees after the PIN.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "linli-kiosk.h"
#include "linli-page.h"

G_BEGIN_DECLS

/* One line of text for an item of the USB inventory model. */
typedef const char *(*LinliUsbDescribeFunc) (gpointer item);

#define LINLI_TYPE_MAINTENANCE_PAGE (linli_maintenance_page_get_type ())
G_DECLARE_FINAL_TYPE (
    LinliMaintenancePage, linli_maintenance_page, LINLI, MAINTENANCE_PAGE, LinliPage)

LinliMaintenancePage *linli_maintenance_page_new (LinliKiosk *kiosk);
/* Reads everything again (devices are probed anew, the platform is
 * checked); called each time the screen is shown. */
void linli_maintenance_page_refresh (LinliMaintenancePage *self);
/* The USB inventory, followed live. Each item is shown through @describe,
 * or, with @describe NULL, through its string property "summary".
 * @model: (nullable): NULL empties the list. */
void linli_maintenance_page_set_usb_model (LinliMaintenancePage *self,
                                           GListModel *model,
                                           LinliUsbDescribeFunc describe);

G_END_DECLS
