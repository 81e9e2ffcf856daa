/* linli-diag-receipt.h: linli-diag receipt show|print NUMBER
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "linli-config.h"

G_BEGIN_DECLS

int linli_diag_receipt (LinliConfig *config, int argc, char **argv);

G_END_DECLS
