/* linli-outbox-error.h — errors of the kiosk's outbox
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define LINLI_OUTBOX_ERROR (linli_outbox_error_quark ())
GQuark linli_outbox_error_quark (void);

typedef enum
{
  LINLI_OUTBOX_ERROR_FAILED,        /* SQLite failed: disk full, I/O error, locked too long */
  LINLI_OUTBOX_ERROR_NOT_AN_OUTBOX, /* the file is another database, or corrupt */
  LINLI_OUTBOX_ERROR_NEWER_SCHEMA,  /* written by a newer Linli: left untouched */
  LINLI_OUTBOX_ERROR_PERMISSION,    /* owned by another user, or not a regular file */
  LINLI_OUTBOX_ERROR_INVALID,       /* a bad argument to enqueue (kind, path, size) */
  LINLI_OUTBOX_ERROR_NOT_STARTED,   /* flush without linli_outbox_start(), or stopped */
} LinliOutboxError;

G_END_DECLS
