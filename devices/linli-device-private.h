/* linli-device-private.h: for device implementations only. */
#pragma once

#include "linli-device.h"

G_BEGIN_DECLS

void linli_device_set_state (LinliDevice *self, LinliDeviceState state, const char *detail);

G_END_DECLS
