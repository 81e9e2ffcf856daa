/* linli-maintenance-mode.h — maintenance mode's model: entry with the
 * maintainer PIN, and the actions the maintenance screens call
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * (Named LinliMaintenanceMode: services/linli-heartbeat.h already has a
 * LinliMaintenance, the platform's announced maintenance window.)
 */
#pragma once

#include <gio/gio.h>

#include "linli-kiosk.h"
#include "linli-log-ring.h"

G_BEGIN_DECLS

/* linli-kiosk exits with this status on "restart the kiosk";
 * systemd's Restart=always starts it again. */
#define LINLI_MAINTENANCE_EXIT_RESTART 75

#define LINLI_TYPE_MAINTENANCE_MODE (linli_maintenance_mode_get_type ())
G_DECLARE_FINAL_TYPE (
    LinliMaintenanceMode, linli_maintenance_mode, LINLI, MAINTENANCE_MODE, GObject)

/* @kiosk: (transfer none): must outlive the mode (the kiosk owns it). The
 * audit file is opened at the first attempt to enter. */
LinliMaintenanceMode *linli_maintenance_mode_new (LinliKiosk *kiosk);

/* FALSE without [maintenance] pin-hash: the PIN screen says so. */
gboolean linli_maintenance_mode_is_configured (LinliMaintenanceMode *self);
gboolean linli_maintenance_mode_get_active (LinliMaintenanceMode *self);
gint64 linli_maintenance_mode_get_locked_seconds (LinliMaintenanceMode *self);

/* Ends any resident session first. Errors are LINLI_MAINTAINER_AUTH_ERROR
 * (LOCKED_OUT with *locked_seconds) or LINLI_AUDIT_ERROR (no audit file:
 * nothing may happen unaudited). */
void linli_maintenance_mode_enter_async (LinliMaintenanceMode *self,
                                         const char *pin,
                                         GCancellable *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer user_data);
gboolean linli_maintenance_mode_enter_finish (LinliMaintenanceMode *self,
                                              GAsyncResult *result,
                                              gint64 *locked_seconds,
                                              GError **error);
void linli_maintenance_mode_exit (LinliMaintenanceMode *self);

/* ---- inactivity ----
 * The PIN pad calls begin_entry when it opens and end_entry when it
 * closes; after [maintenance] pin-timeout seconds without input in
 * between, ::entry-timed-out is emitted. While active, [maintenance]
 * idle-timeout seconds without input leave maintenance mode ("active"
 * becomes FALSE). Both are audited as "maintenance-timeout". The kiosk
 * calls note_activity on every touch, click or key. */
void linli_maintenance_mode_begin_entry (LinliMaintenanceMode *self);
void linli_maintenance_mode_end_entry (LinliMaintenanceMode *self);
void linli_maintenance_mode_note_activity (LinliMaintenanceMode *self);

/* ---- actions (each audited; only while active) ---- */

/* The print-test receipt on the kiosk's printer, finished when CUPS says
 * the job completed (or with the printer's reason). */
void linli_maintenance_mode_test_print_async (LinliMaintenanceMode *self,
                                              GCancellable *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer user_data);
gboolean linli_maintenance_mode_test_print_finish (LinliMaintenanceMode *self,
                                                   GAsyncResult *result,
                                                   GError **error);
/* The next card read is described by ::card-tested ("card type + masked
 * number") instead of starting a session. */
void linli_maintenance_mode_arm_card_test (LinliMaintenanceMode *self);
/* The kiosk calls this for every card read; TRUE: taken by maintenance. */
gboolean linli_maintenance_mode_take_card (LinliMaintenanceMode *self,
                                           const char *card_type,
                                           const char *masked_number);
void linli_maintenance_mode_voice_test (LinliMaintenanceMode *self);
guint linli_maintenance_mode_get_outbox_depth (LinliMaintenanceMode *self);
void linli_maintenance_mode_retry_outbox (LinliMaintenanceMode *self);
/* Returns: (transfer full) (element-type LinliLogEntry) */
GPtrArray *linli_maintenance_mode_dup_logs (LinliMaintenanceMode *self);
/* Unix seconds of the last acknowledged heartbeat, 0 for none. */
gint64 linli_maintenance_mode_get_last_heartbeat (LinliMaintenanceMode *self);
const char *linli_maintenance_mode_get_last_heartbeat_error (LinliMaintenanceMode *self);
/* The printer's paper in words for maintainers (纸张正常, 缺纸…), through
 * gettext. */
const char *linli_maintenance_mode_get_paper_text (LinliMaintenanceMode *self);
/* One line for the device health list: "kind name: state — detail", in
 * words through gettext. @device: a LinliDevice of linli_kiosk_get_devices(). */
char *linli_maintenance_mode_describe_device (LinliMaintenanceMode *self, gpointer device);
/* One full-size picture with the kiosk's camera, as JPEG bytes to show;
 * never written anywhere. Audited with its size only. */
void linli_maintenance_mode_camera_snapshot_async (LinliMaintenanceMode *self,
                                                   GCancellable *cancellable,
                                                   GAsyncReadyCallback callback,
                                                   gpointer user_data);
GBytes *linli_maintenance_mode_camera_snapshot_finish (
    LinliMaintenanceMode *self, GAsyncResult *result, int *width, int *height, GError **error);
/* Audits the reachability check the screen is about to make. */
void linli_maintenance_mode_note_platform_check (LinliMaintenanceMode *self);
/* Audits, then exits the process with LINLI_MAINTENANCE_EXIT_RESTART. */
G_NORETURN void linli_maintenance_mode_restart (LinliMaintenanceMode *self);

G_END_DECLS
