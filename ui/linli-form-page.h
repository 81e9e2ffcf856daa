/* linli-form-page.h: an application's form, one field at a time, and the
 * summary the resident confirms.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "linli-kiosk.h"
#include "linli-page.h"

G_BEGIN_DECLS

#define LINLI_TYPE_FORM_PAGE (linli_form_page_get_type ())
G_DECLARE_FINAL_TYPE (LinliFormPage, linli_form_page, LINLI, FORM_PAGE, LinliPage)

LinliFormPage *linli_form_page_new (LinliKiosk *kiosk);

/* Shows field @index of @form (its title is @title), with what was typed
 * before. "fields-done" is emitted when Next is chosen on the last field
 * and every field fits. */
void linli_form_page_show_field (LinliFormPage *self,
                                 LinliForm *form,
                                 const char *title,
                                 guint index);
/* The summary; "confirmed" when the resident confirms it. */
void linli_form_page_show_summary (LinliFormPage *self, LinliForm *form, const char *title);
/* The back key: the previous field, or "cancelled" at the first. */
void linli_form_page_back (LinliFormPage *self);
/* Forgets the form and empties every input (the visit ended). */
void linli_form_page_clear (LinliFormPage *self);

G_END_DECLS
