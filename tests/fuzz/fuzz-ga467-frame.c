/* fuzz-ga467-frame.c: the GA/T 467 response parser and the read-base-message
 * decoder on arbitrary bytes. The input is fed to the incremental parser in
 * pieces of pseudo-random sizes (derived from the input, so a crash replays),
 * as a transport would deliver it; every complete frame goes through the
 * status mapping, the base-message and SAM ID decoders. The raw input is
 * also given to the base-message decoder directly. Nothing may crash, leak
 * or read outside its buffer. */
#include <glib.h>
#include <stdint.h>
#include <string.h>

#include "linli-ga467-frame.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
decode_base (const guint8 *data, gsize length)
{
  for (int fingerprint = 0; fingerprint < 2; fingerprint++)
    {
      g_autoptr (GError) error = NULL;
      const guint8 *text = NULL, *photo = NULL, *print = NULL;
      gsize text_length = 0, photo_length = 0, print_length = 0;

      if (linli_ga467_parse_base_message (data, length, fingerprint, &text, &text_length, &photo,
                                          &photo_length, &print, &print_length, &error))
        {
          /* Everything handed out lies inside the input. */
          g_assert (text >= data && text + text_length <= data + length);
          g_assert (photo == NULL || (photo >= data && photo + photo_length <= data + length));
          g_assert (print == NULL || (print >= data && print + print_length <= data + length));
          g_assert (text_length > 0);
        }
      else
        g_assert (error != NULL && error->message != NULL);
    }
}

static void
check_frame (const LinliGa467Response *response)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *sam_id = NULL;

  if (!linli_ga467_response_check (response, &error))
    g_assert (error != NULL && g_utf8_validate (error->message, -1, NULL));
  g_assert (linli_ga467_status_describe (response->sw3) != NULL);
  g_assert (response->length <= LINLI_GA467_MAX_LENGTH);
  decode_base (response->data, response->length);
  sam_id = linli_ga467_format_sam_id (response->data, response->length, NULL);
  g_assert ((sam_id != NULL) == (response->length == 16));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (LinliGa467Parser) parser = linli_ga467_parser_new ();
  guint32 state = 2166136261u;
  gsize offset = 0;

  for (gsize i = 0; i < MIN (size, 64); i++)
    state = (state ^ data[i]) * 16777619u;
  state ^= (guint32) size;

  while (offset < size)
    {
      gsize piece;

      state ^= state << 13;
      state ^= state >> 17;
      state ^= state << 5;
      /* Mostly small pieces (serial reads, USB packets), sometimes all. */
      piece = (state & 7) == 0 ? size - offset : 1 + state % 97;
      piece = MIN (piece, size - offset);

      while (piece > 0)
        {
          LinliGa467Response *response = NULL;
          g_autoptr (GError) error = NULL;
          gsize consumed = 0;
          LinliGa467ParseResult result = linli_ga467_parser_feed (parser, data + offset, piece,
                                                                  &consumed, &response, &error);

          g_assert (consumed <= piece);
          g_assert (consumed > 0 || piece == 0);
          switch (result)
            {
            case LINLI_GA467_PARSE_FRAME:
              g_assert (response != NULL && error == NULL);
              check_frame (response);
              linli_ga467_response_free (response);
              break;
            case LINLI_GA467_PARSE_ERROR:
              g_assert (response == NULL && error != NULL);
              break;
            case LINLI_GA467_PARSE_NEED_MORE:
              g_assert (response == NULL && error == NULL && consumed == piece);
              break;
            }
          offset += consumed;
          piece -= consumed;
        }
    }
  (void) linli_ga467_parser_in_frame (parser, NULL, NULL);

  decode_base (data, size);
  return 0;
}
