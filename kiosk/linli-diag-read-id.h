/* linli-diag-read-id.h: linli-diag read-id, the GA 467 resident-ID reader. */
#pragma once

#include "linli-config.h"

G_BEGIN_DECLS

/* @argv[0] is "read-id"; the options follow. Returns the exit status:
 * 0 read, 1 no card / reader error / unreadable card, 2 usage. */
int linli_diag_read_id (LinliConfig *config, int argc, char **argv);

G_END_DECLS
