/* linli-audit.h — the kiosk's append-only, hash-chained audit log
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define LINLI_AUDIT_ERROR (linli_audit_error_quark ())
GQuark linli_audit_error_quark (void);

typedef enum
{
  LINLI_AUDIT_ERROR_FAILED,       /* SQLite, the file */
  LINLI_AUDIT_ERROR_PERMISSION,   /* another user's file, or one that cannot be made 0600 */
  LINLI_AUDIT_ERROR_NOT_AN_AUDIT, /* another SQLite file, or not SQLite */
  LINLI_AUDIT_ERROR_NEWER_SCHEMA, /* written by a newer kiosk: left alone */
  LINLI_AUDIT_ERROR_BROKEN_CHAIN, /* a record was edited, removed or inserted */
} LinliAuditError;

typedef enum
{
  LINLI_AUDIT_ACTOR_MAINTAINER,
  LINLI_AUDIT_ACTOR_STAFF,
  LINLI_AUDIT_ACTOR_SYSTEM,
} LinliAuditActor;

const char *linli_audit_actor_to_string (LinliAuditActor actor);

/* One record, as stored. @time: unix time in microseconds (UTC). */
typedef struct
{
  gint64 id;
  gint64 time;
  char *actor;
  char *action;
  char *detail;
  char *prev_hash;
  char *hash;
} LinliAuditRecord;

void linli_audit_record_free (LinliAuditRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LinliAuditRecord, linli_audit_record_free)

#define LINLI_TYPE_AUDIT (linli_audit_get_type ())
G_DECLARE_FINAL_TYPE (LinliAudit, linli_audit, LINLI, AUDIT, GObject)

LinliAudit *linli_audit_open (const char *path, GError **error);
const char *linli_audit_get_path (LinliAudit *self);

/* @detail: never personal data (no names, ID numbers, addresses). */
gboolean linli_audit_append (LinliAudit *self,
                             LinliAuditActor actor,
                             const char *action,
                             const char *detail,
                             GError **error);
/* Logs a warning instead of failing: for callers that must go on. */
void linli_audit_log (LinliAudit *self,
                      LinliAuditActor actor,
                      const char *action,
                      const char *detail);

/* Walks the whole chain. Returns FALSE with LINLI_AUDIT_ERROR_BROKEN_CHAIN
 * naming the first record whose link does not hold (*bad_id, if given). */
gboolean linli_audit_verify (LinliAudit *self, gint64 *n_records, gint64 *bad_id, GError **error);

/* Returns: (transfer full) (element-type LinliAuditRecord): the newest
 * @n records, newest first */
GPtrArray *linli_audit_recent (LinliAudit *self, guint n, GError **error);

G_END_DECLS
