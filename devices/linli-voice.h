/* linli-voice.h: spoken prompts, synthesised by espeak-ng. */
#pragma once

#include "linli-device.h"

G_BEGIN_DECLS

#define LINLI_TYPE_VOICE (linli_voice_get_type ())
G_DECLARE_FINAL_TYPE (LinliVoice, linli_voice, LINLI, VOICE, LinliDevice)

LinliDevice *linli_voice_new (void);

const char *linli_voice_get_voice_name (LinliVoice *self);

G_END_DECLS
