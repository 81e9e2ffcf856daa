/* linli-print-test.h — the print-test receipt, shared by linli-diag
 * print-test and maintenance mode
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Kiosk id, time, version, printer, a QR code and "打印测试 / print test":
 * PDF, or an ESC/POS raster job with @escpos. */
GBytes *linli_print_test_render (const char *kiosk_id,
                                 const char *printer_name,
                                 gboolean escpos,
                                 GError **error);

G_END_DECLS
