/* linli-diag-read-card.h: linli-diag read-card (issue 4 item 5). */
#pragma once

#include "linli-config.h"

G_BEGIN_DECLS

/* @argv[0] is "read-card"; the options after it are parsed here. Returns
 * the exit status: 0 read, 1 failed, 2 bad usage. */
int linli_diag_read_card (LinliConfig *config, int argc, char **argv);

G_END_DECLS
