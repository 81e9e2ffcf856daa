/* linli-diag-print-test.h: linli-diag print-test. */
#pragma once

#include "linli-config.h"

G_BEGIN_DECLS

/* @argv[0] is "print-test"; the options follow. Returns the exit status:
 * 0 the job completed, 1 it did not (the reason on stderr), 2 usage. */
int linli_diag_print_test (LinliConfig *config, int argc, char **argv);

G_END_DECLS
