/* linli-staff-page.h: staff sign-in (帮办人员登录): staff number, then PIN.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "linli-kiosk.h"
#include "linli-page.h"

G_BEGIN_DECLS

#define LINLI_TYPE_STAFF_PAGE (linli_staff_page_get_type ())
G_DECLARE_FINAL_TYPE (LinliStaffPage, linli_staff_page, LINLI, STAFF_PAGE, LinliPage)

/* ::finished (gboolean signed_in): signed in (TRUE, after the success has
 * been shown and said), or left with Back from the first step (FALSE). */
LinliStaffPage *linli_staff_page_new (LinliKiosk *kiosk);
/* Back to the first step, nothing typed; says whether staff sign-in is set
 * up. Called each time the screen is shown. */
void linli_staff_page_reset (LinliStaffPage *self);
/* Digits (number row, keypad) and, for the staff number, letters; Delete
 * (Backspace), OK (Enter). TRUE when the key was taken. */
gboolean linli_staff_page_handle_key (LinliStaffPage *self, guint keyval);
/* The back key: from the PIN to the staff number (TRUE); from the staff
 * number, FALSE: the page is left. */
gboolean linli_staff_page_back (LinliStaffPage *self);

G_END_DECLS
