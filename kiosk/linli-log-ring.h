/* linli-log-ring.h — the newest log messages, redacted, for the
 * maintenance screen
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  GLogLevelFlags level;
  char *domain;
  gint64 time; /* unix time, microseconds */
  char *message;
} LinliLogEntry;

void linli_log_entry_free (LinliLogEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LinliLogEntry, linli_log_entry_free)
const char *linli_log_level_to_string (GLogLevelFlags level);

#define LINLI_LOG_RING_CAPACITY 200

#define LINLI_TYPE_LOG_RING (linli_log_ring_get_type ())
G_DECLARE_FINAL_TYPE (LinliLogRing, linli_log_ring, LINLI, LOG_RING, GObject)

LinliLogRing *linli_log_ring_new (guint capacity);
/* The ring that linli_log_ring_install() made the process's log writer;
 * NULL before. (transfer none) */
LinliLogRing *linli_log_ring_get_default (void);
/* Makes @self the process's GLib log writer (once per process): each
 * message is kept and then passed to g_log_writer_default(). */
void linli_log_ring_install (LinliLogRing *self);

/* Thread-safe. Debug messages are not kept. */
void linli_log_ring_add (LinliLogRing *self,
                         GLogLevelFlags level,
                         const char *domain,
                         const char *message);
/* Returns: (transfer full) (element-type LinliLogEntry): oldest first */
GPtrArray *linli_log_ring_dup_entries (LinliLogRing *self);
/* Warnings and criticals since the ring was made (never reset). */
guint64 linli_log_ring_get_error_count (LinliLogRing *self);

/* A safety net over the rule that logs carry no personal data: 18-character
 * resident ID numbers (and 15-digit old ones) and Chinese phone numbers
 * are replaced. Returns: (transfer full) */
char *linli_log_redact (const char *message);

G_END_DECLS
