/* linli-sscard.h: the social-security card profile (社会保障卡, MOHRSS file
 * structure) over ISO 7816 APDUs.
 *
 * Two layers, so that each can be tested alone:
 *   - a pure parser of the records the card returns (tag, length, value),
 *     linli_sscard_parse_*, that fills a LinliSscardRecords and turns it into
 *     a LinliIdentity;
 *   - linli_sscard_read (), which sends the APDUs through a transmit
 *     function (PC/SC in LinliPcscReader, anything in tests) and handles the
 *     ISO 7816 status words 61xx and 6Cxx on the way.
 *
 * Errors never carry personal data: only tags, lengths and status words. */
#pragma once

#include <gio/gio.h>

#include "linli-identity.h"

G_BEGIN_DECLS

#define LINLI_SSCARD_ERROR (linli_sscard_error_quark ())
GQuark linli_sscard_error_quark (void);

typedef enum
{
  LINLI_SSCARD_ERROR_TRANSPORT,      /* the APDU did not reach the card (removed, reader gone) */
  LINLI_SSCARD_ERROR_NOT_SSCARD,     /* no social-security application on this card */
  LINLI_SSCARD_ERROR_STATUS,         /* the card answered a status word other than 9000 */
  LINLI_SSCARD_ERROR_MALFORMED,      /* a record that cannot be decoded */
  LINLI_SSCARD_ERROR_MISSING_RECORD, /* a record the profile needs is not on the card */
} LinliSscardError;

/* The elementary files of the application (DDF1) the profile reads. */
#define LINLI_SSCARD_EF_CARD   0xEF05 /* card identification */
#define LINLI_SSCARD_EF_PERSON 0xEF06 /* personal information */

/* Record tags (PROTOCOLS.md §3). */
typedef enum
{
  LINLI_SSCARD_TAG_CARD_ID = 0x01,      /* EF05: 16 bytes, first 6 = region */
  LINLI_SSCARD_TAG_CARD_TYPE = 0x02,    /* EF05: 1 */
  LINLI_SSCARD_TAG_SPEC_VERSION = 0x03, /* EF05: ASCII "1.00" / "2.00" / "3.00" */
  LINLI_SSCARD_TAG_ISSUER = 0x04,       /* EF05: issuing organisation, 12 */
  LINLI_SSCARD_TAG_ISSUE_DATE = 0x05,   /* EF05: BCD YYYYMMDD */
  LINLI_SSCARD_TAG_EXPIRY_DATE = 0x06,  /* EF05: BCD YYYYMMDD */
  LINLI_SSCARD_TAG_CARD_NUMBER = 0x07,  /* EF05: ASCII, 9 */
  LINLI_SSCARD_TAG_SSN = 0x08,          /* EF06: 社会保障号码 = ID number, ASCII 18 */
  LINLI_SSCARD_TAG_NAME = 0x09,         /* EF06: GBK, zero-padded, 30 */
  LINLI_SSCARD_TAG_GENDER = 0x0A,       /* EF06: '1' / '2' */
  LINLI_SSCARD_TAG_NATION = 0x0B,       /* EF06: 1, binary GB 3304 code */
  LINLI_SSCARD_TAG_BIRTHPLACE = 0x0C,   /* EF06: 3 */
  LINLI_SSCARD_TAG_BIRTH_DATE = 0x0D,   /* EF06: BCD YYYYMMDD */
} LinliSscardTag;

/* The records read from one card, by tag. Holds personal data: wiped when
 * freed. */
typedef struct _LinliSscardRecords LinliSscardRecords;

LinliSscardRecords *linli_sscard_records_new (void);
void linli_sscard_records_free (LinliSscardRecords *records);

/* Parses one record as the card returns it (tag, length, value; no status
 * word) and stores its value. @expected_tag: the tag asked for, or 0 for
 * any known tag. MALFORMED for a truncated record, a length that disagrees
 * with the bytes or with the field's size, an unknown or unexpected tag. */
gboolean linli_sscard_parse_record (LinliSscardRecords *records,
                                    guint8 expected_tag,
                                    const guint8 *data,
                                    gsize length,
                                    GError **error);

/* Parses a run of records back to back (the fuzz target's input; also what
 * a card returning a whole EF would give). */
gboolean linli_sscard_parse_records (LinliSscardRecords *records,
                                     const guint8 *data,
                                     gsize length,
                                     GError **error);

/* Decodes the fields and builds the identity (card type social security,
 * @source e.g. "pcsc Virtual PCD 00 00"). MISSING_RECORD when a needed
 * record was not parsed; MALFORMED when a field does not decode (not GBK,
 * not BCD, an impossible date, an ID number that is not 17 digits and a
 * check character). */
LinliIdentity *linli_sscard_parse_identity (LinliSscardRecords *records,
                                            const char *source,
                                            GError **error);

/* Field decoders, also for the tests. */
char *linli_sscard_parse_bcd_date (const guint8 *data, gsize length, GError **error);
char *linli_sscard_parse_gbk (const guint8 *data, gsize length, GError **error);

/* Sends @command to the card and returns its response with the status word
 * in @response (at most *@response_length bytes; on return the length).
 * FALSE + an error (domain LINLI_SSCARD_ERROR, code TRANSPORT) when the
 * card could not be reached. Called on whatever thread linli_sscard_read
 * runs on. */
typedef gboolean (*LinliSscardTransmitFunc) (const guint8 *command,
                                             gsize command_length,
                                             guint8 *response,
                                             gsize *response_length,
                                             gpointer user_data,
                                             GError **error);

/* Reads a social-security card: select the application, EF05 and EF06, and
 * the records the identity needs. Blocks; run it on a worker thread. */
LinliIdentity *linli_sscard_read (LinliSscardTransmitFunc transmit,
                                  gpointer user_data,
                                  const char *source,
                                  GCancellable *cancellable,
                                  GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LinliSscardRecords, linli_sscard_records_free)

G_END_DECLS
