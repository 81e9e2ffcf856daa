/* linli-kiosk-private.h — what kiosk/ itself reaches in LinliKiosk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Kept out of linli-kiosk.h so that ui/ never includes the platform's
 * types (and their JSON library).
 */
#pragma once

#include "linli-catalog.h"
#include "linli-heartbeat-reporter.h" /* its counters, for the journeys that count */
#include "linli-kiosk.h"
#include "linli-platform-link.h"
#include "linli-receipt.h"
#include "linli-resident.h"

G_BEGIN_DECLS

void linli_kiosk_set_catalog (LinliKiosk *self, LinliCatalog *catalog);
LinliCatalog *linli_kiosk_get_catalog (LinliKiosk *self);
LinliPlatformLink *linli_kiosk_get_platform_link (LinliKiosk *self);
LinliResident *linli_kiosk_get_resident (LinliKiosk *self);

typedef struct _LinliHeartbeatReporter LinliHeartbeatReporter;
LinliHeartbeatReporter *linli_kiosk_get_heartbeat_reporter (LinliKiosk *self);

/* The built-in template @template_name with what every receipt carries
 * set: county, centre (when the template has it), date and time, kiosk id. */
LinliReceipt *linli_kiosk_new_receipt (LinliKiosk *self, const char *template_name, GError **error);

/* Keeps @printout's receipt by its number for a reprint (linli-diag
 * receipt), when it has both and the index is configured. */
void linli_kiosk_keep_receipt (LinliKiosk *self, LinliPrintout *printout);

/* An amount in fen as the screen writes it, in yuan with two decimals
 * (linli-kiosk-journeys.c). */
char *linli_format_screen_yuan (gint64 fen);

/* Staff sign-in's state (linli-kiosk-staff.c). */
typedef struct _LinliKioskStaff LinliKioskStaff;
LinliKioskStaff *linli_kiosk_staff_new (LinliKiosk *kiosk);
void linli_kiosk_staff_free (LinliKioskStaff *staff);
LinliKioskStaff *linli_kiosk_get_staff (LinliKiosk *self);
void linli_kiosk_audit_staff_action (LinliKiosk *self, const char *action, const char *detail);

G_END_DECLS
