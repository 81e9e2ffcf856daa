/* Unit tests of LinliConfig: defaults, bad values, unknown keys, the example. */
#include "linli-config.h"

static void
test_defaults (void)
{
  g_autoptr (LinliConfig) config = linli_config_new ();

  g_assert_cmpint (linli_config_get_int (config, "session", "inactivity-timeout"), ==, 90);
  g_assert_cmpint (linli_config_get_int (config, "session", "warning-countdown"), ==, 30);
  g_assert_cmpstr (linli_config_get_string (config, "kiosk", "language"), ==, "zh_CN");
  g_assert_false (linli_config_get_boolean (config, "display", "hide-pointer"));
  g_assert_cmpuint (linli_config_get_problems (config)->len, ==, 0);
}

static void
test_good_values (void)
{
  g_autoptr (LinliConfig) config = linli_config_new ();
  g_autoptr (GError) error = NULL;
  const char *data = "[session]\ninactivity-timeout = 45\nwarning-countdown=25\n"
                     "[display]\nhide-pointer=true\ntext-size=3\n"
                     "[kiosk]\nlanguage=en\nstaff-desk=  一楼 3 号窗口  \n";

  g_assert_true (linli_config_load_data (config, data, -1, "test.conf", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (linli_config_get_problems (config)->len, ==, 0);
  g_assert_cmpint (linli_config_get_int (config, "session", "inactivity-timeout"), ==, 45);
  g_assert_cmpint (linli_config_get_int (config, "session", "warning-countdown"), ==, 25);
  g_assert_true (linli_config_get_boolean (config, "display", "hide-pointer"));
  g_assert_cmpint (linli_config_get_int (config, "display", "text-size"), ==, 3);
  g_assert_cmpstr (linli_config_get_string (config, "kiosk", "language"), ==, "en");
  g_assert_cmpstr (linli_config_get_string (config, "kiosk", "staff-desk"), ==, "一楼 3 号窗口");
}

static void
assert_problem_names (LinliConfig *config, const char *needle)
{
  GPtrArray *problems = linli_config_get_problems (config);

  for (guint i = 0; i < problems->len; i++)
    if (strstr (g_ptr_array_index (problems, i), needle) != NULL)
      return;
  g_error ("no problem mentions \"%s\"", needle);
}

static void
test_bad_values (void)
{
  g_autoptr (LinliConfig) config = linli_config_new ();
  g_autoptr (GError) error = NULL;
  const char *data = "[session]\n"
                     "inactivity-timeout=soon\n" /* not a number */
                     "warning-countdown=5\n"     /* below the 20 s minimum */
                     "more-time-factor=99999999999999999999\n"
                     "[display]\n"
                     "hide-pointer=maybe\n"
                     "text-size=0\n"
                     "[kiosk]\n"
                     "language=fr\n"
                     "colour=blue\n"
                     "[printer]\n"
                     "queue=x\n";

  g_assert_true (linli_config_load_data (config, data, -1, "bad.conf", &error));
  g_assert_no_error (error);

  /* Every bad value falls back to its default... */
  g_assert_cmpint (linli_config_get_int (config, "session", "inactivity-timeout"), ==, 90);
  g_assert_cmpint (linli_config_get_int (config, "session", "warning-countdown"), ==, 30);
  g_assert_cmpint (linli_config_get_int (config, "session", "more-time-factor"), ==, 2);
  g_assert_false (linli_config_get_boolean (config, "display", "hide-pointer"));
  g_assert_cmpint (linli_config_get_int (config, "display", "text-size"), ==, 1);
  g_assert_cmpstr (linli_config_get_string (config, "kiosk", "language"), ==, "zh_CN");

  /* ...and each problem names its file, group and key. */
  g_assert_cmpuint (linli_config_get_problems (config)->len, ==, 8);
  assert_problem_names (config, "bad.conf: [session] inactivity-timeout");
  assert_problem_names (config, "[session] warning-countdown: \"5\" is not a whole number from 20");
  assert_problem_names (config, "[session] more-time-factor");
  assert_problem_names (config, "[display] hide-pointer: must be true or false");
  assert_problem_names (config, "[display] text-size");
  assert_problem_names (config, "[kiosk] language: \"fr\" is not one of zh_CN, en");
  assert_problem_names (config, "[kiosk] colour: unknown key");
  assert_problem_names (config, "[printer]: unknown group");
}

static void
test_not_a_key_file (void)
{
  g_autoptr (LinliConfig) config = linli_config_new ();
  g_autoptr (GError) error = NULL;
  const char *data = "this is not\x01 a key file\n[unclosed\n";

  g_assert_false (linli_config_load_data (config, data, -1, "junk.conf", &error));
  g_assert_error (error, LINLI_CONFIG_ERROR, LINLI_CONFIG_ERROR_SYNTAX);
  g_assert_nonnull (strstr (error->message, "junk.conf"));
  /* The defaults still apply. */
  g_assert_cmpint (linli_config_get_int (config, "session", "inactivity-timeout"), ==, 90);
}

static void
test_missing_file (void)
{
  g_autoptr (LinliConfig) config = linli_config_new ();
  g_autoptr (GError) error = NULL;

  g_assert_false (linli_config_load_file (config, "/nonexistent/kiosk.conf", &error));
  g_assert_error (error, LINLI_CONFIG_ERROR, LINLI_CONFIG_ERROR_READ);
  g_assert_cmpint (linli_config_get_int (config, "session", "warning-countdown"), ==, 30);
}

/* The example under packaging/ documents every key: uncommenting all of its
 * "#key=value" lines must give a file with no problems that sets each key. */
static void
test_example_documents_every_key (void)
{
  g_autofree char *path
      = g_test_build_filename (G_TEST_DIST, "..", "packaging", "kiosk.conf.example", NULL);
  g_autofree char *contents = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) active = g_string_new (NULL);
  g_autoptr (GKeyFile) example = g_key_file_new ();
  g_autoptr (GKeyFile) defaults = g_key_file_new ();
  g_autoptr (LinliConfig) config = linli_config_new ();
  g_autofree char *dump = linli_config_dump (config);
  g_auto (GStrv) lines = NULL;
  g_auto (GStrv) groups = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      /* "#key=value" (no space after #) is a documented setting. */
      if (line[0] == '#' && g_ascii_isalpha (line[1]) && strchr (line, '=') != NULL)
        line++;
      g_string_append_printf (active, "%s\n", line);
    }

  g_assert_true (linli_config_load_data (config, active->str, -1, "example", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (linli_config_get_problems (config)->len, ==, 0);

  g_assert_true (g_key_file_load_from_data (example, active->str, -1, G_KEY_FILE_NONE, NULL));
  g_assert_true (g_key_file_load_from_data (defaults, dump, -1, G_KEY_FILE_NONE, NULL));
  groups = g_key_file_get_groups (defaults, NULL);
  for (guint g = 0; groups[g] != NULL; g++)
    {
      g_auto (GStrv) keys = g_key_file_get_keys (defaults, groups[g], NULL, NULL);
      for (guint k = 0; keys[k] != NULL; k++)
        if (!g_key_file_has_key (example, groups[g], keys[k], NULL))
          g_error ("kiosk.conf.example does not document [%s] %s", groups[g], keys[k]);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/config/defaults", test_defaults);
  g_test_add_func ("/config/good-values", test_good_values);
  g_test_add_func ("/config/bad-values", test_bad_values);
  g_test_add_func ("/config/not-a-key-file", test_not_a_key_file);
  g_test_add_func ("/config/missing-file", test_missing_file);
  g_test_add_func ("/config/example-documents-every-key", test_example_documents_every_key);

  return g_test_run ();
}
