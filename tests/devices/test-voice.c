/* test-voice.c: the voice against the real espeak-ng and GStreamer.
 *
 * /voice/... speak into WAV files (wavenc ! filesink) and clocked fake
 * sinks, and measure the audio that comes out; they need no sound server
 * (suite "unit"). /voice/pulse/... need the private PulseAudio of
 * tests/rigs/pulse-rig.sh (suite "rig"): they record its null sinks'
 * monitors with parec and load a headphone sink with pactl.
 */
#include <glib/gstdio.h>
#include <math.h>
#include <signal.h>
#include <string.h>

#include "linli-voice.h"
#include "probe-sync.h"

/* At the default rate (150) these last 3.5 s, 1.7 s, 8.7 s and 6.0 s. */
#define PROMPT       "请将身份证放在读卡区"
#define SHORT_TEXT   "请戴上耳机"
#define LONG_TEXT    "一二三四五六七八九十，十一十二十三十四十五，十六十七十八十九二十。"
#define PRIVATE_TEXT "您的医保账户余额为一千二百三十四元五角六分"

/* Silence from espeak-ng is digital zero; speech peaks well above this. */
#define SPEECH_THRESHOLD 500

/* ---- Helpers ------------------------------------------------------------------------------ */

typedef struct
{
  GPtrArray *log; /* "started 3", "finished 3 1" */
  guint n_finished;
  guint n_started;
  gint64 started_at;
} Events;

static void
on_started (LinliVoice *voice, guint id, gpointer user_data)
{
  Events *events = user_data;

  g_ptr_array_add (events->log, g_strdup_printf ("started %u", id));
  events->n_started++;
  events->started_at = g_get_monotonic_time ();
}

static void
on_finished (LinliVoice *voice, guint id, gboolean completed, gpointer user_data)
{
  Events *events = user_data;

  g_ptr_array_add (events->log, g_strdup_printf ("finished %u %d", id, completed));
  events->n_finished++;
}

static void
events_watch (Events *events, LinliDevice *voice)
{
  events->log = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (voice, "utterance-started", G_CALLBACK (on_started), events);
  g_signal_connect (voice, "utterance-finished", G_CALLBACK (on_finished), events);
}

static void
events_clear (Events *events)
{
  g_clear_pointer (&events->log, g_ptr_array_unref);
}

static char *
events_join (Events *events)
{
  g_ptr_array_add (events->log, NULL);
  g_autofree char *joined = g_strjoinv (", ", (char **) events->log->pdata);
  g_ptr_array_remove_index (events->log, events->log->len - 1);
  return g_steal_pointer (&joined);
}

#define assert_events(events, expected)                    \
  G_STMT_START                                             \
  {                                                        \
    g_autofree char *joined_events = events_join (events); \
    g_assert_cmpstr (joined_events, ==, expected);         \
  }                                                        \
  G_STMT_END

static gboolean
on_deadline (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the main context until @done says so; a hang fails the test
 * (a bound, not a timing assertion). */
static void
wait_until (gboolean (*done) (gpointer), gpointer data, guint seconds, const char *what)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add_seconds (seconds, on_deadline, &expired);

  while (!done (data) && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (expired)
    g_error ("gave up waiting %u s for %s", seconds, what);
  g_source_remove (id);
}

static gboolean
is_quiet (gpointer data)
{
  return !linli_voice_get_speaking (data);
}

/* Lets queued signals and events through. */
static void
settle (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

typedef struct
{
  GAsyncResult *result;
} Drain;

static void
on_drained (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Drain *drain = user_data;

  drain->result = g_object_ref (result);
}

static gboolean
drain_done (gpointer data)
{
  return ((Drain *) data)->result != NULL;
}

static gboolean
drain_sync (LinliDevice *voice, GCancellable *cancellable, GError **error)
{
  Drain drain = { NULL };
  gboolean ok;

  linli_voice_drain_async (LINLI_VOICE (voice), cancellable, on_drained, &drain);
  wait_until (drain_done, &drain, 60, "the drain");
  ok = linli_voice_drain_finish (LINLI_VOICE (voice), drain.result, error);
  g_object_unref (drain.result);
  return ok;
}

typedef struct
{
  gint16 *samples; /* first channel only */
  gsize n_samples;
  guint rate;
} Audio;

static void
audio_clear (Audio *audio)
{
  g_clear_pointer (&audio->samples, g_free);
}

/* Reads a 16-bit PCM WAV (wavenc's or parec's). */
static void
read_wav (const char *path, Audio *audio)
{
  g_autofree guint8 *data = NULL;
  gsize length = 0;
  g_autoptr (GError) error = NULL;
  gsize offset = 12;
  guint channels = 0;
  guint bits = 0;

  g_assert_true (g_file_get_contents (path, (char **) &data, &length, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (length, >=, 44);
  g_assert_true (memcmp (data, "RIFF", 4) == 0 && memcmp (data + 8, "WAVE", 4) == 0);

  memset (audio, 0, sizeof *audio);
  while (offset + 8 <= length)
    {
      guint32 size = GUINT32_FROM_LE (*(guint32 *) (data + offset + 4));
      const guint8 *body = data + offset + 8;

      if (memcmp (data + offset, "fmt ", 4) == 0)
        {
          channels = GUINT16_FROM_LE (*(guint16 *) (body + 2));
          audio->rate = GUINT32_FROM_LE (*(guint32 *) (body + 4));
          bits = GUINT16_FROM_LE (*(guint16 *) (body + 14));
        }
      else if (memcmp (data + offset, "data", 4) == 0)
        {
          /* A file still being written says 0 or 0xffffffff. */
          gsize available = length - offset - 8;
          gsize bytes = size == 0 || size > available ? available : size;

          g_assert_cmpuint (bits, ==, 16);
          g_assert_cmpuint (channels, >=, 1);
          audio->n_samples = bytes / (2 * channels);
          audio->samples = g_new (gint16, MAX (audio->n_samples, 1));
          for (gsize i = 0; i < audio->n_samples; i++)
            audio->samples[i] = (gint16) GUINT16_FROM_LE (*(guint16 *) (body + i * 2 * channels));
          return;
        }
      offset += 8 + size + (size & 1);
    }
  g_error ("%s has no data chunk", path);
}

static double
audio_seconds (const Audio *audio)
{
  return audio->rate > 0 ? (double) audio->n_samples / audio->rate : 0.0;
}

/* RMS in dB relative to full scale; -200 for digital silence. */
static double
audio_rms_db (const Audio *audio)
{
  double sum = 0.0;

  for (gsize i = 0; i < audio->n_samples; i++)
    sum += (double) audio->samples[i] * audio->samples[i];
  if (audio->n_samples == 0 || sum == 0.0)
    return -200.0;
  return 10.0 * log10 (sum / audio->n_samples / (32768.0 * 32768.0));
}

/* Seconds from the first to the last sample above the speech threshold. */
static double
audio_speech_span (const Audio *audio)
{
  gsize first = G_MAXSIZE;
  gsize last = 0;

  for (gsize i = 0; i < audio->n_samples; i++)
    if (ABS (audio->samples[i]) > SPEECH_THRESHOLD)
      {
        first = MIN (first, i);
        last = i;
      }
  return first == G_MAXSIZE ? 0.0 : (double) (last - first) / audio->rate;
}

static char *
wav_sink (const char *path)
{
  return g_strdup_printf ("wavenc ! filesink location=\"%s\"", path);
}

/* A voice writing to @path, with no headphone monitor. */
static LinliDevice *
voice_to_file (const char *path)
{
  g_autofree char *sink = wav_sink (path);
  LinliDevice *voice = linli_voice_new_with_sinks (sink, NULL);

  linli_voice_set_headphones (LINLI_VOICE (voice), LINLI_VOICE_HEADPHONES_NEVER);
  return voice;
}

/* Speaks @text into a fresh WAV at @rate and reads it back. */
static void
say_to_wav (const char *text, int rate, int volume_step, const char *language, Audio *audio)
{
  g_autofree char *dir = g_dir_make_tmp ("linli-voice-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "say.wav", NULL);
  g_autoptr (LinliDevice) voice = voice_to_file (path);
  g_autoptr (GError) error = NULL;

  linli_voice_set_rate (LINLI_VOICE (voice), rate);
  linli_voice_set_volume_step (LINLI_VOICE (voice), volume_step);
  if (language != NULL)
    linli_voice_set_language (LINLI_VOICE (voice), language);
  g_assert_cmpuint (linli_voice_speak (LINLI_VOICE (voice), text, LINLI_VOICE_PRIORITY_SCREEN), >,
                    0);
  g_assert_true (drain_sync (voice, NULL, &error));
  g_assert_no_error (error);
  read_wav (path, audio);
  g_test_message ("%s: %.2f s, %.1f dBFS", linli_device_get_detail (voice), audio_seconds (audio),
                  audio_rms_db (audio));
  g_unlink (path);
  g_rmdir (dir);
}

/* ---- Probe -------------------------------------------------------------------------------- */

static void
test_mandarin (void)
{
  g_autoptr (LinliDevice) voice = linli_voice_new_with_sinks ("fakesink", NULL);

  g_assert_cmpstr (linli_device_get_name (voice), ==, "Voice");
  g_assert_cmpint (linli_device_get_kind (voice), ==, LINLI_DEVICE_KIND_VOICE);
  g_assert_cmpstr (linli_voice_get_voice_name (LINLI_VOICE (voice)), ==, "cmn");
  assert_probe_state (voice, LINLI_DEVICE_STATE_READY);
  g_assert_true (g_str_has_prefix (linli_device_get_detail (voice), "espeak-ng "));
  g_assert_nonnull (strstr (linli_device_get_detail (voice), ", voice cmn"));
  g_assert_true (g_str_has_suffix (linli_device_get_detail (voice), ", output fakesink"));
}

static void
on_probed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  guint *pending = user_data;

  g_assert_true (linli_device_probe_finish (LINLI_DEVICE (source), result, NULL));
  (*pending)--;
}

/* espeak-ng is not thread safe; probes on several workers must still work. */
static void
test_concurrent (void)
{
  g_autoptr (GPtrArray) voices = g_ptr_array_new_with_free_func (g_object_unref);
  guint pending = 8;

  for (guint i = 0; i < pending; i++)
    {
      g_ptr_array_add (voices, linli_voice_new_with_sinks ("fakesink", NULL));
      linli_device_probe_async (g_ptr_array_index (voices, i), NULL, on_probed, &pending);
    }
  while (pending > 0)
    g_main_context_iteration (NULL, TRUE);

  for (guint i = 0; i < voices->len; i++)
    g_assert_cmpint (linli_device_get_state (g_ptr_array_index (voices, i)), ==,
                     LINLI_DEVICE_STATE_READY);
}

static void
test_unknown_voice (void)
{
  g_autoptr (LinliDevice) voice
      = g_object_new (LINLI_TYPE_VOICE, "kind", LINLI_DEVICE_KIND_VOICE, "name", "Voice",
                      "voice-name", "linli-no-such-voice", "sink", "fakesink", NULL);

  assert_probe_state (voice, LINLI_DEVICE_STATE_FAULT);
  g_assert_true (
      g_str_has_suffix (linli_device_get_detail (voice), "has no voice linli-no-such-voice"));
}

static gboolean
is_fault (gpointer data)
{
  return linli_device_get_state (data) == LINLI_DEVICE_STATE_FAULT;
}

/* Without its data espeak-ng would exit() the whole kiosk unless told not
 * to; the probe must report a fault, speech fail cleanly, the process
 * live on. */
static void
test_data_missing (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *root = g_dir_make_tmp ("linli-espeak-XXXXXX", NULL);
      g_autofree char *data = g_build_filename (root, "espeak-ng-data", NULL);
      g_autoptr (LinliDevice) voice = NULL;
      g_autoptr (LinliDevice) speaker = NULL;
      g_autoptr (GError) error = NULL;
      Events events = { 0 };
      guint id;

      /* An existing but empty espeak-ng-data is what a broken install looks
       * like; a missing one makes espeak-ng fall back to the system's. */
      g_assert_cmpint (g_mkdir (data, 0700), ==, 0);
      g_setenv ("ESPEAK_DATA_PATH", root, TRUE);

      voice = linli_voice_new_with_sinks ("fakesink", NULL);
      assert_probe_state (voice, LINLI_DEVICE_STATE_FAULT);
      g_assert_nonnull (strstr (linli_device_get_detail (voice), "could not load its data"));
      g_assert_cmpuint (linli_voice_speak (LINLI_VOICE (voice), PROMPT, 0), ==, 0);

      speaker = linli_voice_new_with_sinks ("fakesink", NULL);
      linli_voice_set_headphones (LINLI_VOICE (speaker), LINLI_VOICE_HEADPHONES_NEVER);
      events_watch (&events, speaker);
      id = linli_voice_speak (LINLI_VOICE (speaker), PROMPT, LINLI_VOICE_PRIORITY_SCREEN);
      g_assert_cmpuint (id, >, 0);
      g_assert_false (drain_sync (speaker, NULL, &error));
      g_assert_error (error, LINLI_VOICE_ERROR, LINLI_VOICE_ERROR_NO_DATA);
      settle (50);
      g_assert_cmpint (linli_device_get_state (speaker), ==, LINLI_DEVICE_STATE_FAULT);
      g_assert_cmpuint (events.n_started, ==, 0);
      g_assert_cmpuint (events.n_finished, ==, 1);
      events_clear (&events);

      g_rmdir (data);
      g_rmdir (root);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* ---- Speech into files -------------------------------------------------------------------- */

typedef struct
{
  guint n_notify;
  gboolean seen_true;
} SpeakingWatch;

static void
on_speaking (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  SpeakingWatch *watch = user_data;

  watch->n_notify++;
  if (linli_voice_get_speaking (LINLI_VOICE (object)))
    watch->seen_true = TRUE;
}

static void
count_notify (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  (*(guint *) user_data)++;
}

static void
test_wav (void)
{
  g_autofree char *dir = g_dir_make_tmp ("linli-voice-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "prompt.wav", NULL);
  g_autoptr (LinliDevice) voice = voice_to_file (path);
  g_autoptr (GError) error = NULL;
  g_autofree char *expected = NULL;
  Events events = { 0 };
  SpeakingWatch watch = { 0 };
  Audio audio;
  guint id;

  events_watch (&events, voice);
  g_signal_connect (voice, "notify::speaking", G_CALLBACK (on_speaking), &watch);
  g_assert_false (linli_voice_get_speaking (LINLI_VOICE (voice)));

  id = linli_voice_speak (LINLI_VOICE (voice), PROMPT, LINLI_VOICE_PRIORITY_SCREEN);
  g_assert_cmpuint (id, >, 0);
  g_assert_true (linli_voice_get_speaking (LINLI_VOICE (voice)));
  g_assert_true (drain_sync (voice, NULL, &error));
  g_assert_no_error (error);

  g_assert_false (linli_voice_get_speaking (LINLI_VOICE (voice)));
  g_assert_true (watch.seen_true);
  g_assert_cmpuint (watch.n_notify, ==, 2);
  expected = g_strdup_printf ("started %u, finished %u 1", id, id);
  assert_events (&events, expected);
  g_assert_cmpint (linli_device_get_state (voice), ==, LINLI_DEVICE_STATE_READY);
  g_assert_nonnull (strstr (linli_device_get_detail (voice), ", output wavenc ! filesink"));

  read_wav (path, &audio);
  g_test_message ("%s: %.2f s, %.1f dBFS", PROMPT, audio_seconds (&audio), audio_rms_db (&audio));
  /* espeak-ng 1.51 says it in about 3.9 s at 150 wpm. */
  g_assert_cmpfloat (audio_seconds (&audio), >, 2.5);
  g_assert_cmpfloat (audio_seconds (&audio), <, 6.0);
  /* At the default step (-6 dB) speech is around -25 dBFS. */
  g_assert_cmpfloat (audio_rms_db (&audio), >, -40.0);
  g_assert_cmpfloat (audio_speech_span (&audio), >, 2.0);

  audio_clear (&audio);
  events_clear (&events);
  g_clear_object (&voice);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_english (void)
{
  Audio audio;

  say_to_wav ("Please place your ID card on the reader", LINLI_VOICE_RATE_DEFAULT,
              LINLI_VOICE_VOLUME_STEP_DEFAULT, "en_GB", &audio);
  g_assert_cmpfloat (audio_seconds (&audio), >, 1.5);
  g_assert_cmpfloat (audio_seconds (&audio), <, 5.0);
  g_assert_cmpfloat (audio_rms_db (&audio), >, -40.0);
  audio_clear (&audio);
}

static void
test_language (void)
{
  g_autoptr (LinliDevice) voice = linli_voice_new_with_sinks ("fakesink", NULL);
  guint n_notify = 0;

  g_signal_connect (voice, "notify::voice-name", G_CALLBACK (count_notify), &n_notify);
  linli_voice_set_language (LINLI_VOICE (voice), "en");
  g_assert_cmpstr (linli_voice_get_voice_name (LINLI_VOICE (voice)), ==, "en");
  linli_voice_set_language (LINLI_VOICE (voice), "en_US.UTF-8");
  g_assert_cmpstr (linli_voice_get_voice_name (LINLI_VOICE (voice)), ==, "en");
  linli_voice_set_language (LINLI_VOICE (voice), "zh_CN");
  g_assert_cmpstr (linli_voice_get_voice_name (LINLI_VOICE (voice)), ==, "cmn");
  linli_voice_set_language (LINLI_VOICE (voice), NULL);
  g_assert_cmpstr (linli_voice_get_voice_name (LINLI_VOICE (voice)), ==, "cmn");
  g_assert_cmpuint (n_notify, ==, 2);
}

static void
test_rate (void)
{
  g_autoptr (LinliDevice) voice = linli_voice_new_with_sinks ("fakesink", NULL);
  Audio slow;
  Audio fast;

  g_assert_cmpint (linli_voice_get_rate (LINLI_VOICE (voice)), ==, LINLI_VOICE_RATE_DEFAULT);
  linli_voice_set_rate (LINLI_VOICE (voice), 10);
  g_assert_cmpint (linli_voice_get_rate (LINLI_VOICE (voice)), ==, LINLI_VOICE_RATE_MIN);
  linli_voice_set_rate (LINLI_VOICE (voice), 1000);
  g_assert_cmpint (linli_voice_get_rate (LINLI_VOICE (voice)), ==, LINLI_VOICE_RATE_MAX);

  say_to_wav (PROMPT, 80, LINLI_VOICE_VOLUME_STEP_DEFAULT, NULL, &slow);
  say_to_wav (PROMPT, 250, LINLI_VOICE_VOLUME_STEP_DEFAULT, NULL, &fast);
  /* 7.1 s and 2.1 s with espeak-ng 1.51. */
  g_assert_cmpfloat (audio_seconds (&slow), >, 2.0 * audio_seconds (&fast));
  audio_clear (&slow);
  audio_clear (&fast);
}

static void
test_volume (void)
{
  g_autoptr (LinliDevice) device = linli_voice_new_with_sinks ("fakesink", NULL);
  LinliVoice *voice = LINLI_VOICE (device);
  Audio loud;
  Audio quiet;
  double difference;

  g_assert_cmpint (linli_voice_get_volume_step (voice), ==, LINLI_VOICE_VOLUME_STEP_DEFAULT);
  g_assert_cmpint (linli_voice_get_default_volume_step (voice), ==,
                   LINLI_VOICE_VOLUME_STEP_DEFAULT);
  linli_voice_set_volume_step (voice, LINLI_VOICE_VOLUME_STEPS - 1);
  g_assert_cmpfloat_with_epsilon (linli_voice_get_volume_db (voice), 0.0, 1e-9);
  linli_voice_set_volume_step (voice, 0);
  g_assert_cmpfloat_with_epsilon (linli_voice_get_volume_db (voice), -21.0, 1e-9);
  linli_voice_set_volume_step (voice, 4);
  g_assert_cmpfloat_with_epsilon (linli_voice_get_volume_db (voice), -9.0, 1e-9);
  linli_voice_set_volume_step (voice, 99);
  g_assert_cmpint (linli_voice_get_volume_step (voice), ==, LINLI_VOICE_VOLUME_STEPS - 1);
  /* The range asked for by Section 508 §1194.25(f). */
  g_assert_cmpfloat ((LINLI_VOICE_VOLUME_STEPS - 1) * LINLI_VOICE_VOLUME_STEP_DB, >=, 18.0);

  linli_voice_reset_volume (voice);
  g_assert_cmpint (linli_voice_get_volume_step (voice), ==, LINLI_VOICE_VOLUME_STEP_DEFAULT);
  linli_voice_set_default_volume_step (voice, 2);
  g_assert_cmpint (linli_voice_get_volume_step (voice), ==, LINLI_VOICE_VOLUME_STEP_DEFAULT);
  linli_voice_reset_volume (voice);
  g_assert_cmpint (linli_voice_get_volume_step (voice), ==, 2);

  /* The same speech at the loudest and the quietest step: 21 dB apart. */
  say_to_wav (PROMPT, LINLI_VOICE_RATE_DEFAULT, LINLI_VOICE_VOLUME_STEPS - 1, NULL, &loud);
  say_to_wav (PROMPT, LINLI_VOICE_RATE_DEFAULT, 0, NULL, &quiet);
  difference = audio_rms_db (&loud) - audio_rms_db (&quiet);
  g_test_message ("loudest - quietest: %.2f dB", difference);
  g_assert_cmpfloat_with_epsilon (difference, 21.0, 0.5);
  audio_clear (&loud);
  audio_clear (&quiet);
}

static gboolean
has_started (gpointer data)
{
  return ((Events *) data)->n_started > 0;
}

/* Stopping cuts espeak-ng itself: on a sink that takes audio in real time
 * the file ends shortly after stop(), far before the text would. */
static void
test_stop (void)
{
  g_autofree char *dir = g_dir_make_tmp ("linli-voice-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "stopped.wav", NULL);
  g_autofree char *sink
      = g_strdup_printf ("identity sync=true ! wavenc ! filesink location=\"%s\"", path);
  g_autoptr (LinliDevice) voice = linli_voice_new_with_sinks (sink, NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *expected = NULL;
  Events events = { 0 };
  Audio audio;
  guint id;

  linli_voice_set_headphones (LINLI_VOICE (voice), LINLI_VOICE_HEADPHONES_NEVER);
  events_watch (&events, voice);
  id = linli_voice_speak (LINLI_VOICE (voice), LONG_TEXT LONG_TEXT, LINLI_VOICE_PRIORITY_SCREEN);
  wait_until (has_started, &events, 20, "the first audio");
  settle (1000);
  linli_voice_stop (LINLI_VOICE (voice));
  g_assert_false (linli_voice_get_speaking (LINLI_VOICE (voice)));
  settle (50);
  expected = g_strdup_printf ("started %u, finished %u 0", id, id);
  assert_events (&events, expected);

  g_assert_true (drain_sync (voice, NULL, &error));
  g_assert_no_error (error);
  read_wav (path, &audio);
  g_test_message ("stopped after 1 s: %.2f s written", audio_seconds (&audio));
  /* The whole text would be 17.5 s. */
  g_assert_cmpfloat (audio_seconds (&audio), >, 0.5);
  g_assert_cmpfloat (audio_seconds (&audio), <, 3.0);

  audio_clear (&audio);
  events_clear (&events);
  g_clear_object (&voice);
  g_unlink (path);
  g_rmdir (dir);
}

/* ---- Priorities --------------------------------------------------------------------------- */

typedef struct
{
  LinliDevice *voice;
  Events events;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  /* Clocked, so utterances take real time and can be cut. */
  fixture->voice = linli_voice_new_with_sinks ("fakesink sync=true", NULL);
  linli_voice_set_headphones (LINLI_VOICE (fixture->voice), LINLI_VOICE_HEADPHONES_NEVER);
  events_watch (&fixture->events, fixture->voice);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_clear_object (&fixture->voice);
  events_clear (&fixture->events);
}

static guint
say (Fixture *fixture, LinliVoicePriority priority)
{
  guint id = linli_voice_speak (LINLI_VOICE (fixture->voice), "一二三", priority);

  g_assert_cmpuint (id, >, 0);
  return id;
}

static void
wait_quiet (Fixture *fixture)
{
  wait_until (is_quiet, fixture->voice, 30, "the voice to fall quiet");
  settle (20);
}

#define assert_log(fixture, ...)                                   \
  G_STMT_START                                                     \
  {                                                                \
    g_autofree char *expected_log = g_strdup_printf (__VA_ARGS__); \
    assert_events (&(fixture)->events, expected_log);              \
  }                                                                \
  G_STMT_END

/* A new focus prompt cuts the focus prompt before it. */
static void
test_priority_equal (Fixture *fixture, gconstpointer data)
{
  guint a = say (fixture, LINLI_VOICE_PRIORITY_FOCUS);
  guint b = say (fixture, LINLI_VOICE_PRIORITY_FOCUS);

  wait_quiet (fixture);
  assert_log (fixture, "finished %u 0, started %u, finished %u 1", a, b, b);
}

/* A focus prompt waits for the screen prompt. */
static void
test_priority_lower_waits (Fixture *fixture, gconstpointer data)
{
  guint a = say (fixture, LINLI_VOICE_PRIORITY_SCREEN);
  guint b = say (fixture, LINLI_VOICE_PRIORITY_FOCUS);

  wait_quiet (fixture);
  assert_log (fixture, "started %u, finished %u 1, started %u, finished %u 1", a, a, b, b);
}

/* Queued prompts of lower or equal priority are dropped, not the one
 * playing if it ranks higher. */
static void
test_priority_drop_queued (Fixture *fixture, gconstpointer data)
{
  guint a = say (fixture, LINLI_VOICE_PRIORITY_SCREEN);
  guint b = say (fixture, LINLI_VOICE_PRIORITY_FOCUS);
  guint c = say (fixture, LINLI_VOICE_PRIORITY_FOCUS);

  wait_quiet (fixture);
  assert_log (fixture, "finished %u 0, started %u, finished %u 1, started %u, finished %u 1", b, a,
              a, c, c);
}

/* An alert cuts a focus prompt that is already audible. */
static void
test_priority_alert_cuts (Fixture *fixture, gconstpointer data)
{
  guint a = say (fixture, LINLI_VOICE_PRIORITY_FOCUS);
  guint b;

  wait_until (has_started, &fixture->events, 20, "the first audio");
  b = say (fixture, LINLI_VOICE_PRIORITY_ALERT);
  wait_quiet (fixture);
  assert_log (fixture, "started %u, finished %u 0, started %u, finished %u 1", a, a, b, b);
}

/* A new screen drops queued focus prompts and cuts the old screen. */
static void
test_priority_new_screen (Fixture *fixture, gconstpointer data)
{
  guint a = say (fixture, LINLI_VOICE_PRIORITY_SCREEN);
  guint b = say (fixture, LINLI_VOICE_PRIORITY_FOCUS);
  guint c;

  wait_until (has_started, &fixture->events, 20, "the first audio");
  c = say (fixture, LINLI_VOICE_PRIORITY_SCREEN);
  wait_quiet (fixture);
  assert_log (fixture, "started %u, finished %u 0, finished %u 0, started %u, finished %u 1", a, b,
              a, c, c);
}

/* An alert is not cut by a screen prompt. */
static void
test_priority_alert_kept (Fixture *fixture, gconstpointer data)
{
  guint a = say (fixture, LINLI_VOICE_PRIORITY_ALERT);
  guint b = say (fixture, LINLI_VOICE_PRIORITY_SCREEN);

  wait_quiet (fixture);
  assert_log (fixture, "started %u, finished %u 1, started %u, finished %u 1", a, a, b, b);
}

static void
test_priority_stop (Fixture *fixture, gconstpointer data)
{
  guint a = say (fixture, LINLI_VOICE_PRIORITY_ALERT);
  guint b = say (fixture, LINLI_VOICE_PRIORITY_FOCUS);
  guint c;

  wait_until (has_started, &fixture->events, 20, "the first audio");
  linli_voice_stop (LINLI_VOICE (fixture->voice));
  g_assert_false (linli_voice_get_speaking (LINLI_VOICE (fixture->voice)));
  settle (50);
  assert_log (fixture, "started %u, finished %u 0, finished %u 0", a, b, a);

  /* And it speaks again afterwards. */
  c = say (fixture, LINLI_VOICE_PRIORITY_FOCUS);
  wait_quiet (fixture);
  assert_log (fixture, "started %u, finished %u 0, finished %u 0, started %u, finished %u 1", a, b,
              a, c, c);
}

static gboolean
on_cancel (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_drain_cancel (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;

  linli_voice_speak (LINLI_VOICE (fixture->voice), LONG_TEXT, LINLI_VOICE_PRIORITY_SCREEN);
  g_timeout_add (200, on_cancel, cancellable);
  g_assert_false (drain_sync (fixture->voice, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (linli_voice_get_speaking (LINLI_VOICE (fixture->voice)));
  linli_voice_stop (LINLI_VOICE (fixture->voice));
  settle (20);
}

/* ---- Bad input and faults ----------------------------------------------------------------- */

/* What espeak-ng cannot say is skipped: nothing spelled out, no crash. */
static void
test_unspeakable (void)
{
  const char *texts[] = {
    "😀😀",
    "𠮷",                /* U+20BB7: espeak-ng would spell out its code point */
    "\x01\x02\x1b\x7f",  /* control characters */
    "\xff\xfe\xc3",      /* not UTF-8 */
    "\xef\xbf\xbd",      /* U+FFFD */
    "❤️👍🏻‍", /* symbols, modifiers, joiners */
  };
  g_autofree char *dir = g_dir_make_tmp ("linli-voice-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "nothing.wav", NULL);
  g_autoptr (LinliDevice) voice = voice_to_file (path);
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) many = g_string_new (NULL);
  Events events = { 0 };
  Audio audio;

  events_watch (&events, voice);
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autofree char *expected = NULL;
      guint id = linli_voice_speak (LINLI_VOICE (voice), texts[i], LINLI_VOICE_PRIORITY_ALERT);

      wait_until (is_quiet, voice, 20, "an unspeakable text");
      settle (20);
      expected = g_strdup_printf ("finished %u 1", id);
      assert_events (&events, expected);
      g_ptr_array_set_size (events.log, 0);
    }
  for (guint i = 0; i < 5000; i++)
    g_string_append (many, "😀");
  linli_voice_speak (LINLI_VOICE (voice), many->str, LINLI_VOICE_PRIORITY_ALERT);
  g_assert_true (drain_sync (voice, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (events.n_started, ==, 0);

  /* Nothing at all was said. */
  read_wav (path, &audio);
  g_assert_cmpuint (audio.n_samples, ==, 0);
  audio_clear (&audio);

  /* Around what it cannot say, it says the rest. */
  g_ptr_array_set_size (events.log, 0);
  linli_voice_speak (LINLI_VOICE (voice), "王😀明𠮷", LINLI_VOICE_PRIORITY_ALERT);
  g_assert_true (drain_sync (voice, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (events.n_started, ==, 1);
  read_wav (path, &audio);
  g_test_message ("王😀明𠮷: %.2f s", audio_seconds (&audio));
  g_assert_cmpfloat (audio_seconds (&audio), >, 0.4);
  g_assert_cmpfloat (audio_seconds (&audio), <, 2.0);
  audio_clear (&audio);

  events_clear (&events);
  g_clear_object (&voice);
  g_unlink (path);
  g_rmdir (dir);
}

/* No audio output: a fault with the reason, speech a no-op, no hang. */
static void
test_no_output (void)
{
  g_autoptr (LinliDevice) voice = linli_voice_new_with_sinks ("alsasink device=hw:99", NULL);
  g_autoptr (LinliDevice) probed = linli_voice_new_with_sinks ("alsasink device=hw:99", NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *expected = NULL;
  Events events = { 0 };
  guint id;

  linli_voice_set_headphones (LINLI_VOICE (voice), LINLI_VOICE_HEADPHONES_NEVER);
  events_watch (&events, voice);
  id = linli_voice_speak (LINLI_VOICE (voice), PROMPT, LINLI_VOICE_PRIORITY_SCREEN);
  g_assert_cmpuint (id, >, 0);
  wait_until (is_fault, voice, 20, "the fault");
  g_test_message ("%s", linli_device_get_detail (voice));
  g_assert_true (g_str_has_prefix (linli_device_get_detail (voice), "no audio output: "));
  g_assert_false (linli_voice_get_speaking (LINLI_VOICE (voice)));
  settle (20);
  expected = g_strdup_printf ("finished %u 0", id);
  assert_events (&events, expected);

  g_assert_cmpuint (linli_voice_speak (LINLI_VOICE (voice), PROMPT, LINLI_VOICE_PRIORITY_ALERT), ==,
                    0);
  g_assert_cmpuint (
      linli_voice_speak_private (LINLI_VOICE (voice), "x", "y", LINLI_VOICE_PRIORITY_ALERT), ==, 0);
  linli_voice_stop (LINLI_VOICE (voice));
  linli_voice_set_volume_step (LINLI_VOICE (voice), 1);
  g_assert_false (drain_sync (voice, NULL, &error));
  g_assert_error (error, LINLI_VOICE_ERROR, LINLI_VOICE_ERROR_NO_OUTPUT);

  assert_probe_state (probed, LINLI_DEVICE_STATE_FAULT);
  g_assert_true (g_str_has_prefix (linli_device_get_detail (probed), "no audio output: "));
  events_clear (&events);
}

/* A file that cannot be written is a fault too. */
static void
test_bad_file (void)
{
  g_autoptr (LinliDevice) voice = voice_to_file ("/nonexistent/linli/a.wav");
  g_autoptr (GError) error = NULL;

  g_assert_cmpuint (linli_voice_speak (LINLI_VOICE (voice), PROMPT, LINLI_VOICE_PRIORITY_SCREEN), >,
                    0);
  g_assert_false (drain_sync (voice, NULL, &error));
  g_assert_true (error->domain == LINLI_VOICE_ERROR);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "/nonexistent/linli/a.wav"));
  g_assert_cmpint (linli_device_get_state (voice), ==, LINLI_DEVICE_STATE_FAULT);
}

/* ---- Private listening -------------------------------------------------------------------- */

static void
test_private (void)
{
  g_autofree char *dir = g_dir_make_tmp ("linli-voice-XXXXXX", NULL);
  g_autofree char *speaker_path = g_build_filename (dir, "speaker.wav", NULL);
  g_autofree char *headphone_path = g_build_filename (dir, "headphones.wav", NULL);
  g_autofree char *speaker_sink = wav_sink (speaker_path);
  g_autofree char *headphone_sink = wav_sink (headphone_path);
  g_autoptr (LinliDevice) device = linli_voice_new_with_sinks (speaker_sink, headphone_sink);
  LinliVoice *voice = LINLI_VOICE (device);
  g_autoptr (GError) error = NULL;
  Events events = { 0 };
  guint n_output = 0;
  Audio audio;
  double public_seconds;

  events_watch (&events, device);
  g_signal_connect (device, "notify::output", G_CALLBACK (count_notify), &n_output);
  linli_voice_set_headphones (voice, LINLI_VOICE_HEADPHONES_NEVER);
  g_assert_cmpint (linli_voice_get_output (voice), ==, LINLI_VOICE_OUTPUT_SPEAKER);

  /* On the speaker only the public text is said... */
  linli_voice_speak_private (voice, PRIVATE_TEXT, SHORT_TEXT, LINLI_VOICE_PRIORITY_SCREEN);
  g_assert_true (drain_sync (device, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (headphone_path, G_FILE_TEST_EXISTS));
  read_wav (speaker_path, &audio);
  public_seconds = audio_seconds (&audio);
  g_test_message ("speaker: %.2f s", public_seconds);
  g_assert_cmpfloat (public_seconds, >, 0.8);
  g_assert_cmpfloat (public_seconds, <, 2.5);
  audio_clear (&audio);

  /* ...or nothing. */
  g_ptr_array_set_size (events.log, 0);
  events.n_started = 0;
  linli_voice_speak_private (voice, PRIVATE_TEXT, NULL, LINLI_VOICE_PRIORITY_SCREEN);
  wait_until (is_quiet, device, 20, "a private text on the speaker");
  settle (20);
  g_assert_cmpuint (events.n_started, ==, 0);
  g_assert_cmpuint (events.log->len, ==, 1);

  /* With headphones, the private text, on the headphone sink. */
  linli_voice_set_headphones (voice, LINLI_VOICE_HEADPHONES_ALWAYS);
  g_assert_cmpint (linli_voice_get_headphones (voice), ==, LINLI_VOICE_HEADPHONES_ALWAYS);
  g_assert_cmpint (linli_voice_get_output (voice), ==, LINLI_VOICE_OUTPUT_HEADPHONES);
  g_assert_cmpuint (n_output, ==, 1);
  linli_voice_speak_private (voice, PRIVATE_TEXT, SHORT_TEXT, LINLI_VOICE_PRIORITY_SCREEN);
  g_assert_true (drain_sync (device, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (linli_device_get_detail (device), "(headphones)"));
  read_wav (headphone_path, &audio);
  g_test_message ("headphones: %.2f s", audio_seconds (&audio));
  g_assert_cmpfloat (audio_seconds (&audio), >, 2.0 * public_seconds);
  g_assert_cmpfloat (audio_rms_db (&audio), >, -40.0);
  audio_clear (&audio);

  linli_voice_set_headphones (voice, LINLI_VOICE_HEADPHONES_NEVER);
  g_assert_cmpint (linli_voice_get_output (voice), ==, LINLI_VOICE_OUTPUT_SPEAKER);
  g_assert_cmpuint (n_output, ==, 2);

  events_clear (&events);
  g_clear_object (&device);
  g_unlink (speaker_path);
  g_unlink (headphone_path);
  g_rmdir (dir);
}

/* ---- Under the PulseAudio rig ------------------------------------------------------------- */

static gboolean
have_pulse (void)
{
  if (g_getenv ("PULSE_SERVER") != NULL)
    return TRUE;
  g_test_skip ("needs the PulseAudio rig (tests/rigs/pulse-rig.sh run -- …)");
  return FALSE;
}

typedef struct
{
  GSubprocess *process;
  char *path;
} Recorder;

/* Records @source (a monitor) to a WAV with parec, as a test person would
 * listen. */
static void
recorder_start (Recorder *recorder, const char *dir, const char *source)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("%s.wav", source);

  recorder->path = g_build_filename (dir, name, NULL);
  recorder->process
      = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, "parec", "--latency-msec=20", "-d",
                          source, "--file-format=wav", recorder->path, NULL);
  g_assert_no_error (error);
}

static void
recorder_stop (Recorder *recorder, Audio *audio)
{
  g_autoptr (GError) error = NULL;

  g_subprocess_send_signal (recorder->process, SIGINT);
  g_assert_true (g_subprocess_wait (recorder->process, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&recorder->process);
  read_wav (recorder->path, audio);
  g_unlink (recorder->path);
  g_clear_pointer (&recorder->path, g_free);
}

static char *
pactl (const char *arguments)
{
  g_autofree char *command = g_strdup_printf ("pactl %s", arguments);
  g_autoptr (GError) error = NULL;
  char *out = NULL;
  int status = 0;

  g_assert_true (g_spawn_command_line_sync (command, &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_strstrip (out);
}

static gboolean
is_ready (gpointer data)
{
  return linli_device_get_state (data) == LINLI_DEVICE_STATE_READY;
}

static gboolean
has_finished (gpointer data)
{
  return ((Events *) data)->n_finished > 0;
}

/* The default sink (pulsesink first) really plays into the server. */
static void
test_pulse_default (void)
{
  g_autofree char *dir = NULL;
  g_autoptr (LinliDevice) voice = NULL;
  Recorder recorder = { 0 };
  Events events = { 0 };
  Audio audio;

  if (!have_pulse ())
    return;
  dir = g_dir_make_tmp ("linli-voice-XXXXXX", NULL);
  voice = linli_voice_new ();
  linli_voice_set_headphones (LINLI_VOICE (voice), LINLI_VOICE_HEADPHONES_NEVER);
  assert_probe_state (voice, LINLI_DEVICE_STATE_READY);
  g_assert_true (g_str_has_suffix (linli_device_get_detail (voice), ", output pulsesink"));

  events_watch (&events, voice);
  recorder_start (&recorder, dir, g_getenv ("LINLI_TEST_PULSE_MONITOR"));
  settle (500);
  linli_voice_speak (LINLI_VOICE (voice), PROMPT, LINLI_VOICE_PRIORITY_SCREEN);
  wait_until (has_finished, &events, 30, "the prompt to be heard");
  settle (300);
  recorder_stop (&recorder, &audio);
  g_test_message ("heard on the speaker: %.2f s of speech", audio_speech_span (&audio));
  g_assert_cmpfloat (audio_speech_span (&audio), >, 2.5);
  g_assert_cmpfloat (audio_speech_span (&audio), <, 6.0);
  g_assert_cmpuint (events.n_started, ==, 1);
  audio_clear (&audio);

  events_clear (&events);
  g_rmdir (dir);
}

/* stop() silences the device itself, not only what is still queued. */
static void
test_pulse_stop (void)
{
  g_autofree char *dir = NULL;
  g_autoptr (LinliDevice) voice = NULL;
  Recorder recorder = { 0 };
  Events events = { 0 };
  Audio audio;

  if (!have_pulse ())
    return;
  dir = g_dir_make_tmp ("linli-voice-XXXXXX", NULL);
  voice = linli_voice_new_with_sinks ("pulsesink", NULL);
  linli_voice_set_headphones (LINLI_VOICE (voice), LINLI_VOICE_HEADPHONES_NEVER);
  events_watch (&events, voice);
  recorder_start (&recorder, dir, g_getenv ("LINLI_TEST_PULSE_MONITOR"));
  settle (500);
  linli_voice_speak (LINLI_VOICE (voice), LONG_TEXT, LINLI_VOICE_PRIORITY_SCREEN);
  wait_until (has_started, &events, 20, "the first audio");
  settle (1000);
  linli_voice_stop (LINLI_VOICE (voice));
  settle (1500);
  recorder_stop (&recorder, &audio);
  g_test_message ("stopped after 1 s: %.2f s of speech heard", audio_speech_span (&audio));
  g_assert_cmpfloat (audio_speech_span (&audio), >, 0.5);
  /* The text is 8.7 s; the device's buffer is a fraction of one. */
  g_assert_cmpfloat (audio_speech_span (&audio), <, 1.8);
  g_assert_cmpuint (events.n_finished, ==, 1);
  g_assert_true (g_str_has_suffix (g_ptr_array_index (events.log, 1), " 0"));
  audio_clear (&audio);

  events_clear (&events);
  g_rmdir (dir);
}

static gboolean
is_on_headphones (gpointer data)
{
  return linli_voice_get_output (data) == LINLI_VOICE_OUTPUT_HEADPHONES;
}

static gboolean
is_on_speaker (gpointer data)
{
  return linli_voice_get_output (data) == LINLI_VOICE_OUTPUT_SPEAKER;
}

/* Plugging headphones in (a sink that says it is one) moves speech to
 * them, private text with it; unplugging moves it back. */
static void
test_pulse_headphones (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *module = NULL;
  g_autofree char *unload = NULL;
  g_autoptr (LinliDevice) device = NULL;
  LinliVoice *voice;
  Recorder speaker = { 0 };
  Recorder headphones = { 0 };
  Events events = { 0 };
  Audio audio;
  double private_seconds;

  if (!have_pulse ())
    return;
  dir = g_dir_make_tmp ("linli-voice-XXXXXX", NULL);
  device = linli_voice_new_with_sinks ("pulsesink device=kiosk", NULL);
  voice = LINLI_VOICE (device);
  events_watch (&events, device);
  linli_voice_start (voice);
  wait_until (is_ready, device, 20, "the engine");
  settle (500);
  g_assert_cmpint (linli_voice_get_output (voice), ==, LINLI_VOICE_OUTPUT_SPEAKER);

  module = pactl ("load-module module-null-sink sink_name=linli_hp "
                  "'sink_properties=\"device.description=Headphones "
                  "device.form_factor=headphone\"'");
  wait_until (is_on_headphones, device, 10, "the headphones to be noticed");

  recorder_start (&speaker, dir, "kiosk.monitor");
  recorder_start (&headphones, dir, "linli_hp.monitor");
  settle (500);
  linli_voice_speak_private (voice, PRIVATE_TEXT, SHORT_TEXT, LINLI_VOICE_PRIORITY_SCREEN);
  wait_until (has_finished, &events, 30, "the private text");
  settle (300);
  g_assert_cmpuint (events.n_started, ==, 1);
  g_assert_true (g_str_has_suffix (g_ptr_array_index (events.log, 1), " 1"));
  recorder_stop (&headphones, &audio);
  private_seconds = audio_speech_span (&audio);
  g_test_message ("private text on the headphones: %.2f s", private_seconds);
  g_assert_cmpfloat (private_seconds, >, 3.0);
  audio_clear (&audio);
  recorder_stop (&speaker, &audio);
  g_assert_cmpfloat (audio_speech_span (&audio), ==, 0.0);
  audio_clear (&audio);

  unload = g_strdup_printf ("unload-module %s", module);
  g_free (pactl (unload));
  wait_until (is_on_speaker, device, 10, "the headphones to be gone");

  g_ptr_array_set_size (events.log, 0);
  events.n_finished = 0;
  recorder_start (&speaker, dir, "kiosk.monitor");
  settle (500);
  linli_voice_speak_private (voice, PRIVATE_TEXT, SHORT_TEXT, LINLI_VOICE_PRIORITY_SCREEN);
  wait_until (has_finished, &events, 30, "the public text");
  settle (300);
  recorder_stop (&speaker, &audio);
  g_test_message ("public text on the speaker: %.2f s", audio_speech_span (&audio));
  g_assert_cmpfloat (audio_speech_span (&audio), >, 0.5);
  g_assert_cmpfloat (audio_speech_span (&audio), <, private_seconds / 2.0);
  audio_clear (&audio);

  events_clear (&events);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/voice/mandarin", test_mandarin);
  g_test_add_func ("/voice/concurrent", test_concurrent);
  g_test_add_func ("/voice/unknown-voice", test_unknown_voice);
  g_test_add_func ("/voice/data-missing", test_data_missing);
  g_test_add_func ("/voice/wav", test_wav);
  g_test_add_func ("/voice/english", test_english);
  g_test_add_func ("/voice/language", test_language);
  g_test_add_func ("/voice/rate", test_rate);
  g_test_add_func ("/voice/volume", test_volume);
  g_test_add_func ("/voice/stop", test_stop);
  g_test_add ("/voice/priority/equal", Fixture, NULL, fixture_set_up, test_priority_equal,
              fixture_tear_down);
  g_test_add ("/voice/priority/lower-waits", Fixture, NULL, fixture_set_up,
              test_priority_lower_waits, fixture_tear_down);
  g_test_add ("/voice/priority/drop-queued", Fixture, NULL, fixture_set_up,
              test_priority_drop_queued, fixture_tear_down);
  g_test_add ("/voice/priority/alert-cuts", Fixture, NULL, fixture_set_up, test_priority_alert_cuts,
              fixture_tear_down);
  g_test_add ("/voice/priority/new-screen", Fixture, NULL, fixture_set_up, test_priority_new_screen,
              fixture_tear_down);
  g_test_add ("/voice/priority/alert-kept", Fixture, NULL, fixture_set_up, test_priority_alert_kept,
              fixture_tear_down);
  g_test_add ("/voice/priority/stop", Fixture, NULL, fixture_set_up, test_priority_stop,
              fixture_tear_down);
  g_test_add ("/voice/drain-cancel", Fixture, NULL, fixture_set_up, test_drain_cancel,
              fixture_tear_down);
  g_test_add_func ("/voice/unspeakable", test_unspeakable);
  g_test_add_func ("/voice/no-output", test_no_output);
  g_test_add_func ("/voice/bad-file", test_bad_file);
  g_test_add_func ("/voice/private", test_private);
  g_test_add_func ("/voice/pulse/default", test_pulse_default);
  g_test_add_func ("/voice/pulse/stop", test_pulse_stop);
  g_test_add_func ("/voice/pulse/headphones", test_pulse_headphones);

  return g_test_run ();
}
