/* fuzz-main.c: runs a libFuzzer target's LLVMFuzzerTestOneInput over files
 * (a seed corpus) without libFuzzer, so every build checks the parsers on
 * their seeds and on malformed input, also under valgrind and ASan. A
 * -Dfuzzing=true build links the real libFuzzer instead of this file. */
#include <glib.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
run_path (const char *path, guint *count)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          run_path (child, count);
        }
      return;
    }
  {
    g_autofree char *contents = NULL;
    gsize length = 0;
    g_autoptr (GError) error = NULL;

    if (!g_file_get_contents (path, &contents, &length, &error))
      g_error ("%s", error->message);
    LLVMFuzzerTestOneInput ((const uint8_t *) contents, length);
    (*count)++;
  }
}

int
main (int argc, char **argv)
{
  guint count = 0;

  for (int i = 1; i < argc; i++)
    run_path (argv[i], &count);
  /* Also every prefix of nothing: the empty input must be safe. */
  LLVMFuzzerTestOneInput ((const uint8_t *) "", 0);
  g_print ("%u inputs\n", count + 1);
  return count > 0 ? 0 : 1;
}
