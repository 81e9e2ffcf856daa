/* linli-devices.h: the devices the configuration names. */
#pragma once

#include <gio/gio.h>

#include "linli-config.h"

G_BEGIN_DECLS

GListModel *linli_devices_new_from_config (LinliConfig *config);

G_END_DECLS
