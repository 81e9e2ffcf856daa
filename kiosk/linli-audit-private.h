/* linli-audit-private.h — what kiosk/ itself reaches in LinliAudit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "linli-audit.h"

G_BEGIN_DECLS

/* The file also keeps small state that must survive restarts (the
 * maintainer PIN's and the staff PINs' lockouts). Main thread only. */
sqlite3 *linli_audit_get_db (LinliAudit *self);

#define LINLI_AUDIT_SCHEMA_VERSION 2
/* "LLAU" */
#define LINLI_AUDIT_APPLICATION_ID 1280065877

G_END_DECLS
