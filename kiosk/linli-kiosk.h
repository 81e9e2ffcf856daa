/* linli-kiosk.h: the state the screens show, and the intents they send. */
#pragma once

#include <gio/gio.h>

#include "linli-capture.h"
#include "linli-config.h"
#include "linli-form.h"
#include "linli-identity.h"
#include "linli-payment.h"
#include "linli-printout.h"
#include "linli-session.h"
#include "linli-service-tile.h"
#include "linli-voice.h"

G_BEGIN_DECLS

#define LINLI_TYPE_KIOSK (linli_kiosk_get_type ())
G_DECLARE_FINAL_TYPE (LinliKiosk, linli_kiosk, LINLI, KIOSK, GObject)

LinliKiosk *linli_kiosk_new (LinliConfig *config);

LinliConfig *linli_kiosk_get_config (LinliKiosk *self);
LinliSession *linli_kiosk_get_session (LinliKiosk *self);
GListModel *linli_kiosk_get_services (LinliKiosk *self);
GListModel *linli_kiosk_get_devices (LinliKiosk *self);
GListModel *linli_kiosk_get_usb_inventory (LinliKiosk *self);
GListModel *linli_kiosk_get_category_items (LinliKiosk *self, const char *category);
LinliServiceTile *linli_kiosk_find_tile (LinliKiosk *self, const char *code);
void linli_kiosk_start_platform (LinliKiosk *self);
gboolean linli_kiosk_get_platform_available (LinliKiosk *self);
/* The journeys that end in a printout (linli-kiosk-journeys.c). */
void linli_kiosk_query_async (LinliKiosk *self,
                              const char *item_code,
                              GCancellable *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer user_data);
LinliPrintout *linli_kiosk_query_finish (LinliKiosk *self, GAsyncResult *result, GError **error);
void linli_kiosk_print_async (LinliKiosk *self,
                              LinliPrintout *printout,
                              GCancellable *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer user_data);
gboolean linli_kiosk_print_finish (LinliKiosk *self, GAsyncResult *result, GError **error);
LinliPayment *linli_kiosk_start_payment (LinliKiosk *self, LinliPrintout *bill, GError **error);

/* The version of the consent text the certification's consent screen
 * shows; sent with the submission (linli-kiosk-certification.c). */
#define LINLI_CONSENT_TEXT_VERSION "linli-consent-2026-11"
void linli_kiosk_submit_certification_async (LinliKiosk *self,
                                             GBytes *photo,
                                             GDateTime *consent_at,
                                             GDateTime *captured_at,
                                             GCancellable *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer user_data);
LinliPrintout *linli_kiosk_submit_certification_finish (LinliKiosk *self,
                                                        GAsyncResult *result,
                                                        GError **error);

/* An application filed from a confirmed form (linli-kiosk-application.c). */
void linli_kiosk_submit_application_async (LinliKiosk *self,
                                           LinliForm *form,
                                           GCancellable *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer user_data);
LinliPrintout *linli_kiosk_submit_application_finish (LinliKiosk *self,
                                                      GAsyncResult *result,
                                                      GError **error);

const char *linli_kiosk_get_language (LinliKiosk *self);
void linli_kiosk_set_language (LinliKiosk *self, const char *language);
int linli_kiosk_get_text_size (LinliKiosk *self);
void linli_kiosk_set_text_size (LinliKiosk *self, int text_size);
gboolean linli_kiosk_get_high_contrast (LinliKiosk *self);
void linli_kiosk_set_high_contrast (LinliKiosk *self, gboolean high_contrast);
gboolean linli_kiosk_get_voice_enabled (LinliKiosk *self);
void linli_kiosk_set_voice_enabled (LinliKiosk *self, gboolean voice_enabled);

gboolean linli_kiosk_get_voice_available (LinliKiosk *self);
int linli_kiosk_get_volume_step (LinliKiosk *self);
void linli_kiosk_cycle_volume (LinliKiosk *self);
gboolean linli_kiosk_get_headphones (LinliKiosk *self);
guint linli_kiosk_speak (LinliKiosk *self, const char *text, LinliVoicePriority priority);
guint linli_kiosk_speak_private (LinliKiosk *self,
                                 const char *private_text,
                                 const char *public_text,
                                 LinliVoicePriority priority);
void linli_kiosk_stop_speaking (LinliKiosk *self);

void linli_kiosk_start_session (LinliKiosk *self);
void linli_kiosk_finish_session (LinliKiosk *self);
void linli_kiosk_user_activity (LinliKiosk *self);
void linli_kiosk_more_time (LinliKiosk *self);
void linli_kiosk_call_staff (LinliKiosk *self);
guint linli_kiosk_get_staff_calls (LinliKiosk *self);
guint64 linli_kiosk_get_sessions_served (LinliKiosk *self);
guint64 linli_kiosk_get_uptime_seconds (LinliKiosk *self);
typedef struct _LinliMaintenanceMode LinliMaintenanceMode;
LinliMaintenanceMode *linli_kiosk_get_maintenance (LinliKiosk *self);

void linli_kiosk_refresh_devices (LinliKiosk *self);
void linli_kiosk_start_readers (LinliKiosk *self);
LinliIdentity *linli_kiosk_get_identity (LinliKiosk *self);
gboolean linli_kiosk_get_card_inserted (LinliKiosk *self);

/* Staff sign-in (帮办人员登录, linli-kiosk-staff.c): the staff member who
 * acts for the resident of this visit. Signed out, audited, when the
 * session ends for any reason. Property "staff-id" follows it. */
void linli_kiosk_sign_in_staff_async (LinliKiosk *self,
                                      const char *staff_id,
                                      const char *pin,
                                      GCancellable *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer user_data);
gboolean linli_kiosk_sign_in_staff_finish (LinliKiosk *self,
                                           GAsyncResult *result,
                                           gint64 *locked_seconds,
                                           GError **error);
const char *linli_kiosk_get_staff_id (LinliKiosk *self);
void linli_kiosk_sign_out_staff (LinliKiosk *self);
gboolean linli_kiosk_get_staff_configured (LinliKiosk *self);

/* The camera screens' model (issue 7). */
LinliCapture *linli_kiosk_get_capture (LinliKiosk *self);

void linli_i18n_apply_language (const char *language);

G_END_DECLS
