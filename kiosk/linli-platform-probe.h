/* linli-platform-probe.h — can the kiosk reach the county platform, and
 * with which TLS: shared by linli-diag platform ping and the maintenance
 * screen
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "linli-config.h"

G_BEGIN_DECLS

typedef struct
{
  char *url;                /* [platform] url */
  char *error;              /* NULL when the handshake succeeded */
  char *protocol;           /* "TLS 1.3" */
  char *cipher;             /* as GnuTLS names it */
  char *server_subject;     /* the server certificate's subject DN */
  char *server_issuer;      /* its issuer DN */
  char *server_valid_until; /* local time, "%Y-%m-%d %H:%M:%S %z" */
  double round_trip_ms;     /* TCP connect + TLS handshake */
} LinliPlatformProbe;

void linli_platform_probe_free (LinliPlatformProbe *probe);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LinliPlatformProbe, linli_platform_probe_free)

/* A handshake made the way the kiosk's client makes it (the pinned CA
 * only, the kiosk's certificate), on a worker thread. Fails only without a
 * [platform] url; an unreachable platform is a probe with ->error set. */
void linli_platform_probe_async (LinliConfig *config,
                                 GCancellable *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer user_data);
LinliPlatformProbe *linli_platform_probe_finish (GAsyncResult *result, GError **error);

char *linli_platform_probe_format_time (GDateTime *time);

G_END_DECLS
