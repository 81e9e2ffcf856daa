/* linli-digit-pad.h: the telephone-layout digit pad of the PIN screens.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Fills @pad with 1–9, then Delete, 0, OK, as buttons of the page's
 * actions "@prefix.digit" (target: the digit as a string), "@prefix.delete"
 * and "@prefix.submit". */
void linli_digit_pad_fill (GtkGrid *pad, const char *prefix);

/* The digit a key types (number row or keypad), or 0. */
char linli_digit_pad_key_digit (guint keyval);

G_END_DECLS
