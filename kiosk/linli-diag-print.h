/* linli-diag-print.h: one job sent and followed to its end, for linli-diag
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Prints @document (PDF, or an ESC/POS raster when @escpos) on @queue (""
 * for the CUPS default) and waits until CUPS says the job completed: only
 * that is TRUE. Otherwise @error says why (out of paper, stopped…). */
gboolean linli_diag_print_and_wait (
    const char *queue, GBytes *document, gboolean escpos, const char *title, GError **error);

G_END_DECLS
