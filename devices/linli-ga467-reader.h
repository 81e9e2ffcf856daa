/* linli-ga467-reader.h: the GA 467 resident-ID card reader (USB-serial). */
#pragma once

#include "linli-device.h"

G_BEGIN_DECLS

#define LINLI_TYPE_GA467_READER (linli_ga467_reader_get_type ())
G_DECLARE_FINAL_TYPE (LinliGa467Reader, linli_ga467_reader, LINLI, GA467_READER, LinliDevice)

LinliDevice *linli_ga467_reader_new (const char *path);

const char *linli_ga467_reader_get_path (LinliGa467Reader *self);

G_END_DECLS
