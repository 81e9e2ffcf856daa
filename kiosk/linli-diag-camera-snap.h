/* linli-diag-camera-snap.h: linli-diag camera-snap.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "linli-config.h"

G_BEGIN_DECLS

/* @argv[0] is "camera-snap"; the options follow. Returns the exit status:
 * 0 the JPEG was written, 1 it was not (the reason on stderr), 2 usage. */
int linli_diag_camera_snap (LinliConfig *config, int argc, char **argv);

G_END_DECLS
