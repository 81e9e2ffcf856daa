/* linli-ga467-frame.h: the GA/T 467 frame codec (PROTOCOLS.md §1).
 *
 * Pure byte work, no I/O: command frames are built here, response bytes
 * from any transport are fed to an incremental parser, status bytes become
 * GErrors, and the read-base-message answer is cut into its text and photo.
 * Everything that comes from a reader is treated as hostile input. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define LINLI_GA467_PREAMBLE_LENGTH 5
/* Preamble + length field. */
#define LINLI_GA467_HEADER_LENGTH 7
/* The longest legitimate response: read base message + fingerprint is
 * 3 status + 6 lengths + 256 text + 1024 photo + 1024 fingerprint + 1 CHK =
 * 2314. Anything much longer is line noise or a broken reader. */
#define LINLI_GA467_MAX_LENGTH 2560
/* Three status bytes and the checksum. */
#define LINLI_GA467_MIN_RESPONSE_LENGTH 4

/* Commands: CMD << 8 | PARA. */
typedef enum
{
  LINLI_GA467_CMD_RESET_SAM = 0x10FF,
  LINLI_GA467_CMD_SAM_STATUS = 0x11FF,
  LINLI_GA467_CMD_READ_SAM_ID = 0x12FF,
  LINLI_GA467_CMD_FIND_CARD = 0x2001,
  LINLI_GA467_CMD_SELECT_CARD = 0x2002,
  LINLI_GA467_CMD_READ_BASE = 0x3001,
  LINLI_GA467_CMD_READ_BASE_FINGERPRINT = 0x3010,
  LINLI_GA467_CMD_READ_ADDRESS = 0x3003,
} LinliGa467Command;

/* SW3 values (SW1 = SW2 = 00 on success). */
typedef enum
{
  LINLI_GA467_SW_SUCCESS = 0x90,
  LINLI_GA467_SW_CARD_FOUND = 0x9F,
  LINLI_GA467_SW_NO_CONTENT = 0x91,
  LINLI_GA467_SW_CHECKSUM = 0x10,
  LINLI_GA467_SW_LENGTH = 0x11,
  LINLI_GA467_SW_BAD_COMMAND = 0x21,
  LINLI_GA467_SW_UNAUTHORISED = 0x23,
  LINLI_GA467_SW_UNKNOWN_ERROR = 0x24,
  LINLI_GA467_SW_CARD_AUTH = 0x31,
  LINLI_GA467_SW_SAM_AUTH = 0x32,
  LINLI_GA467_SW_VERIFY = 0x33,
  LINLI_GA467_SW_UNKNOWN_CARD = 0x40,
  LINLI_GA467_SW_READ_FAILED = 0x41,
  LINLI_GA467_SW_RANDOM = 0x47,
  LINLI_GA467_SW_SAM_SELF_TEST = 0x60,
  LINLI_GA467_SW_SAM_UNAUTHORISED = 0x66,
  LINLI_GA467_SW_NO_CARD = 0x80,
  LINLI_GA467_SW_SELECT_FAILED = 0x81,
} LinliGa467Status;

#define LINLI_GA467_ERROR (linli_ga467_error_quark ())
GQuark linli_ga467_error_quark (void);

typedef enum
{
  /* Statuses a reader reports. */
  LINLI_GA467_ERROR_NO_CARD,           /* 80: find card failed */
  LINLI_GA467_ERROR_SELECT_FAILED,     /* 81 */
  LINLI_GA467_ERROR_NO_CONTENT,        /* 91: the item has no content */
  LINLI_GA467_ERROR_UNKNOWN_CARD,      /* 40 */
  LINLI_GA467_ERROR_READ_FAILED,       /* 41 */
  LINLI_GA467_ERROR_REJECTED_CHECKSUM, /* 10: the reader got a bad checksum from us */
  LINLI_GA467_ERROR_REJECTED_LENGTH,   /* 11: the reader got a bad length from us */
  LINLI_GA467_ERROR_BAD_COMMAND,       /* 21 */
  LINLI_GA467_ERROR_UNAUTHORISED,      /* 23 */
  LINLI_GA467_ERROR_READER_FAILED,     /* 24: unknown error */
  LINLI_GA467_ERROR_CARD_AUTH,         /* 31: card → SAM authentication failed */
  LINLI_GA467_ERROR_SAM_AUTH,          /* 32: SAM → card authentication failed */
  LINLI_GA467_ERROR_VERIFY,            /* 33: information verification error */
  LINLI_GA467_ERROR_RANDOM,            /* 47: get-random failed */
  LINLI_GA467_ERROR_SAM_SELF_TEST,     /* 60 */
  LINLI_GA467_ERROR_SAM_UNAUTHORISED,  /* 66 */
  LINLI_GA467_ERROR_UNKNOWN_STATUS,    /* any SW3 the standard does not define */
  /* What we find wrong in what a reader sent. */
  LINLI_GA467_ERROR_CHECKSUM,  /* a response whose XOR is not 0 */
  LINLI_GA467_ERROR_LENGTH,    /* a length field outside 4..LINLI_GA467_MAX_LENGTH */
  LINLI_GA467_ERROR_TRUNCATED, /* the response stopped before its length */
  LINLI_GA467_ERROR_MALFORMED, /* a good frame whose data does not fit its command */
} LinliGa467Error;

/* Builds "AA AA AA 96 69 | Len | @body | CHK" around @body (CMD PARA DATA
 * for a command, SW1 SW2 SW3 DATA for a response). @length ≤ 0xFFFE. */
GBytes *linli_ga467_frame_build (const guint8 *body, gsize length);
GBytes *linli_ga467_frame_build_command (LinliGa467Command command,
                                         const guint8 *data,
                                         gsize length);
GBytes *linli_ga467_frame_build_response (
    guint8 sw1, guint8 sw2, guint8 sw3, const guint8 *data, gsize length);

/* A parsed response. Its data may be personal (the text block, the photo):
 * it is wiped when freed. */
typedef struct
{
  guint8 sw1;
  guint8 sw2;
  guint8 sw3;
  guint8 *data;
  gsize length;
} LinliGa467Response;

void linli_ga467_response_free (LinliGa467Response *response);

/* TRUE for 90 (success) and 9F (card found); else FALSE and @error in
 * LINLI_GA467_ERROR with a message for maintainers. */
gboolean linli_ga467_response_check (const LinliGa467Response *response, GError **error);
gboolean linli_ga467_status_check (guint8 sw1, guint8 sw2, guint8 sw3, GError **error);
/* A short English description of @sw3 ("no card on the reader"). */
const char *linli_ga467_status_describe (guint8 sw3);

typedef enum
{
  LINLI_GA467_PARSE_NEED_MORE,
  LINLI_GA467_PARSE_FRAME,
  LINLI_GA467_PARSE_ERROR,
} LinliGa467ParseResult;

typedef struct _LinliGa467Parser LinliGa467Parser;

LinliGa467Parser *linli_ga467_parser_new (void);
void linli_ga467_parser_free (LinliGa467Parser *self);
/* Forgets a partial frame (before sending the next command). */
void linli_ga467_parser_reset (LinliGa467Parser *self);

/* Feeds bytes as they arrive. Bytes before a preamble are skipped. Stops
 * after a complete frame (FRAME, *response set) or a broken one (ERROR,
 * @error set; the parser resynchronises on the next preamble); *consumed
 * says how much of @data was used, feed the rest again. NEED_MORE uses all
 * of @data. */
LinliGa467ParseResult linli_ga467_parser_feed (LinliGa467Parser *self,
                                               const guint8 *data,
                                               gsize length,
                                               gsize *consumed,
                                               LinliGa467Response **response,
                                               GError **error);

/* While in a frame: how many bytes after the preamble arrived and how many
 * the length field announced (0 when no length yet). For "the answer
 * stopped after 600 of 1290 bytes". */
gboolean linli_ga467_parser_in_frame (LinliGa467Parser *self, gsize *received, gsize *expected);

/* The read-base-message answer (the data after SW1..SW3): text and photo,
 * and with @with_fingerprint (command 30 10) the fingerprint. Pointers go
 * into @data; nothing is copied. */
gboolean linli_ga467_parse_base_message (const guint8 *data,
                                         gsize length,
                                         gboolean with_fingerprint,
                                         const guint8 **text,
                                         gsize *text_length,
                                         const guint8 **photo,
                                         gsize *photo_length,
                                         const guint8 **fingerprint,
                                         gsize *fingerprint_length,
                                         GError **error);

/* "05.01-20101231-0012345678-1234567890" from the 16 data bytes of read SAM
 * ID (two uint16 and three uint32, little-endian). */
char *linli_ga467_format_sam_id (const guint8 *data, gsize length, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LinliGa467Response, linli_ga467_response_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LinliGa467Parser, linli_ga467_parser_free)

G_END_DECLS
