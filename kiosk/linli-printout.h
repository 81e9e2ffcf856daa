/* linli-printout.h: what a journey shows at its end and hands over on paper
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A query result, a certificate or a receipt: lines to show and speak in
 * large text, and the receipt to print. When the printer cannot print, the
 * same receipt is offered as a QR code on screen. It holds personal data
 * (amounts, masked names): it is wiped when freed, and lives no longer than
 * the session.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define LINLI_TYPE_PRINTOUT (linli_printout_get_type ())
G_DECLARE_FINAL_TYPE (LinliPrintout, linli_printout, LINLI, PRINTOUT, GObject)

/* The heading of the result screen. */
const char *linli_printout_get_title (LinliPrintout *self);

/* The lines shown on screen, label and value; @spoken (may be NULL) is
 * how the whole line is read aloud when its written form reads badly
 * (amounts, dates, long numbers). */
guint linli_printout_get_n_lines (LinliPrintout *self);
void linli_printout_get_line (
    LinliPrintout *self, guint index, const char **label, const char **value, const char **spoken);

/* A closing sentence shown and spoken under the lines, or NULL. */
const char *linli_printout_get_note (LinliPrintout *self);

/* The whole result as one text to speak. */
char *linli_printout_get_spoken (LinliPrintout *self);

/* TRUE when there is something to print (a query may show "nothing found"). */
gboolean linli_printout_get_printable (LinliPrintout *self);

/* TRUE when the screen offers to pay what it shows (a bill, a
 * contribution due): linli_kiosk_start_payment(). */
gboolean linli_printout_get_payable (LinliPrintout *self);

/* The application or order number a receipt is filed under, or NULL. */
const char *linli_printout_get_number (LinliPrintout *self);

/* The receipt offered on screen: a QR code, RGB pixels (3 bytes each, no
 * row padding) @module_px per module; *@size_px is the side. It holds the
 * receipt's own look-up address when it has one, or else its text. */
GBytes *linli_printout_render_qr (LinliPrintout *self, int module_px, int *size_px, GError **error);

G_END_DECLS
