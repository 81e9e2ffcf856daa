/* linli-outbox-entry.h — one outbox entry as the maintenance view sees it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything about an entry except its body: the body holds personal data
 * (forms, photos, scanned pages) and never leaves the outbox except towards
 * the platform.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  LINLI_OUTBOX_STATE_PENDING, /* waiting to be sent, or being sent */
  LINLI_OUTBOX_STATE_REFUSED, /* the platform refused it for good; kept for staff to see */
} LinliOutboxState;

const char *linli_outbox_state_to_string (LinliOutboxState state);

#define LINLI_TYPE_OUTBOX_ENTRY (linli_outbox_entry_get_type ())
GType linli_outbox_entry_get_type (void);

typedef struct
{
  gint64 id;             /* the order of enqueueing */
  char *kind;            /* "application", "pension-certification", "evaluation"… */
  char *path;            /* relative to the platform's base URL */
  char *content_type;    /* of the body */
  char *idempotency_key; /* UUID v4, the same on every attempt */
  LinliOutboxState state;
  gint64 created_at;      /* µs since the epoch (g_get_real_time) */
  guint attempts;         /* attempts begun so far */
  gint64 last_attempt_at; /* µs, 0: never tried */
  gint64 next_attempt_at; /* µs, pending only: not before this (kick and flush ignore it) */
  char *last_error_code;  /* of the last failed attempt: the platform's code, or an error name */
  gsize body_size;        /* 0 once refused: the body is dropped then */
  /* REFUSED only: the platform's code, HTTP status and message, and when. */
  char *refused_code;
  guint refused_status;
  char *refused_message;
  gint64 refused_at;
} LinliOutboxEntry;

LinliOutboxEntry *linli_outbox_entry_copy (const LinliOutboxEntry *entry);
void linli_outbox_entry_free (LinliOutboxEntry *entry);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LinliOutboxEntry, linli_outbox_entry_free)

G_END_DECLS
