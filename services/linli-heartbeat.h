/* linli-heartbeat.h — the kiosk's heartbeat (Heartbeat) and the platform's
 * answer (HeartbeatAck)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "linli-platform-json.h"

G_BEGIN_DECLS

/* ---- What the kiosk sends ---- */

typedef struct
{
  guint64 sessions;
  guint64 identifications;
  guint64 payments_created;
  guint64 payments_paid;
  guint64 applications_submitted;
  guint64 certifications_submitted;
  guint64 evaluations_submitted;
  guint64 receipts_printed;
  guint64 errors;
} LinliHeartbeatCounters;

typedef struct _LinliHeartbeat LinliHeartbeat;

/* @sent_at: NULL for now. */
LinliHeartbeat *linli_heartbeat_new (const char *kiosk_id,
                                     const char *version,
                                     GDateTime *sent_at,
                                     guint64 uptime_s);
void linli_heartbeat_free (LinliHeartbeat *self);
void linli_heartbeat_set_catalog_etag (LinliHeartbeat *self, const char *etag);
/* @kind: id_reader, card_reader, printer, camera, voice; @state: absent,
 * ready, busy, fault (the names of devices/linli-device.h); @detail: NULL or
 * ≤ 200 characters for a maintainer, never personal data. */
void linli_heartbeat_add_device (LinliHeartbeat *self,
                                 const char *kind,
                                 const char *name,
                                 const char *state,
                                 const char *detail);
/* ok, low, out, unknown (the default). */
void linli_heartbeat_set_paper (LinliHeartbeat *self, const char *paper);
/* @oldest_at: NULL when the outbox is empty. */
void linli_heartbeat_set_outbox (LinliHeartbeat *self, guint64 depth, GDateTime *oldest_at);
void linli_heartbeat_set_counters (LinliHeartbeat *self, const LinliHeartbeatCounters *counters);

/* The JSON body of sendHeartbeat (POST /heartbeat), checked against the
 * contract first. *content_type (may be NULL): "application/json". */
GBytes *linli_platform_encode_heartbeat (LinliHeartbeat *heartbeat,
                                         char **content_type,
                                         GError **error);

/* ---- The answer ---- */

typedef struct
{
  GDateTime *from;
  GDateTime *until; /* after from */
  LinliLocalizedText *message;
} LinliMaintenance;

typedef struct
{
  GDateTime *server_time;
  char *catalog_etag;
  LinliMaintenance *maintenance; /* or NULL */
} LinliHeartbeatAck;

GType linli_heartbeat_ack_get_type (void) G_GNUC_CONST;
#define LINLI_TYPE_HEARTBEAT_ACK (linli_heartbeat_ack_get_type ())
LinliHeartbeatAck *linli_heartbeat_ack_new_from_json (JsonNode *node, GError **error);
LinliHeartbeatAck *linli_heartbeat_ack_ref (LinliHeartbeatAck *self);
void linli_heartbeat_ack_unref (LinliHeartbeatAck *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LinliHeartbeat, linli_heartbeat_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LinliHeartbeatAck, linli_heartbeat_ack_unref)

G_END_DECLS
