/* linli-sscard.c
 *
 * The social-security card profile. Facts from PROTOCOLS.md §3 (MOHRSS
 * 社会保障卡 specification as read by public reader code): the application's
 * DF name is "sx1.sh." followed by 社会保障 in GBK; EF05 holds the card
 * identification records, EF06 the personal ones; READ RECORD by record
 * identifier (P1 = tag, P2 = 00) works on every card generation, where
 * record numbers differ.
 *
 * Marked [inf] in PROTOCOLS.md and so to check against real cards: the
 * nation record is a binary byte; the issuing organisation is ASCII or
 * compressed BCD; an expiry of FFFFFFFF or 99991231 means long-term.
 */
#define G_LOG_DOMAIN "linli-sscard"

#include "linli-sscard.h"

#include <string.h>

G_DEFINE_QUARK (linli_sscard_error_quark, linli_sscard_error)

#define N_TAGS 0x0E

struct _LinliSscardRecords
{
  guint8 *values[N_TAGS];
  gsize lengths[N_TAGS];
};

typedef struct
{
  guint8 min_length;
  guint8 max_length;
} FieldSize;

/* By tag; 0/0 for tags the profile does not know. The name is zero-padded
 * to 30 bytes, but a card that trims the padding is still well formed. */
static const FieldSize field_sizes[N_TAGS] = {
  [LINLI_SSCARD_TAG_CARD_ID] = { 16, 16 },    [LINLI_SSCARD_TAG_CARD_TYPE] = { 1, 1 },
  [LINLI_SSCARD_TAG_SPEC_VERSION] = { 4, 4 }, [LINLI_SSCARD_TAG_ISSUER] = { 12, 12 },
  [LINLI_SSCARD_TAG_ISSUE_DATE] = { 4, 4 },   [LINLI_SSCARD_TAG_EXPIRY_DATE] = { 4, 4 },
  [LINLI_SSCARD_TAG_CARD_NUMBER] = { 9, 9 },  [LINLI_SSCARD_TAG_SSN] = { 18, 18 },
  [LINLI_SSCARD_TAG_NAME] = { 2, 30 },        [LINLI_SSCARD_TAG_GENDER] = { 1, 1 },
  [LINLI_SSCARD_TAG_NATION] = { 1, 1 },       [LINLI_SSCARD_TAG_BIRTHPLACE] = { 3, 3 },
  [LINLI_SSCARD_TAG_BIRTH_DATE] = { 4, 4 },
};

static const char *
ef_name (guint8 tag)
{
  return tag < LINLI_SSCARD_TAG_SSN ? "EF05" : "EF06";
}

LinliSscardRecords *
linli_sscard_records_new (void)
{
  return g_new0 (LinliSscardRecords, 1);
}

void
linli_sscard_records_free (LinliSscardRecords *records)
{
  if (records == NULL)
    return;
  for (guint i = 0; i < N_TAGS; i++)
    if (records->values[i] != NULL)
      {
        explicit_bzero (records->values[i], records->lengths[i]);
        g_free (records->values[i]);
      }
  explicit_bzero (records, sizeof *records);
  g_free (records);
}

static gboolean
known_tag (guint8 tag)
{
  return tag < N_TAGS && field_sizes[tag].max_length > 0;
}

/* One record: tag, length, value, nothing after it. */
static gboolean
parse_one (LinliSscardRecords *records,
           guint8 expected_tag,
           const guint8 *data,
           gsize length,
           gsize *consumed,
           GError **error)
{
  guint8 tag, declared;

  if (length < 2)
    {
      g_set_error (error, LINLI_SSCARD_ERROR, LINLI_SSCARD_ERROR_MALFORMED,
                   "record truncated: %" G_GSIZE_FORMAT " bytes, no tag and length", length);
      return FALSE;
    }
  tag = data[0];
  declared = data[1];
  if (expected_tag != 0 && tag != expected_tag)
    {
      g_set_error (error, LINLI_SSCARD_ERROR, LINLI_SSCARD_ERROR_MALFORMED,
                   "asked for record %02X, the card returned record %02X", expected_tag, tag);
      return FALSE;
    }
  if (!known_tag (tag))
    {
      g_set_error (error, LINLI_SSCARD_ERROR, LINLI_SSCARD_ERROR_MALFORMED,
                   "unknown record tag %02X", tag);
      return FALSE;
    }
  if ((gsize) declared > length - 2)
    {
      g_set_error (error, LINLI_SSCARD_ERROR, LINLI_SSCARD_ERROR_MALFORMED,
                   "record %02X of %s truncated: its length says %u bytes, %" G_GSIZE_FORMAT
                   " came",
                   tag, ef_name (tag), declared, length - 2);
      return FALSE;
    }
  if (declared < field_sizes[tag].min_length || declared > field_sizes[tag].max_length)
    {
      g_set_error (error, LINLI_SSCARD_ERROR, LINLI_SSCARD_ERROR_MALFORMED,
                   "record %02X of %s has length %u; the field has %u to %u bytes", tag,
                   ef_name (tag), declared, field_sizes[tag].min_length,
                   field_sizes[tag].max_length);
      return FALSE;
    }
  if (records->values[tag] != NULL)
    {
      g_set_error (error, LINLI_SSCARD_ERROR, LINLI_SSCARD_ERROR_MALFORMED,
                   "record %02X read twice", tag);
      return FALSE;
    }
  records->values[tag] = g_memdup2 (data + 2, declared);
  records->lengths[tag] = declared;
  *consumed = 2 + (gsize) declared;
  return TRUE;
}

gboolean
linli_sscard_parse_record (LinliSscardRecords *records,
                           guint8 expected_tag,
                           const guint8 *data,
                           gsize length,
                           GError **error)
{
  gsize consumed = 0;

  g_return_val_if_fail (records != NULL, FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  if (!parse_one (records, expected_tag, data, length, &consumed, error))
    return FALSE;
  if (consumed != length)
    {
      guint8 tag = data[0];

      /* Bytes past the value mean the length byte is wrong: trusting either
       * would decode a field from the wrong bytes. */
      explicit_bzero (records->values[tag], records->lengths[tag]);
      g_clear_pointer (&records->values[tag], g_free);
      records->lengths[tag] = 0;
      g_set_error (error, LINLI_SSCARD_ERROR, LINLI_SSCARD_ERROR_MALFORMED,
                   "record %02X of %s: its length says %u bytes, %" G_GSIZE_FORMAT " came", tag,
                   ef_name (tag), data[1], length - 2);
      return FALSE;
    }
  return TRUE;
}

gboolean
linli_sscard_parse_records (LinliSscardRecords *records,
                            const guint8 *data,
                            gsize length,
                            GError **error)
{
  gsize offset = 0;

  g_return_val_if_fail (records != NULL, FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  while (offset < length)
    {
      gsize consumed = 0;

      if (!parse_one (records, 0, data + offset, length - offset, &consumed, error))
        return FALSE;
      offset += consumed;
    }
  return TRUE;
}

char *
linli_sscard_parse_bcd_date (const guint8 *data, gsize length, GError **error)
{
  guint digits[8];
  guint year, month, day;

  if (length != 4)
    {
      g_set_error (error, LINLI_SSCARD_ERROR, LINLI_SSCARD_ERROR_MALFORMED,
                   "a BCD date has 4 bytes, not %" G_GSIZE_FORMAT, length);
      return NULL;
    }
  for (guint i = 0; i < 4; i++)
    {
      digits[2 * i] = data[i] >> 4;
      digits[2 * i + 1] = data[i] & 0x0F;
    }
  for (guint i = 0; i < 8; i++)
    if (digits[i] > 9)
      {
        g_set_error_literal (error, LINLI_SSCARD_ERROR, LINLI_SSCARD_ERROR_MALFORMED,
                             "a date is not BCD");
        return NULL;
      }
  year = digits[0] * 1000 + digits[1] * 100 + digits[2] * 10 + digits[3];
  month = digits[4] * 10 + digits[5];
  day = digits[6] * 10 + digits[7];
  if (year < 1900 || !g_date_valid_dmy (day, month, year))
    {
      g_set_error_literal (error, LINLI_SSCARD_ERROR, LINLI_SSCARD_ERROR_MALFORMED,
                           "a date on the card does not exist");
      return NULL;
    }
  return g_strdup_printf ("%04u-%02u-%02u", year, month, day);
}

/* Trailing zero bytes and spaces are padding. */
static gsize
unpadded_length (const guint8 *data, gsize length)
{
  while (length > 0 && (data[length - 1] == 0x00 || data[length - 1] == 0x20))
    length--;
  return length;
}

char *
linli_sscard_parse_gbk (const guint8 *data, gsize length, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  gsize n = unpadded_length (data, length);
  gsize written = 0;
  g_autofree char *text = NULL;

  if (n == 0)
    {
      g_set_error_literal (error, LINLI_SSCARD_ERROR, LINLI_SSCARD_ERROR_MALFORMED,
                           "a text field is empty");
      return NULL;
    }
  if (memchr (data, 0, n) != NULL)
    {
      g_set_error_literal (error, LINLI_SSCARD_ERROR, LINLI_SSCARD_ERROR_MALFORMED,
                           "a text field has a zero byte inside it");
      return NULL;
    }
  /* GB 18030 decodes every GBK sequence and is what glibc's iconv offers
   * for the family; a byte sequence outside it fails here. */
  text = g_convert ((const char *) data, (gssize) n, "UTF-8", "GB18030", NULL, &written,
                    &local_error);
  if (text == NULL)
    {
      g_set_error_literal (error, LINLI_SSCARD_ERROR, LINLI_SSCARD_ERROR_MALFORMED,
                           "a text field is not GBK");
      return NULL;
    }
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || !g_unichar_isdefined (c))
        {
          explicit_bzero (text, written);
          g_set_error_literal (error, LINLI_SSCARD_ERROR, LINLI_SSCARD_ERROR_MALFORMED,
                               "a text field has control or undefined characters");
          return NULL;
        }
    }
  return g_steal_pointer (&text);
}

static void
wipe_string (char *text)
{
  if (text != NULL)
    {
      explicit_bzero (text, strlen (text));
      g_free (text);
    }
}

/* A string of personal data, wiped when it goes out of scope. */
typedef char *WipedString;
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (WipedString, wipe_string, NULL)

static char *
parse_id_number (const guint8 *data, gsize length, GError **error)
{
  char *number;

  if (length != 18)
    {
      g_set_error_literal (error, LINLI_SSCARD_ERROR, LINLI_SSCARD_ERROR_MALFORMED,
                           "the social-security number does not have 18 characters");
      return NULL;
    }
  for (gsize i = 0; i < 18; i++)
    if (!g_ascii_isdigit (data[i]) && !(i == 17 && (data[i] == 'X' || data[i] == 'x')))
      {
        g_set_error_literal (error, LINLI_SSCARD_ERROR, LINLI_SSCARD_ERROR_MALFORMED,
                             "the social-security number is not 17 digits and a check "
                             "character");
        return NULL;
      }
  number = g_strndup ((const char *) data, 18);
  number[17] = g_ascii_toupper (number[17]);
  return number;
}

/* The issuing organisation: printable ASCII, or compressed BCD padded with
 * F nibbles [inf]. */
static char *
parse_issuer (const guint8 *data, gsize length, GError **error)
{
  gsize n = unpadded_length (data, length);
  gboolean ascii = n > 0;
  gboolean padding = FALSE;
  GString *digits;

  for (gsize i = 0; i < n && ascii; i++)
    ascii = data[i] >= 0x21 && data[i] <= 0x7E;
  if (ascii)
    return g_strndup ((const char *) data, n);

  digits = g_string_new (NULL);
  for (gsize i = 0; i < length; i++)
    for (guint shift = 8; shift > 0;)
      {
        guint nibble;

        shift -= 4;
        nibble = (data[i] >> shift) & 0x0F;
        /* F pads the end; a digit after padding, or A-E, is not BCD. */
        if (nibble == 0x0F)
          padding = TRUE;
        else if (nibble > 9 || padding)
          {
            g_string_free (digits, TRUE);
            g_set_error_literal (error, LINLI_SSCARD_ERROR, LINLI_SSCARD_ERROR_MALFORMED,
                                 "the issuing organisation is neither ASCII nor BCD");
            return NULL;
          }
        else
          g_string_append_c (digits, (char) ('0' + nibble));
      }
  if (digits->len == 0)
    {
      g_string_free (digits, TRUE);
      g_set_error_literal (error, LINLI_SSCARD_ERROR, LINLI_SSCARD_ERROR_MALFORMED,
                           "the issuing organisation is empty");
      return NULL;
    }
  return g_string_free (digits, FALSE);
}

static gboolean
require (LinliSscardRecords *records, guint8 tag, GError **error)
{
  if (records->values[tag] != NULL)
    return TRUE;
  g_set_error (error, LINLI_SSCARD_ERROR, LINLI_SSCARD_ERROR_MISSING_RECORD,
               "record %02X of %s is missing", tag, ef_name (tag));
  return FALSE;
}

LinliIdentity *
linli_sscard_parse_identity (LinliSscardRecords *records, const char *source, GError **error)
{
  static const guint8 needed[] = {
    LINLI_SSCARD_TAG_ISSUER, LINLI_SSCARD_TAG_ISSUE_DATE, LINLI_SSCARD_TAG_EXPIRY_DATE,
    LINLI_SSCARD_TAG_SSN,    LINLI_SSCARD_TAG_NAME,       LINLI_SSCARD_TAG_GENDER,
    LINLI_SSCARD_TAG_NATION, LINLI_SSCARD_TAG_BIRTH_DATE,
  };
  g_autoptr (LinliIdentityBuilder) builder = NULL;
  g_auto (WipedString) name = NULL;
  g_auto (WipedString) id_number = NULL;
  g_auto (WipedString) birth_date = NULL;
  g_autofree char *issuer = NULL;
  g_autofree char *valid_from = NULL;
  g_autofree char *valid_to = NULL;
  g_autofree char *nation = NULL;
  const guint8 *expiry;
  LinliGender gender;
  guint nation_code;

  g_return_val_if_fail (records != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (needed); i++)
    if (!require (records, needed[i], error))
      return NULL;

  name = linli_sscard_parse_gbk (records->values[LINLI_SSCARD_TAG_NAME],
                                 records->lengths[LINLI_SSCARD_TAG_NAME], error);
  if (name == NULL)
    {
      g_prefix_error (error, "name (record 09): ");
      return NULL;
    }

  id_number = parse_id_number (records->values[LINLI_SSCARD_TAG_SSN],
                               records->lengths[LINLI_SSCARD_TAG_SSN], error);
  if (id_number == NULL)
    return NULL;

  switch (records->values[LINLI_SSCARD_TAG_GENDER][0])
    {
    case '1':
      gender = LINLI_GENDER_MALE;
      break;
    case '2':
      gender = LINLI_GENDER_FEMALE;
      break;
    case '0': /* GB/T 2261.1: not known */
    case '9': /* GB/T 2261.1: not stated */
      gender = LINLI_GENDER_UNKNOWN;
      break;
    default:
      g_set_error (error, LINLI_SSCARD_ERROR, LINLI_SSCARD_ERROR_MALFORMED,
                   "gender (record 0A) is byte %02X, not '1' or '2'",
                   records->values[LINLI_SSCARD_TAG_GENDER][0]);
      return NULL;
    }

  /* GB 3304: 01 … 56, 97 others, 98 naturalised. */
  nation_code = records->values[LINLI_SSCARD_TAG_NATION][0];
  if (!((nation_code >= 1 && nation_code <= 56) || nation_code == 97 || nation_code == 98))
    {
      g_set_error (error, LINLI_SSCARD_ERROR, LINLI_SSCARD_ERROR_MALFORMED,
                   "nation (record 0B) is %u, not a GB 3304 code", nation_code);
      return NULL;
    }
  nation = g_strdup_printf ("%02u", nation_code);

  birth_date = linli_sscard_parse_bcd_date (records->values[LINLI_SSCARD_TAG_BIRTH_DATE],
                                            records->lengths[LINLI_SSCARD_TAG_BIRTH_DATE], error);
  if (birth_date == NULL)
    {
      g_prefix_error (error, "birth date (record 0D): ");
      return NULL;
    }

  issuer = parse_issuer (records->values[LINLI_SSCARD_TAG_ISSUER],
                         records->lengths[LINLI_SSCARD_TAG_ISSUER], error);
  if (issuer == NULL)
    return NULL;

  valid_from = linli_sscard_parse_bcd_date (records->values[LINLI_SSCARD_TAG_ISSUE_DATE],
                                            records->lengths[LINLI_SSCARD_TAG_ISSUE_DATE], error);
  if (valid_from == NULL)
    {
      g_prefix_error (error, "issue date (record 05): ");
      return NULL;
    }

  expiry = records->values[LINLI_SSCARD_TAG_EXPIRY_DATE];
  if (memcmp (expiry, "\xFF\xFF\xFF\xFF", 4) == 0 || memcmp (expiry, "\x99\x99\x12\x31", 4) == 0)
    valid_to = g_strdup ("long-term");
  else
    {
      valid_to = linli_sscard_parse_bcd_date (expiry, 4, error);
      if (valid_to == NULL)
        {
          g_prefix_error (error, "expiry date (record 06): ");
          return NULL;
        }
      if (strcmp (valid_to, valid_from) < 0)
        {
          g_set_error_literal (error, LINLI_SSCARD_ERROR, LINLI_SSCARD_ERROR_MALFORMED,
                               "the card expires before it was issued");
          return NULL;
        }
    }

  builder = linli_identity_builder_new (LINLI_CARD_TYPE_SOCIAL_SECURITY, source);
  linli_identity_builder_set_name (builder, name);
  linli_identity_builder_set_gender (builder, gender);
  linli_identity_builder_set_nation_code (builder, nation);
  linli_identity_builder_set_birth_date (builder, birth_date);
  linli_identity_builder_set_id_number (builder, id_number);
  linli_identity_builder_set_issuer (builder, issuer);
  linli_identity_builder_set_validity (builder, valid_from, valid_to);
  return linli_identity_builder_end (g_steal_pointer (&builder), error);
}

/* ---- APDUs ------------------------------------------------------------ */

/* ISO 7816-4 status words a maintainer may meet, in words. */
static const char *
describe_status (guint16 sw)
{
  switch (sw)
    {
    case 0x6281:
      return "part of the data may be corrupted";
    case 0x6283:
      return "selected file invalidated";
    case 0x6581:
      return "memory failure";
    case 0x6700:
      return "wrong length";
    case 0x6982:
      return "security status not satisfied";
    case 0x6983:
      return "authentication method blocked";
    case 0x6985:
      return "conditions of use not satisfied";
    case 0x6986:
      return "command not allowed, no current EF";
    case 0x6A81:
      return "function not supported";
    case 0x6A82:
      return "file or application not found";
    case 0x6A83:
      return "record not found";
    case 0x6A86:
      return "incorrect P1 P2";
    case 0x6D00:
      return "instruction not supported";
    case 0x6E00:
      return "class not supported";
    case 0x6F00:
      return "no precise diagnosis";
    default:
      return "unexpected status";
    }
}

/* "61xx" chains: bounded, a card that keeps saying "more" is broken. */
#define MAX_GET_RESPONSE  8
#define RESPONSE_CAPACITY 258

typedef struct
{
  LinliSscardTransmitFunc transmit;
  gpointer user_data;
  GCancellable *cancellable;
} Channel;

/* Sends @command and returns the data (without status word) in @data and
 * the final status word, after GET RESPONSE for 61xx and one repeat with
 * the right Le for 6Cxx. */
static gboolean
exchange (Channel *channel,
          const guint8 *command,
          gsize command_length,
          GByteArray *data,
          guint16 *sw,
          GError **error)
{
  guint8 apdu[5 + 255 + 1];
  guint8 response[RESPONSE_CAPACITY];
  gsize apdu_length = command_length;
  gboolean repeated = FALSE;
  guint get_responses = 0;

  g_assert (command_length <= sizeof apdu);
  memcpy (apdu, command, command_length);

  for (;;)
    {
      gsize response_length = sizeof response;

      if (g_cancellable_set_error_if_cancelled (channel->cancellable, error))
        return FALSE;
      if (!channel->transmit (apdu, apdu_length, response, &response_length, channel->user_data,
                              error))
        return FALSE;
      if (response_length == 0)
        {
          /* What vpcd and some readers give for a card pulled mid-APDU. */
          g_set_error_literal (error, LINLI_SSCARD_ERROR, LINLI_SSCARD_ERROR_TRANSPORT,
                               "the card stopped answering: taken out during the read?");
          return FALSE;
        }
      if (response_length < 2 || response_length > sizeof response)
        {
          explicit_bzero (response, sizeof response);
          g_set_error (error, LINLI_SSCARD_ERROR, LINLI_SSCARD_ERROR_MALFORMED,
                       "the card answered %" G_GSIZE_FORMAT " bytes, no status word",
                       response_length);
          return FALSE;
        }
      *sw = (guint16) (response[response_length - 2] << 8 | response[response_length - 1]);
      g_byte_array_append (data, response, (guint) (response_length - 2));
      explicit_bzero (response, sizeof response);

      if ((*sw & 0xFF00) == 0x6100)
        {
          /* More data waits: GET RESPONSE for it (Le 00 = 256). */
          if (++get_responses > MAX_GET_RESPONSE)
            {
              g_set_error_literal (error, LINLI_SSCARD_ERROR, LINLI_SSCARD_ERROR_MALFORMED,
                                   "the card keeps answering 61xx");
              return FALSE;
            }
          apdu[0] = 0x00;
          apdu[1] = 0xC0;
          apdu[2] = 0x00;
          apdu[3] = 0x00;
          apdu[4] = (guint8) (*sw & 0xFF);
          apdu_length = 5;
          continue;
        }
      if ((*sw & 0xFF00) == 0x6C00 && !repeated && data->len == 0)
        {
          /* Wrong Le: the card says how many bytes it has; ask again once. */
          repeated = TRUE;
          apdu[apdu_length - 1] = (guint8) (*sw & 0xFF);
          continue;
        }
      return TRUE;
    }
}

/* An empty GByteArray has no buffer: explicit_bzero must not see NULL. */
static void
wipe_bytes (GByteArray *bytes)
{
  if (bytes->len > 0)
    explicit_bzero (bytes->data, bytes->len);
}

static gboolean
select_file (Channel *channel,
             const guint8 *command,
             gsize command_length,
             const char *what,
             LinliSscardError not_found,
             GError **error)
{
  g_autoptr (GByteArray) data = g_byte_array_new ();
  guint16 sw = 0;

  if (!exchange (channel, command, command_length, data, &sw, error))
    {
      g_prefix_error (error, "selecting %s: ", what);
      return FALSE;
    }
  /* The FCI that some cards return is not needed. */
  wipe_bytes (data);
  if (sw == 0x9000)
    return TRUE;
  g_set_error (error, LINLI_SSCARD_ERROR, sw == 0x6A82 ? not_found : LINLI_SSCARD_ERROR_STATUS,
               "selecting %s: the card answered %04X (%s)", what, sw, describe_status (sw));
  return FALSE;
}

static gboolean
read_record (Channel *channel, LinliSscardRecords *records, guint8 tag, GError **error)
{
  g_autoptr (GByteArray) data = g_byte_array_new ();
  guint8 command[5] = { 0x00, 0xB2, tag, 0x00, (guint8) (field_sizes[tag].max_length + 2) };
  guint16 sw = 0;
  gboolean ok;

  if (!exchange (channel, command, sizeof command, data, &sw, error))
    {
      g_prefix_error (error, "reading record %02X of %s: ", tag, ef_name (tag));
      wipe_bytes (data);
      return FALSE;
    }
  if (sw != 0x9000)
    {
      wipe_bytes (data);
      g_set_error (error, LINLI_SSCARD_ERROR,
                   sw == 0x6A83 ? LINLI_SSCARD_ERROR_MISSING_RECORD : LINLI_SSCARD_ERROR_STATUS,
                   "reading record %02X of %s: the card answered %04X (%s)", tag, ef_name (tag), sw,
                   describe_status (sw));
      return FALSE;
    }
  ok = linli_sscard_parse_record (records, tag, data->data, data->len, error);
  wipe_bytes (data);
  return ok;
}

LinliIdentity *
linli_sscard_read (LinliSscardTransmitFunc transmit,
                   gpointer user_data,
                   const char *source,
                   GCancellable *cancellable,
                   GError **error)
{
  /* SELECT by DF name: "sx1.sh." + 社会保障 (GBK). */
  static const guint8 select_application[] = {
    0x00, 0xA4, 0x04, 0x00, 0x0F, 0x73, 0x78, 0x31, 0x2E, 0x73,
    0x68, 0x2E, 0xC9, 0xE7, 0xBB, 0xE1, 0xB1, 0xA3, 0xD5, 0xCF,
  };
  static const guint8 select_ef05[] = { 0x00, 0xA4, 0x02, 0x00, 0x02, 0xEF, 0x05 };
  static const guint8 select_ef06[] = { 0x00, 0xA4, 0x02, 0x00, 0x02, 0xEF, 0x06 };
  /* Only what the identity needs: every APDU costs time at the kiosk. */
  static const guint8 ef05_tags[] = {
    LINLI_SSCARD_TAG_ISSUER,
    LINLI_SSCARD_TAG_ISSUE_DATE,
    LINLI_SSCARD_TAG_EXPIRY_DATE,
  };
  static const guint8 ef06_tags[] = {
    LINLI_SSCARD_TAG_SSN,    LINLI_SSCARD_TAG_NAME,       LINLI_SSCARD_TAG_GENDER,
    LINLI_SSCARD_TAG_NATION, LINLI_SSCARD_TAG_BIRTH_DATE,
  };
  g_autoptr (LinliSscardRecords) records = linli_sscard_records_new ();
  Channel channel = { transmit, user_data, cancellable };

  g_return_val_if_fail (transmit != NULL, NULL);

  if (!select_file (&channel, select_application, sizeof select_application,
                    "the social-security application", LINLI_SSCARD_ERROR_NOT_SSCARD, error))
    return NULL;

  if (!select_file (&channel, select_ef05, sizeof select_ef05, "EF05",
                    LINLI_SSCARD_ERROR_MISSING_RECORD, error))
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (ef05_tags); i++)
    if (!read_record (&channel, records, ef05_tags[i], error))
      return NULL;

  if (!select_file (&channel, select_ef06, sizeof select_ef06, "EF06",
                    LINLI_SSCARD_ERROR_MISSING_RECORD, error))
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (ef06_tags); i++)
    if (!read_record (&channel, records, ef06_tags[i], error))
      return NULL;

  return linli_sscard_parse_identity (records, source, error);
}
