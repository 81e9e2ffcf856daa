/* test-identity.c: LinliIdentity — GB 11643 numbers, the GA/T 467 text
 * block of every card type, masking, expiry, wiping, and linli-diag's JSON.
 * Every person and number here is made up; the numbers only carry correct
 * check digits. */
#include <json-glib/json-glib.h>
#include <string.h>

#include "linli-diag-identity.h"
#include "linli-identity.h"

/* An independent MOD 11-2, so the tests can make numbers for any date. */
static char *
with_check (const char *body17)
{
  static const int weights[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
  int sum = 0;

  g_assert_cmpuint (strlen (body17), ==, 17);
  for (int i = 0; i < 17; i++)
    sum += (body17[i] - '0') * weights[i];
  return g_strdup_printf ("%s%c", body17, "10X98765432"[sum % 11]);
}

/* ---- GB 11643 ------------------------------------------------------------ */

static void
test_id_number_valid (void)
{
  /* The standard's own examples, one with the X check character. */
  g_assert_true (linli_id_number_check ("11010519491231002X"));
  g_assert_true (linli_id_number_check ("440524188001010014"));
  g_assert_true (linli_id_number_check ("370102199001011231"));
  /* Lowercase x is the same number. */
  g_assert_true (linli_id_number_check ("11010519491231002x"));
  {
    g_autofree char *leap = with_check ("11010520000229001");
    g_assert_true (linli_id_number_check (leap));
  }
}

static void
test_id_number_invalid (void)
{
  g_autofree char *feb30 = with_check ("11010519990230001");
  g_autofree char *feb29_1900 = with_check ("11010519000229001");
  g_autofree char *feb29_2023 = with_check ("11010520230229001");
  g_autofree char *month13 = with_check ("11010519991301001");
  g_autofree char *day00 = with_check ("11010519990100001");
  g_autofree char *future = with_check ("11010520990101001");
  g_autofree char *too_old = with_check ("11010517990101001");
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autoptr (GDateTime) tomorrow_dt = g_date_time_add_days (now, 1);
  g_autofree char *tomorrow_body = NULL;
  g_autofree char *tomorrow = NULL;

  g_assert_false (linli_id_number_check ("110105194912310021")); /* wrong check digit */
  g_assert_false (linli_id_number_check ("11010519491231002Y"));
  g_assert_false (linli_id_number_check ("440524188001010015"));
  g_assert_false (linli_id_number_check (feb30));
  g_assert_false (linli_id_number_check (feb29_1900)); /* 1900 is no leap year */
  g_assert_false (linli_id_number_check (feb29_2023));
  g_assert_false (linli_id_number_check (month13));
  g_assert_false (linli_id_number_check (day00));
  g_assert_false (linli_id_number_check (future));
  g_assert_false (linli_id_number_check (too_old));
  /* 15-digit first-generation numbers have no check digit. */
  g_assert_false (linli_id_number_check ("110105491231002"));
  g_assert_false (linli_id_number_check ("11010519491231002"));
  g_assert_false (linli_id_number_check ("11010519491231002X0"));
  g_assert_false (linli_id_number_check ("1101051949123100X2"));
  g_assert_false (linli_id_number_check ("１１０１０５１９４９１２３１００２Ｘ"));
  g_assert_false (linli_id_number_check (""));
  g_assert_false (linli_id_number_check (NULL));

  tomorrow_body = g_date_time_format (tomorrow_dt, "110105%Y%m%d001");
  tomorrow = with_check (tomorrow_body);
  g_assert_false (linli_id_number_check (tomorrow));
}

/* ---- Masking ------------------------------------------------------------- */

static void
assert_masked_name (const char *name, const char *expected)
{
  g_autofree char *masked = linli_mask_name (name);

  g_assert_cmpstr (masked, ==, expected);
}

static void
test_mask_name (void)
{
  assert_masked_name ("王", "*");
  assert_masked_name ("王明", "王*");
  assert_masked_name ("王小明", "王*明");
  assert_masked_name ("张三丰", "张*丰");
  /* Compound surnames are not guessed: first and last character only. */
  assert_masked_name ("欧阳明", "欧*明");
  assert_masked_name ("欧阳小明", "欧**明");
  assert_masked_name ("司马相如", "司**如");
  /* Characters outside the BMP count as one. */
  assert_masked_name ("𠀀小𠀁", "𠀀*𠀁");
  /* Latin names: word by word, first letter kept. */
  assert_masked_name ("ZHANG, SAN", "Z****, S**");
  assert_masked_name ("SMITH JOHN", "S**** J***");
  assert_masked_name ("JOHN", "J***");
  assert_masked_name ("O'NEIL, MARY-ANN", "O'N***, M***-A**");
  assert_masked_name ("A", "*");
  assert_masked_name ("买买提·艾力", "买**·艾*");
  assert_masked_name ("", "");
  assert_masked_name ("\xff\xfe", "*");
  assert_masked_name (NULL, NULL);
}

static void
assert_masked_id (const char *number, const char *expected)
{
  g_autofree char *masked = linli_mask_id_number (number);

  g_assert_cmpstr (masked, ==, expected);
}

static void
test_mask_id_number (void)
{
  assert_masked_id ("370102199001011231", "3701**********1231");
  assert_masked_id ("11010519491231002X", "1101**********002X");
  /* Other lengths: at most 4 kept, never more than a third. */
  assert_masked_id ("USA330012345678", "US***********78");
  assert_masked_id ("110105491231002", "11***********02");
  assert_masked_id ("123456789", "12******9");
  assert_masked_id ("123456", "1****6");
  assert_masked_id ("12345", "1****");
  assert_masked_id ("123", "1**");
  assert_masked_id ("12", "**");
  assert_masked_id ("1", "*");
  assert_masked_id ("", "");
  assert_masked_id ("\xc3", "*");
  assert_masked_id (NULL, NULL);
}

/* ---- GB 3304 and card types ---------------------------------------------- */

static void
test_nation (void)
{
  g_assert_cmpstr (linli_nation_name ("01"), ==, "汉");
  g_assert_cmpstr (linli_nation_name ("02"), ==, "蒙古");
  g_assert_cmpstr (linli_nation_name ("08"), ==, "壮");
  g_assert_cmpstr (linli_nation_name ("09"), ==, "布依");
  g_assert_cmpstr (linli_nation_name ("10"), ==, "朝鲜");
  g_assert_cmpstr (linli_nation_name ("17"), ==, "哈萨克");
  g_assert_cmpstr (linli_nation_name ("29"), ==, "柯尔克孜");
  g_assert_cmpstr (linli_nation_name ("37"), ==, "仡佬");
  g_assert_cmpstr (linli_nation_name ("44"), ==, "俄罗斯");
  g_assert_cmpstr (linli_nation_name ("53"), ==, "赫哲");
  g_assert_cmpstr (linli_nation_name ("56"), ==, "基诺");
  g_assert_cmpstr (linli_nation_name ("97"), ==, "其他");
  g_assert_cmpstr (linli_nation_name ("98"), ==, "外国血统中国籍人士");
  g_assert_null (linli_nation_name ("00"));
  g_assert_null (linli_nation_name ("57"));
  g_assert_null (linli_nation_name ("99"));
  g_assert_null (linli_nation_name ("1"));
  g_assert_null (linli_nation_name ("001"));
  g_assert_null (linli_nation_name ("0a"));
  g_assert_null (linli_nation_name (NULL));
}

static void
test_card_type (void)
{
  GEnumClass *klass = g_type_class_ref (LINLI_TYPE_CARD_TYPE);

  g_assert_cmpstr (linli_card_type_to_string (LINLI_CARD_TYPE_RESIDENT_ID), ==, "resident_id");
  g_assert_cmpstr (linli_card_type_to_string (LINLI_CARD_TYPE_FOREIGN_PERMANENT_RESIDENT), ==,
                   "foreign_permanent_resident");
  g_assert_cmpstr (linli_card_type_to_string (LINLI_CARD_TYPE_HK_MACAO_TAIWAN_RESIDENT), ==,
                   "hk_macao_taiwan_resident");
  g_assert_cmpstr (linli_card_type_to_string (LINLI_CARD_TYPE_SOCIAL_SECURITY), ==,
                   "social_security");
  g_assert_cmpstr (g_enum_get_value (klass, LINLI_CARD_TYPE_SOCIAL_SECURITY)->value_nick, ==,
                   "social_security");
  g_assert_true (G_TYPE_IS_BOXED (LINLI_TYPE_IDENTITY));
  g_type_class_unref (klass);
}

/* ---- GA/T 467 text blocks ------------------------------------------------ */

typedef struct
{
  guint8 bytes[256];
} Block;

static void
block_init (Block *block)
{
  for (guint i = 0; i < 256; i += 2)
    {
      block->bytes[i] = 0x20;
      block->bytes[i + 1] = 0;
    }
}

/* Writes @text as UTF-16LE into the field at @offset, padded with spaces. */
static void
block_put (Block *block, gsize offset, gsize size, const char *text)
{
  glong n = 0;
  g_autofree gunichar2 *units = g_utf8_to_utf16 (text, -1, NULL, &n, NULL);

  g_assert_nonnull (units);
  g_assert_cmpuint ((gsize) n * 2, <=, size);
  for (gsize i = 0; i < size; i += 2)
    {
      block->bytes[offset + i] = 0x20;
      block->bytes[offset + i + 1] = 0;
    }
  for (glong i = 0; i < n; i++)
    {
      block->bytes[offset + (gsize) i * 2] = units[i] & 0xff;
      block->bytes[offset + (gsize) i * 2 + 1] = units[i] >> 8;
    }
}

static void
block_put_unit (Block *block, gsize offset, guint16 unit)
{
  block->bytes[offset] = unit & 0xff;
  block->bytes[offset + 1] = unit >> 8;
}

static void
resident_block (Block *b)
{
  block_init (b);
  block_put (b, 0, 30, "张三");
  block_put (b, 30, 2, "1");
  block_put (b, 32, 4, "01");
  block_put (b, 36, 16, "19900101");
  block_put (b, 52, 70, "山东省济南市历下区测试路1号");
  block_put (b, 122, 36, "370102199001011231");
  block_put (b, 158, 30, "济南市公安局历下分局");
  block_put (b, 188, 16, "20150101");
  block_put (b, 204, 16, "20350101");
}

static LinliIdentity *
decode (const Block *b, GError **error)
{
  return linli_identity_new_from_ga467_text (b->bytes, sizeof b->bytes, NULL, "test reader", error);
}

static void
test_ga467_resident (void)
{
  static const guint8 wlt[] = { 'W', 'L', 'T', 0, 1, 2, 3 };
  g_autoptr (GBytes) photo = g_bytes_new (wlt, sizeof wlt);
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliIdentity) id = NULL;
  g_autoptr (GDateTime) day = g_date_time_new_local (2030, 6, 1, 0, 0, 0);
  g_autofree char *masked_name = NULL;
  g_autofree char *masked_id = NULL;
  Block b;

  resident_block (&b);
  id = linli_identity_new_from_ga467_text (b.bytes, sizeof b.bytes, photo, "test reader", &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
  g_assert_cmpint (linli_identity_get_card_type (id), ==, LINLI_CARD_TYPE_RESIDENT_ID);
  g_assert_cmpstr (linli_identity_get_name (id), ==, "张三");
  g_assert_cmpint (linli_identity_get_gender (id), ==, LINLI_GENDER_MALE);
  g_assert_cmpstr (linli_identity_get_nation_code (id), ==, "01");
  g_assert_cmpstr (linli_identity_get_nation (id), ==, "汉");
  g_assert_cmpstr (linli_identity_get_birth_date (id), ==, "1990-01-01");
  g_assert_cmpstr (linli_identity_get_address (id), ==, "山东省济南市历下区测试路1号");
  g_assert_cmpstr (linli_identity_get_id_number (id), ==, "370102199001011231");
  g_assert_cmpstr (linli_identity_get_issuer (id), ==, "济南市公安局历下分局");
  g_assert_cmpstr (linli_identity_get_valid_from (id), ==, "2015-01-01");
  g_assert_cmpstr (linli_identity_get_valid_to (id), ==, "2035-01-01");
  g_assert_cmpstr (linli_identity_get_source (id), ==, "test reader");
  g_assert_true (linli_identity_get_id_number_valid (id));
  g_assert_false (linli_identity_is_expired (id, day));

  /* The photo is a copy, byte for byte. */
  g_assert_nonnull (linli_identity_get_photo (id));
  g_assert_true (g_bytes_equal (linli_identity_get_photo (id), photo));
  g_assert_true (g_bytes_get_data (linli_identity_get_photo (id), NULL)
                 != g_bytes_get_data (photo, NULL));

  masked_name = linli_identity_dup_masked_name (id);
  masked_id = linli_identity_dup_masked_id_number (id);
  g_assert_cmpstr (masked_name, ==, "张*");
  g_assert_cmpstr (masked_id, ==, "3701**********1231");

  /* The boxed type copies by reference. */
  {
    LinliIdentity *copy = g_boxed_copy (LINLI_TYPE_IDENTITY, id);

    g_assert_true (copy == id);
    g_boxed_free (LINLI_TYPE_IDENTITY, copy);
  }
}

static void
test_ga467_resident_long_term (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliIdentity) id = NULL;
  g_autoptr (GDateTime) far = g_date_time_new_local (9999, 12, 31, 0, 0, 0);
  Block b;

  resident_block (&b);
  block_put (&b, 0, 30, "欧阳小明");
  block_put (&b, 30, 2, "2");
  block_put (&b, 32, 4, "98");
  block_put (&b, 36, 16, "19491231");
  block_put (&b, 122, 36, "11010519491231002X");
  block_put (&b, 188, 16, "20100101");
  block_put (&b, 204, 16, "长期");
  id = decode (&b, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (linli_identity_get_name (id), ==, "欧阳小明");
  g_assert_cmpint (linli_identity_get_gender (id), ==, LINLI_GENDER_FEMALE);
  g_assert_cmpstr (linli_identity_get_nation (id), ==, "外国血统中国籍人士");
  g_assert_cmpstr (linli_identity_get_valid_to (id), ==, "long-term");
  g_assert_cmpstr (linli_identity_get_valid_to (id), ==, LINLI_IDENTITY_LONG_TERM);
  g_assert_true (linli_identity_get_id_number_valid (id));
  g_assert_false (linli_identity_is_expired (id, NULL));
  g_assert_false (linli_identity_is_expired (id, far));
  g_assert_null (linli_identity_get_photo (id));
}

static void
test_ga467_resident_mismatch (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliIdentity) id = NULL;
  Block b;

  /* A number whose birth date is not the card's: decoded, but not valid. */
  resident_block (&b);
  block_put (&b, 36, 16, "19900102");
  id = decode (&b, &error);
  g_assert_no_error (error);
  g_assert_false (linli_identity_get_id_number_valid (id));
}

static void
test_ga467_hk_macao_taiwan (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliIdentity) id = NULL;
  Block b;

  block_init (&b);
  block_put (&b, 0, 30, "陈大文");
  block_put (&b, 30, 2, "2");
  block_put (&b, 36, 16, "19950615");
  block_put (&b, 52, 70, "广东省深圳市福田区测试路2号");
  block_put (&b, 122, 36, "810000199506150025");
  block_put (&b, 158, 30, "深圳市公安局");
  block_put (&b, 188, 16, "20200101");
  block_put (&b, 204, 16, "20250101");
  block_put (&b, 220, 18, "H12345678");
  block_put (&b, 238, 4, "01");
  block_put (&b, 248, 2, "J");
  id = decode (&b, &error);
  g_assert_no_error (error);
  g_assert_cmpint (linli_identity_get_card_type (id), ==, LINLI_CARD_TYPE_HK_MACAO_TAIWAN_RESIDENT);
  g_assert_cmpstr (linli_identity_get_name (id), ==, "陈大文");
  g_assert_cmpint (linli_identity_get_gender (id), ==, LINLI_GENDER_FEMALE);
  g_assert_null (linli_identity_get_nation_code (id));
  g_assert_null (linli_identity_get_nation (id));
  g_assert_cmpstr (linli_identity_get_birth_date (id), ==, "1995-06-15");
  g_assert_cmpstr (linli_identity_get_id_number (id), ==, "810000199506150025");
  g_assert_true (linli_identity_get_id_number_valid (id));
  g_assert_cmpstr (linli_identity_get_valid_to (id), ==, "2025-01-01");
}

static void
test_ga467_foreign_2017 (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliIdentity) id = NULL;
  g_autoptr (LinliIdentity) id_cn = NULL;
  g_autofree char *masked = NULL;
  Block b;

  block_init (&b);
  block_put (&b, 0, 120, "SMITH, JOHN");
  block_put (&b, 120, 2, "1");
  block_put (&b, 122, 30, "USA330012345678");
  block_put (&b, 152, 6, "USA");
  block_put (&b, 188, 16, "20180301");
  block_put (&b, 204, 16, "20280301");
  block_put (&b, 220, 16, "19800315");
  block_put (&b, 236, 4, "01");
  block_put (&b, 240, 8, "1500");
  block_put (&b, 248, 2, "I");
  id = decode (&b, &error);
  g_assert_no_error (error);
  g_assert_cmpint (linli_identity_get_card_type (id), ==,
                   LINLI_CARD_TYPE_FOREIGN_PERMANENT_RESIDENT);
  /* No Chinese name: the English one. */
  g_assert_cmpstr (linli_identity_get_name (id), ==, "SMITH, JOHN");
  g_assert_cmpint (linli_identity_get_gender (id), ==, LINLI_GENDER_MALE);
  g_assert_cmpstr (linli_identity_get_id_number (id), ==, "USA330012345678");
  g_assert_true (linli_identity_get_id_number_valid (id));
  g_assert_cmpstr (linli_identity_get_birth_date (id), ==, "1980-03-15");
  g_assert_cmpstr (linli_identity_get_valid_from (id), ==, "2018-03-01");
  g_assert_cmpstr (linli_identity_get_valid_to (id), ==, "2028-03-01");
  g_assert_cmpstr (linli_identity_get_issuer (id), ==, "1500");
  g_assert_null (linli_identity_get_address (id));
  g_assert_null (linli_identity_get_nation_code (id));
  masked = linli_identity_dup_masked_name (id);
  g_assert_cmpstr (masked, ==, "S****, J***");

  block_put (&b, 158, 30, "史密斯");
  id_cn = decode (&b, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (linli_identity_get_name (id_cn), ==, "史密斯");

  /* The 2017 number's form: three capital letters, twelve digits. */
  g_clear_pointer (&id_cn, linli_identity_unref);
  block_put (&b, 122, 30, "usa330012345678");
  id_cn = decode (&b, &error);
  g_assert_no_error (error);
  g_assert_false (linli_identity_get_id_number_valid (id_cn));
}

static void
test_ga467_foreign_2023 (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliIdentity) id = NULL;
  Block b;

  block_init (&b);
  block_put (&b, 0, 30, "史密斯");
  block_put (&b, 30, 2, "2");
  block_put (&b, 32, 4, "00");
  block_put (&b, 36, 16, "19800315");
  block_put (&b, 52, 70, "SMITH-WILLIAMSON, ELIZABETH");
  block_put (&b, 122, 36, "912345198003150015");
  block_put (&b, 188, 16, "20240101");
  block_put (&b, 204, 16, "20340101");
  block_put (&b, 220, 22, "");
  block_put (&b, 242, 6, "GBR");
  block_put (&b, 248, 2, "Y");
  id = decode (&b, &error);
  g_assert_no_error (error);
  g_assert_cmpint (linli_identity_get_card_type (id), ==,
                   LINLI_CARD_TYPE_FOREIGN_PERMANENT_RESIDENT);
  g_assert_cmpstr (linli_identity_get_name (id), ==, "史密斯");
  g_assert_cmpint (linli_identity_get_gender (id), ==, LINLI_GENDER_FEMALE);
  g_assert_cmpstr (linli_identity_get_id_number (id), ==, "912345198003150015");
  g_assert_true (linli_identity_get_id_number_valid (id));
  g_assert_cmpstr (linli_identity_get_birth_date (id), ==, "1980-03-15");
  g_assert_cmpstr (linli_identity_get_valid_to (id), ==, "2034-01-01");
}

static void
assert_malformed (const Block *b, GQuark domain, int code)
{
  g_autoptr (GError) error = NULL;
  LinliIdentity *id = decode (b, &error);

  g_assert_null (id);
  g_assert_error (error, domain, code);
  /* The message names a field, never a value from the card. */
  g_assert_null (strstr (error->message, "张"));
  g_assert_null (strstr (error->message, "3701"));
  g_assert_null (strstr (error->message, "济南"));
  g_assert_null (strstr (error->message, "1990"));
}

static void
test_ga467_malformed (void)
{
  Block b;

  resident_block (&b);
  for (gsize length = 0; length < 300; length += 1)
    {
      g_autoptr (GError) error = NULL;
      guint8 bytes[300] = { 0 };
      LinliIdentity *id;

      if (length == 256)
        continue;
      memcpy (bytes, b.bytes, MIN (length, sizeof b.bytes));
      id = linli_identity_new_from_ga467_text (bytes, length, NULL, NULL, &error);
      g_assert_null (id);
      g_assert_error (error, LINLI_IDENTITY_ERROR, LINLI_IDENTITY_ERROR_MALFORMED);
    }

  /* Unpaired surrogates: a high one followed by a space, a low one alone,
   * a high one at the end of the field. */
  resident_block (&b);
  block_put_unit (&b, 4, 0xD840);
  assert_malformed (&b, LINLI_IDENTITY_ERROR, LINLI_IDENTITY_ERROR_MALFORMED);
  resident_block (&b);
  block_put_unit (&b, 4, 0xDC00);
  assert_malformed (&b, LINLI_IDENTITY_ERROR, LINLI_IDENTITY_ERROR_MALFORMED);
  resident_block (&b);
  block_put_unit (&b, 28, 0xD840);
  block_put_unit (&b, 30, 0xDC00); /* the pair is split across two fields */
  assert_malformed (&b, LINLI_IDENTITY_ERROR, LINLI_IDENTITY_ERROR_MALFORMED);

  /* A NUL inside a field, and NUL padding. */
  resident_block (&b);
  block_put_unit (&b, 2, 0x0000);
  assert_malformed (&b, LINLI_IDENTITY_ERROR, LINLI_IDENTITY_ERROR_MALFORMED);
  resident_block (&b);
  block_put_unit (&b, 70, 0x000A);
  assert_malformed (&b, LINLI_IDENTITY_ERROR, LINLI_IDENTITY_ERROR_MALFORMED);

  /* Dates that are not dates. */
  resident_block (&b);
  block_put (&b, 36, 16, "1990AB01");
  assert_malformed (&b, LINLI_IDENTITY_ERROR, LINLI_IDENTITY_ERROR_MALFORMED);
  resident_block (&b);
  block_put (&b, 36, 16, "19990230");
  assert_malformed (&b, LINLI_IDENTITY_ERROR, LINLI_IDENTITY_ERROR_MALFORMED);
  resident_block (&b);
  block_put (&b, 36, 16, "1990011");
  assert_malformed (&b, LINLI_IDENTITY_ERROR, LINLI_IDENTITY_ERROR_MALFORMED);
  resident_block (&b);
  block_put (&b, 188, 16, "长期");
  assert_malformed (&b, LINLI_IDENTITY_ERROR, LINLI_IDENTITY_ERROR_MALFORMED);
  resident_block (&b);
  block_put (&b, 204, 16, "２０３５０１０１");
  assert_malformed (&b, LINLI_IDENTITY_ERROR, LINLI_IDENTITY_ERROR_MALFORMED);

  /* A gender or ethnic group that is no code. */
  resident_block (&b);
  block_put (&b, 30, 2, "M");
  assert_malformed (&b, LINLI_IDENTITY_ERROR, LINLI_IDENTITY_ERROR_MALFORMED);
  resident_block (&b);
  block_put (&b, 32, 4, "汉");
  assert_malformed (&b, LINLI_IDENTITY_ERROR, LINLI_IDENTITY_ERROR_MALFORMED);

  /* No name, no number. */
  resident_block (&b);
  block_put (&b, 0, 30, "    ");
  assert_malformed (&b, LINLI_IDENTITY_ERROR, LINLI_IDENTITY_ERROR_MALFORMED);
  resident_block (&b);
  block_put (&b, 122, 36, "                  ");
  assert_malformed (&b, LINLI_IDENTITY_ERROR, LINLI_IDENTITY_ERROR_MALFORMED);

  /* Unknown flags. */
  resident_block (&b);
  block_put (&b, 248, 2, "Z");
  assert_malformed (&b, LINLI_IDENTITY_ERROR, LINLI_IDENTITY_ERROR_UNKNOWN_CARD);
  resident_block (&b);
  block_put_unit (&b, 248, 0x0000);
  assert_malformed (&b, LINLI_IDENTITY_ERROR, LINLI_IDENTITY_ERROR_UNKNOWN_CARD);
  resident_block (&b);
  block_put_unit (&b, 248, 0x4900); /* 'I' in the wrong byte order */
  assert_malformed (&b, LINLI_IDENTITY_ERROR, LINLI_IDENTITY_ERROR_UNKNOWN_CARD);
}

static void
test_ga467_padding (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliIdentity) id = NULL;
  Block b;

  /* Leading spaces and ideographic spaces are padding too; a valid
   * surrogate pair is one character. */
  resident_block (&b);
  block_put (&b, 0, 30, "　𠀀三 ");
  id = decode (&b, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (linli_identity_get_name (id), ==, "𠀀三");
}

/* ---- Builder, expiry ----------------------------------------------------- */

static LinliIdentityBuilder *
valid_builder (void)
{
  LinliIdentityBuilder *builder
      = linli_identity_builder_new (LINLI_CARD_TYPE_SOCIAL_SECURITY, "pcsc test");

  linli_identity_builder_set_name (builder, "李四");
  linli_identity_builder_set_id_number (builder, "11010519491231002x");
  linli_identity_builder_set_birth_date (builder, "1949-12-31");
  linli_identity_builder_set_validity (builder, "2010-01-01", "2020-01-01");
  return builder;
}

static void
test_builder (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliIdentity) id = linli_identity_builder_end (valid_builder (), &error);

  g_assert_no_error (error);
  g_assert_cmpint (linli_identity_get_card_type (id), ==, LINLI_CARD_TYPE_SOCIAL_SECURITY);
  /* The lowercase check character is kept as X. */
  g_assert_cmpstr (linli_identity_get_id_number (id), ==, "11010519491231002X");
  g_assert_true (linli_identity_get_id_number_valid (id));
  g_assert_cmpint (linli_identity_get_gender (id), ==, LINLI_GENDER_UNKNOWN);
  g_assert_null (linli_identity_get_address (id));
  g_assert_null (linli_identity_get_photo (id));

  /* A builder dropped without end. */
  {
    g_autoptr (LinliIdentityBuilder) dropped = valid_builder ();
    g_autoptr (GBytes) photo = g_bytes_new_static ("WLT", 3);

    linli_identity_builder_set_photo (dropped, photo);
    linli_identity_builder_set_name (dropped, "王五"); /* replaces, wiping the old one */
  }
}

static void
assert_builder_fails (LinliIdentityBuilder *builder)
{
  g_autoptr (GError) error = NULL;
  LinliIdentity *id = linli_identity_builder_end (builder, &error);

  g_assert_null (id);
  g_assert_error (error, LINLI_IDENTITY_ERROR, LINLI_IDENTITY_ERROR_MALFORMED);
}

static void
test_builder_errors (void)
{
  LinliIdentityBuilder *b;

  b = valid_builder ();
  linli_identity_builder_set_name (b, NULL);
  assert_builder_fails (b);
  b = valid_builder ();
  linli_identity_builder_set_name (b, "");
  assert_builder_fails (b);
  b = valid_builder ();
  linli_identity_builder_set_id_number (b, NULL);
  assert_builder_fails (b);
  b = valid_builder ();
  linli_identity_builder_set_name (b, "\xe6\x9d");
  assert_builder_fails (b);
  b = valid_builder ();
  linli_identity_builder_set_birth_date (b, "1949-02-30");
  assert_builder_fails (b);
  b = valid_builder ();
  linli_identity_builder_set_birth_date (b, "19491231");
  assert_builder_fails (b);
  b = valid_builder ();
  linli_identity_builder_set_validity (b, "long-term", NULL);
  assert_builder_fails (b);
  b = valid_builder ();
  linli_identity_builder_set_validity (b, NULL, "2020-13-01");
  assert_builder_fails (b);
  b = valid_builder ();
  linli_identity_builder_set_nation_code (b, "1");
  assert_builder_fails (b);
}

static void
test_birth_date_mismatch (void)
{
  g_autoptr (LinliIdentity) id = NULL;
  LinliIdentityBuilder *b = valid_builder ();

  linli_identity_builder_set_birth_date (b, "1949-12-30");
  id = linli_identity_builder_end (b, NULL);
  g_assert_false (linli_identity_get_id_number_valid (id));
}

static void
test_expired (void)
{
  g_autoptr (LinliIdentity) id = linli_identity_builder_end (valid_builder (), NULL);
  g_autoptr (GDateTime) before = g_date_time_new_local (2019, 12, 31, 23, 0, 0);
  g_autoptr (GDateTime) last_day = g_date_time_new_local (2020, 1, 1, 23, 59, 0);
  g_autoptr (GDateTime) after = g_date_time_new_local (2020, 1, 2, 0, 0, 0);
  g_autoptr (LinliIdentity) no_end = NULL;
  LinliIdentityBuilder *b;

  g_assert_false (linli_identity_is_expired (id, before));
  g_assert_false (linli_identity_is_expired (id, last_day));
  g_assert_true (linli_identity_is_expired (id, after));
  g_assert_true (linli_identity_is_expired (id, NULL));

  b = valid_builder ();
  linli_identity_builder_set_validity (b, NULL, NULL);
  no_end = linli_identity_builder_end (b, NULL);
  g_assert_false (linli_identity_is_expired (no_end, after));
}

/* ---- Wiping -------------------------------------------------------------- */

typedef struct
{
  guint regions;
  gsize bytes;
  GHashTable *seen; /* address → size, as integers: never dereferenced later */
} WipeLog;

static void
on_wipe (gconstpointer data, gsize size, gpointer user_data)
{
  WipeLog *log = user_data;
  const guint8 *p = data;

  for (gsize i = 0; i < size; i++)
    g_assert_cmpuint (p[i], ==, 0);
  log->regions++;
  log->bytes += size;
  g_hash_table_insert (log->seen, GSIZE_TO_POINTER ((guintptr) data), GSIZE_TO_POINTER (size));
}

static void
test_wipe (void)
{
  static const guint8 wlt[64] = { 0x57, 0x4c, 0x54, 1, 2, 3, 4, 5 };
  g_autoptr (GBytes) photo = g_bytes_new (wlt, sizeof wlt);
  WipeLog log = { 0 };
  LinliIdentity *id;
  guintptr name, number, photo_data;
  Block b;

  log.seen = g_hash_table_new (NULL, NULL);
  linli_identity_set_wipe_observer_for_testing (on_wipe, &log);

  resident_block (&b);
  id = linli_identity_new_from_ga467_text (b.bytes, sizeof b.bytes, photo, "reader", NULL);
  g_assert_nonnull (id);
  name = (guintptr) linli_identity_get_name (id);
  number = (guintptr) linli_identity_get_id_number (id);
  photo_data = (guintptr) g_bytes_get_data (linli_identity_get_photo (id), NULL);

  /* Decoding wiped its own temporary copies. */
  g_assert_cmpuint (log.regions, >, 0);
  log.regions = 0;
  log.bytes = 0;
  g_hash_table_remove_all (log.seen);

  /* Another reference: nothing is wiped yet. */
  linli_identity_ref (id);
  linli_identity_unref (id);
  g_assert_cmpuint (log.regions, ==, 0);

  linli_identity_unref (id);
  /* Nine strings (name, nation, birth date, address, number, issuer, two
   * validity dates, source) and the photo. */
  g_assert_cmpuint (log.regions, ==, 10);
  g_assert_true (g_hash_table_contains (log.seen, GSIZE_TO_POINTER (name)));
  g_assert_cmpuint (GPOINTER_TO_SIZE (g_hash_table_lookup (log.seen, GSIZE_TO_POINTER (name))), ==,
                    strlen ("张三") + 1);
  g_assert_true (g_hash_table_contains (log.seen, GSIZE_TO_POINTER (number)));
  g_assert_cmpuint (
      GPOINTER_TO_SIZE (g_hash_table_lookup (log.seen, GSIZE_TO_POINTER (photo_data))), ==,
      sizeof wlt);

  /* The caller's photo is the caller's: untouched. */
  g_assert_cmpmem (g_bytes_get_data (photo, NULL), sizeof wlt, wlt, sizeof wlt);

  /* A builder dropped without end wipes too. */
  log.regions = 0;
  linli_identity_builder_free (valid_builder ());
  g_assert_cmpuint (log.regions, ==, 6); /* name, number, birth, two validity dates, source */
  log.regions = 0;
  g_assert_null (linli_identity_builder_end (
      linli_identity_builder_new (LINLI_CARD_TYPE_RESIDENT_ID, "reader"), NULL));
  g_assert_cmpuint (log.regions, ==, 1);

  linli_identity_set_wipe_observer_for_testing (NULL, NULL);
  g_hash_table_unref (log.seen);
}

/* ---- linli-diag's JSON ------------------------------------------------- */

static void
test_diag_json (void)
{
  static const char *const keys[] = {
    "card_type", "name",   "gender",     "nation_code", "nation",  "birth_date",      "address",
    "id_number", "issuer", "valid_from", "valid_to",    "expired", "id_number_valid", "source",
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliIdentity) id = NULL;
  g_autoptr (LinliIdentity) hmt = NULL;
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (JsonNode) hmt_node = NULL;
  g_autofree char *text = NULL;
  JsonObject *object;
  Block b;

  resident_block (&b);
  block_put (&b, 204, 16, "长期");
  id = decode (&b, &error);
  g_assert_no_error (error);
  node = linli_diag_identity_to_json (id);
  object = json_node_get_object (node);
  g_assert_cmpuint (json_object_get_size (object), ==, G_N_ELEMENTS (keys));
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_assert_true (json_object_has_member (object, keys[i]));
  g_assert_cmpstr (json_object_get_string_member (object, "card_type"), ==, "resident_id");
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "张三");
  g_assert_cmpstr (json_object_get_string_member (object, "gender"), ==, "male");
  g_assert_cmpstr (json_object_get_string_member (object, "nation_code"), ==, "01");
  g_assert_cmpstr (json_object_get_string_member (object, "nation"), ==, "汉");
  g_assert_cmpstr (json_object_get_string_member (object, "birth_date"), ==, "1990-01-01");
  g_assert_cmpstr (json_object_get_string_member (object, "id_number"), ==, "370102199001011231");
  g_assert_cmpstr (json_object_get_string_member (object, "valid_to"), ==, "long-term");
  g_assert_false (json_object_get_boolean_member (object, "expired"));
  g_assert_true (json_object_get_boolean_member (object, "id_number_valid"));
  g_assert_cmpstr (json_object_get_string_member (object, "source"), ==, "test reader");

  /* Absent fields are null, not missing. */
  block_init (&b);
  block_put (&b, 0, 30, "陈大文");
  block_put (&b, 30, 2, "9");
  block_put (&b, 122, 36, "810000199506150025");
  block_put (&b, 248, 2, "J");
  hmt = decode (&b, &error);
  g_assert_no_error (error);
  hmt_node = linli_diag_identity_to_json (hmt);
  object = json_node_get_object (hmt_node);
  g_assert_cmpuint (json_object_get_size (object), ==, G_N_ELEMENTS (keys));
  g_assert_true (json_object_get_null_member (object, "gender"));
  g_assert_true (json_object_get_null_member (object, "nation_code"));
  g_assert_true (json_object_get_null_member (object, "nation"));
  g_assert_true (json_object_get_null_member (object, "birth_date"));
  g_assert_true (json_object_get_null_member (object, "address"));
  g_assert_true (json_object_get_null_member (object, "valid_to"));
  g_assert_false (json_object_get_boolean_member (object, "expired"));

  text = linli_diag_identity_to_text (id);
  g_assert_nonnull (strstr (text, "card_type: resident_id\n"));
  g_assert_nonnull (strstr (text, "valid_to: long-term\n"));
  g_assert_nonnull (strstr (text, "id_number_valid: yes\n"));
  {
    g_auto (GStrv) lines = g_strsplit (text, "\n", -1);

    /* 14 lines and the empty string after the last newline. */
    g_assert_cmpuint (g_strv_length (lines), ==, G_N_ELEMENTS (keys) + 1);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/identity/id-number/valid", test_id_number_valid);
  g_test_add_func ("/identity/id-number/invalid", test_id_number_invalid);
  g_test_add_func ("/identity/mask/name", test_mask_name);
  g_test_add_func ("/identity/mask/id-number", test_mask_id_number);
  g_test_add_func ("/identity/nation", test_nation);
  g_test_add_func ("/identity/card-type", test_card_type);
  g_test_add_func ("/identity/ga467/resident", test_ga467_resident);
  g_test_add_func ("/identity/ga467/resident-long-term", test_ga467_resident_long_term);
  g_test_add_func ("/identity/ga467/resident-mismatch", test_ga467_resident_mismatch);
  g_test_add_func ("/identity/ga467/hk-macao-taiwan", test_ga467_hk_macao_taiwan);
  g_test_add_func ("/identity/ga467/foreign-2017", test_ga467_foreign_2017);
  g_test_add_func ("/identity/ga467/foreign-2023", test_ga467_foreign_2023);
  g_test_add_func ("/identity/ga467/malformed", test_ga467_malformed);
  g_test_add_func ("/identity/ga467/padding", test_ga467_padding);
  g_test_add_func ("/identity/builder", test_builder);
  g_test_add_func ("/identity/builder/errors", test_builder_errors);
  g_test_add_func ("/identity/birth-date-mismatch", test_birth_date_mismatch);
  g_test_add_func ("/identity/expired", test_expired);
  g_test_add_func ("/identity/wipe", test_wipe);
  g_test_add_func ("/identity/diag-json", test_diag_json);

  return g_test_run ();
}
