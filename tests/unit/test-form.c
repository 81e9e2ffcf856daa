/* test-form.c: an application's form over the simulator's seed catalog —
 * the fields as the screen sees them, answers kept only in the session,
 * the checks, the summary (masked ID numbers) and the confirmation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "linli-form.h"

#include <libintl.h>
#include <locale.h>
#include <string.h>

#include "linli-kiosk-private.h"

static LinliCatalog *catalog;

static LinliKiosk *
new_kiosk (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliConfig) config = linli_config_new ();
  LinliKiosk *kiosk;

  g_assert_true (linli_config_load_data (
      config, "[voice]\nsink=fakesink\n[devices]\ncamera-source=videotestsrc\n", -1, "test",
      &error));
  g_assert_no_error (error);
  kiosk = linli_kiosk_new (config);
  linli_kiosk_set_catalog (kiosk, catalog);
  return kiosk;
}

static guint
field_index (LinliForm *form, const char *name)
{
  for (guint i = 0; i < linli_form_get_n_fields (form); i++)
    {
      LinliFormField field = { 0 };
      gboolean found;

      g_assert_true (linli_form_get_field (form, i, "zh", &field));
      found = g_str_equal (field.name, name);
      linli_form_field_clear (&field);
      if (found)
        return i;
    }
  g_assert_not_reached ();
}

static void
test_not_an_application (void)
{
  g_autoptr (LinliKiosk) kiosk = new_kiosk ();
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliForm) form = NULL;

  form = linli_form_new (kiosk, "330102-SB-0001", &error); /* a certificate */
  g_assert_error (error, LINLI_FORM_ERROR, LINLI_FORM_ERROR_NO_ITEM);
  g_assert_null (form);
  g_clear_error (&error);
  form = linli_form_new (kiosk, "330102-XX-9999", &error);
  g_assert_error (error, LINLI_FORM_ERROR, LINLI_FORM_ERROR_NO_ITEM);
}

static void
test_fields (void)
{
  g_autoptr (LinliKiosk) kiosk = new_kiosk ();
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliForm) form = linli_form_new (kiosk, "330102-YL-0007", &error);
  LinliFormField field = { 0 };
  static const struct
  {
    const char *name;
    LinliFormInput input;
    gboolean required;
  } expected[] = {
    { "applicant_relation", LINLI_FORM_INPUT_CHOICE, TRUE },
    { "phone", LINLI_FORM_INPUT_DIGITS, TRUE },
    { "contribution_grade", LINLI_FORM_INPUT_CHOICE, TRUE },
    { "start_date", LINLI_FORM_INPUT_DATE, TRUE },
    { "bank_account", LINLI_FORM_INPUT_TEXT, TRUE },
    { "remarks", LINLI_FORM_INPUT_MULTILINE, FALSE },
  };

  g_assert_no_error (error);
  g_assert_cmpuint (linli_form_get_n_fields (form), ==, G_N_ELEMENTS (expected));
  g_assert_cmpuint (linli_form_get_n_documents (form), ==, 2);
  g_assert_false (linli_form_get_assisted_only (form));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      LinliFormField f = { 0 };

      g_assert_true (linli_form_get_field (form, i, "zh", &f));
      g_assert_cmpstr (f.name, ==, expected[i].name);
      g_assert_cmpint (f.input, ==, expected[i].input);
      g_assert_cmpint (f.required, ==, expected[i].required);
      g_assert_nonnull (f.label);
      /* The label is always in what is spoken. */
      g_assert_nonnull (strstr (f.spoken, f.label));
      linli_form_field_clear (&f);
    }
  g_assert_false (linli_form_get_field (form, 99, "zh", &field));

  g_assert_true (linli_form_get_field (form, 0, "en", &field));
  g_assert_cmpstr (field.label, ==, "Who is applying");
  g_assert_cmpuint (g_strv_length (field.choice_values), ==, 4);
  g_assert_cmpstr (field.choice_values[0], ==, "self");
  g_assert_cmpstr (field.choice_labels[0], ==, "Myself");
  linli_form_field_clear (&field);
  g_assert_true (linli_form_get_field (form, 1, "zh", &field));
  g_assert_cmpint (field.max_length, ==, 11);
  g_assert_cmpstr (field.help, ==, "11位手机号码。");
  g_assert_null (field.choice_values);
  linli_form_field_clear (&field);

  g_clear_object (&form);
  form = linli_form_new (kiosk, "330102-YB-0010", &error);
  g_assert_no_error (error);
  g_assert_true (linli_form_get_assisted_only (form));
}

static void
test_answers_in_session (void)
{
  g_autoptr (LinliKiosk) kiosk = new_kiosk ();
  LinliSession *session = linli_kiosk_get_session (kiosk);
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliForm) form = linli_form_new (kiosk, "330102-YL-0007", &error);
  guint phone = field_index (form, "phone");
  g_autofree char *message = NULL;

  /* Outside a visit nothing is kept. */
  linli_form_set_text (form, phone, "13912345678");
  g_assert_cmpstr (linli_form_get_text (form, phone), ==, "");
  g_assert_cmpuint (linli_session_count_secrets (session), ==, 0);

  linli_kiosk_start_session (kiosk);
  linli_form_set_text (form, phone, "123");
  g_assert_cmpstr (linli_form_get_text (form, phone), ==, "123");
  g_assert_false (linli_form_check_field (form, phone, "zh", &message));
  g_assert_nonnull (strstr (message, "联系电话"));
  g_clear_pointer (&message, g_free);
  linli_form_set_text (form, phone, "13912345678");
  g_assert_true (linli_form_check_field (form, phone, "zh", &message));
  g_assert_null (message);
  g_assert_cmpuint (linli_session_count_secrets (session), ==, 1);

  /* Confirmed, then changed: to be confirmed again. */
  g_assert_null (linli_form_get_confirmed_at (form));
  linli_form_confirm (form);
  g_assert_nonnull (linli_form_get_confirmed_at (form));
  linli_form_set_text (form, phone, "13912345679");
  g_assert_null (linli_form_get_confirmed_at (form));
  /* Emptied: forgotten, not kept as "". */
  linli_form_set_text (form, phone, "");
  g_assert_cmpuint (linli_session_count_secrets (session), ==, 0);
  linli_form_set_text (form, phone, "13912345678");

  /* The visit ends: the answers are wiped with it. */
  linli_kiosk_finish_session (kiosk);
  g_assert_cmpstr (linli_form_get_text (form, phone), ==, "");
  g_assert_cmpuint (linli_session_count_secrets (session), ==, 0);
}

static void
test_summary (void)
{
  g_autoptr (LinliKiosk) kiosk = new_kiosk ();
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliForm) form = linli_form_new (kiosk, "330102-MZ-0003", &error);
  g_auto (GStrv) labels = NULL;
  g_auto (GStrv) values = NULL;
  g_autofree char *joined = NULL;
  guint n;

  g_assert_no_error (error);
  linli_kiosk_start_session (kiosk);
  linli_form_set_text (form, field_index (form, "household_size"), "2");
  linli_form_set_text (form, field_index (form, "monthly_income"), "812.5");
  linli_form_set_text (form, field_index (form, "living_alone"), "true");
  linli_form_set_text (form, field_index (form, "phone"), "13912345678");
  linli_form_set_text (form, field_index (form, "agent_id_number"), "11010519491231002X");
  n = linli_form_get_summary (form, "zh", &labels, &values);
  g_assert_cmpuint (n, ==, linli_form_get_n_fields (form) + linli_form_get_n_documents (form));
  g_assert_cmpuint (g_strv_length (labels), ==, n);
  g_assert_cmpuint (g_strv_length (values), ==, n);
  joined = g_strjoinv ("|", values);
  /* Amounts in yuan, yes/no in words, the ID number masked, no pages yet. */
  g_assert_nonnull (strstr (joined, "812.50"));
  g_assert_nonnull (strstr (joined, "|是|"));
  g_assert_null (strstr (joined, "11010519491231002X"));
  g_assert_nonnull (strstr (joined, "1101"));
  g_assert_nonnull (strstr (joined, "0 页"));
  /* The bank card is optional: not taken is not "0 pages". */
  g_assert_cmpstr (values[n - 1], ==, "（未填写）");
  linli_kiosk_finish_session (kiosk);
}

int
main (int argc, char *argv[])
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree char *path = NULL;
  JsonObject *root;
  int status;

  g_test_init (&argc, &argv, NULL);
  /* Chinese messages from the build's own catalog, as the kiosk's main()
   * does. */
  setlocale (LC_ALL, "C.UTF-8");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("LINLI_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  linli_i18n_apply_language ("zh_CN");

  /* The simulator's seed, with the members the contract adds when served. */
  path = g_test_build_filename (G_TEST_DIST, "..", "services", "sim", "seed", "catalog.json", NULL);
  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  json_object_remove_member (root, "comment");
  json_object_set_string_member (root, "version", "test");
  json_object_set_string_member (root, "generated_at", "2026-11-23T10:00:00+08:00");
  catalog = linli_catalog_new_from_json (json_parser_get_root (parser), &error);
  g_assert_no_error (error);

  g_test_add_func ("/form/not-an-application", test_not_an_application);
  g_test_add_func ("/form/fields", test_fields);
  g_test_add_func ("/form/answers-in-session", test_answers_in_session);
  g_test_add_func ("/form/summary", test_summary);
  status = g_test_run ();
  linli_catalog_unref (catalog);
  return status;
}
