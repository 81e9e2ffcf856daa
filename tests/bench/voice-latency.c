/* voice-latency.c: how soon speech starts.
 *
 * Measures the time from linli_voice_speak() to "utterance-started" (the
 * first audio of the utterance reaching the sink) over LINLI_BENCH_RUNS
 * screen prompts (default 20): half after silence, half cutting the prompt
 * before (a new screen interrupting the last). Budget (DESIGN.md): speech
 * starts within 150 ms of the screen appearing. Figures, never a timed
 * assertion: it fails only when the voice does not start at all.
 *
 * Run it with meson: meson test --benchmark -v -C BUILD_DIR voice-latency
 * (under tests/rigs/pulse-rig.sh: pulsesink into the private server's
 * null sink; without PulseAudio, a clocked fakesink).
 */
#include <stdlib.h>

#include "linli-voice.h"

/* Prompts of the kiosk's first screens, about 1-2.5 s each. */
static const char *const prompts[] = {
  "请插入身份证或社保卡", "请选择要办理的业务",   "正在读卡，请稍候",
  "医保余额查询",         "请将身份证放在读卡区",
};

/* A start that takes longer than this is a failure, not a slow figure. */
#define START_BOUND_US (10 * G_USEC_PER_SEC)

typedef struct
{
  guint waiting_id;
  gint64 started_at;
  gboolean finished;
} Run;

static void
on_started (LinliVoice *voice, guint id, gpointer user_data)
{
  Run *run = user_data;

  if (id == run->waiting_id)
    run->started_at = g_get_monotonic_time ();
}

static void
on_finished (LinliVoice *voice, guint id, gboolean completed, gpointer user_data)
{
  Run *run = user_data;

  if (id == run->waiting_id)
    run->finished = TRUE;
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
print_summary (const char *label, GArray *values)
{
  double median;
  double p95;

  if (values->len == 0)
    return;
  g_array_sort (values, compare_doubles);
  median = values->len % 2 ? g_array_index (values, double, values->len / 2)
                           : (g_array_index (values, double, values->len / 2 - 1)
                              + g_array_index (values, double, values->len / 2))
                                 / 2.0;
  /* Nearest rank. */
  p95 = g_array_index (values, double, MIN (values->len - 1, (guint) (0.95 * values->len + 0.5)));
  g_print ("%s: n=%u median %.1f ms, p95 %.1f ms, max %.1f ms\n", label, values->len, median, p95,
           g_array_index (values, double, values->len - 1));
}

/* Runs the main context until *@flag or @ms have passed. */
static void
iterate_until (const gboolean *flag, guint ms)
{
  gint64 deadline = g_get_monotonic_time () + ms * 1000;

  while ((flag == NULL || !*flag) && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (500);
    }
}

int
main (int argc, char **argv)
{
  const char *runs_text = g_getenv ("LINLI_BENCH_RUNS");
  guint runs = runs_text != NULL ? (guint) g_ascii_strtoull (runs_text, NULL, 10) : 20;
  const char *sink = g_getenv ("PULSE_SERVER") != NULL ? NULL : "fakesink sync=true";
  g_autoptr (LinliDevice) device = linli_voice_new_with_sinks (sink, NULL);
  LinliVoice *voice = LINLI_VOICE (device);
  g_autoptr (GArray) all = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) quiet = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) cutting = g_array_new (FALSE, FALSE, sizeof (double));
  Run run = { 0 };
  gint64 deadline;

  if (runs == 0)
    runs = 20;
  linli_voice_set_headphones (voice, LINLI_VOICE_HEADPHONES_NEVER);
  g_signal_connect (voice, "utterance-started", G_CALLBACK (on_started), &run);
  g_signal_connect (voice, "utterance-finished", G_CALLBACK (on_finished), &run);

  /* As the kiosk does at start-up, so the first prompt is not the engine's. */
  linli_voice_start (voice);
  deadline = g_get_monotonic_time () + START_BOUND_US;
  while (linli_device_get_state (device) == LINLI_DEVICE_STATE_ABSENT
         && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  if (linli_device_get_state (device) != LINLI_DEVICE_STATE_READY)
    {
      g_printerr ("voice-latency: FAIL: the voice is not ready: %s\n",
                  linli_device_get_detail (device));
      return EXIT_FAILURE;
    }
  g_print ("voice-latency: %u screen prompts, %s (%s)\n", runs, linli_device_get_detail (device),
           sink != NULL ? "no PulseAudio" : "PulseAudio rig");

  for (guint i = 0; i < runs; i++)
    {
      /* Odd runs cut the prompt before, 300 ms into it. */
      gboolean cut = i % 2 == 1;
      gint64 asked;
      double ms;

      run.started_at = 0;
      run.finished = FALSE;
      asked = g_get_monotonic_time ();
      run.waiting_id = linli_voice_speak (voice, prompts[i % G_N_ELEMENTS (prompts)],
                                          LINLI_VOICE_PRIORITY_SCREEN);
      while (run.started_at == 0 && g_get_monotonic_time () < asked + START_BOUND_US
             && linli_device_get_state (device) != LINLI_DEVICE_STATE_FAULT)
        g_main_context_iteration (NULL, TRUE);
      if (run.started_at == 0)
        {
          g_printerr ("voice-latency: FAIL: run %u: no audio within %d s: %s\n", i + 1,
                      (int) (START_BOUND_US / G_USEC_PER_SEC), linli_device_get_detail (device));
          return EXIT_FAILURE;
        }
      ms = (run.started_at - asked) / 1000.0;
      g_print ("run %u: %s %.1f ms\n", i + 1, cut ? "cutting the last prompt" : "after silence",
               ms);
      g_array_append_val (all, ms);
      g_array_append_val (cut ? cutting : quiet, ms);

      /* The next run cuts this one 300 ms in, or starts after it and a pause. */
      if ((i + 1) % 2 == 1)
        iterate_until (NULL, 300);
      else
        {
          iterate_until (&run.finished, 30 * 1000);
          iterate_until (NULL, 200);
        }
    }
  linli_voice_stop (voice);

  print_summary ("speak-to-start", all);
  print_summary ("after silence", quiet);
  print_summary ("cutting the last prompt", cutting);
  return EXIT_SUCCESS;
}
