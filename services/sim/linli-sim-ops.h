/* linli-sim-ops.h — the 18 operations of services/platform.openapi.yaml, and
 * the state changes the control port offers (pay an order…)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Handlers are synchronous and run on the main thread; LinliSimServer wraps
 * every submission's handler in one transaction with its idempotency row. */
#pragma once

#include <libsoup/soup.h>

#include "linli-sim-db.h"
#include "linli-sim-response.h"

G_BEGIN_DECLS

#define LINLI_SIM_BASE_PATH "/linli/v1"

typedef struct
{
  guint payment_ttl_s;         /* a payment order's life (contract: 180-900) */
  guint ref_ttl_s;             /* a resident_ref's life (contract: 1800-86400) */
  guint certification_delay_s; /* pending certification -> accepted */
} LinliSimSettings;

typedef struct
{
  LinliSimDb *db;
  const LinliSimSettings *settings;
  const char *kiosk_id; /* the certificate's CN, checked */
  const char *operation;
  char **params;     /* the {} segments of the path, decoded */
  GHashTable *query; /* may be NULL */
  SoupMessageHeaders *headers;
  GBytes *body;
  SoupMultipart *multipart; /* multipart operations only */
  const char *idempotency_key;
  GDateTime *now;
} LinliSimRequest;

typedef LinliSimResponse *(*LinliSimHandler) (LinliSimRequest *request);

typedef enum
{
  LINLI_SIM_ROUTE_JSON_BODY = 1 << 0,  /* a JSON body is required */
  LINLI_SIM_ROUTE_MULTIPART = 1 << 1,  /* multipart/form-data */
  LINLI_SIM_ROUTE_IDEMPOTENT = 1 << 2, /* Idempotency-Key required, deduplicated */
} LinliSimRouteFlags;

typedef struct
{
  const char *method;
  const char *pattern; /* below the base path; {} is one segment */
  const char *operation;
  LinliSimHandler handler;
  LinliSimRouteFlags flags;
} LinliSimRoute;

/* The route of METHOD PATH (PATH below the base path), with the captured
 * segments in *PARAMS; NULL when no operation has that method and path. */
const LinliSimRoute *linli_sim_ops_find_route (const char *method,
                                               const char *path,
                                               char ***params);
/* Every operation, for the statistics. */
const LinliSimRoute *linli_sim_ops_get_routes (gsize *n_routes);

/* NULL when KIOSK_ID is registered and enabled; else the 403 answer. */
LinliSimResponse *linli_sim_ops_check_kiosk (LinliSimDb *db, const char *kiosk_id);

/* The strong ETag of the catalog KIOSK_ID sees (quoted). */
char *linli_sim_ops_catalog_etag (LinliSimDb *db, const char *kiosk_id, GError **error);

/* Control port. Each returns the JSON answer (errors in the contract's
 * Error shape, with the status they would have). */
LinliSimResponse *linli_sim_ops_pay_order (LinliSimDb *db, const char *order_id, GDateTime *now);
LinliSimResponse *linli_sim_ops_expire_order (LinliSimDb *db, const char *order_id, GDateTime *now);
LinliSimResponse *linli_sim_ops_set_application_status (LinliSimDb *db,
                                                        const char *number,
                                                        GBytes *body,
                                                        GDateTime *now);
LinliSimResponse *linli_sim_ops_put_kiosk (LinliSimDb *db,
                                           const char *kiosk_id,
                                           GBytes *body,
                                           GDateTime *now);
LinliSimResponse *linli_sim_ops_delete_kiosk (LinliSimDb *db, const char *kiosk_id);
LinliSimResponse *linli_sim_ops_publish_catalog (LinliSimDb *db, GDateTime *now);
LinliSimResponse *linli_sim_ops_put_maintenance (LinliSimDb *db, GBytes *body);
LinliSimResponse *linli_sim_ops_delete_maintenance (LinliSimDb *db);
LinliSimResponse *linli_sim_ops_expire_resident_refs (LinliSimDb *db);

/* The next number PREFIX + YYYYMMDD (today) + DIGITS-digit sequence not yet
 * in TABLE.COLUMN: application numbers, order ids… Call it inside the
 * transaction that inserts the number. */
char *linli_sim_ops_next_number (LinliSimDb *db,
                                 const char *table,
                                 const char *column,
                                 const char *prefix,
                                 GDateTime *day,
                                 int digits,
                                 GError **error);

/* Registers KIOSK_ID (enabled) unless it is known. */
gboolean linli_sim_ops_register_kiosk (LinliSimDb *db,
                                       const char *kiosk_id,
                                       GDateTime *now,
                                       GError **error);

G_END_DECLS
