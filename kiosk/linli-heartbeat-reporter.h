/* linli-heartbeat-reporter.h — the kiosk's periodic heartbeat to the
 * county platform
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "linli-kiosk.h"
#include "linli-log-ring.h"

G_BEGIN_DECLS

#define LINLI_TYPE_HEARTBEAT_REPORTER (linli_heartbeat_reporter_get_type ())
G_DECLARE_FINAL_TYPE (
    LinliHeartbeatReporter, linli_heartbeat_reporter, LINLI, HEARTBEAT_REPORTER, GObject)

/* @kiosk: (transfer none): what is reported; it must outlive the reporter
 * (the kiosk owns it). @ring: (nullable): counts the errors reported. */
LinliHeartbeatReporter *linli_heartbeat_reporter_new (LinliKiosk *kiosk, LinliLogRing *ring);

/* Every [platform] heartbeat-interval seconds, the first one at once; does
 * nothing without a platform or with an interval of 0. */
void linli_heartbeat_reporter_start (LinliHeartbeatReporter *self);
void linli_heartbeat_reporter_stop (LinliHeartbeatReporter *self);
/* One heartbeat now (unless one is under way). */
void linli_heartbeat_reporter_send_now (LinliHeartbeatReporter *self);

/* Unix time (seconds) of the last heartbeat the platform acknowledged, 0
 * for none yet. */
gint64 linli_heartbeat_reporter_get_last_success (LinliHeartbeatReporter *self);
/* Why the last attempt failed (for maintainers), NULL after a success. */
const char *linli_heartbeat_reporter_get_last_error (LinliHeartbeatReporter *self);
guint linli_heartbeat_reporter_get_interval (LinliHeartbeatReporter *self);

G_END_DECLS
