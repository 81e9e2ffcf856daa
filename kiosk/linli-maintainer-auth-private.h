/* linli-maintainer-auth-private.h — the clock, for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "linli-maintainer-auth.h"

G_BEGIN_DECLS

/* Unix time in seconds. The default is g_get_real_time (): wall time, so a
 * lockout outlasts a restart. */
typedef gint64 (*LinliMaintainerAuthClock) (gpointer user_data);

void linli_maintainer_auth_set_clock (LinliMaintainerAuth *self,
                                      LinliMaintainerAuthClock clock,
                                      gpointer user_data);

G_END_DECLS
