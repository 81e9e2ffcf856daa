/* linli-pcsc-reader.h: the PC/SC reader for social-security cards. */
#pragma once

#include "linli-device.h"

G_BEGIN_DECLS

#define LINLI_TYPE_PCSC_READER (linli_pcsc_reader_get_type ())
G_DECLARE_FINAL_TYPE (LinliPcscReader, linli_pcsc_reader, LINLI, PCSC_READER, LinliDevice)

LinliDevice *linli_pcsc_reader_new (const char *reader_name);

const char *linli_pcsc_reader_get_reader_name (LinliPcscReader *self);

G_END_DECLS
