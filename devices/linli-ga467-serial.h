/* linli-ga467-serial.h: a GA/T 467 reader on a serial port (usually a
 * USB-serial adapter inside the reader), 115200 8N1, no flow control. */
#pragma once

#include "linli-ga467-transport.h"

G_BEGIN_DECLS

#define LINLI_TYPE_GA467_SERIAL (linli_ga467_serial_get_type ())
G_DECLARE_FINAL_TYPE (LinliGa467Serial, linli_ga467_serial, LINLI, GA467_SERIAL, GObject)

/* Nothing is opened until linli_ga467_transport_open(). */
LinliGa467Transport *linli_ga467_serial_new (const char *path);

const char *linli_ga467_serial_get_path (LinliGa467Serial *self);

G_END_DECLS
