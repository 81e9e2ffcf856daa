/* linli-platform-link.h — the kiosk's connection to its county platform
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "linli-catalog.h"
#include "linli-config.h"
#include "linli-identity.h"
#include "linli-outbox.h"
#include "linli-platform.h"
#include "linli-resident.h"

G_BEGIN_DECLS

typedef enum
{
  LINLI_PLATFORM_STATE_UNCONFIGURED, /* no [platform] url */
  LINLI_PLATFORM_STATE_CONNECTING,   /* first catalog request under way */
  LINLI_PLATFORM_STATE_ONLINE,       /* the last request got an answer */
  LINLI_PLATFORM_STATE_OFFLINE,      /* unreachable: the cached catalog is used */
  LINLI_PLATFORM_STATE_FAULT,        /* configuration: certificates, outbox file */
} LinliPlatformState;

const char *linli_platform_state_to_string (LinliPlatformState state);

#define LINLI_TYPE_PLATFORM_LINK (linli_platform_link_get_type ())
G_DECLARE_FINAL_TYPE (LinliPlatformLink, linli_platform_link, LINLI, PLATFORM_LINK, GObject)

LinliPlatformLink *linli_platform_link_new (LinliConfig *config);

LinliPlatformState linli_platform_link_get_state (LinliPlatformLink *self);
/* For maintainers (never shown to residents): why, in English. */
const char *linli_platform_link_get_detail (LinliPlatformLink *self);
LinliPlatform *linli_platform_link_get_platform (LinliPlatformLink *self);
LinliOutbox *linli_platform_link_get_outbox (LinliPlatformLink *self);
LinliCatalog *linli_platform_link_get_catalog (LinliPlatformLink *self);

/* Starts the outbox's delivery and fetches the catalog. */
void linli_platform_link_start (LinliPlatformLink *self);
/* Revalidates the catalog (cheap: 304 when unchanged). */
void linli_platform_link_refresh (LinliPlatformLink *self);
void linli_platform_link_set_language (LinliPlatformLink *self, const char *language);

void linli_platform_link_lookup_resident_async (LinliPlatformLink *self,
                                                LinliIdentity *identity,
                                                GCancellable *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer user_data);
LinliResident *linli_platform_link_lookup_resident_finish (LinliPlatformLink *self,
                                                           GAsyncResult *result,
                                                           GError **error);

G_END_DECLS
