/* test-ga467-frame.c: the GA/T 467 frame codec, against the byte examples of
 * PROTOCOLS.md §1 and against what a transport can do to a response
 * (split it anywhere, put noise before it, corrupt it). */
#include <string.h>

#include "linli-ga467-frame.h"

static const guint8 read_failed[]
    = { 0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x04, 0x00, 0x00, 0x41, 0x45 };

static void
assert_bytes (GBytes *bytes, const guint8 *expected, gsize length)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  g_assert_cmpmem (data, size, expected, length);
}

/* The whole frames after the preamble, from the command table. */
static void
test_commands (void)
{
  const struct
  {
    LinliGa467Command command;
    guint8 tail[5];
  } cases[] = {
    { LINLI_GA467_CMD_RESET_SAM, { 0x00, 0x03, 0x10, 0xFF, 0xEC } },
    { LINLI_GA467_CMD_SAM_STATUS, { 0x00, 0x03, 0x11, 0xFF, 0xED } },
    { LINLI_GA467_CMD_READ_SAM_ID, { 0x00, 0x03, 0x12, 0xFF, 0xEE } },
    { LINLI_GA467_CMD_FIND_CARD, { 0x00, 0x03, 0x20, 0x01, 0x22 } },
    { LINLI_GA467_CMD_SELECT_CARD, { 0x00, 0x03, 0x20, 0x02, 0x21 } },
    { LINLI_GA467_CMD_READ_BASE, { 0x00, 0x03, 0x30, 0x01, 0x32 } },
    { LINLI_GA467_CMD_READ_BASE_FINGERPRINT, { 0x00, 0x03, 0x30, 0x10, 0x23 } },
    { LINLI_GA467_CMD_READ_ADDRESS, { 0x00, 0x03, 0x30, 0x03, 0x30 } },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GBytes) frame = linli_ga467_frame_build_command (cases[i].command, NULL, 0);
      guint8 expected[10] = { 0xAA, 0xAA, 0xAA, 0x96, 0x69 };

      memcpy (expected + 5, cases[i].tail, 5);
      assert_bytes (frame, expected, sizeof expected);
    }
}

static void
test_build_response (void)
{
  g_autoptr (GBytes) frame = linli_ga467_frame_build_response (0, 0, 0x41, NULL, 0);

  assert_bytes (frame, read_failed, sizeof read_failed);
}

static LinliGa467ParseResult
feed_all (LinliGa467Parser *parser,
          const guint8 *data,
          gsize length,
          gsize *used,
          LinliGa467Response **response,
          GError **error)
{
  gsize consumed = 0;
  LinliGa467ParseResult result
      = linli_ga467_parser_feed (parser, data, length, &consumed, response, error);

  if (used != NULL)
    *used = consumed;
  return result;
}

static void
test_parse_example (void)
{
  g_autoptr (LinliGa467Parser) parser = linli_ga467_parser_new ();
  g_autoptr (LinliGa467Response) response = NULL;
  g_autoptr (GError) error = NULL;
  gsize used = 0;

  g_assert_cmpint (feed_all (parser, read_failed, sizeof read_failed, &used, &response, NULL), ==,
                   LINLI_GA467_PARSE_FRAME);
  g_assert_cmpuint (used, ==, sizeof read_failed);
  g_assert_cmpuint (response->sw1, ==, 0);
  g_assert_cmpuint (response->sw2, ==, 0);
  g_assert_cmpuint (response->sw3, ==, 0x41);
  g_assert_cmpuint (response->length, ==, 0);
  g_assert_false (linli_ga467_response_check (response, &error));
  g_assert_error (error, LINLI_GA467_ERROR, LINLI_GA467_ERROR_READ_FAILED);
  g_assert_false (linli_ga467_parser_in_frame (parser, NULL, NULL));
}

static GBytes *
make_base_message (gboolean with_fingerprint)
{
  g_autoptr (GByteArray) data = g_byte_array_new ();
  guint8 lengths[6] = { 0x01, 0x00, 0x04, 0x00, 0x04, 0x00 };

  g_byte_array_append (data, lengths, with_fingerprint ? 6 : 4);
  for (guint i = 0; i < 256; i++)
    g_byte_array_append (data, (const guint8[]){ i % 2 == 0 ? 0x20 : 0x00 }, 1);
  for (guint i = 0; i < 1024; i++)
    g_byte_array_append (data, (const guint8[]){ (guint8) (i * 7) }, 1);
  if (with_fingerprint)
    for (guint i = 0; i < 1024; i++)
      g_byte_array_append (data, (const guint8[]){ (guint8) (i * 3) }, 1);
  return linli_ga467_frame_build_response (0, 0, 0x90, data->data, data->len);
}

/* PROTOCOLS.md: 1295 bytes, length 0x0508, text at 14, photo at 270. */
static void
test_base_message (void)
{
  g_autoptr (GBytes) frame = make_base_message (FALSE);
  g_autoptr (LinliGa467Parser) parser = linli_ga467_parser_new ();
  g_autoptr (LinliGa467Response) response = NULL;
  gsize size;
  const guint8 *bytes = g_bytes_get_data (frame, &size);
  const guint8 *text, *photo, *fingerprint;
  gsize text_length, photo_length, fingerprint_length;
  g_autoptr (GError) error = NULL;

  g_assert_cmpuint (size, ==, 1295);
  g_assert_cmpuint (bytes[5], ==, 0x05);
  g_assert_cmpuint (bytes[6], ==, 0x08);

  g_assert_cmpint (feed_all (parser, bytes, size, NULL, &response, NULL), ==,
                   LINLI_GA467_PARSE_FRAME);
  g_assert_true (linli_ga467_response_check (response, NULL));
  g_assert_true (linli_ga467_parse_base_message (response->data, response->length, FALSE, &text,
                                                 &text_length, &photo, &photo_length, &fingerprint,
                                                 &fingerprint_length, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (text_length, ==, 256);
  g_assert_cmpuint (photo_length, ==, 1024);
  g_assert_null (fingerprint);
  g_assert_true (text == response->data + 4);
  g_assert_true (photo == response->data + 260);
  g_assert_cmpuint (photo[1], ==, 7);

  /* The same data as 30 10 would be one length field short. */
  g_assert_false (linli_ga467_parse_base_message (response->data, response->length, TRUE, NULL,
                                                  NULL, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, LINLI_GA467_ERROR, LINLI_GA467_ERROR_MALFORMED);
}

static void
test_base_message_fingerprint (void)
{
  g_autoptr (GBytes) frame = make_base_message (TRUE);
  g_autoptr (LinliGa467Parser) parser = linli_ga467_parser_new ();
  g_autoptr (LinliGa467Response) response = NULL;
  gsize size;
  const guint8 *bytes = g_bytes_get_data (frame, &size);
  const guint8 *text, *photo, *fingerprint;
  gsize text_length, photo_length, fingerprint_length;

  /* The longest legitimate answer fits under the cap. */
  g_assert_cmpuint (size - LINLI_GA467_HEADER_LENGTH, <=, LINLI_GA467_MAX_LENGTH);
  g_assert_cmpint (feed_all (parser, bytes, size, NULL, &response, NULL), ==,
                   LINLI_GA467_PARSE_FRAME);
  g_assert_true (linli_ga467_parse_base_message (response->data, response->length, TRUE, &text,
                                                 &text_length, &photo, &photo_length, &fingerprint,
                                                 &fingerprint_length, NULL));
  g_assert_true (text == response->data + 6);
  g_assert_cmpuint (text_length, ==, 256);
  g_assert_cmpuint (photo_length, ==, 1024);
  g_assert_cmpuint (fingerprint_length, ==, 1024);
  g_assert_cmpuint (fingerprint[1], ==, 3);
}

static void
test_base_message_malformed (void)
{
  const guint8 too_short[] = { 0x01 };
  const guint8 no_text[] = { 0x00, 0x00, 0x00, 0x00 };
  const guint8 lying[] = { 0x01, 0x00, 0x04, 0x00, 0x20, 0x00 };
  g_autoptr (GError) error = NULL;

  g_assert_false (linli_ga467_parse_base_message (too_short, sizeof too_short, FALSE, NULL, NULL,
                                                  NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, LINLI_GA467_ERROR, LINLI_GA467_ERROR_MALFORMED);
  g_clear_error (&error);
  g_assert_false (linli_ga467_parse_base_message (no_text, sizeof no_text, FALSE, NULL, NULL, NULL,
                                                  NULL, NULL, NULL, &error));
  g_assert_error (error, LINLI_GA467_ERROR, LINLI_GA467_ERROR_MALFORMED);
  g_clear_error (&error);
  g_assert_false (linli_ga467_parse_base_message (lying, sizeof lying, FALSE, NULL, NULL, NULL,
                                                  NULL, NULL, NULL, &error));
  g_assert_error (error, LINLI_GA467_ERROR, LINLI_GA467_ERROR_MALFORMED);
}

/* Every split of a frame into two reads, and byte by byte. */
static void
test_split_feeds (void)
{
  g_autoptr (GBytes) frame = make_base_message (FALSE);
  gsize size;
  const guint8 *bytes = g_bytes_get_data (frame, &size);

  for (gsize cut = 0; cut <= size; cut += (cut < 20 || cut > size - 20) ? 1 : 97)
    {
      g_autoptr (LinliGa467Parser) parser = linli_ga467_parser_new ();
      g_autoptr (LinliGa467Response) response = NULL;
      gsize used = 0;

      g_assert_cmpint (feed_all (parser, bytes, cut, &used, &response, NULL), ==,
                       cut == size ? LINLI_GA467_PARSE_FRAME : LINLI_GA467_PARSE_NEED_MORE);
      g_assert_cmpuint (used, ==, cut);
      if (cut < size)
        g_assert_cmpint (feed_all (parser, bytes + cut, size - cut, &used, &response, NULL), ==,
                         LINLI_GA467_PARSE_FRAME);
      g_assert_cmpuint (response->length, ==, 1284);
    }

  {
    g_autoptr (LinliGa467Parser) parser = linli_ga467_parser_new ();
    g_autoptr (LinliGa467Response) response = NULL;
    gsize received = 0, expected = 0;

    for (gsize i = 0; i + 1 < size; i++)
      g_assert_cmpint (feed_all (parser, bytes + i, 1, NULL, &response, NULL), ==,
                       LINLI_GA467_PARSE_NEED_MORE);
    g_assert_true (linli_ga467_parser_in_frame (parser, &received, &expected));
    g_assert_cmpuint (received, ==, 1287);
    g_assert_cmpuint (expected, ==, 1288);
    g_assert_cmpint (feed_all (parser, bytes + size - 1, 1, NULL, &response, NULL), ==,
                     LINLI_GA467_PARSE_FRAME);
  }
}

/* Noise before the preamble, including partial preambles that overlap
 * the real one, and two frames in one read. */
static void
test_garbage (void)
{
  const guint8 noise[] = { 0x00, 0xAA, 0x13, 0xAA, 0xAA, 0x96, 0x55, 0xAA, 0xAA,
                           0xAA, 0x96, 0x00, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA };
  g_autoptr (GByteArray) stream = g_byte_array_new ();
  g_autoptr (LinliGa467Parser) parser = linli_ga467_parser_new ();
  g_autoptr (LinliGa467Response) first = NULL;
  g_autoptr (LinliGa467Response) second = NULL;
  g_autoptr (GBytes) found = NULL;
  gsize used = 0;
  gsize used2 = 0;

  /* The noise ends in AAs: the frame's preamble overlaps them. */
  g_byte_array_append (stream, noise, sizeof noise);
  g_byte_array_append (stream, read_failed, sizeof read_failed);
  found = linli_ga467_frame_build_response (0, 0, 0x9F, (const guint8[]){ 1, 2, 3, 4 }, 4);
  g_byte_array_append (stream, g_bytes_get_data (found, NULL), g_bytes_get_size (found));

  g_assert_cmpint (feed_all (parser, stream->data, stream->len, &used, &first, NULL), ==,
                   LINLI_GA467_PARSE_FRAME);
  g_assert_cmpuint (first->sw3, ==, 0x41);
  g_assert_cmpuint (used, ==, sizeof noise + sizeof read_failed);
  g_assert_cmpint (
      feed_all (parser, stream->data + used, stream->len - used, &used2, &second, NULL), ==,
      LINLI_GA467_PARSE_FRAME);
  g_assert_cmpuint (second->sw3, ==, 0x9F);
  g_assert_cmpmem (second->data, second->length, ((const guint8[]){ 1, 2, 3, 4 }), 4);
  g_assert_true (linli_ga467_response_check (second, NULL));
}

static void
test_bad_checksum (void)
{
  g_autoptr (GBytes) frame = make_base_message (FALSE);
  gsize size = g_bytes_get_size (frame);
  g_autofree guint8 *bytes = g_memdup2 (g_bytes_get_data (frame, NULL), size);
  g_autoptr (LinliGa467Parser) parser = linli_ga467_parser_new ();
  g_autoptr (LinliGa467Response) response = NULL;
  g_autoptr (GError) error = NULL;
  gsize used = 0;

  bytes[500] ^= 0x01;
  g_assert_cmpint (feed_all (parser, bytes, size, &used, &response, &error), ==,
                   LINLI_GA467_PARSE_ERROR);
  g_assert_error (error, LINLI_GA467_ERROR, LINLI_GA467_ERROR_CHECKSUM);
  g_assert_null (response);
  g_assert_cmpuint (used, ==, size);
  g_test_message ("%s", error->message);

  /* The parser is ready for the next frame. */
  g_assert_cmpint (feed_all (parser, read_failed, sizeof read_failed, NULL, &response, NULL), ==,
                   LINLI_GA467_PARSE_FRAME);
}

static void
test_bad_length (void)
{
  const guint8 absurd[] = { 0xAA, 0xAA, 0xAA, 0x96, 0x69, 0xFF, 0xF0, 0x00, 0x00, 0x90 };
  const guint8 too_short[] = { 0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03, 0x00, 0x90, 0x93 };
  const guint8 just_over[] = { 0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x0A, 0x01 };
  const guint8 *cases[] = { absurd, too_short, just_over };
  const gsize lengths[] = { sizeof absurd, sizeof too_short, sizeof just_over };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (LinliGa467Parser) parser = linli_ga467_parser_new ();
      g_autoptr (LinliGa467Response) response = NULL;
      g_autoptr (GError) error = NULL;
      gsize used = 0;

      g_assert_cmpint (feed_all (parser, cases[i], lengths[i], &used, &response, &error), ==,
                       LINLI_GA467_PARSE_ERROR);
      g_assert_error (error, LINLI_GA467_ERROR, LINLI_GA467_ERROR_LENGTH);
      /* Stops right after the length field. */
      g_assert_cmpuint (used, ==, LINLI_GA467_HEADER_LENGTH);
      g_test_message ("%s", error->message);
    }
}

static void
test_statuses (void)
{
  const struct
  {
    guint8 sw3;
    LinliGa467Error code;
  } cases[] = {
    { 0x80, LINLI_GA467_ERROR_NO_CARD },         { 0x81, LINLI_GA467_ERROR_SELECT_FAILED },
    { 0x91, LINLI_GA467_ERROR_NO_CONTENT },      { 0x40, LINLI_GA467_ERROR_UNKNOWN_CARD },
    { 0x41, LINLI_GA467_ERROR_READ_FAILED },     { 0x10, LINLI_GA467_ERROR_REJECTED_CHECKSUM },
    { 0x11, LINLI_GA467_ERROR_REJECTED_LENGTH }, { 0x21, LINLI_GA467_ERROR_BAD_COMMAND },
    { 0x23, LINLI_GA467_ERROR_UNAUTHORISED },    { 0x24, LINLI_GA467_ERROR_READER_FAILED },
    { 0x31, LINLI_GA467_ERROR_CARD_AUTH },       { 0x32, LINLI_GA467_ERROR_SAM_AUTH },
    { 0x33, LINLI_GA467_ERROR_VERIFY },          { 0x47, LINLI_GA467_ERROR_RANDOM },
    { 0x60, LINLI_GA467_ERROR_SAM_SELF_TEST },   { 0x66, LINLI_GA467_ERROR_SAM_UNAUTHORISED },
    { 0x00, LINLI_GA467_ERROR_UNKNOWN_STATUS },  { 0x42, LINLI_GA467_ERROR_UNKNOWN_STATUS },
    { 0xFF, LINLI_GA467_ERROR_UNKNOWN_STATUS },
  };

  g_assert_true (linli_ga467_status_check (0, 0, 0x90, NULL));
  g_assert_true (linli_ga467_status_check (0, 0, 0x9F, NULL));
  g_assert_cmpstr (linli_ga467_status_describe (0x90), ==, "success");

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *hex = g_strdup_printf ("%02X", cases[i].sw3);

      g_assert_false (linli_ga467_status_check (0, 0, cases[i].sw3, &error));
      g_assert_error (error, LINLI_GA467_ERROR, (gint) cases[i].code);
      /* The raw status is in every message, for the maintainer's log. */
      g_assert_nonnull (strstr (error->message, hex));
      g_assert_cmpstr (linli_ga467_status_describe (cases[i].sw3), !=, "");
      g_test_message ("%02X: %s", cases[i].sw3, error->message);
    }
}

/* PROTOCOLS.md: two uint16 and three uint32, little-endian. */
static void
test_sam_id (void)
{
  const guint8 data[16] = { 0x05, 0x00, 0x01, 0x00, 0x6F, 0xB8, 0x32, 0x01,
                            0x4E, 0x61, 0xBC, 0x00, 0xD2, 0x02, 0x96, 0x49 };
  g_autofree char *text = linli_ga467_format_sam_id (data, sizeof data, NULL);
  g_autoptr (GError) error = NULL;

  g_assert_cmpstr (text, ==, "05.01-20101231-0012345678-1234567890");
  g_assert_null (linli_ga467_format_sam_id (data, 15, &error));
  g_assert_error (error, LINLI_GA467_ERROR, LINLI_GA467_ERROR_MALFORMED);
}

/* build → parse gives back what went in, for every data length up to the
 * cap. */
static void
test_round_trip (void)
{
  g_autoptr (LinliGa467Parser) parser = linli_ga467_parser_new ();
  guint8 data[LINLI_GA467_MAX_LENGTH];

  for (gsize i = 0; i < sizeof data; i++)
    data[i] = (guint8) g_test_rand_int ();

  for (gsize length = 0; length <= LINLI_GA467_MAX_LENGTH - LINLI_GA467_MIN_RESPONSE_LENGTH;
       length += length < 16 ? 1 : 61)
    {
      g_autoptr (GBytes) frame = linli_ga467_frame_build_response (0, 0, 0x90, data, length);
      g_autoptr (LinliGa467Response) response = NULL;
      gsize size;
      const guint8 *bytes = g_bytes_get_data (frame, &size);

      g_assert_cmpint (feed_all (parser, bytes, size, NULL, &response, NULL), ==,
                       LINLI_GA467_PARSE_FRAME);
      g_assert_cmpmem (response->data, response->length, data, length);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ga467-frame/commands", test_commands);
  g_test_add_func ("/ga467-frame/build-response", test_build_response);
  g_test_add_func ("/ga467-frame/parse-example", test_parse_example);
  g_test_add_func ("/ga467-frame/base-message", test_base_message);
  g_test_add_func ("/ga467-frame/base-message-fingerprint", test_base_message_fingerprint);
  g_test_add_func ("/ga467-frame/base-message-malformed", test_base_message_malformed);
  g_test_add_func ("/ga467-frame/split-feeds", test_split_feeds);
  g_test_add_func ("/ga467-frame/garbage", test_garbage);
  g_test_add_func ("/ga467-frame/bad-checksum", test_bad_checksum);
  g_test_add_func ("/ga467-frame/bad-length", test_bad_length);
  g_test_add_func ("/ga467-frame/statuses", test_statuses);
  g_test_add_func ("/ga467-frame/sam-id", test_sam_id);
  g_test_add_func ("/ga467-frame/round-trip", test_round_trip);

  return g_test_run ();
}
