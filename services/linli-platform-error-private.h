/* linli-platform-error-private.h — for LinliPlatform only
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "linli-platform-error.h"

G_BEGIN_DECLS

/* Both do nothing on errors of other domains; set_request_id keeps an id the
 * platform already gave. */
void linli_platform_error_set_request_id (GError *error, const char *request_id);
void linli_platform_error_set_detail (GError *error, const char *detail);

/* A request the kiosk refuses to send (an argument breaks the contract):
 * REJECTED with the generic message, @detail for the log. FALSE. */
gboolean linli_platform_set_rejected (GError **error, const char *detail);

G_END_DECLS
