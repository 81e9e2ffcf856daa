/* linli-outbox-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "linli-outbox-error.h"

G_DEFINE_QUARK (linli_outbox_error_quark, linli_outbox_error)
