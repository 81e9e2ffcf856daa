/* linli-diag-platform.h: linli-diag platform ping|catalog|outbox. */
#pragma once

#include "linli-config.h"

G_BEGIN_DECLS

/* @argv[0] is "platform"; the sub-command and options follow. Returns the
 * exit status: 0 fine, 1 unreachable / refused / unreadable, 2 usage. */
int linli_diag_platform (LinliConfig *config, int argc, char **argv);

G_END_DECLS
