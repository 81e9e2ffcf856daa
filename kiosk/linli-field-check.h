/* linli-field-check.h: a form's value checked against the catalog's rules
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What staff type for a resident's application, checked before anything
 * is submitted, by the rules the platform's catalog gives each field (the
 * platform checks again). A value that does not fit gets a message that
 * says what is wanted, in the screen's language, naming the field's label.
 */
#pragma once

#include <glib.h>

#include "linli-catalog.h"

G_BEGIN_DECLS

/* Checks @text (as typed; NULL or empty for nothing) for @field. TRUE when
 * it fits: *@value is then the value in the contract's form ("2026-11-23",
 * an integer, fen for an amount, "true"/"false", a choice's value), or NULL
 * for an optional field left empty. FALSE: *@message says what is wrong. */
gboolean linli_field_check (
    const LinliField *field, const char *text, const char *language, char **value, char **message);

G_END_DECLS
