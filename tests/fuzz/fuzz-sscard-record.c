/* fuzz-sscard-record.c: arbitrary bytes into the social-security card's
 * record parsers. The input is a run of records as the card returns them
 * (tag, length, value, back to back); whatever parses is then decoded into
 * an identity. The first record alone also goes through the one-record
 * parser with its own tag expected. Nothing may crash, leak or read out of
 * bounds (ASan, valgrind), and a malformed input must give an error. */
#include <stdint.h>

#include "linli-sscard.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (LinliSscardRecords) records = linli_sscard_records_new ();
  g_autoptr (LinliSscardRecords) single = linli_sscard_records_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) single_error = NULL;
  g_autoptr (LinliIdentity) identity = NULL;

  if (linli_sscard_parse_records (records, data, size, &error))
    {
      identity = linli_sscard_parse_identity (records, "fuzz", &error);
      g_assert (identity != NULL || error != NULL);
    }
  else
    g_assert (error != NULL);

  if (!linli_sscard_parse_record (single, size > 0 ? data[0] : 0x01, data, size, &single_error))
    g_assert (single_error != NULL);

  {
    g_autoptr (GError) date_error = NULL;
    g_autofree char *date = linli_sscard_parse_bcd_date (data, size, &date_error);
    g_autofree char *text = NULL;
    g_autoptr (GError) text_error = NULL;

    g_assert (date != NULL || date_error != NULL);
    if (size <= 64)
      {
        text = linli_sscard_parse_gbk (data, size, &text_error);
        g_assert (text != NULL || text_error != NULL);
        g_assert (text == NULL || g_utf8_validate (text, -1, NULL));
      }
  }
  return 0;
}
