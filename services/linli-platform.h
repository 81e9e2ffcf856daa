/* linli-platform.h — the kiosk's client of the county platform
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HTTPS with the kiosk's client certificate and the platform CA pinned (the
 * contract is services/platform.openapi.yaml). Everything that waits is a
 * GTask with a GCancellable; errors are LINLI_PLATFORM_ERROR (or
 * G_IO_ERROR_CANCELLED). docs/platform-client.md explains the policies:
 * timeouts, retries, limits, the catalog cache.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "linli-application.h"
#include "linli-catalog-cache.h"
#include "linli-catalog.h"
#include "linli-heartbeat.h"
#include "linli-medical-insurance.h"
#include "linli-payment-order.h"
#include "linli-platform-error.h"
#include "linli-resident.h"
#include "linli-social-security.h"
#include "linli-utility-bill.h"

G_BEGIN_DECLS

#define LINLI_TYPE_PLATFORM (linli_platform_get_type ())
G_DECLARE_FINAL_TYPE (LinliPlatform, linli_platform, LINLI, PLATFORM, GObject)

/* Defaults of the contract's x-linli-transport. */
#define LINLI_PLATFORM_TIMEOUT_MS        15000
#define LINLI_PLATFORM_UPLOAD_TIMEOUT_MS 60000
#define LINLI_PLATFORM_MAX_RESPONSE      (4u << 20)

/* base_url: e.g. https://127.0.0.1:8443/linli/v1 (no trailing slash needed).
 * ca_file: the only CA trusted for the server (never the system store).
 * cert_file, key_file: the kiosk's client certificate and key (PEM).
 * kiosk_id: sent as X-Linli-Kiosk-Id; equals the certificate's CN. */
LinliPlatform *linli_platform_new (const char *base_url,
                                   const char *kiosk_id,
                                   const char *ca_file,
                                   const char *cert_file,
                                   const char *key_file,
                                   GError **error);

const char *linli_platform_get_base_url (LinliPlatform *self);
const char *linli_platform_get_kiosk_id (LinliPlatform *self);

/* "zh_CN" (default) or "en": the Accept-Language header, and which of the
 * platform's messages (message or message_en) an error carries. */
void linli_platform_set_language (LinliPlatform *self, const char *language);
const char *linli_platform_get_language (LinliPlatform *self);

/* Per attempt, connection included: 15 s, and 60 s for multipart uploads
 * (settable for tests). */
void linli_platform_set_timeouts (LinliPlatform *self, guint request_ms, guint upload_ms);
/* Retries of GETs and of POSTs with an Idempotency-Key (never of other
 * POSTs): at most @max_attempts attempts (default 3), waiting @first_delay_ms
 * (default 500), then twice as long each time, or the platform's
 * Retry-After when longer; a Retry-After beyond @max_retry_after_ms (default
 * 10 000) is not waited for: the error is returned with it. */
void linli_platform_set_retry_policy (LinliPlatform *self,
                                      guint max_attempts,
                                      guint first_delay_ms,
                                      guint max_retry_after_ms);
/* FALSE: "Connection: close" on every request (for measurements). */
void linli_platform_set_keep_alive (LinliPlatform *self, gboolean keep_alive);
/* Where get_catalog keeps the last catalog (NULL: none). */
void linli_platform_set_catalog_cache (LinliPlatform *self, LinliCatalogCache *cache);

/* A submission, exactly as the outbox stores and resends it: POST to path
 * (relative to the base URL, e.g. "/applications") with the body and its
 * content type, and the Idempotency-Key header. Resent with the same key
 * after a timeout, a dropped connection, a 5xx or a 429 within the call.
 * Returns the platform's JSON answer (201, or 200 when replayed). */
void linli_platform_submit_async (LinliPlatform *self,
                                  const char *path,
                                  const char *content_type,
                                  GBytes *body,
                                  const char *idempotency_key,
                                  GCancellable *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer user_data);
JsonNode *linli_platform_submit_finish (LinliPlatform *self, GAsyncResult *result, GError **error);

/* Paths of the submissions, for the outbox (NULL when an argument breaks
 * the contract's pattern). */
#define LINLI_PLATFORM_PATH_APPLICATIONS "/applications"
#define LINLI_PLATFORM_PATH_PAYMENTS     "/payments"
char *linli_platform_path_pension_certifications (const char *resident_ref);
char *linli_platform_path_evaluation (const char *application_number);

/* ---- Typed operations: one per operation of the contract ---- */

/* getCatalog. With a cache: revalidates with If-None-Match, keeps a new
 * catalog (with its ETag) on disk, and when the platform cannot give one
 * (unreachable, failing, or an invalid answer) returns the cached catalog
 * with *stale set to TRUE. Without a cache, or with an empty one, those
 * are errors. */
void linli_platform_get_catalog_async (LinliPlatform *self,
                                       GCancellable *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer user_data);
LinliCatalog *linli_platform_get_catalog_finish (LinliPlatform *self,
                                                 GAsyncResult *result,
                                                 gboolean *stale,
                                                 GError **error);

/* getCatalogItem */
void linli_platform_get_catalog_item_async (LinliPlatform *self,
                                            const char *item_code,
                                            GCancellable *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer user_data);
LinliCatalogItem *linli_platform_get_catalog_item_finish (LinliPlatform *self,
                                                          GAsyncResult *result,
                                                          GError **error);

/* lookupResident: the identity number goes only into the JSON body, never
 * into a URL or a log. @card_valid_until (YYYY-MM-DD) and @staff_id may be
 * NULL. */
void linli_platform_lookup_resident_async (LinliPlatform *self,
                                           const char *id_number,
                                           LinliLookupSource source,
                                           const char *card_valid_until,
                                           const char *staff_id,
                                           GCancellable *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer user_data);
LinliResident *linli_platform_lookup_resident_finish (LinliPlatform *self,
                                                      GAsyncResult *result,
                                                      GError **error);

/* getContributionRecord */
void linli_platform_get_contributions_async (LinliPlatform *self,
                                             const char *resident_ref,
                                             int year,
                                             GCancellable *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer user_data);
LinliContributionRecord *linli_platform_get_contributions_finish (LinliPlatform *self,
                                                                  GAsyncResult *result,
                                                                  GError **error);

/* getInsuredCertificate */
void linli_platform_get_insured_certificate_async (LinliPlatform *self,
                                                   const char *resident_ref,
                                                   GCancellable *cancellable,
                                                   GAsyncReadyCallback callback,
                                                   gpointer user_data);
LinliInsuredCertificate *linli_platform_get_insured_certificate_finish (LinliPlatform *self,
                                                                        GAsyncResult *result,
                                                                        GError **error);

/* submitPensionCertification: @body and @content_type from
 * linli_platform_encode_pension_certification() (or the outbox). */
void linli_platform_submit_pension_certification_async (LinliPlatform *self,
                                                        const char *resident_ref,
                                                        const char *content_type,
                                                        GBytes *body,
                                                        const char *idempotency_key,
                                                        GCancellable *cancellable,
                                                        GAsyncReadyCallback callback,
                                                        gpointer user_data);
LinliPensionCertification *linli_platform_submit_pension_certification_finish (LinliPlatform *self,
                                                                               GAsyncResult *result,
                                                                               GError **error);

/* getPensionCertification */
void linli_platform_get_pension_certification_async (LinliPlatform *self,
                                                     const char *certification_id,
                                                     GCancellable *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer user_data);
LinliPensionCertification *linli_platform_get_pension_certification_finish (LinliPlatform *self,
                                                                            GAsyncResult *result,
                                                                            GError **error);

/* getMedicalInsuranceAccount; @limit 0: the platform's default. */
void linli_platform_get_medical_account_async (LinliPlatform *self,
                                               const char *resident_ref,
                                               guint limit,
                                               GCancellable *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer user_data);
LinliMedicalInsuranceAccount *linli_platform_get_medical_account_finish (LinliPlatform *self,
                                                                         GAsyncResult *result,
                                                                         GError **error);

/* getMedicalContributionDue; @year 0: the year open for payment. */
void linli_platform_get_medical_contribution_due_async (LinliPlatform *self,
                                                        const char *resident_ref,
                                                        int year,
                                                        GCancellable *cancellable,
                                                        GAsyncReadyCallback callback,
                                                        gpointer user_data);
LinliContributionDue *linli_platform_get_medical_contribution_due_finish (LinliPlatform *self,
                                                                          GAsyncResult *result,
                                                                          GError **error);

/* listUtilityBills */
void linli_platform_list_utility_bills_async (LinliPlatform *self,
                                              LinliUtilityType type,
                                              const char *account_number,
                                              GCancellable *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer user_data);
LinliUtilityBills *linli_platform_list_utility_bills_finish (LinliPlatform *self,
                                                             GAsyncResult *result,
                                                             GError **error);

/* createPaymentOrder: @idempotency_key is the caller's (a UUID, the same for
 * every try of this order); @resident_ref may be NULL. */
void linli_platform_create_payment_order_async (LinliPlatform *self,
                                                LinliPayableKind kind,
                                                const char *payable_id,
                                                gint64 expected_amount_fen,
                                                const char *resident_ref,
                                                const char *idempotency_key,
                                                GCancellable *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer user_data);
LinliPaymentOrder *linli_platform_create_payment_order_finish (LinliPlatform *self,
                                                               GAsyncResult *result,
                                                               GError **error);

/* getPaymentOrder */
void linli_platform_get_payment_order_async (LinliPlatform *self,
                                             const char *order_id,
                                             GCancellable *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer user_data);
LinliPaymentOrder *linli_platform_get_payment_order_finish (LinliPlatform *self,
                                                            GAsyncResult *result,
                                                            GError **error);

/* cancelPaymentOrder: a POST without a key, so never retried. */
void linli_platform_cancel_payment_order_async (LinliPlatform *self,
                                                const char *order_id,
                                                GCancellable *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer user_data);
LinliPaymentOrder *linli_platform_cancel_payment_order_finish (LinliPlatform *self,
                                                               GAsyncResult *result,
                                                               GError **error);

/* createApplication: @body and @content_type from
 * linli_platform_encode_application() (or the outbox). */
void linli_platform_create_application_async (LinliPlatform *self,
                                              const char *content_type,
                                              GBytes *body,
                                              const char *idempotency_key,
                                              GCancellable *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer user_data);
LinliApplication *linli_platform_create_application_finish (LinliPlatform *self,
                                                            GAsyncResult *result,
                                                            GError **error);

/* getApplication */
void linli_platform_get_application_async (LinliPlatform *self,
                                           const char *application_number,
                                           GCancellable *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer user_data);
LinliApplication *linli_platform_get_application_finish (LinliPlatform *self,
                                                         GAsyncResult *result,
                                                         GError **error);

/* listResidentApplications; @status ("accepted"…) may be NULL, @limit 0:
 * the platform's default. */
void linli_platform_list_resident_applications_async (LinliPlatform *self,
                                                      const char *resident_ref,
                                                      const char *status,
                                                      guint limit,
                                                      GCancellable *cancellable,
                                                      GAsyncReadyCallback callback,
                                                      gpointer user_data);
LinliApplicationList *linli_platform_list_resident_applications_finish (LinliPlatform *self,
                                                                        GAsyncResult *result,
                                                                        GError **error);

/* submitEvaluation: @body from linli_platform_encode_evaluation() (or the
 * outbox). */
void linli_platform_submit_evaluation_async (LinliPlatform *self,
                                             const char *application_number,
                                             GBytes *body,
                                             const char *idempotency_key,
                                             GCancellable *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer user_data);
LinliEvaluation *linli_platform_submit_evaluation_finish (LinliPlatform *self,
                                                          GAsyncResult *result,
                                                          GError **error);

/* sendHeartbeat */
void linli_platform_send_heartbeat_async (LinliPlatform *self,
                                          LinliHeartbeat *heartbeat,
                                          GCancellable *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer user_data);
LinliHeartbeatAck *linli_platform_send_heartbeat_finish (LinliPlatform *self,
                                                         GAsyncResult *result,
                                                         GError **error);

G_END_DECLS
