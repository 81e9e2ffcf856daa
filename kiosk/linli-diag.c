/* linli-diag.c: the maintainer's command-line view of a kiosk.
 *
 *   linli-diag --version
 *   linli-diag [--config PATH] devices [--json]
 *   linli-diag [--config PATH] config
 *   linli-diag [--config PATH] say [--voice cmn|en] [--rate N] [-o FILE.wav] TEXT
 *   linli-diag [--config PATH] read-card [--reader NAME] [--timeout S] [--json]
 *   linli-diag [--config PATH] read-id [--device TTY | --usb VID:PID] [--timeout S] [--json]
 *   linli-diag [--config PATH] platform ping|catalog|outbox [--json]
 *   linli-diag [--config PATH] print-test [--printer NAME] [--format pdf|escpos]
 *   linli-diag [--config PATH] camera-snap [--source DESCRIPTION] [--document] -o FILE.jpg
 *   linli-diag [--config PATH] usb [--json]
 *   linli-diag [--config PATH] receipt show|print NUMBER [--printer NAME]
 *   linli-diag hash-pin                  (the PIN on stdin)
 *   linli-diag [--config PATH] audit [-n N]
 *
 * It reads the same configuration as the kiosk and probes the same devices
 * the same way, so what it reports is what the kiosk would see. Exit status:
 * 0 done (even when devices are absent: that is a finding, not a failure),
 * 1 failed, 2 bad usage.
 */
#define G_LOG_DOMAIN "linli-diag"

#include "linli-build-config.h"

#include <json-glib/json-glib.h>
#include <locale.h>
#include <stdlib.h>

#include "linli-config.h"
#include "linli-device.h"
#include "linli-devices.h"
#include "linli-diag-camera-snap.h"
#include "linli-diag-read-card.h"
#include "linli-diag-platform.h"
#include "linli-diag-print-test.h"
#include "linli-diag-hash-pin.h"
#include "linli-diag-read-id.h"
#include "linli-diag-receipt.h"
#include "linli-diag-usb.h"
#include "linli-voice.h"

#define EXIT_USAGE 2

/* Every probe bounds itself; this only keeps a hung library (a scheduler
 * that accepts connections and never answers) from hanging the tool. */
#define PROBE_DEADLINE_SECONDS 20

/* say waits for the drain; the voice bounds its own stalls, this only
 * keeps a wedged audio server from hanging the tool. */
#define SAY_DEADLINE_SECONDS 300

static const char usage_text[]
    = "Usage: linli-diag [--config PATH] devices [--json]\n"
      "       linli-diag [--config PATH] config\n"
      "       linli-diag [--config PATH] say [--voice cmn|en] [--rate N] [-o FILE.wav] TEXT\n"
      "       linli-diag [--config PATH] read-card [--reader NAME] [--timeout S] [--json]\n"
      "       linli-diag [--config PATH] platform ping|catalog|outbox [--json]\n"
      "       linli-diag [--config PATH] print-test [--printer NAME] [--format pdf|escpos]\n"
      "       linli-diag [--config PATH] camera-snap [--source DESCRIPTION] [--document] -o "
      "FILE.jpg\n"
      "       linli-diag [--config PATH] read-id [--device TTY | --usb VID:PID] [--timeout S] "
      "[--json]\n"
      "       linli-diag [--config PATH] usb [--json]\n"
      "       linli-diag [--config PATH] receipt show|print NUMBER [--printer NAME]\n"
      "       linli-diag hash-pin   (reads the PIN from stdin)\n"
      "       linli-diag [--config PATH] audit [-n N]\n"
      "       linli-diag --version\n";

static int G_GNUC_PRINTF (1, 2) usage_error (const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("linli-diag: %s\n%sTry “linli-diag --help” for more.\n", message, usage_text);
  return EXIT_USAGE;
}

/* Loads @explicit_path, or the system file when it exists, or nothing.
 * Problems (bad values, a file that is not a key file) are printed and
 * counted; only an unreadable file is an error. */
static LinliConfig *
load_config (const char *explicit_path, guint *n_problems, GError **error)
{
  g_autoptr (LinliConfig) config = linli_config_new ();
  g_autoptr (GError) local_error = NULL;
  const char *path = explicit_path != NULL ? explicit_path : LINLI_SYSCONF_CONFIG;
  GPtrArray *problems;

  *n_problems = 0;

  /* A kiosk without /etc/linli/kiosk.conf runs on the built-in defaults. */
  if (explicit_path == NULL && !g_file_test (path, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&config);

  if (!linli_config_load_file (config, path, &local_error))
    {
      if (g_error_matches (local_error, LINLI_CONFIG_ERROR, LINLI_CONFIG_ERROR_READ))
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                      "cannot read the configuration: ");
          return NULL;
        }
      /* The kiosk carries on with the defaults; so do we, but say so. */
      g_printerr ("%s; using the built-in defaults\n", local_error->message);
      (*n_problems)++;
    }

  problems = linli_config_get_problems (config);
  for (guint i = 0; i < problems->len; i++)
    g_printerr ("%s\n", (const char *) g_ptr_array_index (problems, i));
  *n_problems += problems->len;

  return g_steal_pointer (&config);
}

static int
run_config (LinliConfig *config, guint n_problems)
{
  g_autofree char *dump = linli_config_dump (config);

  g_print ("# %s\n%s", linli_config_get_source (config), dump);
  return n_problems > 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}

typedef struct
{
  GMainLoop *loop;
  guint pending;
  gboolean *done; /* one per device, in list order */
} Probing;

typedef struct
{
  Probing *probing;
  guint index;
} ProbeCall;

static void
on_probed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ProbeCall *call = user_data;
  Probing *probing = call->probing;
  g_autoptr (GError) error = NULL;

  /* Only cancellation fails a probe, and nothing here cancels. */
  if (!linli_device_probe_finish (LINLI_DEVICE (source), result, &error))
    g_printerr ("probing %s failed: %s\n", linli_device_get_name (LINLI_DEVICE (source)),
                error->message);

  probing->done[call->index] = TRUE;
  g_free (call);
  if (--probing->pending == 0)
    g_main_loop_quit (probing->loop);
}

static gboolean
on_deadline (gpointer user_data)
{
  Probing *probing = user_data;

  g_main_loop_quit (probing->loop);
  return G_SOURCE_REMOVE;
}

/* Pads @text with spaces to @width characters (not bytes). */
static void
append_padded (GString *line, const char *text, glong width)
{
  g_string_append (line, text);
  for (glong i = g_utf8_strlen (text, -1); i < width; i++)
    g_string_append_c (line, ' ');
}

static void
print_table (GPtrArray *kinds, GPtrArray *names, GPtrArray *states, GPtrArray *details)
{
  glong widths[3] = { 4, 4, 5 }; /* KIND, NAME, STATE */
  GPtrArray *columns[3] = { kinds, names, states };

  for (guint c = 0; c < 3; c++)
    for (guint i = 0; i < columns[c]->len; i++)
      widths[c] = MAX (widths[c], g_utf8_strlen (g_ptr_array_index (columns[c], i), -1));

  for (guint i = 0; i <= kinds->len; i++)
    {
      g_autoptr (GString) line = g_string_new (NULL);

      for (guint c = 0; c < 3; c++)
        {
          const char *header[3] = { "KIND", "NAME", "STATE" };

          append_padded (line, i == 0 ? header[c] : g_ptr_array_index (columns[c], i - 1),
                         widths[c]);
          g_string_append (line, "  ");
        }
      g_string_append (line, i == 0 ? "DETAIL" : (const char *) g_ptr_array_index (details, i - 1));
      g_print ("%s\n", line->str);
    }
}

static void
print_json (GPtrArray *kinds, GPtrArray *names, GPtrArray *states, GPtrArray *details)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "devices");
  json_builder_begin_array (builder);
  for (guint i = 0; i < kinds->len; i++)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, g_ptr_array_index (kinds, i));
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, g_ptr_array_index (names, i));
      json_builder_set_member_name (builder, "state");
      json_builder_add_string_value (builder, g_ptr_array_index (states, i));
      json_builder_set_member_name (builder, "detail");
      json_builder_add_string_value (builder, g_ptr_array_index (details, i));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

static int
run_devices (LinliConfig *config, gboolean json)
{
  g_autoptr (GListModel) devices = linli_devices_new_from_config (config);
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  guint n_devices = g_list_model_get_n_items (devices);
  g_autofree gboolean *done = g_new0 (gboolean, MAX (n_devices, 1));
  Probing probing = { loop, n_devices, done };
  g_autoptr (GPtrArray) kinds = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) states = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) details = g_ptr_array_new_with_free_func (g_free);
  guint deadline_id;

  /* All at once: the slowest device (a camera that does not start) then
   * sets the time the tool takes, not the sum of them. */
  for (guint i = 0; i < n_devices; i++)
    {
      g_autoptr (LinliDevice) device = g_list_model_get_item (devices, i);
      ProbeCall *call = g_new0 (ProbeCall, 1);

      call->probing = &probing;
      call->index = i;
      linli_device_probe_async (device, NULL, on_probed, call);
    }

  deadline_id = g_timeout_add_seconds (PROBE_DEADLINE_SECONDS, on_deadline, &probing);
  if (probing.pending > 0)
    g_main_loop_run (loop);
  if (probing.pending == 0)
    g_source_remove (deadline_id);

  for (guint i = 0; i < n_devices; i++)
    {
      g_autoptr (LinliDevice) device = g_list_model_get_item (devices, i);
      char *detail;

      g_ptr_array_add (kinds,
                       g_strdup (linli_device_kind_to_string (linli_device_get_kind (device))));
      g_ptr_array_add (names, g_strdup (linli_device_get_name (device)));
      if (done[i])
        {
          g_ptr_array_add (
              states, g_strdup (linli_device_state_to_string (linli_device_get_state (device))));
          detail = g_strdup (linli_device_get_detail (device));
        }
      else
        {
          g_ptr_array_add (states,
                           g_strdup (linli_device_state_to_string (LINLI_DEVICE_STATE_FAULT)));
          detail = g_strdup_printf ("no answer within %d s", PROBE_DEADLINE_SECONDS);
        }
      /* One device, one line, whatever a library put in its message. */
      g_ptr_array_add (details,
                       g_strdelimit (detail != NULL ? detail : g_strdup (""), "\r\n\t", ' '));
    }

  if (json)
    print_json (kinds, names, states, details);
  else
    print_table (kinds, names, states, details);

  /* Workers still stuck past the deadline hold their own references; the
   * process exits under them, which is all a CLI can do. */
  return EXIT_SUCCESS;
}

typedef struct
{
  GMainLoop *loop;
  GAsyncResult *result;
  gboolean said;
} Saying;

static void
on_said (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Saying *saying = user_data;

  saying->result = g_object_ref (result);
  g_main_loop_quit (saying->loop);
}

static void
on_utterance_started (LinliVoice *voice, guint id, gpointer user_data)
{
  Saying *saying = user_data;

  saying->said = TRUE;
}

static gboolean
on_say_deadline (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

/* A path as a quoted value of a GStreamer bin description. */
static char *
quote_location (const char *path)
{
  GString *quoted = g_string_new ("\"");

  for (const char *p = path; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (quoted, '\\');
      g_string_append_c (quoted, *p);
    }
  g_string_append_c (quoted, '"');
  return g_string_free (quoted, FALSE);
}

/* Speaks @text through the voice engine the kiosk uses, on the configured
 * speaker or into @output (a WAV file), and waits until it has been heard
 * (or the file is complete). */
static int
run_say (
    LinliConfig *config, const char *voice_name, int rate, const char *output, const char *text)
{
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliDevice) device = NULL;
  g_autofree char *sink = NULL;
  Saying saying = { loop, NULL, FALSE };
  LinliVoice *voice;
  guint deadline_id;
  gboolean drained;

  if (output != NULL)
    {
      g_autofree char *location = quote_location (output);

      sink = g_strdup_printf ("wavenc ! filesink location=%s", location);
    }
  else
    sink = g_strdup (linli_config_get_string (config, "voice", "sink"));

  device = linli_voice_new_with_sinks (sink, NULL);
  voice = LINLI_VOICE (device);
  /* The speaker (or the file): no headphone detection for a test line. */
  linli_voice_set_headphones (voice, LINLI_VOICE_HEADPHONES_NEVER);
  linli_voice_set_language (voice, g_str_equal (voice_name, "en") ? "en" : "zh_CN");
  linli_voice_set_rate (voice, rate > 0 ? rate : linli_config_get_int (config, "voice", "rate"));
  linli_voice_set_default_volume_step (voice, linli_config_get_int (config, "voice", "volume"));
  linli_voice_reset_volume (voice);
  g_signal_connect (voice, "utterance-started", G_CALLBACK (on_utterance_started), &saying);

  if (linli_voice_speak (voice, text, LINLI_VOICE_PRIORITY_ALERT) == 0)
    {
      g_printerr ("linli-diag: cannot speak: %s\n", linli_device_get_detail (device));
      return EXIT_FAILURE;
    }
  linli_voice_drain_async (voice, NULL, on_said, &saying);
  deadline_id = g_timeout_add_seconds (SAY_DEADLINE_SECONDS, on_say_deadline, loop);
  g_main_loop_run (loop);
  if (saying.result == NULL)
    {
      g_printerr ("linli-diag: the voice did not finish within %d s\n", SAY_DEADLINE_SECONDS);
      return EXIT_FAILURE;
    }
  g_source_remove (deadline_id);

  drained = linli_voice_drain_finish (voice, saying.result, &error);
  g_object_unref (saying.result);
  if (!drained)
    {
      g_printerr ("linli-diag: cannot speak: %s\n", error->message);
      return EXIT_FAILURE;
    }
  if (!saying.said)
    {
      g_printerr ("linli-diag: nothing in the text can be spoken (emoji, control characters, "
                  "characters outside espeak-ng's dictionary)\n");
      return EXIT_FAILURE;
    }
  g_print ("%s\n", linli_device_get_detail (device));
  return EXIT_SUCCESS;
}

/* Where the command word is: after the global options (--config takes a
 * value). Commands with options of their own parse what follows it. */
static int
find_command (int argc, char **argv)
{
  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--config") || g_str_equal (argv[i], "-c"))
        i++;
      else if (argv[i][0] != '-')
        return i;
    }
  return argc;
}

int
main (int argc, char **argv)
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliConfig) config = NULL;
  g_autofree char *config_path = NULL;
  gboolean show_version = FALSE;
  gboolean json = FALSE;
  g_autofree char *say_voice = NULL;
  g_autofree char *say_output = NULL;
  int say_rate = 0;
  guint n_problems = 0;
  const char *command;
  int command_index;
  const GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path,
      "Read the configuration from PATH (default: " LINLI_SYSCONF_CONFIG ")", "PATH" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "With “devices”: print JSON, not a table", NULL },
    { "voice", 0, 0, G_OPTION_ARG_STRING, &say_voice,
      "With “say”: cmn (Mandarin, the default) or en", "VOICE" },
    { "rate", 0, 0, G_OPTION_ARG_INT, &say_rate,
      "With “say”: words per minute, 80-300 (default: [voice] rate)", "N" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &say_output,
      "With “say”: write a WAV file instead of playing", "FILE.wav" },
    { "version", 0, 0, G_OPTION_ARG_NONE, &show_version, "Print the version and exit", NULL },
    { NULL },
  };

  setlocale (LC_ALL, "");

  context = g_option_context_new ("COMMAND — check a Linli kiosk");
  g_option_context_set_summary (context,
                                "Commands:\n"
                                "  devices   probe every configured device and show its "
                                "state\n"
                                "  config    show the effective configuration and its "
                                "problems\n"
                                "  say TEXT  speak TEXT through the kiosk's voice\n"
                                "  read-card read a social-security card (PC/SC)\n"
                                "  read-id   read a resident ID card (GA 467 reader)\n"
                                "  platform ping|catalog|outbox  the county platform\n"
                                "  print-test  print a test receipt and wait for it\n"
                                "  camera-snap take one picture and write a JPEG\n"
                                "  usb       the USB devices against the roles of [usb]\n"
                                "  receipt   show or reprint a receipt kept by its number\n"
                                "  hash-pin  hash a maintainer PIN read from stdin\n"
                                "  audit     the maintenance audit log, verified");
  g_option_context_add_main_entries (context, entries, NULL);

  command_index = find_command (argc, argv);
  if (command_index < argc
      && (g_str_equal (argv[command_index], "read-card")
          || g_str_equal (argv[command_index], "read-id")
          || g_str_equal (argv[command_index], "platform")
          || g_str_equal (argv[command_index], "print-test")
          || g_str_equal (argv[command_index], "camera-snap")
          || g_str_equal (argv[command_index], "usb")
          || g_str_equal (argv[command_index], "receipt")
          || g_str_equal (argv[command_index], "hash-pin")
          || g_str_equal (argv[command_index], "audit")))
    {
      /* Copied first: parsing the global part may rewrite argv around it. */
      g_auto (GStrv) command_argv = g_strdupv (argv + command_index);
      int global_argc = command_index;

      if (!g_option_context_parse (context, &global_argc, &argv, &error))
        return usage_error ("%s", error->message);
      if (global_argc > 1 || json || show_version)
        return usage_error ("options of “%s” go after it", command_argv[0]);
      config = load_config (config_path, &n_problems, &error);
      if (config == NULL)
        {
          g_printerr ("linli-diag: %s\n", error->message);
          return EXIT_FAILURE;
        }
      if (g_str_equal (command_argv[0], "camera-snap"))
        return linli_diag_camera_snap (config, (int) g_strv_length (command_argv), command_argv);
      if (g_str_equal (command_argv[0], "receipt"))
        return linli_diag_receipt (config, (int) g_strv_length (command_argv), command_argv);
      if (g_str_equal (command_argv[0], "usb"))
        return linli_diag_usb (config, (int) g_strv_length (command_argv), command_argv);
      if (g_str_equal (command_argv[0], "hash-pin"))
        return linli_diag_hash_pin (config, (int) g_strv_length (command_argv), command_argv);
      if (g_str_equal (command_argv[0], "audit"))
        return linli_diag_audit (config, (int) g_strv_length (command_argv), command_argv);
      if (g_str_equal (command_argv[0], "print-test"))
        return linli_diag_print_test (config, (int) g_strv_length (command_argv), command_argv);
      if (g_str_equal (command_argv[0], "platform"))
        return linli_diag_platform (config, (int) g_strv_length (command_argv), command_argv);
      if (g_str_equal (command_argv[0], "read-id"))
        return linli_diag_read_id (config, (int) g_strv_length (command_argv), command_argv);
      return linli_diag_read_card (config, (int) g_strv_length (command_argv), command_argv);
    }

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error ("%s", error->message);

  if (show_version)
    {
      g_print ("linli-diag %s\n", LINLI_VERSION);
      return EXIT_SUCCESS;
    }

  if (argc < 2)
    return usage_error ("no command given");
  command = argv[1];
  if (!g_str_equal (command, "devices") && !g_str_equal (command, "config")
      && !g_str_equal (command, "say"))
    return usage_error ("unknown command “%s”", command);
  if (g_str_equal (command, "say"))
    {
      if (argc < 3)
        return usage_error ("“say” needs the TEXT to speak");
      if (say_voice != NULL && !g_str_equal (say_voice, "cmn") && !g_str_equal (say_voice, "en"))
        return usage_error ("--voice must be cmn or en, not “%s”", say_voice);
      if (say_rate != 0 && (say_rate < LINLI_VOICE_RATE_MIN || say_rate > LINLI_VOICE_RATE_MAX))
        return usage_error ("--rate must be between %d and %d", LINLI_VOICE_RATE_MIN,
                            LINLI_VOICE_RATE_MAX);
      if (say_output != NULL && *say_output == '\0')
        return usage_error ("-o needs a file name");
    }
  else
    {
      if (argc > 2)
        return usage_error ("unexpected argument “%s”", argv[2]);
      if (say_voice != NULL || say_rate != 0 || say_output != NULL)
        return usage_error ("--voice, --rate and -o only apply to “say”");
    }
  if (json && !g_str_equal (command, "devices"))
    return usage_error ("--json only applies to “devices”");

  config = load_config (config_path, &n_problems, &error);
  if (config == NULL)
    {
      g_printerr ("linli-diag: %s\n", error->message);
      return EXIT_FAILURE;
    }

  if (g_str_equal (command, "config"))
    return run_config (config, n_problems);
  if (g_str_equal (command, "say"))
    {
      /* Words after the command are one text: say 请 插卡 says "请 插卡". */
      g_autofree char *text = g_strjoinv (" ", argv + 2);

      return run_say (config, say_voice != NULL ? say_voice : "cmn", say_rate, say_output, text);
    }
  return run_devices (config, json);
}
