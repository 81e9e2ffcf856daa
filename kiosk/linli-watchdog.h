/* linli-watchdog.h — the kiosk's side of systemd's service supervision
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * sd_notify(3) messages to the service manager: READY=1 once the first
 * screen is on the output, WATCHDOG=1 from the main loop, STATUS= lines,
 * STOPPING=1 on the way out. Outside systemd (no NOTIFY_SOCKET) every
 * function does nothing. See docs/appliance.md.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void linli_watchdog_start (void);
void linli_watchdog_ready (void);
void linli_watchdog_status (const char *status);
void linli_watchdog_stopping (void);
guint64 linli_watchdog_interval_usec (void);

G_END_DECLS
