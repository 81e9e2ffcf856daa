/* linli-pin-page.h: the maintainer's PIN pad, behind the hidden entry.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "linli-kiosk.h"
#include "linli-page.h"

G_BEGIN_DECLS

#define LINLI_TYPE_PIN_PAGE (linli_pin_page_get_type ())
G_DECLARE_FINAL_TYPE (LinliPinPage, linli_pin_page, LINLI, PIN_PAGE, LinliPage)

LinliPinPage *linli_pin_page_new (LinliKiosk *kiosk);
/* Forgets the digits typed and says whether a PIN is set up, or how long
 * the entry is still locked. Called each time the screen is shown. */
void linli_pin_page_reset (LinliPinPage *self);
/* Digits (keyboard row or keypad), Backspace and keypad Enter; TRUE when
 * the key was taken. */
gboolean linli_pin_page_handle_key (LinliPinPage *self, guint keyval);

G_END_DECLS
