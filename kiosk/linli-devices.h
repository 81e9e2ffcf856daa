/* linli-devices.h: the devices the configuration names. */
#pragma once

#include <gio/gio.h>

#include "linli-config.h"
#include "linli-usb-inventory.h"

G_BEGIN_DECLS

GListModel *linli_devices_new_from_config (LinliConfig *config);
/* The USB inventory with the roles of [usb]; not started. */
LinliUsbInventory *linli_devices_new_usb_inventory (LinliConfig *config);

G_END_DECLS
