/* linli-ga467-reader.h: the GA/T 467 resident-ID card reader (a SAM
 * module behind a serial port or USB).
 *
 * Started, it polls for a card on a worker thread and emits, on the main
 * context of the thread that created it:
 *
 *   card-read (LinliIdentity *identity)  a card was placed and read
 *   card-removed ()                       the card placed last was taken away
 *   card-failed (GError *error)           the card placed cannot be read (once
 *                                         per placement; no personal data)
 *
 * A reader that is unplugged or stops answering puts the device in the
 * fault state; it is reopened every few seconds and becomes ready again by
 * itself. */
#pragma once

#include "linli-device.h"
#include "linli-ga467-transport.h"
#include "linli-identity.h"

G_BEGIN_DECLS

#define LINLI_TYPE_GA467_READER (linli_ga467_reader_get_type ())
G_DECLARE_FINAL_TYPE (LinliGa467Reader, linli_ga467_reader, LINLI, GA467_READER, LinliDevice)

/* @poll_ms: how often to look for a card (0: the default, 300 ms). */
LinliDevice *linli_ga467_reader_new_with_transport (LinliGa467Transport *transport, guint poll_ms);
/* A reader on the serial port @path, polling at the default interval. */
LinliDevice *linli_ga467_reader_new (const char *path);

LinliGa467Transport *linli_ga467_reader_get_transport (LinliGa467Reader *self);
guint linli_ga467_reader_get_poll_ms (LinliGa467Reader *self);

/* Starts and stops the polling worker. Stopping joins it (within about
 * 100 ms: every wait of the worker is sliced and cancellable) and closes
 * the transport. Both are idempotent; dispose stops. */
void linli_ga467_reader_start (LinliGa467Reader *self);
void linli_ga467_reader_stop (LinliGa467Reader *self);
gboolean linli_ga467_reader_is_started (LinliGa467Reader *self);

/* For linli-diag read-id: blocks until a card is placed and read (up to
 * @timeout_ms; 0 looks once), on the calling thread. Not while started
 * (G_IO_ERROR_BUSY). G_IO_ERROR_TIMED_OUT when no card came; errors of
 * LINLI_GA467_TRANSPORT_ERROR, LINLI_GA467_ERROR or LINLI_IDENTITY_ERROR
 * otherwise. */
LinliIdentity *linli_ga467_reader_read_once (LinliGa467Reader *self,
                                             guint timeout_ms,
                                             GCancellable *cancellable,
                                             GError **error);

G_END_DECLS
