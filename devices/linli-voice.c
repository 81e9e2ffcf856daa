/* linli-voice.c
 *
 * Spoken prompts, synthesised by espeak-ng and played through GStreamer:
 *
 *   espeak_Synth → synth callback → appsrc → audioconvert → audioresample
 *                                  → volume → sink (a parsed bin)
 *
 * Threads. The object lives on the thread that created it (its "main"
 * context): the queue, the priority rules, properties and signals are
 * handled there only. One worker thread per voice owns the pipeline and
 * makes every espeak-ng call (under the process-wide espeak_lock, which
 * the presence probe takes too). The main thread sends the worker
 * commands (start, say this, flush, switch sink, end the stream); the
 * worker and GStreamer's streaming thread send events back (first audio
 * reached the sink, all of it did, fault, headphones came or went) as
 * idle sources on the main context.
 *
 * One utterance is in the pipeline at a time: the next is synthesised once
 * the last is heard, so a dropped utterance never has audio queued behind
 * the one playing. Synthesis is paced to what the sink takes (at most
 * PACE_AHEAD beyond it), so stopping an utterance really stops espeak-ng
 * (the callback returns 1) and little audio needs discarding.
 *
 * Timestamps are running time: an utterance starts at the pipeline's
 * current running time (or where the last one ended), so an audio sink
 * that has been idle plays it at once instead of dropping it as late.
 * Cutting an utterance on a sink that plays in real time (an audio
 * device) cycles the pipeline through READY, which discards what the
 * device still buffers; a file sink is never cycled (that would truncate
 * the file) but gets an EOS at drain.
 */
#define G_LOG_DOMAIN "linli-voice"

#include "linli-voice.h"

#include <espeak-ng/speak_lib.h>
#include <gst/app/gstappsrc.h>
#include <gst/base/gstbasesink.h>
#include <gst/gst.h>
#include <math.h>
#include <string.h>

#include "linli-device-private.h"

/* espeak-ng's Mandarin; "zh" names an mbrola voice that is not free. */
#define DEFAULT_VOICE_NAME "cmn"
#define ENGLISH_VOICE_NAME "en"

/* Audio handed over per synth callback: small, so the first chunk of an
 * utterance reaches the sink a few milliseconds after espeak_Synth. */
#define SYNTH_BUFFER_MS 50

/* How far synthesis may run ahead of what the sink has taken. */
#define PACE_AHEAD (250 * GST_MSECOND)
/* A sink that takes nothing for this long is no longer waited for. */
#define STALL_TIMEOUT_US (5 * G_USEC_PER_SEC)
/* Resamplers hold back a few samples: "all of it reached the sink" and
 * "all of it was heard" allow for that much. */
#define END_TOLERANCE (20 * GST_MSECOND)
/* How long the end of a file may take to be written when the pipeline
 * goes away. */
#define EOS_TIMEOUT_US (3 * G_USEC_PER_SEC)

static const char *const default_sinks[] = { "pulsesink", "alsasink", NULL };

/* espeak-ng keeps its state in globals and is not thread safe: every call
 * into it, from any voice object or probe, holds this lock. */
static GMutex espeak_lock;
static gboolean espeak_tried;
static int espeak_sample_rate; /* 0 or less: initialisation failed */
static char *espeak_loaded_voice;

G_DEFINE_QUARK (linli_voice_error_quark, linli_voice_error)

GType
linli_voice_priority_get_type (void)
{
  static gsize type_id = 0;
  static const GEnumValue values[] = {
    { LINLI_VOICE_PRIORITY_FOCUS, "LINLI_VOICE_PRIORITY_FOCUS", "focus" },
    { LINLI_VOICE_PRIORITY_SCREEN, "LINLI_VOICE_PRIORITY_SCREEN", "screen" },
    { LINLI_VOICE_PRIORITY_ALERT, "LINLI_VOICE_PRIORITY_ALERT", "alert" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type_id))
    g_once_init_leave (&type_id, g_enum_register_static ("LinliVoicePriority", values));
  return type_id;
}

GType
linli_voice_output_get_type (void)
{
  static gsize type_id = 0;
  static const GEnumValue values[] = {
    { LINLI_VOICE_OUTPUT_SPEAKER, "LINLI_VOICE_OUTPUT_SPEAKER", "speaker" },
    { LINLI_VOICE_OUTPUT_HEADPHONES, "LINLI_VOICE_OUTPUT_HEADPHONES", "headphones" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type_id))
    g_once_init_leave (&type_id, g_enum_register_static ("LinliVoiceOutput", values));
  return type_id;
}

GType
linli_voice_headphones_get_type (void)
{
  static gsize type_id = 0;
  static const GEnumValue values[] = {
    { LINLI_VOICE_HEADPHONES_AUTO, "LINLI_VOICE_HEADPHONES_AUTO", "auto" },
    { LINLI_VOICE_HEADPHONES_ALWAYS, "LINLI_VOICE_HEADPHONES_ALWAYS", "always" },
    { LINLI_VOICE_HEADPHONES_NEVER, "LINLI_VOICE_HEADPHONES_NEVER", "never" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type_id))
    g_once_init_leave (&type_id, g_enum_register_static ("LinliVoiceHeadphones", values));
  return type_id;
}

/* ---- Shared pieces: strings, utterances, sinks ---------------------------------------------- */

/* Spoken text may hold names: wipe it before the allocator reuses it. */
static void
wipe_string (char *text)
{
  if (text == NULL)
    return;
  explicit_bzero (text, strlen (text));
  g_free (text);
}

typedef struct
{
  int ref_count; /* atomic */

  /* Set when queued, then read-only (the worker reads them). */
  guint id;
  LinliVoicePriority priority;
  char *text;         /* public text; NULL: nothing to say on the speaker */
  char *private_text; /* only for speak_private: said on headphones only */
  gboolean has_private;
  char *voice;
  int rate;

  int aborted; /* atomic: the main thread cut or dropped it */

  /* Main thread only. */
  gboolean started;
  gboolean on_headphones; /* dispatched to a headphone sink */
} Utterance;

static Utterance *
utterance_new (void)
{
  Utterance *utterance = g_new0 (Utterance, 1);

  utterance->ref_count = 1;
  return utterance;
}

static Utterance *
utterance_ref (Utterance *utterance)
{
  g_atomic_int_inc (&utterance->ref_count);
  return utterance;
}

static void
utterance_unref (Utterance *utterance)
{
  if (!g_atomic_int_dec_and_test (&utterance->ref_count))
    return;
  wipe_string (utterance->text);
  wipe_string (utterance->private_text);
  g_free (utterance->voice);
  g_free (utterance);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Utterance, utterance_unref)

/* Where speech goes: a bin description (NULL or "": the default sinks) or
 * a device the headphone monitor found. */
typedef struct
{
  char *description;
  GstDevice *device;
  gboolean headphones;
} SinkSpec;

static void
sink_spec_clear (SinkSpec *spec)
{
  g_clear_pointer (&spec->description, g_free);
  g_clear_object (&spec->device);
  spec->headphones = FALSE;
}

static void
sink_spec_copy (SinkSpec *dest, const SinkSpec *src)
{
  sink_spec_clear (dest);
  dest->description = g_strdup (src->description);
  dest->device = src->device != NULL ? gst_object_ref (src->device) : NULL;
  dest->headphones = src->headphones;
}

static gboolean
sink_spec_equal (const SinkSpec *a, const SinkSpec *b)
{
  return a->headphones == b->headphones && a->device == b->device
         && g_strcmp0 (a->description, b->description) == 0;
}

static gpointer
init_gstreamer (gpointer data)
{
  GError *error = NULL;

  /* The error, if any, is kept for the life of the process. */
  if (!gst_init_check (NULL, NULL, &error))
    return error;
  return NULL;
}

static gboolean
ensure_gstreamer (GError **error)
{
  static GOnce once = G_ONCE_INIT;
  GError *init_error = g_once (&once, init_gstreamer, NULL);

  if (init_error != NULL)
    {
      g_set_error (error, LINLI_VOICE_ERROR, LINLI_VOICE_ERROR_NO_OUTPUT,
                   "GStreamer did not initialise: %s", init_error->message);
      return FALSE;
    }
  return TRUE;
}

/* The first error message waiting on @bus, or a generic one. */
static char *
pop_bus_error (GstBus *bus, const char *fallback)
{
  g_autoptr (GstMessage) message = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  g_autoptr (GError) error = NULL;

  if (message == NULL)
    return g_strdup (fallback);
  gst_message_parse_error (message, &error, NULL);
  return g_strdup (error->message);
}

static GstElement *
make_sink (const char *description, GError **error)
{
  /* FATAL_ERRORS: a missing element is an error, not a partial bin. */
  return gst_parse_bin_from_description_full (description, TRUE, NULL, GST_PARSE_FLAG_FATAL_ERRORS,
                                              error);
}

static int
is_clocked_sink (gconstpointer value, gconstpointer unused)
{
  GstElement *element = g_value_get_object (value);

  return GST_IS_BASE_SINK (element) && gst_base_sink_get_sync (GST_BASE_SINK (element)) ? 0 : 1;
}

/* Whether @sink plays in real time (pulsesink, alsasink, pipewiresink, a
 * clocked fakesink): such a sink is flushed to cut an utterance and waited
 * on until heard. A file sink is not: flushing would truncate the file,
 * and what it has is "heard" once it has it. */
static gboolean
plays_in_real_time (GstElement *sink)
{
  g_autoptr (GstIterator) iterator = NULL;
  g_auto (GValue) found = G_VALUE_INIT;

  if (GST_IS_BASE_SINK (sink))
    return gst_base_sink_get_sync (GST_BASE_SINK (sink));
  if (!GST_IS_BIN (sink))
    return FALSE;
  iterator = gst_bin_iterate_recurse (GST_BIN (sink));
  return gst_iterator_find_custom (iterator, (GCompareFunc) is_clocked_sink, &found, NULL);
}

/* For the probe: whether a sink from @description (or a default one)
 * reaches READY, i.e. the audio server or device opens. */
static gboolean
check_output (const char *description, char **name, GError **error)
{
  const char *const single[] = { description, NULL };
  const char *const *candidates
      = description != NULL && *description != '\0' ? single : default_sinks;
  g_autoptr (GString) reasons = g_string_new (NULL);

  if (!ensure_gstreamer (error))
    return FALSE;

  for (guint i = 0; candidates[i] != NULL; i++)
    {
      g_autoptr (GError) local_error = NULL;
      g_autoptr (GstElement) pipeline = gst_pipeline_new (NULL);
      g_autoptr (GstBus) bus = gst_element_get_bus (pipeline);
      GstElement *sink = make_sink (candidates[i], &local_error);
      gboolean opened;

      if (sink == NULL)
        {
          g_string_append_printf (reasons, "%s%s: %s", reasons->len > 0 ? "; " : "", candidates[i],
                                  local_error->message);
          continue;
        }
      gst_bin_add (GST_BIN (pipeline), sink);
      opened = gst_element_set_state (pipeline, GST_STATE_READY) != GST_STATE_CHANGE_FAILURE;
      if (!opened)
        {
          g_autofree char *reason = pop_bus_error (bus, "does not open");

          g_string_append_printf (reasons, "%s%s: %s", reasons->len > 0 ? "; " : "", candidates[i],
                                  reason);
        }
      gst_element_set_state (pipeline, GST_STATE_NULL);
      if (opened)
        {
          *name = g_strdup (candidates[i]);
          return TRUE;
        }
    }

  g_set_error (error, LINLI_VOICE_ERROR, LINLI_VOICE_ERROR_NO_OUTPUT, "no audio output: %s",
               reasons->str);
  return FALSE;
}

/* ---- espeak-ng (callers hold espeak_lock) --------------------------------------------------- */

static int synth_callback (short *samples, int n_samples, espeak_EVENT *events);

static int
espeak_ensure_locked (void)
{
  /* Initialised once for the life of the process. DONT_EXIT: without it
   * espeak-ng calls exit() when its data is missing, taking the kiosk down. */
  if (!espeak_tried)
    {
      espeak_tried = TRUE;
      espeak_sample_rate = espeak_Initialize (AUDIO_OUTPUT_SYNCHRONOUS, SYNTH_BUFFER_MS, NULL,
                                              espeakINITIALIZE_DONT_EXIT);
      if (espeak_sample_rate > 0)
        espeak_SetSynthCallback (synth_callback);
    }
  return espeak_sample_rate;
}

/* Loads the espeak-ng voice for @requested; returns the name loaded, or
 * NULL when espeak-ng has none. "cmn" prefers cmn-latn-pinyin: espeak-ng
 * 1.51's plain cmn reads its own pinyin with English rules ("qing three"
 * for 请), while cmn-latn-pinyin is the same voice reading it as pinyin. */
static const char *
espeak_use_voice_locked (const char *requested)
{
  static const char *const mandarin[] = { "cmn-latn-pinyin", "cmn", NULL };
  const char *const single[] = { requested, NULL };
  const char *const *candidates = g_str_equal (requested, "cmn") ? mandarin : single;

  for (guint i = 0; candidates[i] != NULL; i++)
    {
      if (g_strcmp0 (espeak_loaded_voice, candidates[i]) == 0)
        return espeak_loaded_voice;
      if (espeak_SetVoiceByName (candidates[i]) == EE_OK)
        {
          g_free (espeak_loaded_voice);
          espeak_loaded_voice = g_strdup (candidates[i]);
          return espeak_loaded_voice;
        }
    }
  return NULL;
}

/* ---- Text espeak-ng can say ----------------------------------------------------------------- */

static gboolean
is_silently_skipped (gunichar c)
{
  /* Joiners and emoji variation selectors: part of the character before. */
  return g_unichar_type (c) == G_UNICODE_FORMAT || (c >= 0xFE00 && c <= 0xFE0F);
}

static gboolean
is_sayable (gunichar c)
{
  /* Outside the BMP espeak-ng spells the code point ("二零b b七" for 𠮷):
   * emoji, rare CJK (extension B onwards). U+FFFD comes out as English. */
  if (c > 0xFFFF || c == 0xFFFD)
    return FALSE;
  switch (g_unichar_type (c))
    {
    case G_UNICODE_CONTROL:
    case G_UNICODE_UNASSIGNED:
    case G_UNICODE_PRIVATE_USE:
    case G_UNICODE_SURROGATE:
    case G_UNICODE_OTHER_SYMBOL: /* emoji and pictographs in the BMP */
      return FALSE;
    default:
      return TRUE;
    }
}

/* Returns: (transfer full): @text as espeak-ng can say it: valid UTF-8,
 * NFKC (fullwidth digits, circled numbers become plain ones), with a pause
 * for each run of characters it cannot say; *n_skipped counts those. */
static char *
make_sayable (const char *text, gboolean mandarin, guint *n_skipped)
{
  char *valid = g_utf8_make_valid (text, -1);
  char *normal = g_utf8_normalize (valid, -1, G_NORMALIZE_NFKC);
  GString *out = g_string_sized_new (strlen (valid) + 8);
  gboolean pause = FALSE;

  *n_skipped = 0;
  for (const char *p = normal != NULL ? normal : ""; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\n' || c == '\r' || c == '\t')
        c = ' ';
      if (is_silently_skipped (c))
        {
          (*n_skipped)++;
          continue;
        }
      if (!is_sayable (c))
        {
          (*n_skipped)++;
          pause = TRUE;
          continue;
        }
      if (pause && out->len > 0)
        g_string_append (out, mandarin ? "，" : ", ");
      pause = FALSE;
      g_string_append_unichar (out, c);
    }

  wipe_string (valid);
  wipe_string (normal);
  return g_string_free (out, FALSE);
}

/* ---- Events from the worker and streaming threads ------------------------------------------- */

/* What threads other than the main one hold to reach the voice: self is
 * read and cleared on the main thread only, so an event arriving after
 * dispose finds NULL. */
typedef struct
{
  int ref_count; /* atomic */
  LinliVoice *self;
} VoiceLink;

static VoiceLink *
voice_link_ref (VoiceLink *link)
{
  g_atomic_int_inc (&link->ref_count);
  return link;
}

static void
voice_link_unref (VoiceLink *link)
{
  if (g_atomic_int_dec_and_test (&link->ref_count))
    g_free (link);
}

typedef enum
{
  EVENT_READY,   /* engine up or sink switched: detail, is_live, on_headphones */
  EVENT_FAULT,   /* code, detail */
  EVENT_STARTED, /* id: first audio reached the sink */
  EVENT_REACHED, /* id, end, pipeline: all of it reached the sink */
  EVENT_SILENT,  /* id: nothing to say */
  EVENT_EOS,
  EVENT_DEVICE_ADDED,
  EVENT_DEVICE_REMOVED,
  EVENT_HEADPHONES_FAILED, /* the headphone sink did not open: speaker used */
} EventKind;

typedef struct
{
  VoiceLink *link;
  EventKind kind;
  guint id;
  GstClockTime end;
  int code;
  char *detail;
  gboolean is_live;
  gboolean on_headphones;
  GstElement *pipeline;
  GstDevice *device;
} VoiceEvent;

static void
voice_event_free (VoiceEvent *event)
{
  voice_link_unref (event->link);
  g_free (event->detail);
  g_clear_object (&event->pipeline);
  g_clear_object (&event->device);
  g_free (event);
}

static VoiceEvent *
voice_event_new (EventKind kind)
{
  VoiceEvent *event = g_new0 (VoiceEvent, 1);

  event->kind = kind;
  return event;
}

static gboolean dispatch_event (gpointer user_data);

/* ---- The engine: worker thread and pipeline ------------------------------------------------- */

typedef enum
{
  CMD_START,       /* voice, spec, monitor */
  CMD_SYNTH,       /* utterance */
  CMD_FLUSH,       /* discard what a real-time sink still has */
  CMD_EOS,         /* end the stream (a file sink completes its file) */
  CMD_SINK,        /* spec */
  CMD_CHECK_VOICE, /* voice */
  CMD_MONITOR,     /* start the headphone monitor */
  CMD_QUIT,
} CommandKind;

typedef struct
{
  CommandKind kind;
  Utterance *utterance;
  char *voice;
  SinkSpec spec;
  gboolean monitor;
} Command;

static void
command_free (Command *command)
{
  g_clear_pointer (&command->utterance, utterance_unref);
  g_free (command->voice);
  sink_spec_clear (&command->spec);
  g_free (command);
}

static Command *
command_new (CommandKind kind)
{
  Command *command = g_new0 (Command, 1);

  command->kind = kind;
  return command;
}

typedef struct
{
  /* Set at creation, then read-only. */
  VoiceLink *link;
  GMainContext *main_context;
  GAsyncQueue *commands;
  GThread *thread;

  int quitting; /* atomic */

  /* Worker thread only. */
  GstElement *pipeline;
  GstElement *appsrc;
  char *output_name;
  char *speaker;          /* the speaker's description, to fall back on */
  SinkSpec spec;          /* what was asked for last */
  gboolean is_live;       /* the sink plays in real time */
  gboolean on_headphones; /* the sink opened is a headphone one */
  gboolean fresh;         /* nothing pushed since the pipeline (re)started */
  gboolean eos_sent;
  gboolean dirty; /* audio pushed since the last EOS */
  GstClockTime last_end;
  GstDeviceMonitor *monitor;
  int sample_rate;
  char *voice_detail; /* "espeak-ng 1.51, voice cmn-latn-pinyin" */

  /* seg_lock: the utterance in the pipeline, shared with the streaming
   * thread's pad probe and the bus sync handler. */
  GMutex seg_lock;
  GCond seg_cond;
  guint seg_id;
  GstClockTime seg_start;
  GstClockTime seg_end; /* NONE while synthesising */
  GstClockTime seg_seen_end;
  gboolean seg_started;
  gboolean seg_reached;
  GstElement *seg_pipeline; /* borrowed: the worker outlives its use */
  gboolean opened;          /* errors from here on are runtime faults */
  gboolean broken;
  char *open_error;
  gboolean eos_seen;

  /* vol_lock: the volume element, set from the main thread. */
  GMutex vol_lock;
  GstElement *volume;
  double volume_linear;
} Engine;

static void
engine_post (Engine *engine, VoiceEvent *event)
{
  GSource *source = g_idle_source_new ();

  event->link = voice_link_ref (engine->link);
  /* Same priority as the main thread's own emissions: order is kept. */
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, dispatch_event, event, (GDestroyNotify) voice_event_free);
  g_source_set_static_name (source, "[linli-voice] event");
  g_source_attach (source, engine->main_context);
  g_source_unref (source);
}

static void
engine_post_fault (Engine *engine, LinliVoiceError code, const char *detail)
{
  VoiceEvent *event = voice_event_new (EVENT_FAULT);

  event->code = code;
  event->detail = g_strdup (detail);
  engine_post (engine, event);
}

/* Wakes a synthesis waiting for the sink (to see an abort or quit). */
static void
engine_wake (Engine *engine)
{
  g_mutex_lock (&engine->seg_lock);
  g_cond_broadcast (&engine->seg_cond);
  g_mutex_unlock (&engine->seg_lock);
}

/* With seg_lock held. */
static void
engine_check_reached_locked (Engine *engine)
{
  VoiceEvent *event;

  if (engine->seg_id == 0 || engine->seg_reached || !GST_CLOCK_TIME_IS_VALID (engine->seg_end)
      || engine->seg_seen_end + END_TOLERANCE < engine->seg_end)
    return;

  engine->seg_reached = TRUE;
  event = voice_event_new (EVENT_REACHED);
  event->id = engine->seg_id;
  event->end = engine->seg_end;
  event->is_live = engine->is_live;
  event->pipeline = gst_object_ref (engine->seg_pipeline);
  engine_post (engine, event);
}

/* Streaming thread: a buffer is about to enter the sink. */
static GstPadProbeReturn
on_sink_buffer (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  Engine *engine = user_data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  GstClockTime pts = GST_BUFFER_PTS (buffer);
  GstClockTime end;

  if (!GST_CLOCK_TIME_IS_VALID (pts))
    return GST_PAD_PROBE_OK;
  end = pts + (GST_BUFFER_DURATION_IS_VALID (buffer) ? GST_BUFFER_DURATION (buffer) : 0);

  g_mutex_lock (&engine->seg_lock);
  /* Timestamps only grow within a stream: an earlier buffer is what is
   * left of an utterance that was cut without a flush. */
  if (engine->seg_id != 0 && GST_CLOCK_TIME_IS_VALID (engine->seg_start)
      && pts + GST_MSECOND >= engine->seg_start)
    {
      if (!engine->seg_started)
        {
          VoiceEvent *event = voice_event_new (EVENT_STARTED);

          engine->seg_started = TRUE;
          event->id = engine->seg_id;
          engine_post (engine, event);
        }
      if (end > engine->seg_seen_end)
        {
          engine->seg_seen_end = end;
          g_cond_broadcast (&engine->seg_cond);
        }
      engine_check_reached_locked (engine);
    }
  g_mutex_unlock (&engine->seg_lock);
  return GST_PAD_PROBE_OK;
}

/* Any thread that posts on the pipeline's bus. */
static GstBusSyncReply
on_bus_message (GstBus *bus, GstMessage *message, gpointer user_data)
{
  Engine *engine = user_data;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_ERROR:
      {
        g_autoptr (GError) error = NULL;
        g_autofree char *debug = NULL;

        gst_message_parse_error (message, &error, &debug);
        g_mutex_lock (&engine->seg_lock);
        if (!engine->opened)
          {
            /* Opening: the worker reads it and tries the next sink. */
            if (engine->open_error == NULL)
              engine->open_error = g_strdup (error->message);
          }
        else if (!engine->broken)
          {
            g_autofree char *detail = g_strdup_printf ("audio output failed: %s", error->message);

            g_debug ("pipeline error: %s", debug != NULL ? debug : "");
            engine_post_fault (engine, LINLI_VOICE_ERROR_FAILED, detail);
          }
        engine->broken = TRUE;
        g_cond_broadcast (&engine->seg_cond);
        g_mutex_unlock (&engine->seg_lock);
        break;
      }
    case GST_MESSAGE_EOS:
      g_mutex_lock (&engine->seg_lock);
      engine->eos_seen = TRUE;
      g_cond_broadcast (&engine->seg_cond);
      g_mutex_unlock (&engine->seg_lock);
      engine_post (engine, voice_event_new (EVENT_EOS));
      break;
    default:
      break;
    }
  /* Nothing else reads this bus: keep it from filling up. A sync handler
   * that drops a message owns it. */
  gst_message_unref (message);
  return GST_BUS_DROP;
}

static GstBusSyncReply
on_monitor_message (GstBus *bus, GstMessage *message, gpointer user_data)
{
  Engine *engine = user_data;
  VoiceEvent *event;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_DEVICE_ADDED:
      event = voice_event_new (EVENT_DEVICE_ADDED);
      gst_message_parse_device_added (message, &event->device);
      engine_post (engine, event);
      break;
    case GST_MESSAGE_DEVICE_REMOVED:
      event = voice_event_new (EVENT_DEVICE_REMOVED);
      gst_message_parse_device_removed (message, &event->device);
      engine_post (engine, event);
      break;
    case GST_MESSAGE_DEVICE_CHANGED:
      {
        /* A port or description changed: judge the device afresh. */
        VoiceEvent *removed = voice_event_new (EVENT_DEVICE_REMOVED);

        event = voice_event_new (EVENT_DEVICE_ADDED);
        gst_message_parse_device_changed (message, &event->device, &removed->device);
        engine_post (engine, removed);
        engine_post (engine, event);
        break;
      }
    default:
      break;
    }
  gst_message_unref (message);
  return GST_BUS_DROP;
}

static void
engine_reset_segment (Engine *engine)
{
  g_mutex_lock (&engine->seg_lock);
  engine->seg_id = 0;
  engine->eos_seen = FALSE;
  g_cond_broadcast (&engine->seg_cond);
  g_mutex_unlock (&engine->seg_lock);
}

/* Ends the stream and waits (bounded) until the sink has it all. */
static void
engine_end_stream (Engine *engine, gboolean wait)
{
  gint64 deadline = g_get_monotonic_time () + EOS_TIMEOUT_US;

  if (engine->appsrc == NULL || engine->eos_sent)
    return;
  engine->eos_sent = TRUE;
  gst_app_src_end_of_stream (GST_APP_SRC (engine->appsrc));
  if (!wait)
    return;

  g_mutex_lock (&engine->seg_lock);
  while (!engine->eos_seen && !engine->broken)
    if (!g_cond_wait_until (&engine->seg_cond, &engine->seg_lock, deadline))
      break;
  g_mutex_unlock (&engine->seg_lock);
}

static void
engine_teardown (Engine *engine)
{
  if (engine->pipeline == NULL)
    return;

  /* A file sink gets its end, so the file is complete (WAV sizes). */
  if (!engine->is_live && engine->dirty && !engine->broken)
    engine_end_stream (engine, TRUE);

  gst_element_set_state (engine->pipeline, GST_STATE_NULL);

  g_mutex_lock (&engine->vol_lock);
  g_clear_object (&engine->volume);
  g_mutex_unlock (&engine->vol_lock);

  g_mutex_lock (&engine->seg_lock);
  engine->seg_id = 0;
  engine->seg_pipeline = NULL;
  engine->opened = FALSE;
  g_mutex_unlock (&engine->seg_lock);

  g_clear_object (&engine->pipeline);
  engine->appsrc = NULL;
  g_clear_pointer (&engine->output_name, g_free);
}

/* Drops what an audio device still buffers: READY releases the device's
 * buffer, and PLAYING starts a new stream at running time 0. */
static void
engine_restart (Engine *engine)
{
  gst_element_set_state (engine->pipeline, GST_STATE_READY);
  engine_reset_segment (engine);
  engine->last_end = 0;
  engine->fresh = TRUE;
  engine->eos_sent = FALSE;
  engine->dirty = FALSE;
  if (gst_element_set_state (engine->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      gboolean reported;

      /* The bus handler has reported the element's error, if it posted one. */
      g_mutex_lock (&engine->seg_lock);
      reported = engine->broken;
      engine->broken = TRUE;
      g_mutex_unlock (&engine->seg_lock);
      if (!reported)
        engine_post_fault (engine, LINLI_VOICE_ERROR_FAILED,
                           "audio output failed: does not restart");
    }
}

/* Builds appsrc → audioconvert → audioresample → volume → @sink and
 * brings it to PLAYING (a sink that cannot open fails here). Takes @sink. */
static gboolean
engine_build (Engine *engine, GstElement *sink, GError **error)
{
  g_autoptr (GstElement) pipeline = gst_pipeline_new ("linli-voice");
  g_autoptr (GstBus) bus = gst_element_get_bus (pipeline);
  g_autoptr (GstCaps) caps = NULL;
  g_autoptr (GstPad) pad = NULL;
  const char *names[] = { "appsrc", "audioconvert", "audioresample", "volume" };
  GstElement *elements[G_N_ELEMENTS (names)];
  gboolean ok = TRUE;

  gst_bin_add (GST_BIN (pipeline), sink);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      elements[i] = gst_element_factory_make (names[i], NULL);
      if (elements[i] == NULL)
        {
          g_set_error (error, LINLI_VOICE_ERROR, LINLI_VOICE_ERROR_NO_OUTPUT,
                       "GStreamer element %s is missing", names[i]);
          return FALSE;
        }
      gst_bin_add (GST_BIN (pipeline), elements[i]);
    }
  if (!gst_element_link_many (elements[0], elements[1], elements[2], elements[3], sink, NULL))
    {
      g_set_error_literal (error, LINLI_VOICE_ERROR, LINLI_VOICE_ERROR_NO_OUTPUT,
                           "the sink does not take audio");
      return FALSE;
    }

  caps = gst_caps_new_simple ("audio/x-raw", "format", G_TYPE_STRING, "S16LE", "layout",
                              G_TYPE_STRING, "interleaved", "rate", G_TYPE_INT, engine->sample_rate,
                              "channels", G_TYPE_INT, 1, NULL);
  /* Unbounded: synthesis paces itself on what the sink takes, and a push
   * must never block the worker (and espeak_lock with it). */
  g_object_set (elements[0], "caps", caps, "format", GST_FORMAT_TIME, "is-live", FALSE, "max-bytes",
                (guint64) 0, "block", FALSE, NULL);

  /* Before any data flows: the pad probe reads it. */
  engine->is_live = plays_in_real_time (sink);
  g_mutex_lock (&engine->seg_lock);
  engine->opened = FALSE;
  engine->broken = FALSE;
  engine->eos_seen = FALSE;
  g_clear_pointer (&engine->open_error, g_free);
  g_mutex_unlock (&engine->seg_lock);
  gst_bus_set_sync_handler (bus, on_bus_message, engine, NULL);

  /* READY opens the audio server or device; PLAYING a file sink's file. */
  if (gst_element_set_state (pipeline, GST_STATE_READY) == GST_STATE_CHANGE_FAILURE
      || gst_element_set_state (pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    ok = FALSE;
  g_mutex_lock (&engine->seg_lock);
  if (!ok || engine->broken)
    {
      g_set_error_literal (error, LINLI_VOICE_ERROR, LINLI_VOICE_ERROR_NO_OUTPUT,
                           engine->open_error != NULL ? engine->open_error : "does not open");
      ok = FALSE;
    }
  g_mutex_unlock (&engine->seg_lock);
  if (!ok)
    {
      gst_element_set_state (pipeline, GST_STATE_NULL);
      return FALSE;
    }

  pad = gst_element_get_static_pad (sink, "sink");
  if (pad != NULL)
    gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, on_sink_buffer, engine, NULL);

  engine->appsrc = elements[0];
  engine->pipeline = g_steal_pointer (&pipeline);
  engine->fresh = TRUE;
  engine->eos_sent = FALSE;
  engine->dirty = FALSE;
  engine->last_end = 0;

  g_mutex_lock (&engine->seg_lock);
  engine->seg_id = 0;
  engine->seg_pipeline = engine->pipeline;
  engine->opened = TRUE;
  g_mutex_unlock (&engine->seg_lock);

  g_mutex_lock (&engine->vol_lock);
  engine->volume = gst_object_ref (elements[3]);
  g_object_set (engine->volume, "volume", engine->volume_linear, NULL);
  g_mutex_unlock (&engine->vol_lock);
  return TRUE;
}

/* Opens the output @spec names; for a headphone spec that fails, the
 * speaker. Posts EVENT_READY, or a fault. */
static gboolean
engine_open (Engine *engine, const SinkSpec *spec, const SinkSpec *speaker)
{
  const char *const *candidates;
  const char *single[] = { spec->description, NULL };
  g_autoptr (GString) reasons = g_string_new (NULL);
  g_autofree char *opened = NULL;
  VoiceEvent *event;

  engine_teardown (engine);

  if (spec->device != NULL)
    {
      GstElement *sink = gst_device_create_element (spec->device, NULL);
      g_autofree char *name = gst_device_get_display_name (spec->device);
      g_autoptr (GError) error = NULL;

      if (sink != NULL && engine_build (engine, sink, &error))
        opened = g_strdup_printf ("%s (headphones)", name);
      else
        g_string_append_printf (reasons, "%s: %s", name,
                                error != NULL ? error->message : "no element");
    }
  else
    {
      candidates = spec->description != NULL && *spec->description != '\0' ? single : default_sinks;
      for (guint i = 0; opened == NULL && candidates[i] != NULL; i++)
        {
          g_autoptr (GError) error = NULL;
          GstElement *sink = make_sink (candidates[i], &error);

          if (sink != NULL && engine_build (engine, sink, &error))
            opened
                = g_strdup_printf ("%s%s", candidates[i], spec->headphones ? " (headphones)" : "");
          else
            g_string_append_printf (reasons, "%s%s: %s", reasons->len > 0 ? "; " : "",
                                    candidates[i], error->message);
        }
    }

  if (opened == NULL && spec->headphones && speaker != NULL)
    {
      /* Private text must not follow to the speaker: on_headphones stays
       * FALSE there, so only public text is said. */
      g_message ("headphone output does not open (%s); using the speaker", reasons->str);
      event = voice_event_new (EVENT_HEADPHONES_FAILED);
      event->device = spec->device != NULL ? gst_object_ref (spec->device) : NULL;
      engine_post (engine, event);
      return engine_open (engine, speaker, NULL);
    }
  if (opened == NULL)
    {
      g_autofree char *detail = g_strdup_printf ("no audio output: %s", reasons->str);

      engine_post_fault (engine, LINLI_VOICE_ERROR_NO_OUTPUT, detail);
      return FALSE;
    }

  engine->on_headphones = spec->headphones;
  engine->output_name = g_steal_pointer (&opened);
  event = voice_event_new (EVENT_READY);
  event->detail = g_strdup_printf ("%s, output %s", engine->voice_detail, engine->output_name);
  event->is_live = engine->is_live;
  event->on_headphones = engine->on_headphones;
  engine_post (engine, event);
  return TRUE;
}

/* Initialises espeak-ng and checks @voice; posts a fault when either fails. */
static gboolean
engine_check_voice (Engine *engine, const char *voice)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&espeak_lock);
  const char *data_path = NULL;
  const char *version;
  const char *loaded;

  engine->sample_rate = espeak_ensure_locked ();
  version = espeak_Info (&data_path);
  if (engine->sample_rate <= 0)
    {
      g_autofree char *detail
          = g_strdup_printf ("espeak-ng %s could not load its data from %s", version,
                             data_path != NULL ? data_path : "(unknown)");

      engine_post_fault (engine, LINLI_VOICE_ERROR_NO_DATA, detail);
      return FALSE;
    }
  loaded = espeak_use_voice_locked (voice);
  if (loaded == NULL)
    {
      g_autofree char *detail = g_strdup_printf ("espeak-ng %s has no voice %s", version, voice);

      engine_post_fault (engine, LINLI_VOICE_ERROR_NO_VOICE, detail);
      return FALSE;
    }
  g_free (engine->voice_detail);
  engine->voice_detail = g_strdup_printf ("espeak-ng %s, voice %s", version, loaded);
  return TRUE;
}

static void
engine_monitor (Engine *engine)
{
  g_autoptr (GstBus) bus = NULL;
  GList *devices;

  if (engine->monitor != NULL)
    return;

  engine->monitor = gst_device_monitor_new ();
  gst_device_monitor_add_filter (engine->monitor, "Audio/Sink", NULL);
  bus = gst_device_monitor_get_bus (engine->monitor);
  gst_bus_set_sync_handler (bus, on_monitor_message, engine, NULL);
  if (!gst_device_monitor_start (engine->monitor))
    {
      /* No audio server to ask: no jack detection, speaker only. */
      g_message ("headphone detection unavailable: no audio device provider started");
      g_clear_object (&engine->monitor);
      return;
    }

  devices = gst_device_monitor_get_devices (engine->monitor);
  for (GList *l = devices; l != NULL; l = l->next)
    {
      VoiceEvent *event = voice_event_new (EVENT_DEVICE_ADDED);

      event->device = l->data;
      engine_post (engine, event);
    }
  g_list_free (devices);
}

/* Running time at which the next utterance starts: at once on an idle
 * pipeline, never before the last one ended. */
static GstClockTime
engine_next_start (Engine *engine)
{
  g_autoptr (GstClock) clock = NULL;
  GstClockTime now;
  GstClockTime base_time;

  /* A (re)started pipeline has no running time yet: it begins with the
   * first buffer, once the sink has prerolled it. */
  if (engine->fresh)
    {
      engine->fresh = FALSE;
      return engine->last_end;
    }
  clock = gst_element_get_clock (engine->pipeline);
  if (clock == NULL)
    return engine->last_end;
  now = gst_clock_get_time (clock);
  base_time = gst_element_get_base_time (engine->pipeline);
  return MAX (engine->last_end, now > base_time ? now - base_time : 0);
}

typedef struct
{
  Engine *engine;
  Utterance *utterance;
  GstClockTime base;
  guint64 samples;
  gboolean unpaced;
} SynthRun;

static gboolean
synth_run_cancelled (SynthRun *run)
{
  return g_atomic_int_get (&run->utterance->aborted) || g_atomic_int_get (&run->engine->quitting);
}

/* Waits until the sink has taken audio up to PACE_AHEAD before @end. */
static void
engine_pace (SynthRun *run, GstClockTime end)
{
  Engine *engine = run->engine;
  gint64 deadline = g_get_monotonic_time () + STALL_TIMEOUT_US;
  GstClockTime seen;

  if (run->unpaced)
    return;
  g_mutex_lock (&engine->seg_lock);
  seen = engine->seg_seen_end;
  while (end > engine->seg_seen_end + PACE_AHEAD && !engine->broken && !synth_run_cancelled (run))
    {
      if (engine->seg_seen_end != seen)
        {
          seen = engine->seg_seen_end;
          deadline = g_get_monotonic_time () + STALL_TIMEOUT_US;
        }
      if (!g_cond_wait_until (&engine->seg_cond, &engine->seg_lock, deadline)
          && engine->seg_seen_end == seen)
        {
          g_message ("audio output takes no audio; no longer pacing this utterance");
          run->unpaced = TRUE;
          break;
        }
    }
  g_mutex_unlock (&engine->seg_lock);
}

static void
engine_push (SynthRun *run, const short *samples, int n_samples)
{
  Engine *engine = run->engine;
  GstBuffer *buffer = gst_buffer_new_memdup (samples, (gsize) n_samples * sizeof (short));
  GstClockTime pts;
  GstClockTime end;

  if (!GST_CLOCK_TIME_IS_VALID (run->base))
    {
      run->base = engine_next_start (engine);
      g_mutex_lock (&engine->seg_lock);
      engine->seg_start = run->base;
      engine->seg_seen_end = run->base;
      g_mutex_unlock (&engine->seg_lock);
      /* The sink resynchronises on it rather than waiting for drift. */
      GST_BUFFER_FLAG_SET (buffer, GST_BUFFER_FLAG_DISCONT);
    }
  pts = run->base + gst_util_uint64_scale (run->samples, GST_SECOND, engine->sample_rate);
  run->samples += (guint64) n_samples;
  end = run->base + gst_util_uint64_scale (run->samples, GST_SECOND, engine->sample_rate);
  GST_BUFFER_PTS (buffer) = pts;
  GST_BUFFER_DURATION (buffer) = end - pts;

  engine->dirty = TRUE;
  engine->last_end = end;
  gst_app_src_push_buffer (GST_APP_SRC (engine->appsrc), buffer);
  engine_pace (run, end);
}

/* espeak-ng calls this from espeak_Synth, on the worker thread, with
 * SYNTH_BUFFER_MS of audio at a time; returning 1 stops the synthesis. */
static int
synth_callback (short *samples, int n_samples, espeak_EVENT *events)
{
  SynthRun *run = events != NULL ? events->user_data : NULL;

  if (run == NULL)
    return 0;
  if (synth_run_cancelled (run))
    return 1;
  if (samples != NULL && n_samples > 0)
    engine_push (run, samples, n_samples);
  return synth_run_cancelled (run) ? 1 : 0;
}

static gboolean
engine_ensure_output (Engine *engine)
{
  SinkSpec speaker = { engine->speaker, NULL, FALSE };
  gboolean broken;

  g_mutex_lock (&engine->seg_lock);
  broken = engine->broken;
  g_mutex_unlock (&engine->seg_lock);
  /* After a runtime error (the audio server went away) try afresh. */
  if (engine->pipeline != NULL && !broken)
    return TRUE;
  return engine_open (engine, &engine->spec, &speaker);
}

static void
engine_synth (Engine *engine, Utterance *utterance)
{
  const char *text;
  char *sayable = NULL;
  guint n_skipped = 0;
  SynthRun run = { engine, utterance, GST_CLOCK_TIME_NONE, 0, FALSE };
  espeak_ERROR result;

  if (synth_run_cancelled (&run) || !engine_check_voice (engine, utterance->voice)
      || !engine_ensure_output (engine))
    return;

  /* Decided here, by the sink actually open, so that private text never
   * reaches a speaker (a headphone sink that failed to open, say). */
  text
      = utterance->has_private && engine->on_headphones ? utterance->private_text : utterance->text;
  if (text != NULL)
    sayable = make_sayable (text, !g_str_equal (utterance->voice, ENGLISH_VOICE_NAME), &n_skipped);
  if (n_skipped > 0)
    g_debug ("utterance %u: %u characters espeak-ng cannot say were skipped", utterance->id,
             n_skipped);
  if (sayable == NULL || *sayable == '\0')
    {
      VoiceEvent *event = voice_event_new (EVENT_SILENT);

      wipe_string (sayable);
      event->id = utterance->id;
      engine_post (engine, event);
      return;
    }

  /* After an EOS the stream starts anew (a file sink: a new file). */
  if (engine->eos_sent)
    engine_restart (engine);

  g_mutex_lock (&engine->seg_lock);
  engine->seg_id = utterance->id;
  engine->seg_start = GST_CLOCK_TIME_NONE;
  engine->seg_end = GST_CLOCK_TIME_NONE;
  engine->seg_seen_end = 0;
  engine->seg_started = FALSE;
  engine->seg_reached = FALSE;
  g_mutex_unlock (&engine->seg_lock);

  g_mutex_lock (&espeak_lock);
  if (espeak_use_voice_locked (utterance->voice) != NULL)
    {
      espeak_SetParameter (espeakRATE, utterance->rate, 0);
      result = espeak_Synth (sayable, strlen (sayable) + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8,
                             NULL, &run);
      if (result != EE_OK)
        g_message ("utterance %u: espeak-ng refused it (%d)", utterance->id, result);
    }
  g_mutex_unlock (&espeak_lock);
  wipe_string (sayable);

  if (run.samples == 0)
    {
      VoiceEvent *event = voice_event_new (EVENT_SILENT);

      event->id = utterance->id;
      engine_post (engine, event);
      return;
    }

  g_mutex_lock (&engine->seg_lock);
  if (engine->seg_id == utterance->id)
    {
      engine->seg_end
          = run.base + gst_util_uint64_scale (run.samples, GST_SECOND, engine->sample_rate);
      engine_check_reached_locked (engine);
    }
  g_mutex_unlock (&engine->seg_lock);
}

static gpointer
engine_thread (gpointer user_data)
{
  Engine *engine = user_data;
  gboolean quit = FALSE;

  while (!quit)
    {
      Command *command = g_async_queue_pop (engine->commands);

      switch (command->kind)
        {
        case CMD_START:
          engine->speaker = g_strdup (command->spec.description);
          sink_spec_copy (&engine->spec, &command->spec);
          if (engine_check_voice (engine, command->voice))
            engine_open (engine, &engine->spec, NULL);
          if (command->monitor)
            engine_monitor (engine);
          break;
        case CMD_SYNTH:
          engine_synth (engine, command->utterance);
          break;
        case CMD_FLUSH:
          if (engine->pipeline != NULL && engine->is_live)
            engine_restart (engine);
          else
            engine_reset_segment (engine);
          break;
        case CMD_EOS:
          if (engine->pipeline != NULL && !engine->eos_sent)
            engine_end_stream (engine, FALSE);
          else
            engine_post (engine, voice_event_new (EVENT_EOS));
          break;
        case CMD_SINK:
          {
            SinkSpec speaker = { engine->speaker, NULL, FALSE };

            if (sink_spec_equal (&engine->spec, &command->spec) && engine->pipeline != NULL)
              break;
            sink_spec_copy (&engine->spec, &command->spec);
            if (engine_open (engine, &engine->spec, &speaker) && !engine->on_headphones
                && engine->spec.headphones)
              {
                /* Fell back: the speaker is what is open. */
                sink_spec_clear (&engine->spec);
                engine->spec.description = g_strdup (engine->speaker);
              }
            break;
          }
        case CMD_CHECK_VOICE:
          if (engine_check_voice (engine, command->voice) && engine_ensure_output (engine))
            {
              VoiceEvent *event = voice_event_new (EVENT_READY);

              event->detail
                  = g_strdup_printf ("%s, output %s", engine->voice_detail, engine->output_name);
              event->is_live = engine->is_live;
              event->on_headphones = engine->on_headphones;
              engine_post (engine, event);
            }
          break;
        case CMD_MONITOR:
          engine_monitor (engine);
          break;
        case CMD_QUIT:
          quit = TRUE;
          break;
        }
      command_free (command);
    }

  if (engine->monitor != NULL)
    {
      gst_device_monitor_stop (engine->monitor);
      g_clear_object (&engine->monitor);
    }
  engine_teardown (engine);
  return NULL;
}

static void
engine_send (Engine *engine, Command *command)
{
  g_async_queue_push (engine->commands, command);
}

static Engine *
engine_new (VoiceLink *link, GMainContext *main_context, double volume_linear, GError **error)
{
  Engine *engine = g_new0 (Engine, 1);

  engine->link = voice_link_ref (link);
  engine->main_context = g_main_context_ref (main_context);
  engine->commands = g_async_queue_new_full ((GDestroyNotify) command_free);
  engine->volume_linear = volume_linear;
  engine->seg_end = GST_CLOCK_TIME_NONE;
  engine->voice_detail = g_strdup ("espeak-ng");
  g_mutex_init (&engine->seg_lock);
  g_cond_init (&engine->seg_cond);
  g_mutex_init (&engine->vol_lock);

  engine->thread = g_thread_try_new ("linli-voice", engine_thread, engine, error);
  if (engine->thread == NULL)
    {
      g_async_queue_unref (engine->commands);
      g_main_context_unref (engine->main_context);
      voice_link_unref (engine->link);
      g_mutex_clear (&engine->seg_lock);
      g_cond_clear (&engine->seg_cond);
      g_mutex_clear (&engine->vol_lock);
      g_free (engine->voice_detail);
      g_free (engine);
      return NULL;
    }
  return engine;
}

/* Stops the worker (cutting what it synthesises) and frees the engine. */
static void
engine_free (Engine *engine, Utterance *active)
{
  g_atomic_int_set (&engine->quitting, TRUE);
  if (active != NULL)
    g_atomic_int_set (&active->aborted, TRUE);
  engine_wake (engine);
  g_async_queue_push_front (engine->commands, command_new (CMD_QUIT));
  g_thread_join (engine->thread);

  g_async_queue_unref (engine->commands);
  g_main_context_unref (engine->main_context);
  voice_link_unref (engine->link);
  sink_spec_clear (&engine->spec);
  g_free (engine->speaker);
  g_free (engine->open_error);
  g_free (engine->voice_detail);
  g_mutex_clear (&engine->seg_lock);
  g_cond_clear (&engine->seg_cond);
  g_mutex_clear (&engine->vol_lock);
  g_free (engine);
}

/* ---- The object ----------------------------------------------------------------------------- */

struct _LinliVoice
{
  LinliDevice parent_instance;

  GMainContext *main_context;
  VoiceLink *link;
  Engine *engine;

  /* Read by the probe's thread too. */
  GMutex lock;
  char *voice_name;
  int fault_code; /* atomic: LinliVoiceError of the last fault */

  char *sink;
  char *headphone_sink;
  int rate;
  int volume_step;
  int default_volume_step;
  LinliVoiceHeadphones headphones;
  LinliVoiceOutput output;
  gboolean speaking;

  guint next_id;
  GQueue queue; /* Utterance, not yet dispatched */
  Utterance *active;

  /* What the worker was last asked to play to. */
  SinkSpec sent_spec;
  gboolean engine_known; /* the worker said READY or FAULT */
  gboolean sink_is_live;
  gboolean headphone_sink_failed;
  GPtrArray *headphone_devices; /* GstDevice */

  /* Waiting for the active utterance to be heard on a real-time sink. */
  GSource *heard_source;
  GstElement *heard_pipeline;
  GstClockTime heard_end;
  gint64 heard_deadline;

  GQueue emissions; /* Emission, emitted from emit_source in order */
  GSource *emit_source;

  GPtrArray *drains; /* GTask */
  gboolean eos_pending;
};

G_DEFINE_FINAL_TYPE (LinliVoice, linli_voice, LINLI_TYPE_DEVICE)

enum
{
  PROP_0,
  PROP_VOICE_NAME,
  PROP_SINK,
  PROP_HEADPHONE_SINK,
  PROP_RATE,
  PROP_VOLUME_STEP,
  PROP_DEFAULT_VOLUME_STEP,
  PROP_HEADPHONES,
  PROP_OUTPUT,
  PROP_SPEAKING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_UTTERANCE_STARTED,
  SIGNAL_UTTERANCE_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  guint signal;
  guint id;
  gboolean completed;
} Emission;

static void try_complete_drains (LinliVoice *self);
static void dispatch_next (LinliVoice *self);

static double
volume_linear (int step)
{
  return pow (10.0, (step - (LINLI_VOICE_VOLUME_STEPS - 1)) * LINLI_VOICE_VOLUME_STEP_DB / 20.0);
}

static gboolean
emit_pending (gpointer user_data)
{
  LinliVoice *self = user_data;
  Emission *emission;

  g_clear_pointer (&self->emit_source, g_source_unref);
  g_object_ref (self);
  while ((emission = g_queue_pop_head (&self->emissions)) != NULL)
    {
      if (emission->signal == SIGNAL_UTTERANCE_STARTED)
        g_signal_emit (self, signals[SIGNAL_UTTERANCE_STARTED], 0, emission->id);
      else
        g_signal_emit (self, signals[SIGNAL_UTTERANCE_FINISHED], 0, emission->id,
                       emission->completed);
      g_free (emission);
    }
  try_complete_drains (self);
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

/* Signals go out from an idle on the main context, in order, never from
 * inside speak() or stop(): a handler may speak again. */
static void
queue_emission (LinliVoice *self, guint signal, guint id, gboolean completed)
{
  Emission *emission = g_new0 (Emission, 1);

  emission->signal = signal;
  emission->id = id;
  emission->completed = completed;
  g_queue_push_tail (&self->emissions, emission);
  if (self->emit_source == NULL)
    {
      self->emit_source = g_idle_source_new ();
      g_source_set_priority (self->emit_source, G_PRIORITY_DEFAULT);
      g_source_set_callback (self->emit_source, emit_pending, self, NULL);
      g_source_set_static_name (self->emit_source, "[linli-voice] emit");
      g_source_attach (self->emit_source, self->main_context);
    }
}

static void
update_speaking (LinliVoice *self)
{
  gboolean speaking = self->active != NULL || !g_queue_is_empty (&self->queue);

  if (self->speaking == speaking)
    return;
  self->speaking = speaking;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPEAKING]);
}

static void
stop_heard_wait (LinliVoice *self)
{
  if (self->heard_source != NULL)
    {
      g_source_destroy (self->heard_source);
      g_clear_pointer (&self->heard_source, g_source_unref);
    }
  g_clear_object (&self->heard_pipeline);
}

static void
finish_active (LinliVoice *self, gboolean completed)
{
  g_autoptr (Utterance) utterance = g_steal_pointer (&self->active);

  stop_heard_wait (self);
  if (utterance == NULL)
    return;
  queue_emission (self, SIGNAL_UTTERANCE_FINISHED, utterance->id, completed);
  dispatch_next (self);
  update_speaking (self);
}

/* Stops the active utterance now: espeak-ng stops at its next callback,
 * an audio device drops what it buffers. */
static void
cut_active (LinliVoice *self)
{
  if (self->active == NULL)
    return;
  g_atomic_int_set (&self->active->aborted, TRUE);
  if (self->engine != NULL)
    {
      engine_wake (self->engine);
      engine_send (self->engine, command_new (CMD_FLUSH));
    }
  finish_active (self, FALSE);
}

/* Drops queued utterances of @priority or lower. */
static void
drop_queued (LinliVoice *self, LinliVoicePriority priority)
{
  GList *l = self->queue.head;

  while (l != NULL)
    {
      GList *next = l->next;
      Utterance *utterance = l->data;

      if (utterance->priority <= priority)
        {
          g_queue_delete_link (&self->queue, l);
          g_atomic_int_set (&utterance->aborted, TRUE);
          queue_emission (self, SIGNAL_UTTERANCE_FINISHED, utterance->id, FALSE);
          utterance_unref (utterance);
        }
      l = next;
    }
}

static void
complete_drains (LinliVoice *self, GError *error)
{
  g_autoptr (GPtrArray) drains = g_steal_pointer (&self->drains);

  self->drains = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < drains->len; i++)
    {
      GTask *task = g_ptr_array_index (drains, i);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
}

static void
try_complete_drains (LinliVoice *self)
{
  if (self->drains->len == 0 || self->active != NULL || !g_queue_is_empty (&self->queue))
    return;
  if (self->engine == NULL)
    {
      complete_drains (self, NULL);
      return;
    }
  if (!self->engine_known)
    return;
  if (!self->sink_is_live)
    {
      /* A file is complete only once the stream has ended. */
      if (!self->eos_pending)
        {
          self->eos_pending = TRUE;
          engine_send (self->engine, command_new (CMD_EOS));
        }
      return;
    }
  complete_drains (self, NULL);
}

static void
set_fault (LinliVoice *self, LinliVoiceError code, const char *detail)
{
  g_autoptr (GError) error = g_error_new_literal (LINLI_VOICE_ERROR, code, detail);

  g_atomic_int_set (&self->fault_code, code);
  self->engine_known = TRUE;
  self->eos_pending = FALSE;
  g_message ("voice unavailable: %s", detail);
  linli_device_set_state (LINLI_DEVICE (self), LINLI_DEVICE_STATE_FAULT, detail);
  /* The kiosk goes on silently: nothing queued is said. */
  drop_queued (self, LINLI_VOICE_PRIORITY_ALERT);
  cut_active (self);
  update_speaking (self);
  complete_drains (self, error);
}

static LinliVoiceOutput
compute_output (LinliVoice *self)
{
  gboolean has_sink = self->headphone_sink != NULL && !self->headphone_sink_failed;

  switch (self->headphones)
    {
    case LINLI_VOICE_HEADPHONES_ALWAYS:
      /* Without a headphone sink the speaker sink is declared private. */
      return self->headphone_sink == NULL || has_sink ? LINLI_VOICE_OUTPUT_HEADPHONES
                                                      : LINLI_VOICE_OUTPUT_SPEAKER;
    case LINLI_VOICE_HEADPHONES_NEVER:
      return LINLI_VOICE_OUTPUT_SPEAKER;
    case LINLI_VOICE_HEADPHONES_AUTO:
    default:
      if (self->headphone_devices->len == 0)
        return LINLI_VOICE_OUTPUT_SPEAKER;
      return self->headphone_sink == NULL || has_sink ? LINLI_VOICE_OUTPUT_HEADPHONES
                                                      : LINLI_VOICE_OUTPUT_SPEAKER;
    }
}

static void
desired_spec (LinliVoice *self, SinkSpec *spec)
{
  sink_spec_clear (spec);
  if (self->output == LINLI_VOICE_OUTPUT_SPEAKER)
    {
      spec->description = g_strdup (self->sink);
      return;
    }
  spec->headphones = TRUE;
  if (self->headphone_sink != NULL)
    spec->description = g_strdup (self->headphone_sink);
  else if (self->headphone_devices->len > 0)
    spec->device = gst_object_ref (g_ptr_array_index (self->headphone_devices, 0));
  else
    spec->description = g_strdup (self->sink);
}

static void
update_output (LinliVoice *self)
{
  LinliVoiceOutput output = compute_output (self);

  if (self->output == output)
    return;
  self->output = output;
  g_message ("speech goes to the %s",
             output == LINLI_VOICE_OUTPUT_HEADPHONES ? "headphones" : "speaker");
  /* What is being said on headphones stops with them: the audio server
   * would move it to the speaker. */
  if (output == LINLI_VOICE_OUTPUT_SPEAKER && self->active != NULL && self->active->on_headphones)
    cut_active (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUTPUT]);
}

static void
ensure_engine (LinliVoice *self)
{
  g_autoptr (GError) error = NULL;
  Command *command;

  if (self->engine != NULL)
    return;
  if (!ensure_gstreamer (&error))
    {
      set_fault (self, LINLI_VOICE_ERROR_NO_OUTPUT, error->message);
      return;
    }
  self->engine
      = engine_new (self->link, self->main_context, volume_linear (self->volume_step), &error);
  if (self->engine == NULL)
    {
      set_fault (self, LINLI_VOICE_ERROR_FAILED, error->message);
      return;
    }

  command = command_new (CMD_START);
  g_mutex_lock (&self->lock);
  command->voice = g_strdup (self->voice_name);
  g_mutex_unlock (&self->lock);
  command->spec.description = g_strdup (self->sink);
  command->monitor = self->headphones == LINLI_VOICE_HEADPHONES_AUTO;
  sink_spec_copy (&self->sent_spec, &command->spec);
  engine_send (self->engine, command);
}

static void
dispatch_next (LinliVoice *self)
{
  SinkSpec spec = { 0 };
  Utterance *utterance;

  if (self->active != NULL || g_queue_is_empty (&self->queue))
    return;
  ensure_engine (self);
  if (self->engine == NULL)
    return;

  /* Switching outputs rebuilds the pipeline: only between utterances. */
  desired_spec (self, &spec);
  if (!sink_spec_equal (&spec, &self->sent_spec))
    {
      Command *command = command_new (CMD_SINK);

      sink_spec_copy (&command->spec, &spec);
      sink_spec_copy (&self->sent_spec, &spec);
      engine_send (self->engine, command);
    }
  sink_spec_clear (&spec);

  utterance = g_queue_pop_head (&self->queue);
  utterance->on_headphones = self->sent_spec.headphones;
  self->active = utterance;
  {
    Command *command = command_new (CMD_SYNTH);

    command->utterance = utterance_ref (utterance);
    engine_send (self->engine, command);
  }
}

static gboolean
on_heard_check (gpointer user_data)
{
  LinliVoice *self = user_data;
  gint64 position = -1;
  guint interval_ms = 20;

  g_clear_pointer (&self->heard_source, g_source_unref);
  if (self->active == NULL || self->heard_pipeline == NULL)
    return G_SOURCE_REMOVE;

  if (gst_element_query_position (self->heard_pipeline, GST_FORMAT_TIME, &position)
      && position >= 0)
    {
      if ((GstClockTime) position + END_TOLERANCE >= self->heard_end)
        {
          finish_active (self, TRUE);
          return G_SOURCE_REMOVE;
        }
      interval_ms = CLAMP ((self->heard_end - position) / GST_MSECOND, 5, 50);
    }
  if (g_get_monotonic_time () > self->heard_deadline)
    {
      /* A sink that stopped reporting its position (a stalled server). */
      g_debug ("utterance %u: position did not reach the end; taken as heard", self->active->id);
      finish_active (self, TRUE);
      return G_SOURCE_REMOVE;
    }

  self->heard_source = g_timeout_source_new (interval_ms);
  g_source_set_callback (self->heard_source, on_heard_check, self, NULL);
  g_source_set_static_name (self->heard_source, "[linli-voice] heard");
  g_source_attach (self->heard_source, self->main_context);
  return G_SOURCE_REMOVE;
}

static gboolean
text_says_headphones (const char *text)
{
  g_autofree char *folded = text != NULL ? g_utf8_casefold (text, -1) : NULL;

  return folded != NULL
         && (strstr (folded, "headphone") != NULL || strstr (folded, "headset") != NULL
             || strstr (folded, "耳机") != NULL);
}

static gboolean
field_says_headphones (GQuark field, const GValue *value, gpointer user_data)
{
  gboolean *found = user_data;
  const char *name = g_quark_to_string (field);

  if (G_VALUE_HOLDS_STRING (value)
      && (strstr (name, "description") != NULL || strstr (name, "port") != NULL
          || g_str_equal (name, "device.icon_name"))
      && text_says_headphones (g_value_get_string (value)))
    *found = TRUE;
  return !*found;
}

/* A headphone jack or headset, by what the audio server says of it:
 * PulseAudio's device.form_factor, or names and ports with "Headphone". */
static gboolean
is_headphone_device (GstDevice *device)
{
  g_autofree char *name = gst_device_get_display_name (device);
  g_autoptr (GstStructure) props = gst_device_get_properties (device);
  const char *form_factor;
  gboolean found = FALSE;

  if (text_says_headphones (name))
    return TRUE;
  if (props == NULL)
    return FALSE;
  form_factor = gst_structure_get_string (props, "device.form_factor");
  if (g_strcmp0 (form_factor, "headphone") == 0 || g_strcmp0 (form_factor, "headset") == 0)
    return TRUE;
  gst_structure_foreach (props, field_says_headphones, &found);
  return found;
}

static void
on_device_added (LinliVoice *self, GstDevice *device)
{
  g_autofree char *name = NULL;

  if (g_ptr_array_find (self->headphone_devices, device, NULL) || !is_headphone_device (device))
    return;
  name = gst_device_get_display_name (device);
  g_message ("headphones plugged in: %s", name);
  g_ptr_array_add (self->headphone_devices, gst_object_ref (device));
  update_output (self);
}

static void
on_device_removed (LinliVoice *self, GstDevice *device)
{
  guint index;

  if (!g_ptr_array_find (self->headphone_devices, device, &index))
    return;
  g_message ("headphones unplugged");
  /* Speech on that very device stops with it. */
  if (self->active != NULL && self->active->on_headphones && self->sent_spec.device == device)
    cut_active (self);
  g_ptr_array_remove_index (self->headphone_devices, index);
  update_output (self);
}

static gboolean
dispatch_event (gpointer user_data)
{
  VoiceEvent *event = user_data;
  LinliVoice *self = event->link->self;
  gint64 position = -1;
  GstClockTime remaining;

  if (self == NULL)
    return G_SOURCE_REMOVE;
  g_object_ref (self);

  switch (event->kind)
    {
    case EVENT_READY:
      self->engine_known = TRUE;
      self->sink_is_live = event->is_live;
      linli_device_set_state (LINLI_DEVICE (self), LINLI_DEVICE_STATE_READY, event->detail);
      try_complete_drains (self);
      break;
    case EVENT_FAULT:
      set_fault (self, event->code, event->detail);
      break;
    case EVENT_STARTED:
      if (self->active != NULL && self->active->id == event->id && !self->active->started)
        {
          self->active->started = TRUE;
          queue_emission (self, SIGNAL_UTTERANCE_STARTED, event->id, FALSE);
        }
      break;
    case EVENT_REACHED:
      if (self->active == NULL || self->active->id != event->id)
        break;
      if (!event->is_live)
        {
          finish_active (self, TRUE);
          break;
        }
      /* On a device it is heard when the position gets there. */
      stop_heard_wait (self);
      self->heard_pipeline = g_steal_pointer (&event->pipeline);
      self->heard_end = event->end;
      if (!gst_element_query_position (self->heard_pipeline, GST_FORMAT_TIME, &position)
          || position < 0 || (GstClockTime) position > event->end)
        position = 0;
      remaining = MIN (event->end - (GstClockTime) position, 60 * GST_SECOND);
      self->heard_deadline
          = g_get_monotonic_time () + (gint64) (remaining / GST_USECOND) + 2 * G_USEC_PER_SEC;
      on_heard_check (self);
      break;
    case EVENT_SILENT:
      if (self->active != NULL && self->active->id == event->id)
        finish_active (self, TRUE);
      break;
    case EVENT_EOS:
      if (self->eos_pending)
        {
          self->eos_pending = FALSE;
          if (self->active == NULL && g_queue_is_empty (&self->queue))
            complete_drains (self, NULL);
          else
            try_complete_drains (self);
        }
      break;
    case EVENT_DEVICE_ADDED:
      on_device_added (self, event->device);
      break;
    case EVENT_DEVICE_REMOVED:
      on_device_removed (self, event->device);
      break;
    case EVENT_HEADPHONES_FAILED:
      /* Not tried again until the device comes back. */
      if (event->device != NULL)
        on_device_removed (self, event->device);
      else
        self->headphone_sink_failed = TRUE;
      sink_spec_clear (&self->sent_spec);
      self->sent_spec.description = g_strdup (self->sink);
      update_output (self);
      break;
    }

  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

/* ---- Probe ---------------------------------------------------------------------------------- */

static LinliDeviceState
linli_voice_probe (LinliDevice *device, char **detail, GCancellable *cancellable)
{
  LinliVoice *self = LINLI_VOICE (device);
  g_autoptr (GError) error = NULL;
  g_autofree char *requested = NULL;
  g_autofree char *voice = NULL;
  g_autofree char *output = NULL;
  const char *data_path = NULL;
  const char *version;

  g_mutex_lock (&self->lock);
  requested = g_strdup (self->voice_name);
  g_mutex_unlock (&self->lock);

  {
    g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&espeak_lock);
    int sample_rate = espeak_ensure_locked ();
    const char *loaded;

    version = espeak_Info (&data_path);
    if (sample_rate <= 0)
      {
        *detail = g_strdup_printf ("espeak-ng %s could not load its data from %s", version,
                                   data_path != NULL ? data_path : "(unknown)");
        g_atomic_int_set (&self->fault_code, LINLI_VOICE_ERROR_NO_DATA);
        return LINLI_DEVICE_STATE_FAULT;
      }
    loaded = espeak_use_voice_locked (requested);
    if (loaded == NULL)
      {
        *detail = g_strdup_printf ("espeak-ng %s has no voice %s", version, requested);
        g_atomic_int_set (&self->fault_code, LINLI_VOICE_ERROR_NO_VOICE);
        return LINLI_DEVICE_STATE_FAULT;
      }
    voice = g_strdup (loaded);
  }

  /* The speaker, as the kiosk would open it (no sound is made). */
  if (!check_output (self->sink, &output, &error))
    {
      *detail = g_strdup (error->message);
      g_atomic_int_set (&self->fault_code, LINLI_VOICE_ERROR_NO_OUTPUT);
      return LINLI_DEVICE_STATE_FAULT;
    }

  *detail = g_strdup_printf ("espeak-ng %s, voice %s, output %s", version, voice, output);
  return LINLI_DEVICE_STATE_READY;
}

/* ---- GObject -------------------------------------------------------------------------------- */

static void
linli_voice_dispose (GObject *object)
{
  LinliVoice *self = LINLI_VOICE (object);

  stop_heard_wait (self);
  if (self->emit_source != NULL)
    {
      g_source_destroy (self->emit_source);
      g_clear_pointer (&self->emit_source, g_source_unref);
    }
  g_queue_clear_full (&self->emissions, g_free);

  if (self->engine != NULL)
    {
      engine_free (self->engine, self->active);
      self->engine = NULL;
    }
  if (self->link != NULL)
    {
      self->link->self = NULL;
      g_clear_pointer (&self->link, voice_link_unref);
    }
  g_queue_clear_full (&self->queue, (GDestroyNotify) utterance_unref);
  g_clear_pointer (&self->active, utterance_unref);
  sink_spec_clear (&self->sent_spec);
  if (self->headphone_devices != NULL)
    g_ptr_array_set_size (self->headphone_devices, 0);

  G_OBJECT_CLASS (linli_voice_parent_class)->dispose (object);
}

static void
linli_voice_finalize (GObject *object)
{
  LinliVoice *self = LINLI_VOICE (object);

  g_free (self->voice_name);
  g_free (self->sink);
  g_free (self->headphone_sink);
  g_ptr_array_unref (self->headphone_devices);
  g_ptr_array_unref (self->drains);
  g_main_context_unref (self->main_context);
  g_mutex_clear (&self->lock);

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
    case PROP_SINK:
      g_value_set_string (value, self->sink);
      break;
    case PROP_HEADPHONE_SINK:
      g_value_set_string (value, self->headphone_sink);
      break;
    case PROP_RATE:
      g_value_set_int (value, self->rate);
      break;
    case PROP_VOLUME_STEP:
      g_value_set_int (value, self->volume_step);
      break;
    case PROP_DEFAULT_VOLUME_STEP:
      g_value_set_int (value, self->default_volume_step);
      break;
    case PROP_HEADPHONES:
      g_value_set_enum (value, self->headphones);
      break;
    case PROP_OUTPUT:
      g_value_set_enum (value, self->output);
      break;
    case PROP_SPEAKING:
      g_value_set_boolean (value, self->speaking);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
set_voice_name (LinliVoice *self, const char *voice_name)
{
  if (voice_name == NULL || *voice_name == '\0')
    voice_name = DEFAULT_VOICE_NAME;
  if (g_strcmp0 (self->voice_name, voice_name) == 0)
    return;

  g_mutex_lock (&self->lock);
  g_free (self->voice_name);
  self->voice_name = g_strdup (voice_name);
  g_mutex_unlock (&self->lock);

  /* A fault for want of the old voice may be over. */
  if (self->engine != NULL)
    {
      Command *command = command_new (CMD_CHECK_VOICE);

      command->voice = g_strdup (voice_name);
      engine_send (self->engine, command);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VOICE_NAME]);
}

/* Empty descriptions mean "the default", as in the configuration. */
static char *
dup_description (const GValue *value)
{
  const char *text = g_value_get_string (value);

  return text != NULL && *text != '\0' ? g_strdup (text) : NULL;
}

static void
linli_voice_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  LinliVoice *self = LINLI_VOICE (object);

  switch (prop_id)
    {
    case PROP_VOICE_NAME:
      set_voice_name (self, g_value_get_string (value));
      break;
    case PROP_SINK:
      g_free (self->sink);
      self->sink = dup_description (value);
      break;
    case PROP_HEADPHONE_SINK:
      g_free (self->headphone_sink);
      self->headphone_sink = dup_description (value);
      break;
    case PROP_RATE:
      linli_voice_set_rate (self, g_value_get_int (value));
      break;
    case PROP_VOLUME_STEP:
      linli_voice_set_volume_step (self, g_value_get_int (value));
      break;
    case PROP_DEFAULT_VOLUME_STEP:
      linli_voice_set_default_volume_step (self, g_value_get_int (value));
      break;
    case PROP_HEADPHONES:
      linli_voice_set_headphones (self, g_value_get_enum (value));
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
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = linli_voice_dispose;
  object_class->finalize = linli_voice_finalize;
  object_class->get_property = linli_voice_get_property;
  object_class->set_property = linli_voice_set_property;
  device_class->probe = linli_voice_probe;

  /* The espeak-ng voice the prompts are spoken in ("cmn", "en"). */
  properties[PROP_VOICE_NAME]
      = g_param_spec_string ("voice-name", NULL, NULL, DEFAULT_VOICE_NAME, rw | G_PARAM_CONSTRUCT);
  /* GStreamer bin descriptions; NULL or "": see linli_voice_new_with_sinks(). */
  properties[PROP_SINK]
      = g_param_spec_string ("sink", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HEADPHONE_SINK]
      = g_param_spec_string ("headphone-sink", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RATE] = g_param_spec_int ("rate", NULL, NULL, LINLI_VOICE_RATE_MIN,
                                            LINLI_VOICE_RATE_MAX, LINLI_VOICE_RATE_DEFAULT, rw);
  properties[PROP_VOLUME_STEP]
      = g_param_spec_int ("volume-step", NULL, NULL, 0, LINLI_VOICE_VOLUME_STEPS - 1,
                          LINLI_VOICE_VOLUME_STEP_DEFAULT, rw);
  properties[PROP_DEFAULT_VOLUME_STEP]
      = g_param_spec_int ("default-volume-step", NULL, NULL, 0, LINLI_VOICE_VOLUME_STEPS - 1,
                          LINLI_VOICE_VOLUME_STEP_DEFAULT, rw);
  properties[PROP_HEADPHONES] = g_param_spec_enum (
      "headphones", NULL, NULL, LINLI_TYPE_VOICE_HEADPHONES, LINLI_VOICE_HEADPHONES_AUTO, rw);
  properties[PROP_OUTPUT] = g_param_spec_enum (
      "output", NULL, NULL, LINLI_TYPE_VOICE_OUTPUT, LINLI_VOICE_OUTPUT_SPEAKER,
      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SPEAKING]
      = g_param_spec_boolean ("speaking", NULL, NULL, FALSE,
                              G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The first audio of utterance @id reached the sink. */
  signals[SIGNAL_UTTERANCE_STARTED]
      = g_signal_new ("utterance-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                      NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  /* Utterance @id was heard to the end (@completed), or dropped or cut. */
  signals[SIGNAL_UTTERANCE_FINISHED]
      = g_signal_new ("utterance-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                      NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_BOOLEAN);
}

static void
linli_voice_init (LinliVoice *self)
{
  g_mutex_init (&self->lock);
  self->voice_name = g_strdup (DEFAULT_VOICE_NAME);
  self->main_context = g_main_context_ref_thread_default ();
  self->link = g_new0 (VoiceLink, 1);
  self->link->ref_count = 1;
  self->link->self = self;
  self->rate = LINLI_VOICE_RATE_DEFAULT;
  self->volume_step = LINLI_VOICE_VOLUME_STEP_DEFAULT;
  self->default_volume_step = LINLI_VOICE_VOLUME_STEP_DEFAULT;
  self->headphones = LINLI_VOICE_HEADPHONES_AUTO;
  self->output = LINLI_VOICE_OUTPUT_SPEAKER;
  self->fault_code = LINLI_VOICE_ERROR_FAILED;
  self->headphone_devices = g_ptr_array_new_with_free_func (gst_object_unref);
  self->drains = g_ptr_array_new_with_free_func (g_object_unref);
  g_queue_init (&self->queue);
  g_queue_init (&self->emissions);
}

/* ---- Public API ----------------------------------------------------------------------------- */

/* Returns: (transfer full): the voice device, speaking Mandarin */
LinliDevice *
linli_voice_new (void)
{
  return linli_voice_new_with_sinks (NULL, NULL);
}

/* Returns: (transfer full): the voice device, speaking Mandarin to @sink */
LinliDevice *
linli_voice_new_with_sinks (const char *sink, const char *headphone_sink)
{
  return g_object_new (LINLI_TYPE_VOICE, "kind", LINLI_DEVICE_KIND_VOICE, "name", "Voice", "sink",
                       sink, "headphone-sink", headphone_sink, NULL);
}

const char *
linli_voice_get_voice_name (LinliVoice *self)
{
  g_return_val_if_fail (LINLI_IS_VOICE (self), NULL);
  return self->voice_name;
}

/* "en…" speaks English, anything else Mandarin (the kiosk's languages). */
void
linli_voice_set_language (LinliVoice *self, const char *language)
{
  g_return_if_fail (LINLI_IS_VOICE (self));
  set_voice_name (self, language != NULL && g_str_has_prefix (language, "en") ? ENGLISH_VOICE_NAME
                                                                              : DEFAULT_VOICE_NAME);
}

int
linli_voice_get_rate (LinliVoice *self)
{
  g_return_val_if_fail (LINLI_IS_VOICE (self), LINLI_VOICE_RATE_DEFAULT);
  return self->rate;
}

/* Takes effect from the next utterance. */
void
linli_voice_set_rate (LinliVoice *self, int words_per_minute)
{
  g_return_if_fail (LINLI_IS_VOICE (self));
  words_per_minute = CLAMP (words_per_minute, LINLI_VOICE_RATE_MIN, LINLI_VOICE_RATE_MAX);
  if (self->rate == words_per_minute)
    return;
  self->rate = words_per_minute;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATE]);
}

int
linli_voice_get_volume_step (LinliVoice *self)
{
  g_return_val_if_fail (LINLI_IS_VOICE (self), 0);
  return self->volume_step;
}

/* Takes effect at once (after what the device has buffered). */
void
linli_voice_set_volume_step (LinliVoice *self, int step)
{
  g_return_if_fail (LINLI_IS_VOICE (self));
  step = CLAMP (step, 0, LINLI_VOICE_VOLUME_STEPS - 1);
  if (self->volume_step == step)
    return;
  self->volume_step = step;
  if (self->engine != NULL)
    {
      g_mutex_lock (&self->engine->vol_lock);
      self->engine->volume_linear = volume_linear (step);
      if (self->engine->volume != NULL)
        g_object_set (self->engine->volume, "volume", self->engine->volume_linear, NULL);
      g_mutex_unlock (&self->engine->vol_lock);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VOLUME_STEP]);
}

/* Returns: the gain of the current step: 0 dB at the loudest, negative below */
double
linli_voice_get_volume_db (LinliVoice *self)
{
  g_return_val_if_fail (LINLI_IS_VOICE (self), 0.0);
  return (self->volume_step - (LINLI_VOICE_VOLUME_STEPS - 1)) * LINLI_VOICE_VOLUME_STEP_DB;
}

int
linli_voice_get_default_volume_step (LinliVoice *self)
{
  g_return_val_if_fail (LINLI_IS_VOICE (self), LINLI_VOICE_VOLUME_STEP_DEFAULT);
  return self->default_volume_step;
}

/* The step reset_volume() returns to; the current step is unchanged. */
void
linli_voice_set_default_volume_step (LinliVoice *self, int step)
{
  g_return_if_fail (LINLI_IS_VOICE (self));
  step = CLAMP (step, 0, LINLI_VOICE_VOLUME_STEPS - 1);
  if (self->default_volume_step == step)
    return;
  self->default_volume_step = step;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEFAULT_VOLUME_STEP]);
}

/* At the start of every session (Section 508 §1194.25(f)). */
void
linli_voice_reset_volume (LinliVoice *self)
{
  g_return_if_fail (LINLI_IS_VOICE (self));
  linli_voice_set_volume_step (self, self->default_volume_step);
}

LinliVoiceOutput
linli_voice_get_output (LinliVoice *self)
{
  g_return_val_if_fail (LINLI_IS_VOICE (self), LINLI_VOICE_OUTPUT_SPEAKER);
  return self->output;
}

LinliVoiceHeadphones
linli_voice_get_headphones (LinliVoice *self)
{
  g_return_val_if_fail (LINLI_IS_VOICE (self), LINLI_VOICE_HEADPHONES_AUTO);
  return self->headphones;
}

void
linli_voice_set_headphones (LinliVoice *self, LinliVoiceHeadphones headphones)
{
  g_return_if_fail (LINLI_IS_VOICE (self));
  if (self->headphones == headphones)
    return;
  self->headphones = headphones;
  /* The jack is watched from the first time AUTO is wanted. */
  if (headphones == LINLI_VOICE_HEADPHONES_AUTO && self->engine != NULL)
    engine_send (self->engine, command_new (CMD_MONITOR));
  update_output (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEADPHONES]);
}

void
linli_voice_start (LinliVoice *self)
{
  g_return_if_fail (LINLI_IS_VOICE (self));
  if (linli_device_get_state (LINLI_DEVICE (self)) != LINLI_DEVICE_STATE_FAULT)
    ensure_engine (self);
}

static guint
queue_utterance (LinliVoice *self,
                 const char *text,
                 const char *private_text,
                 gboolean has_private,
                 LinliVoicePriority priority)
{
  Utterance *utterance;

  /* No output, no voice: the kiosk goes on silently. */
  if (linli_device_get_state (LINLI_DEVICE (self)) == LINLI_DEVICE_STATE_FAULT)
    return 0;

  utterance = utterance_new ();
  if (++self->next_id == 0)
    self->next_id = 1;
  utterance->id = self->next_id;
  utterance->priority = priority;
  utterance->text = g_strdup (text);
  utterance->private_text = g_strdup (private_text);
  utterance->has_private = has_private;
  g_mutex_lock (&self->lock);
  utterance->voice = g_strdup (self->voice_name);
  g_mutex_unlock (&self->lock);
  utterance->rate = self->rate;

  drop_queued (self, priority);
  if (self->active != NULL && self->active->priority <= priority)
    cut_active (self);
  g_queue_push_tail (&self->queue, utterance);
  dispatch_next (self);
  update_speaking (self);
  return utterance->id;
}

guint
linli_voice_speak (LinliVoice *self, const char *text, LinliVoicePriority priority)
{
  g_return_val_if_fail (LINLI_IS_VOICE (self), 0);
  g_return_val_if_fail (text != NULL, 0);
  return queue_utterance (self, text, NULL, FALSE, priority);
}

guint
linli_voice_speak_private (LinliVoice *self,
                           const char *private_text,
                           const char *public_text,
                           LinliVoicePriority priority)
{
  g_return_val_if_fail (LINLI_IS_VOICE (self), 0);
  g_return_val_if_fail (private_text != NULL, 0);
  return queue_utterance (self, public_text, private_text, TRUE, priority);
}

/* Drops everything queued and silences what is playing, now. */
void
linli_voice_stop (LinliVoice *self)
{
  g_return_if_fail (LINLI_IS_VOICE (self));
  drop_queued (self, LINLI_VOICE_PRIORITY_ALERT);
  cut_active (self);
  update_speaking (self);
}

gboolean
linli_voice_get_speaking (LinliVoice *self)
{
  g_return_val_if_fail (LINLI_IS_VOICE (self), FALSE);
  return self->speaking;
}

static void
destroy_source (GSource *source)
{
  g_source_destroy (source);
  g_source_unref (source);
}

static gboolean
on_drain_cancelled (GCancellable *cancellable, gpointer user_data)
{
  GTask *task = user_data;
  LinliVoice *self = g_task_get_source_object (task);
  guint index;

  /* Still waiting: take it out and report the cancellation. */
  if (g_ptr_array_find (self->drains, task, &index))
    {
      g_autoptr (GTask) owned = g_ptr_array_steal_index (self->drains, index);

      g_task_return_error_if_cancelled (owned);
    }
  return G_SOURCE_REMOVE;
}

void
linli_voice_drain_async (LinliVoice *self,
                         GCancellable *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (LINLI_IS_VOICE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, linli_voice_drain_async);

  if (linli_device_get_state (LINLI_DEVICE (self)) == LINLI_DEVICE_STATE_FAULT)
    {
      g_task_return_new_error (task, LINLI_VOICE_ERROR, g_atomic_int_get (&self->fault_code), "%s",
                               linli_device_get_detail (LINLI_DEVICE (self)));
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  if (cancellable != NULL)
    {
      g_autoptr (GSource) source = g_cancellable_source_new (cancellable);

      /* Goes with the task, so it never outlives it. */
      g_source_set_callback (source, G_SOURCE_FUNC (on_drain_cancelled), task, NULL);
      g_source_attach (source, self->main_context);
      g_task_set_task_data (task, g_steal_pointer (&source), (GDestroyNotify) destroy_source);
    }
  g_ptr_array_add (self->drains, g_object_ref (task));
  try_complete_drains (self);
}

gboolean
linli_voice_drain_finish (LinliVoice *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
