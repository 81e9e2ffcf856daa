/* linli-voice.h: spoken prompts, synthesised by espeak-ng and played
 * through one GStreamer pipeline (volume, routing and test file sinks). */
#pragma once

#include "linli-device.h"

G_BEGIN_DECLS

/* What an utterance may interrupt, and what may interrupt it. A new
 * utterance drops every queued one of lower or equal priority and cuts the
 * one playing when that is of lower or equal priority too. */
typedef enum
{
  LINLI_VOICE_PRIORITY_FOCUS,  /* what a focused control is */
  LINLI_VOICE_PRIORITY_SCREEN, /* a screen's title and what to do */
  LINLI_VOICE_PRIORITY_ALERT,  /* the session is about to end, a fault */
} LinliVoicePriority;

typedef enum
{
  LINLI_VOICE_OUTPUT_SPEAKER,
  LINLI_VOICE_OUTPUT_HEADPHONES,
} LinliVoiceOutput;

/* [voice] headphones: how headphone (private listening) mode is chosen. */
typedef enum
{
  LINLI_VOICE_HEADPHONES_AUTO, /* follow the headphone jack (GstDeviceMonitor) */
  LINLI_VOICE_HEADPHONES_ALWAYS,
  LINLI_VOICE_HEADPHONES_NEVER,
} LinliVoiceHeadphones;

GType linli_voice_priority_get_type (void) G_GNUC_CONST;
#define LINLI_TYPE_VOICE_PRIORITY (linli_voice_priority_get_type ())
GType linli_voice_output_get_type (void) G_GNUC_CONST;
#define LINLI_TYPE_VOICE_OUTPUT (linli_voice_output_get_type ())
GType linli_voice_headphones_get_type (void) G_GNUC_CONST;
#define LINLI_TYPE_VOICE_HEADPHONES (linli_voice_headphones_get_type ())

#define LINLI_VOICE_ERROR (linli_voice_error_quark ())
GQuark linli_voice_error_quark (void);

typedef enum
{
  LINLI_VOICE_ERROR_NO_DATA,   /* espeak-ng could not load its data */
  LINLI_VOICE_ERROR_NO_VOICE,  /* the voice (cmn, en) is not installed */
  LINLI_VOICE_ERROR_NO_OUTPUT, /* no audio sink could be opened */
  LINLI_VOICE_ERROR_FAILED,    /* the pipeline failed while playing */
} LinliVoiceError;

/* Volume is set in steps 3 dB apart; step 0 is the quietest. The range,
 * (LINLI_VOICE_VOLUME_STEPS - 1) × 3 dB = 21 dB, is above the 18 dB that
 * Section 508 §1194.25(f) asks for. */
#define LINLI_VOICE_VOLUME_STEPS   8
#define LINLI_VOICE_VOLUME_STEP_DB 3.0
/* The step a new voice starts at and reset_volume returns to, until
 * set_default_volume_step says otherwise ([voice] volume's default). */
#define LINLI_VOICE_VOLUME_STEP_DEFAULT 5

/* Rate in espeak-ng words per minute; its own default is 175. */
#define LINLI_VOICE_RATE_MIN     80
#define LINLI_VOICE_RATE_MAX     300
#define LINLI_VOICE_RATE_DEFAULT 150

#define LINLI_TYPE_VOICE (linli_voice_get_type ())
G_DECLARE_FINAL_TYPE (LinliVoice, linli_voice, LINLI, VOICE, LinliDevice)

/* sink and headphone_sink are GStreamer bin descriptions ("pulsesink",
 * "wavenc ! filesink location=a.wav"); NULL or "" for sink picks the first
 * of pulsesink and alsasink that opens; NULL headphone_sink means the
 * device the headphone monitor found, or the speaker sink. */
LinliDevice *linli_voice_new (void);
LinliDevice *linli_voice_new_with_sinks (const char *sink, const char *headphone_sink);

const char *linli_voice_get_voice_name (LinliVoice *self);
void linli_voice_set_language (LinliVoice *self, const char *language);

int linli_voice_get_rate (LinliVoice *self);
void linli_voice_set_rate (LinliVoice *self, int words_per_minute);

int linli_voice_get_volume_step (LinliVoice *self);
void linli_voice_set_volume_step (LinliVoice *self, int step);
double linli_voice_get_volume_db (LinliVoice *self);
int linli_voice_get_default_volume_step (LinliVoice *self);
void linli_voice_set_default_volume_step (LinliVoice *self, int step);
void linli_voice_reset_volume (LinliVoice *self);

LinliVoiceOutput linli_voice_get_output (LinliVoice *self);
void linli_voice_set_headphones (LinliVoice *self, LinliVoiceHeadphones headphones);
LinliVoiceHeadphones linli_voice_get_headphones (LinliVoice *self);

/* The engine (synthesis thread, audio output, headphone monitor) starts
 * at the first utterance; this starts it now, so that the first prompt is
 * not delayed by it. The state property then says how it went. */
void linli_voice_start (LinliVoice *self);

/* Queues text; returns an id for the utterance signals. Text espeak-ng
 * cannot say (emoji, characters outside its dictionary) is skipped.
 * Returns 0 (nothing queued, no signal follows) while the state is FAULT.
 * Signals: "utterance-started" (guint id) when its first audio reaches the
 * sink, not emitted when there is nothing to say; "utterance-finished"
 * (guint id, gboolean completed) once heard, or dropped/cut (FALSE). Both
 * on the main context of the thread that created the voice; call the
 * voice from that thread only. */
guint linli_voice_speak (LinliVoice *self, const char *text, LinliVoicePriority priority);
/* private_text is spoken only in headphone mode; public_text otherwise
 * (may be NULL: then nothing is said on the speaker). */
guint linli_voice_speak_private (LinliVoice *self,
                                 const char *private_text,
                                 const char *public_text,
                                 LinliVoicePriority priority);
void linli_voice_stop (LinliVoice *self);
gboolean linli_voice_get_speaking (LinliVoice *self);

/* Completes when everything queued has been heard (for a file sink: when
 * the file is complete and closed). */
void linli_voice_drain_async (LinliVoice *self,
                              GCancellable *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer user_data);
gboolean linli_voice_drain_finish (LinliVoice *self, GAsyncResult *result, GError **error);

G_END_DECLS
