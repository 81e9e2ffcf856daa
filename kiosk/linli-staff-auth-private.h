/* linli-staff-auth-private.h — the clock, for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "linli-staff-auth.h"

G_BEGIN_DECLS

/* Unix time in seconds. The default is wall time, so a lockout outlasts a
 * restart. */
typedef gint64 (*LinliStaffAuthClock) (gpointer user_data);

void linli_staff_auth_set_clock (LinliStaffAuth *self,
                                 LinliStaffAuthClock clock,
                                 gpointer user_data);

G_END_DECLS
