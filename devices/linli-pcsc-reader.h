/* linli-pcsc-reader.h: the PC/SC reader for social-security cards.
 *
 * A LinliPcscReader watches pcscd's readers on a worker thread once
 * started: a card inserted is read with the social-security profile
 * (linli-sscard.h) and reported by "card-read" or "card-failed"; a card
 * taken out by "card-removed". Signals and state changes arrive on the
 * main context of the thread that created the reader. When pcscd stops or
 * restarts, the reader goes to FAULT and comes back to READY by itself.
 *
 * Signals:
 *   card-read (LinliIdentity *identity)  a card was read; the identity is
 *                                        personal data: do not log it
 *   card-failed (GError *error)          a card was inserted and could not
 *                                        be read (once per insertion)
 *   card-removed ()                      the card left the reader
 */
#pragma once

#include "linli-device.h"
#include "linli-identity.h"

G_BEGIN_DECLS

#define LINLI_PCSC_READER_ERROR (linli_pcsc_reader_error_quark ())
GQuark linli_pcsc_reader_error_quark (void);

typedef enum
{
  LINLI_PCSC_READER_ERROR_NO_SERVICE, /* pcscd is not running */
  LINLI_PCSC_READER_ERROR_NO_READER,  /* no reader (or none with the name asked for) */
  LINLI_PCSC_READER_ERROR_NO_CARD,    /* no card within the time allowed */
  LINLI_PCSC_READER_ERROR_FAILED,     /* any other PC/SC error */
} LinliPcscReaderError;

#define LINLI_TYPE_PCSC_READER (linli_pcsc_reader_get_type ())
G_DECLARE_FINAL_TYPE (LinliPcscReader, linli_pcsc_reader, LINLI, PCSC_READER, LinliDevice)

/* @reader_name: the PC/SC reader to use ([devices] pcsc-reader); NULL or
 * "" for any reader. */
LinliDevice *linli_pcsc_reader_new (const char *reader_name);

const char *linli_pcsc_reader_get_reader_name (LinliPcscReader *self);

/* Starts (or, when started, leaves alone) the monitor thread. */
void linli_pcsc_reader_start (LinliPcscReader *self);
/* Stops the monitor and joins its thread; returns within a few hundred
 * milliseconds even when pcscd hangs. Also done on dispose. */
void linli_pcsc_reader_stop (LinliPcscReader *self);
gboolean linli_pcsc_reader_is_started (LinliPcscReader *self);

/* Blocks until a card is in the reader (any reader when the reader name is
 * ""), reads it and returns its identity; a card already inserted is read at
 * once. Independent of the monitor (linli-diag read-card uses this).
 * @timeout_ms: 0 waits until @cancellable is cancelled. Errors:
 * LINLI_PCSC_READER_ERROR_* (no pcscd, no card in time), LINLI_SSCARD_ERROR_*
 * (the card cannot be read), G_IO_ERROR_CANCELLED. */
LinliIdentity *linli_pcsc_reader_read_once (LinliPcscReader *self,
                                            guint timeout_ms,
                                            GCancellable *cancellable,
                                            GError **error);

G_END_DECLS
