/* test-sscard.c: the social-security card profile without a card: the
 * record parser on good and malformed records, and the APDU sequence
 * (61xx, 6Cxx, status words) against a card simulated in memory. The same
 * profile against pcscd and a virtual card: test-pcsc-rig.py. */
#include <string.h>

#include "linli-sscard.h"

/* A fictitious resident: 张三丰, 11010519491231002X (valid check digit). */
#define NAME_GBK "\xD5\xC5\xC8\xFD\xB7\xE1" /* 张三丰 */

typedef struct
{
  guint8 tag;
  const char *value;
  gsize length;
} Record;

static const Record good_records[] = {
  { 0x04, "110000000001", 12 },
  { 0x05, "\x20\x25\x01\x15", 4 },
  { 0x06, "\x20\x35\x01\x15", 4 },
  { 0x08, "11010519491231002X", 18 },
  { 0x09, NAME_GBK "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 30 },
  { 0x0A, "1", 1 },
  { 0x0B, "\x01", 1 },
  { 0x0D, "\x19\x49\x12\x31", 4 },
};

static GByteArray *
tlv (guint8 tag, const char *value, gsize length)
{
  GByteArray *bytes = g_byte_array_new ();
  guint8 header[2] = { tag, (guint8) length };

  g_byte_array_append (bytes, header, 2);
  g_byte_array_append (bytes, (const guint8 *) value, (guint) length);
  return bytes;
}

/* The good records, with @tag replaced by @value (NULL: left out). */
static LinliSscardRecords *
records_with (guint8 tag, const char *value, gsize length)
{
  LinliSscardRecords *records = linli_sscard_records_new ();

  for (guint i = 0; i < G_N_ELEMENTS (good_records); i++)
    {
      const Record *r = &good_records[i];
      g_autoptr (GByteArray) bytes = NULL;
      g_autoptr (GError) error = NULL;

      if (r->tag == tag && value == NULL)
        continue;
      bytes = r->tag == tag ? tlv (tag, value, length) : tlv (r->tag, r->value, r->length);
      g_assert_true (linli_sscard_parse_record (records, r->tag, bytes->data, bytes->len, &error));
      g_assert_no_error (error);
    }
  return records;
}

static void
test_parse_good (void)
{
  g_autoptr (LinliSscardRecords) records = records_with (0, NULL, 0);
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliIdentity) identity = linli_sscard_parse_identity (records, "pcsc Test", &error);

  g_assert_no_error (error);
  g_assert_nonnull (identity);
  g_assert_cmpint (linli_identity_get_card_type (identity), ==, LINLI_CARD_TYPE_SOCIAL_SECURITY);
  g_assert_cmpstr (linli_identity_get_name (identity), ==, "张三丰");
  g_assert_cmpint (linli_identity_get_gender (identity), ==, LINLI_GENDER_MALE);
  g_assert_cmpstr (linli_identity_get_nation_code (identity), ==, "01");
  g_assert_cmpstr (linli_identity_get_birth_date (identity), ==, "1949-12-31");
  g_assert_cmpstr (linli_identity_get_id_number (identity), ==, "11010519491231002X");
  g_assert_true (linli_identity_get_id_number_valid (identity));
  g_assert_cmpstr (linli_identity_get_issuer (identity), ==, "110000000001");
  g_assert_cmpstr (linli_identity_get_valid_from (identity), ==, "2025-01-15");
  g_assert_cmpstr (linli_identity_get_valid_to (identity), ==, "2035-01-15");
  g_assert_cmpstr (linli_identity_get_source (identity), ==, "pcsc Test");
  g_assert_null (linli_identity_get_address (identity));
}

static void
test_parse_variants (void)
{
  struct
  {
    guint8 tag;
    const char *value;
    gsize length;
  } cases[] = {
    /* A name without its zero padding, a lower-case check character. */
    { 0x09, NAME_GBK, 6 },
    { 0x08, "11010519491231002x", 18 },
    /* The issuer as compressed BCD padded with F [inf]. */
    { 0x04, "\x11\x00\x00\x00\x00\x01\xFF\xFF\xFF\xFF\xFF\xFF", 12 },
    /* Long-term validity [inf]. */
    { 0x06, "\xFF\xFF\xFF\xFF", 4 },
    { 0x0A, "2", 1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (LinliSscardRecords) records
          = records_with (cases[i].tag, cases[i].value, cases[i].length);
      g_autoptr (GError) error = NULL;
      g_autoptr (LinliIdentity) identity = linli_sscard_parse_identity (records, "t", &error);

      g_assert_no_error (error);
      switch (cases[i].tag)
        {
        case 0x09:
          g_assert_cmpstr (linli_identity_get_name (identity), ==, "张三丰");
          break;
        case 0x08:
          g_assert_cmpstr (linli_identity_get_id_number (identity), ==, "11010519491231002X");
          break;
        case 0x04:
          g_assert_cmpstr (linli_identity_get_issuer (identity), ==, "110000000001");
          break;
        case 0x06:
          g_assert_cmpstr (linli_identity_get_valid_to (identity), ==, "long-term");
          break;
        case 0x0A:
          g_assert_cmpint (linli_identity_get_gender (identity), ==, LINLI_GENDER_FEMALE);
          break;
        }
    }
}

/* Field values that must give MALFORMED, never an identity. */
static void
test_parse_bad_fields (void)
{
  struct
  {
    guint8 tag;
    const char *value;
    gsize length;
    const char *what;
  } cases[] = {
    { 0x09, "\xFF\xFE\x80\x81", 4, "not GBK" },
    { 0x09, "\xD5\x00\xC5\xC8", 4, "zero byte inside" },
    { 0x09, "\0\0\0\0", 4, "empty" },
    { 0x09, "\x01\x02", 2, "control characters" },
    { 0x08, "1101051949123100XX", 18, "X not last" },
    { 0x08, "11010519491231 02X", 18, "a space" },
    { 0x0A, "3", 1, "gender" },
    { 0x0A, "\x01", 1, "binary gender" },
    { 0x0B, "\x00", 1, "nation 0" },
    { 0x0B, "\x39", 1, "nation 57" },
    { 0x0D, "\x19\x49\x13\x31", 4, "month 13" },
    { 0x0D, "\x19\x4A\x12\x31", 4, "not BCD" },
    { 0x0D, "\x18\x00\x01\x01", 4, "before 1900" },
    { 0x0D, "\x19\x50\x02\x29", 4, "29 February 1950" },
    { 0x05, "\x20\x25\x00\x15", 4, "month 0" },
    { 0x06, "\x20\x24\x01\x15", 4, "expires before issue" },
    { 0x06, "\x00\x00\x00\x00", 4, "zero expiry" },
    { 0x04, "\x11\xF0\x00\x00\x00\x01\xFF\xFF\xFF\xFF\xFF\xFF", 12, "digit after padding" },
    { 0x04, "\x1A\x00\x00\x00\x00\x01\xFF\xFF\xFF\xFF\xFF\xFF", 12, "issuer not BCD" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (LinliSscardRecords) records
          = records_with (cases[i].tag, cases[i].value, cases[i].length);
      g_autoptr (GError) error = NULL;
      g_autoptr (LinliIdentity) identity = linli_sscard_parse_identity (records, "t", &error);

      g_test_message ("%s", cases[i].what);
      g_assert_null (identity);
      g_assert_error (error, LINLI_SSCARD_ERROR, LINLI_SSCARD_ERROR_MALFORMED);
    }
}

static void
test_parse_missing (void)
{
  g_autoptr (LinliSscardRecords) records = records_with (0x0D, NULL, 0);
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliIdentity) identity = linli_sscard_parse_identity (records, "t", &error);

  g_assert_null (identity);
  g_assert_error (error, LINLI_SSCARD_ERROR, LINLI_SSCARD_ERROR_MISSING_RECORD);
  g_assert_cmpstr (error->message, ==, "record 0D of EF06 is missing");
}

/* Malformed records: refused by the record parser itself. */
static void
test_parse_bad_records (void)
{
  struct
  {
    guint8 expected_tag;
    const char *bytes;
    gsize length;
    const char *message;
  } cases[] = {
    { 0x08, "", 0, "record truncated: 0 bytes, no tag and length" },
    { 0x08, "\x08", 1, "record truncated: 1 bytes, no tag and length" },
    { 0x08,
      "\x08\x12"
      "1101051949",
      12, "record 08 of EF06 truncated: its length says 18 bytes, 10 came" },
    { 0x09, "\x09\x06" NAME_GBK "\xD5\xC5", 10,
      "record 09 of EF06: its length says 6 bytes, 8 came" },
    { 0x09,
      "\x09\x28"
      "0123456789012345678901234567890123456789",
      42, "record 09 of EF06 has length 40; the field has 2 to 30 bytes" },
    { 0x0D, "\x0D\x03\x19\x49\x12", 5,
      "record 0D of EF06 has length 3; the field has 4 to 4 bytes" },
    { 0x08, "\x09\x02\xD5\xC5", 4, "asked for record 08, the card returned record 09" },
    { 0, "\x4E\x02\xD5\xC5", 4, "unknown record tag 4E" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (LinliSscardRecords) records = linli_sscard_records_new ();
      g_autoptr (GError) error = NULL;

      g_assert_false (linli_sscard_parse_record (records, cases[i].expected_tag,
                                                 (const guint8 *) cases[i].bytes, cases[i].length,
                                                 &error));
      g_assert_error (error, LINLI_SSCARD_ERROR, LINLI_SSCARD_ERROR_MALFORMED);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }

  /* The same record twice in a run. */
  {
    g_autoptr (LinliSscardRecords) records = linli_sscard_records_new ();
    g_autoptr (GError) error = NULL;
    const guint8 twice[] = { 0x0A, 0x01, '1', 0x0A, 0x01, '2' };

    g_assert_false (linli_sscard_parse_records (records, twice, sizeof twice, &error));
    g_assert_error (error, LINLI_SSCARD_ERROR, LINLI_SSCARD_ERROR_MALFORMED);
  }
}

static void
test_bcd_date (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *date
      = linli_sscard_parse_bcd_date ((const guint8 *) "\x20\x00\x02\x29", 4, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (date, ==, "2000-02-29");
  g_assert_null (linli_sscard_parse_bcd_date ((const guint8 *) "\x20\x00\x02", 3, NULL));
}

/* ---- the APDU sequence against an in-memory card ------------------------ */

typedef struct
{
  gboolean get_response; /* answer records with 61xx */
  gboolean wrong_le;     /* answer the first read of each record with 6Cxx */
  guint16 select_app_sw; /* 0: 9000 */
  guint8 fail_tag;       /* answer 6581 to this record */
  guint apdus;
  guint vanish_after; /* 0: never */
  char ef[5];
  GHashTable *corrected;
  GByteArray *pending;
} MemoryCard;

static gboolean
memory_transmit (const guint8 *command,
                 gsize command_length,
                 guint8 *response,
                 gsize *response_length,
                 gpointer user_data,
                 GError **error)
{
  MemoryCard *card = user_data;
  g_autoptr (GByteArray) out = g_byte_array_new ();
  guint16 sw = 0x9000;

  card->apdus++;
  if (card->vanish_after > 0 && card->apdus > card->vanish_after)
    {
      g_set_error_literal (error, LINLI_SSCARD_ERROR, LINLI_SSCARD_ERROR_TRANSPORT, "removed");
      return FALSE;
    }
  g_assert_cmpuint (command_length, >=, 4);

  if (command[1] == 0xA4 && command[2] == 0x04)
    sw = card->select_app_sw != 0 ? card->select_app_sw : 0x9000;
  else if (command[1] == 0xA4)
    g_snprintf (card->ef, sizeof card->ef, "%02X%02X", command[5], command[6]);
  else if (command[1] == 0xB2)
    {
      guint8 tag = command[2];
      gboolean found = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (good_records) && !found; i++)
        if (good_records[i].tag == tag)
          {
            g_autoptr (GByteArray) record
                = tlv (tag, good_records[i].value, good_records[i].length);

            found = TRUE;
            if (tag == card->fail_tag)
              sw = 0x6581;
            else if (card->wrong_le
                     && !g_hash_table_contains (card->corrected, GUINT_TO_POINTER (tag)))
              {
                g_hash_table_add (card->corrected, GUINT_TO_POINTER (tag));
                sw = 0x6C00 | record->len;
              }
            else if (card->get_response)
              {
                g_byte_array_append (card->pending, record->data, record->len);
                sw = 0x6100 | record->len;
              }
            else
              g_byte_array_append (out, record->data, record->len);
          }
      if (!found)
        sw = 0x6A83;
    }
  else if (command[1] == 0xC0)
    {
      guint n = MIN (command[4], card->pending->len);

      g_byte_array_append (out, card->pending->data, n);
      g_byte_array_remove_range (card->pending, 0, n);
      sw = card->pending->len > 0 ? 0x6100 | card->pending->len : 0x9000;
    }
  else
    sw = 0x6D00;

  g_assert_cmpuint (out->len + 2, <=, *response_length);
  if (out->len > 0) /* an empty GByteArray has no data: memcpy must not see NULL */
    memcpy (response, out->data, out->len);
  response[out->len] = sw >> 8;
  response[out->len + 1] = sw & 0xFF;
  *response_length = out->len + 2;
  return TRUE;
}

static LinliIdentity *
read_memory_card (MemoryCard *card, GError **error)
{
  LinliIdentity *identity;

  card->corrected = g_hash_table_new (NULL, NULL);
  card->pending = g_byte_array_new ();
  identity = linli_sscard_read (memory_transmit, card, "mem", NULL, error);
  g_hash_table_unref (card->corrected);
  g_byte_array_unref (card->pending);
  return identity;
}

static void
test_read_sequences (void)
{
  MemoryCard plain = { 0 };
  MemoryCard chained = { .get_response = TRUE };
  MemoryCard wrong_le = { .wrong_le = TRUE };
  MemoryCard *cards[] = { &plain, &chained, &wrong_le };
  guint expected_apdus[] = { 11, 19, 19 };

  for (guint i = 0; i < G_N_ELEMENTS (cards); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (LinliIdentity) identity = read_memory_card (cards[i], &error);

      g_assert_no_error (error);
      g_assert_cmpstr (linli_identity_get_id_number (identity), ==, "11010519491231002X");
      g_assert_cmpuint (cards[i]->apdus, ==, expected_apdus[i]);
    }
}

static void
test_read_errors (void)
{
  MemoryCard not_sscard = { .select_app_sw = 0x6A82 };
  MemoryCard failing = { .fail_tag = 0x09 };
  MemoryCard vanishing = { .vanish_after = 4 };
  g_autoptr (GError) e1 = NULL;
  g_autoptr (GError) e2 = NULL;
  g_autoptr (GError) e3 = NULL;

  g_assert_null (read_memory_card (&not_sscard, &e1));
  g_assert_error (e1, LINLI_SSCARD_ERROR, LINLI_SSCARD_ERROR_NOT_SSCARD);

  g_assert_null (read_memory_card (&failing, &e2));
  g_assert_error (e2, LINLI_SSCARD_ERROR, LINLI_SSCARD_ERROR_STATUS);
  g_assert_cmpstr (e2->message, ==,
                   "reading record 09 of EF06: the card answered 6581 (memory failure)");

  g_assert_null (read_memory_card (&vanishing, &e3));
  g_assert_error (e3, LINLI_SSCARD_ERROR, LINLI_SSCARD_ERROR_TRANSPORT);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sscard/parse/good", test_parse_good);
  g_test_add_func ("/sscard/parse/variants", test_parse_variants);
  g_test_add_func ("/sscard/parse/bad-fields", test_parse_bad_fields);
  g_test_add_func ("/sscard/parse/missing", test_parse_missing);
  g_test_add_func ("/sscard/parse/bad-records", test_parse_bad_records);
  g_test_add_func ("/sscard/parse/bcd-date", test_bcd_date);
  g_test_add_func ("/sscard/read/sequences", test_read_sequences);
  g_test_add_func ("/sscard/read/errors", test_read_errors);

  return g_test_run ();
}
