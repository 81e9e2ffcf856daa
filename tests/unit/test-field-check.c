/* test-field-check.c: every field type of the catalog, good and bad values
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "linli-field-check.h"

#include <libintl.h>
#include <locale.h>
#include <string.h>

#include "linli-kiosk.h"
#include "linli-platform-json.h"

/* An item with one field of each type, as a platform would send it. */
static const char item_json[]
    = "{"
      "\"item_code\": \"330102-MZ-0003\", \"category\": \"applications\","
      "\"title\": {\"zh\": \"高龄津贴申请\", \"en\": \"Old-age allowance\"},"
      "\"spoken\": {\"zh\": \"高龄津贴申请\"}, \"flow\": \"application\","
      "\"receipt_template\": \"application\", \"enabled\": true, \"documents\": [],"
      "\"fields\": ["
      " {\"name\": \"note\", \"type\": \"text\", \"label\": {\"zh\": \"备注\", \"en\": \"Note\"},"
      "  \"required\": false, \"max_length\": 5},"
      " {\"name\": \"address\", \"type\": \"multiline\", \"label\": {\"zh\": \"地址\"},"
      "  \"required\": true, \"min_length\": 4},"
      " {\"name\": \"code\", \"type\": \"text\", \"label\": {\"zh\": \"编码\"}, \"required\": true,"
      "  \"pattern\": \"^[A-Z]{2}[0-9]{4}$\"},"
      " {\"name\": \"people\", \"type\": \"integer\", \"label\": {\"zh\": \"人数\"},"
      "  \"required\": true, \"min\": 1, \"max\": 10},"
      " {\"name\": \"income\", \"type\": \"amount\", \"label\": {\"zh\": \"月收入\"},"
      "  \"required\": true, \"min\": 0, \"max\": 500000},"
      " {\"name\": \"since\", \"type\": \"date\", \"label\": {\"zh\": \"起始日期\"},"
      "  \"required\": true, \"min_date\": \"2000-01-01\", \"max_date\": \"2030-12-31\"},"
      " {\"name\": \"relation\", \"type\": \"choice\", \"label\": {\"zh\": \"关系\"},"
      "  \"required\": true, \"choices\": [{\"value\": \"self\", \"label\": {\"zh\": \"本人\"}},"
      "   {\"value\": \"child\", \"label\": {\"zh\": \"子女\"}}]},"
      " {\"name\": \"phone\", \"type\": \"phone\", \"label\": {\"zh\": \"手机号码\"},"
      "  \"required\": true},"
      " {\"name\": \"agent_id\", \"type\": \"id_number\", \"label\": {\"zh\": \"代办人身份证号\"},"
      "  \"required\": true},"
      " {\"name\": \"living_alone\", \"type\": \"boolean\", \"label\": {\"zh\": \"是否独居\"},"
      "  \"required\": true}"
      "]}";

static LinliCatalogItem *item;

typedef struct
{
  const char *field;
  const char *text;
  const char *value;   /* NULL: refused (or empty and optional, see below) */
  const char *message; /* a part of the message when refused */
} Case;

static const Case cases[] = {
  { "note", "", NULL, NULL },
  { "note", "  ok  ", "ok", NULL },
  { "note", "一二三四五", "一二三四五", NULL },
  { "note", "一二三四五六", NULL, "备注" },
  { "note", "a\nb", NULL, "一行" },
  { "address", "", NULL, "请填写地址" },
  { "address", "幸福里", NULL, "至少" },
  { "address", "示例街道\n幸福里3号", "示例街道\n幸福里3号", NULL },
  { "code", "AB1234", "AB1234", NULL },
  { "code", "ab1234", NULL, "编码" },
  { "people", "3", "3", NULL },
  { "people", "0", NULL, "范围" },
  { "people", "11", NULL, "范围" },
  { "people", "3.5", NULL, "整数" },
  { "people", "three", NULL, "整数" },
  { "people", "99999999999999999999", NULL, "整数" },
  { "income", "12", "1200", NULL },
  { "income", "12.5", "1250", NULL },
  { "income", "12.05", "1205", NULL },
  { "income", "0.99", "99", NULL },
  { "income", "12.345", NULL, "元" },
  { "income", "12.", NULL, "元" },
  { "income", "-1", NULL, "元" },
  { "income", "5000.01", NULL, "范围" },
  { "income", "1,000", NULL, "元" },
  { "since", "2026-11-23", "2026-11-23", NULL },
  { "since", "2026-02-30", NULL, "日期" },
  { "since", "2026-1-5", NULL, "日期" },
  { "since", "1999-12-31", NULL, "范围" },
  { "since", "2031-01-01", NULL, "范围" },
  { "relation", "child", "child", NULL },
  { "relation", "子女", NULL, "选择" },
  { "phone", "13800138000", "13800138000", NULL },
  { "phone", " 13800138000 ", "13800138000", NULL },
  { "phone", "12800138000", NULL, "11 位" },
  { "phone", "1380013800", NULL, "11 位" },
  { "agent_id", "11010519491231002x", "11010519491231002X", NULL },
  { "agent_id", "110105194912310021", NULL, "身份证号" },
  { "living_alone", "true", "true", NULL },
  { "living_alone", "yes", NULL, "是或否" },
};

static void
test_cases (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const Case *c = &cases[i];
      const LinliField *field = linli_catalog_item_lookup_field (item, c->field);
      g_autofree char *value = NULL;
      g_autofree char *message = NULL;
      gboolean ok;

      g_assert_nonnull (field);
      ok = linli_field_check (field, c->text, "zh_CN", &value, &message);
      g_test_message ("%s = “%s” → %s %s", c->field, c->text, ok ? "ok" : "refused",
                      ok ? (value != NULL ? value : "(empty)") : message);
      if (c->message == NULL)
        {
          g_assert_true (ok);
          g_assert_null (message);
          g_assert_cmpstr (value, ==, c->value);
        }
      else
        {
          g_assert_false (ok);
          g_assert_null (value);
          g_assert_nonnull (strstr (message, c->message));
          /* A refusal never repeats what was typed (it may be an ID number). */
          if (strlen (c->text) >= 4)
            g_assert_null (strstr (message, c->text));
        }
    }
}

/* The label in the screen's language. */
static void
test_english (void)
{
  const LinliField *field = linli_catalog_item_lookup_field (item, "note");
  g_autofree char *value = NULL;
  g_autofree char *message = NULL;

  g_assert_false (linli_field_check (field, "abcdefg", "en", &value, &message));
  g_assert_nonnull (strstr (message, "Note"));
}

int
main (int argc, char *argv[])
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  /* The messages are checked in Chinese, the kiosk's default language, from
   * the build's own catalog (LINLI_LOCALEDIR, as the kiosk's main() does). */
  setlocale (LC_ALL, "C.UTF-8");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("LINLI_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  linli_i18n_apply_language ("zh_CN");
  node = linli_json_parse (item_json, strlen (item_json), 0, &error);
  g_assert_no_error (error);
  item = linli_catalog_item_new_from_json (node, &error);
  g_assert_no_error (error);
  g_test_add_func ("/field-check/cases", test_cases);
  g_test_add_func ("/field-check/english", test_english);
  status = g_test_run ();
  linli_catalog_item_unref (item);
  return status;
}
