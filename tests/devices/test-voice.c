/* test-voice.c: the voice's probe against the real espeak-ng. */
#include <glib/gstdio.h>
#include <string.h>

#include "linli-voice.h"
#include "probe-sync.h"

static void
test_mandarin (void)
{
  g_autoptr (LinliDevice) voice = linli_voice_new ();

  g_assert_cmpstr (linli_device_get_name (voice), ==, "Voice");
  g_assert_cmpint (linli_device_get_kind (voice), ==, LINLI_DEVICE_KIND_VOICE);
  assert_probe_state (voice, LINLI_DEVICE_STATE_READY);
  g_assert_true (g_str_has_prefix (linli_device_get_detail (voice), "espeak-ng "));
  g_assert_true (g_str_has_suffix (linli_device_get_detail (voice), ", voice cmn"));
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
      g_ptr_array_add (voices, linli_voice_new ());
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
                      "voice-name", "linli-no-such-voice", NULL);

  assert_probe_state (voice, LINLI_DEVICE_STATE_FAULT);
  g_assert_true (
      g_str_has_suffix (linli_device_get_detail (voice), "has no voice linli-no-such-voice"));
}

/* Without its data espeak-ng would exit() the whole kiosk unless told not
 * to; the probe must report a fault and the process live on. */
static void
test_data_missing (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *root = g_dir_make_tmp ("linli-espeak-XXXXXX", NULL);
      g_autofree char *data = g_build_filename (root, "espeak-ng-data", NULL);
      g_autoptr (LinliDevice) voice = NULL;

      /* An existing but empty espeak-ng-data is what a broken install looks
       * like; a missing one makes espeak-ng fall back to the system's. */
      g_assert_cmpint (g_mkdir (data, 0700), ==, 0);
      g_setenv ("ESPEAK_DATA_PATH", root, TRUE);

      voice = linli_voice_new ();
      assert_probe_state (voice, LINLI_DEVICE_STATE_FAULT);
      g_assert_true (strstr (linli_device_get_detail (voice), "could not load its data") != NULL);
      g_rmdir (data);
      g_rmdir (root);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/voice/mandarin", test_mandarin);
  g_test_add_func ("/voice/concurrent", test_concurrent);
  g_test_add_func ("/voice/unknown-voice", test_unknown_voice);
  g_test_add_func ("/voice/data-missing", test_data_missing);

  return g_test_run ();
}
