/* linli-diag-hash-pin.h: linli-diag hash-pin and linli-diag audit.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "linli-config.h"

G_BEGIN_DECLS

/* Reads a PIN from stdin, prints "pin-hash=…" for [maintenance]. */
int linli_diag_hash_pin (LinliConfig *config, int argc, char **argv);
/* Prints the newest audit records and checks the whole chain: 0 whole,
 * 1 broken or unreadable. */
int linli_diag_audit (LinliConfig *config, int argc, char **argv);

G_END_DECLS
