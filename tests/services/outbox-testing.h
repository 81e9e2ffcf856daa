/* outbox-testing.h — what the outbox's rig tests, its kill -9 driver and its
 * benchmark share: the platform from the rig's variables, a resident, an
 * application body, the simulator's fault switches and database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tests/rigs/platform-rig.sh exports LINLI_PLATFORM_URL, _CA, _CERT, _KEY,
 * _KIOSK_ID, LINLI_SIM_CONTROL and LINLI_SIM_DB.
 */
#pragma once

#include "linli-outbox.h"
#include "linli-platform.h"

G_BEGIN_DECLS

/* 王小明 in the simulator's seed (services/sim/seed/residents.json). */
#define OUTBOX_TESTING_ID_NUMBER "110101199003071233"
/* 卓玛: retired, her certifications are accepted at once. */
#define OUTBOX_TESTING_RETIREE_ID_NUMBER "540102196410010027"
/* An application item with a text field (destination, 2-50 characters)
 * and one document; staff only. */
#define OUTBOX_TESTING_ITEM "330102-YB-0010"

/* NULL (and the missing variable named in @error) outside the rig. */
LinliPlatform *outbox_testing_platform (GError **error);

/* Runs the default main context until *@done. */
void outbox_testing_wait (gboolean *done);

/* A resident_ref for @id_number. */
char *outbox_testing_resident_ref (LinliPlatform *platform, const char *id_number, GError **error);

/* A createApplication body for OUTBOX_TESTING_ITEM whose destination field
 * is @destination, with one JPEG page of @page_size bytes (at least 4)
 * whose bytes after the JPEG marker repeat @page_fill. */
GBytes *outbox_testing_application (const char *resident_ref,
                                    const char *destination,
                                    gsize page_size,
                                    const char *page_fill,
                                    char **content_type,
                                    GError **error);

/* A submitPensionCertification body with a JPEG photo of @photo_size
 * bytes (at least 100). */
GBytes *outbox_testing_certification (gsize photo_size, char **content_type, GError **error);

/* linli_outbox_flush_async(), waited for. */
gboolean outbox_testing_flush (LinliOutbox *outbox, GError **error);

/* The simulator's control port: add a fault ({"kind": …}), clear all. */
gboolean outbox_testing_fault (const char *json, GError **error);
gboolean outbox_testing_clear_faults (GError **error);

/* The first column of a one-row query on the simulator's database, with
 * @arg (may be NULL) bound to ?1; -1 on error. */
gint64 outbox_testing_sim_int (const char *sql, const char *arg);

G_END_DECLS
