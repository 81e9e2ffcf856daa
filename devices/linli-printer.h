/* linli-printer.h: the receipt printer, a CUPS queue. */
#pragma once

#include "linli-device.h"

G_BEGIN_DECLS

#define LINLI_TYPE_PRINTER (linli_printer_get_type ())
G_DECLARE_FINAL_TYPE (LinliPrinter, linli_printer, LINLI, PRINTER, LinliDevice)

LinliDevice *linli_printer_new (const char *queue);

const char *linli_printer_get_queue (LinliPrinter *self);

G_END_DECLS
