/* linli-heartbeat-reporter.h — the kiosk's periodic heartbeat to the
 * county platform
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "linli-kiosk.h"
#include "linli-log-ring.h"
#include "linli-payment.h"

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

/* The heartbeat's counters since start. The kiosk counts a card accepted
 * for a resident, and a receipt the printer printed; a payment handed to
 * watch_payment is counted once when its order exists on the platform
 * (payments_created) and once when it is paid (payments_paid). Returns
 * @payment (transfer full), so it wraps linli_payment_new(). */
void linli_heartbeat_reporter_count_identification (LinliHeartbeatReporter *self);
void linli_heartbeat_reporter_count_receipt (LinliHeartbeatReporter *self);
LinliPayment *linli_heartbeat_reporter_watch_payment (LinliHeartbeatReporter *self,
                                                      LinliPayment *payment);
/* A submission of @kind (LINLI_OUTBOX_KIND_APPLICATION, …) written to the
 * outbox at this kiosk: counted as submitted. */
void linli_heartbeat_reporter_count_submission (LinliHeartbeatReporter *self, const char *kind);
void linli_heartbeat_reporter_get_submissions (LinliHeartbeatReporter *self,
                                               guint64 *applications,
                                               guint64 *certifications,
                                               guint64 *evaluations);
/* What the next heartbeat will carry (errors excepted). */
void linli_heartbeat_reporter_get_counters (LinliHeartbeatReporter *self,
                                            guint64 *identifications,
                                            guint64 *payments_created,
                                            guint64 *payments_paid,
                                            guint64 *receipts_printed);

G_END_DECLS
