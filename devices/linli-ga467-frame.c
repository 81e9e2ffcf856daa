/* linli-ga467-frame.c: GA/T 467 frames, statuses and the base message.
 *
 * The parser is a byte-at-a-time state machine (preamble → length → body)
 * so that it neither cares how a transport splits its reads nor needs to
 * buffer garbage: it keeps only the frame in progress, capped at
 * LINLI_GA467_MAX_LENGTH.
 */
#define G_LOG_DOMAIN "linli-ga467-frame"

#include "linli-ga467-frame.h"

#include <string.h>

G_DEFINE_QUARK (linli_ga467_error_quark, linli_ga467_error)

static const guint8 preamble[LINLI_GA467_PREAMBLE_LENGTH] = { 0xAA, 0xAA, 0xAA, 0x96, 0x69 };

GBytes *
linli_ga467_frame_build (const guint8 *body, gsize length)
{
  gsize declared = length + 1; /* the checksum counts */
  guint8 *frame;
  guint8 check = 0;
  gsize total = LINLI_GA467_HEADER_LENGTH + declared;

  g_return_val_if_fail (body != NULL || length == 0, NULL);
  g_return_val_if_fail (declared <= 0xFFFF, NULL);

  frame = g_malloc (total);
  memcpy (frame, preamble, sizeof preamble);
  frame[5] = (guint8) (declared >> 8);
  frame[6] = (guint8) (declared & 0xFF);
  if (length > 0)
    memcpy (frame + LINLI_GA467_HEADER_LENGTH, body, length);
  for (gsize i = LINLI_GA467_PREAMBLE_LENGTH; i < total - 1; i++)
    check ^= frame[i];
  frame[total - 1] = check;
  return g_bytes_new_take (frame, total);
}

GBytes *
linli_ga467_frame_build_command (LinliGa467Command command, const guint8 *data, gsize length)
{
  g_autofree guint8 *body = g_malloc (2 + length);

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  body[0] = (guint8) (command >> 8);
  body[1] = (guint8) (command & 0xFF);
  if (length > 0)
    memcpy (body + 2, data, length);
  return linli_ga467_frame_build (body, 2 + length);
}

GBytes *
linli_ga467_frame_build_response (
    guint8 sw1, guint8 sw2, guint8 sw3, const guint8 *data, gsize length)
{
  guint8 *body = g_malloc (3 + length);
  GBytes *frame;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  body[0] = sw1;
  body[1] = sw2;
  body[2] = sw3;
  if (length > 0)
    memcpy (body + 3, data, length);
  frame = linli_ga467_frame_build (body, 3 + length);
  /* Responses in tests and the simulator carry (fictitious) personal data;
   * treat them like the real thing. */
  explicit_bzero (body, 3 + length);
  g_free (body);
  return frame;
}

void
linli_ga467_response_free (LinliGa467Response *response)
{
  if (response == NULL)
    return;
  if (response->data != NULL)
    {
      explicit_bzero (response->data, response->length);
      g_free (response->data);
    }
  g_free (response);
}

typedef struct
{
  guint8 sw3;
  LinliGa467Error code;
  const char *message;
} StatusInfo;

/* Messages for maintainers: what the reader said, and what usually causes
 * it. Never anything about the card's holder. */
static const StatusInfo statuses[] = {
  { LINLI_GA467_SW_NO_CARD, LINLI_GA467_ERROR_NO_CARD, "no card on the reader (find card failed)" },
  { LINLI_GA467_SW_SELECT_FAILED, LINLI_GA467_ERROR_SELECT_FAILED,
    "the card could not be selected (moved or lifted?)" },
  { LINLI_GA467_SW_NO_CONTENT, LINLI_GA467_ERROR_NO_CONTENT, "the card has no such item" },
  { LINLI_GA467_SW_UNKNOWN_CARD, LINLI_GA467_ERROR_UNKNOWN_CARD,
    "the reader does not know this type of card" },
  { LINLI_GA467_SW_READ_FAILED, LINLI_GA467_ERROR_READ_FAILED,
    "reading the card failed (moved or lifted during the read?)" },
  { LINLI_GA467_SW_CHECKSUM, LINLI_GA467_ERROR_REJECTED_CHECKSUM,
    "the reader received a command with a bad checksum (line noise, or wrong baud rate?)" },
  { LINLI_GA467_SW_LENGTH, LINLI_GA467_ERROR_REJECTED_LENGTH,
    "the reader received a command with a bad length (line noise, or wrong baud rate?)" },
  { LINLI_GA467_SW_BAD_COMMAND, LINLI_GA467_ERROR_BAD_COMMAND,
    "the reader does not support this command" },
  { LINLI_GA467_SW_UNAUTHORISED, LINLI_GA467_ERROR_UNAUTHORISED,
    "the reader refused an unauthorised operation" },
  { LINLI_GA467_SW_UNKNOWN_ERROR, LINLI_GA467_ERROR_READER_FAILED,
    "the reader reported an unknown error" },
  { LINLI_GA467_SW_CARD_AUTH, LINLI_GA467_ERROR_CARD_AUTH,
    "card-to-SAM authentication failed (not a genuine card, or a damaged one?)" },
  { LINLI_GA467_SW_SAM_AUTH, LINLI_GA467_ERROR_SAM_AUTH,
    "SAM-to-card authentication failed (not a genuine card, or a damaged one?)" },
  { LINLI_GA467_SW_VERIFY, LINLI_GA467_ERROR_VERIFY,
    "the card's information failed verification by the SAM" },
  { LINLI_GA467_SW_RANDOM, LINLI_GA467_ERROR_RANDOM,
    "the card did not deliver a random number (moved or lifted?)" },
  { LINLI_GA467_SW_SAM_SELF_TEST, LINLI_GA467_ERROR_SAM_SELF_TEST,
    "the reader's SAM module failed its self-test (the reader needs service)" },
  { LINLI_GA467_SW_SAM_UNAUTHORISED, LINLI_GA467_ERROR_SAM_UNAUTHORISED,
    "the reader's SAM module is not authorised (the reader needs service)" },
};

static const StatusInfo *
find_status (guint8 sw3)
{
  for (gsize i = 0; i < G_N_ELEMENTS (statuses); i++)
    if (statuses[i].sw3 == sw3)
      return &statuses[i];
  return NULL;
}

const char *
linli_ga467_status_describe (guint8 sw3)
{
  const StatusInfo *info;

  if (sw3 == LINLI_GA467_SW_SUCCESS)
    return "success";
  if (sw3 == LINLI_GA467_SW_CARD_FOUND)
    return "card found";
  info = find_status (sw3);
  return info != NULL ? info->message : "a status the standard does not define";
}

gboolean
linli_ga467_status_check (guint8 sw1, guint8 sw2, guint8 sw3, GError **error)
{
  const StatusInfo *info;

  /* Only SW3 carries the meaning; SW1 and SW2 are 00 in every answer the
   * sources show, successes and failures alike [2]. */
  if (sw3 == LINLI_GA467_SW_SUCCESS || sw3 == LINLI_GA467_SW_CARD_FOUND)
    return TRUE;

  info = find_status (sw3);
  if (info != NULL)
    g_set_error (error, LINLI_GA467_ERROR, info->code, "%s (status %02X %02X %02X)", info->message,
                 sw1, sw2, sw3);
  else
    g_set_error (error, LINLI_GA467_ERROR, LINLI_GA467_ERROR_UNKNOWN_STATUS,
                 "the reader answered with a status the standard does not define "
                 "(%02X %02X %02X)",
                 sw1, sw2, sw3);
  return FALSE;
}

gboolean
linli_ga467_response_check (const LinliGa467Response *response, GError **error)
{
  g_return_val_if_fail (response != NULL, FALSE);
  return linli_ga467_status_check (response->sw1, response->sw2, response->sw3, error);
}

typedef enum
{
  STATE_PREAMBLE,
  STATE_LENGTH,
  STATE_BODY,
} ParserState;

struct _LinliGa467Parser
{
  ParserState state;
  gsize matched; /* preamble bytes matched, or length bytes read */
  guint8 length_bytes[2];
  gsize expected; /* bytes after the length field, CHK included */
  gsize received;
  guint8 body[LINLI_GA467_MAX_LENGTH];
};

LinliGa467Parser *
linli_ga467_parser_new (void)
{
  return g_new0 (LinliGa467Parser, 1);
}

void
linli_ga467_parser_reset (LinliGa467Parser *self)
{
  g_return_if_fail (self != NULL);

  /* The body buffer may hold a text block: wipe what was used. */
  explicit_bzero (self->body, self->received);
  self->state = STATE_PREAMBLE;
  self->matched = 0;
  self->expected = 0;
  self->received = 0;
}

void
linli_ga467_parser_free (LinliGa467Parser *self)
{
  if (self == NULL)
    return;
  linli_ga467_parser_reset (self);
  g_free (self);
}

gboolean
linli_ga467_parser_in_frame (LinliGa467Parser *self, gsize *received, gsize *expected)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (received != NULL)
    *received = self->state == STATE_BODY ? self->received : 0;
  if (expected != NULL)
    *expected = self->state == STATE_BODY ? self->expected : 0;
  return self->state != STATE_PREAMBLE || self->matched > 0;
}

/* After a mismatch while matching AA AA AA 96 69: how much of the preamble
 * the bytes seen so far plus @byte still match. Only runs of AA can
 * overlap with a new start. */
static gsize
preamble_fallback (gsize matched, guint8 byte)
{
  if (byte != 0xAA)
    return 0;
  /* AA AA AA + AA: still three AAs. AA AA AA 96 + AA: one. */
  return matched == 3 ? 3 : 1;
}

LinliGa467ParseResult
linli_ga467_parser_feed (LinliGa467Parser *self,
                         const guint8 *data,
                         gsize length,
                         gsize *consumed,
                         LinliGa467Response **response,
                         GError **error)
{
  gsize i = 0;

  g_return_val_if_fail (self != NULL, LINLI_GA467_PARSE_ERROR);
  g_return_val_if_fail (data != NULL || length == 0, LINLI_GA467_PARSE_ERROR);
  g_return_val_if_fail (response != NULL && *response == NULL, LINLI_GA467_PARSE_ERROR);

  while (i < length)
    {
      switch (self->state)
        {
        case STATE_PREAMBLE:
          {
            guint8 byte = data[i++];

            if (byte == preamble[self->matched])
              self->matched++;
            else
              self->matched = preamble_fallback (self->matched, byte);
            if (self->matched == LINLI_GA467_PREAMBLE_LENGTH)
              {
                self->state = STATE_LENGTH;
                self->matched = 0;
              }
          }
          break;

        case STATE_LENGTH:
          self->length_bytes[self->matched++] = data[i++];
          if (self->matched == 2)
            {
              gsize declared = (gsize) self->length_bytes[0] << 8 | self->length_bytes[1];

              if (declared < LINLI_GA467_MIN_RESPONSE_LENGTH || declared > LINLI_GA467_MAX_LENGTH)
                {
                  linli_ga467_parser_reset (self);
                  if (consumed != NULL)
                    *consumed = i;
                  g_set_error (error, LINLI_GA467_ERROR, LINLI_GA467_ERROR_LENGTH,
                               "the reader's answer declares a length of %zu bytes, outside "
                               "%d..%d (line noise, or not a GA/T 467 reader?)",
                               declared, LINLI_GA467_MIN_RESPONSE_LENGTH, LINLI_GA467_MAX_LENGTH);
                  return LINLI_GA467_PARSE_ERROR;
                }
              self->expected = declared;
              self->received = 0;
              self->state = STATE_BODY;
            }
          break;

        case STATE_BODY:
          {
            gsize take = MIN (length - i, self->expected - self->received);
            guint8 check;
            LinliGa467Response *parsed;

            memcpy (self->body + self->received, data + i, take);
            self->received += take;
            i += take;
            if (self->received < self->expected)
              break;

            if (consumed != NULL)
              *consumed = i;
            check = self->length_bytes[0] ^ self->length_bytes[1];
            for (gsize k = 0; k < self->expected; k++)
              check ^= self->body[k];
            if (check != 0)
              {
                linli_ga467_parser_reset (self);
                g_set_error_literal (error, LINLI_GA467_ERROR, LINLI_GA467_ERROR_CHECKSUM,
                                     "the reader's answer has a bad checksum (line noise, or a "
                                     "card lifted during the read?)");
                return LINLI_GA467_PARSE_ERROR;
              }

            parsed = g_new0 (LinliGa467Response, 1);
            parsed->sw1 = self->body[0];
            parsed->sw2 = self->body[1];
            parsed->sw3 = self->body[2];
            parsed->length = self->expected - LINLI_GA467_MIN_RESPONSE_LENGTH;
            parsed->data = g_memdup2 (self->body + 3, parsed->length);
            linli_ga467_parser_reset (self);
            *response = parsed;
            return LINLI_GA467_PARSE_FRAME;
          }
        }
    }

  if (consumed != NULL)
    *consumed = length;
  return LINLI_GA467_PARSE_NEED_MORE;
}

static guint
read_be16 (const guint8 *p)
{
  return (guint) p[0] << 8 | p[1];
}

gboolean
linli_ga467_parse_base_message (const guint8 *data,
                                gsize length,
                                gboolean with_fingerprint,
                                const guint8 **text,
                                gsize *text_length,
                                const guint8 **photo,
                                gsize *photo_length,
                                const guint8 **fingerprint,
                                gsize *fingerprint_length,
                                GError **error)
{
  gsize header = with_fingerprint ? 6 : 4;
  gsize n_text, n_photo, n_fingerprint = 0;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  if (length < header)
    {
      g_set_error (error, LINLI_GA467_ERROR, LINLI_GA467_ERROR_MALFORMED,
                   "the card's base message is %zu bytes, too short for its length fields", length);
      return FALSE;
    }
  n_text = read_be16 (data);
  n_photo = read_be16 (data + 2);
  if (with_fingerprint)
    n_fingerprint = read_be16 (data + 4);

  /* Exactly what the lengths announce: a reader that pads or cuts is not
   * one whose text we can trust to be where we look for it. */
  if (header + n_text + n_photo + n_fingerprint != length)
    {
      g_set_error (error, LINLI_GA467_ERROR, LINLI_GA467_ERROR_MALFORMED,
                   "the card's base message announces %zu + %zu + %zu bytes of text, photo and "
                   "fingerprint but carries %zu",
                   n_text, n_photo, n_fingerprint, length - header);
      return FALSE;
    }
  if (n_text == 0)
    {
      g_set_error_literal (error, LINLI_GA467_ERROR, LINLI_GA467_ERROR_MALFORMED,
                           "the card's base message has no text");
      return FALSE;
    }

  if (text != NULL)
    *text = data + header;
  if (text_length != NULL)
    *text_length = n_text;
  if (photo != NULL)
    *photo = n_photo > 0 ? data + header + n_text : NULL;
  if (photo_length != NULL)
    *photo_length = n_photo;
  if (fingerprint != NULL)
    *fingerprint = n_fingerprint > 0 ? data + header + n_text + n_photo : NULL;
  if (fingerprint_length != NULL)
    *fingerprint_length = n_fingerprint;
  return TRUE;
}

char *
linli_ga467_format_sam_id (const guint8 *data, gsize length, GError **error)
{
  guint part[5];

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (length != 16)
    {
      g_set_error (error, LINLI_GA467_ERROR, LINLI_GA467_ERROR_MALFORMED,
                   "the reader's SAM ID is %zu bytes, not 16", length);
      return NULL;
    }
  part[0] = (guint) data[0] | (guint) data[1] << 8;
  part[1] = (guint) data[2] | (guint) data[3] << 8;
  for (int k = 0; k < 3; k++)
    {
      const guint8 *p = data + 4 + 4 * k;

      part[2 + k]
          = (guint32) p[0] | (guint32) p[1] << 8 | (guint32) p[2] << 16 | (guint32) p[3] << 24;
    }
  return g_strdup_printf ("%02u.%02u-%08u-%010u-%010u", part[0], part[1], part[2], part[3],
                          part[4]);
}
