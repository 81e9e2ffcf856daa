/* linli-outbox.h — submissions kept on disk until the platform confirms them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every submission to the county platform (application, pension
 * certification, evaluation, payment order) is written here with a fresh
 * idempotency key before anything is sent, sent in the background in the
 * order it came, resent with the same key until the platform answers, and
 * removed only when the platform confirms it. See docs/outbox.md.
 *
 * One LinliOutbox per file, used from the thread whose thread-default main
 * context was current at linli_outbox_open(); signals are emitted there.
 *
 * Signals:
 *   entry-delivered (const char *kind, const char *key, JsonNode *answer)
 *       the platform confirmed it (201, or 200 when replayed); the entry is
 *       gone from the file.
 *   entry-refused (const char *kind, const char *key, GError *error)
 *       the platform refused it for good (linli_platform_error_is_definitive);
 *       kept without its body for staff, never sent again.
 *   attempt-failed (const char *kind, const char *key, GError *error)
 *       an attempt failed for now; the entry waits and is sent again.
 *   depth-changed (guint depth)
 *       the number of pending entries changed.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "linli-outbox-entry.h"
#include "linli-outbox-error.h"
#include "linli-platform.h"

G_BEGIN_DECLS

/* The kinds the kiosk submits (any other [a-z0-9-] word is accepted). */
#define LINLI_OUTBOX_KIND_APPLICATION           "application"
#define LINLI_OUTBOX_KIND_PENSION_CERTIFICATION "pension-certification"
#define LINLI_OUTBOX_KIND_EVALUATION            "evaluation"
#define LINLI_OUTBOX_KIND_PAYMENT_ORDER         "payment-order"

/* The contract's largest request body (multipart uploads). */
#define LINLI_OUTBOX_MAX_BODY_SIZE (16 * 1024 * 1024)

#define LINLI_TYPE_OUTBOX (linli_outbox_get_type ())
G_DECLARE_FINAL_TYPE (LinliOutbox, linli_outbox, LINLI, OUTBOX, GObject)

/* Opens the outbox at @path, creating it (mode 0600, and its directory
 * 0700) if needed and migrating an older schema. A file of another user is
 * refused; a file readable by others is made 0600, with a warning. */
LinliOutbox *linli_outbox_open (const char *path, GError **error);
const char *linli_outbox_get_path (LinliOutbox *self);

/* Writes a submission with a new idempotency key (UUID v4) and returns
 * once it is on disk (synced: it survives a crash or a power cut), so the
 * caller may tell the resident it is submitted. @path is relative to the
 * platform's base URL ("/applications"). @out_key (optional) receives the
 * key, which names the entry in the signals. Starts sending it at once
 * when the outbox is started and nothing older waits. */
gboolean linli_outbox_enqueue (LinliOutbox *self,
                               const char *kind,
                               const char *path,
                               const char *content_type,
                               GBytes *body,
                               char **out_key,
                               GError **error);

/* Pending entries (refused ones not counted). */
guint linli_outbox_get_depth (LinliOutbox *self);
/* When the oldest pending entry was enqueued (UTC); NULL when none. */
GDateTime *linli_outbox_get_oldest (LinliOutbox *self);
/* Every entry, pending and refused, oldest first, without bodies:
 * LinliOutboxEntry elements. */
GPtrArray *linli_outbox_list (LinliOutbox *self, GError **error);

/* Counts over the file's whole life. */
typedef struct
{
  guint64 enqueued;
  guint64 delivered;
  guint64 refused;
} LinliOutboxCounters;

gboolean linli_outbox_get_counters (LinliOutbox *self,
                                    LinliOutboxCounters *counters,
                                    GError **error);

/* Removes refused entries: the one with @idempotency_key, or all when
 * NULL (staff have seen them). Pending entries are never removed here. */
gboolean linli_outbox_clear_refused (LinliOutbox *self,
                                     const char *idempotency_key,
                                     guint *n_cleared,
                                     GError **error);

/* Delivery. start: send pending entries through @platform, one at a time,
 * oldest first, waiting between failed attempts (exponential backoff with
 * jitter, at least the platform's retry_after). stop: cancel the request in
 * flight (the entry stays pending) and stop sending. kick: try the oldest
 * pending entry now, whatever its wait (the network came back). */
void linli_outbox_start (LinliOutbox *self, LinliPlatform *platform);
void linli_outbox_stop (LinliOutbox *self);
gboolean linli_outbox_is_started (LinliOutbox *self);
void linli_outbox_kick (LinliOutbox *self);

/* Sends now, ignoring waits, until no entry is pending (TRUE) or an
 * attempt fails for now (FALSE, with the platform's error: unreachable,
 * busy…). Refused entries do not stop it. LINLI_OUTBOX_ERROR_NOT_STARTED
 * when not started or stopped meanwhile. Cancelling @cancellable ends the
 * wait, not the delivery. */
void linli_outbox_flush_async (LinliOutbox *self,
                               GCancellable *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer user_data);
gboolean linli_outbox_flush_finish (LinliOutbox *self, GAsyncResult *result, GError **error);

/* Waits for one entry's answer (linli-outbox-wait.c): the answer once it is
 * delivered, the platform's error once refused, G_IO_ERROR_TIMED_OUT or
 * G_IO_ERROR_CANCELLED; the entry stays pending and is sent all the same
 * when the wait ends first. */
void linli_outbox_wait_async (LinliOutbox *self,
                              const char *idempotency_key,
                              guint timeout_seconds,
                              GCancellable *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer user_data);
JsonNode *linli_outbox_wait_finish (LinliOutbox *self, GAsyncResult *result, GError **error);

/* The wait after the first failed attempt, doubling up to @max_ms
 * (defaults 2 s and 5 min; also the properties "retry-initial-ms" and
 * "retry-max-ms"). */
void linli_outbox_set_retry (LinliOutbox *self, guint initial_ms, guint max_ms);

G_END_DECLS
