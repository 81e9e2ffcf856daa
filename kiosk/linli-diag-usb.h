/* linli-diag-usb.h: linli-diag usb (issue 8), the USB inventory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "linli-config.h"

G_BEGIN_DECLS

/* @argv[0] is "usb"; the options after it are parsed here. Returns the exit
 * status: 0 every configured device present, 1 one is absent (or the bus
 * cannot be seen), 2 bad usage. */
int linli_diag_usb (LinliConfig *config, int argc, char **argv);

G_END_DECLS
