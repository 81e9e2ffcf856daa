/* linli-voice.c
 *
 * Spoken prompts in Mandarin, synthesised by espeak-ng. So far only the
 * presence probe: the library initialises and has the voice. Synthesis and
 * playback through GStreamer (to the headphone jack when one is plugged in)
 * grow from here.
 */
#define G_LOG_DOMAIN "linli-voice"

#include "linli-voice.h"

#include <espeak-ng/speak_lib.h>

#include "linli-device-private.h"

/* espeak-ng's Mandarin voice; "zh" names an mbrola voice that is not free. */
#define DEFAULT_VOICE_NAME "cmn"

struct _LinliVoice
{
  LinliDevice parent_instance;

  char *voice_name;
};

G_DEFINE_FINAL_TYPE (LinliVoice, linli_voice, LINLI_TYPE_DEVICE)

enum
{
  PROP_0,
  PROP_VOICE_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* espeak-ng keeps its state in globals and is not thread safe: every call
 * into it, from any voice object, holds this lock. */
static GMutex espeak_lock;
static gboolean espeak_tried;
static int espeak_sample_rate; /* 0 or less: initialisation failed */

static LinliDeviceState
linli_voice_probe (LinliDevice *device, char **detail, GCancellable *cancellable)
{
  LinliVoice *self = LINLI_VOICE (device);
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&espeak_lock);
  const char *data_path = NULL;
  const char *version;

  /* Initialised once for the life of the process. DONT_EXIT: without it
   * espeak-ng calls exit() when its data is missing, taking the kiosk down. */
  if (!espeak_tried)
    {
      espeak_tried = TRUE;
      espeak_sample_rate
          = espeak_Initialize (AUDIO_OUTPUT_SYNCHRONOUS, 0, NULL, espeakINITIALIZE_DONT_EXIT);
    }

  version = espeak_Info (&data_path);
  if (espeak_sample_rate <= 0)
    {
      *detail = g_strdup_printf ("espeak-ng %s could not load its data from %s", version,
                                 data_path != NULL ? data_path : "(unknown)");
      return LINLI_DEVICE_STATE_FAULT;
    }

  if (espeak_SetVoiceByName (self->voice_name) != EE_OK)
    {
      *detail = g_strdup_printf ("espeak-ng %s has no voice %s", version, self->voice_name);
      return LINLI_DEVICE_STATE_FAULT;
    }

  *detail = g_strdup_printf ("espeak-ng %s, voice %s", version, self->voice_name);
  return LINLI_DEVICE_STATE_READY;
}

static void
linli_voice_finalize (GObject *object)
{
  LinliVoice *self = LINLI_VOICE (object);

  g_free (self->voice_name);

  G_OBJECT_CLASS (linli_voice_parent_class)->finalize (object);
}

static void
linli_voice_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LinliVoice *self = LINLI_VOICE (object);

  switch (prop_id)
    {
    case PROP_VOICE_NAME:
      g_value_set_string (value, self->voice_name);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
linli_voice_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  LinliVoice *self = LINLI_VOICE (object);

  switch (prop_id)
    {
    case PROP_VOICE_NAME:
      g_free (self->voice_name);
      self->voice_name = g_strdup (g_value_get_string (value) != NULL ? g_value_get_string (value)
                                                                      : DEFAULT_VOICE_NAME);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
linli_voice_class_init (LinliVoiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  LinliDeviceClass *device_class = LINLI_DEVICE_CLASS (klass);

  object_class->finalize = linli_voice_finalize;
  object_class->get_property = linli_voice_get_property;
  object_class->set_property = linli_voice_set_property;
  device_class->probe = linli_voice_probe;

  /* The espeak-ng voice the prompts are spoken in. */
  properties[PROP_VOICE_NAME]
      = g_param_spec_string ("voice-name", NULL, NULL, DEFAULT_VOICE_NAME,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
linli_voice_init (LinliVoice *self)
{
  self->voice_name = g_strdup (DEFAULT_VOICE_NAME);
}

/* Returns: (transfer full): the voice device, speaking Mandarin */
LinliDevice *
linli_voice_new (void)
{
  return g_object_new (LINLI_TYPE_VOICE, "kind", LINLI_DEVICE_KIND_VOICE, "name", "Voice", NULL);
}

const char *
linli_voice_get_voice_name (LinliVoice *self)
{
  g_return_val_if_fail (LINLI_IS_VOICE (self), NULL);
  return self->voice_name;
}
